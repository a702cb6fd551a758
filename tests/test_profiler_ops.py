"""torch.profiler's per-op events: every op a backend runs while a profiler records is an ``aten::<op>``
event with its CPU time (a cpu_op in the Chrome trace, a row of key_averages' table, a child of the
record_function range around it), named as torch's; and the timing costs the op path nothing once no
profiler records (the same Python calls per op as before one ran). pyfront recorded named ranges only."""
import json
import sys

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

OPS = {
    "add": lambda t, x: x + x,
    "mul": lambda t, x: t.mul(x, 2.0),
    "sum": lambda t, x: x.sum(),
    "mm": lambda t, x: x @ x.T,
    "exp": lambda t, x: x.exp(),
    "relu": lambda t, x: t.relu(x),
    "amax": lambda t, x: x.amax(0),
}


def _op_names(lib, fn, device="cpu"):
    x = lib.linspace(-1, 1, 12).reshape(3, 4).to(device)
    fn(lib, x)  # planned once outside, as a warmed-up program's ops are
    with lib.profiler.profile(activities=[lib.profiler.ProfilerActivity.CPU]) as prof:
        fn(lib, x)
    return {e.name for e in prof.events() if e.name.startswith("aten::")}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(OPS))
def test_each_op_is_an_event_torch_records_too(name, device):
    ours, theirs = _op_names(pyfront, OPS[name], device), _op_names(torch, OPS[name])
    assert ours and ours <= theirs, (ours, theirs)


def test_events_nest_in_ranges_and_show_in_table_and_trace(tmp_path):
    model, x = pyfront.nn.Linear(4, 3), pyfront.ones(2, 4)
    with pyfront.profiler.profile() as prof:
        with pyfront.profiler.record_function("forward"):
            model(x).relu().sum()
    events = prof.events()
    ops = [e for e in events if e.name.startswith("aten::")]
    assert {"aten::addmm", "aten::relu", "aten::sum"} <= {e.name for e in ops}
    assert all(e.cpu_parent is not None and e.cpu_parent.name == "forward" for e in ops)
    assert all(not e.is_user_annotation and e.cpu_time_total >= 0 for e in ops)
    table = prof.key_averages().table(sort_by="cpu_time_total")
    header = [line.split() for line in table.splitlines()[:3]][1]
    assert header == "Name Self CPU % Self CPU CPU total % CPU total CPU time avg # of Calls".split()
    rows = [line.split() for line in table.splitlines()[3:-3]]
    assert any(row[0] == "aten::addmm" and row[-1] == "1" for row in rows)
    path = tmp_path / "trace.json"
    prof.export_chrome_trace(str(path))
    cats = {e["name"]: e["cat"] for e in json.loads(path.read_text())["traceEvents"]}
    assert cats["aten::addmm"] == "cpu_op" and cats["forward"] == "user_annotation"


def test_counts_follow_calls():
    x = pyfront.ones(5)
    with pyfront.profiler.profile() as prof:
        for _ in range(3):
            x = x + 1
    (add,) = [e for e in prof.key_averages() if e.key == "aten::add"]
    assert add.count == 3


def _calls_per_add(a, b):
    count = [0]

    def tally(frame, event, arg):
        count[0] += event in ("call", "c_call")

    sys.setprofile(tally)
    for _ in range(50):
        a + b
    sys.setprofile(None)
    return count[0] / 50


def test_no_cost_once_no_profiler_records():
    a, b = pyfront.ones(1000), pyfront.ones(1000)
    a + b
    before = _calls_per_add(a, b)
    with pyfront.profiler.profile():
        a + b
        during = _calls_per_add(a, b)
    a + b
    assert during > before == _calls_per_add(a, b)

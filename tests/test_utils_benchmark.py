"""torch.utils.benchmark's Python timer against real torch: Measurements built from the same raw times
give torch's times, median, mean, IQR, significant figures, warnings, merge and repr (all but the object
address); TaskSpec titles for one- and multi-line statements; Timer.timeit / blocked_autorange /
adaptive_autorange return Measurements of torch's shape (a statement that sees ``torch`` as pyfront, on cpu
and on webgpu); torch's errors. No timed assertion: only structure and the arithmetic on given times."""
import re

import numpy as np
import pytest
import torch
import torch.utils.benchmark
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront
import pyfront.utils.benchmark

RAW = {
    "one": ([3.1e-6], 100),
    "steady": ([1.00e-3, 1.01e-3, 0.99e-3, 1.02e-3, 1.0e-3], 1000),
    "noisy": ([2e-2, 5e-2, 1e-2, 3e-2, 9e-2, 1.5e-2, 4e-2], 10),
    "fluctuating": ([1.0, 1.15, 1.0, 1.12, 0.98, 1.01], 1),
    "three": ([4e-9, 5e-9, 6e-9], 1),
}
SPECS = [dict(stmt="x + 1", setup="pass"),
         dict(stmt="y = x * 2\ny.sum()", setup="x = 1\nz = 2", label=None, sub_label="big", num_threads=4),
         dict(stmt="f(x)", setup="x=1", label="L", sub_label="s", description="desc", env="e")]


def _without_address(text):
    return re.sub(r"<[\w.]+\.Measurement object at 0x[0-9a-f]+>", "<Measurement>", text)


@pytest.mark.parametrize("raw", RAW)
@pytest.mark.parametrize("spec", range(len(SPECS)))
def test_measurement_matches_torch(raw, spec):
    times, number = RAW[raw]
    mods = (torch.utils.benchmark, pyfront.utils.benchmark)
    want, got = (B.Measurement(number, list(times), B.TaskSpec(**SPECS[spec])) for B in mods)
    for attr in ("times", "median", "mean", "iqr", "significant_figures", "has_warnings", "title", "env",
                 "as_row_name", "number_per_run", "stmt", "sub_label", "num_threads"):
        w, g = getattr(want, attr), getattr(got, attr)
        if isinstance(w, float) or isinstance(w, list):
            np.testing.assert_allclose(g, w, rtol=1e-12, err_msg=attr)
        else:
            assert g == w, attr
    assert got.meets_confidence(0.05) == want.meets_confidence(0.05)
    assert _without_address(repr(got)) == _without_address(repr(want))
    assert repr(got).startswith("<pyfront.utils.benchmark.Measurement object at 0x")


def test_merge_matches_torch():
    def run(B):
        a, b = B.TaskSpec("x", "pass"), B.TaskSpec("y", "pass", label="Y")
        ms = [B.Measurement(10, [1e-3, 2e-3], a), B.Measurement(5, [4e-4], b), B.Measurement(1, [3e-4], a)]
        return [(_without_address(repr(m)), m.times) for m in B.Measurement.merge(ms)]
    assert run(pyfront.utils.benchmark) == run(torch.utils.benchmark)


@pytest.mark.parametrize("t", [3e-9, 4.5e-7, 2e-4, 0.5, 12.0])
def test_select_unit_matches_torch(t):
    assert pyfront.utils.benchmark.select_unit(t) == torch.utils.benchmark.select_unit(t)


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_timer_measures_a_pyfront_statement(device):
    x = pyfront.ones(64, device=device)
    timer = pyfront.utils.benchmark.Timer("torch.add(x, x).sum()", setup="y = 1", globals={"x": x},
                                          label="add", description=device)
    m = timer.timeit(20)
    assert (m.number_per_run, len(m.raw_times), m.title, m.description) == (20, 1, "add", device)
    calls = []
    blocked = timer.blocked_autorange(callback=lambda n, t: calls.append((n, t)), min_run_time=0.02)
    assert sum(blocked.raw_times) >= 0.02 and len(calls) == len(blocked.raw_times)
    assert str(blocked.number_per_run).strip("0") == "1"  # a power of ten, as torch's block sizing
    assert all(n == blocked.number_per_run for n, _ in calls)
    adaptive = timer.adaptive_autorange(min_run_time=0.01, max_run_time=0.5)
    assert len(adaptive.raw_times) >= 1 and adaptive.median > 0


ERRORS = {
    "stmt type": lambda B: B.Timer(stmt=lambda: 1),
    "global_setup": lambda B: B.Timer("x", global_setup="int x = 1;"),
    "language": lambda B: B.Timer("x", language="rust"),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    with pytest.raises(Exception) as want:
        ERRORS[name](torch.utils.benchmark)
    with pytest.raises(Exception) as got:
        ERRORS[name](pyfront.utils.benchmark)
    assert type(got.value) is type(want.value) and str(got.value) == torch_text(want.value)

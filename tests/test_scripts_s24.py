"""What real programs new to the suite stopped on (session 24), tested against real torch at the level of
its kind, and the programs themselves (tests/programs/, each file's header says where it comes from).

* ``torch.profiler`` / ``torch.autograd.profiler`` were missing (meta-llama's model.py imports
  ``record_function``; profiling recipes wrap training in ``profile(schedule=...)``): the schedule's
  actions, when ``on_trace_ready`` runs, which named ranges a recording holds and how they nest, the
  summaries and the Chrome trace, against torch's.
* ``Tensor.type_as`` cast but did not move (pytorch/examples' language_translation decodes with
  ``torch.ones(1, 1).type_as(src.data)`` and then ``cat`` s it with GPU tensors): ``type_as`` takes the
  other tensor's device as torch's does, and a legacy type name says its device (``torch.cuda.X``).
"""
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import torch
import torch.profiler  # noqa: F401

import pyfront
from webgpu_required import requires_webgpu

PROGRAMS = Path(__file__).resolve().parent / "programs"


# -- torch.profiler: schedules --------------------------------------------------------------------------
SCHEDULES = [dict(wait=1, warmup=1, active=2), dict(wait=1, warmup=1, active=2, repeat=1),
             dict(wait=0, warmup=0, active=1), dict(wait=2, warmup=1, active=2, repeat=2, skip_first=3),
             dict(wait=2, warmup=1, active=2, skip_first_wait=1, repeat=2),
             dict(wait=2, warmup=1, active=1, skip_first_wait=1, skip_first=2)]
BAD_SCHEDULES = [dict(wait=0, warmup=0, active=0), dict(wait=-1, warmup=0, active=1),
                 dict(wait=0, warmup=1, active=1, repeat=-2), dict(wait=0, warmup=1, active=1, skip_first=-1)]


def _schedule_outcome(lib, kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            s = lib.profiler.schedule(**kw)
        except Exception as e:  # noqa: BLE001 - the error is compared
            return type(e).__name__, str(e)
    return [s(i).name for i in range(16)], [str(w.message) for w in caught]


@pytest.mark.parametrize("kw", SCHEDULES + BAD_SCHEDULES, ids=str)
def test_schedule_is_torchs(kw):
    assert _schedule_outcome(pyfront, kw) == _schedule_outcome(torch, kw)


def test_enums_are_torchs():
    for name in ("ProfilerActivity", "ProfilerAction"):
        ours, theirs = getattr(pyfront.profiler, name), getattr(torch.profiler, name)
        assert {k: int(v.value) for k, v in ours.__members__.items()} == \
            {k: int(v.value) for k, v in theirs.__members__.items()}


# -- torch.profiler.profile: steps, on_trace_ready, recorded ranges ----------------------------------------
def _names(events):
    """(key, count) of what a program named (torch's table also lists its aten:: ops)."""
    return [(e.key, e.count) for e in events if not e.key.startswith("aten::")]


def _train_steps(lib, kw, n_steps):
    ready = []

    def on_ready(prof):
        ready.append((prof.step_num, sorted(_names(prof.key_averages()))))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = lib.profiler.schedule(**kw) if kw is not None else None
    with lib.profiler.profile(activities=[lib.profiler.ProfilerActivity.CPU], schedule=sched,
                              on_trace_ready=on_ready) as prof:
        for i in range(n_steps):
            with lib.profiler.record_function("forward"):
                x = lib.ones(3) * i
            with lib.autograd.profiler.record_function("loss"):
                x.sum()
            prof.step()
    return ready, prof.step_num, sorted(_names(prof.key_averages()))


@pytest.mark.parametrize("kw", [None, *SCHEDULES[:4]], ids=str)
def test_profile_steps_are_torchs(kw):
    assert _train_steps(pyfront, kw, 9) == _train_steps(torch, kw, 9)


def _nested(lib):
    @lib.profiler.record_function("decorated")
    def f(x):
        with lib.profiler.record_function("inside", "an argument"):
            return x + 1

    with lib.profiler.profile() as prof:
        with lib.profiler.record_function("outer"):
            with lib.profiler.record_function("inner"):
                f(lib.ones(2))
            f(lib.ones(2))
    events = [e for e in prof.events() if not e.name.startswith("aten::")]
    tree = [(e.name, e.cpu_parent.name if e.cpu_parent is not None else None,
             [c.name for c in e.cpu_children if not c.name.startswith("aten::")]) for e in events]
    return tree, sorted(_names(prof.key_averages())), events, prof


def test_ranges_nest_as_torchs(tmp_path):
    tree, counts, events, prof = _nested(pyfront)
    want_tree, want_counts, _, _ = _nested(torch)
    assert (tree, counts) == (want_tree, want_counts)
    for e in events:
        assert 0 <= e.self_cpu_time_total <= e.cpu_time_total
    outer = events[0]
    assert outer.self_cpu_time_total == pytest.approx(
        outer.cpu_time_total - sum(c.cpu_time_total for c in outer.cpu_children))
    # the Chrome trace holds every named range as a complete ("X") event, as torch's
    for lib, p in ((pyfront, prof), (torch, _nested(torch)[3])):
        path = tmp_path / f"{lib.__name__}.json"
        p.export_chrome_trace(str(path))
        trace = json.loads(path.read_text())
        names = sorted(e["name"] for e in trace["traceEvents"] if e.get("ph") == "X"
                       and e.get("cat") == "user_annotation")
        assert names == sorted(n for n, _, _ in tree), lib.__name__


def test_table_is_torchs_layout():
    _, _, _, prof = _nested(pyfront)
    table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=2)
    want = _nested(torch)[3].key_averages().table(sort_by="cpu_time_total", row_limit=2)
    ours, theirs = table.splitlines(), want.splitlines()
    assert ours[1].split() == theirs[1].split()  # the column titles
    assert len(ours) == len(theirs) and ours[-1].split(":")[0] == theirs[-1].split(":")[0]
    assert ours[3].split()[0] == "outer"  # sorted by total time: the outermost range first
    assert len(ours[0]) == len(ours[1]) and set(ours[0].strip()) == {"-", " "}


def test_autograd_profiler_is_torchs(tmp_path):
    def run(lib):
        with lib.autograd.profiler.profile() as prof:
            with lib.autograd.profiler.record_function("ap"):
                lib.ones(2).sum()
        with lib.autograd.profiler.profile(enabled=False) as off:
            pass
        try:
            with prof:
                with prof:
                    pass
        except RuntimeError as e:
            again = str(e)
        return (_names(prof.key_averages()), type(prof.function_events).__name__, off, again,
                prof.self_cpu_time_total > 0, prof.total_average().count >= 1)
    assert run(pyfront) == run(torch)


def test_profile_refusals_and_warnings_are_torchs():
    def outcome(lib):
        out = []
        try:
            lib.profiler.profile().key_averages()
        except Exception as e:  # noqa: BLE001
            out.append((type(e).__name__, str(e)))
        action = lib.profiler.ProfilerAction

        def record_then_none(step):
            return action.RECORD if step < 2 else action.NONE
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with lib.profiler.profile(schedule=record_then_none) as p:
                for _ in range(4):
                    p.step()
        out.append([str(w.message) for w in caught if "schedule" in str(w.message)])
        return out
    assert outcome(pyfront) == outcome(torch)


def test_tensorboard_trace_handler_writes_torchs_file_names(tmp_path):
    for lib in (pyfront, torch):
        d = tmp_path / lib.__name__
        with lib.profiler.profile(schedule=lib.profiler.schedule(wait=0, warmup=1, active=1, repeat=2),
                                  on_trace_ready=lib.profiler.tensorboard_trace_handler(str(d), "w0")) as p:
            for _ in range(5):
                with lib.profiler.record_function("work"):
                    pass
                p.step()
        files = sorted(os.listdir(d))
        assert len(files) == 2 and all(f.startswith("w0.") and f.endswith(".pt.trace.json") for f in files)


# -- Tensor.type / type_as: a type says the device too ---------------------------------------------------
TYPE_NAMES = ["torch.FloatTensor", "torch.LongTensor", "torch.BoolTensor", "torch.DoubleTensor",
              "torch.foo.FloatTensor", "torch.mps.FloatTensor", "torch.cpu.FloatTensor", "FloatTensor",
              "torch.cuda", "torch.cuda.FloatTensor", "torch.cuda.LongTensor"]


def _type_outcome(lib, name):
    try:
        y = lib.arange(3).type(name)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return str(y.dtype), str(y.device), y.type(), y.tolist()


@pytest.mark.parametrize("name", TYPE_NAMES)
def test_type_names_are_torchs(name):
    assert _type_outcome(pyfront, name) == _type_outcome(torch, name)


def _legacy_class_outcome(lib, get):
    try:
        cls = get(lib)
        y = lib.arange(3).type(cls)
    except Exception as e:  # noqa: BLE001
        return type(e).__name__, str(e)
    return str(y.dtype), str(y.device), str(cls.dtype), cls.is_cuda, isinstance(y, cls)


LEGACY_CLASSES = {"FloatTensor": lambda lib: lib.FloatTensor, "LongTensor": lambda lib: lib.LongTensor,
                  "DoubleTensor": lambda lib: lib.DoubleTensor, "BoolTensor": lambda lib: lib.BoolTensor,
                  "ByteTensor": lambda lib: lib.ByteTensor,
                  "cuda.FloatTensor": lambda lib: lib.cuda.FloatTensor,
                  "cuda.LongTensor": lambda lib: lib.cuda.LongTensor,
                  "cuda.HalfTensor": lambda lib: lib.cuda.HalfTensor}


@pytest.mark.parametrize("name", sorted(LEGACY_CLASSES))
def test_type_takes_legacy_classes_as_torch(name):
    """Old scripts: ``dtype = torch.cuda.FloatTensor if use_cuda else torch.FloatTensor; x.type(dtype)``."""
    get = LEGACY_CLASSES[name]
    assert _legacy_class_outcome(pyfront, get) == _legacy_class_outcome(torch, get)


def test_legacy_classes_elsewhere_as_torch():
    def outcome(lib):
        out = [lib.nn.Linear(2, 2).type(lib.DoubleTensor).weight.dtype, lib.arange(2).type(lib.Tensor).dtype,
               isinstance(lib.ones(1), lib.cuda.FloatTensor)]
        try:
            lib.cuda.FloatTensor(2)
        except TypeError as e:
            out.append(str(e))
        return [str(o) for o in out]
    assert outcome(pyfront) == outcome(torch)


@requires_webgpu
def test_type_as_and_type_names_move_between_devices():
    g = pyfront.ones(2, device="webgpu", dtype=pyfront.int64)
    c = pyfront.ones(2)
    moved = c.type_as(g)
    assert (moved.device.type, moved.dtype) == ("webgpu", pyfront.int64)
    back = g.type_as(c)
    assert (back.device.type, back.dtype, back.tolist()) == ("cpu", pyfront.float32, [1.0, 1.0])
    assert g.type() == "torch.webgpu.LongTensor"
    assert c.type(g.type()).device.type == "webgpu" and g.type("torch.FloatTensor").device.type == "cpu"
    # language_translation's greedy decode: a new token made on the cpu joins the GPU sequence
    ys = pyfront.ones(1, 1, device="webgpu", dtype=pyfront.int64)
    ys = pyfront.cat([ys, pyfront.ones(1, 1).type_as(ys).fill_(7)], dim=0)
    assert ys.device.type == "webgpu" and ys.flatten().tolist() == [1, 7]


# -- what old scripts call: deprecated names warn and removed ones advise, as torch's ----------------------
def _call_removed(name, n_args, method=False):
    def call(lib):
        args = [lib.eye(2)] * n_args
        return getattr(args[0], name)(*args[1:]) if method else getattr(lib, name)(*args)
    return call


OLD_IDIOMS = {
    "Variable volatile": lambda lib: lib.autograd.Variable(lib.ones(2), volatile=True).requires_grad,
    "Variable": lambda lib: lib.autograd.Variable(lib.ones(2), requires_grad=True).requires_grad,
    "F.upsample": lambda lib: lib.nn.functional.upsample(_img(lib), scale_factor=2),
    # (its values differ from torch's in the last bit of two elements: the warning is what is compared)
    "F.upsample_bilinear": lambda lib: round(float(
        lib.nn.functional.upsample_bilinear(_img(lib), scale_factor=2).sum()), 3),
    "F.upsample_nearest": lambda lib: lib.nn.functional.upsample_nearest(_img(lib), size=(3, 5)),
    "torch.qr": lambda lib: lib.qr(_img(lib)[0, 0])[1],
    "Tensor.qr": lambda lib: _img(lib)[0, 0].qr(some=False)[0].abs(),
    "uint8 mask": lambda lib: _img(lib)[0, 0][lib.tensor([[1, 0, 1], [0, 1, 0]], dtype=lib.uint8)],
    "uint8 rows": lambda lib: _img(lib)[0, 0][lib.tensor([0, 1], dtype=lib.uint8)],
    "uint8 mask put": lambda lib: _img(lib)[0, 0].index_put_((lib.tensor([1, 0], dtype=lib.uint8),),
                                                             lib.tensor(9.)),
    "uint8 mask put values": lambda lib: _img(lib)[0, 0].index_put_((lib.tensor([1, 0], dtype=lib.uint8),),
                                                                    lib.tensor([7., 8., 9.])),
    "uint8 mask setitem": lambda lib: _setitem(lib, (slice(None), lib.tensor([1, 0, 1], dtype=lib.uint8)),
                                               9.),
    "uint8 mask setitem [1]": lambda lib: _setitem(lib, (0, lib.tensor([1, 0, 1], dtype=lib.uint8)),
                                                   lib.tensor([9.])),
    "uint8 mask and index setitem": lambda lib: _setitem(lib, (lib.tensor([1, 0], dtype=lib.uint8),
                                                                lib.tensor([0, 1])), 9.),
    "bool mask setitem": lambda lib: _setitem(lib, lib.tensor([[True, False, True], [False] * 3]), 9.),
    "index_put uint8": lambda lib: lib.index_put(_img(lib)[0, 0], (lib.tensor([0, 1], dtype=lib.uint8),),
                                                 lib.tensor(1.)),
    "index_put uint8 accumulate": lambda lib: lib.index_put(_img(lib)[0, 0], (lib.tensor([0, 1],
                                                            dtype=lib.uint8),), lib.tensor(1.), True),
    "bool mask": lambda lib: _img(lib)[0, 0][lib.tensor([True, False])],
    "resize": lambda lib: _img(lib)[0, 0].t().resize(6),
    "resize to 3x2": lambda lib: _img(lib)[0, 0].resize(3, 2),
    "resize bad": lambda lib: _img(lib)[0, 0].resize(4, 2),
    "resize tuple": lambda lib: _img(lib)[0, 0].resize((3, 2)),
    "resize none": lambda lib: _img(lib)[0, 0].resize(),
    "resize_as": lambda lib: _img(lib)[0, 0].resize_as(lib.ones(6, 1)),
    "resize grad": lambda lib: _grad_through(lib, lambda t: t.resize(3, 2) * lib.arange(6.).view(3, 2)),
    **{f"torch.{n}": _call_removed(n, 2) for n in ("solve", "lstsq")},
    **{f"torch.{n}": _call_removed(n, 1) for n in ("symeig", "eig", "matrix_rank")},
    **{f"Tensor.{n}": _call_removed(n, 2, method=True) for n in ("solve", "lstsq")},
    **{f"Tensor.{n}": _call_removed(n, 1, method=True) for n in ("symeig", "eig")},
    "solve missing A": lambda lib: lib.solve(lib.eye(2)),
}


def _img(lib):
    return lib.arange(6.0).reshape(1, 1, 2, 3)


def _setitem(lib, index, value):
    x = _img(lib)[0, 0].clone()
    x[index] = value
    return x


def _grad_through(lib, f):
    t = lib.arange(6.0, requires_grad=True)
    f(t).sum().backward()
    return t.grad


def _idiom_outcome(lib, f):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = f(lib)
            r = r.tolist() if hasattr(r, "tolist") else r
        except Exception as e:  # noqa: BLE001 - the error is compared
            r = (type(e).__name__, str(e))
    # torch's C++ warnings end in "(Triggered internally at <its source file>)"
    return r, [(w.category.__name__, str(w.message).split(" (Triggered internally")[0]) for w in caught]


@pytest.mark.parametrize("name", sorted(OLD_IDIOMS))
def test_old_idioms_warn_and_advise_as_torch(name):
    for lib in (torch, pyfront):
        lib.set_warn_always(True)  # torch.qr warns once a process
    try:
        assert _idiom_outcome(pyfront, OLD_IDIOMS[name]) == _idiom_outcome(torch, OLD_IDIOMS[name])
    finally:
        for lib in (torch, pyfront):
            lib.set_warn_always(False)


# -- the programs (one interpreter per library for all of them: importing torch costs seconds here) -------
QUICK = ["gat", "llama"]  # the others: test_programs.SLOW (by hand)


def test_programs_print_torchs_output():
    from test_programs import differences
    env = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}
    env.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(PROGRAMS.parent.parent))
    driver = str(PROGRAMS / "run_several.py")
    # both at once: the two cores share the work
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                              cwd=PROGRAMS)
             for cmd in ([sys.executable, str(PROGRAMS / "_torch_same_rng.py"), driver, *QUICK],
                         [sys.executable, "-m", "pyfront", "run", driver, *QUICK])]
    (theirs, terr), (ours, oerr) = (p.communicate(timeout=600) for p in procs)
    assert procs[0].returncode == 0, terr[-3000:]
    assert procs[1].returncode == 0, oerr[-3000:]
    diff = differences(ours, theirs, 1e-4, 1e-6)
    assert not diff, "\n".join(diff[:10])

"""Faults found running session 34's user-style programs (tests/programs/: each file's header names the
public code it imitates), each checked as a kind against torch 2.13: torch's deprecated scalar-first
forms of the products that add to an input (addmm, addmv, addr, baddbmm, addbmm: function, method and
in-place, with torch's one warning) and the refusals of calls near them; methods' lack of out_dtype;
``torch.utils.benchmark.Compare``'s tables; the ``torch.has_*`` flags; ``torch.hub.load(source='local')``;
torch 2.9+'s fp32_precision settings mixed with the legacy TF32 switches."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront


def _outcome(fn):
    """('ok', result) or (exception type name, message)."""
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


# op -> (input's shape, the two operands' shapes)
_PRODUCTS = {"addmm": ((2, 4), (2, 3), (3, 4)), "addmv": ((2,), (2, 3), (3,)), "addr": ((2, 3), (2,), (3,)),
             "baddbmm": ((2, 2, 4), (2, 2, 3), (2, 3, 4)), "addbmm": ((2, 4), (2, 2, 3), (2, 3, 4))}
# how a call is written: beta (and alpha) first, as torch 0.4's code calls them; and two torch refuses
_FORMS = {"function": lambda lib, op, m, x, y: getattr(lib, op)(0.5, m, x, y),
          "function alpha": lambda lib, op, m, x, y: getattr(lib, op)(0.5, m, 3, x, y),
          "function out": lambda lib, op, m, x, y: getattr(lib, op)(0.5, m, 3, x, y, out=lib.empty(0)),
          "method": lambda lib, op, m, x, y: getattr(m, op)(0.5, x, y),
          "method alpha": lambda lib, op, m, x, y: getattr(m, op)(2, 3, x, y),
          "in-place": lambda lib, op, m, x, y: getattr(m.clone(), op + "_")(0.5, x, y),
          "in-place alpha": lambda lib, op, m, x, y: getattr(m.clone(), op + "_")(0.5, -1, x, y),
          "function, input first": lambda lib, op, m, x, y: getattr(lib, op)(m, 0.5, x, y),
          "function, a keyword": lambda lib, op, m, x, y: getattr(lib, op)(0.5, m, x, y, alpha=2),
          "function, a 0-d tensor beta": lambda lib, op, m, x, y: getattr(lib, op)(lib.tensor(0.5), m, x, y),
          "method, a keyword": lambda lib, op, m, x, y: getattr(m, op)(0.5, x, y, alpha=2),
          "method, a number for an operand": lambda lib, op, m, x, y: getattr(m, op)(0.5, 2, x),
          "method, three numbers": lambda lib, op, m, x, y: getattr(m, op)(0.5, 2, 3, x, y)}


@pytest.mark.parametrize("op", _PRODUCTS)
def test_scalars_first_forms_compute_and_warn_as_torch(op):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in _PRODUCTS[op]]
    for form, call in _FORMS.items():
        seen = []
        for lib in (torch, pyfront):
            lib.set_warn_always(True)  # (torch warns once a process: each time, here)
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    kind, got = _outcome(lambda call=call, lib=lib: call(lib, op, *map(lib.tensor, arrays)))
            finally:
                lib.set_warn_always(False)
            texts = [str(w.message).split(" (Triggered internally")[0] for w in caught]
            seen.append((kind, got.tolist() if kind == "ok" else got, texts))
        (tk, tv, tw), (pk, pv, pw) = seen
        assert (pk, pw) == (tk, tw), form
        if tk == "ok":
            np.testing.assert_allclose(pv, tv, rtol=1e-5, atol=1e-6, err_msg=form)
        else:
            assert pv == tv, form


def _torch_addmv_calls(lib):
    """torch.addmv_, the function: input first with keywords, its deprecated forms (beta, input, [alpha,]
    mat, vec) and their warning, and the method's form (beta after input) refused by torch's count."""
    def call(*args, **kwargs):
        x = lib.ones(2)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            kind, got = _outcome(lambda: lib.addmv_(*(x if a is None else a for a in args),
                                                    **{k: x if a is None else a for k, a in kwargs.items()}))
        texts = [str(w.message).split(" (Triggered internally")[0] for w in caught]
        return kind, got.tolist() if kind == "ok" else got, texts
    mat, vec = lib.arange(8.0).reshape(2, 4), lib.ones(4)
    lib.set_warn_always(True)
    try:
        return [call(None, mat, vec, beta=2, alpha=0.5), call(None, mat=mat, vec=vec),
                call(input=None, mat=mat, vec=vec), call(2, None, 3, mat, vec), call(2, None, mat, vec),
                call(lib.tensor(2.0), None, mat, vec), call(None, 2, mat, vec), call(None, 2, 3, mat, vec),
                call(None, mat), call(2, None, mat, vec, beta=3)]
    finally:
        lib.set_warn_always(False)


def test_torch_addmv__takes_the_functions_forms():
    assert _torch_addmv_calls(pyfront) == _torch_addmv_calls(torch)


@pytest.mark.parametrize("op", ["mm", "bmm", "addmm", "baddbmm"])
def test_methods_take_no_out_dtype_as_torch(op):
    # torch's functions have an out_dtype overload, its methods none: a refusal by the count of arguments
    shapes = {"mm": [(2, 2)], "bmm": [(1, 2, 2)], "addmm": [(2, 2), (2, 2)],
              "baddbmm": [(1, 2, 2), (1, 2, 2)]}
    seen = [_outcome(lambda lib=lib: getattr(lib.ones(*shapes[op][0]), op)(
        *(lib.ones(*s) for s in shapes[op]), lib.float32)) for lib in (torch, pyfront)]
    assert seen[1] == seen[0]


def _measurements(bench):
    """A grid of Measurements of fixed times (two labels, two thread counts, one env each way, a cell left
    empty, a spread wide enough for torch's warning), built through ``bench`` (torch's or pyfront's)."""
    rng = np.random.default_rng(1)
    out = []
    for label in ("Batched dot", "Sum"):
        for threads in (1, 4):
            for sub in ("[1, 1]", "[64, 1024]"):
                for desc, base in (("mul/sum", 3e-6), ("bmm", 4.1e-5)):
                    if label == "Sum" and desc == "bmm" and sub == "[1, 1]":
                        continue  # (an empty cell)
                    times = (base * (1 + rng.uniform(0, 0.5 if sub == "[1, 1]" else 0.02, 7))).tolist()
                    spec = bench.TaskSpec(stmt="f(x)", setup="pass", label=label, sub_label=sub,
                                          description=desc, env="py" if threads == 1 else "cpu",
                                          num_threads=threads)
                    out.append(bench.Measurement(number_per_run=10, raw_times=[t * 10 for t in times],
                                                 task_spec=spec))
    return out


@pytest.mark.parametrize("how", ["plain", "trim", "colorize", "rowwise", "warnings"])
def test_benchmark_compare_tables_as_torch(how):
    import torch.utils.benchmark as torch_bench
    from pyfront.utils import benchmark as our_bench
    tables = []
    for bench in (torch_bench, our_bench):
        compare = bench.Compare(_measurements(bench))
        if how in ("trim", "warnings"):
            compare.trim_significant_figures()
        if how in ("colorize", "rowwise"):
            compare.colorize(rowwise=how == "rowwise")
        if how == "warnings":
            compare.highlight_warnings()
        tables.append(str(compare))
    assert tables[1] == tables[0]


def test_benchmark_compare_refuses_what_torch_refuses():
    import torch.utils.benchmark as torch_bench
    from pyfront.utils import benchmark as our_bench
    seen = [_outcome(lambda b=b: b.Compare([1.5])) for b in (torch_bench, our_bench)]
    assert seen[1] == (seen[0][0], seen[0][1])


_FLAGS = ("has_lapack", "has_mkl", "has_openmp", "has_spectral", "has_cuda", "has_cudnn", "has_mkldnn",
          "has_mps")


def test_build_flags_read_and_warn_as_torch():
    for name in _FLAGS:
        seen = []
        for lib in (torch, pyfront):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                value = getattr(lib, name)
            # (the values are each build's own: pyfront has no MKL-DNN)
            seen.append((type(value), [(w.category, str(w.message), w.filename) for w in caught]))
        assert seen[1] == seen[0], name
    assert [getattr(pyfront, n) for n in ("has_cuda", "has_mps")] == [False, False]
    assert _outcome(lambda: pyfront.has_nothing) == ("AttributeError", "module 'pyfront' has no attribute "
                                                                        "'has_nothing'")


_HUBCONF = """dependencies = ['numpy']
import helper_mod
def entry(n, scale=1.0):
    '''An entry point.'''
    return [helper_mod.twice(i) * scale for i in range(n)]
not_callable = 3
def _private():
    return 0
"""


@pytest.mark.parametrize("call", [
    lambda hub, d: hub.load(d, "entry", 3, scale=0.5, source="local"),
    lambda hub, d: hub.load(d, "entry", 2, source="LOCAL"),
    lambda hub, d: hub.load(d, "not_callable", source="local"),
    lambda hub, d: hub.load(d, "missing", source="local"),
    lambda hub, d: hub.load(d, 1, source="local"),
    lambda hub, d: hub.load(d, "entry", 1, source="zip"),
    lambda hub, d: hub.load(d, "entry", source="local"),
])
def test_hub_load_local_as_torch(call, tmp_path):
    (tmp_path / "hubconf.py").write_text(_HUBCONF)
    (tmp_path / "helper_mod.py").write_text("def twice(x):\n    return 2 * x\n")
    seen = [_outcome(lambda hub=hub: call(hub, str(tmp_path))) for hub in (torch.hub, pyfront.hub)]
    assert seen[1] == seen[0]
    assert str(tmp_path) not in __import__("sys").path


def test_hub_load_checks_dependencies_as_torch(tmp_path):
    (tmp_path / "hubconf.py").write_text("dependencies = ['numpy', 'no_such_pkg_s34', 'nor_this']\n"
                                         "def m():\n    return 1\n")
    seen = [_outcome(lambda hub=hub: hub.load(str(tmp_path), "m", source="local"))
            for hub in (torch.hub, pyfront.hub)]
    assert seen[1] == seen[0] == ("RuntimeError", "Missing dependencies: no_such_pkg_s34, nor_this")


# torch 2.9+'s fp32 precision settings and the legacy TF32 switches, set in sequence (each in a fresh
# process state: torch's settings are process-wide); after each step every setting and switch is read
_READS = ("fp32_precision", "cuda.matmul.fp32_precision", "cuda.matmul.allow_tf32", "cudnn.fp32_precision",
          "cudnn.conv.fp32_precision", "cudnn.rnn.fp32_precision", "cudnn.allow_tf32",
          "mkldnn.fp32_precision",
          "mkldnn.matmul.fp32_precision", "mkldnn.conv.fp32_precision", "mkldnn.rnn.fp32_precision",
          "cuda.matmul.allow_fp16_reduced_precision_reduction",
          "cuda.matmul.allow_fp16_reduced_precision_reduction_split_k",
          "cuda.matmul.allow_bf16_reduced_precision_reduction_split_k", "cuda.matmul.allow_fp16_accumulation",
          "cuda.matmul.allow_tf23")
_SEQUENCES = [
    [("cuda.matmul.fp32_precision", "tf32")], [("fp32_precision", "ieee")], [("fp32_precision", "tf32")],
    [("cudnn.conv.fp32_precision", "ieee"), ("cudnn.rnn.fp32_precision", "ieee"),
     ("cudnn.allow_tf32", False)],
    [("mkldnn.fp32_precision", "bf16")], [("mkldnn.matmul.fp32_precision", "bf16"), ("matmul", "medium")],
    [("matmul", "high"), ("cuda.matmul.allow_tf32", False)],
    [("cudnn.allow_tf32", False), ("fp32_precision", "tf32")],
    [("cuda.matmul.fp32_precision", "bf16")], [("cudnn.conv.fp32_precision", "TF32")],
    [("cuda.matmul.fp32_precision", 3)], [("cudnn.conv.other", 1)], [("cuda.matmul.allow_tf32", True)],
    # cuBLAS's reduced-precision switches (one or two bools), and a mistyped switch refused
    [("cuda.matmul.allow_fp16_reduced_precision_reduction", (False, False)),
     ("cuda.matmul.allow_bf16_reduced_precision_reduction", [False]),
     ("cuda.matmul.allow_fp16_reduced_precision_reduction", 1), ("cuda.matmul.allow_fp16_accumulation", True),
     ("cuda.matmul.allow_fp16_reduced_precision_reduction_split_k", False), ("cuda.matmul.allow_tf23", True)],
    [("cuda.matmul.allow_fp16_accumulation", 1)], [("cuda.matmul.allow_fp16_accumulation", None)],
]


def _walk(lib, path):
    *head, last = path.split(".")
    obj = lib.backends
    for name in head:
        obj = getattr(obj, name)
    return obj, last


def _in_fork(fn):
    """``fn()``'s repr, computed in a forked child (a fresh copy of this process's settings)."""
    import os
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its answer down the pipe, then gone
        os.close(read)
        with os.fdopen(write, "w") as f:
            f.write(repr(fn()))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        out = f.read()
    os.waitpid(pid, 0)
    return out


def _run_sequence(lib, steps):
    seen = []
    for path, value in steps:
        if path == "matmul":
            seen.append(_outcome(lambda value=value: lib.set_float32_matmul_precision(value)))
        else:
            seen.append(_outcome(lambda path=path, value=value: setattr(*_walk(lib, path), value)))
        seen.append([_outcome(lambda p=p: getattr(*_walk(lib, p))) for p in _READS])
        seen.append(_outcome(lib.get_float32_matmul_precision))
    return seen


@pytest.mark.parametrize("case", range(len(_SEQUENCES)))
def test_fp32_precision_settings_as_torch(case):
    steps = _SEQUENCES[case]
    seen = [_in_fork(lambda lib=lib: _run_sequence(lib, steps)) for lib in (torch, pyfront)]
    assert seen[1] == seen[0]


def test_cpu_capability_heeds_aten_cpu_capability_as_torch():
    """ATEN_CPU_CAPABILITY lowers torch's dispatch level (its lowercase names; others ignored): the answer
    addr's bit-exact kernel reads its vector width from."""
    import subprocess
    import sys
    code = "import {0}; print({0}.backends.cpu.get_cpu_capability())"
    for asked in ("avx2", "default", "avx512", "AVX2", ""):
        env = {**__import__("os").environ, "ATEN_CPU_CAPABILITY": asked}
        found = [subprocess.run([sys.executable, "-W", "ignore", "-c", code.format(lib)], env=env,
                                capture_output=True, text=True).stdout for lib in ("torch", "pyfront")]
        assert found[0] == found[1], (asked, found)

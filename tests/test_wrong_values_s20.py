"""Wrong types and values found by a fresh user, as kinds, against torch 2.13 (type and text):

* every ``torch.special`` function, every argument replaced by wrong values (tests/badargs.py's
  generator; a Python number where the tensor goes was an AttributeError or a missing-argument error);
* arange's and range's NaN, inf and zero steps and bounds;
* a new tensor whose bytes or strides overflow int64, or a size past int64, in every factory;
* None given to a bool flag, in every op-table function and Tensor method with one;
* a device index past the devices, wherever a tensor is placed.
"""
from __future__ import annotations

import inspect
import math

import pytest
import torch

import pyfront
from badargs import _resolve, bases, cases, compare
from optable import assert_same_error
from webgpu_required import requires_webgpu

# torch.special's functions whose op-table rows are under their torch-level twin's name
TWINS = {"digamma": "digamma", "psi": "digamma", "erf": "erf", "erfc": "erfc", "erfinv": "erfinv",
         "exp2": "exp2", "expit": "sigmoid", "expm1": "expm1", "gammaln": "lgamma", "i0": "i0",
         "log1p": "log1p", "log_softmax": "log_softmax", "logit": "logit", "logsumexp": "logsumexp",
         "multigammaln": "mvlgamma", "polygamma": "polygamma", "round": "round", "sinc": "sinc",
         "softmax": "softmax", "xlogy": "xlogy", "gammainc": "igamma", "gammaincc": "igammac"}


def _special_bases():
    own = bases([f"special.{n}" for n in torch.special.__all__])
    twins = bases(set(TWINS.values()))
    out = {n: own.get(f"special.{n}") or twins.get(TWINS.get(n)) for n in torch.special.__all__}
    return {f"special.{n}": b for n, b in out.items() if b is not None}


SPECIAL = _special_bases()


def test_every_special_function_has_valid_calls():
    assert sorted(SPECIAL) == sorted(f"special.{n}" for n in torch.special.__all__)


# the wrong calls whose outcome still differs (values, not errors), exactly
KNOWN = {"special.polygamma": {"n=100": "polygamma(100, x): accuracy at such an order"}}


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_special_functions_refuse_wrong_arguments_as_torch(name):
    rows, domain = SPECIAL[name]
    got = {label: m for label, (args, kwargs) in cases(name, rows).items()
           if (m := compare(name, args, kwargs, domain))}
    assert set(got) == set(KNOWN.get(name, {})), "\n".join(f"  {k}: {v}" for k, v in got.items())


def _same_outcome(call):
    """``call(lib)`` ends as torch's: the same exception (type and text) or the same values."""
    try:
        expected = call(torch)
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        with pytest.raises(type(e)) as got:
            call(pyfront)
        if "Overflow when unpacking long long" in str(e):  # torch's text goes on with a C++ backtrace
            assert str(got.value) == str(e).split("\n")[0]
        else:
            assert_same_error(got.value, e)
        return
    got = call(pyfront)
    assert got.tolist() == pytest.approx(expected.tolist(), nan_ok=True)


NAN, INF = math.nan, math.inf
RANGES = [(0, NAN), (0, INF), (0, -INF), (NAN,), (INF,), (NAN, 1), (0, 10, 0), (0, 10, 0.0), (0, 10, NAN),
          (0, 10, INF), (0, 10, -1), (0.5, INF, 2), (-INF, 0, 1), (0, 3)]


@pytest.mark.parametrize("fn", ["arange", "range"])
@pytest.mark.parametrize("bounds", RANGES, ids=str)
def test_range_bounds_and_steps(fn, bounds):
    if fn == "range" and len(bounds) == 1:
        bounds = (0, *bounds)
    with pytest.warns(UserWarning) if fn == "range" else _nothing():
        _same_outcome(lambda lib: getattr(lib, fn)(*bounds))


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("ends", [(0, NAN, 5), (NAN, 1, 5), (0, INF, 5), (-INF, INF, 3), (0, 1, -1)], ids=str)
def test_linspace_and_logspace_ends(ends):
    _same_outcome(lambda lib: lib.linspace(*ends))
    _same_outcome(lambda lib: lib.logspace(*ends))


@pytest.mark.parametrize("fn", ["linspace", "logspace"])
@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int16", "complex64"])
def test_range_counts_no_memory_holds(fn, dtype):
    """torch allocates the result first: its allocator's error at once, not a fill of 2**40 values."""
    for steps in (2 ** 60, 2 ** 40):
        _same_outcome(lambda lib: getattr(lib, fn)(0, 1, steps, dtype=getattr(lib, dtype)))


FACTORIES = {
    "empty": lambda lib, s, d: lib.empty(*s, dtype=d), "zeros": lambda lib, s, d: lib.zeros(s, dtype=d),
    "ones": lambda lib, s, d: lib.ones(*s, dtype=d), "full": lambda lib, s, d: lib.full(s, 1, dtype=d),
    "rand": lambda lib, s, d: lib.rand(*s, dtype=d), "randn": lambda lib, s, d: lib.randn(s, dtype=d),
    "randint": lambda lib, s, d: lib.randint(0, 5, s),
    "new_zeros": lambda lib, s, d: lib.ones(2).new_zeros(s),
    "new_empty": lambda lib, s, d: lib.ones(2).new_empty(s),
    "new_ones": lambda lib, s, d: lib.ones(2).new_ones(s),
}
SIZES = [(2 ** 62,), (2 ** 61,), (2 ** 60,), (2 ** 40, 2 ** 40), (2 ** 31, 2 ** 32), (2 ** 40, 2 ** 40, 0),
         (0, 2 ** 40, 2 ** 40), (2 ** 62, 0), (2 ** 63,), (3, 2 ** 63), (2 ** 64,)]


@pytest.mark.parametrize("factory", sorted(FACTORIES))
@pytest.mark.parametrize("dtype", ["float32", "float64", "bool"])
@pytest.mark.parametrize("size", SIZES, ids=str)
def test_sizes_past_int64(factory, dtype, size):
    """Checked before anything is allocated or drawn (a size torch accepts here has no element)."""
    if factory in ("rand", "randn") and dtype == "bool":
        return
    _same_outcome(lambda lib: FACTORIES[factory](lib, size, getattr(lib, dtype)).shape and lib.zeros(1))


def _flag_cases():
    """(name, label, args, kwargs, domain): each op-table function with a bool flag, the flag None (torch's
    F functions read most flags by truth: the same outcome is asked of them)."""
    out = []
    for name, (rows, domain) in sorted(bases().items()):
        params = inspect.signature(_resolve(pyfront, name)).parameters.values()
        flags = {p.name for p in params if isinstance(p.default, bool)}
        out += [(name, label, a, k, domain) for label, (a, k) in cases(name, rows).items()
                if label.endswith("=none") and label.split("=")[0] in flags]
    return out


FLAG_CASES = _flag_cases()


def test_flags_are_found():
    assert len(FLAG_CASES) > 40, len(FLAG_CASES)


@pytest.mark.parametrize("name,label,args,kwargs,domain", FLAG_CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in FLAG_CASES])
def test_none_for_a_bool_flag(name, label, args, kwargs, domain):
    assert compare(name, args, kwargs, domain) is None


METHOD_FLAGS = [("sum", (0,), "keepdim"), ("mean", (0,), "keepdim"), ("amax", (0,), "keepdim"),
                ("amin", (0,), "keepdim"), ("max", (0,), "keepdim"), ("min", (0,), "keepdim"),
                ("prod", (0,), "keepdim"), ("any", (0,), "keepdim"), ("all", (0,), "keepdim"),
                ("argmax", (0,), "keepdim"), ("argmin", (0,), "keepdim"), ("std", (0,), "keepdim"),
                ("var", (0,), "keepdim"), ("median", (0,), "keepdim"), ("logsumexp", (0,), "keepdim"),
                ("norm", (), "keepdim"), ("sort", (), "descending"), ("argsort", (), "descending"),
                ("topk", (1,), "largest"), ("topk", (1,), "sorted"), ("cumsum", (0,), "dim"),
                ("nansum", (0,), "keepdim"), ("sum", (), "keepdim")]


@pytest.mark.parametrize("method,args,flag", METHOD_FLAGS,
                         ids=[f"{m}-{f}-{len(a)}" for m, a, f in METHOD_FLAGS])
@pytest.mark.parametrize("positional", [False, True])
def test_none_for_a_method_flag(method, args, flag, positional):
    """Keyword and, where the flag follows the arguments given, positional."""
    def call(lib):
        t = lib.tensor([[1.0, 3.0], [2.0, 0.5]])
        if positional and flag == "keepdim" and args and method not in ("std", "var"):  # theirs: unbiased
            return getattr(t, method)(*args, None)
        return getattr(t, method)(*args, **{flag: None})
    _same_outcome(call)


DEVICES = ["webgpu:1", "webgpu:5", "gpu:2", 1, 3]


@requires_webgpu
@pytest.mark.parametrize("where", DEVICES, ids=str)
def test_device_index_past_the_devices(where):
    """torch's XPU check (a GPU with one device; see pyfront/backends/__init__.py) wherever a tensor
    is placed; cpu ignores an index, as torch does."""
    index = where if isinstance(where, int) else int(where.split(":")[1])
    text = f"The device index is out of range. It must be in [0, 1), but got {index}."
    cpu = pyfront.ones(2)
    for place in (lambda: pyfront.ones(3, device=where), lambda: pyfront.tensor([1.0], device=where),
                  lambda: cpu.to(where), lambda: pyfront.zeros_like(cpu, device=where),
                  lambda: pyfront.arange(3, device=where), lambda: pyfront.rand(2, device=where)):
        with pytest.raises(RuntimeError) as e:
            place()
        assert str(e.value) == text
    assert pyfront.device(where if isinstance(where, str) else "webgpu").type == "webgpu"  # names it
    assert pyfront.ones(3, device="webgpu:0").device == pyfront.device("webgpu:0")


def test_a_cpu_index_is_ignored_as_torch():
    for where in ("cpu:1", "cpu:7", pyfront.device("cpu", 3)):
        t = pyfront.ones(2, device=where)
        assert str(t.device) == str(torch.ones(2, device=str(where)).device) == "cpu"


# flags torch refuses None for and those it takes None for (factories' requires_grad): either way, as torch
OTHER_FLAGS = {
    "copy_": lambda L, y: y.clone().copy_(y, non_blocking=None),
    "isclose": lambda L, y: y.isclose(y, equal_nan=None),
    "allclose": lambda L, y: L.tensor(y.allclose(y, equal_nan=None)),
    "gather": lambda L, y: y.gather(0, L.tensor([0]), sparse_grad=None),
    "new_zeros": lambda L, y: y.new_zeros(2, requires_grad=None),
    "zeros": lambda L, y: L.zeros(2, requires_grad=None), "ones": lambda L, y: L.ones(2, requires_grad=None),
    "tensor": lambda L, y: L.tensor([1.0], requires_grad=None),
    "requires_grad_": lambda L, y: y.clone().requires_grad_(None),
    "multinomial": lambda L, y: y.multinomial(2, replacement=None),
    "histogram": lambda L, y: L.histogram(y, 3, density=None),
    "fill_diagonal_": lambda L, y: L.eye(3).fill_diagonal_(1.0, wrap=None),
    "index_put": lambda L, y: y.index_put((L.tensor([0]),), L.tensor(1.0), accumulate=None),
    "cholesky": lambda L, y: L.cholesky(L.eye(3), upper=None),
    "nonzero": lambda L, y: L.nonzero(y, as_tuple=None),
    "searchsorted": lambda L, y: L.searchsorted(y, y, right=None),
    "argsort": lambda L, y: L.argsort(y, stable=None), "sort": lambda L, y: L.sort(y, stable=None).values,
    "std_mean": lambda L, y: L.std_mean(y, 0, keepdim=None),
    "unique": lambda L, y: L.unique(y, return_counts=None),
    "norm": lambda L, y: y.norm(dim=0, keepdim=None),
}


@pytest.mark.parametrize("name", sorted(OTHER_FLAGS))
def test_none_for_other_flags(name):
    _same_outcome(lambda lib: OTHER_FLAGS[name](lib, lib.tensor([1.0, 2.0, 3.0])))

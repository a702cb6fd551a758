"""repr/str of tensors against real torch: the same tensors built in both libraries must print alike."""

import math

import numpy as np
import pytest
import torch

import pyfront
from pyfront.backends import _BACKENDS
from pyfront.backends.numpy import NumpyBackend
from pyfront.backends.storage import Storage


@pytest.fixture(autouse=True)
def _restore_print_state():
    yield
    for lib in (torch, pyfront):
        lib.set_printoptions(profile="default")
        lib.set_default_dtype(lib.float32)


def normal(seed, shape, scale=1.0, dtype="float32"):
    with np.errstate(over="ignore"):  # float16 of large values: inf, on purpose
        return (np.random.RandomState(seed).standard_normal(shape) * scale).astype(dtype)


def integers(seed, shape, low, high, dtype):
    return np.random.RandomState(seed).randint(low, high, size=shape).astype(dtype)


def from_np(lib, a, requires_grad=False):
    t = lib.from_numpy(a.copy())
    return t.requires_grad_() if requires_grad else t


def leaf(lib, values, dtype=None):
    return lib.tensor(values, dtype=None if dtype is None else getattr(lib, dtype), requires_grad=True)


NAN, INF = math.nan, math.inf

# name -> builder(lib): each builds the same tensor in torch and in pyfront
CASES = {
    # floats: notation chosen from the values
    "f32_1d": lambda lib: from_np(lib, normal(0, (5,))),
    "f32_int_valued": lambda lib: lib.tensor([1.0, 2.0]),
    "f32_int_valued_2d": lambda lib: lib.tensor([[1.0, -20.0], [300.0, 4.0]]),
    "f32_int_valued_huge": lambda lib: lib.tensor([1.0, 1e9]),
    "f32_int_valued_ratio": lambda lib: lib.tensor([1.0, 2000.0]),
    "f32_mixed_magnitudes": lambda lib: lib.tensor([1e-5, 1e5]),
    "f32_tiny": lambda lib: lib.tensor([1e-5, 2e-5]),
    "f32_just_below_1e8": lambda lib: lib.tensor([5e7, 9e7]),
    "f32_above_1e8": lambda lib: lib.tensor([2e8, 3e8]),
    "f32_ratio_1000": lambda lib: lib.tensor([1.0, 1000.0]),
    "f32_ratio_above_1000": lambda lib: lib.tensor([0.5, 1000.0]),
    "f32_min_1e-4": lambda lib: lib.tensor([1e-4, 1e-3], dtype=lib.float64),
    "f32_nonfinite": lambda lib: lib.tensor([NAN, INF, -INF, 1.5]),
    "f32_nonfinite_int": lambda lib: lib.tensor([NAN, INF, -INF, 1.0, 20.0]),
    "f32_nonfinite_sci": lambda lib: lib.tensor([NAN, INF, 1e-7, 3.0]),
    "f32_only_nonfinite": lambda lib: lib.tensor([NAN, INF, -INF]),
    "f32_zeros": lambda lib: lib.zeros(3),
    "f32_neg_zero": lambda lib: lib.tensor([-0.0, 0.0]),
    "f32_neg_zero_int": lambda lib: lib.tensor([-0.0, 1.0]),
    "f32_neg_zero_frac": lambda lib: lib.tensor([-0.0, 1.5]),
    "f32_neg_zero_sci": lambda lib: lib.tensor([-0.0, 1e-5, 1e5]),
    "f32_neg_frac": lambda lib: lib.tensor([-1.25, 3.5, -0.0001]),
    "f64_1d": lambda lib: from_np(lib, normal(1, (6,), dtype="float64")),
    "f64_int_valued": lambda lib: lib.tensor([1.0, 2.0], dtype=lib.float64),
    "f64_precise": lambda lib: lib.tensor([1 / 3, 2 / 3, 1e-3], dtype=lib.float64),
    "f16_1d": lambda lib: from_np(lib, normal(2, (7,), dtype="float16")),
    "f16_2d_scaled": lambda lib: from_np(lib, normal(3, (3, 4), 100.0, dtype="float16")),
    "f16_overflow": lambda lib: from_np(lib, normal(4, (4,), 1e5, dtype="float16")),
    # 0-d
    "scalar_f32": lambda lib: lib.tensor(3.5),
    "scalar_int_valued": lambda lib: lib.tensor(2.0),
    "scalar_neg_zero": lambda lib: lib.tensor(-0.0),
    "scalar_nan": lambda lib: lib.tensor(NAN),
    "scalar_neg_inf": lambda lib: lib.tensor(-INF),
    "scalar_tiny": lambda lib: lib.tensor(1e-8),
    "scalar_f64": lambda lib: lib.tensor(0.1, dtype=lib.float64),
    "scalar_int": lambda lib: lib.tensor(7),
    "scalar_int8": lambda lib: lib.tensor(-7, dtype=lib.int8),
    "scalar_bool": lambda lib: lib.tensor(True),
    # integer and bool dtypes
    "i64": lambda lib: from_np(lib, integers(5, (3, 4), -1000, 1000, "int64")),
    "i64_huge": lambda lib: lib.tensor([2**62, -3]),
    "i32": lambda lib: from_np(lib, integers(6, (2, 5), -50, 50, "int32")),
    "i16": lambda lib: from_np(lib, integers(7, (6,), -30000, 30000, "int16")),
    "i8": lambda lib: from_np(lib, integers(8, (2, 2, 3), -128, 128, "int8")),
    "u8": lambda lib: from_np(lib, integers(9, (4, 4), 0, 256, "uint8")),
    "bool": lambda lib: from_np(lib, integers(10, (2, 5), 0, 2, "bool")),
    # empty and zero-size
    "empty": lambda lib: lib.tensor([]),
    "empty_0x3": lambda lib: lib.zeros(0, 3),
    "empty_i64": lambda lib: lib.zeros(0, dtype=lib.int64),
    "empty_2x0x4_f64": lambda lib: lib.zeros(2, 0, 4, dtype=lib.float64),
    "empty_bool": lambda lib: lib.zeros(0, dtype=lib.bool),
    "empty_f16_3x0": lambda lib: lib.zeros(3, 0, dtype=lib.float16),
    # several dims and scales
    **{
        f"f32_2d_scale_{s:g}": (lambda s: lambda lib: from_np(lib, normal(11, (4, 5), s)))(s)
        for s in (1e-6, 1e-3, 1.0, 1e3, 1e5, 1e9)
    },
    **{
        f"f64_3d_scale_{s:g}": (lambda s: lambda lib: from_np(lib, normal(12, (2, 3, 4), s, "float64")))(s)
        for s in (1e-4, 1.0, 1e4)
    },
    "f32_3d": lambda lib: from_np(lib, normal(13, (3, 2, 4))),
    "f32_4d": lambda lib: from_np(lib, normal(14, (2, 2, 3, 2))),
    "i64_4d": lambda lib: from_np(lib, integers(15, (2, 3, 2, 2), -9, 10, "int64")),
    "f32_size1_dims": lambda lib: from_np(lib, normal(16, (1, 1, 3))),
    # long rows wrap at linewidth 80, nested rows indent further
    "f32_long_row": lambda lib: from_np(lib, normal(17, (40,))),
    "f32_long_rows_3d": lambda lib: from_np(lib, normal(18, (2, 2, 30))),
    "i64_long_row": lambda lib: lib.arange(200),
    "bool_long_row": lambda lib: from_np(lib, integers(19, (60,), 0, 2, "bool")),
    "f64_sci_long_row": lambda lib: from_np(lib, normal(20, (3, 25), 1e6, "float64")),
    # summarised beyond 1000 elements
    "arange_2000": lambda lib: lib.arange(2000),
    "exactly_1000": lambda lib: from_np(lib, normal(21, (1000,))),
    "f32_1001": lambda lib: from_np(lib, normal(22, (1001,))),
    "f32_40x40": lambda lib: from_np(lib, normal(23, (40, 40))),
    "f32_tall_2000x1": lambda lib: from_np(lib, normal(24, (2000, 1))),
    "f32_wide_2x600": lambda lib: from_np(lib, normal(25, (2, 600))),
    "f64_3d_big": lambda lib: from_np(lib, normal(26, (11, 12, 13), 1e4, "float64")),
    "f32_4d_big": lambda lib: from_np(lib, normal(27, (8, 8, 8, 8))),
    "i8_big": lambda lib: from_np(lib, integers(28, (50, 50), -128, 128, "int8")),
    "bool_big": lambda lib: from_np(lib, integers(29, (30, 40), 0, 2, "bool")),
    # the middle of a summarised tensor does not decide the notation: only printed values count
    "summarised_hidden_outlier": lambda lib: from_np(
        lib, np.concatenate([np.ones(600, "float32"), np.full(10, 1e9, "float32"), np.ones(600, "float32")])
    ),
    # non-contiguous views
    "transposed": lambda lib: from_np(lib, normal(30, (3, 5))).t(),
    "transposed_big": lambda lib: from_np(lib, normal(31, (40, 50))).t(),
    "permuted_big": lambda lib: from_np(lib, normal(32, (10, 11, 12))).permute(2, 0, 1),
    "narrowed": lambda lib: from_np(lib, normal(33, (6, 7))).narrow(1, 2, 3),
    "expanded_big": lambda lib: from_np(lib, normal(34, (1, 5))).expand(400, 5),
    "selected": lambda lib: from_np(lib, normal(35, (4, 5, 6))).select(1, 2),
    # autograd suffixes
    "leaf": lambda lib: leaf(lib, [1.0, 2.0]),
    "leaf_scalar": lambda lib: leaf(lib, 0.5),
    "leaf_f64": lambda lib: from_np(lib, normal(36, (4, 5), dtype="float64"), requires_grad=True),
    "leaf_empty": lambda lib: lib.zeros(0, 3, requires_grad=True),
    "leaf_big": lambda lib: from_np(lib, normal(37, (50, 30)), requires_grad=True),
    "mul": lambda lib: leaf(lib, [1.0, 2.0, 3.0]) * 2,
    "add": lambda lib: leaf(lib, [1.0, 2.0]) + lib.tensor([0.5, 0.25]),
    "exp": lambda lib: leaf(lib, [[0.0, 1.0], [2.0, 3.0]]).exp(),
    "mul_f64_scalar": lambda lib: leaf(lib, 3.0, "float64") * leaf(lib, 4.0, "float64"),
    "exp_big": lambda lib: from_np(lib, normal(38, (40, 30)), requires_grad=True).exp(),
    # the suffixes move to their own line when the last line is too long
    **{
        f"mul_f64_len{n}": (
            lambda n: lambda lib: from_np(lib, normal(39, (n,), dtype="float64"), requires_grad=True) * 3
        )(n)
        for n in range(3, 10)
    },
    **{
        f"leaf_f16_len{n}": (
            lambda n: lambda lib: from_np(lib, normal(40, (n,), dtype="float16"), requires_grad=True)
        )(n)
        for n in range(5, 11)
    },
}


def _check(name):
    expected, got = CASES[name](torch), CASES[name](pyfront)
    assert repr(got) == repr(expected), f"{name}:\n{got!r}\n!=\n{expected!r}"
    assert str(got) == str(expected)


@pytest.mark.parametrize("name", list(CASES))
def test_repr_matches_torch(name):
    _check(name)


# exp's last float32 bits may differ between NumPy and torch: shown at precision 8, they would differ
EXACT_CASES = [name for name in CASES if not name.startswith("exp")]

OPTION_SETS = [
    {"precision": 2},
    {"precision": 8},
    {"precision": 0},
    {"threshold": 5},
    {"threshold": 5, "edgeitems": 1},
    {"edgeitems": 1},
    {"edgeitems": 0},
    {"threshold": 5, "edgeitems": 0},
    {"threshold": 0},
    {"threshold": 10, "edgeitems": 6},
    {"linewidth": 40},
    {"linewidth": 200},
    {"linewidth": 1},
    {"profile": "short"},
    {"profile": "full"},
    {"profile": "full", "precision": 3},
    {"sci_mode": True},
    {"sci_mode": False},
    {"sci_mode": True, "precision": 1},
]


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()))
def test_printoptions_match_torch(options):
    torch.set_printoptions(**options)
    pyfront.set_printoptions(**options)
    assert pyfront.get_printoptions() == torch._tensor_str.get_printoptions()
    for name in EXACT_CASES:
        _check(name)


def test_printoptions_sequence_matches_torch():
    # every call resets sci_mode, a profile resets what it names, an unknown profile changes nothing
    calls = [
        {"precision": 6, "sci_mode": True},
        {"edgeitems": 2},
        {"profile": "unknown", "linewidth": 50},
        {"profile": "short", "threshold": 20},
    ]
    for call in calls:
        torch.set_printoptions(**call)
        pyfront.set_printoptions(**call)
        assert pyfront.get_printoptions() == torch._tensor_str.get_printoptions()
        for name in ("f32_2d_scale_1", "f32_40x40", "i64_long_row", "f32_mixed_magnitudes"):
            _check(name)


def test_get_printoptions_round_trips():
    pyfront.set_printoptions(precision=3, edgeitems=1, sci_mode=False)
    saved = pyfront.get_printoptions()
    pyfront.set_printoptions(profile="full")
    pyfront.set_printoptions(**saved)
    assert pyfront.get_printoptions() == saved


@pytest.mark.parametrize(
    "name", ["f32_int_valued", "f64_1d", "scalar_f64", "empty", "empty_2x0x4_f64", "leaf_f64", "i32"]
)
def test_default_dtype_float64(name):
    # the dtype suffix is left out for the default dtype, whichever it is
    torch.set_default_dtype(torch.float64)
    pyfront.set_default_dtype(pyfront.float64)
    _check(name)


def test_subclass_prints_its_name():
    class Sub(torch.Tensor):
        pass

    class PSub(pyfront.Tensor):
        pass

    base = pyfront.tensor([1.0, 2.0])
    got = PSub._make(base._storage, base.shape, base.dtype)
    expected = torch.tensor([1.0, 2.0]).as_subclass(Sub)
    assert repr(got).replace("PSub", "Sub") == repr(expected)


def _on_webgpu(t, monkeypatch):
    """A tensor whose storage reports device webgpu:0 (read back through the NumPy backend)."""
    monkeypatch.setitem(_BACKENDS, "webgpu", NumpyBackend())
    storage = Storage(t._storage.data, pyfront.device("webgpu:0"), t._storage.nbytes)
    w = pyfront.Tensor._make(storage, t.shape, t.dtype, t.stride(), t.storage_offset())
    w._requires_grad, w._grad_fn = t.requires_grad, t.grad_fn  # keep the autograd suffixes
    return w


@pytest.mark.parametrize(
    "name", ["f32_int_valued", "f64_int_valued", "empty_0x3", "scalar_int", "leaf", "mul", "i64", "f32_3d"]
)
def test_non_cpu_device_suffix(name, monkeypatch):
    # torch names a non-default device first among the suffixes ("device='cuda:0'"); CPU-only torch
    # cannot make one, so the expectation is torch's CPU text with that suffix put first (these
    # cases are short enough that the extra suffix moves no other suffix to a new line)
    got = repr(_on_webgpu(CASES[name](pyfront), monkeypatch))
    cpu = repr(CASES[name](torch))
    cut = min(
        [cpu.find(m) for m in (", size=", ", dtype=", ", requires_grad=", ", grad_fn=") if m in cpu],
        default=len(cpu) - 1,
    )
    assert got == cpu[:cut] + ", device='webgpu:0'" + cpu[cut:]


def test_printing_reads_only_the_printed_elements(monkeypatch):
    # summarising must read back the edges only, not the whole tensor (costly on the GPU)
    t = pyfront.from_numpy(normal(41, (300, 400)))
    seen = []
    original = NumpyBackend.to_list

    def spy(self, x):
        seen.append(x.numel())
        return original(self, x)

    monkeypatch.setattr(NumpyBackend, "to_list", spy)
    expected = repr(torch.from_numpy(normal(41, (300, 400))))
    assert repr(t) == expected
    assert seen == [36]

"""Every argument of the functions added last stop, and of the special functions, replaced by wrong
values (None, a string, a list, a float where an int goes, negative and zero sizes, nan/inf, a bool,
tensors of another dtype or shape; tests/badargs.py makes them): pyfront's outcome is torch's, the
same exception type and text, or the same value (and warnings).

``KNOWN`` counts, per function, the wrong calls that still differ from torch, and says why; the
count is exact, so a fix (or a new fault) fails the test until the line changes.
"""
from __future__ import annotations

import ast

import pytest
import torch

import pyfront
from badargs import bases, cases, compare, scope
from webgpu_required import requires_webgpu

NORM_SHAPES = "ATen's shape and dtype checks of the weights and running statistics, not reproduced"
POOL = "max_pool1d(stride=0): pyfront reads a 0 stride as none given (the kernel size)"
CONV = "a bias dtype checked before its shape"
KNOWN = {
    "set_flush_denormal": (1, "deliberate: pyfront cannot flush denormals (NumPy, WGSL) and answers False"),
    "adaptive_max_pool1d": (3, "ATen's messages for a 0-d or wrong-rank input"),
    "arange": (12, "arange's call forms are pyfront's own (no parsed signature): messages of its parser"),
    "batch_norm": (2, NORM_SHAPES),
    "binary_cross_entropy_with_logits": (10, NORM_SHAPES),
    "broadcast_shapes": (2, "torch.Size's check of the shapes' element types"),
    "channel_shuffle": (2, "ATen's group-count checks"),
    "combinations": (1, "combinations(r=-1): torch's RuntimeError"),
    "constant_pad_nd": (2, "ATen's padding-length checks"),
    "corrcoef": (1, "a 3-d input: the message names cov(), torch's corrcoef()"),
    "cosine_embedding_loss": (9, NORM_SHAPES),
    "group_norm": (6, NORM_SHAPES),
    "hinge_embedding_loss": (5, NORM_SHAPES),
    "hsplit": (1, "hsplit of a 0-d tensor: torch's message"),
    "instance_norm": (2, NORM_SHAPES),
    "kaiser_window": (1, "beta=100: torch's float32 Bessel I0 (Cephes) against pyfront's series"),
    "margin_ranking_loss": (4, NORM_SHAPES),
    "matrix_power": (1, "a non-square input: torch's message"),
    "max_pool1d": (1, POOL),
    "max_pool2d": (1, POOL),
    "native_channel_shuffle": (2, "ATen's group-count checks"),
    "pdist": (3, "p nan/inf and a negative p: torch's messages"),
    "poisson_nll_loss": (4, NORM_SHAPES),
    "polygamma": (1, "polygamma(n=-1): torch's message"),
    "triplet_margin_loss": (13, NORM_SHAPES),
    "unravel_index": (12, "torch's Python-level checks of indices and shape"),
    "vsplit": (1, "vsplit of a 1-d tensor: torch's message"),
    "adaptive_avg_pool1d": (3, "a negative output size: torch's message names adaptive_avg_pool2d"),
    "conv2d": (1, CONV),
    "rms_norm": (4, "its dtype-mismatch warning (no fused kernel)"),
}
BASES = bases(scope())
# torch.nn.functional's functions: the op table's F rows and EXTRA's, each wrong call against torch's.
# Their known differences, per function: checks torch's Python-level F functions make before the C++
# call they hand the arguments to (pyfront's F functions are Python throughout), ATen's shape and dtype
# messages (weights, running statistics, pooling sizes, conv dtypes), and wrong sizes in the
# per-step functions (linear, conv*) that pyfront computes with, where torch's parser refuses them
# (their check runs on failure only: issue 13's per-call cost)
F_BASES = {n: b for n, b in bases().items() if n.startswith("nn.functional.")}
KNOWN_F = {
    "adaptive_avg_pool1d": 2, "adaptive_max_pool1d": 2,
    "affine_grid": 10,
    "alpha_dropout": 9, "avg_pool2d": 1, "batch_norm": 13,
    "binary_cross_entropy_with_logits": 7, "conv1d": 15, "conv2d": 16, "conv3d": 18,
    "conv_transpose1d": 3, "conv_transpose2d": 2, "conv_transpose3d": 3,
    "cross_entropy": 25, "dropout": 9, "embedding": 21, "embedding_bag": 18, "fold": 50,
    "group_norm": 17,
    "hinge_embedding_loss": 8, "huber_loss": 5, "instance_norm": 2, "interpolate": 10, "kl_div": 23,
    "layer_norm": 1,
    "margin_ranking_loss": 10, "multi_head_attention_forward": 44,
    "nll_loss": 23, "normalize": 6, "poisson_nll_loss": 18,
    "rms_norm": 10, "scaled_dot_product_attention": 7,
    "smooth_l1_loss": 7, "soft_margin_loss": 4, "softmin": 8,
    "triplet_margin_loss": 37, "unfold": 44
}
# a few functions of each kind run on webgpu too (torch's side on cpu)
WEBGPU_SAMPLE = ["diff", "cov", "quantile", "histogram", "xlogy", "kron", "logit", "renorm"]


@pytest.fixture
def settings_restored():
    """set_num_threads and set_flush_denormal change the process: each case puts them back."""
    threads = torch.get_num_threads(), pyfront.get_num_threads()
    yield
    torch.set_num_threads(threads[0])
    pyfront.set_num_threads(threads[1])
    torch.set_flush_denormal(False)
    pyfront.set_flush_denormal(False)


@pytest.fixture
def torch_warns_always():
    """torch warns once per process for some calls (rms_norm's dtype mismatch): always, for counts that
    do not depend on which test ran first."""
    torch.set_warn_always(True)
    yield
    torch.set_warn_always(False)


def _mismatches(name, device="cpu"):
    rows, domain = {**BASES, **F_BASES}[name]
    return {label: m for label, (args, kwargs) in cases(name, rows).items()
            if (m := compare(name, args, kwargs, domain, device))}


@pytest.mark.parametrize("name", sorted(BASES))
def test_wrong_arguments_like_torch(name, settings_restored, torch_warns_always):
    got = _mismatches(name)
    expected, why = KNOWN.get(name, (0, ""))
    shown = "\n".join(f"  {k}: {v}" for k, v in got.items())
    assert len(got) == expected, f"{len(got)} calls differ from torch (known {expected}: {why}):\n{shown}"


@pytest.mark.parametrize("name", sorted(F_BASES))
def test_wrong_arguments_to_nn_functional_like_torch(name, torch_warns_always):
    got = _mismatches(name)
    expected = KNOWN_F.get(name.removeprefix("nn.functional."), 0)
    shown = "\n".join(f"  {k}: {v}" for k, v in got.items())
    assert len(got) == expected, f"{len(got)} calls differ from torch (known {expected}):\n{shown}"


@requires_webgpu
@pytest.mark.parametrize("name", WEBGPU_SAMPLE)
def test_wrong_arguments_like_torch_webgpu(name):
    got = _mismatches(name, "webgpu")
    expected = KNOWN.get(name, (0, ""))[0]
    shown = "\n".join(f"  {k}: {v}" for k, v in got.items())
    assert len(got) <= expected, f"{len(got)} wrong calls differ from torch on webgpu:\n{shown}"


def test_every_function_in_scope_has_a_valid_call():
    """A function in scope without a valid call would be silently untested."""
    missing = {n for n in scope() if n not in BASES and n not in UNCALLED}
    assert not missing, f"no valid call to derive wrong ones from: {sorted(missing)}"


# functions in scope without rows here, and why
UNCALLED = {
    "asarray": "takes any object (its wrong arguments are its data: test_funcs_s18)",
    "frombuffer": "takes a buffer (test_funcs_s18 checks its size errors)",
    "is_storage": "takes any object", "get_num_threads": "no arguments",
    "get_num_interop_threads": "no arguments",
    "set_num_interop_threads": "torch allows it once per process, before any parallel work",
    "set_default_tensor_type": "changes the process's default dtype (test_funcs_s18 checks its arguments)",
}


# -- numbers outside a dtype's range, in every form that stores a Python number ------------------
# torch's rules: c10::overflows (an unsigned type wraps an int down to -max: uint8 -1 is 255; any other
# value out of range raises), an int read as int64 or uint64 first, x[i] = n read as a C long long
RANGE_DTYPES = ["uint8", "int8", "int16", "int32", "int64", "bool", "float32", "float16"]
RANGE_VALUES = [-1, 255, 256, -129, 128, 300, 2**15, -2**15 - 1, 2**31, -2**31 - 1, 2**32, 2**63 - 1, 2**63,
                -2**63 - 1, 2**64, -1.5, 255.5, 256.0, 300.7, -129.5, 1e10, 1e20, float("nan"), float("inf"),
                -float("inf"), True, 1e-30]


def _set(t, index, v):
    t[index] = v
    return t


STORE_FORMS = {
    "tensor_list": lambda lib, d, v, dev: lib.tensor([v], dtype=d, device=dev),
    "tensor_scalar": lambda lib, d, v, dev: lib.tensor(v, dtype=d, device=dev),
    "as_tensor": lambda lib, d, v, dev: lib.as_tensor([v], dtype=d, device=dev),
    "scalar_tensor": lambda lib, d, v, dev: lib.scalar_tensor(v, dtype=d, device=dev),
    "full": lambda lib, d, v, dev: lib.full((1,), v, dtype=d, device=dev),
    "full_2": lambda lib, d, v, dev: lib.full((2,), v, dtype=d, device=dev),
    "fill_": lambda lib, d, v, dev: lib.zeros(1, dtype=d, device=dev).fill_(v),
    "new_full": lambda lib, d, v, dev: lib.zeros(1, dtype=d, device=dev).new_full((1,), v),
    "full_like": lambda lib, d, v, dev: lib.full_like(lib.zeros(1, dtype=d, device=dev), v),
    "setitem": lambda lib, d, v, dev: _set(lib.zeros(1, dtype=d, device=dev), 0, v),
    "setitem_slice": lambda lib, d, v, dev: _set(lib.zeros(2, dtype=d, device=dev), slice(None), v),
    "masked_fill": lambda lib, d, v, dev: lib.zeros(1, dtype=d, device=dev).masked_fill(
        lib.tensor([True], device=dev), v),
    "index_fill": lambda lib, d, v, dev: lib.zeros(1, dtype=d, device=dev).index_fill(
        0, lib.tensor([0], device=dev), v),
    "add": lambda lib, d, v, dev: lib.zeros(1, dtype=d, device=dev).add(v),
    "clamp": lambda lib, d, v, dev: lib.zeros(1, dtype=d, device=dev).clamp(min=v),
}


def _stored(form, lib, dtype, value, device):
    try:
        r = STORE_FORMS[form](lib, getattr(lib, dtype), value, device)
        return "ok", str(r.dtype), repr(r.tolist())
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return type(e).__name__, str(e)


def _first(shown: str):
    value = ast.literal_eval(shown)
    return value[0] if isinstance(value, list) else value


def _range_mismatches(form, dtypes, device="cpu"):
    out = []
    for d in dtypes:
        for v in RANGE_VALUES:
            expected, got = _stored(form, torch, d, v, "cpu"), _stored(form, pyfront, d, v, device)
            wide = expected[1] == "torch.int64" and abs(_first(expected[2])) >= 2**31
            if device != "cpu" and wide:
                continue  # webgpu's 64-bit integers live in 32-bit lanes (DESIGN.md)
            if got != expected:
                out.append(f"{d} {v!r}: {got} where torch {expected}")
    return out


@pytest.mark.parametrize("form", list(STORE_FORMS))
def test_numbers_out_of_range_like_torch(form):
    wrong = _range_mismatches(form, RANGE_DTYPES)
    assert not wrong, "\n".join(wrong)


@requires_webgpu
@pytest.mark.parametrize("form", ["tensor_list", "full_2", "fill_", "setitem", "add"])
def test_numbers_out_of_range_like_torch_webgpu(form):
    wrong = _range_mismatches(form, ["uint8", "int8", "int16", "bool", "float32"], "webgpu")
    assert not wrong, "\n".join(wrong)


# -- values where torch's answer is its algorithm's ---------------------------------------------
@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_nanmedian_index_of_an_all_nan_row(device):
    """torch's index for a row of NaN only is where its std::nth_element leaves the first element."""
    for n in [*range(1, 40), 100, 1000]:
        rows = [[float("nan")] * n, [float("nan")] * (n - 1) + [1.0]]
        expected = torch.nanmedian(torch.tensor(rows), 1)
        got = pyfront.nanmedian(pyfront.tensor(rows, device=device), 1)
        assert got.indices.tolist() == expected.indices.tolist(), n
        assert str(got.values.tolist()) == str(expected.values.tolist()), n


_VARARG_METHODS = ("flip", "permute", "repeat", "view", "reshape", "expand", "resize_", "new_zeros",
                   "new_ones", "new_empty", "sum_to_size", "tile")


@pytest.mark.parametrize("name", _VARARG_METHODS)
def test_a_sizes_or_dims_method_called_with_none_is_torchs_type_error(name):
    """x.flip(), x.reshape(), x.expand(), x.resize_() ... with no sizes or dims: torch's TypeError, its words
    (pyfront read the empty *args as the empty shape: flip returned x, resize_ made it 0-d)."""
    outs = []
    for lib in (torch, pyfront):
        x = lib.ones(2, 3)
        try:
            outs.append(("ok", tuple(getattr(x, name)().shape)))
        except Exception as e:  # noqa: BLE001 - compared with torch's
            outs.append((type(e).__name__, str(e).split("\n")[0]))
    assert outs[1] == outs[0]

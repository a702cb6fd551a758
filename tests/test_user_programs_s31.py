"""Faults found running user-style programs in session 31 (tests/programs/: tensors_deeper, autograd_yt,
rnn_checkpoint_resume and scratch sweeps of the ops they call): a float parameter used at double precision
where torch's kernel works in the tensor's dtype (logit's eps clamp; entr's log rounded before the product;
round's decimals in float32 for 16-bit tensors and x / 1000 for decimals=-3, never x * 0.001), a
replacement value range-checked where torch casts it (nan_to_num), and torch.round's decimals overload
refusing integer, bool and complex tensors. Each is checked to the bit against torch, on every dtype."""
import math
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

FLOATS = ["float16", "bfloat16", "float32", "float64"]
_GRID = np.concatenate([np.linspace(-0.5, 1.5, 401), np.linspace(0.9999, 1, 60), np.geomspace(1e-9, 1e-3, 40),
                        np.random.default_rng(0).uniform(-3e3, 3e3, 500),
                        [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, 1 - 1e-6, 1e-6]])


def _both(fn, dtype, values=_GRID):
    t = fn(torch, torch.from_numpy(values).to(getattr(torch, dtype)))
    p = fn(pyfront, pyfront.from_numpy(values).to(getattr(pyfront, dtype)))
    return t, p


def _same_bits(t, p):
    a, b = t.detach().double().numpy(), p.detach().cpu().double().numpy()
    bad = ~((a == b) | (np.isnan(a) & np.isnan(b)))
    assert not bad.any(), f"{bad.sum()} differ, e.g. torch {a[bad][:3]} pyfront {b[bad][:3]}"


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("eps", [None, 1e-6, 1e-3, 0.1, 0.7, -1.0, math.nan])
def test_logit_clamps_and_divides_in_the_tensors_dtype(dtype, eps):
    # float32's 1 - 1e-6 is 0.99999899: logit(1.0, eps=1e-6) is 13.8023 in torch (13.8155 in float64)
    _same_bits(*_both(lambda m, x: m.logit(x, eps=eps), dtype))
    _same_bits(*_both(lambda m, x: m.special.logit(x, eps), dtype))


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_entr_rounds_the_log_before_the_product(dtype):
    _same_bits(*_both(lambda m, x: m.special.entr(x), dtype))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("decimals", [1, 2, 3, -1, -3, 9, 40, 400, -400])
def test_round_decimals_is_torchs_kernel(dtype, decimals):
    _same_bits(*_both(lambda m, x: m.round(x * 1000, decimals=decimals), dtype))


def test_round_decimals_records_torchs_node_and_zero_gradient():
    x = pyfront.tensor([1.26, 2.5], requires_grad=True)
    y = x.round(decimals=1)
    y.sum().backward()
    assert y.grad_fn.name() == "RoundBackward1"
    assert x.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "complex64"])
@pytest.mark.parametrize("decimals", [None, 0, 2, -1])
def test_round_of_integers_is_a_copy_and_their_decimals_are_refused(dtype, decimals):
    def call(m):
        x = m.tensor([1, 0], dtype=getattr(m, dtype))
        try:
            r = x.round() if decimals is None else m.round(x, decimals=decimals)
        except (NotImplementedError, RuntimeError) as e:
            return type(e), str(e)
        return r.tolist(), str(r.dtype).split(".")[1]
    assert call(pyfront) == call(torch)


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_to_num_casts_its_replacements_past_the_dtypes_range(dtype):
    values = np.array([math.nan, math.inf, -math.inf, 1.5])
    for kw in ({"nan": 1e39, "posinf": 1e39, "neginf": -1e300}, {"nan": 1e5, "posinf": 65519.0},
               {"posinf": 3.3e38}, {}):
        _same_bits(*_both(lambda m, x: m.nan_to_num(x, **kw), dtype, values))
        _same_bits(*_both(lambda m, x: x.clone().nan_to_num_(**kw), dtype, values))


@requires_webgpu
def test_round_decimals_logit_and_nan_to_num_on_webgpu():
    x = np.random.default_rng(1).uniform(-2000, 2000, 300).astype(np.float32)
    for d in (2, -3, 40):
        _same_bits(torch.from_numpy(x).round(decimals=d), pyfront.from_numpy(x).to("webgpu").round(decimals=d))
    special = np.array([math.nan, math.inf, -math.inf, 2.0], dtype=np.float32)
    _same_bits(torch.from_numpy(special).nan_to_num(nan=1e39),
               pyfront.from_numpy(special).to("webgpu").nan_to_num(nan=1e39))
    # the driver's log is within an ulp or two, not torch's to the bit: 13.8023 at the clamp, not 13.8155
    p = np.linspace(0, 1, 101).astype(np.float32)
    np.testing.assert_allclose(pyfront.from_numpy(p).to("webgpu").logit(eps=1e-6).cpu().numpy(),
                               torch.from_numpy(p).logit(eps=1e-6).numpy(), rtol=1e-6)



def _scalar_warnings(lib, convert):
    """The warnings ``convert`` gives on a tensor that requires grad, with torch's set_warn_always on (so a
    once-only warning shows each time in a process that already gave it), and what it returns or raises."""
    lib.set_warn_always(True)
    try:
        with warnings.catch_warnings(record=True) as got:
            warnings.simplefilter("always")
            try:
                out = convert(lib)
            except ValueError as e:
                out = str(e)
    finally:
        lib.set_warn_always(False)
    return out, [(w.category, str(w.message)) for w in got]


@pytest.mark.parametrize("convert", [
    lambda m: float(m.tensor(1.5, requires_grad=True)), lambda m: float(m.tensor(1.5, requires_grad=True) * 2),
    lambda m: complex(m.ones(1, requires_grad=True)), lambda m: math.exp(m.ones((), requires_grad=True)),
    lambda m: float(m.ones(2, requires_grad=True)),  # warns, then refuses
    lambda m: int(m.ones((), requires_grad=True)), lambda m: m.ones((), requires_grad=True).item(),
    lambda m: float(m.ones(()))])
def test_float_and_complex_of_a_tensor_that_requires_grad_warn_as_torch_2_13(convert):
    assert _scalar_warnings(pyfront, convert) == _scalar_warnings(torch, convert)


def test_the_scalar_warning_comes_once_in_a_process():
    from pyfront._warnings import _WARNED_ONCE
    from pyfront.tensor import _SCALAR_OF_GRAPH  # (the module: pyfront.tensor is the factory)
    _WARNED_ONCE.discard(_SCALAR_OF_GRAPH)
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        float(pyfront.ones((), requires_grad=True))
        complex(pyfront.ones((), requires_grad=True))
    assert len(got) == 1


def _bag_outcome(lib, inp, offsets, weight, psw, kw):
    F = lib.nn.functional
    try:
        out = F.embedding_bag(lib.tensor(inp), weight(lib), None if offsets is None else lib.tensor(offsets),
                              per_sample_weights=None if psw is None else psw(lib), **kw)
    except RuntimeError as e:
        return str(e)
    return out.tolist()


_TABLES = {"float32": lambda m: m.ones(3, 2), "float64": lambda m: m.ones(3, 2, dtype=m.float64),
           "float16": lambda m: m.ones(3, 2, dtype=m.float16), "columns": lambda m: m.ones(2, 3).t()}


@pytest.mark.parametrize("table", sorted(_TABLES))
@pytest.mark.parametrize("inp, offsets, psw, kw", [
    ([1, 9, -1, 7], [0], None, {"mode": "sum"}), ([1, 9, -1, 7], [0], None, {"mode": "max"}),
    ([1, 9], [1], None, {"mode": "mean"}), ([1, 9], [0, 5], None, {"mode": "sum"}),
    ([1, 9], [1, 5], None, {"mode": "max"}), ([1, 2], [0, 3], None, {"mode": "mean"}),
    ([1, 9], [0], None, {"mode": "sum", "padding_idx": 1}), ([[0, 7]], None, None, {"mode": "mean"}),
    ([0, 7], [0], lambda m: m.ones(2), {"mode": "sum"}), ([0, 7], [0], lambda m: m.ones(4)[::2], {"mode": "sum"}),
    ([0, 1, 2], [0, 1, 3], None, {"mode": "sum"})])
def test_embedding_bag_checks_offsets_then_indices_in_torchs_words(table, inp, offsets, psw, kw):
    # offsets[0] prints as C++ streams a 0-d tensor; an index out of range is named by its position on torch's
    # fast path (sum or mean of a float32/16-bit table with contiguous rows), by its value elsewhere
    weight = _TABLES[table]
    dtyped = (lambda m: psw(m).to(weight(m).dtype)) if psw else None
    assert _bag_outcome(pyfront, inp, offsets, weight, dtyped, kw) == _bag_outcome(torch, inp, offsets, weight,
                                                                                   dtyped, kw)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("op", ["add", "sub", "add_", "sub_"])
def test_a_number_scaled_by_alpha_is_rounded_to_the_16_bit_dtype_first(dtype, op):
    # torch casts the wrapped number to the tensor's dtype, then alpha * it in float32 over whole vectors
    # (one rounding at the end) and rounded to the dtype first in a loop's scalar tail (here the rows of 3)
    base = np.random.default_rng(3).uniform(-3, 3, (70, 3)).astype(np.float32)
    for other, alpha in ((1 / 3, 0.1), (0.7, 3.3), (0.1, 1.7), (2, 0.3)):
        outs = []
        for lib in (torch, pyfront):
            x = lib.from_numpy(base.copy()).to(getattr(lib, dtype))
            for view in (x, x.t(), x[::2]):
                r = getattr(view, op)(other, alpha=alpha) if op.endswith("_") else \
                    getattr(lib, op)(view, other, alpha=alpha)
                outs.append(r.float().numpy())
        for a, b in zip(outs[:3], outs[3:]):
            np.testing.assert_array_equal(b, a)

"""Memory formats and strides as torch's: a copy keeps its input's layout (preserve_format), an elementwise
result is laid out by torch's TensorIterator rule, ``memory_format=`` asks for a layout wherever torch takes
it, and ``is_contiguous(memory_format=)`` and its errors are torch's. A sweep of layouts x ops x dtypes on
cpu and webgpu; PyTorch is the oracle for strides, contiguity and values."""
import numpy as np
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

# name -> (base shape, the view made of it): the layouts the sweep reads
LAYOUTS = {
    "contiguous": ((3, 4), lambda t: t),
    "transposed": ((3, 4), lambda t: t.t()),
    "sliced_transposed": ((2, 3, 4), lambda t: t[:, :, ::2].transpose(0, 2)),
    "permuted": ((2, 3, 4), lambda t: t.permute(2, 0, 1)),
    "expanded": ((4, 1), lambda t: t.expand(4, 3)),
    "size1_transposed": ((1, 4), lambda t: t.t()),
    "channels_last": ((2, 3, 4, 5), lambda t: t.contiguous(memory_format=t_lib(t).channels_last)),
    "channels_last_c1": ((2, 1, 4, 5), lambda t: t.contiguous(memory_format=t_lib(t).channels_last)),
    "channels_last_hw1": ((2, 3, 1, 1), lambda t: t.contiguous(memory_format=t_lib(t).channels_last)),
    "channels_last_3d": ((2, 3, 2, 3, 2), lambda t: t.contiguous(memory_format=t_lib(t).channels_last_3d)),
}


def t_lib(t):
    return torch if isinstance(t, torch.Tensor) else pyfront


def _make(lib, layout, dtype, device):
    shape, view = LAYOUTS[layout]
    data = np.random.default_rng(0).standard_normal(shape) * 4
    return view(lib.tensor(data).to(getattr(lib, dtype)).to(device))


def _seen(t):
    return t.stride(), t.is_contiguous(), t.dtype.__repr__().split(".")[-1], t.cpu().tolist()


UNARY = {
    "abs": lambda lib, x: x.abs(), "clone": lambda lib, x: x.clone(),
    "to_int32": lambda lib, x: x.to(lib.int32),
    "contiguous": lambda lib, x: x.contiguous(),
    "add_scalar": lambda lib, x: x + 1,
    "add_self": lambda lib, x: x + x, "add_contiguous": lambda lib, x: x + x.contiguous(),
    "contiguous_add": lambda lib, x: x.contiguous() + x,
    "add_row": lambda lib, x: x + x[..., :1].contiguous(),
    "where": lambda lib, x: lib.where(x > 0, x, x.contiguous()),
    # torch's cpu tensor copied to another device: as its clone
    "to_cpu": lambda lib, x: x.cpu() if lib is pyfront and x.device.type != "cpu" else x.clone(),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["float32", "int64"])
@pytest.mark.parametrize("op", UNARY)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_results_laid_out_as_torch(layout, op, dtype, device):
    got = UNARY[op](pyfront, _make(pyfront, layout, dtype, device))
    want = UNARY[op](torch, _make(torch, layout, dtype, "cpu"))
    assert _seen(got)[:2] == _seen(want)[:2]
    assert _seen(got)[3] == _seen(want)[3]


FORMATS = ["contiguous_format", "preserve_format", "channels_last", "channels_last_3d"]
LIKES = ["zeros_like", "ones_like", "empty_like", "rand_like", "randn_like"]


def _outcome(fn):
    try:
        t = fn()
    except (RuntimeError, TypeError) as e:
        return type(e).__name__, str(e)
    return t if isinstance(t, bool) else (t.stride(), t.is_contiguous(), tuple(t.shape))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_memory_format_arguments_as_torch(layout, fmt, device):
    def call(lib, x, what):
        f = getattr(lib, fmt)
        if what in LIKES:
            return getattr(lib, what)(x, memory_format=f)
        return getattr(x, what)(memory_format=f)

    for what in ["clone", "contiguous", "to", "is_contiguous", *LIKES]:
        got = _outcome(lambda: call(pyfront, _make(pyfront, layout, "float32", device), what))  # noqa: B023
        assert got == _outcome(lambda: call(torch, _make(torch, layout, "float32", "cpu"), what)), what  # noqa: B023


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("layout", LAYOUTS)
def test_copies_keep_values_and_like_factories_keep_layout(layout, device):
    x, tx = _make(pyfront, layout, "float32", device), _make(torch, layout, "float32", "cpu")
    for name in FORMATS[:3] if x.dim() == 4 else FORMATS[:2]:
        assert x.clone(memory_format=getattr(pyfront, name)).cpu().tolist() == tx.tolist()
    for like in LIKES:
        assert getattr(pyfront, like)(x).stride() == getattr(torch, like)(tx).stride(), like
    for cast in ["double", "half", "float", "int", "bool"]:
        if device == "webgpu" and cast in ("double", "half"):
            continue
        assert getattr(x, cast)().stride() == getattr(tx, cast)().stride(), cast


@pytest.mark.parametrize("shape", [(2, 3), (2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (2, 3, 4, 5, 6)])
def test_empty_in_a_memory_format_as_torch(shape):
    for fmt in FORMATS:
        got = _outcome(lambda: pyfront.empty(*shape, memory_format=getattr(pyfront, fmt)))  # noqa: B023
        assert got == _outcome(lambda: torch.empty(*shape, memory_format=getattr(torch, fmt))), fmt  # noqa: B023


@pytest.mark.parametrize("device", DEVICES)
def test_view_of_a_laid_out_result_refuses_as_torch(device):
    got = _outcome(lambda: (pyfront.ones(3, 4, device=device).t() + 1).view(-1))
    assert got == _outcome(lambda: (torch.ones(3, 4).t() + 1).view(-1))

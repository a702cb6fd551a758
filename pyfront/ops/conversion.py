"""``Tensor.to`` and friends: dtype casts and copies between devices."""
from __future__ import annotations

from .. import dtypes as dt
from ..autograd.graph import OpNode
from ..autograd.grad_mode import _state
from ..backends import get_backend
from ..device import as_device, device as Device
from ..tensor import Tensor
from .argcheck import _PY_DTYPES, invalid_combination
from .primitives.elementwise import to_dtype
from .registry import OpDef, register

# Not run through dispatch (it spans two backends); registered for its backward rule and name.
_TO_DEVICE = register(OpDef("to_device", "other", lambda x, src: [(x.shape, x.dtype)],
                            lambda np, x, src: x, lambda c, g: (g.to(c.attrs["src"]),),
                            backward_name="ToCopyBackward0"))


def to_device(t: Tensor, device) -> Tensor:
    device = as_device(device)
    if t.device == device:
        return t
    src = t.contiguous()
    data = get_backend(src.device).to_bytes(src._layout)
    out = Tensor._make(get_backend(device).from_bytes(data, t.dtype), t.shape, t.dtype)
    if _state.enabled and t._requires_grad:
        node = OpNode(_TO_DEVICE, [t], [out], {"src": t.device}, (t._edge(),))
        out._grad_fn, out._requires_grad = node, True
    return out


def _parse_to(args, kwargs):
    given = dict(kwargs)
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    if dtype is not None and not isinstance(dtype, dt.dtype):
        if dtype not in _PY_DTYPES:
            raise invalid_combination("to", args, given, method=True)
        dtype = _PY_DTYPES[dtype]
    for a in args:
        if isinstance(a, dt.dtype) or a in _PY_DTYPES:
            dtype = _PY_DTYPES.get(a, a)
        elif isinstance(a, Tensor):
            device, dtype = a.device, a.dtype
        elif isinstance(a, (str, Device, int)) or a is None:
            device = a
        else:
            raise invalid_combination("to", args, given, method=True)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
    return device, dtype, copy


def to(self, *args, **kwargs):
    """``t.to(dtype)``, ``t.to(device)``, ``t.to(device, dtype)``, ``t.to(other)``; self if unchanged."""
    device, dtype, copy = _parse_to(args, dict(kwargs))
    out = self
    # cast where the source dtype lives: the cpu holds every dtype, webgpu no float64
    cast_first = device is not None and dtype is not None and as_device(device).type != "cpu"
    if cast_first:
        out = to_dtype(out, dtype)
    if device is not None:
        out = to_device(out, device)
    if dtype is not None and not cast_first:
        out = to_dtype(out, dtype)
    if copy and out is self:
        out = self.clone()
    return out


def _cast(dtype):
    def method(self, memory_format=None):
        return to_dtype(self, dtype)
    return method


def cpu(self, memory_format=None):
    return to_device(self, "cpu")


def cuda(self, device=None, non_blocking=False, memory_format=None):
    """``"cuda"``: torch's CPU-build AssertionError, or the WebGPU device under ``--cuda-as webgpu``."""
    if device is None or isinstance(device, int):
        device = "cuda" if device is None else f"cuda:{device}"
    return to_device(self, device)


def pin_memory(self, device=None):
    """A copy in page-locked memory for fast uploads: with cuda mapped to the WebGPU device (where pinning
    has no meaning) a plain copy; without it, the error of torch's build without an accelerator."""
    from .. import cuda as _cuda
    if not _cuda.is_available():
        raise RuntimeError("Cannot access accelerator device when none is available.")
    return self.clone()


def is_pinned(self, device=None):
    return False


def type_(self, dtype=None, non_blocking=False):
    if dtype is None:
        return f"torch.{self.dtype._legacy_name}"
    if isinstance(dtype, str):  # "torch.FloatTensor", as PyTorch's legacy type names
        name = dtype.replace("torch.", "", 1) if dtype.startswith("torch.") else None
        found = [d for d in (*dt.ALL, dt.bfloat16) if d._legacy_name == name]
        if not found:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = found[0]
    elif not isinstance(dtype, dt.dtype):
        if isinstance(dtype, type):
            raise ValueError(f"invalid type: '{dtype.__name__}'")
        raise TypeError("dtype must be a type, str, or dtype object")
    return to_dtype(self, dtype)


def type_as(self, other):
    return to_dtype(self, other.dtype)


METHODS = {"to": to, "cpu": cpu, "cuda": cuda, "pin_memory": pin_memory, "is_pinned": is_pinned,
           "type": type_, "type_as": type_as,
           "float": _cast(dt.float32), "double": _cast(dt.float64), "half": _cast(dt.float16),
           "bfloat16": _cast(dt.bfloat16),
           "long": _cast(dt.int64), "int": _cast(dt.int32), "short": _cast(dt.int16),
           "char": _cast(dt.int8), "byte": _cast(dt.uint8), "bool": _cast(dt.bool_)}

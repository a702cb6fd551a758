"""``Tensor.to`` and friends: dtype casts and copies between devices."""
from __future__ import annotations

from .. import dtypes as dt
from ..autograd.dual import ON as _DUAL, through_op
from ..autograd.graph import OpNode
from ..autograd.grad_mode import _state
from ..backends import get_backend
from ..device import as_device, device as Device
from ..tensor import Tensor
from .argcheck import _PY_DTYPES, invalid_combination
from .legacy import is_legacy_class
from ..strides_order import preserved_strides
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
    # the copy keeps t's layout (torch's preserve_format): sent contiguous over its dims in memory order
    strides = preserved_strides(t._shape, t._strides) if t._odd else None
    order = None if strides is None else sorted(range(t.dim()), key=lambda d: -strides[d])
    src = (t if order is None else t.permute(order)).contiguous()
    data = get_backend(src.device).to_bytes(src._layout)
    out = Tensor._make(get_backend(device).from_bytes(data, t.dtype), t.shape, t.dtype, strides)
    if _state.enabled and t._requires_grad:
        node = OpNode(_TO_DEVICE, [t], [out], {"src": t.device}, (t._edge(),))
        out._grad_fn, out._requires_grad = node, True
    if _DUAL[0]:  # forward AD: the tangent goes along
        through_op(_TO_DEVICE, [t], [out], {"src": t.device})
    return out


def _is_py_dtype(value) -> bool:
    """Whether ``value`` is a Python type torch reads as a dtype (``x.to(float)``)."""
    return isinstance(value, type) and value in _PY_DTYPES


def _parse_to(args, kwargs):
    given = dict(kwargs)
    device = kwargs.pop("device", None)
    dtype = kwargs.pop("dtype", None)
    if dtype is not None and not isinstance(dtype, dt.dtype):
        if dtype not in _PY_DTYPES:
            raise invalid_combination("to", args, given, method=True)
        dtype = _PY_DTYPES[dtype]
    if len(args) > 4:
        raise TypeError(f"to() takes from 0 to 4 positional arguments but {len(args)} were given")
    flags = args  # torch's overloads: (dtype | other | device[, dtype]) then non_blocking and copy, bools
    if args:
        first = args[0]
        if isinstance(first, dt.dtype) or _is_py_dtype(first):
            dtype, flags = _PY_DTYPES.get(first, first), args[1:]
        elif isinstance(first, Tensor):
            device, dtype, flags = first.device, first.dtype, args[1:]
        elif isinstance(first, (str, Device, int)) and not isinstance(first, bool) or first is None:
            device, flags = first, args[1:]
            if flags:  # the device's overload: its dtype (or None) comes second
                if not (flags[0] is None or isinstance(flags[0], dt.dtype) or _is_py_dtype(flags[0])):
                    raise invalid_combination("to", args, given, method=True)
                dtype, flags = _PY_DTYPES.get(flags[0], flags[0]), flags[1:]
    if len(flags) > 2 or any(type(f) is not bool for f in flags):
        raise invalid_combination("to", args, given, method=True)
    copy = flags[1] if len(flags) == 2 else kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    memory_format = kwargs.pop("memory_format", None)
    if memory_format is not None:
        from .memory_formats import is_memory_format
        if not is_memory_format(memory_format):
            raise invalid_combination("to", args, given, method=True)
    if kwargs:  # a keyword no overload has (torch's parser lists them all, as for a wrong type)
        raise invalid_combination("to", args, given, method=True)
    return device, dtype, copy, memory_format


def to(self, *args, **kwargs):
    """``t.to(dtype)``, ``t.to(device)``, ``t.to(device, dtype)``, ``t.to(other)``; self if unchanged."""
    device, dtype, copy, memory_format = _parse_to(args, dict(kwargs))
    if memory_format is not None:
        return _to_format(self, device, dtype, copy, memory_format)
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


def _to_format(self, device, dtype, copy, memory_format):
    """``to`` with a ``memory_format``: the copy it makes laid out so; ``self`` where nothing changes and
    its strides already suggest that format (torch's rule)."""
    from .memory_formats import check_format_rank, format_name, keeps_format
    name = format_name(memory_format)
    check_format_rank(name, self.dim())
    same = (device is None or as_device(device) == self.device) and (dtype is None or dtype is self.dtype)
    if same and not copy and keeps_format(self, memory_format):
        return self
    out = to(self, *(() if device is None else (device,)), *(() if dtype is None else (dtype,)))
    if out is self:  # only the layout changes (or a copy was asked for)
        return self.clone(memory_format=memory_format)
    return out if name == "preserve_format" else out.contiguous(memory_format=memory_format)


def _cast(name, dtype):
    def method(self, memory_format=None):
        if memory_format is not None:
            from .memory_formats import memory_format_arg
            memory_format_arg(name, memory_format)
            return _to_format(self, None, dtype, False, memory_format)
        return to_dtype(self, dtype)
    return method


def cpu(self, memory_format=None):
    if memory_format is not None:
        from .memory_formats import memory_format_arg
        memory_format_arg("cpu", memory_format)
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
    """The legacy type name (``torch.FloatTensor``; on another device ``torch.<device>.FloatTensor``),
    or a copy of the type a name or dtype says: a name says the device too, as torch's."""
    if dtype is None:
        where = "" if self.device.type == "cpu" else f"{self.device.type}."
        return f"torch.{where}{self.dtype._legacy_name}"
    if is_legacy_class(dtype):  # x.type(torch.FloatTensor), x.type(torch.cuda.FloatTensor)
        dtype = dtype.type_name
    elif dtype is Tensor:  # torch.Tensor: the default dtype's class
        dtype = f"torch.{dt.get_default_dtype()._legacy_name}"
    if isinstance(dtype, str):  # "torch.FloatTensor", "torch.cuda.FloatTensor": torch's legacy type names
        parts = dtype.split(".")
        device = parts[1] if len(parts) == 3 and parts[1] in _TYPE_NAME_DEVICES else "cpu"
        found = [d for d in dt.STORED
                 if parts[0] == "torch" and len(parts) == (2 if device == "cpu" else 3)
                 and d._legacy_name == parts[-1]]
        if not found:
            raise ValueError(f"invalid type: '{dtype}'")
        if device == "cuda":
            from .. import cuda as _cuda
            if not _cuda.is_available():
                raise RuntimeError(_NO_CUDA_LIBRARY)
        out = self if self.device.type == as_device(device).type else to_device(self, device)
        return to_dtype(out, found[0])
    elif not isinstance(dtype, dt.dtype):
        if isinstance(dtype, type):
            raise ValueError(f"invalid type: '{dtype.__name__}'")
        raise TypeError("dtype must be a type, str, or dtype object")
    return to_dtype(self, dtype)


# the devices a legacy type name may name: torch's cuda (mapped by ``--cuda-as webgpu``) and, so that
# ``x.type(y.type())`` round-trips here, pyfront's webgpu
_TYPE_NAME_DEVICES = ("cuda", "webgpu")
# what torch's CPU build says when a type name asks for cuda
_NO_CUDA_LIBRARY = (
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two shared "
    "libraries: a CPU library and a CUDA library; this error has occurred because you are trying to use "
    "some CUDA functionality, but the CUDA library has not been loaded by the dynamic linker for some "
    "reason.  The CUDA library MUST be loaded, EVEN IF you don't directly use any symbols from the CUDA "
    "library! One common culprit is a lack of -Wl,--no-as-needed in your link arguments; many dynamic "
    "linkers will delete dynamic library dependencies if you don't depend on any of their symbols.  You "
    "can check if this has occurred by using ldd on your binary to see if there is a dependency on "
    "*_cuda.so library.")


def type_as(self, other):
    """``self`` with ``other``'s dtype and device (torch's type_as moves a tensor as well as casting it)."""
    return to(self, other.device, other.dtype)


METHODS = {"to": to, "cpu": cpu, "cuda": cuda, "pin_memory": pin_memory, "is_pinned": is_pinned,
           "type": type_, "type_as": type_as,
           **{name: _cast(name, dtype) for name, dtype in [
               ("float", dt.float32), ("double", dt.float64), ("half", dt.float16),
               ("bfloat16", dt.bfloat16), ("long", dt.int64), ("int", dt.int32), ("short", dt.int16),
               ("char", dt.int8), ("byte", dt.uint8), ("bool", dt.bool_), ("cfloat", dt.complex64),
               ("cdouble", dt.complex128), ("chalf", dt.complex32)]}}

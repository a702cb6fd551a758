"""The legacy constructors ``Tensor(...)``, ``FloatTensor(...)``, ``LongTensor(...)``, ..."""
from __future__ import annotations

from .. import dtypes as dt
from ..device import as_device
from ..shape import Size
from ..overrides import _disabled_torch_function_impl
from ..tensor import Tensor
from .creation import empty, tensor, zeros

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]
METHODS = ""
INPLACE = ""


# the signatures torch's legacy constructor and ``Tensor.new`` list in their "invalid combination" error,
# each with how many arguments its parser counts there (the ``*`` is one of them)
_SIGNATURES = (("(*, torch.device device = None)", 2), ("(torch.Storage storage)", 1), ("(Tensor other)", 1),
               ("(tuple of ints size, *, torch.device device = None)", 3),
               ("(object data, *, torch.device device = None)", 3))


def _options_text(dtype, device) -> str:
    return (f"TensorOptions(dtype={dt.cpp_name(dtype)}, device={device}, layout=Strided, requires_grad=false "
            "(default), pinned_memory=false (default), memory_format=(nullopt))")


def _invalid_combination(args, kwargs):
    """torch's parser error for arguments no signature takes: each signature with as many arguments as
    were given says why it did not match (an unknown keyword, else the arguments' types)."""
    def describe(a):
        if isinstance(a, list) and a:
            return f"list of [{', '.join(dict.fromkeys(type(v).__name__ for v in a))}]"
        return "Tensor" if isinstance(a, Tensor) else type(a).__name__
    got = [_kw_type(a) for a in args] + [f"{k}={_kw_type(v)}" for k, v in kwargs.items()]
    lines = [f"new() received an invalid combination of arguments - got ({', '.join(got)}"
             f"{', ' if kwargs and not args else ''}), but expected one of:"]
    for text, count in _SIGNATURES:
        lines.append(f" * {text}")
        if count == len(args) + len(kwargs):
            why = (f"some of the keywords were incorrect: {', '.join(kwargs)}" if kwargs else
                   "some of the arguments have invalid types: ("
                   + ", ".join(f"!{describe(a)}!" for a in args) + ")")
            lines.append(f"      didn't match because {why}")
    return TypeError("\n".join(lines) + "\n")


def _kw_type(v) -> str:
    if isinstance(v, dt.dtype):
        return "torch.dtype"
    return "Tensor" if isinstance(v, Tensor) else type(v).__name__


def construct(cls, dtype, args, device, kwargs=None, *, typed=True, new=False):
    """torch's legacy constructor (``FloatTensor(...)``, ``Tensor(...)``) or ``x.new(...)``: nothing (an empty
    tensor), sizes (ints or one ``torch.Size``: zeros where torch leaves memory unset), a sequence of data,
    or a tensor, which comes back aliased (its memory, an AliasBackward0 history) where it is of ``dtype``
    and ``device`` (``typed``; ``Tensor(t)`` takes any) and is refused otherwise. Only ``device`` is a
    keyword."""
    kwargs = {k: v for k, v in (kwargs or {}).items()}
    given_device = kwargs.pop("device", None)
    if kwargs or len(args) > 1 and any(isinstance(a, Tensor) for a in args) or (
            len(args) > 1 and isinstance(args[0], (list, tuple)) and not isinstance(args[0], Size)):
        full = dict(kwargs, **({"device": given_device} if given_device is not None else {}))
        raise _invalid_combination(args, full)
    device = device if given_device is None else given_device
    if len(args) == 1 and isinstance(args[0], Tensor):
        other = args[0]
        if given_device is not None:
            raise RuntimeError("Legacy tensor new of the form tensor.new(tensor, device=device) is not "
                               "supported.  Use torch.as_tensor(...) instead." if new else
                               "Legacy tensor constructor of the form torch.Tensor(tensor, device=device) is "
                               "not supported.  Use torch.tensor(...) or torch.as_tensor(...) instead.")
        if typed and (other.dtype is not dtype or other.device.type != as_device(device or "cpu").type):
            raise TypeError(f"expected {_options_text(dtype, as_device(device or 'cpu'))} (got "
                            f"{_options_text(other.dtype, other.device)})")
        from .views import alias_view
        out = alias_view(other)
    elif not args:
        out = zeros(0, dtype=dtype, device=device)
    elif len(args) == 1 and isinstance(args[0], Size) or all(_is_int(a) for a in args):
        sizes = tuple(args[0]) if isinstance(args[0], Size) else args
        out = empty(*[int(n) for n in sizes], dtype=dtype, device=device)  # (zeroed: empty's checks)
    elif _is_int(args[0]):
        bad = next(i for i, a in enumerate(args) if not _is_int(a))
        raise TypeError(f"new(): argument 'size' failed to unpack the object at pos {bad + 1} with error "
                        f"\"type must be tuple of ints,but got {type(args[bad]).__name__}\"")
    elif isinstance(args[0], str):
        raise TypeError(f"new(): invalid data type '{type(args[0]).__name__}'")
    elif not hasattr(args[0], "__len__"):
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    else:
        out = tensor(args[0], dtype=dtype, device=device)
    if cls is not Tensor and not issubclass(cls, _LegacyTensor):
        out = out.detach()
        out.__class__ = cls
    return out


def _is_int(a) -> bool:
    """An int as torch's size parser takes it (a NumPy integer too; not a bool)."""
    return isinstance(a, int) and not isinstance(a, bool) or type(a).__module__ == "numpy" and hasattr(
        a, "dtype") and a.dtype.kind in "iu" and getattr(a, "ndim", 0) == 0


class _LegacyMeta(type):
    """The legacy classes' type: ``isinstance(t, FloatTensor)`` asks t's dtype and device, and the class
    says its own (``FloatTensor.dtype``, ``.is_cuda``) as torch's do."""

    def __instancecheck__(cls, obj):
        return (isinstance(obj, Tensor) and obj.dtype is cls._dtype
                and obj.device.type == as_device(cls._device).type)

    dtype = property(lambda cls: cls._dtype)
    is_cuda = property(lambda cls: cls._device == "cuda")

    @property
    def type_name(cls) -> str:
        """The legacy name ``Tensor.type`` takes: ``torch.FloatTensor``, ``torch.cuda.FloatTensor``."""
        return "torch." + ("cuda." if cls._device == "cuda" else "") + cls.__name__


class _LegacyTensor(Tensor, metaclass=_LegacyMeta):
    __torch_function__ = _disabled_torch_function_impl  # (torch.FloatTensor makes plain tensors)
    _dtype = dt.float32
    _device = "cpu"

    def __new__(cls, *args, **kwargs):
        device = None
        if cls._device == "cuda":
            from .. import cuda
            if not cuda.is_available():
                raise TypeError(f"type {cls.type_name} not available. Torch not compiled with CUDA enabled.")
            device = "cuda"
        return construct(cls, cls._dtype, args, device, kwargs)


def _legacy(name, dtype, device="cpu"):
    return _LegacyMeta(name, (_LegacyTensor,), {"_dtype": dtype, "_device": device,
                                                "__doc__": f"``{dtype!r}`` tensors on the {device}."})


FloatTensor = _legacy("FloatTensor", dt.float32)
DoubleTensor = _legacy("DoubleTensor", dt.float64)
HalfTensor = _legacy("HalfTensor", dt.float16)
LongTensor = _legacy("LongTensor", dt.int64)
IntTensor = _legacy("IntTensor", dt.int32)
ShortTensor = _legacy("ShortTensor", dt.int16)
CharTensor = _legacy("CharTensor", dt.int8)
ByteTensor = _legacy("ByteTensor", dt.uint8)
BoolTensor = _legacy("BoolTensor", dt.bool_)
# torch.cuda's: old scripts pick ``torch.cuda.FloatTensor if use_cuda else torch.FloatTensor``; they
# make GPU tensors under ``--cuda-as webgpu`` and raise torch's TypeError without it
CUDA_CLASSES = {name: _legacy(name, globals()[name]._dtype, "cuda") for name in __all__}


def is_legacy_class(obj) -> bool:
    return isinstance(obj, _LegacyMeta) and obj is not _LegacyTensor

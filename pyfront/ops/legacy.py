"""The legacy constructors ``Tensor(...)``, ``FloatTensor(...)``, ``LongTensor(...)``, ..."""
from __future__ import annotations

from .. import dtypes as dt
from ..device import as_device
from ..tensor import Tensor
from .creation import tensor, zeros

__all__ = ["FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor"]
METHODS = ""
INPLACE = ""


def construct(cls, dtype, args, device):
    if not args:
        out = zeros(0, dtype=dtype, device=device)
    elif len(args) == 1 and isinstance(args[0], Tensor):
        out = args[0] if args[0].dtype is dtype else args[0].to(dtype)
    elif all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        out = zeros(*args, dtype=dtype, device=device)
    elif len(args) == 1:
        out = tensor(args[0], dtype=dtype, device=device)
    else:
        raise TypeError(f"new() received an invalid combination of arguments - got "
                        f"({', '.join(type(a).__name__ for a in args)})")
    if cls is not Tensor and not issubclass(cls, _LegacyTensor):
        out = out.detach()
        out.__class__ = cls
    return out


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
    _dtype = dt.float32
    _device = "cpu"

    def __new__(cls, *args, device=None):
        if cls._device == "cuda":
            from .. import cuda
            if not cuda.is_available():
                raise TypeError(f"type {cls.type_name} not available. Torch not compiled with CUDA enabled.")
            device = "cuda"
        return construct(cls, cls._dtype, args, device)


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

"""Questions about tensors and dtypes: ``is_tensor``, ``numel``, ``result_type``, ``can_cast``."""
from __future__ import annotations

from .. import dtypes as dt
from ..tensor import Tensor
from . import sparse_seam

__all__ = ["is_tensor", "is_floating_point", "is_nonzero", "is_inference", "numel", "result_type", "can_cast"]
METHODS = ""
INPLACE = ""


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor) or isinstance(obj, sparse_seam.TYPES)


def is_floating_point(input: Tensor) -> bool:
    return input.dtype.is_floating_point


def is_nonzero(input: Tensor) -> bool:
    return bool(input)


def is_inference(input: Tensor) -> bool:
    """Whether ``input`` is an inference tensor (made in inference mode, or a view of one), as
    ``torch.is_inference``."""
    if not is_tensor(input):  # argcheck lets numbers through: most functions take them
        from .argcheck import must_be
        raise must_be("is_inference", "input", "Tensor", input, 1)
    return input.is_inference()


def numel(input: Tensor) -> int:
    return input.numel()


def result_type(tensor, other) -> dt.dtype:
    """The dtype an arithmetic op on these operands computes in (PyTorch's promotion rules); torch's
    keywords (tensor=, other=)."""
    return dt.result_type(tensor, other)


def can_cast(from_: dt.dtype, to: dt.dtype) -> bool:
    """Whether PyTorch's casting rules allow an in-place op to write ``from_`` into ``to``."""
    return dt.can_cast(from_, to)

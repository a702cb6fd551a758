"""``torch.types``: the type aliases annotated code imports (``from torch.types import Device, Number``).

pyfront has no symbolic shapes, so the ``Sym*``-like aliases are the plain Python types they widen.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from typing import IO, Any, Union

from .device import device as _device
from .dtypes import dtype as _dtype
from .shape import Size
from .sparse import layout as _layout  # noqa: F401  (torch.types._layout)
from .tensor import Tensor

__all__ = ["Number", "Device", "FileLike", "Storage"]

_bool = bool
_int = int
_float = float
_complex = complex
_str = str
_bytes = bytes
_size = Size | list[int] | tuple[int, ...]
_symsize = _size
_TensorOrTensors = Tensor | Sequence[Tensor]
_TensorOrOptionalTensors = Tensor | Sequence[Tensor | None]
_TensorOrTensorsOrGradEdge = _TensorOrTensors
IntLikeType = int
FloatLikeType = float
BoolLikeType = bool
_Number = (int, float, bool)
Number = int | float | bool
Device = _device | str | int | None
FileLike = Union[str, os.PathLike[str], IO[bytes]]


class Storage:
    """The interface torch.types names for a storage (an annotation; pyfront's storages are
    ``torch.UntypedStorage`` and the typed ones)."""

    device: _device
    dtype: _dtype

    def element_size(self) -> int:
        raise NotImplementedError

    def nbytes(self) -> int:
        raise NotImplementedError

    def data_ptr(self) -> int:
        raise NotImplementedError

    def cpu(self) -> Any:
        raise NotImplementedError


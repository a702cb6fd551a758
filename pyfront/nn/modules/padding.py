"""The padding layers: reflection, replication, zero, constant and circular, in 1, 2 and 3 dims.

Each is ``F.pad`` with its mode and a fixed ``padding``, as in ``torch.nn.modules.padding``.
"""

from __future__ import annotations

from ...tensor import Tensor
from .. import functional as F
from .conv import _ntuple
from .module import Module

_SIDES = {1: "(left, right)", 2: "(left, right, top, bottom)", 3: "(left, right, top, bottom, front, back)"}
_SHAPES = {1: ("(N, C, W)", "(C, W)"), 2: ("(N, C, H, W)", "(C, H, W)"),
           3: ("(N, C, D, H, W)", "(C, D, H, W)")}


class _PadNd(Module):
    """What the padding layers share: ``padding`` as a tuple, the mode they hand to ``F.pad``, the repr."""

    mode: str
    dims: int

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _ntuple(padding, 2 * self.dims)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class _CircularPadNd(_PadNd):
    def forward(self, input: Tensor) -> Tensor:
        k = self.dims
        if input.dim() not in (k + 1, k + 2):  # torch checks the rank here, not in F.pad
            raise ValueError(f"expected {k + 1}D or {k + 2}D input (got {input.dim()}D input)")
        return super().forward(input)


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


_KINDS = {  # name: (base, its F.pad mode, what the border gets, what F.pad refuses)
    "Reflection": (_PadNd, "reflect", "the reflection of the input boundary (the edge itself not repeated)",
                   "RuntimeError: a padding not below the padded dim's size (as torch's reflection_pad)."),
    "Replication": (_PadNd, "replicate", "copies of the input boundary (the edge repeated)",
                    "RuntimeError: padding an empty dim (as torch's replication_pad)."),
    "Zero": (_ZeroPadNd, "constant", "zeros",
             "RuntimeError: a negative padding that crops a dim below zero."),
    "Constant": (_ConstantPadNd, "constant", "the constant ``value``",
                 "RuntimeError: a negative padding that crops a dim below zero."),
    "Circular": (_CircularPadNd, "circular", "the input wrapped around (the far side's elements)",
                 "RuntimeError: a padding larger than the padded dim's size."),
}


def _layer(kind: str, k: int):
    base, mode, border, refuses = _KINDS[kind]
    name = f"{kind}Pad{k}d"
    batched, unbatched = _SHAPES[k]
    value = "\n        value (float): the fill of the border." if kind == "Constant" else ""
    rank = (f"\n        ValueError: an input that is not {k + 1}D or {k + 2}D." if kind == "Circular" else
            f"\n        NotImplementedError: an input that is not {k + 1}D or {k + 2}D." if kind != "Constant"
            and kind != "Zero" else "")
    doc = f"""Pads the last {k} dim{"s" * (k > 1)} of the input with {border}.

    ``out = F.pad(input, padding, mode)``: each padded dim grows by its two amounts; a negative amount crops.
    For other ranks or mixed modes use ``torch.nn.functional.pad``.

    Args:
        padding (int or tuple): the size of the padding; an int pads every side by it, a
            {2 * k}-tuple gives {_SIDES[k]}, last dim first.{value}

    Shape:
        - Input: ``{batched}`` or ``{unbatched}``.
        - Output: the same rank, each padded dim ``in + left + right`` (last dims first in ``padding``).

    Raises:{rank}
        {refuses}

    Matches ``torch.nn.{name}``, printed as PyTorch prints it.
    """
    return type(name, (base,), {"__doc__": doc, "__module__": __name__, "__qualname__": name, "dims": k,
                                "mode": mode})


__all__ = [f"{kind}Pad{k}d" for kind in _KINDS for k in (1, 2, 3)]
globals().update({f"{kind}Pad{k}d": _layer(kind, k) for kind in _KINDS for k in (1, 2, 3)})

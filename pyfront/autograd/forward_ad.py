"""``torch.autograd.forward_ad``: dual tensors for forward-mode AD (Jacobian-vector products).

Inside ``dual_level()``, ``make_dual(primal, tangent)`` gives a view of ``primal`` carrying ``tangent``;
every op on it gives its results their tangents as it runs (``autograd/dual.py``: each op's JVP from its
VJP), and ``unpack_dual(result).tangent`` reads them. Leaving the level drops every tangent made in it.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from ..tensor import Tensor
from . import dual
from .grad_mode import _GradModeContext

__all__ = ["UnpackedDualTensor", "enter_dual_level", "exit_dual_level", "make_dual", "unpack_dual",
           "dual_level"]

_current = [-1]  # the open level (torch's are numbered from 0 and never nest), -1 for none


def enter_dual_level() -> int:
    """Open a dual level and return its number; a second one while one is open is refused, as torch's."""
    if _current[0] >= 0:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _current[0] = 0
    dual.ON[0] = True
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the open dual level (``level``, where given, must be it); its tangents are dropped."""
    if level is None:
        level = _current[0]
    if level != _current[0]:
        raise RuntimeError("Trying to exit a forward AD level that was not the last one that was created. "
                           "This is not supported.")
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    _current[0] = -1
    dual.ON[0] = False
    dual.drop_all()


def _check_float(t, what: str) -> None:
    if not (t.is_floating_point() or t.is_complex()):
        raise ValueError(f"Expected {what} to be floating point or complex, but got: {t.dtype}")


def _same_layout(a, b) -> bool:
    """Whether tangent ``b`` may serve ``a`` as it is (torch copies it otherwise): the same sizes, strides,
    offset and size of memory."""
    return (a.shape == b.shape and a._strides == b._strides and a._offset == b._offset
            and a._storage.nbytes // a.element_size() == b._storage.nbytes // b.element_size())


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    r"""A view of ``tensor`` whose tangent (forward gradient) is ``tangent``, at the open dual level.

    Args:
        tensor (Tensor): the primal, floating point or complex.
        tangent (Tensor): of the primal's size; used as it is where its layout is the primal's, else copied
            into the primal's layout.
        level (int, optional): the dual level (the open one by default).

    Raises RuntimeError outside a dual level, for a tangent of another size and for a primal that has a
    tangent already; ValueError for an integer primal or tangent; all with torch's texts.
    """
    if level is None:
        level = _current[0]
    if level < 0:
        raise RuntimeError("Trying to create a dual Tensor for forward AD but no level exists, make sure to "
                           "enter_dual_level() first.")
    _check_float(tensor, "primal")
    _check_float(tangent, "tangent")
    if level != _current[0]:
        raise RuntimeError("Invalid level given to _make_dual")
    if dual.tangent_of(tensor) is not None:
        raise RuntimeError("Making a dual Tensor based on a Tensor that already has a forward gradient at "
                           f"the same level {level} is not supported.")
    dual.check_size(tensor, tangent)
    with dual.paused():
        out = tensor.view_as(tensor)
        if not _same_layout(tensor, tangent):
            from ..ops.factories import empty_strided
            tangent = empty_strided(tensor.shape, tensor.stride(), dtype=tangent.dtype,
                                    device=tangent.device).copy_(tangent)
    dual.set_tangent(out, tangent)
    return out


class UnpackedDualTensor(NamedTuple):
    """What ``unpack_dual`` returns: the primal (a view of the dual tensor, without its tangent) and the
    tangent (None where it has none)."""

    primal: Tensor
    tangent: Tensor | None


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    r"""``(primal, tangent)`` of ``tensor`` at the open dual level, as a namedtuple: the primal is a view of
    ``tensor`` without a tangent, the tangent None where ``tensor`` has none (and outside a level).

    Raises TypeError, with torch's text, for a ``tensor`` that is not a Tensor (inside a level).
    """
    if level is None:
        level = _current[0]
    if level < 0:  # (anything, as torch's: no level, nothing to unpack)
        return UnpackedDualTensor(tensor, None)
    if not isinstance(tensor, Tensor):
        raise TypeError(f"_unpack_dual(): argument 'dual' (position 1) must be Tensor, not "
                        f"{type(tensor).__name__}")
    with dual.paused():
        primal = tensor.view_as(tensor)
    return UnpackedDualTensor(primal, dual.tangent_of(tensor))


class dual_level:
    """A context (or decorator) inside which forward AD runs: ``enter_dual_level`` on entry,
    ``exit_dual_level`` on exit. Its ``as`` target is the level's number."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc: Any) -> None:
        exit_dual_level()

    __call__ = _GradModeContext.__call__  # a decorator too: each call of the function in a fresh level

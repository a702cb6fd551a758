"""torch's conjugate and negative bits: a view whose values are a transform of the memory it reads.

``z.conj()`` of a complex tensor is a view of ``z`` (same memory, version counter and base) that shows
the conjugate, and ``z.conj().imag`` one that shows the negated imaginary parts; ``resolve_conj()`` /
``resolve_neg()`` make the values a tensor of their own. Both transforms are their own inverse, so one
rule serves reading and writing: a backend is given the transform of the memory where the view is read
(``Tensor._layout`` of a lazy view is made on each read, from its ``_raw`` layout: see
``Tensor.__getattr__``), and a write through the view stores the transform of the written values
(``write_through``). Views and aliases of a lazy view keep its bit (``Tensor._view``); any other op reads
the values and gives a plain tensor, as torch's fallback does.
"""
from __future__ import annotations

from ..autograd.grad_mode import no_grad
from ..backends import get_backend

# a lazy view's transform, and the view op that makes it (registered in ops/views.py: ConjBackward0,
# NegViewBackward0)
OPS = {"conj": "conj", "neg": "neg_view"}


def _transform(t, kind):
    from .composite.complex_numbers import conj_physical
    return conj_physical(t) if kind == "conj" else t.neg()


def raw_layout(t):
    """The layout of the memory ``t`` reads (for a lazy view, before its transform)."""
    return t.__dict__.get("_raw") or t._layout


def mark(t, kind) -> None:
    """Give ``t`` the bit ``kind`` ("conj", "neg"), or take its bit away (None): its layout moves to
    ``_raw`` (read through the transform) or back."""
    d = t.__dict__
    layout = d.pop("_layout", None) or d.pop("_raw")
    if kind is None:
        d["_layout"] = layout
        d.pop("_lazy", None)
    else:
        d["_raw"], d["_lazy"] = layout, kind


def resolved(t):
    """The values a lazy view shows, as a plain tensor (no history: a backend's read of them)."""
    from ..tensor import Tensor
    raw = Tensor._make(t._storage, t._shape, t.dtype, t._strides, t._offset)
    with no_grad():
        return _transform(raw, t._lazy)


def write_through(t, src) -> None:
    """Store ``src`` (t's dtype and device, broadcastable to it) as seen through lazy view ``t``: its
    memory takes the transform of the values."""
    with no_grad():
        src = _transform(src, t._lazy)
    get_backend(t.device).write(t._raw, src._layout)


def written(view_t, new):
    """What a write of ``new`` through ``view_t`` puts in its memory, with history (for the base's
    CopySlices node)."""
    return new if view_t._lazy is None else _transform(new, view_t._lazy)


def lazy_view(input, kind):
    """A view of ``input`` with the bit ``kind`` flipped (conj of a conj view is a plain view, as torch's),
    recorded as torch's ConjBackward0 / NegViewBackward0."""
    from .dispatch import apply
    from .views import OPS_VIEW
    if input._lazy not in (None, kind):
        raise RuntimeError(f"pyfront keeps one lazy bit per tensor: call resolve_{input._lazy}() before "
                           f"a {kind} view")
    out = apply(OPS_VIEW[OPS[kind]], input)  # (a view keeps its input's bit: flipped here)
    mark(out, None if input._lazy == kind else kind)
    tangent = out._tangent
    if tangent is not None:  # forward AD: the tangent is the same lazy view of the input's
        mark(tangent, None if tangent._lazy == kind else kind)
    return out

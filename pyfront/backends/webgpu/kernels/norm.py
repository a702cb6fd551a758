"""Vector p-norms over dims, composed from the elementwise and reduction kernels: each element's
share (|x|^p, |x|, x != 0) in float32, a fold of the shares (sum, or amax/amin for p = +-inf), then
the root."""
from __future__ import annotations

import math

from .... import dtypes as dt
from ...storage import dense
from . import launcher
from .elementwise import run_elementwise
from .reduce import fold


def _plan(p: float):
    """(share of element a, fold, root of the fold acc; None where the fold is the norm). A share
    or root is (expression, its scalars): p reaches the kernel as a parameter, never as text."""
    if p == math.inf:
        return ("abs(f32(a))", ()), "amax", None
    if p == -math.inf:
        return ("abs(f32(a))", ()), "amin", None
    if p == 0:
        return ("select(1.0, 0.0, f32(a) == 0.0)", ()), "sum", None
    if p == 1:
        return ("abs(f32(a))", ()), "sum", None
    if p == 2:
        return ("f32(a) * f32(a)", ()), "sum", ("sqrt(a)", ())
    return ("pow_f32(abs(f32(a)), s0)", [("f32", p)]), "sum", ("pow_f32(a, s0)", [("f32", 1 / p)])


@launcher("norm")
def norm(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    storage = backend.allocate(math.prod(shape), dtype)
    share, fold_name, root = _plan(attrs["p"])
    shares = dense(backend.allocate(x.numel(), dt.float32), x.shape, dt.float32)
    run_elementwise(backend, share[0], [x], shares, scalars=share[1])
    dims = attrs["dims"] if x.dim() else ()
    if root is None and dtype is dt.float32:
        fold(backend, fold_name, shares, dims, storage, dtype)
        return [storage]
    folded = dense(backend.allocate(math.prod(shape), dt.float32), shape, dt.float32)
    fold(backend, fold_name, shares, dims, folded.storage, dt.float32)
    expr, scalars = root or ("a", ())
    run_elementwise(backend, expr, [folded], dense(storage, shape, dtype), scalars=scalars)
    return [storage]

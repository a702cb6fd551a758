"""Stride arithmetic for kernels: broadcasting inputs against an output, and merging dimensions."""
from __future__ import annotations

MAX_DIMS = 8


def broadcast_strides(t, shape) -> tuple:
    """``t``'s strides seen from ``shape`` (0 where ``t`` is broadcast)."""
    lead = len(shape) - t.dim()
    out = [0] * lead
    for n, s in zip(t.shape, t.strides):
        out.append(0 if n == 1 else s)
    return tuple(out)


def coalesce(shape, ports):
    """Drop size-1 dims and merge neighbours that are contiguous in every port.

    ``ports``: one stride tuple per tensor, all over ``shape``. Returns (shape, ports) with as few
    dims as possible, so most kernels index 1 or 2 dims whatever the tensor's rank.
    """
    dims = [d for d, n in enumerate(shape) if n != 1]
    new_shape = [shape[d] for d in dims]
    new_ports = [[p[d] for d in dims] for p in ports]
    d = len(new_shape) - 1
    while d > 0:
        if all(p[d - 1] == p[d] * new_shape[d] for p in new_ports):
            new_shape[d - 1] *= new_shape[d]
            del new_shape[d]
            for p in new_ports:
                p[d - 1] = p[d]
                del p[d]
        d -= 1
    return tuple(new_shape), [tuple(p) for p in new_ports]

"""Stride arithmetic for kernels: broadcasting inputs against an output, and merging dimensions."""
from __future__ import annotations

import itertools

MAX_DIMS = 8


class TooManyDims(RuntimeError):
    """A layout that merges to more dims than a kernel indexes. The backend runs the op again on dense
    copies of its inputs (they merge to fewer), and refuses only what still does not fit, as a plain
    RuntimeError (webgpu/__init__.py run)."""


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


def peel(shape, ports, limit=MAX_DIMS):
    """A layout of more than ``limit`` dims (after ``coalesce``) as blocks a kernel can index: its smallest
    dims are looped over on the host, so the dispatches are as few as the layout allows (torch indexes up
    to 25 dims; a kernel's parameters hold ``limit``).

    Returns (the kept shape, the kept ports, an iterator of each block's element offset per port)."""
    by_size = sorted(range(len(shape)), key=lambda d: shape[d])
    looped = sorted(by_size[:len(shape) - limit])
    kept = [d for d in range(len(shape)) if d not in looped]
    blocks = (tuple(sum(i * p[d] for i, d in zip(index, looped)) for p in ports)
              for index in itertools.product(*(range(shape[d]) for d in looped)))
    return tuple(shape[d] for d in kept), [tuple(p[d] for d in kept) for p in ports], blocks

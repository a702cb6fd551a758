"""Joining, reordering and strided writes: ``cat``, ``flip``, ``as_strided_scatter``/``copy_slices``.

cat and the scatters are strided copies (the elementwise template's ``"a"`` into views of the
output); flip has its own kernel (shaders/flip.wgsl), which mirrors coordinates instead of
using negative strides.
"""
from __future__ import annotations

import math

from ...storage import dense
from ..layout import wgsl_type
from ..runtime import specialise
from ..strides import MAX_DIMS, TooManyDims
from .elementwise import run_elementwise
from . import launcher


def _output(backend, out_meta):
    ((shape, dtype),) = out_meta
    storage = backend.allocate(math.prod(shape), dtype)
    return storage, dense(storage, shape, dtype)


@launcher("cat")
def cat(backend, op, inputs, attrs, out_meta):
    storage, out = _output(backend, out_meta)
    dim = attrs["dim"]
    kept = [x for x in inputs if tuple(x.shape) != (0,)]  # cat's legacy rule: empty 1-D inputs take no part
    start = 0
    for x in kept:
        if x.numel():
            view = out.view(x.shape, out.strides, start * out.strides[dim])
            run_elementwise(backend, "a", [x], view)
        start += x.shape[dim]
    return [storage]


def _flip_dims(shape, strides, dims):
    """(sizes, strides, flip mask) with size-1 dims dropped and neighbours merged where the input
    is contiguous across them and both or neither are flipped (mirroring both = mirroring the merge)."""
    kept = [(n, st, d in dims) for d, (n, st) in enumerate(zip(shape, strides)) if n != 1]
    merged = []
    for n, st, flipped in kept:
        if merged and merged[-1][2] == flipped and merged[-1][1] == st * n:
            merged[-1] = (merged[-1][0] * n, st, flipped)
        else:
            merged.append((n, st, flipped))
    merged = merged or [(1, 0, False)]
    mask = sum(1 << i for i, (_, _, flipped) in enumerate(merged) if flipped)
    return [n for n, _, _ in merged], [st for _, st, _ in merged], mask


@launcher("flip")
def flip(backend, op, inputs, attrs, out_meta):
    (x,) = inputs
    storage, out = _output(backend, out_meta)
    if not out.numel():
        return [storage]
    sizes, strides, mask = _flip_dims(tuple(x.shape), x.strides, set(attrs["dims"]))
    if len(sizes) > MAX_DIMS:
        raise TooManyDims(f"webgpu flip indexes at most {MAX_DIMS} dimensions after merging contiguous "
                           f"ones; got {len(sizes)}: make the input contiguous first")
    ty = wgsl_type(x.dtype)
    source = specialise("flip.wgsl", enable="enable f16;" if ty == "f16" else "", ty=ty, ndim=len(sizes))
    params = {"numel": out.numel(), "offset": x.offset, "flipped": mask,
              "dims": [w for size, stride in zip(sizes, strides) for w in (size, stride, 0, 0)]}
    backend.runtime.launch(source, [backend.binding(x)], [backend.binding(out)], params, out.numel())
    return [storage]


@launcher("as_strided_scatter", "copy_slices")
def as_strided_scatter(backend, op, inputs, attrs, out_meta):
    base, src = inputs
    storage, out = _output(backend, out_meta)
    run_elementwise(backend, "a", [base], out)
    # the geometry is relative to the contiguous base, which is exactly the fresh output
    view = out.view(attrs["size"], attrs["stride"], attrs["storage_offset"])
    run_elementwise(backend, "a", [src], view)
    return [storage]

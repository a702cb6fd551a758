"""im2col / col2im (F.unfold / F.fold), from which convolutions and poolings are built."""

from __future__ import annotations

import math

from ....shape import blocks
from ..layout import wgsl_type
from ..runtime import specialise
from . import launcher

KERNEL_CHUNK = 4096  # kernel offsets one col2im dispatch sums per output pixel


def _geometry(attrs, channels, image_hw, out_hw) -> dict:
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (
        attrs[k] for k in ("kernel_size", "dilation", "padding", "stride")
    )
    (h, w), (oh, ow) = image_hw, out_hw
    return dict(c=channels, h=h, w=w, kh=kh, kw=kw, dh=dh, dw=dw, ph=ph, pw=pw, sh=sh, sw=sw, oh=oh, ow=ow)


def _run(backend, name, src, shape, dtype, geometry):
    storage = backend.allocate(math.prod(shape), dtype)
    ty = wgsl_type(dtype)
    source = specialise(f"{name}.wgsl", enable="enable f16;" if ty == "f16" else "", ty=ty)
    params = {"numel": math.prod(shape), **geometry, "offset": src.offset, "strides": src.strides}
    dst = [(storage.data, 0, storage.nbytes)]
    if name == "im2col":
        backend.runtime.launch(source, [backend.binding(src)], dst, params, math.prod(shape))
        return [storage]
    area = geometry["kh"] * geometry["kw"]  # col2im: kernel offsets in passes of KERNEL_CHUNK
    for r0 in range(0, area, KERNEL_CHUNK):
        window = {"first": r0, "end": min(area, r0 + KERNEL_CHUNK)}
        backend.runtime.launch(source, [backend.binding(src)], dst, {**params, **window}, math.prod(shape))
    return [storage]


@launcher("im2col")
def im2col(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    oh_ow = _windows(x.shape[2:], attrs)
    return _run(backend, "im2col", x, shape, dtype, _geometry(attrs, x.shape[1], x.shape[2:], oh_ow))


@launcher("col2im")
def col2im(backend, op, inputs, attrs, out_meta):
    (cols,), ((shape, dtype),) = inputs, out_meta
    oh_ow = _windows(attrs["output_size"], attrs)
    return _run(backend, "col2im", cols, shape, dtype, _geometry(attrs, shape[1], shape[2:], oh_ow))


def _windows(hw, attrs):
    return blocks(tuple(hw), attrs["kernel_size"], attrs["dilation"], attrs["padding"], attrs["stride"])

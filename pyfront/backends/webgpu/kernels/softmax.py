"""softmax and log_softmax along one dim, fused into one kernel (softmax.wgsl, softmax_serial.wgsl)."""
from __future__ import annotations

import math

from ..layout import wgsl_type
from ..runtime import specialise
from . import launcher
from .scan import SERIAL_BELOW, row_params


@launcher("softmax", "log_softmax")
def softmax(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    storage = backend.allocate(math.prod(shape), dtype)
    m, n, params = row_params(x, attrs["dim"], (int(attrs["log"]), 0))
    if not m * n:
        return [storage]
    ty = wgsl_type(dtype)
    serial = n < SERIAL_BELOW
    source = specialise("softmax_serial.wgsl" if serial else "softmax.wgsl",
                        enable="enable f16;" if ty == "f16" else "", type=ty)
    backend.runtime.launch(source, [backend.binding(x)], [(storage.data, 0, storage.nbytes)], params,
                           m if serial else m * 256)
    return [storage]

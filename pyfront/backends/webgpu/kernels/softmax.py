"""softmax and log_softmax along one dim: fused into one kernel per row (softmax.wgsl,
softmax_serial.wgsl), or for rows longer than LONG_ROW, composed of the chunked reduction and
elementwise kernels so that no invocation's work grows with the row."""
from __future__ import annotations

import math

from .... import dtypes as dt
from ...storage import dense
from ..layout import wgsl_type
from ..runtime import WORKGROUP, specialise
from . import launcher
from .elementwise import run_elementwise
from .reduce import fold
from .scan import SERIAL_BELOW, row_params

LONG_ROW = 16384  # softmax.wgsl: 3 x 64 elements per thread at most


@launcher("softmax", "log_softmax")
def softmax(backend, op, inputs, attrs, out_meta):
    (x,), ((shape, dtype),) = inputs, out_meta
    storage = backend.allocate(math.prod(shape), dtype)
    m, n, rows = row_params(x, attrs["dim"])
    if not m * n:
        return [storage]
    if n > LONG_ROW:
        _long_rows(backend, x, attrs["dim"], attrs["log"], storage, dtype)
        return [storage]
    ty = wgsl_type(dtype)
    serial = n < SERIAL_BELOW
    source = specialise("softmax_serial.wgsl" if serial else "softmax.wgsl",
                        enable="enable f16;" if ty == "f16" else "", type=ty)
    backend.runtime.launch(source, [backend.binding(x)], [(storage.data, 0, storage.nbytes)],
                           {"rows": rows, "log": int(attrs["log"])}, m if serial else m * WORKGROUP)
    return [storage]


def _long_rows(backend, x, dim, log, storage, dtype):
    """The row maximum (amax propagates NaN, as the fused kernel), the sum of exp(x - max), then
    each element, in float32 throughout."""
    kept = tuple(1 if d == dim else n for d, n in enumerate(x.shape))

    def per_row():
        return dense(backend.allocate(math.prod(kept), dt.float32), kept, dt.float32)

    row_max, total = per_row(), per_row()
    fold(backend, "amax", x, (dim,), row_max.storage, dt.float32)
    shifted = dense(backend.allocate(x.numel(), dt.float32), tuple(x.shape), dt.float32)
    run_elementwise(backend, "exp_f32(f32(a) - b)", [x, row_max], shifted)
    fold(backend, "sum", shifted, (dim,), total.storage, dt.float32)
    result = "(f32(a) - b) - log1p_f32(c - 1.0)" if log else "exp_f32(f32(a) - b) / c"
    run_elementwise(backend, result, [x, row_max, total], dense(storage, tuple(x.shape), dtype))

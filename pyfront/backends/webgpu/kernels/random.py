"""Random tensors from the Philox kernel (the same stream as the NumPy backend's)."""
from __future__ import annotations

from ..layout import wgsl_type
from ..runtime import specialise

# How two words become one value; mirrors backends/numpy.py (uniform from the top 24 bits).
_CONVERT = {
    "uniform": "T(params.a + (params.b - params.a) * (f32(w0 >> 8u) / 16777216.0))",
    "normal": "T(params.a + params.b * sqrt(-2.0 * log((f32(w0 >> 8u) + 1.0) / 16777216.0))"
              " * cos(6.283185307179586 * f32(w1 >> 8u) / 16777216.0))",
    "randint": "T(params.a + i32(w0 % params.span))",
}


def philox(backend, kind, n, dtype, seed, offset, a, b):
    storage = backend.allocate(n, dtype)
    ty = wgsl_type(dtype)
    words = 2 if kind == "normal" else 1
    if kind == "randint" and b - a > (1 << 31):
        raise RuntimeError("webgpu randint: the range high - low must fit in 32 bits")
    source = specialise("philox.wgsl", enable="enable f16;" if ty == "f16" else "", out_type=ty,
                        convert=_CONVERT[kind].replace("T(", f"{ty}("),
                        bound_type="i32" if kind == "randint" else "f32")
    if kind == "randint":
        a, b, span = int(a), int(b), (b - a) & 0xFFFFFFFF
    else:
        a, b, span = float(a), float(b), 0
    params = dict(count=n, seed_low=seed & 0xFFFFFFFF, seed_high=seed >> 32, first_low=offset & 0xFFFFFFFF,
                  first_high=offset >> 32, words=words, a=a, b=b, span=span)
    backend.runtime.launch(source, [], [(storage.data, 0, storage.nbytes)], params, n)
    return storage

"""Random tensors from the Philox kernel (the same stream as the NumPy backend's)."""
from __future__ import annotations

from ..layout import wgsl_type
from ..runtime import f32_bits, specialise

# How two words become one value; mirrors backends/numpy.py (uniform from the top 24 bits).
_CONVERT = {
    "uniform": "T(PF(6u) + (PF(7u) - PF(6u)) * (f32(w0 >> 8u) / 16777216.0))",
    "normal": "T(PF(6u) + PF(7u) * sqrt(-2.0 * log((f32(w0 >> 8u) + 1.0) / 16777216.0))"
              " * cos(6.283185307179586 * f32(w1 >> 8u) / 16777216.0))",
    "randint": "T(PI(6u) + i32(w0 % P(8u)))",
}


def philox(backend, kind, n, dtype, seed, offset, a, b):
    storage = backend.allocate(n, dtype)
    ty = wgsl_type(dtype)
    words = 2 if kind == "normal" else 1
    if kind == "randint" and b - a > (1 << 31):
        raise RuntimeError("webgpu randint: the range high - low must fit in 32 bits")
    source = specialise("philox.wgsl", enable="enable f16;" if ty == "f16" else "", out_type=ty,
                        convert=_CONVERT[kind].replace("T(", f"{ty}("))
    if kind == "randint":
        pa, pb, span = a & 0xFFFFFFFF, b & 0xFFFFFFFF, (b - a) & 0xFFFFFFFF
    else:
        pa, pb, span = f32_bits(a), f32_bits(b), 0
    params = [n, seed & 0xFFFFFFFF, seed >> 32, offset & 0xFFFFFFFF, offset >> 32, words, pa, pb, span]
    backend.runtime.launch(source, [], [(storage.data, 0, storage.nbytes)], params, n)
    return storage

"""``pyfront.backends.cpu``: the vector instruction set the cpu device's kernels (NumPy's) use."""
from __future__ import annotations

import functools
import os

# torch's names (at::get_cpu_capability) for the x86 levels, highest first, with what each needs
_LEVELS = (("AVX512", ("AVX512F", "AVX512BW", "AVX512VL", "AVX512DQ")), ("AVX2", ("AVX2", "FMA3")))


@functools.cache
def get_cpu_capability() -> str:
    """"AVX512", "AVX2" or "DEFAULT", as ``torch.backends.cpu.get_cpu_capability``: the highest of torch's
    x86 levels this CPU offers and ATEN_CPU_CAPABILITY allows (its lowercase names, as torch's dispatch reads
    it), read from NumPy's run-time feature detection ("DEFAULT" without NumPy, and on other architectures,
    where torch names its ARM levels only when built for them)."""
    features = _cpu_features()
    names = [name for name, _ in _LEVELS]
    asked = os.environ.get("ATEN_CPU_CAPABILITY", "")
    allowed = (names[names.index(asked.upper()):] if asked in ("avx512", "avx2")
               else names * (asked != "default"))
    for name, needs in _LEVELS:
        if name in allowed and all(features.get(f) for f in needs):
            return name
    return "DEFAULT"


def _cpu_features() -> dict:
    for module in ("numpy._core._multiarray_umath", "numpy.core._multiarray_umath"):  # NumPy 2, NumPy 1
        try:
            return dict(__import__(module, fromlist=["__cpu_features__"]).__cpu_features__)
        except (ImportError, AttributeError):
            continue
    return {}

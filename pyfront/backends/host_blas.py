"""The level-1 BLAS that NumPy's own build loaded (OpenBLAS in NumPy's wheels), through ctypes.

Two of its routines serve the cpu device: ``axpy`` (y += alpha * x) and ``scal`` (x *= alpha). On a CPU
with fused multiply-add OpenBLAS's axpy rounds once per element, as torch's CPU ``add(alpha=)`` does (its
vectors' fmadd), and it runs a large vector on its own spinning thread pool without returning to Python:
SGD's update through it is both torch's numbers and about twice as fast as NumPy ufuncs. Only the library
NumPy itself loaded is used (no search of the system), found once on first use. Where there is none
(Pyodide, a NumPy built on MKL or Accelerate, no ctypes) the functions answer False and callers compute
the same numbers in NumPy. Every call checks its arrays first: a wrong pointer or length would not raise,
it would corrupt memory or crash the process.
"""
from __future__ import annotations

import functools
import math
import os
import sys

@functools.cache
def _routines():
    """{(routine, dtype char): ctypes function} of NumPy's OpenBLAS, or None where there is none."""
    try:
        import ctypes

        import numpy as np
    except ImportError:
        return None
    try:
        blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
    except (AttributeError, KeyError, TypeError):
        return None
    if "openblas" not in str(blas.get("name", "")).lower():  # MKL, Accelerate, a reference BLAS: unknown here
        return None
    wide = "USE64BITINT" in str(blas.get("openblas configuration", ""))
    for path in _loaded_openblas(np):
        try:
            lib = ctypes.CDLL(path)  # already in the process (NumPy loaded it): the same handle, nothing new
        except OSError:
            continue
        found = _bind(ctypes, lib, wide)
        if found is not None:
            return {**found, "ndarray": np.ndarray, "may_share_memory": np.may_share_memory}
    return None


def _loaded_openblas(np) -> list:
    """The OpenBLAS files NumPy loaded (its core extension links it): on Linux those mapped into this
    process, elsewhere the ones its
    wheel ships beside the package (numpy.libs, numpy/.dylibs)."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.rsplit(None, 1)[-1] if line.count(" ") >= 5 else ""
                if "openblas" in os.path.basename(path).lower() and path not in paths:
                    paths.append(path)
    except OSError:
        pass
    if paths or sys.platform.startswith("linux"):
        return paths
    here = os.path.dirname(np.__file__)
    for folder in (os.path.join(here, ".dylibs"), os.path.join(here, os.pardir, "numpy.libs")):
        if os.path.isdir(folder):
            paths += [os.path.join(folder, f) for f in sorted(os.listdir(folder))
                      if "openblas" in f.lower() and f.endswith((".so", ".dylib", ".dll"))]
    return paths


def _bind(ctypes, lib, wide):
    """The four routines under the first symbol spelling the library has (scipy's wheels prefix and
    suffix theirs: scipy_cblas_saxpy64_), their argument types declared so ctypes converts and checks."""
    for prefix, suffix in (("scipy_cblas_", "64_"), ("cblas_", "64_"), ("scipy_cblas_", ""), ("cblas_", "")):
        try:
            names = {(r, c): getattr(lib, f"{prefix}{c}{r}{suffix}") for r in ("axpy", "scal") for c in "sd"}
        except AttributeError:
            continue
        n = ctypes.c_int64 if wide or suffix else ctypes.c_int32
        ptr = ctypes.c_void_p
        for (routine, char), fn in names.items():
            scalar = ctypes.c_float if char == "s" else ctypes.c_double
            fn.restype = None
            fn.argtypes = [n, scalar, ptr, n, ptr, n] if routine == "axpy" else [n, scalar, ptr, n]
        limit = 2 ** 63 - 1 if n is ctypes.c_int64 else 2 ** 31 - 1
        return {"limit": limit, **names}
    return None


_CHAR = {"float32": "s", "float64": "d"}


def _usable(found, a, alpha) -> str | None:
    """The dtype's routine letter where ``a`` may be handed to BLAS: a native-order float32/float64
    ndarray, row-major and writable or read (checked by the caller), of a length the interface holds;
    ``alpha`` a finite nonzero number (OpenBLAS skips the work for a zero alpha, so a NaN or an infinity
    in x would not reach y as torch's 0 * inf does)."""
    if found is None or type(alpha) not in (float, int) or not math.isfinite(alpha) or alpha == 0:
        return None
    char = _CHAR.get(a.dtype.name) if type(a) is found["ndarray"] and a.dtype.isnative else None
    if char is None or not a.flags.c_contiguous or a.size > found["limit"]:
        return None
    return char


def axpy(alpha, x, y) -> bool:
    """``y += alpha * x`` in place, each element rounded once; False (nothing written) where BLAS can't:
    no BLAS, another dtype, a strided or read-only array, x and y of other shapes or dtypes, overlapping."""
    found = _routines()
    char = _usable(found, y, alpha)
    if (char is None or type(x) is not type(y) or x.dtype != y.dtype or x.shape != y.shape
            or not x.flags.c_contiguous or not y.flags.writeable):
        return False
    if found["may_share_memory"](x, y):
        return False
    if y.size:
        found[("axpy", char)](y.size, alpha, x.ctypes.data, 1, y.ctypes.data, 1)
    return True


def scal(alpha, x) -> bool:
    """``x *= alpha`` in place (one rounding, as NumPy's multiply); False where BLAS can't."""
    found = _routines()
    char = _usable(found, x, alpha)
    if char is None or not x.flags.writeable:
        return False
    if x.size:
        found[("scal", char)](x.size, alpha, x.ctypes.data, 1)
    return True

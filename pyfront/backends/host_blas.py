"""The level-1 BLAS that NumPy's own build loaded (OpenBLAS in NumPy's wheels), through ctypes.

One routine serves the cpu device: ``axpy`` (y += alpha * x). On a CPU with fused multiply-add OpenBLAS's
axpy rounds once per element, as torch's CPU ``add(alpha=)`` does (its vectors' fmadd), in one pass where
NumPy needs a product, a temporary and a sum. (``scal`` is NumPy's in-place multiply's numbers and speed:
not used.) Only the library
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
    """{("axpy", dtype letter): ctypes function} of NumPy's OpenBLAS, or None where there is none."""
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
            return {**found, "ndarray": np.ndarray, "address": functools.partial(_address, ctypes)}
    return None


def _address(ctypes, a) -> int:
    """Where ``a``'s (non-empty) data starts: through the buffer protocol, a sixth of ``a.ctypes.data``'s
    cost (which builds an object per call), where NumPy lends a writable buffer."""
    if a.flags.writeable:
        return ctypes.addressof(ctypes.c_char.from_buffer(a))
    return a.ctypes.data


def _loaded_openblas(np) -> list:
    """The OpenBLAS files NumPy loaded (its core extension links it): on Linux those mapped into this
    process, elsewhere the ones its
    wheel ships beside the package (numpy.libs, numpy/.dylibs)."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                fields = line.rstrip("\n").split(None, 5)  # the path, the sixth field, may hold spaces
                path = fields[5] if len(fields) == 6 else ""
                if os.path.isabs(path) and "openblas" in os.path.basename(path).lower() and path not in paths:
                    paths.append(path)
    except OSError:
        pass
    if paths or sys.platform.startswith("linux"):
        # NumPy's own first: another library's OpenBLAS (SciPy's) may be mapped too, of another width
        here = os.path.dirname(os.path.dirname(os.path.abspath(np.__file__)))
        return sorted(paths, key=lambda p: not p.startswith(here))
    here = os.path.dirname(np.__file__)
    for folder in (os.path.join(here, ".dylibs"), os.path.join(here, os.pardir, "numpy.libs")):
        if os.path.isdir(folder):
            paths += [os.path.join(folder, f) for f in sorted(os.listdir(folder))
                      if "openblas" in f.lower() and f.endswith((".so", ".dylib", ".dll"))]
    return paths


def _bind(ctypes, lib, wide):
    """saxpy and daxpy under the first symbol spelling the library has (scipy's wheels prefix and suffix
    theirs: scipy_cblas_saxpy64_), their argument types declared so ctypes converts and checks."""
    for prefix, suffix in (("scipy_cblas_", "64_"), ("cblas_", "64_"), ("scipy_cblas_", ""), ("cblas_", "")):
        try:
            names = {("axpy", c): getattr(lib, f"{prefix}{c}axpy{suffix}") for c in "sd"}
        except AttributeError:
            continue
        n = ctypes.c_int64 if wide or suffix else ctypes.c_int32
        ptr = ctypes.c_void_p
        for (_, char), fn in names.items():
            fn.restype = None
            fn.argtypes = [n, ctypes.c_float if char == "s" else ctypes.c_double, ptr, n, ptr, n]
        limit = 2 ** 63 - 1 if n is ctypes.c_int64 else 2 ** 31 - 1
        threads = None
        for name in (f"{prefix[:-6]}openblas_get_num_threads{suffix}", "openblas_get_num_threads"):
            threads = getattr(lib, name, None)
            if threads is not None:
                threads.restype, threads.argtypes = ctypes.c_int, []
                break
        return {"limit": limit, "threads": threads, **names}
    return None


# Calls of at most this many elements: OpenBLAS runs a longer vector on its thread pool, whose handoff
# costs a scheduler time slice where the cores are busy (measured on a loaded 2-core machine: one
# 400k-element axpy 10-60 ms, where a thread alone takes 0.2 ms); its axpy stays on the calling thread up
# to 10,000 elements. (A call costs ~1 us: where OpenBLAS has one thread, a vector goes whole.)
_PIECE = 8192
_CHAR = {"f": "s", "d": "d"}  # NumPy's dtype char (float32, float64) -> the routine's letter
_FLOAT32_ZERO = 2.0 ** -150  # half float32's least subnormal: an alpha this small rounds to 0


def axpy(alpha, x, y) -> bool:
    """``y += alpha * x`` in place, each element rounded once; False (nothing written) where BLAS can't:
    no BLAS, another dtype than a native float32/float64, a strided or read-only array, x and y of other
    shapes or dtypes, overlapping memory, a length past the interface's integers, or an ``alpha`` that is
    not a finite nonzero number (OpenBLAS skips the work for a zero alpha, so a NaN or an infinity in x
    would not reach y as torch's 0 * inf does). Checked in one frame: it runs per parameter per step."""
    found = _routines()
    if (found is None or type(alpha) not in (float, int) or not math.isfinite(alpha)
            or type(x) is not found["ndarray"] or type(y) is not found["ndarray"]):
        return False
    dtype = y.dtype
    char = _CHAR.get(dtype.char)
    if abs(alpha) <= (_FLOAT32_ZERO if char == "s" else 0):  # zero once it is the routine's float
        return False
    if (char is None or not dtype.isnative or (x.dtype is not dtype and x.dtype != dtype)
            or x.shape != y.shape):
        return False
    n = y.size
    if not (x.flags.c_contiguous and y.flags.c_contiguous and y.flags.writeable) or n > found["limit"]:
        return False
    if not n:
        return True
    address = found["address"]
    px, py = address(x), address(y)
    if px < py + y.nbytes and py < px + x.nbytes:  # one memory: BLAS would read what it has written
        return False
    fn, threads = found[("axpy", char)], found["threads"]
    if n <= _PIECE or threads is not None and threads() == 1:  # on this thread whatever its length
        fn(n, alpha, px, 1, py, 1)
        return True
    step = y.itemsize
    for at in range(0, n, _PIECE):
        fn(min(_PIECE, n - at), alpha, px + at * step, 1, py + at * step, 1)
    return True


"""The level-1 BLAS of this process, through ctypes: oneMKL's where the ``mkl`` extra is installed (host_gemm
loads it: torch's own BLAS, which splits a long vector over its threads as torch's kernels do), else the
OpenBLAS NumPy's own build loaded (NumPy's wheels), which runs it on the calling thread.

One operation serves the cpu device: ``axpy`` (y += alpha * x), rounded once per element as torch's CPU
``add(alpha=)`` does (its vectors' fmadd), in one pass where NumPy needs a product, a temporary and a sum.
``axpby`` (y = alpha * x + beta * y; OpenBLAS's and MKL's kernels: fma(alpha, x, beta * y)) computes it with
beta 1 in one call of any length; OpenBLAS's ``axpy`` threads a long vector, so it is called in pieces.
Which of them rounds once is measured on first use (a CPU without fused multiply-add rounds twice, and a
compiler may fuse the other product), not assumed. (``scal`` is NumPy's in-place multiply's numbers and
speed: not used.) Only libraries already in the process are used (no search of the system), found once on
first use (again in a forked child, which leaves MKL to its parent: see host_gemm). Where there is none
(Pyodide, a NumPy built on Accelerate, no ctypes) the functions answer False and callers compute the same
numbers in NumPy. Every call checks its arrays first: a wrong pointer or length would not raise, it would
corrupt memory or crash the process.
"""
from __future__ import annotations

import functools
import math
import os
import sys

from . import host_gemm
from .addresses import address


@functools.cache
def _routines():
    """{("axpy" or "axpby", dtype letter): ctypes function, or None where it does not round once, "pool":
    whether the library threads a call itself} of MKL or else NumPy's OpenBLAS, or None where neither is."""
    try:
        import ctypes

        import numpy as np
    except ImportError:
        return None
    found = _mkl(ctypes) or _openblas(ctypes, np)
    if found is None:
        return None
    found.update(ndarray=np.ndarray, address=address)
    for char in "sd":  # axpby where it rounds once (axpy then unused), else axpy where it does
        for key in (("axpby", char), ("axpy", char)):
            if found[key] is not None and not _rounds_once(np, found, key, found[key]):
                found[key] = None
            if found[key] is not None:
                break
    return found


def threaded() -> bool:
    """Whether a call runs on the library's own thread pool (MKL's), so that one call over a whole array
    uses the cores, where pieces of it would each pay the pool's start and join."""
    found = _routines()
    return bool(found and found["pool"])


def _mkl(ctypes):
    """MKL's routines (host_gemm's library, its 32-bit interface), or None where products do not run on it."""
    gemm = host_gemm._routines()
    if not gemm:
        return None
    found = _bind(ctypes, gemm["lib"], False, (("cblas_", ""),))
    if found is None:
        return None
    if hasattr(os, "register_at_fork"):  # a forked child finds host_gemm's MKL gone: NumPy's OpenBLAS then
        os.register_at_fork(after_in_child=_routines.cache_clear)
    return {**found, "pool": True}


def _openblas(ctypes, np):
    """NumPy's OpenBLAS's routines, or None where NumPy's BLAS is another or not found."""
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
            return {**found, "pool": False}
    return None


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


# the symbol spellings an OpenBLAS may have (scipy's wheels prefix and suffix theirs: scipy_cblas_saxpy64_)
_OPENBLAS_SPELLINGS = (("scipy_cblas_", "64_"), ("cblas_", "64_"), ("scipy_cblas_", ""), ("cblas_", ""))


def _bind(ctypes, lib, wide, spellings=_OPENBLAS_SPELLINGS):
    """saxpy, daxpy, saxpby and daxpby (None where the library lacks it) under the first of ``spellings``
    (prefix, suffix) the library has, their argument types declared so ctypes converts and checks."""
    for prefix, suffix in spellings:
        try:
            names = {("axpy", c): getattr(lib, f"{prefix}{c}axpy{suffix}") for c in "sd"}
        except AttributeError:
            continue
        names.update({("axpby", c): getattr(lib, f"{prefix}{c}axpby{suffix}", None) for c in "sd"})
        n = ctypes.c_int64 if wide or suffix else ctypes.c_int32
        ptr = ctypes.c_void_p
        for (name, char), fn in names.items():
            scale = ctypes.c_float if char == "s" else ctypes.c_double
            if fn is not None:  # axpy(n, alpha, x, incx, y, incy), axpby(n, alpha, x, incx, beta, y, incy)
                fn.restype = None
                fn.argtypes = [n, scale, ptr, n, *([] if name == "axpy" else [scale]), ptr, n]
        limit = 2 ** 63 - 1 if n is ctypes.c_int64 else 2 ** 31 - 1
        threads = None
        for name in (f"{prefix[:-6]}openblas_get_num_threads{suffix}", "openblas_get_num_threads"):
            threads = getattr(lib, name, None)
            if threads is not None:
                threads.restype, threads.argtypes = ctypes.c_int, []
                break
        return {"limit": limit, "threads": threads, **names}
    return None


def _rounds_once(np, found, key, fn) -> bool:
    """Whether routine ``fn`` (axpy or axpby, of dtype letter key[1]) gives axpby's numbers: ``beta * y``
    rounded, then ``+ alpha * x`` rounded once (beta 1 for axpy; axpby is asked of 1 and of another beta),
    on vectors where other roundings (the product alpha * x first, beta * y fused, every step rounded) give
    other numbers in every element: beta * y is about minus the product, so what is left is the roundings'
    own errors. Lengths and misaligned starts that take each path of a vector kernel (its head, its
    unrolled body, its tail)."""
    from .scaled_add import fused_multiply_add  # the NumPy path's numbers (scaled_add calls this module)

    dtype = np.float32 if key[1] == "s" else np.float64
    alpha = float(dtype(1.1))  # full significands: their products are inexact
    address = found["address"]
    for beta in (1.0,) if key[0] == "axpy" else (1.0, float(dtype(0.9))):
        x = (1 + np.arange(140) / 137).astype(dtype)
        y = -(x * dtype(alpha)) / dtype(beta)
        want = fused_multiply_add(np, x, dtype(alpha), y * dtype(beta))
        x, y, want = x[want != 0], y[want != 0], want[want != 0]  # (exact products test no rounding)
        for start in range(4):
            for n in (1, 3, 8, 33, 67, 129):
                got = y.copy()
                px, py = address(x) + start * x.itemsize, address(got) + start * x.itemsize
                fn(n, alpha, px, 1, py, 1) if key[0] == "axpy" else fn(n, alpha, px, 1, beta, py, 1)
                if not np.array_equal(got[start:start + n], want[start:start + n]):
                    return False
    return True


# Calls of at most this many elements: OpenBLAS runs a longer vector on its thread pool (its axpy
# interface: n > 10000; measured here, 10,001 wakes a worker), whose handoff costs a scheduler time slice
# where the cores are busy (measured on a loaded 2-core machine: one 400k-element axpy 10-60 ms, where a
# thread alone takes 0.2 ms). (A call costs ~1 us: where OpenBLAS has one thread, a vector goes whole.)
PIECE = 10000
_CHAR = {"f": "s", "d": "d"}  # NumPy's dtype char (float32, float64) -> the routine's letter
_FLOAT32_ZERO = 2.0 ** -150  # half float32's least subnormal: an alpha this small rounds to 0


def available(dtype) -> bool:
    """Whether ``axpy`` computes arrays of NumPy ``dtype`` here (it may still refuse an alpha or a layout)."""
    found = _routines()
    char = _CHAR.get(dtype.char)
    return found is not None and char is not None and (found[("axpby", char)] is not None
                                                         or found[("axpy", char)] is not None)


def axpy(alpha, x, y) -> bool:
    """``y += alpha * x`` in place, each element rounded once; False (nothing written) where BLAS can't:
    see axpby (this is its beta 1)."""
    return axpby(alpha, x, 1, y)


def axpby(alpha, x, beta, y) -> bool:
    """``y = beta * y + alpha * x`` in place as torch's ``y.mul_(beta).add_(x, alpha=alpha)``: the product
    ``beta * y`` rounded, then the sum rounded once (beta 1: ``y += alpha * x`` rounded once). False
    (nothing written) where BLAS can't: no BLAS, no routine that rounds so (beta other than 1 takes axpby
    alone), another dtype than a native float32/float64, a strided or read-only array, x and y of other
    shapes or dtypes, overlapping memory, a length past the interface's integers, or an ``alpha`` or a
    ``beta`` that is not a finite nonzero number (OpenBLAS skips a term whose factor is zero, so a NaN or
    an infinity would not reach y as torch's 0 * inf does). Checked in one frame: it runs per parameter
    per optimizer step."""
    found = _routines()
    if (found is None or type(alpha) not in (float, int) or type(beta) not in (float, int)
            or not math.isfinite(alpha) or not math.isfinite(beta)
            or type(x) is not found["ndarray"] or type(y) is not found["ndarray"]):
        return False
    dtype = y.dtype
    char = _CHAR.get(dtype.char)
    zero = _FLOAT32_ZERO if char == "s" else 0  # a number this small is zero once it is the routine's float
    if abs(alpha) <= zero or abs(beta) <= zero:
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
    whole = found[("axpby", char)]
    if whole is not None:  # never threaded: any length in one call
        whole(n, alpha, px, 1, beta, py, 1)
        return True
    fn, threads = found[("axpy", char)], found["threads"]
    if fn is None or beta != 1:
        return False
    if n <= PIECE or threads is not None and threads() == 1:  # on this thread whatever its length
        fn(n, alpha, px, 1, py, 1)
        return True
    # the pieces' arguments made once, of the routine's declared types: ctypes passes such an object as
    # it is, where it converts a Python number anew per argument per call (~40% of a call's cost)
    count, scale, pointer = fn.argtypes[:3]
    size, alpha, one = count(PIECE), scale(alpha), count(1)
    vx, vy = pointer(px), pointer(py)
    step, apart = PIECE * y.itemsize, py - px
    end = px + (n - 1) // PIECE * step  # the last piece's start: PIECE elements or fewer
    for at in range(px, end, step):
        vx.value, vy.value = at, at + apart
        fn(size, alpha, vx, one, vy, one)
    vx.value, vy.value = end, end + apart
    fn(n - (end - px) // y.itemsize, alpha, vx, one, vy, one)
    return True

"""Matrix products on the cpu through oneMKL, the BLAS torch's CPU build links, where the optional ``mkl``
package is installed (``pip install "pyfront[mkl]"``).

With it, float32 and float64 ``mm``, ``addmm`` and ``F.linear`` run torch's own kernel: the same numbers
bit for bit (the bias added by the kernel's ``beta``, as torch's addmm copies the bias into its result
and calls gemm with beta 1), and the same use of the cores (NumPy's OpenBLAS takes 1.26-1.33x MKL's time
for an MLP's products on two threads, where one thread alone is within 5%). Without it, and for anything
else (other dtypes, a layout BLAS cannot read, sizes past MKL's 32-bit integers), ``matmul`` answers None
and the caller computes with NumPy as before. Only the ``mkl`` distribution's own library is loaded,
found through its installed file list, never one searched for on the system; every call checks its arrays
first (a wrong pointer or leading dimension would not raise, it would corrupt memory).
"""
from __future__ import annotations

import functools
import os

# CBLAS's enumerations (cblas.h)
_ROW_MAJOR, _NO_TRANS, _TRANS = 101, 111, 112
_LIMIT = 2 ** 31 - 1  # mkl_rt's default interface (LP64) takes 32-bit integers


@functools.cache
def _routines():
    """{"f": cblas_sgemm, "d": cblas_dgemm, "batchedf"/"batchedd": their _batch_strided forms, "lib": the
    library, "np": numpy} of the installed ``mkl`` package's runtime library (mkl_rt, which picks the CPU's
    kernels and MKL's threading itself), or None where there is none (not installed, another platform,
    Pyodide, no ctypes); emptied in a forked child."""
    try:
        import ctypes
        import importlib.metadata as metadata

        import numpy as np
    except ImportError:
        return None
    try:
        files = metadata.distribution("mkl").files or ()
    except metadata.PackageNotFoundError:
        return None
    for file in files:  # libmkl_rt.so.2 (Linux), mkl_rt.2.dll (Windows)
        if not file.name.startswith(("libmkl_rt.", "mkl_rt.")):
            continue
        try:
            lib = ctypes.CDLL(str(file.locate()))
            found = {"f": lib.cblas_sgemm, "d": lib.cblas_dgemm, "batchedf": lib.cblas_sgemm_batch_strided,
                 "batchedd": lib.cblas_dgemm_batch_strided, "lib": lib, "np": np}
        except (OSError, AttributeError):
            continue
        n, enum, ptr = ctypes.c_int32, ctypes.c_int, ctypes.c_void_p
        for char, scale in (("f", ctypes.c_float), ("d", ctypes.c_double)):
            # gemm(order, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            found[char].restype = None
            found[char].argtypes = [enum, enum, enum, n, n, n, scale, ptr, n, ptr, n, scale, ptr, n]
            # the same with each operand's batch stride after its leading dimension, and the batch count
            found["batched" + char].restype = None
            found["batched" + char].argtypes = [enum, enum, enum, n, n, n, scale, ptr, n, n, ptr, n, n, scale,
                                                ptr, n, n, n]
        # A forked child (a DataLoader worker) leaves MKL alone and computes with NumPy: MKL's OpenMP
        # runtime does not survive fork where another is loaded too (torch's libgomp): there the child's
        # first product waited forever, even on one thread once the parent had run products on two of its
        # own threads (measured). The emptied dict reads as no MKL.
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=found.clear)
        return found
    return None


def available() -> bool:
    """Whether products go through MKL in this process."""
    return bool(_routines())


def describe() -> str:
    """The BLAS the cpu device's float products run on: MKL's version string, or NumPy's BLAS."""
    found = _routines()
    if not found:
        try:
            import numpy as np
        except ImportError:
            return "none (no NumPy: the cpu device holds tensors, webgpu computes)"
        try:
            blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
            return f"NumPy's {blas['name']} {blas['version']}"
        except (AttributeError, KeyError, TypeError):
            return "NumPy's BLAS"
    import ctypes

    text = ctypes.create_string_buffer(256)
    found["lib"].MKL_Get_Version_String(text, len(text))
    return text.value.decode(errors="replace")


def set_num_threads(n: int) -> None:
    """Size MKL's thread pool (as torch.set_num_threads does its MKL's), where MKL is in use."""
    found = _routines()
    if found:
        found["lib"].MKL_Set_Num_Threads(n)


def _operand(x, rows: int, cols: int):
    """(transpose flag, leading dimension) with which BLAS reads ``x``'s last two dims (rows, cols) where
    they are, or None where it cannot: neither dim of unit stride, a leading stride shorter than the other
    dim (a broadcast or overlapping view), negative, past 32 bits or unaligned."""
    if not x.flags.aligned:
        return None
    step, (s0, s1) = x.itemsize, x.strides[-2:]
    if s1 == step and s0 % step == 0 and max(1, cols) * step <= s0 <= _LIMIT * step:
        return _NO_TRANS, s0 // step
    if s0 == step and s1 % step == 0 and max(1, rows) * step <= s1 <= _LIMIT * step:
        return _TRANS, s1 // step
    return None


def _address(x) -> int:
    # through the array interface: ``x.ctypes`` imports a NumPy module on every read
    return x.__array_interface__["data"][0]


def matmul(a, b, bias=None):
    """``a @ b`` of NumPy arrays of one dtype, float32 or float64: matrices ``a`` (m, k) and ``b`` (k, n),
    plus ``bias`` broadcast over the rows as addmm's, or batches ``a`` (B, m, k) and ``b`` (B, k, n), as
    bmm's; a fresh row-major (m, n) or (B, m, n) array computed by MKL (an operand it cannot read in place
    copied first). None (nothing computed) where MKL is absent or cannot take these operands (other dtypes,
    sizes or batch strides past its 32-bit integers): the caller uses NumPy."""
    found = _routines()
    if not found:
        return None
    np = found["np"]
    char = a.dtype.char
    if (char not in "fd" or type(a) is not np.ndarray or type(b) is not np.ndarray or b.dtype != a.dtype
            or not a.dtype.isnative or a.ndim != b.ndim or a.ndim not in (2, 3)):
        return None
    *batch, m, k = a.shape
    n = b.shape[-1]
    if not (m and n and k and all(batch)) or max(m, n, k, *batch) > _LIMIT:  # empty: NumPy's zeros
        return None
    step = a.itemsize
    if batch and (m * n > _LIMIT or not all(0 <= x.strides[0] <= _LIMIT * step and x.strides[0] % step == 0
                                            for x in (a, b))):
        return None
    # an operand BLAS cannot read where it is (broadcast rows, a step, unaligned) is copied row-major, as
    # torch's addmm and bmm copy one: the product is still MKL's, so still torch's numbers
    read_a, read_b = _operand(a, m, k), _operand(b, k, n)
    if read_a is None:
        a = np.ascontiguousarray(a)
        read_a = _operand(a, m, k)
    if read_b is None:
        b = np.ascontiguousarray(b)
        read_b = _operand(b, k, n)
    out = np.empty((*batch, m, n), a.dtype)
    beta = 0.0  # C is not read: its garbage (NaN) cannot reach the result
    if bias is not None and not batch:
        out[...] = bias
        beta = 1.0
    head = (_ROW_MAJOR, read_a[0], read_b[0], m, n, k, 1.0)
    if not batch:
        found[char](*head, _address(a), read_a[1], _address(b), read_b[1], beta, _address(out), n)
        return out
    found["batched" + char](*head, _address(a), read_a[1], a.strides[0] // step, _address(b), read_b[1],
                           b.strides[0] // step, beta, _address(out), n, m * n, batch[0])
    return out

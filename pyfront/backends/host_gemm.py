"""Matrix products on the cpu through oneMKL, the BLAS torch's CPU build links, where the optional ``mkl``
package is installed (``pip install "pyfront[mkl]"``).

With it, float32 and float64 ``mm``, ``bmm``, ``addmm`` and ``baddbmm`` (any beta and alpha), ``F.linear``,
``mv``/``addmv`` and ``dot``, and complex64 and complex128 ``mm``, ``bmm``, ``addmm``, ``dot`` and ``vdot``
(cgemm/zgemm, cdotu/cdotc; a conj view read with the conjugate-transpose flag), run torch's own kernels,
called as torch's CPU code calls them (aten/src/ATen/native/LinearAlgebra.cpp: addmm_impl_cpu_,
baddbmm_with_gemm_, addmv_out_cpu's gemv, dot's dot): the same numbers bit for bit (the input added by
gemm's ``beta`` and the product scaled by its ``alpha``, as torch's addmm
copies the input into its result and passes both numbers on; a beta of 0 never reads the input, NaN
included), and the same use of the cores (NumPy's OpenBLAS takes 1.26-1.33x MKL's time for an MLP's
products on two threads, where one thread alone is within 5%). Without it, and for anything
else (other dtypes, a layout BLAS cannot read, sizes past MKL's 32-bit integers), ``matmul`` answers None
and the caller computes with NumPy as before. Only the ``mkl`` distribution's own library is loaded,
found through its installed file list, never one searched for on the system; every call checks its arrays
first (a wrong pointer or leading dimension would not raise, it would corrupt memory).
"""
from __future__ import annotations

import functools
import os

from .addresses import address

# CBLAS's enumerations (cblas.h): torch calls the Fortran interface, which is column-major
_COL_MAJOR, _NO_TRANS, _TRANS, _CONJ_TRANS = 102, 111, 112, 113
_LIMIT = 2 ** 31 - 1  # mkl_rt's default interface (LP64) takes 32-bit integers


@functools.cache
def _routines():
    """{"f": cblas_sgemm, "d": cblas_dgemm, "batchedf"/"batchedd": their _batch_strided forms,
    "gemvf"/"gemvd" and "dotf"/"dotd": cblas_sgemv/dgemv and cblas_sdot/ddot, "lib": the library, "np":
    numpy} of the installed ``mkl`` package's runtime library (mkl_rt, which picks the CPU's
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
                     "batchedd": lib.cblas_dgemm_batch_strided,
                     "dotf": lib.cblas_sdot, "dotd": lib.cblas_ddot,
                     "gemvf": lib.cblas_sgemv, "gemvd": lib.cblas_dgemv,
                     "F": lib.cblas_cgemm, "D": lib.cblas_zgemm, "batchedF": lib.cblas_cgemm_batch_strided,
                     "batchedD": lib.cblas_zgemm_batch_strided,
                     "dotF": lib.cblas_cdotu_sub, "dotD": lib.cblas_zdotu_sub,
                     "dotcF": lib.cblas_cdotc_sub, "dotcD": lib.cblas_zdotc_sub,
                     "lib": lib, "np": np}
        except (OSError, AttributeError):
            continue
        n, enum, ptr = ctypes.c_int32, ctypes.c_int, ctypes.c_void_p
        # complex routines take their scalars by address; the dots write their result to one
        for char, scale in (("f", ctypes.c_float), ("d", ctypes.c_double), ("F", ptr), ("D", ptr)):
            # gemm(order, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
            found[char].restype = None
            found[char].argtypes = [enum, enum, enum, n, n, n, scale, ptr, n, ptr, n, scale, ptr, n]
            # the same with each operand's batch stride after its leading dimension, and the batch count
            found["batched" + char].restype = None
            found["batched" + char].argtypes = [enum, enum, enum, n, n, n, scale, ptr, n, n, ptr, n, n, scale,
                                                ptr, n, n, n]
            if scale is ptr:  # dot(n, x, incx, y, incy, result), and its conjugating form (torch's vdot)
                for name in ("dot" + char, "dotc" + char):
                    found[name].restype = None
                    found[name].argtypes = [n, ptr, n, ptr, n, ptr]
                continue  # (torch's gemv of complex numbers is its own loop)
            # gemv(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
            found["gemv" + char].restype = None
            found["gemv" + char].argtypes = [enum, enum, n, n, scale, ptr, n, ptr, n, scale, ptr, n]
            # dot(n, x, incx, y, incy)
            found["dot" + char].restype = scale
            found["dot" + char].argtypes = [n, ptr, n, ptr, n]
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


def matmul(a, b, c=None, beta=0.0, alpha=1.0, conj=None, strides=None):
    """``beta * c + alpha * (a @ b)`` of NumPy arrays of one dtype, float32, float64, complex64 or complex128,
    as torch's addmm
    computes it: matrices ``a`` (n, k) and ``b`` (k, m), or batches ``a`` (B, n, k) and ``b`` (B, k, m) as
    baddbmm's (its gemm path: the caller takes small products); ``c`` broadcast to the result, not read
    where ``beta`` is 0. A fresh row-major (n, m) or (B, n, m) array computed by MKL (an operand it cannot
    read in place copied first, as torch's is). None (nothing computed) where MKL is absent or cannot take
    these operands (other dtypes, sizes past its 32-bit integers): the caller uses NumPy. ``conj``: for
    matrices, which of ``a`` and ``b`` (a pair of bools) holds the memory of a conj view, whose conjugate is
    multiplied, as torch's addmm reads one (BLAS's conjugate-transpose flag where it reads the matrix
    transposed in place, else the conjugate made first); ``strides``, where given, the pair of the matrices'
    strides in elements as their tensors have them, which torch's choice reads (an array's stride along a
    dim of one element may be another)."""
    found = _routines()
    if not found:
        return None
    np, rank, char = found["np"], a.ndim, a.dtype.char
    if (char not in "fdFD" or type(a) is not np.ndarray or type(b) is not np.ndarray or b.dtype != a.dtype
            or not a.dtype.isnative or b.ndim != rank):
        return None
    if rank == 2:  # (the commonest case in a frame of its own: an MLP's step makes eight such products)
        n, k = a.shape
        m = b.shape[1]
        if not (m and n and k) or m > _LIMIT or n > _LIMIT or k > _LIMIT:  # empty: NumPy's zeros
            return None
        out = np.empty((n, m), a.dtype)
        if beta:  # (torch copies the input in only then: C is not read, its garbage cannot reach the result)
            out[...] = c
        if char in "FD":
            beta, alpha = _scalars(np, a.dtype, beta, alpha)
        return out if _gemm(found, np, char, a, b, out, beta, alpha, conj, strides) else None
    if rank != 3:
        return None
    batch, n, k = a.shape
    m = b.shape[2]
    if not (m and n and k and batch) or max(m, n, k, batch) > _LIMIT:
        return None
    out = np.empty((batch, n, m), a.dtype)
    if beta:
        out[...] = c
    if char in "FD":
        beta, alpha = _scalars(np, a.dtype, beta, alpha)
    if _batch_readable(a) and _batch_readable(b):
        return out if _gemm_batched(found, char, a, b, out, beta, alpha) else None
    # torch's split along the batch: one addmm per matrix, each operand copied where BLAS cannot read it
    for x, y, o in zip(a, b, out):
        if not _gemm(found, np, char, x, y, o, beta, alpha):
            return None
    return out


def _scalars(np, dtype, beta, alpha):
    """(beta, alpha) as complex gemm of ``dtype`` takes them: the address of each, of the dtype itself
    (torch's opmath type for it)."""
    return np.array(beta, dtype).ctypes, np.array(alpha, dtype).ctypes


def _gemm(found, np, char, mat1, mat2, out, beta, alpha, conj=None, strides=None) -> bool:
    """torch's addmm_impl_cpu_ into ``out``, a contiguous (n, m) matrix that holds beta's input: gemm of
    column-major matrices, so a result of one column is computed as it is (C = A B), any other transposed
    (C^T = B^T A^T, the operands swapped), each operand read in place or copied row-major as torch's.
    False (nothing written) where torch's BLAS call would not be made (a leading dimension past 32 bits)."""
    (n, k), m = mat1.shape, mat2.shape[1]
    swap = m != 1
    first, second, rows, cols = (mat2, mat1, m, n) if swap else (mat1, mat2, n, m)
    if conj is None and strides is None:  # (the common case in as few steps)
        a, trans_a, lda = _operand(np, first, swap, rows, k)
        b, trans_b, ldb = _operand(np, second, swap, k, cols)
    else:
        conj_first, conj_second = (False, False) if conj is None else conj[::-1] if swap else conj
        strides_first, strides_second = ((None, None) if strides is None else
                                          strides[::-1] if swap else strides)
        a, trans_a, lda = _operand(np, first, swap, rows, k, conj_first, strides_first)
        b, trans_b, ldb = _operand(np, second, swap, k, cols, conj_second, strides_second)
    if rows == 1 or cols == 1 or k == 1:
        lda, ldb = _normalized(trans_a, trans_b, rows, cols, k, lda, ldb)
    if lda > _LIMIT or ldb > _LIMIT:
        return False
    found[char](_COL_MAJOR, trans_a, trans_b, rows, cols, k, alpha, address(a), lda, address(b), ldb, beta,
                address(out), rows)
    return True


def _normalized(trans_a, trans_b, rows, cols, k, lda, ldb):
    """(lda, ldb) as torch's normalize_last_dims sets them for gemm of (rows x k) (k x cols): a leading
    dimension along a dim of one element is set, not read."""
    if trans_a == _NO_TRANS:
        lda = rows if k == 1 else lda
    elif rows == 1:
        lda = k
    if trans_b == _NO_TRANS:
        ldb = k if cols == 1 else ldb
    elif k == 1:
        ldb = cols
    return lda, ldb


def _operand(np, x, swap, rows, cols, conj=False, strides=None):
    """(array, transpose flag, leading dimension) with which torch's addmm reads matrix ``x`` as gemm's
    column-major operand of ``rows`` x ``cols`` (``x`` itself transposed where ``swap``): in place where one
    dim has unit stride and the other's covers the first's length (so every element BLAS reads is x's
    own), else a row-major copy (a broadcast, a step, an overlap, a negative or unaligned stride). ``conj``:
    ``x`` is a conj view's memory: read transposed with the conjugate-transpose flag, else its conjugate
    made first (torch's resolve_conj: in x's order of dims; its clone: row-major). ``strides``: x's tensor's,
    in elements, where given."""
    step = x.itemsize
    s0, s1 = x.strides if strides is None else (strides[0] * step, strides[1] * step)
    if x.flags.aligned and not s0 % step and not s1 % step:
        unit, lead = (s1 // step, s0 // step) if swap else (s0 // step, s1 // step)
        if unit == 1 and max(1, rows) <= lead:
            if conj:  # (torch's leading dimension: the conjugate's stride along the same dim)
                x = np.conj(x)
                lead = x.strides[0 if swap else 1] // step
            return x, _NO_TRANS, lead
        if lead == 1 and max(1, cols) <= unit:
            return x, _CONJ_TRANS if conj else _TRANS, unit
    x = np.ascontiguousarray(np.conj(x) if conj else x)
    return x, _NO_TRANS if swap else _TRANS, max(1, x.shape[1])


def _batch_readable(x) -> bool:
    """torch's batch_items_contiguous_or_transposed, and a batch stride BLAS takes (torch's are never
    negative): else torch multiplies matrix by matrix."""
    step = x.itemsize
    sb, s1, s2 = x.strides
    if not x.flags.aligned or sb % step or s1 % step or s2 % step or not 0 <= sb <= _LIMIT * step:
        return False
    _, r, c = x.shape
    s1, s2 = s1 // step, s2 // step
    return s2 == 1 and (r == 1 or s1 >= c) or s1 == 1 and (c == 1 or s2 >= r)


def _gemm_batched(found, char, mat1, mat2, out, beta, alpha) -> bool:
    """torch's baddbmm_with_gemm_ into contiguous ``out`` (B, n, m): every matrix transposed, as its
    gemm_batched_with_stride (one gemm where the batch has one matrix). False where its BLAS call would not
    be made."""
    (batch, n, k), m = mat1.shape, mat2.shape[2]
    step = mat1.itemsize
    trans_a, lda = _batch_operand(mat2, step)
    trans_b, ldb = _batch_operand(mat1, step)
    lda, ldb = _normalized(trans_a, trans_b, m, n, k, lda, ldb)
    # torch's use_blas_gemm (its generic kernel otherwise): which also keeps every read inside the operands
    if not (max(1, k if trans_a == _TRANS else m) <= lda <= _LIMIT
            and max(1, n if trans_b == _TRANS else k) <= ldb <= _LIMIT and m * n <= _LIMIT):
        return False
    head = (_COL_MAJOR, trans_a, trans_b, m, n, k, alpha)
    if batch == 1:
        found[char](*head, address(mat2), lda, address(mat1), ldb, beta, address(out), m)
    else:
        found["batched" + char](*head, address(mat2), lda, mat2.strides[0] // step, address(mat1), ldb,
                                mat1.strides[0] // step, beta, address(out), m, m * n, batch)
    return True


def _batch_operand(x, step):
    """(transpose flag, leading dimension) of torch's baddbmm_with_gemm_ for a batch of matrices ``x``."""
    _, s1, s2 = x.strides
    if s1 == step and s2 >= x.shape[1] * step:
        return _TRANS, s2 // step
    return _NO_TRANS, s1 // step


def dot(x, y, conj=None):
    """torch.dot of two 1-D NumPy arrays of one native float or complex dtype and length as torch computes it
    (BLAS's dot, as its dot_impl calls it): a fresh 0-d array, or None where MKL is absent or cannot take
    them. ``conj``: which of ``x`` and ``y`` (a pair of bools) holds the memory of a conj view, as torch's
    dot reads one: BLAS's conjugating dot (its vdot) of the memory, or the conjugate of the plain one where
    both are."""
    found = _routines()
    if not found:
        return None
    np = found["np"]
    char = x.dtype.char
    if (char not in "fdFD" or type(x) is not np.ndarray or type(y) is not np.ndarray or y.dtype != x.dtype
            or not x.dtype.isnative or x.ndim != 1 or y.shape != x.shape or not 0 < x.shape[0] <= _LIMIT):
        return None
    n, step = x.shape[0], x.itemsize
    # a stride BLAS walks as NumPy does: else (negative, unaligned) a copy; dot_impl's n == 1 reads one each
    x, y = (v if v.flags.aligned and not v.strides[0] % step and 0 <= v.strides[0] <= _LIMIT * step
            else np.ascontiguousarray(v) for v in (x, y))
    incx, incy = (1, 1) if n == 1 else (x.strides[0] // step, y.strides[0] // step)
    if char in "fd":
        return np.array(found["dot" + char](n, address(x), incx, address(y), incy), x.dtype)
    conj_x, conj_y = conj or (False, False)
    name = "dot" if conj_x == conj_y else "dotc"
    if conj_y and not conj_x:  # vdot(y, x): y's conjugate times x
        x, incx, y, incy = y, incy, x, incx
    out = np.zeros((), x.dtype)
    found[name + char](n, address(x), incx, address(y), incy, out.ctypes.data)
    if conj_x and conj_y:
        np.conjugate(out, out=out)
    return out


def gemv(mat, vec, c=None, beta=0.0, alpha=1.0, strides=None):
    """``beta * c + alpha * (mat @ vec)`` of a matrix (n, k) and a vector (k,) of one native float dtype as
    torch's addmv and mv compute it (its addmv_out_cpu: BLAS's gemv, which rounds otherwise than gemm of
    one column), ``c`` broadcast to (n, 1), not read where ``beta`` is 0: a fresh (n, 1) array, or None where
    MKL is absent or torch would not call it (a vector of stride 0 or below, complex numbers: torch's own
    kernel). ``strides``: the matrix's tensor's, in elements, where given (torch's choice of 'n' or 't'
    reads them: an array's stride along a dim of one element may be another)."""
    found = _routines()
    if not found:
        return None
    np = found["np"]
    char = mat.dtype.char
    if (char not in "fd" or type(mat) is not np.ndarray
            or type(vec) is not np.ndarray or vec.dtype != mat.dtype or not mat.dtype.isnative
            or mat.ndim != 2
            or vec.shape != mat.shape[1:]):
        return None
    n, k = mat.shape
    step, incx = mat.itemsize, vec.strides[0]
    if (not (n and k) or max(n, k) > _LIMIT or not vec.flags.aligned or incx % step
            or not 0 < incx <= _LIMIT * step):
        return None
    s0, s1 = mat.strides
    readable = mat.flags.aligned and not s0 % step and not s1 % step
    # (the tensor's strides where given: torch's choice reads them, the array's may differ along a dim of one)
    s0, s1 = strides or (s0 // step, s1 // step)
    if readable and s0 == 1 and (k == 1 or s1 >= max(1, n)):  # column-major: as it is
        trans, rows, cols, lda = _NO_TRANS, n, k, s1
    elif readable and s1 == 1 and (n == 1 or s0 >= max(1, k)):  # row-major: transposed
        trans, rows, cols, lda = _TRANS, k, n, s0
    else:  # a copy, row-major
        mat = np.ascontiguousarray(mat)
        trans, rows, cols, lda = _TRANS, k, n, k
    lda = rows if cols == 1 else lda  # torch's gemv: a leading dimension of one column is set, not read
    if not max(1, rows) <= lda <= _LIMIT:
        return None
    out = np.empty((n, 1), mat.dtype)
    if beta:
        out[...] = c
    found["gemv" + char](_COL_MAJOR, trans, rows, cols, alpha, address(mat), lda, address(vec), incx // step,
                         beta, address(out), 1)
    return out

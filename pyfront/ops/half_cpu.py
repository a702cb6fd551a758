"""float16 and bfloat16 results of torch's CPU kernels that depend on the width of its vectors.

torch's CPU kernels compute whole vectors one way and the elements left over (a scalar tail) another:
16-bit ``rsqrt`` rounds the square root to the dtype first in its tail, and 16-bit ``prod`` multiplies
in four vector accumulators, each product rounded, before it combines their lanes. Their float16 and
bfloat16 vectors hold 16 elements (32 bytes: measured on an AVX512 machine, whose 16-bit kernels use
them as AVX2's do). Past 32,768 elements torch splits a kernel's work over its threads, each with its
own tail and accumulators, so there its 16-bit result depends on their number: these are its results
on one thread. Each rule takes the 16-bit arrays as they are (OpDef.takes_halves) and keeps their dtype.
"""
from __future__ import annotations

from .. import dtypes as dt

LANES = 16  # float16 or bfloat16 elements in one of torch's CPU vectors


def is_half(x) -> bool:
    """Whether NumPy array ``x`` holds float16 or bfloat16 (ml_dtypes') values: the 2-byte floats, read from
    the dtype's fields (its ``name`` is Python code of NumPy's, ~6x a small add; bfloat16's kind is 'V')."""
    d = x.dtype
    return d.itemsize == 2 and d.kind in "fV"


def half_rsqrt(np, x, vector=2 * LANES):
    """16-bit ``rsqrt`` as torch's CPU kernel: 1/sqrt in float32 rounded once over whole loop steps of
    ``vector`` elements (rsqrt's two vectors), the square root rounded to the dtype first in each inner
    loop's tail, and everywhere in a loop that is not contiguous (TensorIterator's memory order)."""
    if x.ndim == 0:  # (NumPy computes a 0-d array as a scalar)
        return half_rsqrt(np, x.reshape(1), vector).reshape(())
    f, low = x.astype(np.float32), x.dtype
    out = (np.float32(1) / np.sqrt(f)).astype(low)
    tail = scalar_tail(np, x, vector)
    out[tail] = (np.float32(1) / np.sqrt(f[tail]).astype(low).astype(np.float32)).astype(low)
    return out


def scalar_tail(np, x, chunk):
    """Which elements of ``x`` torch's vectorized unary loop computes one at a time. TensorIterator runs
    the dims in memory order (a broadcast dim, stride 0, keeps its place), merged where their strides
    allow; the innermost run is vectorized where it is contiguous or broadcast, all but its last
    ``len % chunk`` elements; any other loop is computed one element at a time."""
    if x.size == 0:
        return np.zeros(x.shape, bool)
    moving = [d for d in range(x.ndim) if x.strides[d] != 0]
    order = list(range(x.ndim))
    for slot, d in zip(moving, sorted(moving, key=lambda d: -x.strides[d])):
        order[slot] = d
    run, stride = 1, None
    for d in reversed(order):  # the innermost run, in elements
        if x.shape[d] == 1:
            continue
        if stride is None:
            stride = x.strides[d]
            if stride not in (0, x.itemsize):
                return np.ones(x.shape, bool)
        elif x.strides[d] != run * stride:
            break
        run *= x.shape[d]
    m = np.zeros([x.shape[d] for d in order], bool)
    m.reshape(-1, run)[:, run - run % chunk:] = True
    return m.transpose(np.argsort(order))


def kernel_tail(shape, strides, chunk=2 * LANES) -> tuple[int, bool]:
    """(run, vectorized): the innermost run, in elements, of a torch CPU kernel that writes a new contiguous
    ``shape`` from operands of element ``strides`` (one tuple each, 0 where broadcast), and whether that run
    takes the vector loop (every operand contiguous in it, or all but one input, read as one scalar); the
    vector loop leaves the last ``run % chunk`` elements of each run to the scalar one. Dims merge while
    every operand steps through them as through one."""
    dims = [d for d in range(len(shape)) if shape[d] != 1]
    if not dims:
        return 1, False
    inner = [s[dims[-1]] for s in strides]
    if any(s not in (0, 1) for s in inner) or inner.count(0) > 1:
        return 0, False
    run = shape[dims[-1]]
    for below, d in zip(reversed(dims), reversed(dims[:-1])):
        if any(s[d] != shape[below] * s[below] for s in strides):
            break
        run *= shape[d]
    return run, True


def half_prod(np, x, dims, keepdim):
    """16-bit ``prod`` as torch's CPU kernel: every product rounded to the dtype. A reduction over the
    innermost contiguous elements runs four accumulators of one vector each over blocks of four vectors,
    multiplies them pairwise, then its lanes in order, then the elements left over; any other reduction
    multiplies in order."""
    keep = [d for d in range(x.ndim) if d not in dims]
    # the reduced elements in memory order (TensorIterator's), and whether they are the innermost block
    dims = sorted(dims, key=lambda d: -x.strides[d])
    n = 1
    for d in dims:
        n *= x.shape[d]
    kept = 1
    for d in keep:
        kept *= x.shape[d]
    rows = x.transpose(keep + dims).reshape(kept, n)  # (not -1: NumPy cannot infer it beside an empty n)
    lanes = LANES
    inner = _innermost_block(x, dims, n)

    low = x.dtype

    def mul(a, b):  # exact in float32, then rounded once: the 16-bit product
        return (a.astype(np.float32) * b.astype(np.float32)).astype(low)
    acc = np.ones(rows.shape[0], low)
    start = 0
    if inner and n >= 4 * lanes:
        count = n // (4 * lanes)
        vec = rows[:, :4 * lanes]
        for i in range(1, count):
            vec = mul(vec, rows[:, 4 * lanes * i:4 * lanes * (i + 1)])
        q = [vec[:, lanes * j:lanes * (j + 1)] for j in range(4)]
        combined = mul(mul(q[0], q[1]), mul(q[2], q[3]))
        acc = combined[:, 0]
        for j in range(1, lanes):
            acc = mul(acc, combined[:, j])
        start = 4 * lanes * count
    for k in range(start, n):
        acc = mul(acc, rows[:, k])
    out_shape = [1 if d in dims else x.shape[d] for d in range(x.ndim)] if keepdim else \
        [x.shape[d] for d in keep]
    return acc.reshape(out_shape)


def _innermost_block(x, dims, n) -> bool:
    """Whether the reduced ``dims`` (by falling stride) lie contiguous, one element apart at the
    innermost, below every kept dim."""
    step = x.itemsize
    for d in reversed(dims):
        if x.shape[d] != 1 and x.strides[d] != step:
            return False
        step *= x.shape[d]
    return all(x.shape[d] == 1 or abs(x.strides[d]) >= n * x.itemsize for d in range(x.ndim) if d not in dims)


def thread_buffer_sum(np, x, dtype, threads):
    """The sum over dim 0 of float32 ``x`` as torch's CPU norm kernels sum a weight's or a bias's gradient
    in a 16-bit ``dtype``: the rows split into one run per thread (``threads``, ATen's parallel_for chunks),
    each run's rows added into a zeroed 16-bit buffer one at a time (rounded after each), then the buffers
    added in float32 in thread order and rounded once."""
    low = dt.numpy_dtype(np, dtype)
    rows = x.shape[0]
    total = np.zeros(x.shape[1:], np.float32)
    if rows:
        chunk = -(-rows // min(threads, rows))
        for start in range(0, rows, chunk):
            buffer = np.zeros(x.shape[1:], low)
            for row in x[start:start + chunk]:
                buffer = (buffer.astype(np.float32) + row).astype(low)
            total = total + buffer.astype(np.float32)
    return total.astype(low)

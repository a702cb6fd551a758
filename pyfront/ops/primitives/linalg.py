"""Matrix products: ``mm`` and ``bmm``, the two primitives every other matmul-like op is built on.

Both are one NumPy ``matmul`` with the same VJP (``dA = G @ B^T``, ``dB = A^T @ G``, written with
the primitive itself, so double backward comes free). They differ only in rank and in the checks
and messages PyTorch gives for each, which the public functions reproduce in PyTorch's order.
"""
from __future__ import annotations

from ...autograd.dual import ON as _DUAL
from ...backends import host_gemm
from ...autograd.grad_mode import _state, _vmap_blocks
from ...autograd.graph import saved_crosswise
from ...dtypes import cpp_name, scalar_name
from ...tensor import Tensor
from ...shape import Size, is_contiguous
from ..dispatch import apply, product, product_read_as
from ..on_meta import on_meta
from ..registry import OpDef, register
from ..shell import SHELL, refuse
from ..views import mT_view
from .. import samples

__all__ = ["mm", "bmm"]
METHODS = "mm bmm"
INPLACE = ""


def check_not_bool(kernel: str, *tensors, empty_ok: bool = False) -> None:
    """torch's refusal of a bool first operand by ``kernel``; with ``empty_ok``, none where an operand is
    empty (torch's products return before their kernel's dtype dispatch: an empty result, or no terms)."""
    if tensors[0].dtype.name == "bool":
        if empty_ok and any(t.numel() == 0 for t in tensors):
            return
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _matmul_infer(a, b, rank, vectors=None, conj=None, strides=None):
    *lead, _ = a._shape  # unpacked, not indexed: a Size's __getitem__ is a Python call
    *_, m = b._shape
    return [((*lead, m), a.dtype)]


def _column_major(shape, strides, rank) -> bool:
    """Whether a matrix of ``shape`` and ``strides`` is column-major (a transposed row-major one: a linear
    layer's ``weight.t()``), as torch's mm backward asks of the sizes and strides its node keeps (strides
    (1, rows) exactly, not contiguous): not the matrix itself, which it keeps only for the other's gradient;
    torch's bmm backward asks nothing."""
    return rank == 2 and strides[0] == 1 and strides[1] == shape[0] and not is_contiguous(shape, strides)


def _transposed_operand(x, rank):
    """``mT_view(x, rank)`` as a product's operand: where no graph is recorded, x's base itself when it reads
    x transposed exactly (a linear layer's weight, the base of the ``weight.t()`` the node kept: its input's
    gradient reads it per layer per step), as a product reads its operands' layouts alone; else the view."""
    base = x._base
    if base is not None and not _state.enabled and not _vmap_blocks[0] and not _DUAL[0] and \
            base.dtype is x.dtype and base._lazy is None and x._lazy is None and base._offset == x._offset:
        *lead, m, n = x._shape
        *lead_strides, sm, sn = x._strides
        if base._shape == (*lead, n, m) and base._strides == (*lead_strides, sn, sm):
            return base
    return mT_view(x, rank)


def _read_as_torch(op, shape, operands, conj=True, **attrs):
    """``product(op, shape, operands, **attrs)`` on the cpu computed on the operands' memory, told their
    tensors' strides (attribute ``strides``: torch's choice of BLAS call reads them, where the kernel's
    arrays may have others along a dim of one element) and, where ``conj`` (torch's addmm and dot), which
    of them are conj views (attribute ``conj``: their memory read with BLAS's conjugate-transpose flag or
    its conjugating dot). torch's mv resolves conj views as a plain op does: ``conj`` False, and a conj
    view among them, or another device, takes product's way."""
    if (operands[-1]._storage.device.type != "cpu" or any(t._lazy == "neg" for t in operands)
            or not conj and any(t._lazy is not None for t in operands)):
        return product(op, shape, operands, **attrs)
    if conj:
        attrs["conj"] = tuple(t._lazy == "conj" for t in operands)
    memory = tuple(Tensor._make(t._storage, t._shape, t.dtype, t._strides, t._offset) for t in operands)
    return product_read_as(op, operands, memory, strides=tuple(tuple(t._strides) for t in operands), **attrs)


def _product_grads(a, b, g, rank, need_a, need_b, shapes, strides):
    """The gradients of ``a @ b`` (rank 2 or 3) for cotangent ``g``, each a planned product of its
    operand's shape, those not needed None: ``a`` and ``b`` are kept only for each other's gradient, as
    torch's node keeps them, so the layouts come from the operands' ``shapes`` and ``strides`` (its node's
    metadata). As torch's mm backward, the gradient of a column-major matrix is computed transposed, so it
    comes out in that matrix's own layout: (b g^T)^T, (g^T a)^T (a linear layer's weight then gets its
    gradient in the weight's row-major order, where a^T g would be a transposed result every later use
    copies)."""
    op = _OPS[rank]
    (a_shape, b_shape), ga, gb = shapes, None, None
    # complex matrices' rules read conj views (graph._conjugate_vjp): their products read them as torch's
    # mm does (the common case's cost unchanged: two attribute reads)
    run = _read_as_torch if rank == 2 and g.dtype.kind == "c" else product
    if need_a:
        if _column_major(a_shape, strides[0], rank):
            *lead, n, k = a_shape
            x, y = b, mT_view(g, rank)
            ga = mT_view(run(op, Size((*lead, k, n)), (x, y), rank=rank), rank)
        else:
            x, y = g, _transposed_operand(b, rank)
            ga = run(op, a_shape, (x, y), rank=rank)
    if need_b:
        if _column_major(b_shape, strides[1], rank):
            *lead, k, m = b_shape
            x, y = mT_view(g, rank), a
            gb = mT_view(run(op, Size((*lead, m, k)), (x, y), rank=rank), rank)
        else:
            x, y = mT_view(a, rank), g
            gb = run(op, b_shape, (x, y), rank=rank)
    return ga, gb


def _vector_grads(a, b, g, need_a, need_b, vectors):
    """The gradients of mv's matrix ``a`` (n, k) times column ``b`` (k, 1), or dot's row ``a`` (1, k) times
    column ``b`` (``vectors`` "mv", "dot"), as torch's MvBackward0 and DotBackward0 compute them: ``a``'s the
    outer product of g and b (torch's mul: one rounded product each, "outer" products here), ``b``'s mv of
    ``a`` transposed by g (dot's, the products of a and the number g)."""
    ga = gb = None
    if need_a:
        bt = mT_view(b, 2)
        ga = product(_MM, Size((g._shape[0], bt._shape[1])), (g, bt), rank=2, vectors="outer")
    if need_b:
        at = mT_view(a, 2)
        size = Size((at._shape[0], 1))
        gb = (product(_MM, size, (at, g), rank=2, vectors="outer") if vectors == "dot" else
              _read_as_torch(_MM, size, (at, g), False, rank=2, vectors="mv"))
    return ga, gb


def _matmul_vjp(c, g):
    a, b = c.inputs
    vectors = c.attrs.get("vectors")
    if vectors == "mv" or vectors == "dot":
        return _vector_grads(a, b, g, *c.needs_input_grad, vectors)
    return _product_grads(a, b, g, c.attrs["rank"], *c.needs_input_grad, c.input_shapes, c.node.input_strides)


def maybe_multiply(t, factor):
    """``t * factor``, ``t`` itself where the factor is 1 (torch's maybe_multiply: a product's gradient times
    its beta or alpha; a complex factor comes conjugated by its caller, as torch's formulas conjugate it)."""
    return t if t is None or factor == 1 else t * factor


def _products_jvp(inputs, tangents, attrs):
    # torch's forward formula for a product, bilinear in its operands: ta @ b + a @ tb (plus the bias's
    # tangent for addmm), two products where the double-backward trick runs the VJP and its backward; each
    # term times addmm's alpha, the bias's times its beta
    *bias, a, b = inputs
    *tbias, ta, tb = tangents
    rank = attrs.get("rank", 2)
    alpha, beta = attrs.get("alpha", 1), attrs.get("beta", 1)
    op = _OPS[rank]
    terms = [maybe_multiply(apply(op, t.to(a.dtype), b, rank=rank), alpha) for t in (ta,) if t is not None]
    terms += [maybe_multiply(apply(op, a, t.to(b.dtype), rank=rank), alpha) for t in (tb,) if t is not None]
    out = terms[0] if terms else None
    for t in terms[1:] + [maybe_multiply(t.to(a.dtype), beta) for t in tbias if t is not None]:
        out = t.expand(*a._shape[:-1], b._shape[-1]) if out is None else out + t
    return [out]


def _matmul_np(np, a, b, rank, vectors=None, conj=None, strides=None):
    if rank == 3 and a.dtype.char in "fdFD" and a.shape[1] * a.shape[2] * b.shape[2] < 400:
        return _small_bmm(np, a, b)
    # torch's MKL where installed: torch's numbers (torch.dot and torch.mv call BLAS's dot and gemv)
    # (``conj``: which of a and b is a conj view's memory, its conjugate multiplied)
    if vectors is None:  # (``strides`` comes with ``conj``: complex operands)
        out = (host_gemm.matmul(a, b) if strides is None else
               host_gemm.matmul(a, b, conj=conj, strides=strides))
    elif vectors == "outer":  # a column times a row, one product each as torch's mul (mv's, dot's gradients)
        return _complex_times(np, a, b) if a.dtype.kind == "c" else np.multiply(a, b)
    elif vectors == "dot":
        out = host_gemm.dot(a[0], b[:, 0], conj)
        out = None if out is None else out.reshape(1, 1)
    elif a.dtype.kind == "c":  # torch's own loop (its gemv calls no BLAS for complex numbers)
        return _complex_gemv(np, a, b[:, 0], strides and strides[0])
    else:
        out = host_gemm.gemv(a, b[:, 0], strides=strides and strides[0])
    if out is not None:
        return out
    if conj is None:
        return np.matmul(a, b)
    if conj == (True, True) and vectors == "dot":  # torch's dot of two conj views: their memory's, conjugated
        return np.conj(np.matmul(a, b))
    return np.matmul(*(np.conj(v) if bit else v for v, bit in zip((a, b), conj)))


def _complex_times(np, x, y):
    """``x * y`` of complex NumPy arrays or numbers as c10::complex multiplies: (ac - bd) + (ad + bc)i, each
    product rounded (NumPy's own fuses them)."""
    out = np.empty(np.broadcast(x, y).shape, np.result_type(x, y))
    out.real = x.real * y.real - x.imag * y.imag
    out.imag = x.real * y.imag + x.imag * y.real
    return out


def _complex_gemv(np, mat, vec, strides=None):
    """torch's mv of a complex matrix (n, k) and vector (k,) (``strides``: the matrix's tensor's, where
    known): its gemv's own loop, each output summed from zero over k in order, one rounded product at a
    time, alpha (1) multiplied into each vector element where it reads the matrix by columns ('n': unit
    stride down a column), else into each sum ('t'). A fresh (n, 1) array."""
    n, k = mat.shape
    step = mat.itemsize
    s0, s1 = strides or (mat.strides[0] // step, mat.strides[1] // step)
    by_columns = s0 == 1 and (k == 1 or s1 >= max(1, n))
    one = mat.dtype.type(1)
    acc = np.zeros(n, mat.dtype)
    for j in range(k):
        acc += _complex_times(np, _complex_times(np, one, vec[j]) if by_columns else vec[j], mat[:, j])
    return (acc if by_columns else _complex_times(np, one, acc)).reshape(n, 1)


def _small_bmm(np, a, b):
    """bmm of small matrices (fewer than 400 products per matrix) as torch's CPU kernel computes them, in
    place of BLAS: each element summed from zero, one rounded product at a time in order of k (complex
    ones as c10::complex multiplies)."""
    out = np.zeros((*a.shape[:-1], b.shape[-1]), a.dtype)
    times = _complex_times if a.dtype.kind == "c" else lambda np, x, y: x * y
    for k in range(a.shape[-1]):
        out += times(np, a[..., k:k + 1], b[..., k:k + 1, :])
    return out


def _register(name, sample_fn):
    return register(OpDef(name, "other", _matmul_infer, _matmul_np, _matmul_vjp,
                          arity=2, save=(0, 1), saved_for=_CROSSWISE, torch_name=name, samples=sample_fn,
                          jvp=_products_jvp, extra={"keeps_strides": True}))


# torch's node keeps each operand for the other's gradient only, and each one's sizes and strides (what its
# own gradient's layout is chosen by: a linear layer's transposed weight)
_CROSSWISE = {0: (1,), 1: (0,)}


_MM = _register("mm", samples.mm)
_BMM = _register("bmm", samples.bmm)
_OPS = {2: _MM, 3: _BMM}


# -- addmm: a matrix product plus a bias, one op ---------------------------------------------------
def _addmm_np(np, bias, a, b, beta=1, alpha=1, vectors=None, rank=2, conj=None, strides=None):
    # MKL adds the bias as torch's addmm does (copied into the result, gemm's beta and alpha; addmv's gemv
    # for a column, ``vectors`` "mv"; baddbmm's batched gemm, ``rank`` 3): torch's numbers; NumPy's path
    # adds it into its fresh product: no second full-size array. Small batches as torch's baddbmm kernel:
    # each product summed from zero, then alpha * it plus beta * the bias, each rounded
    # (complex addmm: ``conj`` and ``strides`` for bias, a and b, a and b given as their memory)
    small = rank == 3 and a.dtype.char in "fd" and a.shape[1] * a.shape[2] * b.shape[2] < 400
    out = None
    if conj is not None:
        bias = np.conj(bias) if conj[0] else bias
        out = host_gemm.matmul(a, b, bias, beta, alpha, conj[1:], strides[1:])
        a, b = (np.conj(v) if bit else v for v, bit in zip((a, b), conj[1:]))  # (NumPy's, where out is None)
    elif not small:
        out = (host_gemm.matmul(a, b, bias, beta, alpha) if vectors is None else
               host_gemm.gemv(a, b[:, 0], bias, beta, alpha))
    if out is None:
        out = _small_bmm(np, a, b) if small else np.matmul(a, b)
        if alpha != 1:
            np.multiply(out, out.dtype.type(alpha), out=out)
        if beta:  # (a beta of 0 never reads the bias, as torch's: NaN in it does not reach the result)
            np.add(out, bias if beta == 1 else bias * bias.dtype.type(beta), out=out)
    return out


def _addmm_vjp(c, g):
    bias, a, b = c.inputs
    need_bias, need_a, need_b = c.needs_input_grad
    # the bias's gradient is g (times beta), summed over the rows it was broadcast along by the engine; the
    # matrices' are products times alpha (torch's maybe_multiply)
    attrs = c.attrs
    if not attrs:  # F.linear's (beta = alpha = 1), per layer per step: nothing more read
        return (g if need_bias else None,
                *_product_grads(a, b, g, 2, need_a, need_b, c.input_shapes[1:], c.node.input_strides[1:]))
    # (each factor conjugated, as torch's maybe_multiply(grad, beta.conj()): complex addmm's may be complex)
    beta, alpha = attrs.get("beta", 1).conjugate(), attrs.get("alpha", 1).conjugate()
    rank = attrs.get("rank", 2)
    if attrs.get("vectors") is not None:  # addmv's: mv's
        ga, gb = _vector_grads(a, b, g, need_a, need_b, attrs["vectors"])
    else:
        ga, gb = _product_grads(a, b, g, rank, need_a, need_b, c.input_shapes[1:], c.node.input_strides[1:])
    return (maybe_multiply(g, beta) if need_bias else None, maybe_multiply(ga, alpha),
            maybe_multiply(gb, alpha))


# torch's addmm(bias, mat1, mat2) with beta = alpha = 1, as F.linear records it (AddmmBackward0); named
# apart from the composite torch.addmm (a test looks ops up by name), no torch name of its own: F.linear's
# sweeps test it
_ADDMM = register(OpDef("addmm_bias", "other", lambda bias, a, b, **scales: _matmul_infer(a, b, 2), _addmm_np,
                        _addmm_vjp, arity=3, save=(1, 2), saved_for={1: (2,), 2: (1,)},
                        backward_name="AddmmBackward0", jvp=_products_jvp,
                        extra={"saved_names": ("self", "mat1", "mat2"), "keeps_strides": True,
                               "saved_constants": {"beta": 1, "alpha": 1}}))


def addmm_bias(bias: Tensor, mat1: Tensor, mat2: Tensor, beta: float = 1, alpha: float = 1,
               vectors: str | None = None) -> Tensor:
    """``beta * bias + alpha * (mat1 @ mat2)`` as one op, for matrices ``mat1`` (n, k), ``mat2`` (k, m) and a
    bias that expands to (n, m) (``expands``), all of one floating dtype: the caller has checked them (and
    that the device takes other beta and alpha than 1: the cpu's). ``vectors`` "mv": a column ``mat2``
    multiplied as torch's addmv does."""
    saved_crosswise(mat1, mat2)
    if beta == 1 and alpha == 1 and vectors is None:  # (a planned product: F.linear's, per layer per step)
        (n, _), (_, m) = mat1._shape, mat2._shape
        return product(_ADDMM, Size((n, m)), (bias, mat1, mat2))
    return apply(_ADDMM, bias, mat1, mat2, beta=beta, alpha=alpha, vectors=vectors)


def addmm_complex(bias: Tensor, mat1: Tensor, mat2: Tensor, beta: complex, alpha: complex) -> Tensor:
    """``addmm_bias`` of complex matrices on the cpu as torch's addmm computes it (gemm's beta and alpha),
    conj views among them read as torch reads them (``_read_as_torch``)."""
    saved_crosswise(mat1, mat2)
    (n, _), (_, m) = mat1._shape, mat2._shape
    return _read_as_torch(_ADDMM, Size((n, m)), (bias, mat1, mat2), beta=beta, alpha=alpha)


def baddbmm_bias(bias: Tensor, batch1: Tensor, batch2: Tensor, beta: float, alpha: float) -> Tensor:
    """``beta * bias + alpha * bmm(batch1, batch2)`` as one op on the cpu, as torch's baddbmm computes it, for
    batches (B, n, k) and (B, k, m) and a bias that broadcasts to (B, n, m), all of one float dtype: the
    caller has checked them."""
    saved_crosswise(batch1, batch2)
    return apply(_ADDMM, bias, batch1, batch2, beta=beta, alpha=alpha, rank=3)


def expands(bias_shape, n, m) -> bool:
    """Whether a bias of ``bias_shape`` expands to an (n, m) product, as torch's addmm expands its input."""
    *rows, cols = bias_shape or (1,)
    return cols in (1, m) and len(rows) <= 1 and (not rows or rows[0] in (1, n))


def vector_product(mat: Tensor, col: Tensor, vectors: str) -> Tensor:
    """``mat @ col`` of a matrix (n, k) and a column (k, 1) as torch multiplies vectors, ``vectors`` "dot"
    (a row and a column: torch.dot) or "mv" (torch.mv): BLAS's dot or gemv where torch's MKL is installed,
    mm's op and gradient; the caller has checked them."""
    saved_crosswise(mat, col)
    # (torch's mv resolves conj views; its dot reads them as BLAS's conjugating dot)
    return _read_as_torch(_MM, Size((mat._shape[0], 1)), (mat, col), vectors == "dot", rank=2,
                          vectors=vectors)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """The matrix product of two 2-D tensors, as ``torch.mm``."""
    saved_crosswise(input, mat2)
    # the shapes as stored, not through dim() and shape: each is a Python call, and an MLP step makes six
    # products (the argument parsers and every internal caller hand this Tensors)
    if len(input._shape) != 2:
        raise RuntimeError("a must be 2D" if on_meta(input, mat2) else "self must be a matrix")
    if len(mat2._shape) != 2:
        raise RuntimeError("b must be 2D" if on_meta(input, mat2) else "mat2 must be a matrix")
    (n, k), (k2, m) = input._shape, mat2._shape
    if k != k2:
        if on_meta(input, mat2):  # torch's meta kernel, in Python, words it its own way
            raise RuntimeError(f"a and b must have same reduction dim, but got [{n}, {k}] X [{k2}, {m}].")
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {cpp_name(input.dtype)} != "
                           f"{cpp_name(mat2.dtype)}")
    check_not_bool("addmm_impl_cpu_", input, mat2, empty_ok=True)
    if input.dtype.kind != "c":
        return product(_MM, Size((n, m)), (input, mat2), rank=2)
    return _read_as_torch(_MM, Size((n, m)), (input, mat2), rank=2)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:
    """Batched matrix product of two 3-D tensors with the same batch size, as ``torch.bmm``."""
    saved_crosswise(input, mat2)
    if input.dim() != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.dim() != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, _, k = input.shape
    if tuple(mat2.shape[:2]) != (b, k):
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but "
                           f"got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    check_not_bool("bmm", input, mat2, empty_ok=True)  # the kernel's dtype dispatch comes first in torch
    if input.dtype in SHELL:
        refuse("bmm", (input,))
    if input.dtype is not mat2.dtype:
        raise RuntimeError(f"expected scalar type {scalar_name(input.dtype)} but found "
                           f"{scalar_name(mat2.dtype)}")
    return apply(_BMM, input, mat2, rank=3)

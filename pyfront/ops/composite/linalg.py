"""The matmul family built from the ``mm``/``bmm`` primitives and views (no gradient rules here).

``matmul`` follows PyTorch's dispatch exactly (dot / mv / mm, folding a batch into one ``mm``, or
broadcasting batches into one ``bmm``), so the shapes, dtypes and error messages for every
combination of ranks are PyTorch's. ``einsum`` contracts its operands pairwise with ``bmm`` as
PyTorch does, which also gives its integer-dtype behaviour.
"""
from __future__ import annotations

import functools
import math

from ... import dtypes as dt
from ... import overrides
from ...autograd import graph
from ...shape import broadcast_shapes, broadcast_shapes_on_meta, normalize_dim, normalize_dims
from ...tensor import Tensor
from ..argcheck import typename
from ..common import Formula, check_fits, in_float32, scalars_first
from ..._warnings import warn
from ..primitives.elementwise import mul, relaid, where
from ...dtypes import cpp_name, scalar_name
from ..primitives.linalg import (addmm_bias, addmm_complex, baddbmm_bias, bmm, check_not_bool, expands,
                                 maybe_multiply, mm, vector_product)
from ..creation import int_tuple
from ..memory_formats import contiguous_result_only, lays_out
from ..on_meta import on_meta
from ..registry import composite
from .. import samples

__all__ = ["matmul", "dot", "vdot", "mv", "outer", "ger", "inner", "addmm", "addmv", "baddbmm", "addbmm",
           "tensordot", "einsum"]
METHODS = "matmul dot vdot mv outer ger inner addmm addmv baddbmm addbmm __matmul__ __rmatmul__"
INPLACE = "addmm addmv baddbmm addbmm"


def _as_row(vector: Tensor) -> Tensor:
    return vector.unsqueeze(0)


def _as_column(vector: Tensor) -> Tensor:
    return vector.unsqueeze(1)


# -- products of vectors and matrices ------------------------------------------------------------
@composite(samples=samples.dot, grad_fn="DotBackward0", saves="self=input/tensor tensor/input")
def dot(input: Tensor, tensor: Tensor) -> Tensor:
    """The inner product of two 1-D tensors of the same dtype, as ``torch.dot``."""
    if input.dim() != 1 or tensor.dim() != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.dim()}D and {tensor.dim()}D tensors")
    meta = on_meta(input, tensor)  # torch's meta rule names the dtypes as Python does and joins "thesame"
    if input.dtype is not tensor.dtype:
        names = (input.dtype, tensor.dtype) if meta else map(scalar_name, (input.dtype, tensor.dtype))
        raise RuntimeError("dot : expected both vectors to have same dtype, but found {} and {}".format(
            *names))
    n, m = input.shape[0], tensor.shape[0]
    if n != m:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have "
                           f"{'thesame' if meta else 'the same'} number of elements, but got {n} and {m} "
                           "elements respectively")
    check_not_bool("dot", input)
    row, col = input.unsqueeze(0), tensor.unsqueeze(1)
    product = vector_product(row, col, "dot")
    graph.saved_as_given(product, (row, input, _as_row), (col, tensor, _as_column))
    return product.reshape(())


@composite(samples=samples.vdot, grad_fn="VdotBackward0", saves="self=input/other other/input")
def vdot(input: Tensor, other: Tensor) -> Tensor:
    """``dot`` with the first argument conjugated, which for real tensors is ``dot``, as ``torch.vdot``."""
    graph.saved_crosswise(input, other)
    return dot(input.conj(), other)


def _check_addmv(input_shape, input_dtype, mat, vec):
    """PyTorch's addmv checks, in its order: ranks, sizes, dtypes (``mv`` is addmv into a new vector); on
    the meta device, its Python rule's words and its broadcast of ``input`` against the product."""
    if on_meta(mat, vec):
        if mat.dim() != 2 or vec.dim() != 1:
            raise RuntimeError(f"matrix @ vector expected, got {mat.dim()}, {vec.dim()}")
        if mat.shape[1] != vec.shape[0]:
            raise RuntimeError(f"size mismatch, got input ({mat.shape[0]}x{mat.shape[1]}), vec "
                               f"({vec.shape[0]})")
        broadcast_shapes_on_meta(mat.shape[:1], tuple(input_shape))
    if not (mat.dim() == 2 and vec.dim() == 1 and len(input_shape) <= 1):
        raise RuntimeError(f"vector + matrix @ vector expected, got {len(input_shape)}, {mat.dim()}, "
                           f"{vec.dim()}")
    n, k = mat.shape
    if k != vec.shape[0] or math.prod(input_shape) not in (n, 1):
        if not input_shape:  # PyTorch's message reads input.size(0)
            raise IndexError("Dimension specified as 0 but tensor has no dimensions")
        raise RuntimeError(f"size mismatch, got input ({input_shape[0]}), mat ({n}x{k}), vec "
                           f"({vec.shape[0]})")
    if input_dtype is not mat.dtype or mat.dtype is not vec.dtype:
        raise RuntimeError("addmv input tensors must have the same dtype, but got "
                           f"{scalar_name(input_dtype)}, {scalar_name(mat.dtype)}, and "
                           f"{scalar_name(vec.dtype)}")
    check_not_bool("addmv_impl_cpu", mat, vec, empty_ok=True)


@composite(samples=samples.mv, grad_fn="MvBackward0")
def mv(input: Tensor, vec: Tensor) -> Tensor:
    """Matrix-vector product, as ``torch.mv``."""
    graph.saved_crosswise(input, vec)
    # (torch's mv makes its result of input.size(0) first: a 0-d input's IndexError)
    _check_addmv((input.size(0),), vec.dtype, input, vec)
    col = vec.unsqueeze(1)
    product = vector_product(input, col, "mv")
    graph.saved_as_given(product, (col, vec, _as_column))  # torch's mv saves vec itself
    return product.squeeze(1)


@composite(samples=samples.outer)
def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """The outer product of two 1-D tensors (with type promotion), as ``torch.outer``."""
    for name, t in (("self", input), ("vec2", vec2)):
        if t.dim() != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {t.dim()}-D")
    graph.saved_crosswise(input, vec2)  # torch's mul saves them as given (pyfront's, its promoted copies)
    return mul(input.unsqueeze(1), vec2)


@composite(samples=samples.ger)
def ger(input: Tensor, vec2: Tensor) -> Tensor:
    """The old name of ``outer``."""
    return outer(input, vec2)


@composite(samples=samples.inner)
def inner(input: Tensor, other: Tensor) -> Tensor:
    """Sum of products over the last dims (0-d operands multiply), as ``torch.inner``."""
    if input.dim() == 0 or other.dim() == 0:
        return mul(input, other)
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError("inner() the last dimension must match on both input tensors but got shapes "
                           f"{list(input.shape)} and {list(other.shape)}")
    # torch's inner of vectors is its dot kernel (after its own dtype check, as tensordot's)
    if input.dim() == 1 and other.dim() == 1 and input.dtype is other.dtype:
        check_not_bool("dot", input)
    return tensordot(input, other, ([-1], [-1]))


# -- matmul --------------------------------------------------------------------------------------
def _should_fold(a, b) -> bool:
    """PyTorch's choice to fold the batch of the larger operand into the rows of one mm or mv."""
    a_larger = a.dim() >= b.dim()
    t1 = a if a_larger else b.mT
    if not (t1.dim() >= 3 and (b.dim() if a_larger else a.dim()) <= 2):
        return False
    if (b if a_larger else a).requires_grad:
        return True  # folding keeps the smaller operand's gradient from being a whole batch
    if a.dim() == 2:
        return False
    if t1.numel() == 0:
        return True
    shape, strides = t1.shape, t1.stride()
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.dim() - 2))


def _matmul_folded(a, b):
    transpose = b.dim() > a.dim()
    t1 = b.mT if transpose else a
    t2 = (a.t() if a.dim() == 2 else a) if transpose else b
    out_shape = tuple(t1.shape[:-1])
    folded = t1.reshape(math.prod(out_shape), t1.shape[-1])
    if t2.dim() == 1:
        return mv(folded, t2).reshape(out_shape)
    out = mm(folded, t2).reshape(out_shape + (t2.shape[1],))
    return out.mT.contiguous() if transpose else out


def _matmul_batched(a, b):
    n, m1 = (a.shape[-2] if a.dim() > 1 else 1), a.shape[-1]
    m2, p = (b.shape[-2], b.shape[-1]) if b.dim() > 1 else (b.shape[0], 1)
    batch = broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    size = math.prod(batch)
    a3 = a.expand(batch + (n, m1)).reshape(size, n, m1)
    if b.dim() == 1:
        b3 = b.expand(batch + (m2,)).reshape(size, m2).unsqueeze(2)
    else:
        b3 = b.expand(batch + (m2, p)).reshape(size, m2, p)
    out = bmm(a3, b3)
    out_shape = batch + ((n,) if a.dim() > 1 else ()) + ((p,) if b.dim() > 1 else ())
    return (out.squeeze(-1) if b.dim() == 1 else out).reshape(out_shape)


def _matmul_node(input, other):
    """matmul's node: dot, mv and mm name their own; PyTorch squeezes 1-d @ 2-d, folds the rest."""
    da, db = input.dim(), other.dim()
    if da <= 2 and db <= 2:
        return "SqueezeBackward4" if (da, db) == (1, 2) else None
    return "CloneBackward0" if da == 2 else "UnsafeViewBackward0"


def _matrices_first(general):
    """``general``, matmul as a composite, with its commonest case, two matrices, handed to ``mm`` in one
    frame: their product is mm's own, with mm's node (``_matmul_node`` presents none for it), so the
    composite's recording wrapper has nothing to do there (an MLP step makes two such products)."""
    def matmul(input, other):
        if (isinstance(input, Tensor) and isinstance(other, Tensor)
                and len(input._shape) == 2 == len(other._shape)):
            return mm(input, other)
        return general(input, other)

    return functools.update_wrapper(matmul, general)


@_matrices_first
@composite(samples=samples.matmul, grad_fn=_matmul_node)
def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product with PyTorch's rules for 1-D operands and broadcast batch dims, as ``torch.matmul``."""
    da, db = input.dim(), other.dim()
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {da}D and {db}D")
    if da == 1 and db == 1:
        return dot(input, other)
    if da == 2 and db == 1:
        return mv(input, other)
    if da == 1 and db == 2:
        return mm(input.unsqueeze(0), other).squeeze(0)
    if da == 2 and db == 2:
        return mm(input, other)
    if _should_fold(input, other):
        return _matmul_folded(input, other)
    if da == 3 and db == 3 and input.shape[0] != other.shape[0]:
        # a broadcast batch of one that needs its gradient goes the folded way too (see _should_fold)
        if input.shape[0] == 1 and input.requires_grad:
            return matmul(input.squeeze(0), other)
        if other.shape[0] == 1 and other.requires_grad:
            return matmul(input, other.squeeze(0))
    return _matmul_batched(input, other)


def __matmul__(self, other):
    # a non-Tensor operand (a number too) gives Python's TypeError, as in torch (a duck type: its override)
    if isinstance(other, Tensor):
        return matmul(self, other)
    return overrides.operator_override("__matmul__", self, other)


def __rmatmul__(self, other):
    if isinstance(other, Tensor):
        return matmul(other, self)
    return overrides.operator_override("__rmatmul__", self, other)


# -- the add-and-multiply family: beta * input + alpha * product ---------------------------------
def _scaled(t, factor, is_input=False):
    """``factor * t``; a zero factor drops ``t``'s values (no nan/inf from it) but keeps its gradient (zeros).

    For the ``input`` term, the product is taken on a copy: ``mul`` saves its operands, and the
    in-place twins (``addmm_``, ...) overwrite ``input`` before backward reads them.
    """
    check_fits(factor, t.dtype, opmath=True)  # torch converts beta and alpha to the type it computes in
    if not (t.dtype.is_floating_point or t.dtype.is_complex) and not isinstance(factor, bool):
        factor = int(factor)  # PyTorch casts the scalars to an integer input's type
    if factor == 0:
        return where(t.new_zeros((), dtype=dt.bool_), t, 0)
    if factor == 1:
        return t
    return mul(t.clone() if is_input else t, factor)


def _one_kernel(input, mat1, mat2, beta, alpha) -> bool:
    """Whether ``addmm_bias`` computes ``beta * input + alpha * (mat1 @ mat2)`` (the caller has checked
    the shapes): float32 or float64 on one device, numbers beta and alpha (the cpu's kernel takes any, the
    others' 1 alone), as torch's addmm and addmv call gemm."""
    device = input._storage.device
    if (input.dtype not in (dt.float32, dt.float64) or mat1._storage.device is not device
            or mat2._storage.device is not device or type(beta) not in (int, float)
            or type(alpha) not in (int, float)):
        return False
    if beta == 1 and alpha == 1:
        return True
    check_fits(beta, input.dtype, opmath=True)  # torch's conversion of the numbers, and its errors
    check_fits(alpha, input.dtype, opmath=True)
    return device.type == "cpu"


def _complex_kernel(input, mat1, mat2, beta, alpha) -> bool:
    """Whether ``addmm_complex`` computes complex ``beta * input + alpha * (mat1 @ mat2)`` as torch's addmm
    does (gemm's beta and alpha, MKL's cgemm/zgemm): complex64 or complex128 on the cpu, numbers beta and
    alpha (the caller has checked the shapes and dtypes)."""
    device = input._storage.device
    return (input.dtype in (dt.complex64, dt.complex128) and device.type == "cpu"
            and mat1._storage.device is device and mat2._storage.device is device
            and type(beta) in (int, float, complex) and type(alpha) in (int, float, complex))


def product_saves(first, second, sizes=None):
    """``saves`` of the node torch's product-plus-input op records (AddmmBackward0, AddmvBackward0, ...): each
    operand where the other needs a gradient (None else), ``sizes(a, b)``' pairs (its shapes' numbers), and
    beta and alpha as given."""
    def saves(input, a, b, *, beta=1, alpha=1):
        kept = [(first, a if b.requires_grad else None), (second, b if a.requires_grad else None)]
        return kept + (sizes(a, b) if sizes else []) + [("beta", beta), ("alpha", alpha)]
    return saves


def _matrices_geometry(a, b):
    """AddmmBackward0's: each matrix's sizes, and its strides where its own gradient is computed (else ())."""
    return [(f"{name}_sym_{what}", tuple(value) if what == "sizes" or m.requires_grad else ())
            for name, m in (("mat1", a), ("mat2", b))
            for what, value in (("sizes", m.shape), ("strides", m.stride()))]


@scalars_first("mat1", "mat2")
@composite(samples=samples.addmm, grad_fn="AddmmBackward0",
           saves=product_saves("mat1", "mat2", _matrices_geometry))
@lays_out(contiguous_result_only)  # torch's kernel writes the product into a fresh contiguous result
@in_float32
def addmm(input: Tensor, mat1: Tensor, mat2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat1 @ mat2)``, as ``torch.addmm``."""
    graph.saved_crosswise(mat1, mat2)
    for a, b, names in ((input, mat2, "self and mat2"), (mat1, mat2, "mat1 and mat2")):
        if a.dtype is not b.dtype:
            raise RuntimeError(f"{names} must have the same dtype, but got {scalar_name(a.dtype)} and "
                               f"{scalar_name(b.dtype)}")
    meta = on_meta(input, mat1, mat2)  # (torch's meta rule words its checks its own way)
    for name, t in (("mat1", mat1), ("mat2", mat2)):
        if t.dim() != 2:
            raise RuntimeError(f"{'a' if name == 'mat1' else 'b'} must be 2D" if meta else
                               f"{name} must be a matrix, got {t.dim()}-D tensor")
    (n, k), (k2, m) = mat1.shape, mat2.shape
    if not meta and k == k2 and expands(input._shape, n, m) and _one_kernel(input, mat1, mat2, beta, alpha):
        # one kernel that adds the input as torch's does (gemm's beta and alpha): torch's numbers
        return addmm_bias(input, mat1, mat2, float(beta), float(alpha))
    if (not meta and k == k2 and expands(input._shape, n, m)
            and _complex_kernel(input, mat1, mat2, beta, alpha)):
        return addmm_complex(input, mat1, mat2, complex(beta), complex(alpha))
    product = mm(mat1, mat2)
    if meta:
        broadcast_shapes_on_meta(product.shape, input.shape)
    return _scaled(input.expand(product.shape), beta, is_input=True) + _scaled(product, alpha)


def _gemv_scalars(fn):
    """``fn`` (addmv) reading ``beta`` and ``alpha`` as torch's kernel, once the operands are checked: gemv
    takes them as a 16-bit input's scalar_t (c10::Half: past its range, its overflow error), where
    ``in_float32`` computes in float32; an empty product calls no gemv, and alpha is unread (no inf * 0)
    while beta scales the input as a number of its dtype (a 16-bit one rounded, never refused)."""
    @functools.wraps(fn)
    def read(input, mat, vec, *, beta=1, alpha=1):
        if isinstance(input, Tensor) and isinstance(mat, Tensor) and isinstance(vec, Tensor):
            graph.saved_crosswise(mat, vec)  # (torch's order: the save, the operands, then the numbers)
            _check_addmv(input.shape, input.dtype, mat, vec)
            if not mat.numel():
                alpha = 0
                if input.dtype in dt.HALVES and isinstance(beta, (int, float)) and not isinstance(beta, bool):
                    beta = dt.round_half(beta, input.dtype)
                if beta != 0 and mat.shape[0] and input.shape != mat.shape[:1]:  # (its result: input's shape)
                    from ..outarg import resized_text
                    warn(resized_text(list(mat.shape[:1]), list(input.shape)))
            elif input.dtype in dt.HALVES:
                check_fits(beta, input.dtype)
                check_fits(alpha, input.dtype)
        return fn(input, mat, vec, beta=beta, alpha=alpha)
    return read


@scalars_first("mat", "vec")
@composite(samples=samples.addmv, grad_fn="AddmvBackward0", saves=product_saves("mat", "vec"))
@_gemv_scalars
@in_float32
def addmv(input: Tensor, mat: Tensor, vec: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * (mat @ vec)``, as ``torch.addmv``."""
    graph.saved_crosswise(mat, vec)
    _check_addmv(input.shape, input.dtype, mat, vec)
    if not mat.numel() and beta != 0:  # torch's shortcut: input times beta, into a result of input's shape
        return _scaled(input, beta, is_input=True)
    if not on_meta(input, mat, vec) and _one_kernel(input, mat, vec, beta, alpha):
        # torch's gemv, the input a column added by its beta
        column, col = input.unsqueeze(-1) if input.dim() else input, vec.unsqueeze(1)
        product = addmm_bias(column, mat, col, float(beta), float(alpha), "mv")
        graph.saved_as_given(product, (col, vec, _as_column))  # torch's addmv saves vec itself
        return product.squeeze(1)
    return _scaled(input.expand(mat.shape[0]), beta, is_input=True) + _scaled(mv(mat, vec), alpha)


@scalars_first("batch1", "batch2")
@composite(samples=samples.baddbmm, grad_fn="BaddbmmBackward0", saves=product_saves("batch1", "batch2"))
@lays_out(contiguous_result_only)  # torch's kernel writes the product into a fresh contiguous result
@in_float32
def baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * bmm(batch1, batch2)``, as ``torch.baddbmm``."""
    graph.saved_crosswise(batch1, batch2)
    expanded = input.expand(batch1.size(0), batch1.size(1), batch2.size(2))
    if input.dtype is not batch1.dtype:
        raise RuntimeError(f"Input dtypes must be the same, got: input {cpp_name(input.dtype)}, batch1: "
                           f"{cpp_name(batch1.dtype)}, batch2: {cpp_name(batch2.dtype)}")
    check_not_bool("baddbmm", input, batch1, batch2, empty_ok=True)
    if (input._storage.device.type == "cpu" and batch1.dim() == batch2.dim() == 3
            and batch1.dtype is batch2.dtype and batch1.shape[0] == batch2.shape[0]
            and batch1.shape[2] == batch2.shape[1]
            and not on_meta(input, batch1, batch2) and _one_kernel(input, batch1, batch2, beta, alpha)):
        # one kernel that adds the input as torch's does (batched gemm's beta and alpha): torch's numbers
        return baddbmm_bias(input, batch1, batch2, float(beta), float(alpha))
    return _scaled(expanded, beta, is_input=True) + _scaled(bmm(batch1, batch2), alpha)


@scalars_first("batch1", "batch2")
@composite(samples=samples.addbmm, grad_fn="AddbmmBackward0", saves=product_saves(
    "batch1", "batch2", lambda a, b: [("batch1_sym_argsize_0", a.shape[0]), ("batch1_sym_argsize_1", a.shape[1]),
                                      ("batch2_sym_argsize_2", b.shape[2])]))
def addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, *, beta=1, alpha=1) -> Tensor:
    """``beta * input + alpha * sum_b(batch1[b] @ batch2[b])``, as ``torch.addbmm``."""
    graph.saved_crosswise(batch1, batch2)
    expanded = input.expand(batch1.size(1), batch2.size(2))
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.dim() != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    (b, n, k), (b2, k2, m) = batch1.shape, batch2.shape
    if b != b2:
        raise RuntimeError(f"batch1 and batch2 must have same number of batches, got {b} and {b2}")
    if k != k2:
        raise RuntimeError(f"Incompatible matrix sizes for bmm ({n}x{k} and {k2}x{m})")
    # torch adds one product at a time (addmm_ with beta, then 1), rounding each sum (float16's too); where
    # the cpu's one-kernel addmm computes that as torch's does, so is it done
    one_at_a_time = input.dtype is dt.float16 or input.dtype in (dt.float32, dt.float64) and \
        input._storage.device.type == "cpu" and not on_meta(input, batch1, batch2)
    if one_at_a_time and b:  # (one matrix too: its own layouts, which pick gemm's transposes)
        return Formula.apply(_addbmm_in_turn, _addbmm_backward, expanded, batch1, batch2, beta, alpha)
    # the sum over the batch of products is one product over the batch and inner dims together; batch1's
    # rows moved outermost are a copy (as the reshape would make) whose gradient goes back row-major, as
    # torch's kernel gives it (the copy's own would be the permuted one)
    rows = relaid(batch1.permute(1, 0, 2), None, (k, n * k, 1))
    return addmm(expanded, rows.reshape(n, b * k), batch2.reshape(b * k, m), beta=beta, alpha=alpha)


def _addbmm_in_turn(input, batch1, batch2, beta, alpha):
    out = addmm(input, batch1[0], batch2[0], beta=beta, alpha=alpha)
    for i in range(1, batch1.shape[0]):
        out = addmm(out, batch1[i], batch2[i], alpha=alpha)
    return out


def _addbmm_backward(g, input, batch1, batch2, beta, alpha):
    """torch's addbmm derivative: each batch's gradient one bmm of ``g`` expanded over the batch (not the
    products' own gradients, a matrix product per batch, which round otherwise), each scaled by a number
    other than 1."""
    kept = batch2 if batch1 is None else batch1  # (each kept only for the other's gradient: None else)
    spread = None if kept is None else g.unsqueeze(0).expand(kept.shape[0], *g.shape)
    grad1 = None if batch2 is None else maybe_multiply(bmm(spread, batch2.transpose(1, 2)), alpha)
    grad2 = None if batch1 is None else maybe_multiply(bmm(batch1.transpose(1, 2), spread), alpha)
    return maybe_multiply(g, beta), grad1, grad2, None, None


_addbmm_backward.saves = {1: (2,), 2: (1,)}  # batch1 for batch2's gradient, batch2 for batch1's


# -- tensordot and einsum ------------------------------------------------------------------------
def _dims_list(dims, name, position):
    """One of tensordot's two dim lists, read as torch's parser reads an ``int[]`` (no bool or float first,
    no ndarray), with its TypeErrors."""
    if isinstance(dims, int):
        raise TypeError(f"tensordot(): argument '{name}' (position {position}) must be tuple of ints, "
                        "not int")
    return list(int_tuple((dims,), "tensordot", name, position))


@composite(samples=samples.tensordot)
def tensordot(a: Tensor, b: Tensor, dims=2) -> Tensor:
    """Sum of products over the dims ``dims`` (a count of trailing/leading dims, or two lists), as
    ``torch.tensordot``."""
    # torch's Python: a count (an int, whose check reads both ranks; or a one-element tensor, which reads
    # none) or two lists, then its binding's parse of both tensors and the lists
    counted = isinstance(dims, Tensor) and dims.numel() <= 1
    if isinstance(dims, Tensor):
        dims = int(dims.item()) if counted else dims.tolist()
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if not counted:
            for x in (a, b):
                if not isinstance(x, Tensor):
                    raise AttributeError(f"'{type(x).__name__}' object has no attribute 'dim'")
            if dims > min(a.dim(), b.dim()):
                raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims = (list(range(-dims, 0)), list(range(dims)))
    elif not isinstance(dims, (tuple, list)):  # torch's Python takes no NumPy integer here
        raise RuntimeError("tensordot expects dims to be int or tuple[list[int], list[int]] or "
                           f"list[list[int]] containing two lists, but got dims={dims}")
    dims_a, dims_b = dims  # (one list: Python's unpacking ValueError, as torch's, before its binding's checks)
    for i, (arg, x) in enumerate((("input", a), ("other", b))):
        if not isinstance(x, Tensor):
            raise TypeError(f"tensordot(): argument '{arg}' (position {i + 1}) must be Tensor, not "
                            f"{type(x).__name__}")
    dims_a, dims_b = _dims_list(dims_a, "dims_self", 3), _dims_list(dims_b, "dims_other", 4)
    if len(dims_a) != len(dims_b):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    contracted = 1
    for da, db in zip(dims_a, dims_b):
        sa, sb = a.size(da), b.size(db)
        if sb == 1:  # a broadcast dim is summed right away
            a = a.sum(da, keepdim=True, dtype=a.dtype)
        elif sa == 1:
            b = b.sum(db, keepdim=True, dtype=b.dtype)
        elif sa != sb:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {sa} in dim {da} "
                               f"and second has size {sb} in dim {db}")
        else:
            contracted *= sa
    ca = normalize_dims(dims_a, a.dim()) if dims_a else ()
    cb = normalize_dims(dims_b, b.dim()) if dims_b else ()
    free_a = [d for d in range(a.dim()) if d not in ca]
    free_b = [d for d in range(b.dim()) if d not in cb]
    out_shape = [a.shape[d] for d in free_a] + [b.shape[d] for d in free_b]
    a2 = a.permute(free_a + [normalize_dim(d, a.dim()) for d in dims_a])
    b2 = b.permute([normalize_dim(d, b.dim()) for d in dims_b] + free_b)
    if not free_a and not free_b:  # everything contracted: torch's dot, viewed as the 0-d result
        return dot(a2.reshape(contracted), b2.reshape(contracted)).reshape(out_shape)
    a2 = a2.reshape(math.prod(out_shape[:len(free_a)]), contracted)
    b2 = b2.reshape(contracted, math.prod(out_shape[len(free_a):]))
    return mm(a2, b2).reshape(out_shape)


_ELLIPSIS = "..."


def _sublist_equation(args):
    """The equation of einsum's sublist form ``einsum(op1, [0, 1], op2, [1, 2], [0, 2])``."""
    def letters(sub):
        out = ""
        for n in sub:
            if n is Ellipsis:
                out += _ELLIPSIS
            elif 0 <= n < 26:
                out += chr(ord("A") + n)
            elif 26 <= n < 52:
                out += chr(ord("a") + n - 26)
            else:
                raise ValueError("einsum(): subscript in subscript list is not within the valid range "
                                 "[0, 52)")
        return out
    has_output = len(args) % 2 == 1
    pairs = args[:-1] if has_output else args
    equation = ",".join(letters(sub) for sub in pairs[1::2])
    if has_output:
        equation += "->" + letters(args[-1])
    return equation, list(pairs[0::2])


def _parse_subscripts(equation, start, text, what):
    """Labels of one side of the equation: letters, with ``...`` kept as one ``_ELLIPSIS`` entry."""
    labels, i = [], 0
    while i < len(text):
        c = text[i]
        if c == ".":
            if _ELLIPSIS in labels:
                raise RuntimeError(f"einsum(): found '.' for {what} for which an ellipsis was already found"
                                   if what != "output" else
                                   "einsum(): found '.' for output but an ellipsis (...) was already found")
            if text[i:i + 3] != _ELLIPSIS:
                suffix = " (...)" if what == "output" else ""
                raise RuntimeError(f"einsum(): found '.' for {what} that is not part of any ellipsis{suffix}")
            labels.append(_ELLIPSIS)
            i += 3
            continue
        if c != " ":
            if not (c.isascii() and c.isalpha()):
                raise RuntimeError(f"einsum(): invalid subscript given at index {start + i} in the equation "
                                   "string, subscripts must be in [a-zA-Z]")
            labels.append(c)
        i += 1
    return labels


def _parse_equation(equation, n_ops):
    arrow = equation.find("->")
    lhs = equation if arrow == -1 else equation[:arrow]
    op_labels, start = [], 0
    for k, part in enumerate(lhs.split(",")):
        if k >= n_ops:
            raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
        op_labels.append(_parse_subscripts(equation, start, part, f"operand {k}"))
        start += len(part) + 1
    if len(op_labels) != n_ops:
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    if arrow == -1:
        return op_labels, None
    return op_labels, _parse_subscripts(equation, arrow + 2, equation[arrow + 2:], "output")


def _einsum_operand(i, op, labels, ell_ndim, sizes):
    """Give each dim of operand ``i`` one label (ellipsis dims become ints), taking diagonals of
    repeated labels and recording each label's size, with PyTorch's checks and messages."""
    named = [lb for lb in labels if lb != _ELLIPSIS]
    if _ELLIPSIS in labels:
        if len(named) > op.dim():
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(named)}) is more "
                               f"than the number of dimensions ({op.dim()}) for operand {i}")
    elif len(named) != op.dim():
        raise RuntimeError(f"einsum(): the number of subscripts in the equation ({len(named)}) does not "
                           f"match the number of dimensions ({op.dim()}) for operand {i} and no ellipsis "
                           "was given")
    dim_labels, dim = [], 0
    for lb in labels:
        if lb == _ELLIPSIS:
            covered = op.dim() - len(named)
            for j in range(ell_ndim - covered, ell_ndim):
                n = op.shape[dim]
                if n != 1:
                    if sizes.get(j, 1) not in (1, n):
                        raise RuntimeError(f"einsum(): dimension {dim} covered by ellipsis in operand "
                                           f"{i}has size {n} which does not broadcast with previously seen "
                                           f"ellipsis with size {sizes[j]} for the respective dimension")
                    sizes[j] = n
                dim_labels.append(j)
                dim += 1
        elif lb in dim_labels:
            prev = dim_labels.index(lb)
            if op.shape[dim] != op.shape[prev]:
                raise RuntimeError(f"einsum(): subscript {lb} is repeated for operand {i} but the sizes "
                                   f"don't match, {op.shape[dim]} != {op.shape[prev]}")
            op = op.diagonal(0, prev, dim).movedim(-1, prev)
        else:
            n = op.shape[dim]
            if n != 1:
                if sizes.get(lb, 1) not in (1, n):
                    raise RuntimeError(f"einsum(): subscript {lb} has size {n} for operand {i} which does "
                                       f"not broadcast with previously seen size {sizes[lb]}")
                sizes[lb] = n
            dim_labels.append(lb)
            dim += 1
    return op, dim_labels


def _sumproduct_pair(left, right, sum_dims):
    """Multiply two aligned operands and sum ``sum_dims`` (kept as size 1) with one ``bmm``."""
    lro, lo, ro = [], [], []
    for d in range(left.dim()):
        if d in sum_dims:
            continue
        nl, nr = left.shape[d] != 1, right.shape[d] != 1
        (lro if nl and nr else lo if nl else ro).append(d)

    def size(t, dims):
        return math.prod(t.shape[d] for d in dims)
    batch, n_lo, n_ro, n_sum = size(left, lro), size(left, lo), size(right, ro), size(left, sum_dims)
    # each side has size 1 on the other side's own dims, so those ride along in its reshape
    a = left.permute(lro + lo + sum_dims + ro).reshape(batch, n_lo, n_sum)
    b = right.permute(lro + sum_dims + ro + lo).reshape(batch, n_sum, n_ro)
    out_dims = lro + lo + ro + sum_dims
    shape = [left.shape[d] for d in lro + lo] + [right.shape[d] for d in ro] + [1] * len(sum_dims)
    out = bmm(a, b).reshape(shape)
    return out.permute([out_dims.index(d) for d in range(left.dim())])


@composite(samples=samples.einsum)
def einsum(*args) -> Tensor:
    """Sums of products over labelled dims, as ``torch.einsum`` (equation or sublist form)."""
    if len(args) < 2:
        raise ValueError("einsum(): must specify the equation string and at least one operand, or at least "
                         "one operand and its subscripts list")
    if isinstance(args[0], Tensor):
        equation, operands = _sublist_equation(args)
    else:
        equation, operands = args[0], list(args[1:])
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = list(operands[0])
    for i, op in enumerate(operands):  # torch's parser reads the operands (a Tensor list) first
        if not isinstance(op, Tensor):
            raise TypeError(f"expected Tensor as element {i} in argument 1, but got {typename(op)}")
    op_labels, out_labels = _parse_equation(equation, len(operands))
    ell_ndim = max((op.dim() - len(lbs) + 1 for op, lbs in zip(operands, op_labels) if _ELLIPSIS in lbs),
                   default=0)
    counts = {}
    for lbs in op_labels:
        for lb in lbs:
            counts[lb] = counts.get(lb, 0) + 1
    if out_labels is None:  # implicit output: the ellipsis, then the labels used once, sorted
        out_labels = ([_ELLIPSIS] if _ELLIPSIS in counts else []) + sorted(lb for lb, n in counts.items()
                                                                           if n == 1 and lb != _ELLIPSIS)
    seen = []
    for lb in out_labels:
        if lb != _ELLIPSIS and lb not in counts:
            raise RuntimeError(f"einsum(): output subscript {lb} does not appear in the equation for any "
                               "input operand")
        if lb in seen:
            raise RuntimeError(f"einsum(): output subscript {lb} appears more than once in the output")
        seen.append(lb)
    out = []
    for lb in out_labels:
        out += list(range(ell_ndim)) if lb == _ELLIPSIS else [lb]
    sizes, ops = {}, []
    since = graph.SEQUENCE[0]
    for i, (op, lbs) in enumerate(zip(operands, op_labels)):
        ops.append(_einsum_operand(i, op, lbs, ell_ndim, sizes))
    result, node = _contract(ops, out)
    if node is not None:
        graph.present_as(result, node, since)
    return result


def _contract(ops, out):
    """Contract labelled operands to the labels ``out``, pairwise from the left, as PyTorch does; with
    the node PyTorch's einsum ends in (a single operand's sum or permute, a product's mul; None: a
    batched matmul's view)."""
    every = list(out)
    for _, labels in ops:
        every += [lb for lb in labels if lb not in every]
    aligned = []
    for op, labels in ops:  # every operand gets every label, in one order (size 1 where it has none)
        present = [lb for lb in every if lb in labels]
        op = op.permute([labels.index(lb) for lb in present])
        aligned.append(op.reshape([op.shape[present.index(lb)] if lb in labels else 1 for lb in every]))
    # how many operands (and the output) hold each dim with a size other than 1: at 1, it is summed out
    counts = [int(d < len(out)) + sum(a.shape[d] != 1 for a in aligned) for d in range(len(every))]
    for i, a in enumerate(aligned):
        dims = [d for d in range(len(out), len(every)) if a.shape[d] != 1 and counts[d] == 1]
        for d in dims:
            counts[d] = 0
        if dims:
            aligned[i] = a.sum(dims, keepdim=True)
    result = aligned[0]
    for b in aligned[1:]:
        sum_dims = []
        for d in range(len(out), len(every)):
            if result.shape[d] != 1 and b.shape[d] != 1:
                counts[d] -= 1
                if counts[d] == 1:
                    sum_dims.append(d)
                    counts[d] = 0
            elif counts[d] == 1:
                if result.shape[d] != 1:
                    result, counts[d] = result.sum(d, keepdim=True), 0
                elif b.shape[d] != 1:
                    b, counts[d] = b.sum(d, keepdim=True), 0
        result = _sumproduct_pair(result, b, sum_dims) if sum_dims else mul(result, b)
        node = None if sum_dims else "MulBackward0"
    if len(aligned) == 1:
        node = "SumBackward1" if len(every) > len(out) else "PermuteBackward0"
    return result.reshape(result.shape[:len(out)]), node

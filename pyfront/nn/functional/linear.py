"""Linear maps, dropout, embeddings and distances of pyfront.nn.functional, in pyfront ops."""

from __future__ import annotations

import functools
import math
import operator

from ... import _warnings
from ... import dtypes as dt
from ...backends import host_rules
from ...autograd import dual
from ...autograd.dual import ON as _DUAL
from ...autograd.function import Function
from ...autograd.grad_mode import no_grad
from ...autograd.graph import SEQUENCE, also_saves, saved_as_torch
from ...ops import creation
from ...ops.composite.indexing import index_select, rows_added_in_turn
from ...ops.common import in_float32_of_one_dtype
from ...ops.composite.linalg import matmul
from ...dtypes import scalar_name
from ...ops.primitives.linalg import addmm_bias, addmm_complex, check_not_bool, expands, mm, mT_view
from ...ops.primitives import elementwise as ew, moments
from ...ops.primitives.reductions import reduce_dims
from ...ops.common import check_fits
from ...ops.primitives.elementwise import relaid
from ...ops.memory_formats import contiguous_result_only, lays_out
from ...ops.on_meta import on_meta
from ...ops.registry import composite
from ...ops import samples
from ...shape import broadcast_shapes, broadcast_shapes_on_meta
from ...tensor import Tensor

__all__ = [
    "linear",
    "bilinear",
    "dropout",
    "dropout1d",
    "dropout2d",
    "dropout3d",
    "alpha_dropout",
    "feature_alpha_dropout",
    "embedding",
    "one_hot",
    "normalize",
    "cosine_similarity",
    "pairwise_distance",
]


def _linear_node(input, weight, bias=None):
    """linear's node where its general path (the composite below) runs: PyTorch runs addmm(bias, input,
    weight.t()) for a 2-d input with a bias, viewed back for a contiguous input of another rank and a 1-d
    bias; the weight itself stands for its transpose among the node's next_functions."""
    if bias is None or weight.dim() != 2:
        return None
    if input.dim() == 2:
        return "AddmmBackward0", (bias, input, weight)
    return "ViewBackward0" if input.is_contiguous() and bias.dim() == 1 else None


def _one_node_first(general):
    """``general``, linear as a composite, with torch's one-op cases run as that op in one frame: a matrix
    times a weight matrix's transpose is mm (no bias) or addmm (a bias that expands to the output:
    AddmmBackward0, its next functions the bias's, the input's and the weight's TBackward0, as torch's);
    a contiguous input of another rank with a 1-d bias is viewed as a matrix and back (ViewBackward0), as
    torch's linear flattens it. Other cases (float16, which computes in float32; mixed dtypes or devices,
    whose errors the composite gives; a bias that does not expand) take ``general``."""
    def linear(input, weight, bias=None):
        if isinstance(input, Tensor) and isinstance(weight, Tensor) and len(weight._shape) == 2:
            rank = len(input._shape)
            if bias is None:
                if rank == 2 and input.dtype is not dt.float16:
                    return mm(input, mT_view(weight, 2, "TBackward0"))
            elif (isinstance(bias, Tensor) and input.dtype is weight.dtype is bias.dtype
                  and input.dtype in _ONE_NODE_DTYPES and rank
                  and input._storage.device is weight._storage.device is bias._storage.device):
                # shapes unpacked, not indexed: a Size's __getitem__ is a Python call
                (m, k), (*lead, k_in) = weight._shape, input._shape
                if k_in == k and rank == 2 and expands(bias._shape, *lead, m):
                    return addmm_bias(bias, input, mT_view(weight, 2, "TBackward0"))
                if k_in == k and rank != 2 and input._contiguous and bias._shape in ((1,), (m,)):
                    flat = input.view(math.prod(lead), k)
                    out = addmm_bias(bias, flat, mT_view(weight, 2, "TBackward0"))
                    return out.view(*lead, m)
            elif (rank == 2 and isinstance(bias, Tensor) and input.dtype is weight.dtype is bias.dtype
                  and input.dtype in _COMPLEX_DTYPES and input._storage.device.type == "cpu"
                  and input._storage.device is weight._storage.device is bias._storage.device
                  and input._shape[1] == weight._shape[1] and expands(bias._shape, input._shape[0],
                                                                      weight._shape[0])):
                # complex matrices: torch's addmm too (MKL's cgemm/zgemm, the bias added by its beta)
                return addmm_complex(bias, input, mT_view(weight, 2, "TBackward0"), 1, 1)
        return general(input, weight, bias)

    return functools.update_wrapper(linear, general)


_ONE_NODE_DTYPES = (dt.float32, dt.float64)
_COMPLEX_DTYPES = (dt.complex64, dt.complex128)


@_one_node_first
@composite(torch_name="nn.functional.linear", samples=samples.linear, grad_fn=_linear_node)
@in_float32_of_one_dtype  # torch adds the bias to the float32 product, then rounds once
def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Affine map: ``y = x W^T + b``.

    Args:
        input (Tensor): ``(*, in_features)``.
        weight (Tensor): ``(out_features, in_features)``, or 1-dim ``(in_features,)`` (then no out dim).
        bias (Tensor, optional): ``(out_features,)`` or broadcastable to the output. Default: None

    Shape:
        input: ``(*, H_in)``; weight: ``(H_out, H_in)``; output: ``(*, H_out)``.

    Raises:
        RuntimeError: ``input``'s last dim does not match ``weight``'s (from matmul).

    Matches ``torch.nn.functional.linear``.
    """
    if bias is not None:  # PyTorch runs addmm here: its dtype checks and texts, bias first
        for name, other in (("self", bias), ("mat1", input)):
            if other.dtype != weight.dtype:
                _refuse_0d(input, weight)
                raise RuntimeError(f"{name} and mat2 must have the same dtype, but got "
                                   f"{scalar_name(other.dtype)} and {scalar_name(weight.dtype)}")
        if input.dim() == 2 and weight.dim() == 1:  # torch's addmm(bias, input, weight.t()) refuses it
            raise RuntimeError("mat2 must be a matrix, got 1-D tensor")
    if input.dim() == 2 and weight.dim() == 2:  # matmul's 2-d case, without its composite's wrapping
        out = mm(input, mT_view(weight, 2, "TBackward0"))  # weight.t(), without its checks
    else:
        try:
            out = matmul(input, weight.t())  # (a 1-d weight: its view, which torch's product keeps)
        except RuntimeError:
            _refuse_0d(input, weight)
            raise
    if bias is not None and weight.dim() == 2 and (input.dim() == 2 or _linear_node(input, weight, bias)):
        rows = math.prod(out.shape[:-1])  # torch's addmm, of the input as a matrix: it expands the bias
        if not expands(tuple(bias.shape), rows, out.shape[-1]):
            if on_meta(out, bias):  # torch's meta addmm broadcasts the bias in Python: its words
                broadcast_shapes_on_meta((rows, out.shape[-1]), tuple(bias.shape))
            bias.expand(rows, out.shape[-1])  # its error
    return out if bias is None else out + bias


def _refuse_0d(input, weight):
    """torch's linear refuses a 0-d operand before anything else (asked on the failure path only)."""
    if not input.dim() or not weight.dim():
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are "
                           f"{input.dim()}D and {weight.dim()}D")


def _bilinear_sizes(input1, input2, weight, bias):
    """torch's bilinear's size checks, in its order (its reads of a size a tensor lacks: IndexError)."""
    if input1.dim() != input2.dim():
        raise RuntimeError(
            f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got "
                               f"{input1.shape[i]} and {input2.shape[i]}")
    for k, x in ((1, input1), (2, input2)):  # (weight's size read first, as torch's compiled comparison)
        if (want := weight.size(k)) != (got := x.size(x.dim() - 1)):
            raise RuntimeError(f"bilinear(): input{k} size does not match weight size: got {got} but "
                               f"expected {want}")
    if bias is not None and (want := weight.size(0)) != (got := bias.size(0)):
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {got} but expected {want}")
    if weight.dim() != 3:  # (its _trilinear's)
        raise RuntimeError("number of dimensions must match")


@composite(torch_name="nn.functional.bilinear", samples=samples.bilinear,
           grad_fn=lambda *a, bias=None: (
               "AddBackward0" if len(a) > 3 or bias is not None else "ViewBackward0"))
def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Bilinear map: ``y_k = x1^T W_k x2 + b_k`` for each output feature k.

    Args:
        input1 (Tensor): ``(*, H_in1)``.
        input2 (Tensor): ``(*, H_in2)``, the same leading dims as ``input1``.
        weight (Tensor): ``(H_out, H_in1, H_in2)``.
        bias (Tensor, optional): ``(H_out,)``. Default: None

    Shape:
        input1: ``(*, H_in1)``; input2: ``(*, H_in2)``; output: ``(*, H_out)``.

    Raises:
        RuntimeError: the last dim of ``input1`` or ``input2`` does not match ``weight``.

    Matches ``torch.nn.functional.bilinear`` (integer inputs keep their dtype).
    """
    d = input1.dtype
    if not (input2.dtype is d and weight.dtype is d and (bias is None or bias.dtype is d)):  # before sizes
        named = {"input1": input1, "input2": input2, "weight": weight, "bias": bias}
        raise RuntimeError("All tensors must have the same dtype, got " + ", ".join(
            f"{name}: {dt.cpp_name(t.dtype)}" for name, t in named.items() if t is not None))
    _bilinear_sizes(input1, input2, weight, bias)
    out_f, in1, in2 = weight.shape
    check_not_bool("bmm", input1, input2, weight, empty_ok=True)  # torch's bilinear runs on its bmm kernel
    # torch's kernel (_trilinear) saves each of the three for the other two's gradients
    saved_as_torch(input1, by=(input2, weight))
    saved_as_torch(input2, by=(input1, weight))
    saved_as_torch(weight, by=(input1, input2))
    # x1 @ W viewed as (in1, out * in2), then contracted with x2 over in2
    # (copied as the reshape would, with the weight's gradient laid out back row-major, as torch's kernel
    # gives it whatever the weight's layout, where the copy's own gradient would be the permuted one)
    moved = relaid(weight.permute(1, 0, 2), None, (in2, in1 * in2, 1))
    # torch's kernel computes input1's gradient from its rows flattened: contiguous, never a column-major
    # matmul gradient
    rows = relaid(input1, None) if input1.requires_grad and not input1.is_contiguous() else input1
    left = matmul(rows, moved.reshape(in1, out_f * in2))
    prod = left.reshape(*left.shape[:-1], out_f, in2) * input2.unsqueeze(-2)
    out = prod.sum(-1, dtype=prod.dtype)  # integer inputs keep their dtype (and wrap), as in PyTorch
    if out.grad_fn is not None:
        _trilinear_saves(out, input1, input2, weight)
    return out if bias is None else out + bias


def _trilinear_saves(out, input1, input2, weight) -> None:
    """Keep on ``out``'s node what torch's bilinear keeps, checked before pyfront's own steps run (they keep
    other views, or a copy of the weight): its _trilinear node keeps each of the inputs flattened to
    matrices (torch's reshape: a copy where no view has their layout) and the weight, each only for the other
    two's gradients (not shown: a node below torch's)."""
    need1, need2, need_w = input1.requires_grad, input2.requires_grad, weight.requires_grad
    also_saves(out, (None, input1.reshape(-1, input1.shape[-1]) if need2 or need_w else None),
               (None, weight if need1 or need2 else None),
               (None, input2.reshape(-1, input2.shape[-1]) if need1 or need_w else None))


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:  # torch's Python check
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not 0.0 <= p <= 1.0:  # ATen's, which NaN fails
        raise RuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")


def _masked(input: Tensor, p: float, mask_shape, inplace: bool) -> Tensor:
    """input * mask / (1 - p) with mask ~ Bernoulli(1 - p) of shape ``mask_shape`` (broadcast)."""
    since = SEQUENCE[0]
    keep = creation.rand(*mask_shape, dtype=input.dtype, device=input.device) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    out = input * (keep.to(input.dtype) * scale)
    return input._assign(out, since) if inplace else out


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes each element with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    ``y = x * m / (1 - p)``, ``m ~ Bernoulli(1 - p)`` drawn afresh for every call, so the mean is kept.

    Args:
        input (Tensor): the input.
        p (float): probability of dropping an element, in ``[0, 1]``. Default: 0.5
        training (bool): apply dropout; when False, ``input`` is returned unchanged. Default: True
        inplace (bool): overwrite ``input`` with the result. Default: False

    Shape:
        input: ``(*)``, any shape; output: ``(*)``, the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.

    Follows Srivastava et al. 2014, as ``torch.nn.functional.dropout``.
    """
    _check_p(p)
    if not training or p == 0.0:
        return input
    return _masked(input, p, input.shape, inplace)


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: bool) -> Tensor:
    """ATen's feature_dropout: one draw per (sample, channel), broadcast over the dims after them.

    An unbatched input is taken as ``(C, ...)``, as PyTorch's ``unsqueeze(0)`` around the call does.
    """
    _check_p(p)
    if not training or p == 0.0 or input.numel() == 0:
        return input
    lead = 2 if batched else 1
    if input.dim() < lead:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return _masked(input, p, tuple(input.shape[:lead]) + (1,) * (input.dim() - lead), inplace)


def _deprecated_dims(name: str, input: Tensor, dims: int) -> None:
    """PyTorch's warning (not an error) when dropout2d/dropout3d gets a rank it was not made for."""
    if input.dim() not in (dims + 1, dims + 2):
        _warnings.warn(
            f"{name}: Received a {input.dim()}-D input to {name}, which is deprecated and will result in "
            "an error in a future release. To retain the behavior and silence this warning, please use "
            f"dropout instead. Note that {name} exists to provide channel-wise dropout on inputs with {dims} "
            "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. "
            f"{dims + 1}D or {dims + 2}D inputs)."
        )


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    One Bernoulli draw per (sample, channel) of an input with 1 spatial dim, a channel dim and an optional
    batch dim.

    Args:
        input (Tensor): the input.
        p (float): probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        training (bool): apply dropout; when False, ``input`` is returned unchanged. Default: True
        inplace (bool): overwrite ``input`` with the result. Default: False

    Shape:
        input: ``(N, C, L)`` or ``(C, L)``; output: the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.
        RuntimeError: ``input`` is not 2-dim or 3-dim.

    Follows Tompson et al. 2015, as ``torch.nn.functional.dropout1d``.
    """
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D input. Note that dropout1d "
            "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, "
            "and an optional batch dimension (i.e. 2D or 3D inputs)."
        )
    return _feature_dropout(input, p, training, inplace, batched=input.dim() == 3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    One Bernoulli draw per (sample, channel) of an input with 2 spatial dims, a channel dim and an optional
    batch dim.

    Args:
        input (Tensor): the input.
        p (float): probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        training (bool): apply dropout; when False, ``input`` is returned unchanged. Default: True
        inplace (bool): overwrite ``input`` with the result. Default: False

    Shape:
        input: ``(N, C, H, W)``; output: the same shape. As in PyTorch, a 3-dim input is read as
        ``(N, C, L)`` (one draw per (N, C)) and another rank warns and drops per (dim 0, dim 1).

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.
        RuntimeError: a 0-dim or 1-dim input (PyTorch's "Feature dropout requires at least 2 dimensions").

    Follows Tompson et al. 2015, as ``torch.nn.functional.dropout2d``.
    """
    _check_p(p)
    _deprecated_dims("dropout2d", input, 2)
    if input.dim() == 3:  # PyTorch keeps the historical (N, C, L) reading (pytorch/pytorch#77081)
        _warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
            "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
            "will change in a future release to interpret the input as one without a batch dimension, i.e. "
            "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
            "dropout1d instead."
        )
    return _feature_dropout(input, p, training, inplace, batched=True)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zeroes whole channels with probability ``p`` and scales the rest by ``1 / (1 - p)``.

    One Bernoulli draw per (sample, channel) of an input with 3 spatial dims, a channel dim and an optional
    batch dim.

    Args:
        input (Tensor): the input.
        p (float): probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        training (bool): apply dropout; when False, ``input`` is returned unchanged. Default: True
        inplace (bool): overwrite ``input`` with the result. Default: False

    Shape:
        input: ``(N, C, D, H, W)`` or ``(C, D, H, W)``; output: the same shape. As in PyTorch, another
        rank warns and is read as unbatched ``(C, ...)``.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.
        RuntimeError: a 0-dim input (PyTorch's "Feature dropout requires at least 2 dimensions").

    Follows Tompson et al. 2015, as ``torch.nn.functional.dropout3d``.
    """
    _check_p(p)
    _deprecated_dims("dropout3d", input, 3)
    return _feature_dropout(input, p, training, inplace, batched=input.dim() == 5)


_SELU_ALPHA_PRIME = -1.7580993408473766  # -scale * alpha of SELU: the value a dropped unit takes


def _alpha_masked(input: Tensor, p: float, mask_shape, inplace: bool) -> Tensor:
    since = SEQUENCE[0]
    keep = (creation.rand(*mask_shape, dtype=input.dtype, device=input.device) >= p).to(input.dtype)
    a = 1.0 / ((1 - p) * (1 + p * _SELU_ALPHA_PRIME**2)) ** 0.5
    b = -a * _SELU_ALPHA_PRIME * p
    out = (input * keep + _SELU_ALPHA_PRIME * (1 - keep)) * a + b
    return input._assign(out, since) if inplace else out


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """Alpha dropout: drops elements with probability ``p`` while keeping SELU's mean and variance.

    Each dropped units are set to SELU's negative saturation ``-scale * alpha`` and the result is then
    transformed affinely (``a * y + b``) so that zero mean and unit variance are kept.

    Args:
        input (Tensor): the input.
        p (float): probability of dropping an element, in ``[0, 1]``. Default: 0.5
        training (bool): apply dropout; when False, ``input`` is returned unchanged. Default: False
        inplace (bool): overwrite ``input`` with the result. Default: False

    Shape:
        input: ``(*)``, any shape; output: ``(*)``, the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.

    Follows Klambauer et al. 2017, as ``torch.nn.functional.alpha_dropout``.
    """
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    return _alpha_masked(input, p, input.shape, inplace)


def feature_alpha_dropout(
    input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False
) -> Tensor:
    """Alpha dropout of whole channels: one draw per (sample, channel) of ``(N, C, *)``.

    As ``alpha_dropout``, dropped units are set to SELU's negative saturation ``-scale * alpha`` and the
    result is then transformed affinely (``a * y + b``) so that zero mean and unit variance are kept.

    Args:
        input (Tensor): the input.
        p (float): probability of dropping a channel, in ``[0, 1]``. Default: 0.5
        training (bool): apply dropout; when False, ``input`` is returned unchanged. Default: False
        inplace (bool): overwrite ``input`` with the result. Default: False

    Shape:
        input: ``(N, C, *)``; output: the same shape.

    Raises:
        ValueError: ``p`` outside ``[0, 1]``.

    Follows Klambauer et al. 2017, as ``torch.nn.functional.feature_alpha_dropout``.
    """
    _check_p(p)
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    return _alpha_masked(input, p, tuple(input.shape[:2]) + (1,) * (input.dim() - 2), inplace)


def _renorm_rows_(weight: Tensor, indices: Tensor, max_norm: float, norm_type: float) -> None:
    """Scale the rows of ``weight`` that ``indices`` use down to norm ``max_norm``, in place."""
    with no_grad():
        used = creation.zeros(weight.shape[0], dtype=dt.bool_, device=weight.device)
        used[indices.reshape(-1)] = True
        norms = weight.norm(norm_type, 1)
        scale = ew.where(ew.logical_and(used, norms > max_norm), max_norm / (norms + 1e-7), 1.0)
        weight.mul_(scale.to(weight.dtype).unsqueeze(1))


class _SparseRows(Function):
    """``weight``'s rows at ``flat`` whose gradient is sparse COO, as torch's sparse embedding backward:
    indices ``(1, n)`` (the rows used, in order, ``padding_idx``'s left out), values ``(n, dim)``."""

    @staticmethod
    def forward(ctx, weight, flat, padding_idx, scale_grad_by_freq):
        ctx.flat, ctx.padding_idx, ctx.scale, ctx.size = flat, padding_idx, scale_grad_by_freq, weight.shape
        return index_select(weight, 0, flat)

    @staticmethod
    def backward(ctx, grad):
        if ctx.scale:
            raise RuntimeError("embedding_backward: scale_grad_by_freq not supported with sparse gradients")
        from ...sparse import SparseCooTensor
        flat = ctx.flat.to(dt.int64)
        if ctx.padding_idx is not None:
            keep = (flat != ctx.padding_idx).nonzero().reshape(-1)
            flat, grad = flat[keep], grad[keep]
        return SparseCooTensor(flat.unsqueeze(0), grad, tuple(ctx.size), flat.numel() <= 1), None, None, None


class _FreqScaled(Function):
    """``rows`` as they are, each row's gradient divided by how often the batch uses it (``share``): the
    forward is torch's plain lookup, where a product with the share would round (and promote)."""

    @staticmethod
    def forward(ctx, rows, share):
        ctx.share = share
        return rows.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.share, None


def _check_indices(indices: Tensor, op: str, position: int = 1) -> None:
    """torch's refusal of indices that are neither int64 nor int32 (no uint8, int16 or bool); ``position``:
    their argument number in ``op``."""
    if indices.dtype not in (dt.int64, dt.int32):
        raise RuntimeError(
            f"Expected tensor for argument #{position} 'indices' to have one of the following scalar types: "
            f"Long, Int; but got {dt.type_name(indices.dtype)} instead (while checking arguments for {op})"
        )


def _check_argument_types(op: str, indices, padding_idx, indices_position: int, padding_position: int) -> None:
    """torch's binding's refusals, in its words: indices that are no Tensor (an int, a list), a padding_idx
    that is no int (a float, a bool: torch's int parsing takes neither)."""
    if not isinstance(indices, Tensor):
        raise TypeError(f"{op}(): argument 'indices' (position {indices_position}) must be Tensor, not "
                        f"{type(indices).__name__}")
    if padding_idx is not None and (isinstance(padding_idx, bool) or not hasattr(padding_idx, "__index__")):
        raise TypeError(f"{op}(): argument 'padding_idx' (position {padding_position}) must be int, not "
                        f"{type(padding_idx).__name__}")


def _check_table(weight: Tensor, op: str) -> None:
    """torch's refusal of an embedding table that is not 2-d, in ``embedding_renorm_``'s words."""
    if weight.dim() != 2:
        raise RuntimeError(f"Expected 2-dimensional tensor, but got {weight.dim()}-dimensional tensor for "
                           f"argument #1 'self' (while checking arguments for {op})")


@composite(torch_name="nn.functional.embedding", samples=samples.embedding, grad_fn="EmbeddingBackward0",
           saves="indices=input")
def embedding(
    input: Tensor,
    weight: Tensor,
    padding_idx: int | None = None,
    max_norm: float | None = None,
    norm_type: float = 2.0,
    scale_grad_by_freq: bool = False,
    sparse: bool = False,
) -> Tensor:
    """Looks up rows of ``weight`` by the integer indices in ``input``.

    Args:
        input (Tensor): int64 or int32 indices in ``[0, num_embeddings)``.
        weight (Tensor): the table, ``(num_embeddings, embedding_dim)``.
        padding_idx (int, optional): this row (negative counts from the end) gets no gradient. Default: None
        max_norm (float, optional): rows used by ``input`` whose norm exceeds it are first rescaled to it, in
            place in ``weight``. Default: None
        norm_type (float): the p of the norm for ``max_norm``. Default: 2.0
        scale_grad_by_freq (bool): divide each row's gradient by how often the batch uses it. Default: False
        sparse (bool): ``weight``'s gradient is a sparse COO tensor (one sparse dim, the rows, and one dense
            dim): the used rows' indices, uncoalesced, and their gradients, as torch's. Default: False

    Shape:
        input: ``(*)``; weight: ``(V, E)``; output: ``(*, E)``.

    Raises:
        RuntimeError: ``input`` is not int64 or int32; ``weight`` is not 2-d.
        IndexError: an index outside ``[0, num_embeddings)``.
        AssertionError: ``padding_idx`` outside ``[-num_embeddings, num_embeddings)``.
        TypeError: ``input`` is no Tensor; ``padding_idx`` is no int.
        RuntimeError (at backward): ``sparse`` with ``scale_grad_by_freq``, as torch's.

    Matches ``torch.nn.functional.embedding``.
    """
    if padding_idx:  # (torch reads weight.size(0) for these only: a 0-d weight's IndexError)
        num = weight.size(0)
        if padding_idx > 0:
            assert padding_idx < num, "Padding_idx must be within num_embeddings"
        else:
            assert padding_idx >= -num, "Padding_idx must be within num_embeddings"
            padding_idx += num
    if max_norm is not None:  # torch renorms (and checks the arguments for it) before the lookup's checks
        if not isinstance(input, Tensor):  # (torch's renorm reads input.contiguous() first)
            raise AttributeError(f"'{type(input).__name__}' object has no attribute 'contiguous'")
        _check_table(weight, "embedding_renorm_")
        _check_indices(input, "embedding_renorm_", 2)
    _check_argument_types("embedding", input, padding_idx, 2, 3)
    if weight.dim() != 2:
        raise RuntimeError("'weight' must be 2-D")
    _check_indices(input, "embedding")
    num = weight.shape[0]
    flat = input.reshape(-1)
    # (the cpu's plain lookup, index_select, refuses a bad index itself, with this text: no reductions and
    # read-backs before it)
    checked_by_lookup = (max_norm is None and not (sparse and weight.requires_grad)
                         and not (weight.dtype in dt.HALVES and weight.requires_grad)
                         and host_rules(flat._storage.device) and host_rules(weight._storage.device))
    if (flat.numel() and not flat.is_meta and not checked_by_lookup
            and (int(flat.min()) < 0 or int(flat.max()) >= num)):
        raise IndexError("index out of range in self")
    if max_norm is not None:
        _renorm_rows_(weight, input, max_norm, norm_type)
    if sparse and weight.requires_grad:
        out = _SparseRows.apply(weight, flat, padding_idx, scale_grad_by_freq)
        return out.reshape(*input.shape, weight.shape[1])
    # a 16-bit table's gradient: torch's kernel adds the rows in turn, each sum rounded
    out = (rows_added_in_turn(weight, flat) if weight.dtype in dt.HALVES and weight.requires_grad
           else index_select(weight, 0, flat))
    if scale_grad_by_freq and weight.requires_grad:  # (an integer table has no gradient to scale)
        counts = creation.zeros(num, dtype=weight.dtype, device=weight.device)
        counts = counts.index_add(
            0, flat, creation.ones(flat.shape, dtype=weight.dtype, device=weight.device)
        )
        out = _FreqScaled.apply(out, (1.0 / index_select(counts, 0, flat)).unsqueeze(1))
    if padding_idx is not None:
        pad = (flat == padding_idx).unsqueeze(1)
        out = ew.where(pad, out.detach(), out)
    if _DUAL[0] and dual.carries(weight) and (padding_idx is not None or scale_grad_by_freq):
        # torch's tangent is linear: the rows of weight's tangent, whatever padding_idx and scale_grad_by_freq
        # do to the gradient (the detached parts above carry none); on ``out`` itself, which the view below
        # reads its tangent from
        with dual.paused():
            dual.set_tangent(out, index_select(dual.tangent_of(weight), 0, flat))
    return out.reshape(*input.shape, weight.shape[1])


@composite(grad=False, torch_name="nn.functional.one_hot", samples=samples.one_hot)
@lays_out(contiguous_result_only)  # torch's scatter into fresh zeros
def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """One-hot encoding: an int64 tensor with 1 at each value's index along a new last dim.

    Args:
        tensor (Tensor): int64 class values, each >= 0.
        num_classes (int): size of the new last dim; -1 infers ``max(tensor) + 1``. Default: -1

    Shape:
        tensor: ``(*)``; output: ``(*, num_classes)``, int64.

    Raises:
        RuntimeError: ``tensor`` is not int64, has a negative value or one ``>= num_classes``, or is empty
            with ``num_classes=-1``.

    Matches ``torch.nn.functional.one_hot``.
    """
    if tensor.dtype is not dt.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes == -1:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
    elif num_classes == -1 or not tensor.is_meta:  # (a meta tensor's values, unknown, are not checked)
        lo, hi = int(tensor.min()), int(tensor.max())
        if lo < 0:
            raise RuntimeError("Class values must be non-negative.")
        if num_classes == -1:
            num_classes = hi + 1
        elif hi >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    # (torch's result, made first; a 0-d tensor or NumPy int given as num_classes read as its int)
    creation.check_storage((*tensor.shape, operator.index(num_classes)), dt.int64)
    classes = creation.arange(num_classes, device=tensor.device)
    return ew.eq(tensor.unsqueeze(-1), classes).to(dt.int64)


@composite(torch_name="nn.functional.normalize", samples=samples.normalize)
def normalize(
    input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None
) -> Tensor:
    """Divides by the p-norm along ``dim``: ``v / max(||v||_p, eps)``.

    Args:
        input (Tensor): the input.
        p (float): the exponent of the norm. Default: 2.0
        dim (int): the dim to normalise along. Default: 1
        eps (float): lower bound of the divisor, against division by zero. Default: 1e-12
        out (Tensor, optional): written with the result and returned. Default: None

    Shape:
        input: ``(*)``; output: ``(*)``, the same shape.

    Matches ``torch.nn.functional.normalize``.
    """
    if _one_kernel(input, p, dim, eps):
        result = moments.normalize(input, p, reduce_dims(dim, input.dim()), check_fits(eps, input.dtype))
    else:
        result = input / ew.clamp_min(input.norm(p, dim, keepdim=True), eps).expand_as(input)
    return result if out is None else out.copy_(result)


def _one_kernel(input, p, dim, eps) -> bool:
    """Whether normalize runs as its one cpu op (``moments.normalize``): a float32 or float64 input with no
    graph, a number ``p`` (a vector norm's) and ``eps``, an int ``dim``; not an inf norm over no elements
    (its error). Any other argument takes the composite, whose ops refuse it in torch's words."""
    return isinstance(input, Tensor) and input.dtype in (dt.float32, dt.float64) and type(dim) is int and \
        type(p) in (int, float) and not (abs(p) == math.inf and 0 in input.shape) and \
        moments.one_kernel(input, numbers=(eps,))


@composite(
    torch_name="nn.functional.cosine_similarity",
    samples=samples.cosine_similarity,
    grad_fn="SumBackward1",
)
def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """Cosine of the angle between ``x1`` and ``x2`` along ``dim``, in ``[-1, 1]``.

    ``sim = sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps))`` over ``dim``.

    Args:
        x1 (Tensor): first input.
        x2 (Tensor): second input, broadcastable with ``x1``.
        dim (int): the dim the vectors lie along. Default: 1
        eps (float): lower bound of each norm, against division by zero. Default: 1e-8

    Shape:
        x1, x2: ``(*1, D, *2)`` after broadcasting; output: ``(*1, *2)``, ``dim`` removed.

    Raises:
        RuntimeError: the common dtype is not floating point, or the shapes do not broadcast.

    Matches ``torch.nn.functional.cosine_similarity``.
    """
    common = dt.result_type(x1, x2)
    if not common.is_floating_point:
        raise RuntimeError(f"expected common dtype to be floating point, yet common dtype is "
                           f"{dt.scalar_name(common)}")
    if not eps >= 0:  # (NaN too) before the shapes, as torch
        raise RuntimeError(f"eps must be non-negative, got: {eps:g}")
    # an integer or bool operand is converted to the common dtype (vector_norm takes floats only); a float
    # one is kept, as torch's
    x1, x2 = (x if x.dtype.is_floating_point else x.to(common) for x in (x1, x2))
    # (only where their shapes differ, then both, as torch's expand_outplace: its nodes keep those views)
    if x1.shape != x2.shape:
        shape = broadcast_shapes(x1.shape, x2.shape)
        x1, x2 = x1.expand(shape), x2.expand(shape)
    n1 = ew.clamp_min(x1.norm(2, dim, keepdim=True), eps)
    n2 = ew.clamp_min(x2.norm(2, dim, keepdim=True), eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


@composite(
    torch_name="nn.functional.pairwise_distance",
    samples=samples.pairwise_distance,
    grad_fn="NormBackward1",
)
def pairwise_distance(
    x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False
) -> Tensor:
    """p-norm distance between ``x1`` and ``x2`` over the last dim: ``||x1 - x2 + eps||_p``.

    Args:
        x1 (Tensor): first input.
        x2 (Tensor): second input, broadcastable with ``x1``.
        p (float): the norm's exponent. Default: 2.0
        eps (float): added to the difference, against a zero norm's gradient. Default: 1e-6
        keepdim (bool): keep the last dim (size 1). Default: False

    Shape:
        x1, x2: ``(N, D)`` or ``(D,)``; output: ``(N,)`` or ``()`` (``(N, 1)`` / ``(1,)`` with ``keepdim``).

    Matches ``torch.nn.functional.pairwise_distance``.
    """
    dim = -1 if max(x1.dim(), x2.dim()) > 0 else 0
    return (x1 - x2 + eps).norm(p, dim, keepdim=keepdim)

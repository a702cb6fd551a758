"""Attention functions of pyfront.nn.functional: scaled dot-product and multi-head attention.

Both follow PyTorch's reference math (``softmax(q k^T * scale + bias) v``) with its masking rules:
boolean masks mark the positions that take part, float masks are added to the scores. A query
row whose every key is masked out yields zeros in ``scaled_dot_product_attention`` (PyTorch's
safe softmax) and NaN in ``multi_head_attention_forward``'s weights path, as in PyTorch.
"""

from __future__ import annotations

import importlib
import math

from ... import _warnings
from ... import dtypes as dt
from ...ops.creation import ones, zeros
from ...dtypes import cpp_name
from ...ops.primitives.elementwise import relaid
from ...ops.primitives.shaping import cat
from ...ops.registry import composite
from ...ops import samples
from ...strides_order import preserved_strides
from ...tensor import Tensor
from ...ops.common import in_float32
from ..attention import _check_sdpa_backend, _flash_enabled
from .linear import dropout
from .vision import pad

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


def _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal, enable_gqa):
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(
            "Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
            f"{query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} instead."
        )
    if not (query.dtype is key.dtype is value.dtype):
        raise RuntimeError(
            "Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{cpp_name(query.dtype)} key.dtype: {cpp_name(key.dtype)} and value.dtype: "
            f"{cpp_name(value.dtype)} instead."
        )
    if not query.dtype.is_floating_point:
        raise RuntimeError(f"expected scalar type Float but found {dt.scalar_name(query.dtype)}")
    if attn_mask is not None:
        if attn_mask.dtype is not dt.bool_ and attn_mask.dtype is not query.dtype:
            raise RuntimeError(
                "Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                f"attn_mask.dtype: {cpp_name(attn_mask.dtype)} and  query.dtype: "
                f"{cpp_name(query.dtype)} instead."
            )
        # torch's CPU flash kernel applies both masks; its math kernel (any other input) refuses the pair
        if is_causal and not _takes_flash(query, key, value, attn_mask, dropout_p, enable_gqa):
            raise RuntimeError(
                "_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True"
            )
    if enable_gqa and query.dim() >= 3:
        heads = query.shape[-3]
        if heads % key.shape[-3] or heads % value.shape[-3]:
            raise RuntimeError("Number of heads in key and value must divide the number of heads in ")


# torch's CPU flash kernel, the one its dispatcher picks for these inputs, writes the output into
# ``empty_like(query)``: a query in (batch, length, heads, dim) order (a transposed projection) gives an
# output in that order, which ``.transpose(1, 2).view(batch, length, -1)`` then reads as a view
_FLASH_DTYPES = (dt.float16, dt.bfloat16, dt.float32, dt.float64)


def _takes_flash(query, key, value, attn_mask, dropout_p, enable_gqa):
    """Whether torch's CPU dispatcher (sdp_utils' ``use_flash_attention_cpp``) picks its flash kernel."""
    if not _flash_enabled() or not (query.dim() == key.dim() == value.dim() == 4) or dropout_p > 0.0:
        return False
    if query.dtype not in _FLASH_DTYPES or not (query.numel() and key.numel() and value.numel()):
        return False
    if attn_mask is not None and attn_mask.dim() not in (2, 4):
        return False
    if any(t.shape[-1] != query.shape[-1] or t._strides[-1] != 1 for t in (query, key, value)):
        return False
    return _flash_heads(query, key, value, enable_gqa)


def _flash_heads(query, key, value, enable_gqa):
    """Whether key and value have the query's batch and heads (or, with ``enable_gqa``, fewer heads each
    shared by a group of query heads): sdp_utils' ``check_batch_size_and_num_heads_dense``."""
    (batch, heads), kv = query.shape[:2], key.shape[:2]
    if key.shape[:2] != value.shape[:2] or kv[0] != batch:
        return False
    return kv[1] == heads or (enable_gqa and heads % kv[1] == 0)


def _laid_as_torch(out, query, key, value, attn_mask, dropout_p, enable_gqa):
    """``out`` in torch's layout: the query's own (empty_like's) where the flash kernel makes it."""
    if not _takes_flash(query, key, value, attn_mask, dropout_p, enable_gqa):
        return out
    strides = preserved_strides(query._shape, query._strides)
    return out if strides is None or strides == out._strides else relaid(out, strides)


def _with_causal(attn_mask, causal):
    """The causal mask, and ``attn_mask`` too where one is given (the flash kernel's pair): a bool mask
    keeps a key where both do, a float one gets -inf above the diagonal."""
    if attn_mask is None:
        return causal
    if attn_mask.dtype is dt.bool_:
        return attn_mask.logical_and(causal)
    return attn_mask.masked_fill(causal.logical_not(), -math.inf)


def _sdpa_node(query, key, value, *args, **kwargs):
    """PyTorch's math attention ends in a batched matmul (an empty one in the add of its zero result)."""
    if not (query.numel() and key.numel() and value.numel()):
        return "AddBackward0"
    return "MmBackward0" if query.dim() == 2 else "UnsafeViewBackward0"


@composite(torch_name="nn.functional.scaled_dot_product_attention",
           samples=samples.scaled_dot_product_attention, grad_fn=_sdpa_node)

@in_float32
def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Tensor | None = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    *,  # (torch's binding takes these two by keyword only)
    scale: float | None = None,
    enable_gqa: bool = False,
) -> Tensor:
    """Scaled dot-product attention: ``softmax(Q K^T * scale + mask) V``.

    A query row whose keys are all masked out gives zeros (and no NaN in the gradient).

    Args:
        query (Tensor): ``(..., L, E)``.
        key (Tensor): ``(..., S, E)``.
        value (Tensor): ``(..., S, Ev)``.
        attn_mask (Tensor, optional): bool (True: the key takes part) or float (added to the scores, in the
            query's dtype), broadcast to ``(..., L, S)``. Default: None
        dropout_p (float): dropout probability on the attention weights (always applied when > 0). Default:
            0.0
        is_causal (bool): each query sees only keys at or before its position (lower triangle); with
            ``attn_mask`` only where torch takes its flash kernel (4-D inputs, no dropout), which applies
            both. Default: False
        scale (float, optional): the score scale; None means ``1 / sqrt(E)``. Default: None
        enable_gqa (bool): grouped-query attention: key/value heads (dim -3) each shared by a group of query
            heads. Default: False

    Shape:
        query: ``(N, ..., H, L, E)``; key: ``(N, ..., H, S, E)``; value: ``(N, ..., H, S, Ev)``; output: ``(N,
            ..., H, L, Ev)``.

    Raises:
        RuntimeError: an input with fewer than 2 dims, dtypes that differ or are not floating point, a float
            mask of another dtype, ``attn_mask`` with ``is_causal`` off torch's flash path, or key/value
            heads that do not divide the query heads (``enable_gqa``).

    Follows Vaswani et al. 2017, as ``torch.nn.functional.scaled_dot_product_attention``.
    """
    _check_sdpa(query, key, value, attn_mask, dropout_p, is_causal, enable_gqa)
    _check_sdpa_backend()
    if not (query.numel() and key.numel() and value.numel()):
        return _empty_attention(query, key, value)
    given = query, key, value, attn_mask
    if scale is None:
        scale = 1 / math.sqrt(query.shape[-1])
    if enable_gqa and query.dim() >= 3:
        key = key.repeat_interleave(query.shape[-3] // key.shape[-3], -3)
        value = value.repeat_interleave(query.shape[-3] // value.shape[-3], -3)
    # torch's math attention scales query and key by sqrt(scale) each before their product: its node keeps
    # those scaled copies, not the query or key themselves (a later write into them fails no backward)
    if scale >= 0:
        root = math.sqrt(scale)
        scores = (query * root).matmul(key.transpose(-2, -1) * root)
    else:  # (no square root: the scores scaled after)
        scores = query.matmul(key.transpose(-2, -1)) * scale
    length, source = query.shape[-2], key.shape[-2]
    if is_causal:
        attn_mask = _with_causal(attn_mask, ones(length, source, dtype=dt.bool_, device=query.device).tril())
    if attn_mask is not None:
        if attn_mask.dtype is dt.bool_:
            scores = scores.masked_fill(attn_mask.logical_not(), -math.inf)
        else:
            scores = scores + attn_mask
    # a row with every key masked out attends to nothing: zeros, and no NaN in the gradient either
    empty_rows = (scores == -math.inf).all(-1, keepdim=True)
    weights = scores.masked_fill(empty_rows, 0).softmax(-1).masked_fill(empty_rows, 0)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p)
    return _laid_as_torch(weights.matmul(value), *given, dropout_p, enable_gqa)


def _empty_attention(query, key, value):
    """torch's attention of an empty query, key or value (before any mask, dropout or key repeat): zeros,
    plus the inputs' sums times 0, so each gets a zero gradient and its node keeps none of them."""
    zero = (query.sum() + key.sum() + value.sum()) * 0
    return zeros(*query.shape[:-1], value.shape[-1], dtype=query.dtype, device=query.device) + zero


# -- multi-head attention ----------------------------------------------------------------------------
def _check_key_padding_mask(key_padding_mask, src_len, bsz):
    """torch's _check_key_padding_mask: the batch, then the source length, each with its own message."""
    for dim, want in enumerate((bsz, src_len)):
        if key_padding_mask.shape[dim] != want:
            raise AssertionError(
                f"Expected key_padded_mask.shape[{dim}] to be {want}, but got {key_padding_mask.shape[dim]}"
            )


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """PyTorch's _mha_shape_check: whether the input is batched, with its assertion messages."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                f"{key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                f"found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                f"found {attn_mask.dim()}-D tensor instead"
            )
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                f"{key.dim()}-D and {value.dim()}-D tensors respectively"
            )
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but "
                f"found {key_padding_mask.dim()}-D tensor instead"
            )
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                    f"found {attn_mask.dim()}-D tensor instead"
                )
            expected = (num_heads, query.shape[0], key.shape[0])
            if attn_mask.dim() == 3 and tuple(attn_mask.shape) != expected:
                raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got {attn_mask.shape}")
        return False
    raise AssertionError(
        f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D query tensor"
    )


def canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """A bool mask as a float one (-inf where True), as PyTorch's ``F._canonical_mask``."""
    if mask is None:
        return None
    if mask.dtype is not dt.bool_ and not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype is not other_type:
        _warnings.warn(
            f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type for both "
            "instead.",
            UserWarning,
        )
    if mask.dtype is dt.bool_:
        return zeros(mask.shape, dtype=target_type, device=mask.device).masked_fill(mask, -math.inf)
    return mask


def _as_called(name: str):
    """``F.<name>`` as a script calls it, autocast's cast included: torch's multi-head attention is Python
    calling F.linear and scaled_dot_product_attention, which autocast runs in its lower precision (a
    module-level import here would bind the function autocast has not wrapped)."""
    return getattr(importlib.import_module(__package__), name)


def _in_projection_packed(q, k, v, w, b):
    """q, k, v projected by the three row blocks of the packed weight ``w`` (and bias ``b``)."""
    linear = _as_called("linear")
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = b.chunk(3) if b is not None else (None, None, None)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


@composite(torch_name="nn.functional.multi_head_attention_forward",
           samples=samples.multi_head_attention_forward)
def multi_head_attention_forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    embed_dim_to_check: int,
    num_heads: int,
    in_proj_weight: Tensor | None,
    in_proj_bias: Tensor | None,
    bias_k: Tensor | None,
    bias_v: Tensor | None,
    add_zero_attn: bool,
    dropout_p: float,
    out_proj_weight: Tensor,
    out_proj_bias: Tensor | None,
    training: bool = True,
    key_padding_mask: Tensor | None = None,
    need_weights: bool = True,
    attn_mask: Tensor | None = None,
    use_separate_proj_weight: bool = False,
    q_proj_weight: Tensor | None = None,
    k_proj_weight: Tensor | None = None,
    v_proj_weight: Tensor | None = None,
    static_k: Tensor | None = None,
    static_v: Tensor | None = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
):
    """The forward of ``MultiheadAttention``, with its weights passed in.

    Per head h: ``head_h = softmax(q W_q,h (k W_k,h)^T / sqrt(E / num_heads) + mask) v W_v,h``; the heads are
    concatenated and projected by ``out_proj_weight``. Returns ``(output, weights)``.

    Args:
        query (Tensor): ``(L, N, E)`` or ``(L, E)``.
        key (Tensor): ``(S, N, E_k)`` or ``(S, E_k)``.
        value (Tensor): ``(S, N, E_v)`` or ``(S, E_v)``.
        embed_dim_to_check (int): E, checked against the query.
        num_heads (int): number of heads; must divide E.
        in_proj_weight (Tensor or None): ``(3E, E)``, the packed q, k, v projections.
        in_proj_bias (Tensor or None): ``(3E,)``.
        bias_k, bias_v (Tensor or None): ``(1, 1, E)`` extra key and value appended to the sequence.
        add_zero_attn (bool): append an all-zero key and value.
        dropout_p (float): dropout on the attention weights (``training`` only).
        out_proj_weight (Tensor): ``(E, E)``.
        out_proj_bias (Tensor or None): ``(E,)``.
        training (bool): apply dropout. Default: True
        key_padding_mask (Tensor, optional): ``(N, S)``; bool True or float -inf ignores that key. Default:
            None
        need_weights (bool): also return the attention weights. Default: True
        attn_mask (Tensor, optional): ``(L, S)`` or ``(N * num_heads, L, S)``, bool or added float. Default:
            None
        use_separate_proj_weight (bool): use ``q_proj_weight``, ``k_proj_weight``, ``v_proj_weight`` instead
            of the packed weight (keys and values of other sizes). Default: False
        q_proj_weight, k_proj_weight, v_proj_weight (Tensor, optional): ``(E, E)``, ``(E, E_k)``, ``(E,
            E_v)``. Default: None
        static_k, static_v (Tensor, optional): ``(N * num_heads, S, E / num_heads)`` projected keys/values to
            use as they are. Default: None
        average_attn_weights (bool): average the returned weights over the heads. Default: True
        is_causal (bool): a hint that ``attn_mask`` is the causal mask (which it needs). Default: False

    Shape:
        output: ``(L, N, E)`` or ``(L, E)``; weights: ``(N, L, S)`` averaged, ``(N, num_heads, L, S)``
            otherwise (no N when unbatched), or None without ``need_weights``.

    Raises:
        AssertionError: inputs of mismatched ranks or shapes, E not ``embed_dim_to_check`` or not divisible by
            ``num_heads``, a mask of the wrong rank, shape or dtype.
        RuntimeError: ``is_causal`` without ``attn_mask``, or an ``attn_mask`` of the wrong shape.

    Follows Vaswani et al. 2017, as ``torch.nn.functional.multi_head_attention_forward``.
    """
    linear, sdpa = _as_called("linear"), _as_called("scaled_dot_product_attention")
    batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = canonical_mask(
        key_padding_mask,
        "key_padding_mask",
        attn_mask.dtype if attn_mask is not None else None,
        "attn_mask",
        query.dtype,
    )
    if is_causal and attn_mask is None:
        raise RuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
            "method `generate_square_subsequent_mask` to create this mask."
        )
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None  # the causal hint replaces the mask: scaled_dot_product_attention builds it
    else:
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(
            f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}"
        )
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(
                f"key's sequence and batch dims {tuple(key.shape[:2])} do not match value's "
                f"{tuple(value.shape[:2])}"
            )
        b_q, b_k, b_v = in_proj_bias.chunk(3) if in_proj_bias is not None else (None, None, None)
        q, k, v = (
            linear(query, q_proj_weight, b_q),
            linear(key, k_proj_weight, b_k),
            linear(value, v_proj_weight, b_v),
        )
    else:
        if key.shape != value.shape:
            raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)

    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be {(tgt_len, src_len)}."
                )
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(
                    f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                    f"{(bsz * num_heads, tgt_len, src_len)}."
                )
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")

    if bias_k is not None and bias_v is not None:
        k = cat([k, bias_k.repeat(1, bsz, 1)])
        v = cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = pad(attn_mask, (0, 1)) if attn_mask is not None else None
        key_padding_mask = pad(key_padding_mask, (0, 1)) if key_padding_mask is not None else None

    # heads become batch entries: (N * heads, L, head_dim)
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = k.reshape(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_k is None else static_k
    v = v.reshape(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1) if static_v is None else static_v
    if add_zero_attn:
        k = cat([k, zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype, device=k.device)], 1)
        v = cat([v, zeros((bsz * num_heads, 1, head_dim), dtype=v.dtype, device=v.device)], 1)
        attn_mask = pad(attn_mask, (0, 1)) if attn_mask is not None else None
        key_padding_mask = pad(key_padding_mask, (0, 1)) if key_padding_mask is not None else None
    src_len = k.shape[1]

    if key_padding_mask is not None:
        _check_key_padding_mask(key_padding_mask, src_len, bsz)
        key_padding_mask = (
            key_padding_mask.reshape(bsz, 1, 1, src_len)
            .expand(-1, num_heads, -1, -1)
            .reshape(bsz * num_heads, 1, src_len)
        )
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0

    if need_weights:
        q_scaled = q * math.sqrt(1.0 / float(head_dim))
        if attn_mask is None:
            scores = q_scaled.matmul(k.transpose(-2, -1))
        else:  # one baddbmm, as torch's: autocast casts the mask with the product (bfloat16 weights)
            scores = attn_mask.baddbmm(q_scaled, k.transpose(-2, -1))
        weights = scores.softmax(-1)
        if dropout_p > 0.0:
            weights = dropout(weights, p=dropout_p)
        out = weights.matmul(v).transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = linear(out, out_proj_weight, out_proj_bias)
        out = out.reshape(tgt_len, bsz, out.shape[1])  # (its size, not -1: an empty query has 0 rows)
        weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(1)
        if not batched:
            out, weights = out.squeeze(1), weights.squeeze(0)
        return out, weights

    if attn_mask is not None:
        if attn_mask.shape[0] == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.reshape(bsz, num_heads, -1, src_len)
    q = q.reshape(bsz, num_heads, tgt_len, head_dim)
    k = k.reshape(bsz, num_heads, src_len, head_dim)
    v = v.reshape(bsz, num_heads, src_len, head_dim)
    out = sdpa(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias)
    out = out.reshape(tgt_len, bsz, out.shape[1])  # (its size, not -1: an empty query has 0 rows)
    if not batched:
        out = out.squeeze(1)
    return out, None

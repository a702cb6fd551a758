"""MultiheadAttention, with PyTorch's parameters, initialisation and batch_first handling."""

from __future__ import annotations

from ...ops.creation import empty
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..functional.attention import canonical_mask
from ..parameter import Parameter
from .linear import Linear
from .module import Module

__all__ = ["MultiheadAttention"]


class NonDynamicallyQuantizableLinear(Linear):
    """The output projection of MultiheadAttention (PyTorch names its class so in ``print(model)``)."""


class MultiheadAttention(Module):
    """Multi-head attention: ``num_heads`` attention heads, concatenated and projected.

    The projections start Xavier-uniform (Glorot & Bengio 2010), the biases zero, ``bias_k``/``bias_v``
    Xavier-normal, as torch's.

    Per head h: ``head_h = softmax(q W_q,h (k W_k,h)^T / sqrt(E / num_heads) + mask) v W_v,h``; the heads are
    concatenated and projected by ``out_proj_weight``. Returns ``(output, weights)``.

    Args:
        embed_dim (int): E, the size of the queries and of the output.
        num_heads (int): the number of parallel heads, each of size ``E / num_heads``; must divide E.
        dropout (float): dropout on the attention weights (training only). Default: 0.0
        bias (bool): biases on the input and output projections. Default: True
        add_bias_kv (bool): a learnt extra key and value appended to the sequence. Default: False
        add_zero_attn (bool): an all-zero extra key and value appended to the sequence. Default: False
        kdim, vdim (int, optional): sizes of keys and values; None means E. Default: None
        batch_first (bool): inputs and outputs are ``(N, L, E)`` rather than ``(L, N, E)``. Default: False
        device, dtype: of the parameters. Default: None

    ``forward(query, key, value, key_padding_mask=None, need_weights=True, attn_mask=None,
    average_attn_weights=True, is_causal=False)`` returns ``(output, weights)``, as
    ``F.multi_head_attention_forward``.

    Shape:
        query: ``(L, N, E)`` (``(N, L, E)`` with ``batch_first``) or ``(L, E)``; key: ``(S, N, kdim)``; value:
            ``(S, N, vdim)``; output: the query's shape; weights: ``(N, L, S)`` averaged, or ``(N, num_heads,
            L, S)``.

    Raises:
        ValueError: ``embed_dim`` or ``num_heads`` not positive.
        AssertionError: ``num_heads`` does not divide ``embed_dim``.
        AssertionError: inputs of mismatched ranks or shapes, E not ``embed_dim_to_check`` or not divisible by
            ``num_heads``, a mask of the wrong rank, shape or dtype.
        RuntimeError: ``is_causal`` without ``attn_mask``, or an ``attn_mask`` of the wrong shape.

    Follows Vaswani et al. 2017, as ``torch.nn.MultiheadAttention``; its forward calls
    ``F.multi_head_attention_forward`` (whose errors it raises).
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device=None,
        dtype=None,
    ) -> None:
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(
                f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                f"num_heads={num_heads} instead"
            )
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.embed_dim = embed_dim
        self.kdim = kdim if kdim is not None else embed_dim
        self.vdim = vdim if vdim is not None else embed_dim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.num_heads = num_heads
        self.dropout = dropout
        self.batch_first = batch_first
        self.head_dim = embed_dim // num_heads
        if self.head_dim * num_heads != embed_dim:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if not self._qkv_same_embed_dim:
            self.q_proj_weight = Parameter(empty((embed_dim, embed_dim), **kw))
            self.k_proj_weight = Parameter(empty((embed_dim, self.kdim), **kw))
            self.v_proj_weight = Parameter(empty((embed_dim, self.vdim), **kw))
            self.register_parameter("in_proj_weight", None)
        else:
            self.in_proj_weight = Parameter(empty((3 * embed_dim, embed_dim), **kw))
            self.register_parameter("q_proj_weight", None)
            self.register_parameter("k_proj_weight", None)
            self.register_parameter("v_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(empty(3 * embed_dim, **kw))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, **kw)
        if add_bias_kv:
            self.bias_k = Parameter(empty((1, 1, embed_dim), **kw))
            self.bias_v = Parameter(empty((1, 1, embed_dim), **kw))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight)
        else:
            init.xavier_uniform_(self.q_proj_weight)
            init.xavier_uniform_(self.k_proj_weight)
            init.xavier_uniform_(self.v_proj_weight)
        if self.in_proj_bias is not None:
            init.constant_(self.in_proj_bias, 0.0)
            init.constant_(self.out_proj.bias, 0.0)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k)
        if self.bias_v is not None:
            init.xavier_normal_(self.bias_v)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Tensor | None = None,
        need_weights: bool = True,
        attn_mask: Tensor | None = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ):
        """(output, weights): weights averaged over heads (or per head); None without ``need_weights``."""
        batched = query.dim() == 3
        key_padding_mask = canonical_mask(
            key_padding_mask,
            "key_padding_mask",
            attn_mask.dtype if attn_mask is not None else None,
            "attn_mask",
            query.dtype,
        )
        attn_mask = canonical_mask(attn_mask, "attn_mask", None, "", query.dtype, check_other=False)
        if self.batch_first and batched:
            query, key, value = (x.transpose(1, 0) for x in (query, key, value))
        separate = not self._qkv_same_embed_dim
        out, weights = F.multi_head_attention_forward(
            query,
            key,
            value,
            self.embed_dim,
            self.num_heads,
            self.in_proj_weight,
            self.in_proj_bias,
            self.bias_k,
            self.bias_v,
            self.add_zero_attn,
            self.dropout,
            self.out_proj.weight,
            self.out_proj.bias,
            training=self.training,
            key_padding_mask=key_padding_mask,
            need_weights=need_weights,
            attn_mask=attn_mask,
            use_separate_proj_weight=separate,
            q_proj_weight=self.q_proj_weight,
            k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights,
            is_causal=is_causal,
        )
        if self.batch_first and batched:
            return out.transpose(1, 0), weights
        return out, weights

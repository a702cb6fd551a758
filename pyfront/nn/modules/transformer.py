"""Transformer layers (Vaswani et al. 2017), composed from MultiheadAttention, Linear, LayerNorm and
Dropout with PyTorch's parameter names, so state_dicts move both ways with ``torch.nn``."""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from typing import Any

from ... import _warnings
from ...autograd.grad_mode import is_grad_enabled
from ...ops.creation import full
from ...tensor import Tensor
from .. import functional as F
from ..functional.attention import canonical_mask
from ..init import xavier_uniform_
from .activation import GELU, ReLU
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm

__all__ = [
    "Transformer",
    "TransformerEncoder",
    "TransformerDecoder",
    "TransformerEncoderLayer",
    "TransformerDecoderLayer",
]


def _generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
    return full((sz, sz), float("-inf"), dtype=dtype, device=device).triu(1)


def _get_activation_fn(activation: str) -> Callable[[Tensor], Tensor]:
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


def _same_function(fn, ref) -> bool:
    # F.relu/F.gelu are wrapped (argument checks by pyfront.__init__, after this module took its default;
    # shell dtype refusals): the functions underneath every wrapper are compared
    return inspect.unwrap(fn) is inspect.unwrap(ref)


def _get_clones(module: Module, n: int) -> ModuleList:
    return ModuleList([copy.deepcopy(module) for _ in range(n)])


def _get_seq_len(src: Tensor, batch_first: bool) -> int:
    return src.shape[0] if src.dim() == 2 else src.shape[1 if batch_first else 0]


def _detect_is_causal_mask(
    mask: Tensor | None, is_causal: bool | None = None, size: int | None = None
) -> bool:
    """``is_causal=None`` means: causal iff ``mask`` equals the square subsequent mask (PyTorch's rule)."""
    make_causal = is_causal is True
    if is_causal is None and mask is not None:
        sz = size if size is not None else mask.shape[-2]
        causal = _generate_square_subsequent_mask(sz, device=mask.device, dtype=mask.dtype)
        make_causal = tuple(mask.shape) == tuple(causal.shape) and bool((mask == causal).all())
    return make_causal


def _canonical_masks(mask, padding_mask, mask_name, padding_name, dtype):
    """Both masks as float (-inf where a bool mask is True), warning on mixed kinds as PyTorch does."""
    padding_mask = canonical_mask(
        padding_mask, padding_name, None if mask is None else mask.dtype, mask_name, dtype
    )
    return canonical_mask(mask, mask_name, None, "", dtype, check_other=False), padding_mask


class TransformerEncoderLayer(Module):
    r"""One encoder block: self-attention then a feed-forward network, each with a residual connection.

    ``x = norm1(x + SA(x)); x = norm2(x + FF(x))``, or with ``norm_first``
    ``x = x + SA(norm1(x)); x = x + FF(norm2(x))``,
    where ``FF(x) = linear2(dropout(activation(linear1(x))))``.
    Follows "Attention Is All You Need" (Vaswani et al., 2017) and ``torch.nn.TransformerEncoderLayer``.

    Args:
        d_model: number of expected features in the input.
        nhead: number of attention heads; must divide ``d_model``.
        dim_feedforward: width of the feed-forward network. Default: 2048
        dropout: dropout probability. Default: 0.1
        activation: ``"relu"``, ``"gelu"`` or a unary callable. Default: ``F.relu``
        layer_norm_eps: eps of the layer norms. Default: 1e-5
        batch_first: inputs and output are ``(N, S, E)`` instead of ``(S, N, E)``. Default: False
        norm_first: layer norm before (pre-LN) instead of after the attention and feed-forward. Default: False
        bias: biases in the linear layers and layer norms. Default: True
        device, dtype: where and in which dtype the parameters are created. Default: the defaults

    Shape:
        - src: ``(S, E)``, ``(S, N, E)`` or ``(N, S, E)`` with ``batch_first``
        - src_mask: ``(S, S)`` or ``(N * nhead, S, S)``; src_key_padding_mask: ``(S)`` or ``(N, S)``
        - output: the shape of ``src``

    Raises:
        AssertionError: ``d_model`` is not divisible by ``nhead``.
        RuntimeError: ``activation`` is a string other than ``"relu"`` or ``"gelu"``.
    """

    __constants__ = ["norm_first"]

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        kw = {"device": device, "dtype": dtype}
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, **kw
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        if isinstance(activation, str):
            activation = _get_activation_fn(activation)
        if _same_function(activation, F.relu) or isinstance(activation, ReLU):
            self.activation_relu_or_gelu = 1
        elif _same_function(activation, F.gelu) or isinstance(activation, GELU):
            self.activation_relu_or_gelu = 2
        else:
            self.activation_relu_or_gelu = 0
        self.activation = activation

    def forward(
        self,
        src: Tensor,
        src_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool = False,
    ) -> Tensor:
        """Pass ``src`` through the layer; ``is_causal`` hints that ``src_mask`` is the causal mask."""
        src_mask, src_key_padding_mask = _canonical_masks(
            src_mask, src_key_padding_mask, "src_mask", "src_key_padding_mask", src.dtype
        )
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            x = x + self._ff_block(self.norm2(x))
        else:
            x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
            x = self.norm2(x + self._ff_block(x))
        return x

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        x = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout1(x)

    def _ff_block(self, x):
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerDecoderLayer(Module):
    r"""One decoder block: self-attention, attention over the encoder's memory, then a feed-forward network.

    ``x = norm1(x + SA(x)); x = norm2(x + MHA(x, memory)); x = norm3(x + FF(x))``, or with ``norm_first``
    each sublayer sees ``normK(x)`` and adds to ``x`` unnormalized. Follows "Attention Is All You Need"
    (Vaswani et al., 2017) and ``torch.nn.TransformerDecoderLayer``.

    Args:
        d_model: number of expected features in the input.
        nhead: number of attention heads; must divide ``d_model``.
        dim_feedforward: width of the feed-forward network. Default: 2048
        dropout: dropout probability. Default: 0.1
        activation: ``"relu"``, ``"gelu"`` or a unary callable. Default: ``F.relu``
        layer_norm_eps: eps of the layer norms. Default: 1e-5
        batch_first: inputs and output are ``(N, T, E)`` instead of ``(T, N, E)``. Default: False
        norm_first: layer norm before (pre-LN) instead of after each sublayer. Default: False
        bias: biases in the linear layers and layer norms. Default: True
        device, dtype: where and in which dtype the parameters are created. Default: the defaults

    Shape:
        - tgt: ``(T, E)``, ``(T, N, E)`` or ``(N, T, E)`` with ``batch_first``; memory likewise with ``S``
        - tgt_mask: ``(T, T)``; memory_mask: ``(T, S)``; key padding masks: ``(N, T)`` and ``(N, S)``
        - output: the shape of ``tgt``

    Raises:
        AssertionError: ``d_model`` is not divisible by ``nhead``.
        RuntimeError: ``activation`` is a string other than ``"relu"`` or ``"gelu"``.
    """

    __constants__ = ["norm_first"]

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        kw = {"device": device, "dtype": dtype}
        super().__init__()
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, batch_first=batch_first, bias=bias, **kw
        )
        self.multihead_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, batch_first=batch_first, bias=bias, **kw
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **kw)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **kw)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw)
        self.dropout1 = Dropout(dropout)
        self.dropout2 = Dropout(dropout)
        self.dropout3 = Dropout(dropout)
        self.activation = _get_activation_fn(activation) if isinstance(activation, str) else activation

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Pass ``tgt`` (attending to itself, then to ``memory``) through the layer."""
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(
                self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal
            )
            x = x + self._ff_block(self.norm3(x))
        else:
            x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
            x = self.norm2(
                x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            )
            x = self.norm3(x + self._ff_block(x))
        return x

    def _sa_block(self, x, attn_mask, key_padding_mask, is_causal=False):
        x = self.self_attn(
            x,
            x,
            x,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            is_causal=is_causal,
            need_weights=False,
        )[0]
        return self.dropout1(x)

    def _mha_block(self, x, mem, attn_mask, key_padding_mask, is_causal=False):
        x = self.multihead_attn(
            x,
            mem,
            mem,
            attn_mask=attn_mask,
            key_padding_mask=key_padding_mask,
            is_causal=is_causal,
            need_weights=False,
        )[0]
        return self.dropout2(x)

    def _ff_block(self, x):
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))


def _why_no_nested_tensor(layer) -> str:
    """Why PyTorch's encoder will not pack padded inputs into a nested tensor ('' when it will)."""
    name = "encoder_layer"
    if not isinstance(layer, TransformerEncoderLayer):
        return f"{name} was not TransformerEncoderLayer"
    attn = layer.self_attn
    if layer.norm_first:
        return f"{name}.norm_first was True"
    if not attn.batch_first:
        return f"{name}.self_attn.batch_first was not True(use batch_first for better inference performance)"
    if not attn._qkv_same_embed_dim:
        return f"{name}.self_attn._qkv_same_embed_dim was not True"
    if attn.in_proj_bias is None:
        return f"{name}.self_attn was passed bias=False"
    if not layer.activation_relu_or_gelu:
        return f"{name}.activation_relu_or_gelu was not True"
    if layer.norm1.eps != layer.norm2.eps:
        return f"{name}.norm1.eps was not equal to {name}.norm2.eps"
    if attn.num_heads % 2 == 1:
        return f"{name}.self_attn.num_heads is odd"
    return ""


class TransformerEncoder(Module):
    r"""A stack of ``num_layers`` deep copies of ``encoder_layer``, optionally followed by ``norm``.

    ``output = norm(layers[-1](...layers[0](src)))``. Follows "Attention Is All You Need"
    (Vaswani et al., 2017) and ``torch.nn.TransformerEncoder``, including its inference fast path's
    visible effect: in eval mode without autograd, a left-aligned ``src_key_padding_mask`` leaves zeros
    at the padded positions (before ``norm``), as PyTorch's nested-tensor path does.

    Args:
        encoder_layer: the layer to copy (a :class:`TransformerEncoderLayer`).
        num_layers: number of layers.
        norm: an optional module applied to the output (usually a LayerNorm).
        enable_nested_tensor: allow the padded-input fast path; warns, as PyTorch does, when the layer rules
            it out. Default: True
        mask_check: check that the padding mask is left-aligned before taking the fast path. Default: True

    Shape:
        - src: as for :class:`TransformerEncoderLayer`; mask ``(S, S)``; src_key_padding_mask ``(N, S)``
        - output: the shape of ``src``
    """

    __constants__ = ["norm"]

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = _get_clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor = enable_nested_tensor
        self.use_nested_tensor = enable_nested_tensor
        self.mask_check = mask_check
        why_not = _why_no_nested_tensor(encoder_layer)
        if enable_nested_tensor and why_not:
            _warnings.warn(
                f"enable_nested_tensor is True, but self.use_nested_tensor is False because {why_not}"
            )
            self.use_nested_tensor = False

    def _packs_padding(self, src: Tensor, mask, padding_mask) -> bool:
        """Whether PyTorch would run this call on a nested tensor (which drops the padded positions)."""
        first = self.layers[0]
        if (
            not self.use_nested_tensor
            or first.training
            or src.dim() != 3
            or padding_mask is None
            or mask is not None
        ):
            return False
        attn, n1, n2, l1, l2 = first.self_attn, first.norm1, first.norm2, first.linear1, first.linear2
        params = (
            attn.in_proj_weight,
            attn.in_proj_bias,
            attn.out_proj.weight,
            attn.out_proj.bias,
            n1.weight,
            n1.bias,
            n2.weight,
            n2.bias,
            l1.weight,
            l1.bias,
            l2.weight,
            l2.bias,
        )
        if is_grad_enabled() and any(x is not None and x.requires_grad for x in (src, *params)):
            return False
        keep = padding_mask == 0
        # left-aligned: no kept position follows a padded one
        return not self.mask_check or not bool((keep[:, 1:] & ~keep[:, :-1]).any())

    def forward(
        self,
        src: Tensor,
        mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        is_causal: bool | None = None,
    ) -> Tensor:
        """Pass ``src`` through every layer; ``is_causal=None`` detects a causal ``mask`` itself."""
        mask, src_key_padding_mask = _canonical_masks(
            mask, src_key_padding_mask, "mask", "src_key_padding_mask", src.dtype
        )
        packed = self._packs_padding(src, mask, src_key_padding_mask)
        batch_first = self.layers[0].self_attn.batch_first
        is_causal = _detect_is_causal_mask(mask, is_causal, _get_seq_len(src, batch_first))
        output = src
        for mod in self.layers:
            output = mod(
                output, src_mask=mask, is_causal=is_causal, src_key_padding_mask=src_key_padding_mask
            )
        if packed:
            output = output.masked_fill((src_key_padding_mask != 0).unsqueeze(-1), 0.0)
        if self.norm is not None:
            output = self.norm(output)
        return output


class TransformerDecoder(Module):
    r"""A stack of ``num_layers`` deep copies of ``decoder_layer``, optionally followed by ``norm``.

    ``output = norm(layers[-1](...layers[0](tgt, memory), memory))``. Follows "Attention Is All You Need"
    (Vaswani et al., 2017) and ``torch.nn.TransformerDecoder``.

    Args:
        decoder_layer: the layer to copy (a :class:`TransformerDecoderLayer`).
        num_layers: number of layers.
        norm: an optional module applied to the output (usually a LayerNorm).

    Shape:
        - tgt, memory and masks: as for :class:`TransformerDecoderLayer`
        - output: the shape of ``tgt``
    """

    __constants__ = ["norm"]

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.layers = _get_clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        tgt: Tensor,
        memory: Tensor,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Pass ``tgt`` through every layer; ``tgt_is_causal=None`` detects a causal ``tgt_mask`` itself."""
        seq_len = _get_seq_len(tgt, self.layers[0].self_attn.batch_first)
        tgt_is_causal = _detect_is_causal_mask(tgt_mask, tgt_is_causal, seq_len)
        output = tgt
        for mod in self.layers:
            output = mod(
                output,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=tgt_is_causal,
                memory_is_causal=memory_is_causal,
            )
        if self.norm is not None:
            output = self.norm(output)
        return output


class Transformer(Module):
    r"""An encoder-decoder transformer: ``decoder(tgt, encoder(src))``, each stack ending in a LayerNorm.

    Follows "Attention Is All You Need" (Vaswani et al., 2017) and ``torch.nn.Transformer``; every
    matrix parameter is re-initialised with Xavier-uniform, as PyTorch does.

    Args:
        d_model: number of expected features in the inputs. Default: 512
        nhead: number of attention heads; must divide ``d_model``. Default: 8
        num_encoder_layers: encoder layers. Default: 6
        num_decoder_layers: decoder layers. Default: 6
        dim_feedforward: width of the feed-forward networks. Default: 2048
        dropout: dropout probability. Default: 0.1
        activation: ``"relu"``, ``"gelu"`` or a unary callable. Default: ``F.relu``
        custom_encoder, custom_decoder: modules used instead of the built stacks. Default: None
        layer_norm_eps: eps of the layer norms. Default: 1e-5
        batch_first: inputs and output are ``(N, S, E)`` instead of ``(S, N, E)``. Default: False
        norm_first: pre-LN layers. Default: False
        bias: biases in the linear layers and layer norms. Default: True
        device, dtype: where and in which dtype the parameters are created. Default: the defaults

    Shape:
        - src: ``(S, E)``, ``(S, N, E)`` or ``(N, S, E)``; tgt: ``(T, E)``, ``(T, N, E)`` or ``(N, T, E)``
        - src_mask ``(S, S)``, tgt_mask ``(T, T)``, memory_mask ``(T, S)``
        - src/memory key padding masks ``(N, S)``, tgt_key_padding_mask ``(N, T)``
        - output: ``(T, E)``, ``(T, N, E)`` or ``(N, T, E)``

    Raises:
        RuntimeError: the batch sizes of ``src`` and ``tgt`` differ, or their features are not ``d_model``.
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Tensor], Tensor] = F.relu,
        custom_encoder: Any | None = None,
        custom_decoder: Any | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device=None,
        dtype=None,
    ) -> None:
        kw = {"device": device, "dtype": dtype}
        super().__init__()
        layer_args = (
            d_model,
            nhead,
            dim_feedforward,
            dropout,
            activation,
            layer_norm_eps,
            batch_first,
            norm_first,
            bias,
        )
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            self.encoder = TransformerEncoder(
                TransformerEncoderLayer(*layer_args, **kw),
                num_encoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw),
            )
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            self.decoder = TransformerDecoder(
                TransformerDecoderLayer(*layer_args, **kw),
                num_decoder_layers,
                LayerNorm(d_model, eps=layer_norm_eps, bias=bias, **kw),
            )
        self._reset_parameters()
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(
        self,
        src: Tensor,
        tgt: Tensor,
        src_mask: Tensor | None = None,
        tgt_mask: Tensor | None = None,
        memory_mask: Tensor | None = None,
        src_key_padding_mask: Tensor | None = None,
        tgt_key_padding_mask: Tensor | None = None,
        memory_key_padding_mask: Tensor | None = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Tensor:
        """Encode ``src``, then decode ``tgt`` attending to the encoded memory."""
        is_batched = src.dim() == 3
        if is_batched and src.shape[0 if self.batch_first else 1] != tgt.shape[0 if self.batch_first else 1]:
            raise RuntimeError("the batch number of src and tgt must be equal")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError("the feature number of src and tgt must be equal to d_model")
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device=None, dtype=None) -> Tensor:
        """A float ``(sz, sz)`` causal mask: ``-inf`` above the diagonal, ``0.0`` on and below it."""
        return _generate_square_subsequent_mask(sz, device=device, dtype=dtype)

    def _reset_parameters(self) -> None:
        for p in self.parameters():
            if p.dim() > 1:
                xavier_uniform_(p)

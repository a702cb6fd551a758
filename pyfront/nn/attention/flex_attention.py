"""``torch.nn.attention.flex_attention``: attention with a user's ``score_mod`` and ``mask_mod``, run eagerly.

pyfront computes what torch's eager path computes (its math implementation, the one ``flex_attention`` runs
without ``torch.compile``): scores ``q @ k^T`` in float32 (float64 for float64 inputs) times ``scale``, the
``score_mod`` applied where the ``mask_mod`` allows and ``-inf`` elsewhere, a softmax whose fully masked rows
are zero, times ``v``; the log-sum-exp on request. torch evaluates the mods under four nested ``vmap``s;
pyfront calls them once with broadcast index tensors ``b (B,1,1,1)``, ``h (1,H,1,1)``, ``q_idx (1,1,M,1)`` and
``kv_idx (1,1,1,N)``, which gives the same numbers for the elementwise mods ``flex_attention`` is written for
(indexing a captured tensor by them works too). A ``BlockMask`` holds torch's block structure (partial and
full blocks per row of blocks, their transposes), prints as torch's and slices as torch's; its
deterministic-backward metadata (``dq_write_order``) and ``_adjust`` are not implemented.
"""
from __future__ import annotations

import inspect
import itertools
import math
import operator
import warnings
from typing import NamedTuple

from ... import dtypes as dt
from ...ops import creation
from ...ops.primitives.elementwise import where
from ...tensor import Tensor

__all__ = ["BlockMask", "flex_attention", "AuxOutput", "AuxRequest", "FlexKernelOptions", "create_block_mask",
           "create_mask", "or_masks", "and_masks", "noop_mask"]

_DEFAULT_SPARSE_BLOCK_SIZE = 128
_LARGE_SPARSE_BLOCK_SIZE = 1 << 30
_FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = False
_WARNINGS_SHOWN: set = set()
FlexKernelOptions = dict  # torch's TypedDict of kernel knobs: an eager run reads none of them


class AuxRequest(NamedTuple):
    """Which auxiliary outputs ``flex_attention(..., return_aux=...)`` returns."""

    lse: bool = False
    max_scores: bool = False


class AuxOutput(NamedTuple):
    """The auxiliary outputs of ``flex_attention``: each a tensor where requested, else None."""

    lse: Tensor | None = None
    max_scores: Tensor | None = None


def _warn_once(warning_id: str, message: str, category=UserWarning) -> None:
    if warning_id not in _WARNINGS_SHOWN:
        warnings.warn(message, category, stacklevel=3)
        _WARNINGS_SHOWN.add(warning_id)


def _identity(score, batch, head, token_q, token_kv):
    return score


def noop_mask(batch, head, token_q, token_kv):
    """Returns a noop mask_mod"""
    return batch.new_ones(size=(), dtype=dt.bool_, device=batch.device)


def _sliced_mask_mod_error(batch, head, token_q, token_kv):
    raise RuntimeError(
        "Cannot use mask_mod from a sliced BlockMask. When you slice a BlockMask using [], the mask_mod "
        "attribute is reset. You must set it from the original BlockMask's mask_mod.\n\nIncorrect usage:"
        "\n  base_mask = create_block_mask(my_mask_fn, ...)\n  sliced_mask = base_mask[:, :, block_idx]"
        "\n  sliced_mask.mask_mod = apply_offset(sliced_mask.mask_mod, offset)  # WRONG!\n\nCorrect usage:"
        "\n  base_mask = create_block_mask(my_mask_fn, ...)\n  sliced_mask = base_mask[:, :, block_idx]"
        "\n  sliced_mask.mask_mod = apply_offset(base_mask.mask_mod, offset)  # Use base_mask!")


def or_masks(*mask_mods):
    """Returns a mask_mod that's the union of provided mask_mods"""
    return _combined(mask_mods, False, operator.or_, "or_mask")


def and_masks(*mask_mods):
    """Returns a mask_mod that's the intersection of provided mask_mods"""
    return _combined(mask_mods, True, operator.and_, "and_mask")


def _combined(mask_mods, start: bool, op, name: str):
    """The mask_mod folding ``mask_mods``' masks with ``op`` from ``start``, named as torch names it."""
    if not all(callable(arg) for arg in mask_mods):
        raise RuntimeError(f"All inputs should be callable mask_mods: {mask_mods}")

    def combined(b, h, q_idx, kv_idx):
        result = b.new_full((), start, dtype=dt.bool_)
        for mask in mask_mods:
            result = op(result, mask(b, h, q_idx, kv_idx))
        return result
    combined.__name__ = combined.__qualname__ = name
    return combined


def _positional_count(fn) -> int:
    """torch's _get_mod_type: 5 positional arguments make a score_mod, 4 a mask_mod."""
    if hasattr(fn, "__code__"):
        n = fn.__code__.co_argcount - len(getattr(fn, "__defaults__", None) or ())
    else:
        n = sum(1 for p in inspect.signature(fn).parameters.values() if p.default is inspect.Parameter.empty)
    if n not in (4, 5):
        raise AssertionError(f"Expected 4 or 5 positional args, got {n}")
    return n


def _indices(B: int, H: int, M: int, N: int, device):
    """The (b, h, q_idx, kv_idx) index tensors, each along its own dimension of (B, H, M, N)."""
    return tuple(creation.arange(0, size, device=device).view(*(size if d == i else 1 for d in range(4)))
                 for i, size in enumerate((B, H, M, N)))


def create_mask(mod_fn, B, H, Q_LEN: int, KV_LEN: int, device=None) -> Tensor:
    """The dense (B, H, Q_LEN, KV_LEN) bool mask of a mask_mod (or of a score_mod: where it is not -inf)."""
    from ... import accelerator
    device = device if device is not None else (accelerator.current_accelerator() or "cpu")
    B, H = B or 1, H or 1
    b, h, m, n = _indices(B, H, Q_LEN, KV_LEN, device)
    if _positional_count(mod_fn) == 5:
        out = mod_fn(creation.zeros(B, H, Q_LEN, KV_LEN, device=device), b, h, m, n)
        return ~out.isneginf().expand(B, H, Q_LEN, KV_LEN)
    return mod_fn(b, h, m, n).expand(B, H, Q_LEN, KV_LEN).to(dt.bool_)


def _convert_mask_to_block_mask(mask: Tensor, Q_BLOCK_SIZE: int, KV_BLOCK_SIZE: int,
                                separate_full_blocks: bool):
    """(partial blocks, full blocks or None) of a (B, H, Q, KV) bool mask, as int8 (B, H, Q/q, KV/kv)."""
    from ..functional import pad
    while mask.dim() < 4:
        mask = mask.unsqueeze(0)
    mask = pad(mask, (0, -mask.shape[-1] % KV_BLOCK_SIZE, 0, -mask.shape[-2] % Q_BLOCK_SIZE))
    B, H, Q, KV = mask.shape
    sums = mask.view(B, H, Q // Q_BLOCK_SIZE, Q_BLOCK_SIZE, KV // KV_BLOCK_SIZE, KV_BLOCK_SIZE).permute(
        0, 1, 2, 4, 3, 5).sum(dim=[-2, -1])
    if separate_full_blocks:
        full = Q_BLOCK_SIZE * KV_BLOCK_SIZE
        return ((sums > 0) & (sums < full)).to(dt.int8), (sums == full).to(dt.int8)
    return (sums > 0).to(dt.int8), None


def _dense_to_ordered(dense_mask: Tensor):
    """(blocks per row, the rows' block columns, present ones first in column order), as torch's."""
    dense_mask = dense_mask.to(dtype=dt.int32)
    col_indices = dense_mask.argsort(dim=-1, descending=True, stable=True)
    return dense_mask.sum(dim=-1).to(dt.int32), col_indices.to(dt.int32)


def _ordered_to_dense(num_blocks_in_row: Tensor, col_indices: Tensor, num_cols: int) -> Tensor:
    """The dense int32 block mask of (blocks per row, their columns): a column past the row's count is
    written to a spare column, cut off after."""
    entries = creation.arange(col_indices.shape[-1], device=col_indices.device)
    present = entries < num_blocks_in_row.unsqueeze(-1)
    cols = col_indices.long().where(present, num_cols)
    dense = creation.zeros(*col_indices.shape[:-1], num_cols + 1, dtype=dt.int32, device=col_indices.device)
    dense.scatter_(-1, cols, 1)
    return dense[..., :num_cols].contiguous()


def _transpose_ordered(num_blocks_in_row: Tensor, col_indices: Tensor):
    dense = _ordered_to_dense(num_blocks_in_row, col_indices, col_indices.shape[-1])
    return _dense_to_ordered(dense.transpose(-2, -1))


class BlockMask:
    """A block-sparse attention mask, as torch's: for each (batch, head, row of ``BLOCK_SIZE[0]`` queries),
    how many ``BLOCK_SIZE[1]``-key blocks are partly (``kv_num_blocks``) or fully (``full_kv_num_blocks``)
    unmasked and which (``kv_indices``, ``full_kv_indices``); the same by columns (``q_*``); the
    ``mask_mod`` that made it and the ``seq_lengths`` it was made for."""

    def __init__(self, seq_lengths, kv_num_blocks, kv_indices, full_kv_num_blocks, full_kv_indices,
                 q_num_blocks, q_indices, full_q_num_blocks, full_q_indices,
                 BLOCK_SIZE=(_DEFAULT_SPARSE_BLOCK_SIZE, _DEFAULT_SPARSE_BLOCK_SIZE), mask_mod=noop_mask):
        if kv_indices.dim() < 2:
            raise RuntimeError("BlockMask must have at least 2 dimensions")
        if (full_kv_num_blocks is None) != (full_kv_indices is None):
            raise AssertionError("full_kv_num_blocks and full_kv_indices must be both provided or omitted")
        if (full_q_num_blocks is None) != (full_q_indices is None):
            raise AssertionError("full_q_num_blocks and full_q_indices must be both provided or omitted")
        self.seq_lengths = seq_lengths
        self.kv_num_blocks, self.kv_indices = kv_num_blocks, kv_indices
        self.full_kv_num_blocks, self.full_kv_indices = full_kv_num_blocks, full_kv_indices
        self.q_num_blocks, self.q_indices = q_num_blocks, q_indices
        self.full_q_num_blocks, self.full_q_indices = full_q_num_blocks, full_q_indices
        self.BLOCK_SIZE = BLOCK_SIZE
        self.mask_mod = mask_mod

    @classmethod
    def from_kv_blocks(cls, kv_num_blocks, kv_indices, full_kv_num_blocks=None, full_kv_indices=None,
                       BLOCK_SIZE=_DEFAULT_SPARSE_BLOCK_SIZE, mask_mod=None, seq_lengths=None,
                       compute_q_blocks=True):
        """A BlockMask from its key-value blocks; the query blocks are their transposes."""
        if kv_indices.dim() < 2:
            raise RuntimeError("BlockMask must have at least 2 dimensions")
        if (full_kv_num_blocks is None) != (full_kv_indices is None):
            raise AssertionError("full_kv_num_blocks and full_kv_indices must be both provided or omitted")
        q_num_blocks = q_indices = full_q_num_blocks = full_q_indices = None
        if compute_q_blocks:
            q_num_blocks, q_indices = _transpose_ordered(kv_num_blocks, kv_indices)
            if full_kv_num_blocks is not None:
                full_q_num_blocks, full_q_indices = _transpose_ordered(full_kv_num_blocks, full_kv_indices)
        if isinstance(BLOCK_SIZE, int):
            BLOCK_SIZE = (BLOCK_SIZE, BLOCK_SIZE)
        if seq_lengths is None:
            seq_lengths = (kv_indices.shape[-2] * BLOCK_SIZE[0], kv_indices.shape[-1] * BLOCK_SIZE[1])
        return cls(seq_lengths, kv_num_blocks, kv_indices, full_kv_num_blocks, full_kv_indices, q_num_blocks,
                   q_indices, full_q_num_blocks, full_q_indices, BLOCK_SIZE,
                   mask_mod if mask_mod is not None else noop_mask)

    @property
    def shape(self) -> tuple:
        *batch_dims, _, _ = self.kv_indices.shape
        return tuple(batch_dims) + tuple(self.seq_lengths)

    def numel(self) -> int:
        """Returns the number of elements (not accounting for sparsity) in the mask."""
        return math.prod(self.shape)

    def sparsity(self) -> float:
        """Computes the percentage of blocks that are sparse (i.e. not computed)"""
        computed = self.kv_num_blocks.sum()
        if self.full_kv_num_blocks is not None:
            computed += self.full_kv_num_blocks.sum()
        return 100 * (1 - computed.item() * self.BLOCK_SIZE[0] * self.BLOCK_SIZE[1] / self.numel())

    def to_dense(self) -> Tensor:
        """Returns a dense block that is equivalent to the block mask."""
        partial = _ordered_to_dense(self.kv_num_blocks, self.kv_indices, self.kv_indices.shape[-1])
        if self.full_kv_num_blocks is None:
            return partial
        return partial | _ordered_to_dense(self.full_kv_num_blocks, self.full_kv_indices,
                                           self.full_kv_indices.shape[-1])

    def to_string(self, grid_size=(20, 20), limit: int = 4) -> str:
        """Returns a string representation of the block mask. Quite nifty."""
        dense = self.to_dense()
        *batch_dims, num_rows, num_cols = dense.shape
        if isinstance(grid_size, int):
            max_rows = max_cols = grid_size
        elif grid_size == -1:
            max_rows, max_cols = num_rows, num_cols
        else:
            max_rows, max_cols = grid_size
        row_step = max(1, -(-num_rows // max_rows))
        col_step = max(1, -(-num_cols // max_cols))

        def block_vis(*batch_idx):
            vis = f"{batch_idx}\n"
            cur = dense
            for idx in batch_idx:
                cur = cur[idx]
            for r in range(0, num_rows, row_step):
                for c in range(0, num_cols, col_step):
                    share = cur[r:r + row_step, c:c + col_step].float().mean().item()
                    vis += ("█" if share == 1 else " " if share == 0 else "░") * 2
                vis += "\n"
            return vis

        total = []
        for i, batch_idx in enumerate(itertools.product(*[range(n) for n in batch_dims])):
            if i == limit:
                total += ["...", "To print out more, set BlockMask.to_string(limit=N)",
                          "You can also index (BlockMask[batch, head]) to choose a specific batch or head"]
                break
            total.append(block_vis(*batch_idx))
        return "\n".join(total)

    def __str__(self) -> str:
        head = f"BlockMask(shape={self.shape}, sparsity={self.sparsity():.2f}%, \n"
        return head + self.to_string().strip() + "\n)"

    def __repr__(self) -> str:
        def shape_or_none(x):
            return x.shape if x is not None else None
        name = getattr(self.mask_mod, "__name__", self.mask_mod)
        return (f"BlockMask(\n    kv_num_blocks={self.kv_num_blocks.shape},\n"
                f"    kv_indices={self.kv_indices.shape},\n"
                f"    full_kv_num_blocks={shape_or_none(self.full_kv_num_blocks)},\n"
                f"    full_kv_indices={shape_or_none(self.full_kv_indices)},\n"
                f"    q_num_blocks={shape_or_none(self.q_num_blocks)},\n"
                f"    q_indices={shape_or_none(self.q_indices)},\n"
                f"    full_q_num_blocks={shape_or_none(self.full_q_num_blocks)},\n"
                f"    full_q_indices={shape_or_none(self.full_q_indices)},\n"
                f"    BLOCK_SIZE={self.BLOCK_SIZE},\n"
                f"    shape={self.shape},\n    sparsity={self.sparsity():.2f}%,\n    mask_mod={name}\n)")

    def __getitem__(self, index):
        """The BlockMask of the given (batch, head, query-block) positions; its mask_mod refuses use."""
        index = (index,) if not isinstance(index, tuple) else index
        padded = (*index, slice(None), slice(None), slice(None))[:3]
        index = tuple((slice(i + n, i + n + 1) if -n <= i < 0 else slice(i, i + 1))
                      if isinstance(i, int) else i
                      for i, n in zip(padded, self.kv_num_blocks.shape[:3], strict=True))
        full = self.full_kv_num_blocks is not None
        return BlockMask.from_kv_blocks(
            self.kv_num_blocks[index], self.kv_indices[index],
            self.full_kv_num_blocks[index] if full else None, self.full_kv_indices[index] if full else None,
            BLOCK_SIZE=self.BLOCK_SIZE,
            mask_mod=_sliced_mask_mod_error, seq_lengths=self.seq_lengths,
            compute_q_blocks=self.q_indices is not None)

    def to(self, device) -> BlockMask:
        """Moves the BlockMask's tensors to ``device``."""
        moved = {k: v.to(device) if isinstance(v, Tensor) else v for k, v in vars(self).items()}
        out = object.__new__(BlockMask)
        out.__dict__.update(moved)
        return out


def create_block_mask(mask_mod, B, H, Q_LEN: int, KV_LEN: int, device=None,
                      BLOCK_SIZE=_DEFAULT_SPARSE_BLOCK_SIZE, _compile=False,
                      separate_full_blocks: bool = True,
                      compute_dq_write_order: bool = False, dq_kv_order: bool = True) -> BlockMask:
    """A BlockMask from a mask_mod ``(b, h, q_idx, kv_idx) -> bool``, as ``torch``'s ``create_block_mask``."""
    from ... import accelerator
    device = device if device is not None else (accelerator.current_accelerator() or "cpu")
    if _positional_count(mask_mod) != 4:
        raise AssertionError(f"create-block_mask requires a mask_mod function! Got {mask_mod}")
    if compute_dq_write_order:
        raise NotImplementedError("pyfront's BlockMask has no deterministic-backward (dq_write_order) "
                                  "metadata")
    if _compile:
        warnings.warn(
            "_compile flag on create_block_mask was originally added to work around a torch.compile "
            "limitation. That limitation has since been addressed. So, to compile create_block_mask, we "
            "suggest doing torch.compile(create_block_mask). This still works for now, but will be removed "
            "in the future.",
            DeprecationWarning, stacklevel=2)
    if not isinstance(dq_kv_order, bool):
        raise ValueError("dq_kv_order must be a bool when using create_block_mask")
    q_block, kv_block = (BLOCK_SIZE, BLOCK_SIZE) if isinstance(BLOCK_SIZE, int) else BLOCK_SIZE
    mask = create_mask(mask_mod, B, H, Q_LEN, KV_LEN, device)
    partial, full = _convert_mask_to_block_mask(mask, q_block, kv_block, separate_full_blocks)
    kv_num, kv_idx = _dense_to_ordered(partial)
    full_num, full_idx = _dense_to_ordered(full) if full is not None else (None, None)
    return BlockMask.from_kv_blocks(kv_num, kv_idx, full_num, full_idx, BLOCK_SIZE=(q_block, kv_block),
                                    mask_mod=mask_mod, seq_lengths=(Q_LEN, KV_LEN))


def _create_empty_block_mask(query: Tensor) -> BlockMask:
    """flex_attention's default: one block spanning everything, masking nothing."""
    return BlockMask.from_kv_blocks(creation.ones([1, 1, 1], dtype=dt.int32, device=query.device),
                                    creation.zeros([1, 1, 1, 1], dtype=dt.int32, device=query.device),
                                    BLOCK_SIZE=_LARGE_SPARSE_BLOCK_SIZE, seq_lengths=(1, 1))


def _check_inputs(query, key, value, block_mask, enable_gqa) -> None:
    """torch's checks of flex_attention's operands, in its order."""
    if query.device != key.device or query.device != value.device:
        raise ValueError(f"Expected query, key, and value to have the same device type, but got "
                         f"query.device: {query.device}, key.device: {key.device}, and value.device: "
                         f"{value.device} instead.")
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise ValueError(f"Expected query, key, and value to all be  at least 2 dimensional, but got "
                         f"query.dim: {query.dim()}, key.dim: {key.dim()} and value.dim: {value.dim()} "
                         "instead.")
    if query.size(-1) != key.size(-1):
        raise ValueError(f"Expect query and key/value to have the same embedding dimension but got "
                         f"E={query.size(-1)} and E={key.size(-1)}.")
    # torch has no backward for it on a cpu; on webgpu (where torch's would be cuda) pyfront's autograd runs
    if query.device.type == "cpu" and (query.requires_grad or key.requires_grad or value.requires_grad):
        raise NotImplementedError("FlexAttention does not support backward on CPU. Please set the input "
                                  "requires_grad to False or use another device.")
    if query.dim() != 4 or key.dim() != 4 or value.dim() != 4:
        raise NotImplementedError("NYI: query, key, and value must be 4D tensors")
    if (not enable_gqa) and query.size(-3) != key.size(-3):
        raise ValueError(f"Expect query and key/value to have the same number of heads but got "
                         f"Hq={query.size(-3)} and Hkv={key.size(-3)}. Try setting enable_gqa=True for GQA.")
    if enable_gqa and query.size(1) % key.size(1) != 0:
        raise ValueError(f"Expect number of query heads to be a multiple of kv heads for GQA but got "
                         f"Hq={query.size(1)} and Hkv={key.size(1)}.")
    if query.size(0) != key.size(0) and block_mask is None:
        raise ValueError(f"Expect query and key/value to have the same batch size, or non-none block_mask, "
                         f"but got block_mask=None, Bq={query.size(0)}, and Bkv={key.size(0)}.")


def _check_lengths(query, key, block_mask) -> None:
    if block_mask.BLOCK_SIZE == (_LARGE_SPARSE_BLOCK_SIZE, _LARGE_SPARSE_BLOCK_SIZE):
        return
    q_len, kv_len = block_mask.shape[-2], block_mask.shape[-1]
    if query.size(-2) > q_len or key.size(-2) > kv_len:
        raise ValueError(
            f"block_mask was created for block_mask.shape={block_mask.shape} but got "
            f"q_len={query.size(-2)} and kv_len={key.size(-2)}. As the block mask was created for a smaller "
            "length than you're using it for, you likely need to create a new block mask.")
    if query.size(-2) != q_len or key.size(-2) != kv_len:
        raise ValueError(
            f"block_mask was created for block_mask.shape={block_mask.shape} but got "
            f"q_len={query.size(-2)} and kv_len={key.size(-2)}. As the block mask was created for a larger "
            "length than you're using it for, you can either 1. create a new block mask with the correct "
            "length, or 2. 'adjust' the existing block mask to the correct length by calling "
            "block_mask._adjust(q_len, kv_len). This "
            "essentially 'crops' the block mask to the upper left corner, which does not work for all "
            "mask_mods!")


def _math_attention(query, key, value, score_mod, mask_mod, scale):
    """torch's eager flex attention: (output, log-sum-exp, row maxima), the two in base-2 logs."""
    groups = query.size(1) // key.size(1)
    key, value = key.repeat_interleave(groups, dim=1), value.repeat_interleave(groups, dim=1)
    if not (query.size(0) == key.size(0) or (query.size(0) > 1 and key.size(0) == 1)):
        raise RuntimeError(f"Bq and Bkv must broadcast. Got Bq={query.size(0)} and Bkv={key.size(0)}")
    key, value = key.expand(query.size(0), *key.shape[1:]), value.expand(query.size(0), *value.shape[1:])
    working = dt.float64 if query.dtype is dt.float64 else dt.float32
    scores = query.to(working) @ key.to(working).transpose(-2, -1)
    b, h, m, n = _indices(*scores.shape, scores.device)
    scores = (scores * scale).to(working)
    minus_inf = creation.tensor(-math.inf, dtype=working, device=scores.device)
    post = where(mask_mod(b, h, m, n), score_mod(scores, b, h, m, n), minus_inf).expand(scores.shape)
    lse = post.logsumexp(dim=-1)
    lse = lse.masked_fill((post == -math.inf).all(dim=-1), -math.inf)
    max_scores = post.max(dim=-1)[0]
    probs = post.softmax(dim=-1).masked_fill((post == -math.inf).all(dim=-1, keepdim=True), 0.0)
    return probs.to(query.dtype) @ value.to(query.dtype), lse / math.log(2), max_scores / math.log(2)


def flex_attention(query: Tensor, key: Tensor, value: Tensor, score_mod=None,
                   block_mask: BlockMask | None = None, scale: float | None = None, enable_gqa: bool = False,
                   return_lse: bool = False, kernel_options=None, *, return_aux: AuxRequest | None = None):
    """Attention whose scores ``score_mod(score, b, h, q_idx, kv_idx)`` rewrites and ``block_mask``'s
    ``mask_mod`` masks, as ``torch.nn.attention.flex_attention.flex_attention`` (its eager computation).

    Args:
        query (Tensor): ``(B, Hq, L, E)``.
        key (Tensor): ``(B, Hkv, S, E)``.
        value (Tensor): ``(B, Hkv, S, Ev)``.
        score_mod (callable, optional): rewrites each score. Default: none.
        block_mask (BlockMask, optional): from ``create_block_mask``. Default: nothing masked.
        scale (float, optional): the scores' factor. Default: ``1 / sqrt(E)``.
        enable_gqa (bool): query heads share key/value heads in groups. Default: False
        return_lse (bool): also return the log-sum-exp of each row (deprecated for ``return_aux``).
        kernel_options (dict, optional): a compiled kernel's knobs; the eager computation reads none.
        return_aux (AuxRequest, optional): which of the log-sum-exp and row maxima to return too.
    """
    _check_inputs(query, key, value, block_mask, enable_gqa)
    score_mod = _identity if score_mod is None else score_mod
    block_mask = _create_empty_block_mask(query) if block_mask is None else block_mask
    if block_mask.mask_mod is _sliced_mask_mod_error:
        raise RuntimeError("Cannot use mask_mod from a sliced BlockMask")
    _check_lengths(query, key, block_mask)
    scale = 1.0 / math.sqrt(query.size(-1)) if scale is None else scale
    if return_lse and return_aux is not None:
        raise ValueError("Cannot specify both return_lse and return_aux. return_lse is deprecated, please "
                         "use return_aux=AuxRequest(lse=True) instead.")
    if return_lse:
        _warn_once("deprecated_return_lse", "return_lse is deprecated and will be removed in v2.10. Please "
                   "use return_aux=AuxRequest(lse=True) instead.", category=FutureWarning)
    for knob in ("OUTPUT_LOGSUMEXP", "OUTPUT_MAX"):  # (set by flex_attention itself)
        if knob in (kernel_options or {}):
            raise AssertionError(f"{knob} must not be in kernel_options")
    if query.device.type == "cpu" and return_aux is not None and return_aux.max_scores:
        raise NotImplementedError("Returning max scores is not supported on CPU/MPS.")
    if not _FLEX_ATTENTION_DISABLE_COMPILE_DEBUG:
        _warn_once("flex_attention_performance", _UNCOMPILED)
    out, lse, max_scores = _math_attention(query, key, value, score_mod, block_mask.mask_mod, scale)
    want_lse = return_lse or (return_aux is not None and return_aux.lse)
    want_max = return_aux is not None and return_aux.max_scores
    # torch's stats come back in base-2 logs and are scaled back by ln 2, rounded so
    lse = lse * math.log(2.0) if want_lse and lse.numel() > 0 else None
    max_scores = max_scores * math.log(2.0) if want_max and max_scores.numel() > 0 else None
    if return_aux is not None:
        return out, AuxOutput(lse=lse, max_scores=max_scores)
    return (out, lse) if return_lse else out


_UNCOMPILED = (
    "flex_attention called without torch.compile() - this will use an unfused implementation that "
    "materializes the full scores matrix instead of generating a fused kernel.\n\nSOLUTION: Use "
    "torch.compile(flex_attention)(...)\n\nIf you want to debug your score_mod/mask_mod, you can set:\n"
    "torch.nn.attention.flex_attention._FLEX_ATTENTION_DISABLE_COMPILE_DEBUG = True\n\nThis will allow you "
    "to use print statements or breakpoints. Note: This doesn't work with the backwards pass and may produce "
    "incorrect results.")

"""embedding_bag: sums, means or maxima of bags of embedding rows, without the rows in between."""

from __future__ import annotations

from ... import dtypes as dt
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...autograd.saved_names import as_torch_saves
from ...ops import creation
from ...ops.common import Formula
from ...ops.composite.sets import searchsorted
from ...ops.composite.shaping import cat
from ...ops.ordered_adds import add_in_order
from ...ops.primitives import elementwise as ew
from ...ops.primitives.indexing import nonzero
from ...ops.registry import composite
from ...ops.samples import T, s
from ...tensor import Tensor
from .linear import _check_argument_types, _check_indices, _renorm_rows_, embedding

__all__ = ["embedding_bag"]


def _idx(shape, high, dtype="int64"):
    return T(shape, dtype, low=0, high=high)


def _bag_samples():
    return [s(_idx((3, 4), 6), T((6, 5))), s(_idx((3, 4), 6), T((6, 5)), mode="sum"),
            s(_idx((3, 4), 6), T((6, 5)), mode="max"), s(_idx((2, 3), 6), T((6, 5)), padding_idx=1),
            s(_idx((2, 3), 6), T((6, 5)), mode="sum", per_sample_weights=T((2, 3))),
            s(_idx((2, 3), 6), T((6, 5)), mode="mean", per_sample_weights=T((2, 3))),
            s(_idx((2, 3), 6), T((6, 5)), mode="max", padding_idx=0), s(_idx((2, 3), 6), T((6,))),
            s(_idx((2, 3, 1), 6), T((6, 5))), s(_idx((2, 3), 6), T((6, 5)), mode="median"),
            s(_idx((2, 3), 6), T((6, 5)), T((2,), "int64", low=0, high=1)),
            s(_idx((6,), 6), T((6, 5))), s(_idx((6,), 6), T((6, 5)), T((2,), "int64", low=0, high=1)),
            s(_idx((0, 3), 6), T((6, 5)), mode="sum"),
            s(_idx((2, 3), 6), T((4, 5), layout="transposed"), mode="sum")]


_MODES = {"sum": 0, "mean": 1, "max": 2}


def _bag_saves(input, weight, offsets=None, max_norm=None, norm_type=2, scale_grad_by_freq=False, mode="mean",
               sparse=False, per_sample_weights=None, include_last_offset=False, padding_idx=None):
    """What torch's EmbeddingBagBackward0 keeps: the indices and bag starts its kernel takes (a 2-D input
    flattened, a view, and its starts made; as given otherwise, before their common dtype), the per-sample
    weights (flattened) and, where their gradient is computed, the weight."""
    if input.dim() == 2:
        offsets = creation.arange(0, input.numel(), input.shape[1], dtype=input.dtype, device=input.device)
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    keeps_weight = per_sample_weights is not None and per_sample_weights.requires_grad
    return [("indices", input), ("offsets", offsets), ("per_sample_weights", per_sample_weights),
            ("weight", weight if keeps_weight else None), ("mode", _MODES.get(mode)),
            ("padding_idx", as_torch_saves(-1 if padding_idx is None else padding_idx, "int")),
            ("scale_grad_by_freq", scale_grad_by_freq), ("sparse", sparse)]


@composite(torch_name="nn.functional.embedding_bag", samples=_bag_samples, grad_fn="EmbeddingBagBackward0",
           saves=_bag_saves)
def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None,
                  max_norm: float | None = None, norm_type: float = 2, scale_grad_by_freq: bool = False,
                  mode: str = "mean",
                  sparse: bool = False, per_sample_weights: Tensor | None = None,
                  include_last_offset: bool = False, padding_idx: int | None = None) -> Tensor:
    r"""The sum, mean or maximum of the ``weight`` rows that each bag of indices picks.

    For a bag :math:`B` of indices, ``mode="sum"`` gives :math:`\sum_{i \in B} w_i \, W_{i}` (with
    ``per_sample_weights`` :math:`w`, else 1), ``"mean"`` that sum over :math:`|B|`, and ``"max"`` the
    elementwise maximum; an empty bag gives zeros. Entries equal to ``padding_idx`` are left out
    (and do not count for the mean).

    Args:
        input: indices, (B, N) for B bags of N, or 1-D with ``offsets``.
        weight: the (num_embeddings, embedding_dim) table.
        offsets: for a 1-D ``input``, where each bag starts.
        max_norm: rows used are first renormalised (in place) to at most this ``norm_type``-norm.
        norm_type: the p of ``max_norm``. Default: 2
        scale_grad_by_freq: scale each row's gradient by the inverse of its frequency in ``input``.
        mode: "sum", "mean" or "max". Default: "mean"
        sparse: ``weight``'s gradient is sparse COO (the rows used), as ``embedding``'s.
        per_sample_weights: a weight per index, like ``input`` (``mode="sum"`` only).
        include_last_offset: ``offsets`` has one more entry, the end of the last bag.
        padding_idx: an index that contributes nothing.

    Shape:
        - input: (B, N) or (L,); offsets: (B,) or (B + 1,) with ``include_last_offset``
        - output: (B, embedding_dim)

    Raises ValueError and NotImplementedError with PyTorch's messages for bad argument
    combinations, as ``torch.nn.functional.embedding_bag``.
    """
    if per_sample_weights is not None and input.shape != per_sample_weights.shape:
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, "
                         f"then it must have the same shape as the input ({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a "
                             "mini-batch of fixed length sequences. However, found offsets of type "
                             f"{_type_str(offsets)}")
        offsets = creation.arange(0, input.numel(), input.shape[1], dtype=input.dtype, device=input.device)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise ValueError("max mode does not support sparse weights")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if max_norm is not None:
        _renorm_rows_(weight, input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is "
                                  f"only supported for mode='sum' (got mode='{mode}'). Please open a feature "
                                  "request on GitHub.")
    _check_padding_idx(input, padding_idx, weight.shape[0])
    # torch's kernel takes indices and offsets in their common dtype (uint8 indices with int64 offsets
    # are int64s), then refuses any but int64 and int32
    common = dt.promote_types(input.dtype, offsets.dtype)
    input, offsets = input.to(common), offsets.to(common)
    _check_indices(input, "embedding_bag")
    if not weight.dtype.is_floating_point or weight.dtype in dt.FLOAT8:
        raise RuntimeError("Expected tensor for argument #1 'weight' to have one of the following scalar "
                           f"types: Half, BFloat16, Float, Double; but got {dt.type_name(weight.dtype)} "
                           "instead (while checking arguments for embedding_bag)")
    if per_sample_weights is not None and per_sample_weights.dtype is not weight.dtype:
        raise RuntimeError("Expected tensor for argument #1 'weight' to have the same type as tensor for "
                           f"argument #1 'per_sample_weights'; but type {dt.type_name(weight.dtype)} does "
                           f"not equal {dt.type_name(per_sample_weights.dtype)} (while checking arguments "
                           "for embedding_bag)")
    n_bags = offsets.shape[0] - 1 if include_last_offset else offsets.shape[0]
    fast = _fast_path(mode, weight, per_sample_weights, padding_idx)
    _check_offsets(offsets, input.shape[0], include_last_offset, fast)
    _check_index_range(input, weight.shape[0], not fast)
    # each position's bag: how many bag starts are at or before it, less one
    positions = creation.arange(input.shape[0], device=input.device)
    bag = searchsorted(offsets.to(dt.int64), positions, right=True) - 1
    if padding_idx is not None:
        padding_idx = padding_idx + weight.shape[0] if padding_idx < 0 else padding_idx
    # the backward as torch's kernel: 16-bit gradients add in its order, and scale_grad_by_freq scales as it
    if ((weight.dtype in dt.HALVES or scale_grad_by_freq and mode != "max") and weight.requires_grad
            and is_grad_enabled() and not sparse and input.numel() and n_bags):
        with no_grad():
            values = _bags(input, bag, weight, per_sample_weights, mode, n_bags, padding_idx,
                           include_last_offset, False, False)
        backward = (_max_added_in_order(input, bag, weight, n_bags, padding_idx) if mode == "max" else
                    _added_in_order(input, bag, mode, n_bags, padding_idx, scale_grad_by_freq))
        return Formula.apply(lambda w, p: values, backward, weight, per_sample_weights)
    return _bags(input, bag, weight, per_sample_weights, mode, n_bags, padding_idx, include_last_offset,
                 scale_grad_by_freq, sparse)


def _check_padding_idx(input, padding_idx, num):
    """torch.embedding_bag's checks of padding_idx, before the kernel's of the indices: an int (its binding's
    TypeError), within ``[-num, num)``."""
    _check_argument_types("embedding_bag", input, padding_idx, 2, 9)
    if padding_idx is not None and not -num <= padding_idx < num:
        raise RuntimeError(f"padding_idx must be within the number of embeddings, {-num} through {num - 1}, "
                           f"but got {padding_idx}")


def _check_offsets(offsets, length, include_last_offset, fast):
    """torch's checks of the bag starts, before any index's: the first is 0 (its message prints it as the 0-d
    tensor C++ streams: "1\n[ torch.LongTensor{} ]"), the last is within the input; then, without
    include_last_offset, a negative start is refused where torch's offset2bag scatters at it (a start below
    zero), and the fast path's kernel refuses a start below the one before it (torch's other paths give
    bags from the unordered starts; pyfront's differ there)."""
    if not offsets.shape[0]:
        return
    starts = [int(v) for v in offsets.tolist()]
    first, last = starts[0], starts[-1]
    if first != 0:
        raise RuntimeError("offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
                           f"start from position 0. However, got {first}\n"
                           f"[ torch.{offsets.dtype._legacy_name}{{}} ]")
    if last > length:
        raise RuntimeError(f"offsets[-1] can not be greater than input's length {length} but got offsets[-1] "
                           f"of {last}")
    if include_last_offset:
        return
    if min(starts) < 0:
        raise IndexError("index out of range in self")
    if fast and any(b < a for a, b in zip(starts, starts[1:])):
        raise RuntimeError("Expected i < index_size to be true, but got false.  (Could this error message be "
                           "improved?  If so, please report an enhancement request to PyTorch.)")


def _fast_path(mode, weight, per_sample_weights, padding_idx):
    """Whether torch's CPU kernel takes its index_select fast path (is_fast_path_index_select[_scale]): sum or
    mean of a float32, float16 or bfloat16 table whose rows are contiguous, no padding_idx, and for float32
    contiguous per_sample_weights."""
    if mode == "max" or padding_idx is not None or weight.dim() != 2 or weight.stride(1) != 1:
        return False
    if weight.dtype is dt.float32:
        return per_sample_weights is None or per_sample_weights.reshape(-1).stride(0) == 1
    return weight.dtype in dt.HALVES


def _check_index_range(input, n, generic):
    """Every index in [0, n), as the CPU kernel checks: the first bad one named by its position where torch's
    fast path checks (_fast_path), by its value alone in the ``generic`` kernel. One read-back of the extremes
    when all are in range."""
    if not input.numel():
        return
    if int(input.amin().item()) >= 0 and int(input.amax().item()) < n:
        return
    position = int(((input < 0) | (input >= n)).nonzero()[0, 0].item())
    value = int(input[position].item())
    if generic:
        raise RuntimeError(f"embedding_bag: Expected idx >= 0 && idx < num_embeddings but found idx to be {value}")
    raise RuntimeError(f"Index {position} of input takes value {value} which is not in the valid range [0, {n})")


def _bags(input, bag, weight, per_sample_weights, mode, n_bags, padding_idx, include_last_offset,
          scale_grad_by_freq, sparse):
    """The bags of ``input`` (1-D, each entry's ``bag``) as a chain of ops (their gradients index_adds)."""
    if padding_idx is not None:  # only the other entries take part (a read-back of their count)
        keep = nonzero(input != padding_idx).reshape(-1)
        input, bag = input.index_select(0, keep), bag.index_select(0, keep)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.index_select(0, keep)
    if include_last_offset:  # entries at or past the last offset belong to no bag
        inside = nonzero(bag < n_bags).reshape(-1)
        input, bag = input.index_select(0, inside), bag.index_select(0, inside)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.index_select(0, inside)
    rows = embedding(input, weight, scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)
    out = creation.zeros((n_bags, weight.shape[1]), dtype=weight.dtype, device=weight.device)
    if mode == "max":
        return _bag_max(rows, bag, out)
    # torch's bfloat16 bags without a padding index (fbgemm's) round their float32 sums with ties away from 0
    # (where no gradient is to flow: the rounding is bit arithmetic; embedding_bag's 16-bit gradient path
    # computes its values without one)
    wanted = [t for t in (weight, per_sample_weights) if t is not None and t.requires_grad]
    fbgemm = weight.dtype is dt.bfloat16 and padding_idx is None and not (wanted and is_grad_enabled())
    if per_sample_weights is not None and weight.dtype in dt.HALVES:  # torch's kernel: float32, rounded once
        rows = rows.float() * per_sample_weights.float().unsqueeze(1)
        total = out.float().index_add(0, bag, rows)
        return _bfloat16_ties_away(total) if fbgemm else total.to(weight.dtype)
    if per_sample_weights is not None:
        rows = rows * per_sample_weights.unsqueeze(1)
    if fbgemm:
        out = _bfloat16_ties_away(out.float().index_add(0, bag, rows.float()))
    else:
        out = out.index_add(0, bag, rows)
    if mode == "mean":
        ones = creation.ones(bag.shape, dtype=weight.dtype, device=weight.device)
        count = creation.zeros(n_bags, dtype=weight.dtype, device=weight.device).index_add(0, bag, ones)
        out = out / count.clamp_min(1).unsqueeze(1)
    return out


def _bfloat16_ties_away(x: Tensor) -> Tensor:
    """float32 ``x`` rounded to bfloat16 to nearest, ties away from zero (NaN kept): half a unit of the last
    kept bit added to the bits, then the low 16 cut."""
    bits = (x.view(dt.int32) + 0x8000) & -0x10000
    return ew.where(x.isnan(), x, bits.view(dt.float32)).to(dt.bfloat16)


def _added_in_order(input, bag, mode, n_bags, padding_idx, by_frequency):
    """The backward of 16-bit sum and mean bags, as torch's CPU kernel: it visits the entries in the order
    its (unstable) sort of ``input`` leaves them and adds each one's gradient row, times its scale rounded
    to the dtype (its per-sample weight, over its index's frequency with ``by_frequency``, over its bag's
    size for a mean), into its weight row: the product and every sum rounded. A per-sample weight's
    gradient is the float32 dot product of the two rows."""
    order = input.sort().indices
    index, bags = input[order], bag[order]
    valid = bags < n_bags if padding_idx is None else (bags < n_bags) & (index != padding_idx)
    bags = bags.clamp_max(n_bags - 1)

    def backward(g, weight, per_sample_weights):
        wide = dt.float64 if g.device.type == "cpu" else dt.float32  # torch's scale is a double
        scale = (creation.ones(index.shape, dtype=wide, device=g.device) if per_sample_weights is None
                 else per_sample_weights[order].to(wide))
        if by_frequency:
            # torch divides the k-th run of equal indices (in sorted order) by the count of the k-th sorted
            # index, not of its own: its kernel's index mixes the two (every dtype's gradient shows it)
            ones = creation.ones(index.shape, dtype=wide, device=g.device)
            counts = creation.zeros(weight.shape[0], dtype=wide, device=g.device).index_add(0, index, ones)
            run = (index[1:] != index[:-1]).long().cumsum(0)
            run = cat([run.new_zeros(1), run])
            scale = scale / counts[index[run]]
        if mode == "mean":
            sizes = creation.zeros(n_bags, dtype=wide, device=g.device).index_add(0, bags, valid.to(wide))
            scale = scale / sizes[bags]
        shares = (scale.to(g.dtype).float().unsqueeze(1) * g[bags].float()).to(g.dtype)
        targets = ew.where(valid, index, -1).reshape(1, -1)
        grad = add_in_order((weight.shape[1], weight.shape[0]), 1, targets, shares.mT).mT
        if per_sample_weights is None:
            return grad, None
        dots = (g.float()[bag.clamp(0, n_bags - 1)] * weight.float()[input]).sum(1).to(g.dtype)
        kept = bag < n_bags if padding_idx is None else (bag < n_bags) & (input != padding_idx)
        return grad, ew.where(kept, dots, 0.0)
    return backward


def _max_added_in_order(input, bag, weight, n_bags, padding_idx):
    """The backward of 16-bit max bags, as torch's CPU kernel: each bag's gradient row added into the
    weight rows that gave its maxima, bag after bag, every sum rounded."""
    if padding_idx is not None:
        keep = nonzero(input != padding_idx).reshape(-1)
        input, bag = input.index_select(0, keep), bag.index_select(0, keep)
    n = input.shape[0]
    out = creation.zeros((n_bags, weight.shape[1]), dtype=weight.dtype, device=weight.device)
    with no_grad():
        first = _max_positions(weight[input], bag, out) if n else out.long() + n
    targets = ew.where(first < n, input[first.clamp(0, max(n - 1, 0))] if n else first, -1).mT

    def backward(g, weight, per_sample_weights):
        return add_in_order((weight.shape[1], weight.shape[0]), 1, targets, g.mT).mT, None
    return backward


def _bag_max(rows, bag, out):
    """Each bag's elementwise maximum, its gradient going to the first row that holds it (PyTorch's
    max_indices), not shared among ties as scatter_reduce's amax shares it."""
    n = rows.shape[0]
    if n == 0:
        return out
    first = _max_positions(rows.detach(), bag, out)
    picked = rows.gather(0, first.clamp_max(n - 1))
    return ew.where(first < n, picked, 0.0)  # an empty bag stays zero


def _max_positions(rows, bag, out):
    """(bags, dim): the first of ``rows`` (n of them) holding each bag's maximum, n for an empty bag."""
    n = rows.shape[0]
    index = bag.unsqueeze(1).expand(rows.shape)
    top = out.scatter_reduce(0, index, rows, "amax", include_self=False)
    position = creation.arange(n, device=rows.device).unsqueeze(1).expand(rows.shape)
    candidate = ew.where(rows == top.gather(0, index), position, n)
    first = creation.full(out.shape, n, dtype=position.dtype, device=rows.device)
    return first.scatter_reduce(0, index, candidate, "amin")


def _type_str(value) -> str:
    if isinstance(value, Tensor):
        return "<class 'torch.Tensor'>"
    return str(type(value))

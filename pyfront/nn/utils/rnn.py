"""Packed and padded batches of variable-length sequences, as ``torch.nn.utils.rnn``.

A :class:`PackedSequence` holds the time steps of a sorted batch one after another: step ``t``
contributes its ``batch_sizes[t]`` still-running sequences. ``batch_sizes`` is a cpu int64 tensor, as in
PyTorch, so the recurrent layers read it without a device read-back; the data may live on any device.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable

from ... import dtypes as dt
from ...autograd.function import Function
from ...ops.composite.shaping import stack
from ...ops.creation import arange, empty_like, full, tensor
from ...ops.primitives.shaping import cat
from ...shape import broadcast_shapes
from ...tensor import Tensor

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpad_sequence",
    "pack_sequence",
    "unpack_sequence",
]

_NOT_ON_CPU = (
    "batch_sizes should always be on CPU. Instances of PackedSequence should never be created manually. "
    "They should be instantiated by functions like pack_sequence and pack_padded_sequences in nn.utils.rnn. "
    "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn.pack_sequence"
)


_FIELDS = ["data", "batch_sizes", "sorted_indices", "unsorted_indices"]


class PackedSequence(namedtuple("PackedSequence_", _FIELDS)):
    """A batch of variable-length sequences packed time step by time step (a named tuple).

    Made by :func:`pack_padded_sequence` or :func:`pack_sequence`, taken and returned by ``nn.RNN``,
    ``nn.LSTM`` and ``nn.GRU``; :func:`pad_packed_sequence` turns it back into a padded tensor.

    Fields:
        data: ``(sum(lengths), *)``, step 0 of every sequence, then step 1 of those still running, ...
        batch_sizes: cpu int64 tensor; ``batch_sizes[t]`` sequences are still running at step ``t``
        sorted_indices: the order (longest first) the sequences were packed in, or None when the
            batch was given sorted (``enforce_sorted=True``)
        unsorted_indices: the inverse of ``sorted_indices``, or None

    Like PyTorch, ``to()``/``cpu()``/``double()``/... convert ``data`` and move the index fields with
    it; ``batch_sizes`` stays on the cpu. Constructing one by hand is allowed but, as PyTorch says,
    not intended; ``batch_sizes`` off the cpu raises ValueError.
    """

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:  # PackedSequence((data, batch_sizes), sorted_indices)
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        elif batch_sizes.device.type != "cpu":
            raise ValueError(_NOT_ON_CPU)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args, **kwargs) -> PackedSequence:
        """``data.to(*args, **kwargs)``; the index fields follow data's device, batch_sizes stays."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        move = (lambda t: None if t is None else t.to(data.device))
        return type(self)(data, self.batch_sizes, move(self.sorted_indices), move(self.unsorted_indices))

    def cpu(self) -> PackedSequence:
        return self.to("cpu")

    def cuda(self, device=None) -> PackedSequence:
        return self.to(device if device is not None else "cuda")

    def double(self) -> PackedSequence:
        return self.to(dtype=dt.float64)

    def float(self) -> PackedSequence:
        return self.to(dtype=dt.float32)

    def half(self) -> PackedSequence:
        return self.to(dtype=dt.float16)

    def long(self) -> PackedSequence:
        return self.to(dtype=dt.int64)

    def int(self) -> PackedSequence:
        return self.to(dtype=dt.int32)

    def short(self) -> PackedSequence:
        return self.to(dtype=dt.int16)

    def char(self) -> PackedSequence:
        return self.to(dtype=dt.int8)

    def byte(self) -> PackedSequence:
        return self.to(dtype=dt.uint8)

    @property
    def is_cuda(self) -> bool:
        return self.data.is_cuda


class _Split(Function):
    @staticmethod
    def forward(ctx, x, sizes, dim):
        ctx.dim = dim
        return x.split(sizes, dim)

    @staticmethod
    def backward(ctx, *grads):
        return cat(grads, ctx.dim), None, None


def split_pieces(x: Tensor, sizes, dim: int) -> tuple:
    """``x.split(sizes, dim)`` whose backward is one ``cat`` of the pieces' gradients.

    Each piece of a plain split is a slice whose gradient is scattered into a zeros tensor of the
    whole ``x`` and summed: over the time steps of a long sequence that is quadratic work. The
    recurrent layers and the packing functions cut their sequences step by step with this.
    """
    return _Split.apply(x, sizes, dim)


def invert_permutation(permutation: Tensor | None) -> Tensor | None:
    """The inverse of a permutation of ``0..n-1``: ``out[permutation[i]] = i``, as PyTorch's.

    Args:
        permutation: a 1-D integer tensor holding each of ``0..n-1`` once, or None

    Returns a tensor like ``permutation`` (None for None); the scatter raises on an index out of range.
    """
    if permutation is None:
        return None
    return empty_like(permutation).scatter_(
        0, permutation, arange(permutation.numel(), device=permutation.device)
    )


def _host_lengths(lengths) -> list:
    """``lengths`` (a list, or a 1-D cpu tensor) as Python ints, truncated as PyTorch's int64 cast does."""
    if not isinstance(lengths, Tensor):
        return [int(n) for n in lengths]
    lengths = lengths.to(dt.int64)
    if lengths.dim() != 1 or lengths.device.type != "cpu":
        raise RuntimeError(
            "'lengths' argument should be a 1D CPU int64 tensor, but got "
            f"{lengths.dim()}D {lengths.device} Long tensor"
        )
    return lengths.tolist()


def pack_padded_sequence(
    input: Tensor, lengths, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch of variable-length sequences.

    Args:
        input: ``(T, B, *)`` padded sequences (``(B, T, *)`` with ``batch_first``)
        lengths: the length of each sequence: a list of ints or a 1-D cpu tensor
        batch_first: whether ``input`` has the batch first. Default: False
        enforce_sorted: the sequences must come longest first; with False they are sorted here and
            the order is kept in ``sorted_indices`` (the layers give their results back in the
            caller's order). Equal lengths keep their order (a stable sort); PyTorch's unstable sort
            may order ties in a long batch otherwise, which changes ``sorted_indices`` and the order
            of ``data`` but no result in the caller's order. Default: True

    Returns:
        a :class:`PackedSequence`; gradients flow back to ``input``.

    Raises RuntimeError as PyTorch does for an empty input, ``len(lengths)`` other than the batch
    size, a length below 1, or lengths not sorted under ``enforce_sorted``; and (where PyTorch reads
    past the input) for a length longer than the padded input.
    """
    lengths = _host_lengths(lengths)
    sorted_indices = unsorted_indices = None
    if not enforce_sorted:
        order = sorted(range(len(lengths)), key=lambda i: -lengths[i])  # host-side: no read-back
        lengths = [lengths[i] for i in order]
        inverse = [0] * len(order)
        for position, i in enumerate(order):
            inverse[i] = position
        sorted_indices = tensor(order, dtype=dt.int64, device=input.device)
        unsorted_indices = tensor(inverse, dtype=dt.int64, device=input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if batch_first:
        input = input.transpose(0, 1)
    if input.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    steps, batch = input.shape[0], input.shape[1]
    if len(lengths) != batch:
        raise RuntimeError(
            f"Expected `len(lengths)` to be equal to batch_size, but got {len(lengths)} (batch_size={batch})"
        )
    if lengths[-1] <= 0:
        raise RuntimeError(
            "Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0"
        )
    if any(a < b for a, b in zip(lengths, lengths[1:])):
        raise RuntimeError(
            "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass "
            "`enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this "
            "requirement if you do not need ONNX exportability."
        )
    if lengths[0] > steps:
        raise RuntimeError(
            f"the longest sequence has length {lengths[0]}, but the padded input has only {steps} steps"
        )
    batch_sizes = [sum(n > t for n in lengths) for t in range(lengths[0])]
    steps_of_input = split_pieces(input, 1, 0)
    data = cat([steps_of_input[t][0, :n] for t, n in enumerate(batch_sizes)])
    # batch_sizes and lengths live on the cpu, whatever the default device, as torch's C++ makes them
    return PackedSequence(data, tensor(batch_sizes, dtype=dt.int64, device="cpu"), sorted_indices,
                          unsorted_indices)


def pad_packed_sequence(
    sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0, total_length=None
) -> tuple[Tensor, Tensor]:
    """Unpack a :class:`PackedSequence` into a padded batch: the inverse of :func:`pack_padded_sequence`.

    Args:
        sequence: the batch to unpack
        batch_first: return ``(B, T, *)`` instead of ``(T, B, *)``. Default: False
        padding_value: the value of the padded elements. Default: 0.0
        total_length: pad to this many steps instead of the longest sequence's length (so the output
            of a padded batch can be made as long as the input was). Default: None

    Returns:
        ``(padded, lengths)``: the padded tensor, and each sequence's length as a cpu int64 tensor, both
        in the order the sequences were given to the packing function.

    Raises ValueError (PyTorch's text) when ``total_length`` is shorter than the longest sequence.
    """
    batch_sizes = sequence.batch_sizes.tolist()
    steps = len(batch_sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in input, but got "
                f"total_length={total_length} and max sequence length being {steps}"
            )
        steps = total_length
    data = sequence.data
    batch, feature = batch_sizes[0], tuple(data.shape[1:])
    pad = full((batch, *feature), padding_value, dtype=data.dtype, device=data.device)
    pieces = []
    for rows, n in zip(split_pieces(data, batch_sizes, 0), batch_sizes):
        pieces.append(rows)  # each step's rows, then padding up to the batch size: one cat for all
        if n < batch:
            pieces.append(pad[: batch - n])
    pieces += [pad] * (steps - len(batch_sizes))
    padded = cat(pieces).reshape(steps, batch, *feature)
    lengths = [sum(n > b for n in batch_sizes) for b in range(batch)]
    if sequence.unsorted_indices is not None:
        padded = padded.index_select(1, sequence.unsorted_indices)
        lengths = [lengths[i] for i in sequence.unsorted_indices.cpu().tolist()]
    return (padded.transpose(0, 1) if batch_first else padded), tensor(lengths, dtype=dt.int64, device="cpu")


def pad_sequence(
    sequences, batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"
) -> Tensor:
    """Stack tensors of different lengths (along dim 0) into one, padded with ``padding_value``.

    Args:
        sequences: tensors of shape ``(L_i, *)``; the trailing dims and the dtype are the first one's
        batch_first: return ``(B, T, *)`` instead of ``(T, B, *)``, ``T`` the longest length. Default: False
        padding_value: the value of the padded elements. Default: 0.0
        padding_side: pad on the ``"right"`` (after each sequence) or the ``"left"``. Default: "right"

    Raises RuntimeError with PyTorch's text for a non-iterable ``sequences``, an empty list or
    trailing dims that do not broadcast, and for a ``padding_side`` other than left or right.
    """
    if not isinstance(sequences, Iterable):
        raise RuntimeError(
            f"pad_sequence: Expected iterable for input sequences, but got arg of type: {type(sequences)}"
        )
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got {padding_side}.")
    first = sequences[0]
    trailing, longest = tuple(first.shape[1:]), max(s.shape[0] for s in sequences)
    rows = []
    for s in sequences:
        shape = (s.shape[0], *trailing)
        broadcast_shapes(shape, tuple(s.shape))  # PyTorch copies each sequence in, broadcasting it
        s = s.to(first.dtype).expand(*shape)
        if s.shape[0] < longest:
            pad = full((longest - s.shape[0], *trailing), padding_value, dtype=s.dtype, device=s.device)
            s = cat([s, pad] if padding_side == "right" else [pad, s])
        rows.append(s)
    return stack(rows, 0 if batch_first else 1)


def unpad_sequence(padded_sequences: Tensor, lengths: Tensor, batch_first: bool = False) -> list:
    """Split a padded batch back into its sequences: the inverse of :func:`pad_sequence`.

    Args:
        padded_sequences: ``(T, B, *)``, or ``(B, T, *)`` with ``batch_first``
        lengths: each sequence's length (a cpu tensor or a list)
        batch_first: whether the batch comes first. Default: False

    Returns a list of ``B`` tensors of shape ``(L_i, *)`` (views of the input). Unlike PyTorch it leaves
    ``padded_sequences`` as it was (PyTorch transposes it in place when ``batch_first`` is False).
    """
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    lengths = lengths.tolist() if isinstance(lengths, Tensor) else list(lengths)
    return [seq[: int(n)] for seq, n in zip(padded_sequences, lengths)]


def pack_sequence(sequences, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of tensors of shape ``(L_i, *)``: ``pack_padded_sequence(pad_sequence(sequences), ...)``.

    Args:
        sequences: the sequences, longest first unless ``enforce_sorted`` is False
        enforce_sorted: as in :func:`pack_padded_sequence`. Default: True

    Raises what :func:`pad_sequence` and :func:`pack_padded_sequence` raise.
    """
    lengths = [s.size(0) for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of tensors a :class:`PackedSequence` holds, in their original order: the inverse of
    :func:`pack_sequence`.

    Args:
        packed_sequences: the packed batch

    Returns a list of tensors of shape ``(L_i, *)``.
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)

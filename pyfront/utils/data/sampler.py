"""Samplers: the order in which a DataLoader visits a map-style dataset, as ``torch.utils.data``.

Random orders come from pyfront's own Philox stream, so a seeded ``Generator`` gives a fixed order
(on every device) but not the same order as PyTorch's Mersenne Twister.
"""
from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Generic, TypeVar

from ... import dtypes as dt
from ...ops.creation import as_tensor, multinomial, randint, randperm
from ...random import Generator, default_generator, draw_device

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler",
           "BatchSampler"]

T_co = TypeVar("T_co", covariant=True)


def _fresh_generator() -> Generator:
    """A generator seeded from the default one: what an unseeded sampler uses for one pass."""
    seed = int(randint(0, 1 << 32, (), generator=default_generator, device=draw_device(None)).item())
    return Generator().manual_seed(seed)


class Sampler(Generic[T_co]):
    """Base class: subclasses define ``__iter__`` over indices (or lists of indices) and may define
    ``__len__``."""

    def __iter__(self) -> Iterator[T_co]:
        raise NotImplementedError


class SequentialSampler(Sampler[int]):
    """0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


class RandomSampler(Sampler[int]):
    """A random permutation each pass, or ``num_samples`` draws with replacement.

    Args:
        data_source: a sized dataset.
        replacement: draw with replacement (default False).
        num_samples: how many indices a pass yields (default ``len(data_source)``); without
            replacement, more than ``len(data_source)`` chains several permutations.
        generator: the ``pyfront.Generator`` to draw from; without one, each pass seeds a fresh one
            from the default generator.
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator=None) -> None:
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        if not isinstance(self.replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={self.replacement}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(
                f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self) -> Iterator[int]:
        n = len(self.data_source)
        gen = self.generator if self.generator is not None else _fresh_generator()
        device = draw_device(gen)
        if self.replacement:
            # in blocks of 32, as PyTorch draws them, so that a short pass consumes little of the stream
            for _ in range(self.num_samples // 32):
                yield from randint(0, n, (32,), generator=gen, device=device).tolist()
            yield from randint(0, n, (self.num_samples % 32,), generator=gen, device=device).tolist()
        else:
            for _ in range(self.num_samples // n):
                yield from randperm(n, generator=gen, device=device).tolist()
            yield from randperm(n, generator=gen, device=device).tolist()[:self.num_samples % n]

    def __len__(self) -> int:
        return self.num_samples


class SubsetRandomSampler(Sampler[int]):
    """The given indices in a random order, without replacement."""

    def __init__(self, indices: Sequence[int], generator=None) -> None:
        self.indices = indices
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        device = draw_device(self.generator)
        for i in randperm(len(self.indices), generator=self.generator, device=device).tolist():
            yield self.indices[i]

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler[int]):
    """``num_samples`` indices of ``weights`` drawn with probabilities proportional to the weights."""

    def __init__(self, weights: Sequence[float], num_samples: int, replacement: bool = True,
                 generator=None) -> None:
        if not isinstance(num_samples, int) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError("num_samples should be a positive integer value, but got "
                             f"num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        # on the host, whatever the default device: the draws become Python ints, and webgpu has no float64
        weights = as_tensor(weights, dtype=dt.float64, device="cpu")
        if weights.dim() != 1:
            raise ValueError("weights should be a 1d sequence but given weights have shape "
                             f"{tuple(weights.shape)}")
        self.weights = weights
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator

    def __iter__(self) -> Iterator[int]:
        picks = multinomial(self.weights, self.num_samples, self.replacement, generator=self.generator)
        yield from picks.tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler[list[int]]):
    """Groups the indices of ``sampler`` into lists of ``batch_size``; ``drop_last`` drops a short tail."""

    def __init__(self, sampler: Sampler[int] | Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def __iter__(self) -> Iterator[list[int]]:
        it = iter(self.sampler)
        batch = list(itertools.islice(it, self.batch_size))
        while batch and (len(batch) == self.batch_size or not self.drop_last):
            yield batch
            batch = list(itertools.islice(it, self.batch_size))

    def __len__(self) -> int:
        if self.drop_last:
            return len(self.sampler) // self.batch_size
        return (len(self.sampler) + self.batch_size - 1) // self.batch_size

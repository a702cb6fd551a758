"""``torch.utils.data.distributed.DistributedSampler``: each of ``num_replicas`` processes reads its own
share of a dataset, in torch's exact order for a seed and epoch."""
from __future__ import annotations

import math
import random

from ... import distributed as dist
from .sampler import Sampler

__all__ = ["DistributedSampler"]


def _torch_cpu_randperm(n: int, seed: int) -> list:
    """``torch.randperm(n, generator=torch.Generator().manual_seed(seed))``, as torch's CPU computes it:
    a Fisher-Yates shuffle by mt19937 words (seeded with the seed's low 32 bits), so that every process of
    a torch and a pyfront job (and a script moved between them) reads the same samples. pyfront's own
    Generator is a Philox stream, whose randperm differs. Python's ``random`` is the same mt19937, given
    the state torch's seeding makes (no NumPy: the browser build has none). (torch takes 64-bit words past
    2^32 / 20 elements; no dataset here is that long.)"""
    state = [seed & 0xFFFFFFFF]
    for i in range(1, 624):  # mt19937's init_genrand, as torch seeds it
        state.append((1812433253 * (state[-1] ^ (state[-1] >> 30)) + i) & 0xFFFFFFFF)
    words = random.Random()
    words.setstate((3, (*state, 624), None))
    order = list(range(n))
    for i in range(n - 1):
        z = i + words.getrandbits(32) % (n - i)
        order[i], order[z] = order[z], order[i]
    return order


class DistributedSampler(Sampler):
    """Sampler that restricts data loading to a subset of the dataset, one per process of a distributed job.

    Each process (``rank`` of ``num_replicas``) takes every ``num_replicas``-th index from ``rank`` of one
    order of the dataset's indices, shared by all (shuffled by ``seed + epoch``: call ``set_epoch`` at each
    epoch before iterating, else every epoch has the same order). The dataset is assumed to keep its size.

    Args:
        dataset: Dataset used for sampling (its ``len``).
        num_replicas (int, optional): number of processes; by default the world size of the initialized
            process group (a ValueError where there is none, as torch's).
        rank (int, optional): this process's rank in ``[0, num_replicas)``; by default the process group's.
        shuffle (bool): shuffle the indices (default True).
        seed (int): seed of the shuffle, the same in every process (default 0).
        drop_last (bool): drop the tail so that the data divides evenly among the replicas; else (default)
            indices from the start are repeated to pad it.

    Raises:
        ValueError: for a rank outside ``[0, num_replicas - 1]``, or with no process group to ask.
    """

    def __init__(self, dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False):
        if num_replicas is None:
            num_replicas = dist.get_world_size()
        if rank is None:
            rank = dist.get_rank()
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset, self.num_replicas, self.rank, self.epoch, self.drop_last = (
            dataset, num_replicas, rank, 0, drop_last)
        if self.drop_last and len(self.dataset) % self.num_replicas != 0:
            self.num_samples = math.ceil((len(self.dataset) - self.num_replicas) / self.num_replicas)
        else:
            self.num_samples = math.ceil(len(self.dataset) / self.num_replicas)
        self.total_size = self.num_samples * self.num_replicas
        self.shuffle, self.seed = shuffle, seed

    def __iter__(self):
        n = len(self.dataset)
        indices = _torch_cpu_randperm(n, self.seed + self.epoch) if self.shuffle else list(range(n))
        if not self.drop_last:
            padding_size = self.total_size - len(indices)
            if padding_size <= len(indices):
                indices += indices[:padding_size]
            else:
                indices += (indices * math.ceil(padding_size / len(indices)))[:padding_size]
        else:
            indices = indices[:self.total_size]
        if len(indices) != self.total_size:
            raise AssertionError(f"Number of indices ({len(indices)}) does not match total_size "
                                 f"({self.total_size})")
        indices = indices[self.rank:self.total_size:self.num_replicas]
        if len(indices) != self.num_samples:
            raise AssertionError(f"Number of subsampled indices ({len(indices)}) does not match num_samples "
                                 f"({self.num_samples})")
        return iter(indices)

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Set the epoch, which with the seed orders the indices (the same in every replica)."""
        self.epoch = epoch

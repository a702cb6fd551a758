"""A data-loading module as users write one for a tabular/image project: a Dataset returning nested dicts
and namedtuples, default_collate of every nesting (dict of tuples, namedtuple of tensors, numpy arrays,
strings, bytes, ints/floats/bools), a custom collate_fn that pads ragged sequences, WeightedRandomSampler
(with and without replacement) and SubsetRandomSampler driven by their own generators, random_split by
lengths and by fractions under a seeded generator, ConcatDataset indexing (negative indices, cumulative
sizes), an IterableDataset that shards by get_worker_info (None in the main process), DataLoader options
(batch_size=None, drop_last, a generator, sampler + shuffle errors), and reproducibility by reseeding."""
import collections
import itertools

import numpy as np
import torch
from torch.utils.data import (ConcatDataset, DataLoader, Dataset, IterableDataset, SubsetRandomSampler,
                              WeightedRandomSampler, default_collate, get_worker_info, random_split)
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)
Point = collections.namedtuple("Point", ["xy", "label"])


class Records(Dataset):
    def __init__(self, n, shift=0):
        self.n, self.shift = n, shift

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i < 0 or i >= self.n:
            raise IndexError(i)
        i += self.shift
        return {"point": Point(torch.tensor([float(i), -i / 2]), i % 3),
                "meta": {"id": f"r{i}", "flags": (i % 2 == 0, np.float32(i) / 4), "raw": np.arange(i, i + 3)},
                "seq": torch.arange(i % 4 + 1), "blob": bytes([i % 256])}


def show(batch, indent="  "):
    if isinstance(batch, torch.Tensor):
        return f"T{tuple(batch.shape)}:{batch.dtype}:{batch.tolist()}"
    if isinstance(batch, dict):
        return "{" + ", ".join(f"{k}: {show(v)}" for k, v in batch.items()) + "}"
    if isinstance(batch, tuple) and hasattr(batch, "_fields"):
        return type(batch).__name__ + "(" + ", ".join(f"{f}={show(getattr(batch, f))}" for f in batch._fields) + ")"
    if isinstance(batch, (list, tuple)):
        return type(batch).__name__ + "[" + ", ".join(show(v) for v in batch) + "]"
    return repr(batch)


ds = Records(10)
batch = default_collate([ds[0], ds[3]][:1] + [{**ds[3], "seq": torch.arange(1)}])
print("default_collate", show(batch))
print("collate scalars", show(default_collate([1, 2, 3])), show(default_collate([1.5, 2.5])),
      show(default_collate([True, False])), show(default_collate([np.int64(3), np.int64(4)])),
      show(default_collate(["a", "b"])), show(default_collate([np.array([1.0, 2.0]), np.array([3.0, 4.0])])))
print("collate np scalar", show(default_collate([np.float64(0.5), np.float64(1.5)])),
      show(default_collate([(1, "x"), (2, "y")])))
for bad in ([torch.zeros(2), torch.zeros(3)], [{"a": 1}, {"b": 2}], [object(), object()], [(1, 2), (1,)],
            [np.array(["a"]), np.array(["b"])]):
    try:
        print(show(default_collate(bad)))
    except Exception as e:  # noqa: BLE001
        print("collate", type(e).__name__, (str(e).splitlines() or [""])[0][:160])


def pad_collate(samples):
    seqs = [s["seq"] for s in samples]
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=-1), lengths, default_collate(
        [s["point"] for s in samples])


loader = DataLoader(ds, batch_size=4, collate_fn=pad_collate, drop_last=True)
for padded, lengths, pts in loader:
    print("padded", padded.tolist(), lengths.tolist(), show(pts))
print("len", len(loader), len(DataLoader(ds, batch_size=4)))

g = torch.Generator().manual_seed(7)
weights = torch.tensor([0.1, 0.1, 5.0, 0.1, 1.0, 0.1, 0.1, 2.0, 0.1, 0.1], dtype=torch.float64)
print("weighted", list(WeightedRandomSampler(weights, 12, replacement=True, generator=g)))
print("weighted no-replacement", list(WeightedRandomSampler(weights.tolist(), 6, replacement=False, generator=g)))
print("subset random", list(SubsetRandomSampler([9, 2, 5, 7], generator=g)), len(SubsetRandomSampler(range(3))))
print("g state reuse", list(WeightedRandomSampler(weights, 5, generator=torch.Generator().manual_seed(7))))
for bad in (lambda: WeightedRandomSampler(weights, 0), lambda: WeightedRandomSampler(weights, 3, replacement=2),
            lambda: list(WeightedRandomSampler(weights, 20, replacement=False)),
            lambda: WeightedRandomSampler(torch.ones(2, 2), 3)):
    try:
        print(bad())
    except Exception as e:  # noqa: BLE001
        print("sampler", type(e).__name__, (str(e).splitlines() or [""])[0][:160])

train, val, test = random_split(ds, [0.6, 0.3, 0.1], generator=torch.Generator().manual_seed(42))
print("split fractions", len(train), len(val), len(test), train.indices, val.indices, test.indices)
a, b = random_split(range(7), [5, 2], generator=torch.Generator().manual_seed(1))
print("split lengths", list(a), list(b))
parts = random_split(range(10), [0.33, 0.33, 0.34], generator=torch.Generator().manual_seed(3))
print("split remainder", [len(p) for p in parts], [list(p) for p in parts])
for bad in ([0.5, 0.6], [3, 3], [-1, 11], [0.5, 0.5, -0.0]):
    try:
        print([len(p) for p in random_split(range(10), bad)])
    except Exception as e:  # noqa: BLE001
        print("split", type(e).__name__, (str(e).splitlines() or [""])[0][:160])

cat = ConcatDataset([Records(3), Records(4, shift=100), Records(2, shift=200)])
print("concat", len(cat), cat.cumulative_sizes, cat[3]["meta"]["id"], cat[-1]["meta"]["id"], cat[-9]["meta"]["id"])
for i in (9, -10):
    try:
        cat[i]
    except Exception as e:  # noqa: BLE001
        print("concat", type(e).__name__, e)
both = ds + Records(2, shift=50)
print("add", type(both).__name__, len(both))


class Shards(IterableDataset):
    """Each worker takes every num_workers-th item (the striding form of sharding)."""

    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        info = get_worker_info()
        step, first = (1, 0) if info is None else (info.num_workers, info.id)
        return itertools.islice(iter(torch.arange(self.start, self.end).tolist()), first, None, step)


print("worker info in main", get_worker_info())
print("iterable", [b.tolist() for b in DataLoader(Shards(3, 10), batch_size=3)])
print("iterable unbatched", list(DataLoader(Shards(0, 4), batch_size=None)))
print("iterable chained", [b.tolist() for b in DataLoader(Shards(0, 3) + Shards(10, 12), batch_size=2)])
for bad in (lambda: DataLoader(Shards(0, 4), shuffle=True),
            lambda: DataLoader(Shards(0, 4), sampler=[0, 1]),
            lambda: DataLoader(ds, sampler=[0, 1], shuffle=True),
            lambda: DataLoader(ds, batch_size=None, drop_last=True),
            lambda: DataLoader(ds, batch_sampler=[[0, 1]], batch_size=3),
            lambda: len(DataLoader(Shards(0, 4)))):
    try:
        print(bad())
    except Exception as e:  # noqa: BLE001
        print("loader", type(e).__name__, (str(e).splitlines() or [""])[0][:160])

def no_seq(samples):
    return default_collate([{k: v for k, v in x.items() if k != "seq"} for x in samples])


for attempt in range(2):
    gen = torch.Generator()
    gen.manual_seed(123)
    order = [b["point"].label.tolist() for b in DataLoader(ds, batch_size=3, shuffle=True, generator=gen, collate_fn=no_seq)]
    print("shuffled with generator", order)
torch.manual_seed(5)
first = [b["meta"]["id"] for b in DataLoader(ds, batch_size=5, shuffle=True, collate_fn=no_seq)]
torch.manual_seed(5)
print("reseeded equal", first == [b["meta"]["id"] for b in DataLoader(ds, batch_size=5, shuffle=True, collate_fn=no_seq)], first)
print("batch None", show(next(iter(DataLoader(ds, batch_size=None)))["point"]))

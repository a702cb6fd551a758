"""torch.utils.data as a user wires it: custom samplers and batch_sampler, collate_fn, default_collate of
nested samples, IterableDataset sharding, random_split, ChainDataset, StackDataset, and the errors."""
import math
import torch
from torch.utils.data import (DataLoader, Dataset, IterableDataset, TensorDataset, BatchSampler,
                              SequentialSampler, RandomSampler, SubsetRandomSampler, Sampler, random_split,
                              ConcatDataset, ChainDataset, StackDataset, Subset, default_collate,
                              get_worker_info)
from torch.utils.data.dataloader import default_convert

torch.manual_seed(0)


class Squares(Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        return {"x": torch.tensor([i, i * i], dtype=torch.float32), "y": i % 3, "name": f"s{i}",
                "pair": (i, float(i) / 2), "np": [i, -i]}


ds = Squares()
b = next(iter(DataLoader(ds, batch_size=4)))
print(sorted(b), b["x"], b["y"], b["name"], b["pair"], b["np"])
print(b["y"].dtype, b["pair"][1].dtype)
print(default_collate([(1, 2.0, True), (3, 4.0, False)]))
print(default_collate([torch.ones(2), torch.zeros(2)]).shape)
print(default_convert({"a": 1, "b": [torch.ones(1)]}))
import numpy as np
print(default_collate([np.array([1, 2]), np.array([3, 4])]), default_collate([np.float64(1.5), np.float64(2)]))
try:
    default_collate([torch.ones(2), torch.ones(3)])
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    default_collate([object(), object()])
except TypeError as e:
    print("TypeError:", str(e).split(";")[0][:80])


class EvenFirst(Sampler):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        return iter([i for i in range(self.n) if i % 2 == 0] + [i for i in range(self.n) if i % 2])

    def __len__(self):
        return self.n


dl = DataLoader(ds, sampler=EvenFirst(10), batch_size=3, drop_last=True, collate_fn=lambda items: [it["y"] for it in items])
print(list(dl), len(dl))
bs = BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False)
print(list(bs), len(bs))
dl = DataLoader(ds, batch_sampler=bs, collate_fn=lambda items: sum(it["y"] for it in items))
print(list(dl), len(dl))
try:
    DataLoader(ds, batch_sampler=bs, batch_size=2)
except ValueError as e:
    print("ValueError:", e)
try:
    DataLoader(ds, sampler=EvenFirst(10), shuffle=True)
except ValueError as e:
    print("ValueError:", e)
g = torch.Generator().manual_seed(1)
print(list(RandomSampler(range(6), generator=g)))
print(len(list(RandomSampler(range(6), replacement=True, num_samples=9, generator=g))))
print(sorted(SubsetRandomSampler([3, 5, 7], generator=g)))
tr, va = random_split(range(10), [0.7, 0.3], generator=torch.Generator().manual_seed(42))
print(len(tr), len(va), type(tr).__name__, list(tr), list(va))
a, b2, c = random_split(range(10), [5, 3, 2], generator=torch.Generator().manual_seed(0))
print(list(a), list(b2), list(c))
try:
    random_split(range(10), [5, 3])
except ValueError as e:
    print("ValueError:", e)
td = TensorDataset(torch.arange(4.0), torch.arange(4))
cd = ConcatDataset([td, td])
print(len(cd), cd[5], cd.cumulative_sizes)
try:
    TensorDataset(torch.arange(4.0), torch.arange(3))
except AssertionError as e:
    print("AssertionError:", e)
sd = StackDataset(td, torch.arange(10, 14))
print(sd[1], len(sd))
sd2 = StackDataset(a=td, b=torch.arange(4))
print(sd2[2])
print(Subset(td, [3, 1])[0], len(Subset(td, [3, 1])))
print((td + td)[7])


class Stream(IterableDataset):
    def __init__(self, start, end):
        self.start, self.end = start, end

    def __iter__(self):
        info = get_worker_info()
        if info is None:
            lo, hi = self.start, self.end
        else:
            per = int(math.ceil((self.end - self.start) / info.num_workers))
            lo = self.start + info.id * per
            hi = min(lo + per, self.end)
        return iter(range(lo, hi))


print(list(DataLoader(Stream(3, 10), batch_size=2)))
print(list(DataLoader(ChainDataset([Stream(0, 3), Stream(10, 12)]), batch_size=None)))
try:
    DataLoader(Stream(0, 3), shuffle=True)
except ValueError as e:
    print("ValueError:", e)
try:
    len(DataLoader(Stream(0, 3)))
except TypeError as e:
    print("TypeError:", e)
dl = DataLoader(td, batch_size=None)
print(list(dl)[:2])
dl = DataLoader(td, batch_size=3, shuffle=True, generator=torch.Generator().manual_seed(3))
print([b[1].tolist() for b in dl])
print([b[1].tolist() for b in dl])
try:
    td[7]
except IndexError as e:
    print("IndexError:", e)
print(next(iter(DataLoader(td, batch_size=2, pin_memory=True)))[0].is_pinned())

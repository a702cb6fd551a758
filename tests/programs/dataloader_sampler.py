"""Imitates a user's data-pipeline script for an imbalanced, variable-length dataset: a custom
map-style Dataset, class-balanced WeightedRandomSampler, a collate_fn padding sequences with
pad_sequence and returning lengths, num_workers=2 with persistent_workers and a worker_init_fn, a
seeded torch.Generator, pin_memory, and a small GRU classifier over pack_padded_sequence.
Written for pyfront's tests; synthetic sequences, tiny sizes.
"""
import argparse
from collections import Counter

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence
from torch.utils.data import DataLoader, Dataset, WeightedRandomSampler, get_worker_info

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--workers", type=int, default=2)
args = parser.parse_args()
torch.manual_seed(11)


class SequenceDataset(Dataset):
    def __init__(self, n):
        self.labels = (torch.rand(n) < 0.2).long()  # about 1 in 5 positive
        self.lengths = torch.randint(2, 7, (n,))
        self.seqs = [torch.randn(int(L), 3) + 0.7 * int(y) for L, y in zip(self.lengths, self.labels)]

    def __len__(self):
        return len(self.seqs)

    def __getitem__(self, idx):
        return self.seqs[idx], self.labels[idx]


def collate(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True), lengths, torch.stack(labels)


def worker_init_fn(worker_id):
    info = get_worker_info()
    assert info.id == worker_id and info.num_workers == args.workers


dataset = SequenceDataset(60)
counts = Counter(dataset.labels.tolist())
print("class counts", sorted(counts.items()))
weights = torch.tensor([1.0 / counts[int(y)] for y in dataset.labels], dtype=torch.double)
sampler = WeightedRandomSampler(weights, num_samples=len(dataset), replacement=True,
                                generator=torch.Generator().manual_seed(5))
loader = DataLoader(dataset, batch_size=8, sampler=sampler, collate_fn=collate, num_workers=args.workers,
                    persistent_workers=args.workers > 0, worker_init_fn=worker_init_fn, pin_memory=False,
                    drop_last=False)
print("batches per epoch", len(loader))


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.GRU(3, 8, batch_first=True)
        self.fc = nn.Linear(8, 2)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, h = self.rnn(packed)
        return self.fc(h[-1])


model = Classifier()
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
for epoch in range(args.epochs):
    seen = Counter()
    total = 0.0
    for x, lengths, y in loader:
        seen.update(y.tolist())
        loss = nn.functional.cross_entropy(model(x, lengths), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(y)
    print(f"epoch {epoch} sampled classes {sorted(seen.items())} loss {total / len(dataset):.4f}"
          f" first-batch shape {tuple(x.shape)}")
print("same worker processes kept", loader._iterator is not None)

"""A variable-length sequence classifier the way the popular "pack_padded_sequence" tutorials write it
(a custom Dataset of token lists, a collate_fn with pad_sequence and lengths, a bucketing batch sampler,
WeightedRandomSampler for the class imbalance, an embedding + bidirectional GRU over a packed batch with
enforce_sorted=False, the last hidden states of both directions, pad_packed_sequence for an attention
pooling head), trained a few epochs with a held-out split."""
import random
from collections import Counter

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence
from torch.utils.data import DataLoader, Dataset, Sampler, WeightedRandomSampler, random_split

torch.manual_seed(0)
random.seed(0)
PAD = 0


class ToySeqDataset(Dataset):
    """Sequences of tokens 1..19; label 1 when token 7 occurs more often than token 3 (imbalanced)."""

    def __init__(self, n, seed):
        rng = random.Random(seed)
        self.samples = []
        for _ in range(n):
            length = rng.randint(2, 12)
            seq = [rng.randint(1, 19) for _ in range(length)]
            label = int(seq.count(7) > seq.count(3) + 0)
            self.samples.append((torch.tensor(seq, dtype=torch.long), label))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, idx):
        return self.samples[idx]


def collate_fn(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    padded = pad_sequence(seqs, batch_first=True, padding_value=PAD)
    return padded, lengths, torch.tensor(labels)


class BucketBatchSampler(Sampler):
    """Batches of similar length: sort indices by length inside shuffled chunks."""

    def __init__(self, lengths, batch_size, generator=None):
        self.lengths = lengths
        self.batch_size = batch_size
        self.generator = generator

    def __iter__(self):
        order = torch.randperm(len(self.lengths), generator=self.generator).tolist()
        chunks = [order[i:i + self.batch_size * 4] for i in range(0, len(order), self.batch_size * 4)]
        batches = []
        for chunk in chunks:
            chunk.sort(key=lambda i: self.lengths[i])
            batches += [chunk[i:i + self.batch_size] for i in range(0, len(chunk), self.batch_size)]
        for j in torch.randperm(len(batches), generator=self.generator).tolist():
            yield batches[j]

    def __len__(self):
        return sum(1 for _ in range(0, len(self.lengths), self.batch_size))


class GRUClassifier(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes, attention=False):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)
        # dropout=0.0: torch's GRU draws its between-layer dropout inside its C++ kernel, from a generator
        # the reference run (_torch_same_rng.py) cannot replace
        self.gru = nn.GRU(embed_dim, hidden_dim, num_layers=2, batch_first=True, bidirectional=True,
                          dropout=0.0)
        self.attention = attention
        self.att = nn.Linear(2 * hidden_dim, 1)
        self.fc = nn.Linear(2 * hidden_dim, num_classes)

    def forward(self, x, lengths):
        embedded = self.embedding(x)
        packed = pack_padded_sequence(embedded, lengths.cpu(), batch_first=True, enforce_sorted=False)
        packed_out, hidden = self.gru(packed)
        if not self.attention:
            # hidden: (num_layers * 2, B, H); the last layer's forward and backward states
            h = torch.cat((hidden[-2, :, :], hidden[-1, :, :]), dim=1)
            return self.fc(h)
        out, out_lengths = pad_packed_sequence(packed_out, batch_first=True, padding_value=0.0,
                                               total_length=x.size(1))
        scores = self.att(out).squeeze(-1)
        mask = torch.arange(x.size(1))[None, :] < out_lengths[:, None]
        scores = scores.masked_fill(~mask, float("-inf"))
        alpha = torch.softmax(scores, dim=1)
        return self.fc((alpha.unsqueeze(-1) * out).sum(1))


full = ToySeqDataset(240, seed=1)
train_set, val_set = random_split(full, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
print(len(train_set), len(val_set), Counter(label for _, label in full.samples))
labels = torch.tensor([full[i][1] for i in train_set.indices])
class_counts = torch.bincount(labels)
weights = 1.0 / class_counts[labels].float()
sampler = WeightedRandomSampler(weights, num_samples=len(labels), replacement=True,
                                generator=torch.Generator().manual_seed(3))
train_loader = DataLoader(train_set, batch_size=16, sampler=sampler, collate_fn=collate_fn)
val_loader = DataLoader(val_set, batch_sampler=BucketBatchSampler([len(full[i][0]) for i in val_set.indices], 16,
                                                                    torch.Generator().manual_seed(4)),
                        collate_fn=collate_fn)
x, lengths, y = next(iter(train_loader))
print("batch", x.shape, x.dtype, lengths[:5], y[:5])

for attention in (False, True):
    torch.manual_seed(1)
    model = GRUClassifier(20, 16, 24, 2, attention=attention)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    criterion = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 1.5]))
    for epoch in range(3):
        model.train()
        total, n = 0.0, 0
        for x, lengths, y in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x, lengths), y)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            total += loss.item() * len(y)
            n += len(y)
        model.eval()
        correct = seen = 0
        with torch.no_grad():
            for x, lengths, y in val_loader:
                correct += (model(x, lengths).argmax(1) == y).sum().item()
                seen += len(y)
        print(f"attention={attention} epoch {epoch} train loss {total / n:.4f} val acc {correct}/{seen}")

# the packing API itself
seqs = [torch.tensor([1, 2, 3]), torch.tensor([4, 5]), torch.tensor([6, 7, 8, 9])]
packed = pack_sequence(seqs, enforce_sorted=False)
print(packed)
print(packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices)
padded, lens = pad_packed_sequence(packed, batch_first=True)
print(padded, lens)
emb = nn.Embedding(10, 3)
out, h = nn.GRU(3, 4)(pack_padded_sequence(emb(padded), lens, batch_first=True, enforce_sorted=False))
print(type(out).__name__, out.data.shape, h.shape)
try:
    pack_padded_sequence(padded, lens, batch_first=True)
except RuntimeError as e:
    print("RuntimeError", e)
try:
    pack_padded_sequence(padded, torch.tensor([3, 0, 4]), batch_first=True, enforce_sorted=False)
except RuntimeError as e:
    print("RuntimeError", e)

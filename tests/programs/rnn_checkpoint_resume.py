"""Imitates a user's sequence-classification script: a custom Dataset of variable-length sequences, a
collate_fn that sorts nothing and pads (pad_sequence) and returns lengths, a bidirectional 2-layer LSTM over
pack_padded_sequence(enforce_sorted=False) with the padded output unpacked and masked mean-pooled, a GRU
head, weight init by hand (orthogonal_, xavier_uniform_, kaiming_normal_, trunc_normal_, forget-gate bias
set through a slice of bias_ih), AdamW with parameter groups (no weight decay on biases and norms),
CosineAnnealingWarmRestarts stepped with fractional epochs, gradient clipping by norm and by value, a
checkpoint (model, optimizer, scheduler, epoch, RNG state) to a file, a "crash", resume from it and check
the resumed run matches an uninterrupted one, a "module."-prefixed state_dict (as DataParallel saves)
stripped before loading, and prints of the model, the optimizer's state_dict and the scheduler's.
Written for pyfront's tests; synthetic data, tiny sizes."""
import os
import tempfile

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence
from torch.utils.data import DataLoader, Dataset

torch.manual_seed(0)
VOCAB, CLASSES = 20, 3


class SeqDataset(Dataset):
    def __init__(self, n):
        g = torch.Generator().manual_seed(7)
        self.lengths = torch.randint(2, 9, (n,), generator=g)
        self.items = [torch.randint(1, VOCAB, (int(L),), generator=g) for L in self.lengths]
        self.labels = torch.stack([(s.sum() % CLASSES) for s in self.items])

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i], self.labels[i]


def collate(batch):
    seqs, labels = zip(*batch)
    lengths = torch.tensor([len(s) for s in seqs])
    return pad_sequence(seqs, batch_first=True, padding_value=0), lengths, torch.stack(labels)


class Classifier(nn.Module):
    def __init__(self, emb=8, hidden=6):
        super().__init__()
        self.embed = nn.Embedding(VOCAB, emb, padding_idx=0)
        self.lstm = nn.LSTM(emb, hidden, num_layers=2, batch_first=True, bidirectional=True, dropout=0.0)
        self.gru = nn.GRU(2 * hidden, hidden, batch_first=True)
        self.norm = nn.LayerNorm(hidden)
        self.head = nn.Linear(hidden, CLASSES)
        self.reset_parameters()

    def reset_parameters(self):
        for name, p in self.named_parameters():
            if "lstm.weight_hh" in name:
                nn.init.orthogonal_(p)
            elif "lstm.weight_ih" in name:
                nn.init.xavier_uniform_(p)
            elif "lstm.bias" in name:
                nn.init.zeros_(p)
                n = p.size(0) // 4
                with torch.no_grad():
                    p[n:2 * n].fill_(1.0)  # forget gate
            elif name.startswith("gru.weight"):
                nn.init.kaiming_normal_(p, mode="fan_in", nonlinearity="tanh")
        nn.init.trunc_normal_(self.head.weight, std=0.02, a=-0.04, b=0.04)
        nn.init.constant_(self.head.bias, 0.1)

    def forward(self, x, lengths):
        e = self.embed(x)
        packed = pack_padded_sequence(e, lengths, batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        out, out_lens = pad_packed_sequence(out, batch_first=True, total_length=x.size(1))
        mask = (torch.arange(x.size(1))[None, :] < out_lens[:, None]).unsqueeze(-1)
        g, hg = self.gru(out * mask)
        pooled = (g * mask).sum(1) / out_lens[:, None].to(g.dtype)
        return self.head(self.norm(pooled + hg[-1]))


def make(model):
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if p.ndim < 2 or "norm" in name else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                             {"params": no_decay, "weight_decay": 0.0}], lr=0.02, betas=(0.9, 0.98))
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=1e-4)
    return opt, sched


def train_epoch(model, opt, sched, loader, epoch):
    model.train()
    total = 0.0
    iters = len(loader)
    for i, (x, lengths, y) in enumerate(loader):
        opt.zero_grad()
        loss = F.cross_entropy(model(x, lengths), y, label_smoothing=0.1)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
        opt.step()
        sched.step(epoch + i / iters)
        total += loss.item()
    return total / iters, norm


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    correct = n = 0
    for x, lengths, y in loader:
        pred = model(x, lengths).argmax(-1)
        correct += (pred == y).sum().item()
        n += y.numel()
    return correct / n


data = SeqDataset(40)
print("lengths", data.lengths.tolist())
print("labels", torch.bincount(data.labels, minlength=CLASSES))
x, lengths, y = collate([data[i] for i in range(3)])
print(x, lengths, y, sep="\n")

model = Classifier()
print(model)
print({k: tuple(v.shape) for k, v in model.state_dict().items()})
opt, sched = make(model)
EPOCHS, CRASH = 5, 2
ckpt = os.path.join(tempfile.mkdtemp(), "ckpt.pt")

loader = DataLoader(data, batch_size=8, shuffle=True, collate_fn=collate,
                    generator=torch.Generator().manual_seed(3))
for epoch in range(EPOCHS):
    loss, norm = train_epoch(model, opt, sched, loader, epoch)
    print(f"epoch {epoch} loss {loss:.5f} grad-norm {norm:.5f} lr {sched.get_last_lr()[0]:.6f} "
          f"acc {evaluate(model, DataLoader(data, batch_size=16, collate_fn=collate)):.3f}")
    if epoch == CRASH - 1:
        torch.save({"epoch": epoch, "model": model.state_dict(), "optimizer": opt.state_dict(),
                    "scheduler": sched.state_dict(), "rng": torch.get_rng_state(),
                    "loader_rng": loader.generator.get_state()}, ckpt)
final = {k: v.clone() for k, v in model.state_dict().items()}

# resume in a fresh model from the checkpoint
ck = torch.load(ckpt)
print(sorted(ck), ck["epoch"], ck["rng"].dtype, ck["rng"].shape == torch.get_rng_state().shape)
sd = ck["optimizer"]
print(sd["param_groups"])
print({k: sorted(v) for k, v in list(sd["state"].items())[:2]})
print(sd["state"][0]["step"], sd["state"][0]["exp_avg"].shape)
print(ck["scheduler"])
model2 = Classifier()
wrapped = {"module." + k: v for k, v in ck["model"].items()}  # as a DataParallel checkpoint has them
stripped = {k.removeprefix("module."): v for k, v in wrapped.items()}
print(model2.load_state_dict(stripped))
opt2, sched2 = make(model2)
opt2.load_state_dict(ck["optimizer"])
sched2.load_state_dict(ck["scheduler"])
torch.set_rng_state(ck["rng"])
loader.generator.set_state(ck["loader_rng"])
for epoch in range(ck["epoch"] + 1, EPOCHS):
    loss, norm = train_epoch(model2, opt2, sched2, loader, epoch)
    print(f"resumed epoch {epoch} loss {loss:.5f} lr {sched2.get_last_lr()[0]:.6f}")
print("resumed == uninterrupted:", all(torch.allclose(final[k], v) for k, v in model2.state_dict().items()))
missing = model2.load_state_dict({k: v for k, v in final.items() if "gru" not in k}, strict=False)
print(missing.missing_keys, missing.unexpected_keys)
try:
    model2.load_state_dict({**final, "head.weight": torch.zeros(2, 2)})
except RuntimeError as e:
    print(e)

"""A char-RNN as in karpathy's char-rnn / the practical-pytorch char generation tutorial: a GRU over one-hot
characters trained with truncated BPTT (hidden.detach()), clip_grad_norm_ whose returned norm is logged,
then sampling with temperature through torch.multinomial, torch.distributions.Categorical, top-k (topk +
scatter) and nucleus (sort + cumsum) filtering, and a perplexity evaluation under inference_mode."""
import math
import string

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(42)
text = ("the quick brown fox jumps over the lazy dog. " * 12 + "pack my box with five dozen liquor jugs. " * 8)
chars = sorted(set(text))
stoi = {c: i for i, c in enumerate(chars)}
itos = {i: c for c, i in stoi.items()}
data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
print(len(chars), data.shape, data[:10].tolist(), all(c in string.printable for c in chars))


class CharRNN(nn.Module):
    def __init__(self, n_chars, hidden_size=48, n_layers=2, dropout=0.0):
        super().__init__()
        self.hidden_size, self.n_layers = hidden_size, n_layers
        self.encoder = nn.Embedding(n_chars, hidden_size)
        self.rnn = nn.GRU(hidden_size, hidden_size, n_layers, dropout=dropout, batch_first=True)
        self.decoder = nn.Linear(hidden_size, n_chars)

    def forward(self, x, hidden=None):
        out, hidden = self.rnn(self.encoder(x), hidden)
        return self.decoder(out), hidden

    def init_hidden(self, batch_size):
        return torch.zeros(self.n_layers, batch_size, self.hidden_size)


def get_batch(seq_len=24, batch_size=8):
    ix = torch.randint(len(data) - seq_len - 1, (batch_size,))
    x = torch.stack([data[i:i + seq_len] for i in ix])
    y = torch.stack([data[i + 1:i + seq_len + 1] for i in ix])
    return x, y


model = CharRNN(len(chars))
opt = torch.optim.Adam(model.parameters(), lr=5e-3)
hidden = None
for step in range(40):
    x, y = get_batch()
    if hidden is not None and hidden.size(1) == x.size(0):
        hidden = hidden.detach()
    else:
        hidden = model.init_hidden(x.size(0))
    logits, hidden = model(x, hidden)
    loss = F.cross_entropy(logits.view(-1, logits.size(-1)), y.view(-1))
    opt.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    if step % 8 == 0 or step == 39:
        print(f"step {step:3d} loss {loss.item():.4f} grad-norm {norm:.4f} {norm.dtype} ppl {math.exp(loss.item()):.3f}")


def top_k_filter(logits, k):
    v, ix = torch.topk(logits, k)
    out = torch.full_like(logits, float("-inf"))
    return out.scatter(-1, ix, v)


def top_p_filter(logits, p):
    sorted_logits, sorted_idx = torch.sort(logits, descending=True)
    cum = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
    remove = cum > p
    remove[..., 1:] = remove[..., :-1].clone()
    remove[..., 0] = False
    to_remove = remove.scatter(-1, sorted_idx, remove)
    return logits.masked_fill(to_remove, float("-inf"))


@torch.no_grad()
def sample(prime="the ", length=40, temperature=1.0, mode="multinomial", k=5, p=0.9, gen=None):
    model.eval()
    h = None
    inp = torch.tensor([[stoi[c] for c in prime]])
    out = list(prime)
    logits, h = model(inp, h)
    for _ in range(length):
        last = logits[0, -1] / temperature
        if mode == "multinomial":
            ix = torch.multinomial(F.softmax(last, dim=-1), 1, generator=gen).item()
        elif mode == "categorical":
            ix = torch.distributions.Categorical(logits=last).sample().item()
        elif mode == "topk":
            ix = torch.multinomial(F.softmax(top_k_filter(last, k), -1), num_samples=1).item()
        elif mode == "topp":
            ix = torch.multinomial(top_p_filter(last, p).softmax(-1), 1).item()
        else:
            ix = int(last.argmax())
        out.append(itos[ix])
        logits, h = model(torch.tensor([[ix]]), h)
    model.train()
    return "".join(out)


for mode, t in [("greedy", 1.0), ("multinomial", 0.5), ("multinomial", 1.5), ("categorical", 0.8), ("topk", 1.0),
                ("topp", 1.0)]:
    print(mode, t, repr(sample(temperature=t, mode=mode)))
g = torch.Generator().manual_seed(7)
print(repr(sample(mode="multinomial", gen=g)))
probs = F.softmax(torch.tensor([1.0, 2.0, 3.0, 0.5]) / 0.7, -1)
draws = torch.multinomial(probs, 4000, replacement=True)
print(torch.bincount(draws, minlength=4), probs)
print(torch.multinomial(probs, 3, replacement=False).shape, torch.multinomial(probs.repeat(2, 1), 2).shape)
with torch.inference_mode():
    x, y = get_batch(32, 4)
    logits, _ = model(x)
    nll = F.cross_entropy(logits.transpose(1, 2), y, reduction="none")
    print(nll.shape, f"{nll.mean().exp().item():.4f}", torch.is_inference(nll), nll.requires_grad)

"""Imitates a user's Transformer language-model script in the style of the "Language Modeling with
nn.TransformerEncoder" tutorial: sinusoidal positional encoding, a causal mask from
nn.Transformer.generate_square_subsequent_mask, a key padding mask, TransformerEncoder layers,
gradient clipping, AdamW with a LambdaLR linear warmup, perplexity under torch.no_grad.
Also runs a small nn.Transformer encoder-decoder step. Written for pyfront's tests; tiny sizes.
"""
import argparse
import math

import torch
import torch.nn as nn
from torch.optim.lr_scheduler import LambdaLR

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=8)
parser.add_argument("--dropout", type=float, default=0.1)
parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
args = parser.parse_args()
device = torch.device(args.device)
torch.manual_seed(42)

NTOKENS, D_MODEL, NHEAD, D_HID, NLAYERS, BPTT, BATCH = 20, 16, 2, 32, 2, 6, 4


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, dropout=0.1, max_len=64):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        x = x + self.pe[:x.size(0)]
        return self.dropout(x)


class TransformerModel(nn.Module):
    def __init__(self, ntoken, d_model, nhead, d_hid, nlayers, dropout=0.1):
        super().__init__()
        self.model_type = "Transformer"
        self.pos_encoder = PositionalEncoding(d_model, dropout)
        layer = nn.TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.embedding = nn.Embedding(ntoken, d_model)
        self.d_model = d_model
        self.linear = nn.Linear(d_model, ntoken)
        self.init_weights()

    def init_weights(self):
        initrange = 0.1
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.linear.bias.data.zero_()
        self.linear.weight.data.uniform_(-initrange, initrange)

    def forward(self, src, src_mask=None, padding_mask=None):
        src = self.embedding(src) * math.sqrt(self.d_model)
        src = self.pos_encoder(src)
        output = self.transformer_encoder(src, src_mask, src_key_padding_mask=padding_mask)
        return self.linear(output)


def batchify(data, bsz):
    seq_len = data.size(0) // bsz
    return data[:seq_len * bsz].view(bsz, seq_len).t().contiguous().to(device)


def get_batch(source, i):
    seq_len = min(BPTT, len(source) - 1 - i)
    return source[i:i + seq_len], source[i + 1:i + 1 + seq_len].reshape(-1)


# a corpus with structure: a repeating pattern plus noise
corpus = (torch.arange(400) * 7 % NTOKENS + (torch.rand(400) < 0.1).long()) % NTOKENS
train_data = batchify(corpus[:320], BATCH)
val_data = batchify(corpus[320:], BATCH)

model = TransformerModel(NTOKENS, D_MODEL, NHEAD, D_HID, NLAYERS, args.dropout).to(device)
print(model)
print("parameters", sum(p.numel() for p in model.parameters()))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3, weight_decay=0.01)
warmup = 4
scheduler = LambdaLR(optimizer, lambda step: min(1.0, (step + 1) / warmup))
mask = nn.Transformer.generate_square_subsequent_mask(BPTT).to(device)
print("mask row 1", mask[1].tolist())

model.train()
for step, i in enumerate(range(0, train_data.size(0) - 1, BPTT)):
    if step >= args.steps:
        break
    data, targets = get_batch(train_data, i)
    output = model(data, mask[:data.size(0), :data.size(0)])
    loss = criterion(output.view(-1, NTOKENS), targets)
    optimizer.zero_grad()
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
    optimizer.step()
    scheduler.step()
    print(f"step {step} lr {scheduler.get_last_lr()[0]:.5f} loss {loss.item():.4f}"
          f" grad-norm {norm.item():.4f}")

model.eval()
total = 0.0
with torch.no_grad():
    for i in range(0, val_data.size(0) - 1, BPTT):
        data, targets = get_batch(val_data, i)
        n = data.size(0)
        pad = torch.zeros(BATCH, n, dtype=torch.bool, device=device)
        pad[0, -1] = True  # one padded position in the first sequence
        output = model(data, mask[:n, :n], pad)
        total += n * criterion(output.view(-1, NTOKENS), targets).item()
val_loss = total / (len(val_data) - 1)
print(f"val loss {val_loss:.4f} ppl {math.exp(val_loss):.4f}")

# the full encoder-decoder module, batch_first, with a target mask
torch.manual_seed(1)
tr = nn.Transformer(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=16,
                    dropout=0.0, batch_first=True).to(device)
src = torch.randn(2, 5, 8, device=device)
tgt = torch.randn(2, 4, 8, device=device)
out = tr(src, tgt, tgt_mask=tr.generate_square_subsequent_mask(4, device=device), tgt_is_causal=True)
out.sum().backward()
print("transformer out", tuple(out.shape), round(out.mean().item(), 5), round(out.std().item(), 5))
print("encoder grad norm", round(tr.encoder.layers[0].linear1.weight.grad.norm().item(), 5))

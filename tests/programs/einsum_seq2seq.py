"""Imitates two user scripts. First labml.ai's annotated multi-head attention (labml_nn/transformers/mha.py:
PrepareForMultiHeadAttention, scores by torch.einsum('ibhd,jbhd->ijbh'), a mask broadcast over heads,
softmax over the key dim, einsum('ijbh,jbhd->ibhd') back, seq-first layout) checked against
nn.MultiheadAttention with the same weights. Then an nn.Transformer encoder-decoder trained on a reverse-copy
task: batch_first, src/tgt key-padding masks, a causal tgt mask from generate_square_subsequent_mask, tied
embeddings, label-smoothed cross-entropy ignoring padding, OneCycleLR, greedy decoding under inference_mode.
Written for pyfront's tests; synthetic sequences, tiny sizes."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class PrepareForMultiHeadAttention(nn.Module):
    def __init__(self, d_model, heads, d_k, bias):
        super().__init__()
        self.linear = nn.Linear(d_model, heads * d_k, bias=bias)
        self.heads = heads
        self.d_k = d_k

    def forward(self, x):
        head_shape = x.shape[:-1]
        x = self.linear(x)
        return x.view(*head_shape, self.heads, self.d_k)


class MultiHeadAttention(nn.Module):
    def __init__(self, heads, d_model, dropout_prob=0.0, bias=True):
        super().__init__()
        self.d_k = d_model // heads
        self.heads = heads
        self.query = PrepareForMultiHeadAttention(d_model, heads, self.d_k, bias=bias)
        self.key = PrepareForMultiHeadAttention(d_model, heads, self.d_k, bias=bias)
        self.value = PrepareForMultiHeadAttention(d_model, heads, self.d_k, bias=True)
        self.softmax = nn.Softmax(dim=1)
        self.output = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout_prob)
        self.scale = 1 / math.sqrt(self.d_k)
        self.attn = None

    def get_scores(self, query, key):
        return torch.einsum('ibhd,jbhd->ijbh', query, key)

    def prepare_mask(self, mask, query_shape, key_shape):
        assert mask.shape[0] == 1 or mask.shape[0] == query_shape[0]
        assert mask.shape[1] == key_shape[0]
        assert mask.shape[2] == 1 or mask.shape[2] == query_shape[1]
        return mask.unsqueeze(-1)

    def forward(self, *, query, key, value, mask=None):
        seq_len, batch_size, _ = query.shape
        if mask is not None:
            mask = self.prepare_mask(mask, query.shape, key.shape)
        query = self.query(query)
        key = self.key(key)
        value = self.value(value)
        scores = self.get_scores(query, key)
        scores *= self.scale
        if mask is not None:
            scores = scores.masked_fill(mask == 0, float('-inf'))
        attn = self.softmax(scores)
        attn = self.dropout(attn)
        x = torch.einsum("ijbh,jbhd->ibhd", attn, value)
        self.attn = attn.detach()
        x = x.reshape(seq_len, batch_size, -1)
        return self.output(x)


S, B, E, H = 5, 3, 8, 2
mha = MultiHeadAttention(H, E)
ref = nn.MultiheadAttention(E, H)
with torch.no_grad():
    ref.in_proj_weight.copy_(torch.cat([mha.query.linear.weight, mha.key.linear.weight, mha.value.linear.weight]))
    ref.in_proj_bias.copy_(torch.cat([mha.query.linear.bias, mha.key.linear.bias, mha.value.linear.bias]))
    ref.out_proj.weight.copy_(mha.output.weight)
    ref.out_proj.bias.copy_(mha.output.bias)
x = torch.randn(S, B, E)
causal = torch.tril(torch.ones(S, S)).unsqueeze(-1)  # [query, key, batch=1]
ours = mha(query=x, key=x, value=x, mask=causal)
theirs, weights = ref(x, x, x, attn_mask=nn.Transformer.generate_square_subsequent_mask(S))
print(ours[0], (ours - theirs).abs().max() < 1e-5)
print(mha.attn[:, :, 0, 0], weights.shape)
print(torch.einsum("ijbh->bh", mha.attn).round(decimals=3), torch.einsum("ii->i", mha.attn[..., 0, 0]))
print(torch.einsum("bi,bj->bij", x[0], x[1]).shape, torch.einsum("...d,d->...", x, torch.ones(E)).shape)

# reverse-copy with nn.Transformer
PAD, BOS, EOS, V = 0, 1, 2, 12
D_MODEL = 16


def batch(n, generator):
    lengths = torch.randint(3, 7, (n,), generator=generator)
    src = torch.full((n, 8), PAD)
    tgt = torch.full((n, 9), PAD)
    for i, L in enumerate(lengths.tolist()):
        seq = torch.randint(3, V, (L,), generator=generator)
        src[i, :L] = seq
        tgt[i, 0] = BOS
        tgt[i, 1:L + 1] = seq.flip(0)
        tgt[i, L + 1] = EOS
    return src, tgt


class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(V, D_MODEL, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(1, 16, D_MODEL) * 0.02)
        self.transformer = nn.Transformer(D_MODEL, nhead=2, num_encoder_layers=1, num_decoder_layers=1,
                                          dim_feedforward=32, dropout=0.0, batch_first=True)
        self.out = nn.Linear(D_MODEL, V, bias=False)
        self.out.weight = self.embed.weight  # tied

    def forward(self, src, tgt):
        s = self.embed(src) * math.sqrt(D_MODEL) + self.pos[:, :src.size(1)]
        t = self.embed(tgt) * math.sqrt(D_MODEL) + self.pos[:, :tgt.size(1)]
        mask = nn.Transformer.generate_square_subsequent_mask(tgt.size(1))
        h = self.transformer(s, t, tgt_mask=mask, src_key_padding_mask=src == PAD,
                             tgt_key_padding_mask=tgt == PAD, memory_key_padding_mask=src == PAD,
                             tgt_is_causal=True)
        return self.out(h)


model = Seq2Seq()
print(sum(p.numel() for p in model.parameters()), model.out.weight is model.embed.weight)
STEPS = 20
opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1e-2, total_steps=STEPS, pct_start=0.25)
g = torch.Generator().manual_seed(5)
for step in range(STEPS):
    src, tgt = batch(8, g)
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, V), tgt[:, 1:].reshape(-1), ignore_index=PAD, label_smoothing=0.05)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    if step % 5 == 0 or step == STEPS - 1:
        print(f"step {step} loss {loss.item():.4f} lr {sched.get_last_lr()[0]:.6f}")

model.eval()
src, tgt = batch(4, torch.Generator().manual_seed(99))
with torch.inference_mode():
    out = torch.full((4, 1), BOS)
    for _ in range(8):
        nxt = model(src, out)[:, -1].argmax(-1, keepdim=True)
        out = torch.cat([out, nxt], 1)
print(src)
print(out)
print("token accuracy", ((out[:, 1:] == tgt[:, 1:]) & (tgt[:, 1:] != PAD)).sum().item(), (tgt[:, 1:] != PAD).sum().item())

"""nn.MultiheadAttention and the Transformer layers with every kind of mask users pass, as in pytorch/tutorials
(transformer_tutorial's generate_square_subsequent_mask, the seq2seq translation tutorial's create_mask with
padding masks) and the HuggingFace-style causal + padding combination: bool and float attn_mask, 3-d per-head
masks, key_padding_mask, need_weights with average_attn_weights, batch_first, kdim/vdim, add_bias_kv,
add_zero_attn, is_causal, fully masked rows, and a padded-batch classifier trained a few steps."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
PAD_IDX = 0


def generate_square_subsequent_mask(sz):
    mask = (torch.triu(torch.ones((sz, sz))) == 1).transpose(0, 1)
    mask = mask.float().masked_fill(mask == 0, float('-inf')).masked_fill(mask == 1, float(0.0))
    return mask


def create_mask(src, tgt):
    src_seq_len = src.shape[0]
    tgt_seq_len = tgt.shape[0]

    tgt_mask = generate_square_subsequent_mask(tgt_seq_len)
    src_mask = torch.zeros((src_seq_len, src_seq_len)).type(torch.bool)

    src_padding_mask = (src == PAD_IDX).transpose(0, 1)
    tgt_padding_mask = (tgt == PAD_IDX).transpose(0, 1)
    return src_mask, tgt_mask, src_padding_mask, tgt_padding_mask


def show(name, t):
    print(name, tuple(t.shape), t.dtype, "finite" if torch.isfinite(t).all() else "nonfinite",
          round(t.nan_to_num(0.0).abs().sum().item(), 3))


mha = nn.MultiheadAttention(embed_dim=16, num_heads=4)
L, S, N = 5, 6, 3
q = torch.randn(L, N, 16)
kv = torch.randn(S, N, 16)
out, w = mha(q, kv, kv)
show("plain out", out)
show("plain weights", w)
print(generate_square_subsequent_mask(4))
print(nn.Transformer.generate_square_subsequent_mask(4))
causal = generate_square_subsequent_mask(L)
out, w = mha(q, q, q, attn_mask=causal)
show("causal float out", out)
print("upper weights zero:", (w.triu(1) == 0).all().item())
bool_causal = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
out2, _ = mha(q, q, q, attn_mask=bool_causal)
print("bool == float mask:", torch.allclose(out, out2, atol=1e-6))
kpm = torch.tensor([[False] * 6, [False] * 4 + [True] * 2, [False] * 2 + [True] * 4])
out, w = mha(q, kv, kv, key_padding_mask=kpm)
show("padded out", out)
print("padded weights zero:", w[1, :, 4:].abs().max().item(), w[2, :, 2:].abs().max().item())
out, w = mha(q, kv, kv, key_padding_mask=kpm, average_attn_weights=False)
show("per-head weights", w)
per_head = torch.zeros(N * 4, L, S)
per_head[:, :, -1] = float("-inf")
out, w = mha(q, kv, kv, attn_mask=per_head, need_weights=False)
show("3-d mask out", out)
print("weights", w)
float_kpm = torch.zeros(N, S).masked_fill(kpm, float("-inf"))
out3, _ = mha(q, kv, kv, key_padding_mask=float_kpm)
out4, _ = mha(q, kv, kv, key_padding_mask=kpm)
print("float kpm == bool kpm:", torch.allclose(out3, out4, atol=1e-6))
all_masked = torch.ones(N, S, dtype=torch.bool)
out, w = mha(q, kv, kv, key_padding_mask=all_masked)
show("all masked out", out)
show("all masked w", w)

bf = nn.MultiheadAttention(16, 2, batch_first=True, kdim=8, vdim=12, dropout=0.0)
out, w = bf(torch.randn(N, L, 16), torch.randn(N, S, 8), torch.randn(N, S, 12), key_padding_mask=kpm)
show("batch_first kdim vdim", out)
print(sorted(n for n, _ in bf.named_parameters()))
bk = nn.MultiheadAttention(16, 4, add_bias_kv=True, add_zero_attn=True)
out, w = bk(q, kv, kv, key_padding_mask=kpm, attn_mask=torch.zeros(L, S, dtype=torch.bool))
show("bias_kv zero_attn", out)
print("weights cols", w.shape)

for bad in [dict(attn_mask=torch.zeros(2, 2)), dict(attn_mask=torch.zeros(N * 3, L, S)),
            dict(key_padding_mask=torch.zeros(N, S + 1, dtype=torch.bool)),
            dict(attn_mask=torch.zeros(L, S), key_padding_mask=torch.zeros(N, S, dtype=torch.int64))]:
    try:
        with __import__("warnings").catch_warnings():
            __import__("warnings").simplefilter("ignore")
            mha(q, kv, kv, **bad)
        print("no error")
    except Exception as e:
        print(type(e).__name__, e)

# is_causal and the encoder's fast-path masks
layer = nn.TransformerEncoderLayer(d_model=16, nhead=4, dim_feedforward=32, dropout=0.0, batch_first=True)
enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
x = torch.randn(N, L, 16)
m = nn.Transformer.generate_square_subsequent_mask(L)
a = enc(x, mask=m, is_causal=True)
b = enc(x, mask=m)
print("is_causal same:", torch.allclose(a, b, atol=1e-6))
pad = torch.tensor([[False] * L, [False] * 3 + [True] * 2, [False] * 1 + [True] * 4])
c = enc(x, src_key_padding_mask=pad)
show("encoder padded", c)
enc.eval()
with torch.no_grad():
    d = enc(x, src_key_padding_mask=pad)
print("eval == train (no dropout) on kept rows:", torch.allclose(c[~pad], d[~pad], atol=1e-5))

# a seq2seq Transformer step with the tutorial's create_mask
src = torch.tensor([[5, 7, 2], [3, 2, 0], [9, 0, 0], [2, 0, 0]])  # (S, N) padded
tgt = torch.tensor([[1, 1, 1], [4, 6, 8], [2, 2, 0]])
src_mask, tgt_mask, src_padding_mask, tgt_padding_mask = create_mask(src, tgt)
print(src_mask.dtype, tgt_mask.dtype, src_padding_mask)
tf = nn.Transformer(d_model=16, nhead=2, num_encoder_layers=1, num_decoder_layers=1, dim_feedforward=32,
                    dropout=0.0)
emb = nn.Embedding(10, 16, padding_idx=PAD_IDX)
gen = nn.Linear(16, 10)
opt = torch.optim.Adam([*tf.parameters(), *emb.parameters(), *gen.parameters()], lr=1e-2)
for step in range(5):
    tgt_input = tgt[:-1, :]
    src_mask, tgt_mask, src_padding_mask, tgt_padding_mask = create_mask(src, tgt_input)
    outs = tf(emb(src) * math.sqrt(16), emb(tgt_input) * math.sqrt(16), src_mask, tgt_mask, None,
              src_padding_mask, tgt_padding_mask, src_padding_mask)
    logits = gen(outs)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt[1:, :].reshape(-1), ignore_index=PAD_IDX)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"seq2seq step {step} loss {loss.item():.4f}")

# scaled_dot_product_attention with the same masks
qh, kh, vh = torch.randn(3, N, 2, L, 8).unbind(0)
print(torch.allclose(F.scaled_dot_product_attention(qh, kh, vh, is_causal=True),
                     F.scaled_dot_product_attention(qh, kh, vh, attn_mask=~bool_causal), atol=1e-6))
try:
    F.scaled_dot_product_attention(qh, kh, vh, attn_mask=~bool_causal, is_causal=True)
except Exception as e:
    print(type(e).__name__, e)

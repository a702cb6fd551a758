"""The FlexAttention blog post's and pytorch-labs/attention-gym's masks and score mods, run eagerly on the CPU
as a user first tries them: causal, sliding-window, prefix-LM and document masks combined with and_masks/
or_masks, ALiBi, tanh soft-capping and relative-position score_mods, GQA, a BlockMask printed and sliced,
the log-sum-exp through return_aux, and checks against scaled_dot_product_attention; then a small causal
attention layer built on flex_attention for inference."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import (AuxRequest, and_masks, create_block_mask, create_mask,
                                               flex_attention, or_masks)

torch.manual_seed(0)
B, H, S, D = 2, 4, 32, 16
q, k, v = torch.randn(B, H, S, D), torch.randn(B, H, S, D), torch.randn(B, H, S, D)


def causal(b, h, q_idx, kv_idx):
    return q_idx >= kv_idx


SLIDING_WINDOW = 8


def sliding_window(b, h, q_idx, kv_idx):
    return q_idx - kv_idx <= SLIDING_WINDOW


prefix_length = 6


def prefix_mask(b, h, q_idx, kv_idx):
    return kv_idx <= prefix_length


document_id = torch.zeros(S, dtype=torch.int)
document_id[10:22] = 1
document_id[22:] = 2


def document_causal_mask(b, h, q_idx, kv_idx):
    causal_mask = q_idx >= kv_idx
    document_mask = document_id[q_idx] == document_id[kv_idx]
    return causal_mask & document_mask


alibi_bias = torch.tensor([2 ** (-8 * (i + 1) / H) for i in range(H)])


def alibi(score, b, h, q_idx, kv_idx):
    bias = alibi_bias[h] * (kv_idx - q_idx)
    return score + bias


softcap = 20


def soft_cap(score, b, h, q_idx, kv_idx):
    score = score / softcap
    score = torch.tanh(score)
    score = score * softcap
    return score


def relative_positional(score, b, h, q_idx, kv_idx):
    return score + (q_idx - kv_idx)


sliding_window_causal = and_masks(causal, sliding_window)
prefix_lm_causal = or_masks(prefix_mask, causal)
for name, mask_mod in (("causal", causal), ("sliding window", sliding_window_causal),
                       ("prefix lm", prefix_lm_causal), ("document", document_causal_mask)):
    block_mask = create_block_mask(mask_mod, B=None, H=None, Q_LEN=S, KV_LEN=S, device="cpu", BLOCK_SIZE=8)
    out = flex_attention(q, k, v, block_mask=block_mask)
    print(f"{name}: sparsity {block_mask.sparsity():.2f}% out {out.sum().item():.5f} "
          f"{out[1, 2, 5, :3].tolist()}")
print(block_mask)
print(create_mask(document_causal_mask, 1, 1, 12, 12, "cpu").int()[0, 0, 8:12])

causal_mask = create_block_mask(causal, 1, 1, S, S, device="cpu")
flex_out = flex_attention(q, k, v, block_mask=causal_mask)
sdpa_out = F.scaled_dot_product_attention(q, k, v, is_causal=True)
print("causal flex vs sdpa:", (flex_out - sdpa_out).abs().max().item() < 1e-5)
for name, score_mod in (("alibi", alibi), ("soft cap", soft_cap), ("relative", relative_positional)):
    out = flex_attention(q, k, v, score_mod=score_mod, block_mask=causal_mask)
    print(f"{name}: {out.sum().item():.5f} {out.abs().max().item():.5f}")

# GQA: 4 query heads over 2 key/value heads, and the log-sum-exp
kv_small = torch.randn(B, 2, S, D), torch.randn(B, 2, S, D)
out, aux = flex_attention(q, *kv_small, enable_gqa=True, return_aux=AuxRequest(lse=True))
scores = (q @ kv_small[0].repeat_interleave(2, dim=1).transpose(-2, -1)) / D ** 0.5
print(f"gqa: {out.sum().item():.5f} lse matches {(aux.lse - scores.logsumexp(-1)).abs().max().item() < 1e-4}")
print(block_mask[1, :, 2:].kv_num_blocks.shape, block_mask.to_dense().shape)


class FlexCausalSelfAttention(nn.Module):
    def __init__(self, dim, heads, max_len):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.block_mask = create_block_mask(causal, None, None, max_len, max_len, device="cpu")

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        y = flex_attention(q, k, v, block_mask=self.block_mask)
        return self.proj(y.transpose(1, 2).reshape(b, t, c))


layer = FlexCausalSelfAttention(32, 4, 16).eval()
x = torch.randn(2, 16, 32)
with torch.no_grad():
    y = layer(x)
    reference = F.scaled_dot_product_attention(*layer.qkv(x).view(2, 16, 3, 4, 8).permute(2, 0, 3, 1, 4),
                                               is_causal=True)
    reference = layer.proj(reference.transpose(1, 2).reshape(2, 16, 32))
print(f"layer: {y.sum().item():.5f} matches sdpa {(y - reference).abs().max().item() < 1e-5}")
try:
    layer.train()
    layer(x)
except NotImplementedError as e:
    print("NotImplementedError:", e)

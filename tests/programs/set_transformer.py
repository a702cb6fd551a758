"""Attention over sets as juho-lee/set_transformer (modules.py: MAB with its own split/cat multi-head trick,
SAB, ISAB with inducing points, PMA with seed vectors) and the Perceiver (lucidrains/perceiver-pytorch style:
a latent array cross-attending to inputs through nn.MultiheadAttention with kdim/vdim, key_padding_mask,
need_weights and average_attn_weights=False) write them; Deep Sets' sum pooling as the baseline, trained on
"max of a set" regression with padded variable-size sets."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class MAB(nn.Module):
    def __init__(self, dim_Q, dim_K, dim_V, num_heads, ln=False):
        super(MAB, self).__init__()
        self.dim_V = dim_V
        self.num_heads = num_heads
        self.fc_q = nn.Linear(dim_Q, dim_V)
        self.fc_k = nn.Linear(dim_K, dim_V)
        self.fc_v = nn.Linear(dim_K, dim_V)
        if ln:
            self.ln0 = nn.LayerNorm(dim_V)
            self.ln1 = nn.LayerNorm(dim_V)
        self.fc_o = nn.Linear(dim_V, dim_V)

    def forward(self, Q, K):
        Q = self.fc_q(Q)
        K, V = self.fc_k(K), self.fc_v(K)
        dim_split = self.dim_V // self.num_heads
        Q_ = torch.cat(Q.split(dim_split, 2), 0)
        K_ = torch.cat(K.split(dim_split, 2), 0)
        V_ = torch.cat(V.split(dim_split, 2), 0)
        A = torch.softmax(Q_.bmm(K_.transpose(1, 2)) / math.sqrt(self.dim_V), 2)
        O = torch.cat((Q_ + A.bmm(V_)).split(Q.size(0), 0), 2)
        O = O if getattr(self, 'ln0', None) is None else self.ln0(O)
        O = O + F.relu(self.fc_o(O))
        O = O if getattr(self, 'ln1', None) is None else self.ln1(O)
        return O


class SAB(nn.Module):
    def __init__(self, dim_in, dim_out, num_heads, ln=False):
        super(SAB, self).__init__()
        self.mab = MAB(dim_in, dim_in, dim_out, num_heads, ln=ln)

    def forward(self, X):
        return self.mab(X, X)


class ISAB(nn.Module):
    def __init__(self, dim_in, dim_out, num_heads, num_inds, ln=False):
        super(ISAB, self).__init__()
        self.I = nn.Parameter(torch.Tensor(1, num_inds, dim_out))
        nn.init.xavier_uniform_(self.I)
        self.mab0 = MAB(dim_out, dim_in, dim_out, num_heads, ln=ln)
        self.mab1 = MAB(dim_in, dim_out, dim_out, num_heads, ln=ln)

    def forward(self, X):
        H = self.mab0(self.I.repeat(X.size(0), 1, 1), X)
        return self.mab1(X, H)


class PMA(nn.Module):
    def __init__(self, dim, num_heads, num_seeds, ln=False):
        super(PMA, self).__init__()
        self.S = nn.Parameter(torch.Tensor(1, num_seeds, dim))
        nn.init.xavier_uniform_(self.S)
        self.mab = MAB(dim, dim, dim, num_heads, ln=ln)

    def forward(self, X):
        return self.mab(self.S.repeat(X.size(0), 1, 1), X)


class SetTransformer(nn.Module):
    def __init__(self, dim_input, num_outputs, dim_output, num_inds=4, dim_hidden=16, num_heads=4, ln=True):
        super(SetTransformer, self).__init__()
        self.enc = nn.Sequential(ISAB(dim_input, dim_hidden, num_heads, num_inds, ln=ln),
                                 ISAB(dim_hidden, dim_hidden, num_heads, num_inds, ln=ln))
        self.dec = nn.Sequential(PMA(dim_hidden, num_heads, num_outputs, ln=ln),
                                 SAB(dim_hidden, dim_hidden, num_heads, ln=ln),
                                 nn.Linear(dim_hidden, dim_output))

    def forward(self, X):
        return self.dec(self.enc(X))


class DeepSet(nn.Module):
    def __init__(self, dim_input, num_outputs, dim_output, dim_hidden=16):
        super(DeepSet, self).__init__()
        self.num_outputs = num_outputs
        self.dim_output = dim_output
        self.enc = nn.Sequential(nn.Linear(dim_input, dim_hidden), nn.ReLU(), nn.Linear(dim_hidden, dim_hidden))
        self.dec = nn.Sequential(nn.Linear(dim_hidden, dim_hidden), nn.ReLU(),
                                 nn.Linear(dim_hidden, num_outputs * dim_output))

    def forward(self, X):
        X = self.enc(X).mean(-2)
        X = self.dec(X).reshape(-1, self.num_outputs, self.dim_output)
        return X


class PerceiverBlock(nn.Module):
    def __init__(self, latent_dim, input_dim, num_latents=4, heads=2):
        super().__init__()
        self.latents = nn.Parameter(torch.randn(num_latents, latent_dim) * 0.02)
        self.cross = nn.MultiheadAttention(latent_dim, heads, kdim=input_dim, vdim=input_dim, batch_first=True)
        self.self_attn = nn.MultiheadAttention(latent_dim, heads, batch_first=True, dropout=0.0)
        self.norm = nn.LayerNorm(latent_dim)
        self.head = nn.Linear(latent_dim, 1)

    def forward(self, x, pad_mask=None):
        lat = self.latents.unsqueeze(0).expand(x.shape[0], -1, -1)
        lat2, w = self.cross(lat, x, x, key_padding_mask=pad_mask, need_weights=True, average_attn_weights=False)
        lat = self.norm(lat + lat2)
        lat3, w2 = self.self_attn(lat, lat, lat)
        lat = lat + lat3
        return self.head(lat.mean(1)), w, w2


def gen_data(batch_size, max_length=8):
    length = torch.randint(2, max_length + 1, (1,)).item()
    x = torch.randint(1, 50, (batch_size, length, 1)).float()
    y = torch.max(x, dim=1)[0]
    return x / 50, y / 50


for name, model in [("deepset", DeepSet(1, 1, 1)), ("settransformer", SetTransformer(1, 1, 1))]:
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(15):
        x, y = gen_data(16)
        loss = F.l1_loss(model(x).squeeze(-1), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 5 == 0:
            print(name, step, f"{loss.item():.5f}")
print(SetTransformer(1, 1, 1).enc[0].I.shape)
print(nn.MultiheadAttention(8, 2, kdim=3, vdim=5))

perceiver = PerceiverBlock(8, 3)
print([n for n, _ in perceiver.cross.named_parameters()])
sets = [torch.randn(n, 3) for n in (5, 2, 4)]
padded = nn.utils.rnn.pad_sequence(sets, batch_first=True)
mask = torch.arange(padded.shape[1])[None, :] >= torch.tensor([5, 2, 4])[:, None]
target = torch.stack([s.norm(dim=1).max() for s in sets])[:, None]
opt = torch.optim.AdamW(perceiver.parameters(), lr=1e-2)
for step in range(6):
    out, w, w2 = perceiver(padded, mask)
    loss = F.mse_loss(out, target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("perceiver", step, f"{loss.item():.5f}")
print("weights", tuple(w.shape), tuple(w2.shape), w[1, :, :, 2:].abs().max().item(), w.sum(-1).allclose(torch.ones(3, 2, 4)))
print("float mask", perceiver(padded, mask.float().masked_fill(mask, float('-inf')))[0].allclose(out.detach(), atol=1e-2))
try:
    perceiver.cross(perceiver.latents[None], padded, padded, key_padding_mask=mask)
except Exception as e:
    print(type(e).__name__, e)

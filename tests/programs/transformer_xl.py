"""kimiyoung/transformer-xl pytorch/mem_transformer.py's pieces, shrunk: PositionalEmbedding from an inverse
frequency buffer and torch.ger, RelPartialLearnableMultiHeadAttn with its _rel_shift (a zero column by
torch.cat, view to shift, view_as), attention by torch.einsum('ibnd,jbnd->ijbn'), the causal mask by
torch.triu(diagonal=1+mlen) + torch.tril(diagonal=-ndims) as a byte/bool mask and masked_fill_ of -inf /
-65000 per dtype, the segment memory update under no_grad with cat/detach, and the output layer as
nn.AdaptiveLogSoftmaxWithLoss (cutoffs, div_value, head_bias; log_prob, predict, the loss) as fairseq's
adaptive softmax users do; a few segments of a synthetic corpus."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class PositionalEmbedding(nn.Module):
    def __init__(self, demb):
        super(PositionalEmbedding, self).__init__()
        self.demb = demb
        inv_freq = 1 / (10000 ** (torch.arange(0.0, demb, 2.0) / demb))
        self.register_buffer('inv_freq', inv_freq)

    def forward(self, pos_seq, bsz=None):
        sinusoid_inp = torch.ger(pos_seq, self.inv_freq)
        pos_emb = torch.cat([sinusoid_inp.sin(), sinusoid_inp.cos()], dim=-1)
        if bsz is not None:
            return pos_emb[:, None, :].expand(-1, bsz, -1)
        else:
            return pos_emb[:, None, :]


class PositionwiseFF(nn.Module):
    def __init__(self, d_model, d_inner, dropout, pre_lnorm=False):
        super(PositionwiseFF, self).__init__()
        self.CoreNet = nn.Sequential(nn.Linear(d_model, d_inner), nn.ReLU(inplace=True), nn.Dropout(dropout),
                                     nn.Linear(d_inner, d_model), nn.Dropout(dropout))
        self.layer_norm = nn.LayerNorm(d_model)
        self.pre_lnorm = pre_lnorm

    def forward(self, inp):
        if self.pre_lnorm:
            core_out = self.CoreNet(self.layer_norm(inp))
            output = core_out + inp
        else:
            core_out = self.CoreNet(inp)
            output = self.layer_norm(inp + core_out)
        return output


class RelPartialLearnableMultiHeadAttn(nn.Module):
    def __init__(self, n_head, d_model, d_head, dropout, dropatt=0):
        super().__init__()
        self.n_head, self.d_model, self.d_head = n_head, d_model, d_head
        self.qkv_net = nn.Linear(d_model, 3 * n_head * d_head, bias=False)
        self.drop = nn.Dropout(dropout)
        self.dropatt = nn.Dropout(dropatt)
        self.o_net = nn.Linear(n_head * d_head, d_model, bias=False)
        self.layer_norm = nn.LayerNorm(d_model)
        self.scale = 1 / (d_head ** 0.5)
        self.r_net = nn.Linear(self.d_model, self.n_head * self.d_head, bias=False)

    def _rel_shift(self, x, zero_triu=False):
        zero_pad = torch.zeros((x.size(0), 1, *x.size()[2:]), device=x.device, dtype=x.dtype)
        x_padded = torch.cat([zero_pad, x], dim=1)
        x_padded = x_padded.view(x.size(1) + 1, x.size(0), *x.size()[2:])
        x = x_padded[1:].view_as(x)
        if zero_triu:
            ones = torch.ones((x.size(0), x.size(1)))
            x = x * torch.tril(ones, x.size(1) - x.size(0))[:, :, None, None]
        return x

    def forward(self, w, r, r_w_bias, r_r_bias, attn_mask=None, mems=None):
        qlen, rlen, bsz = w.size(0), r.size(0), w.size(1)
        if mems is not None:
            cat = torch.cat([mems, w], 0)
            w_heads = self.qkv_net(cat)
            r_head_k = self.r_net(r)
            w_head_q, w_head_k, w_head_v = torch.chunk(w_heads, 3, dim=-1)
            w_head_q = w_head_q[-qlen:]
        else:
            w_heads = self.qkv_net(w)
            r_head_k = self.r_net(r)
            w_head_q, w_head_k, w_head_v = torch.chunk(w_heads, 3, dim=-1)
        klen = w_head_k.size(0)
        w_head_q = w_head_q.view(qlen, bsz, self.n_head, self.d_head)
        w_head_k = w_head_k.view(klen, bsz, self.n_head, self.d_head)
        w_head_v = w_head_v.view(klen, bsz, self.n_head, self.d_head)
        r_head_k = r_head_k.view(rlen, self.n_head, self.d_head)
        rw_head_q = w_head_q + r_w_bias
        AC = torch.einsum('ibnd,jbnd->ijbn', (rw_head_q, w_head_k))
        rr_head_q = w_head_q + r_r_bias
        BD = torch.einsum('ibnd,jnd->ijbn', (rr_head_q, r_head_k))
        BD = self._rel_shift(BD)
        attn_score = AC + BD
        attn_score.mul_(self.scale)
        if attn_mask is not None and attn_mask.any().item():
            if attn_mask.dim() == 2:
                attn_score = attn_score.float().masked_fill(attn_mask[None, :, :, None], -float('inf')).type_as(attn_score)
            elif attn_mask.dim() == 3:
                attn_score = attn_score.float().masked_fill(attn_mask[:, :, :, None], -float('inf')).type_as(attn_score)
        attn_prob = F.softmax(attn_score, dim=1)
        attn_prob = self.dropatt(attn_prob)
        attn_vec = torch.einsum('ijbn,jbnd->ibnd', (attn_prob, w_head_v))
        attn_vec = attn_vec.contiguous().view(attn_vec.size(0), attn_vec.size(1), self.n_head * self.d_head)
        attn_out = self.drop(self.o_net(attn_vec))
        return self.layer_norm(w + attn_out)


class MemTransformerLM(nn.Module):
    def __init__(self, n_token, n_layer=2, n_head=2, d_model=16, d_head=8, d_inner=32, tgt_len=6, mem_len=6,
                 cutoffs=(8, 20)):
        super().__init__()
        self.n_layer, self.mem_len, self.d_model = n_layer, mem_len, d_model
        self.word_emb = nn.Embedding(n_token, d_model)
        self.pos_emb = PositionalEmbedding(d_model)
        self.r_w_bias = nn.Parameter(torch.Tensor(n_head, d_head).normal_(0.0, 0.02))
        self.r_r_bias = nn.Parameter(torch.Tensor(n_head, d_head).normal_(0.0, 0.02))
        self.layers = nn.ModuleList()
        self.ffs = nn.ModuleList()
        for i in range(n_layer):
            self.layers.append(RelPartialLearnableMultiHeadAttn(n_head, d_model, d_head, 0.0))
            self.ffs.append(PositionwiseFF(d_model, d_inner, 0.0))
        self.crit = nn.AdaptiveLogSoftmaxWithLoss(d_model, n_token, cutoffs=list(cutoffs), div_value=2.0)

    def init_mems(self):
        return [torch.empty(0) for _ in range(self.n_layer + 1)]

    def _update_mems(self, hids, mems, qlen, mlen):
        with torch.no_grad():
            new_mems = []
            end_idx = mlen + max(0, qlen)
            beg_idx = max(0, end_idx - self.mem_len)
            for i in range(len(hids)):
                cat = torch.cat([mems[i], hids[i]], dim=0) if mems[i].numel() else hids[i]
                new_mems.append(cat[beg_idx:end_idx].detach())
        return new_mems

    def _forward(self, dec_inp, mems):
        qlen, bsz = dec_inp.size()
        word_emb = self.word_emb(dec_inp)
        mlen = mems[0].size(0) if mems[0].numel() else 0
        klen = mlen + qlen
        dec_attn_mask = torch.triu(word_emb.new_ones(qlen, klen), diagonal=1 + mlen).bool()[:, :, None]
        hids = []
        pos_seq = torch.arange(klen - 1, -1, -1.0, device=word_emb.device, dtype=word_emb.dtype)
        pos_emb = self.pos_emb(pos_seq)
        core_out = word_emb
        hids.append(core_out)
        for i, (layer, ff) in enumerate(zip(self.layers, self.ffs)):
            mems_i = mems[i] if mems[i].numel() else None
            core_out = ff(layer(core_out, pos_emb, self.r_w_bias, self.r_r_bias, attn_mask=dec_attn_mask,
                                mems=mems_i))
            hids.append(core_out)
        new_mems = self._update_mems(hids, mems, qlen, mlen)
        return core_out, new_mems

    def forward(self, data, target, *mems):
        if not mems:
            mems = self.init_mems()
        tgt_len = target.size(0)
        hidden, new_mems = self._forward(data, mems=mems)
        pred_hid = hidden[-tgt_len:]
        out = self.crit(pred_hid.reshape(-1, pred_hid.size(-1)), target.reshape(-1))
        return [out.loss, out.output] + new_mems


attn = RelPartialLearnableMultiHeadAttn(2, 8, 4, 0.0)
x = torch.arange(24.).view(3, 2, 2, 2)
print("rel_shift", attn._rel_shift(x)[:, :, 0, 0].tolist())
print("rel_shift zero_triu", attn._rel_shift(x, zero_triu=True)[:, :, 1, 1].tolist())
print("masks", torch.triu(torch.ones(3, 5), diagonal=1 + 2).bool().int().tolist(),
      torch.tril(torch.ones(3, 5), diagonal=-2).tolist())
print(PositionalEmbedding(6)(torch.arange(2, -1, -1.0), bsz=2).shape)

n_token = 32
corpus = torch.randint(0, n_token, (60,))
corpus[::3] = 5
data = corpus.view(-1, 2)
model = MemTransformerLM(n_token)
print(model.crit)
optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, 10, eta_min=0.0)
for epoch in range(2):
    mems = tuple()
    for i in range(0, data.size(0) - 1 - 6 + 1, 6):
        inp, tgt = data[i:i + 6], data[i + 1:i + 7]
        ret = model(inp, tgt, *mems)
        loss, mems = ret[0], ret[2:]
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.25)
        optimizer.step()
        sched.step()
        print(f"epoch {epoch} batch {i // 6} loss {loss.item():.5f} ppl {math.exp(loss.item()):.3f} "
              f"mems {[tuple(m.shape) for m in mems][:2]}")
crit = model.crit
h = torch.randn(4, 16)
lp = crit.log_prob(h)
print("log_prob", tuple(lp.shape), lp.exp().sum(1).round(decimals=4).tolist(), crit.predict(h).tolist(),
      torch.equal(crit.predict(h), lp.argmax(1)))
out = crit(h, torch.tensor([0, 9, 25, 31]))
print("output", out.output.round(decimals=4).tolist(), round(out.loss.item(), 4), out._fields)
out1 = crit(h[0], torch.tensor(25))
print("unbatched", out1.output.shape, out1.loss.shape)
for bad in [lambda: crit(h, torch.tensor([0, 32, 1, 2])), lambda: crit(h, torch.tensor([0, 1])),
            lambda: nn.AdaptiveLogSoftmaxWithLoss(16, 32, [8, 8]),
            lambda: nn.AdaptiveLogSoftmaxWithLoss(16, 32, [8, 40]),
            lambda: crit(h.unsqueeze(0), torch.tensor([[0, 1, 2, 3]]))]:
    try:
        bad()
        print("no error")
    except Exception as e:
        print(type(e).__name__ + ":", e)

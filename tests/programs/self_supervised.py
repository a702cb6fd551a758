"""Self-supervised and contrastive objectives as their well-known repositories write them, on small vectors
with noise-and-mask augmentations: Spijkervet/SimCLR's NT_Xent (a bool mask by fill_diagonal_, CosineSimilarity
over broadcast views, torch.diag with offsets, sim[mask]), facebookresearch/moco's MoCo (a normalised queue
buffer reassigned, momentum update by .data =, einsum over a list of operands, int(queue_ptr), enqueue by slice
assignment), openai/CLIP's logit_scale and open_clip's symmetric loss with its clamp, SigLIP's sigmoid loss,
facebookresearch/barlowtwins (off_diagonal by flatten/view, BatchNorm1d(affine=False), in-place add_/pow_ on
a diagonal view inside the graph), lucidrains/byol-pytorch's EMA target (deepcopy, .data reassignment)."""
import copy
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class NT_Xent(nn.Module):
    def __init__(self, batch_size, temperature, world_size):
        super(NT_Xent, self).__init__()
        self.batch_size = batch_size
        self.temperature = temperature
        self.world_size = world_size

        self.mask = self.mask_correlated_samples(batch_size, world_size)
        self.criterion = nn.CrossEntropyLoss(reduction="sum")
        self.similarity_f = nn.CosineSimilarity(dim=2)

    def mask_correlated_samples(self, batch_size, world_size):
        N = 2 * batch_size * world_size
        mask = torch.ones((N, N), dtype=bool)
        mask = mask.fill_diagonal_(0)
        for i in range(batch_size * world_size):
            mask[i, batch_size * world_size + i] = 0
            mask[batch_size * world_size + i, i] = 0
        return mask

    def forward(self, z_i, z_j):
        """
        We do not sample negative examples explicitly.
        Instead, given a positive pair, similar to (Chen et al., 2017), we treat the other 2(N − 1) augmented examples within a minibatch as negative examples.
        """
        N = 2 * self.batch_size * self.world_size

        z = torch.cat((z_i, z_j), dim=0)

        sim = self.similarity_f(z.unsqueeze(1), z.unsqueeze(0)) / self.temperature

        sim_i_j = torch.diag(sim, self.batch_size * self.world_size)
        sim_j_i = torch.diag(sim, -self.batch_size * self.world_size)

        # We have 2N samples, but with Distributed training every GPU gets N examples too, resulting in: 2xNxN
        positive_samples = torch.cat((sim_i_j, sim_j_i), dim=0).reshape(N, 1)
        negative_samples = sim[self.mask].reshape(N, -1)

        labels = torch.zeros(N).to(positive_samples.device).long()
        logits = torch.cat((positive_samples, negative_samples), dim=1)
        loss = self.criterion(logits, labels)
        loss /= N
        return loss


def encoder(num_classes=8):
    return nn.Sequential(nn.Linear(16, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, num_classes))


class MoCo(nn.Module):
    """
    Build a MoCo model with: a query encoder, a key encoder, and a queue
    https://arxiv.org/abs/1911.05722
    """
    def __init__(self, base_encoder, dim=128, K=65536, m=0.999, T=0.07, mlp=False):
        super(MoCo, self).__init__()

        self.K = K
        self.m = m
        self.T = T

        # create the encoders
        # num_classes is the output fc dimension
        self.encoder_q = base_encoder(num_classes=dim)
        self.encoder_k = base_encoder(num_classes=dim)

        for param_q, param_k in zip(self.encoder_q.parameters(), self.encoder_k.parameters()):
            param_k.data.copy_(param_q.data)  # initialize
            param_k.requires_grad = False  # not update by gradient

        # create the queue
        self.register_buffer("queue", torch.randn(dim, K))
        self.queue = nn.functional.normalize(self.queue, dim=0)

        self.register_buffer("queue_ptr", torch.zeros(1, dtype=torch.long))

    @torch.no_grad()
    def _momentum_update_key_encoder(self):
        """
        Momentum update of the key encoder
        """
        for param_q, param_k in zip(self.encoder_q.parameters(), self.encoder_k.parameters()):
            param_k.data = param_k.data * self.m + param_q.data * (1. - self.m)

    @torch.no_grad()
    def _dequeue_and_enqueue(self, keys):
        batch_size = keys.shape[0]

        ptr = int(self.queue_ptr)
        assert self.K % batch_size == 0  # for simplicity

        # replace the keys at ptr (dequeue and enqueue)
        self.queue[:, ptr:ptr + batch_size] = keys.T
        ptr = (ptr + batch_size) % self.K  # move pointer

        self.queue_ptr[0] = ptr

    def forward(self, im_q, im_k):
        # compute query features
        q = self.encoder_q(im_q)  # queries: NxC
        q = nn.functional.normalize(q, dim=1)

        # compute key features
        with torch.no_grad():  # no gradient to keys
            self._momentum_update_key_encoder()  # update the key encoder

            k = self.encoder_k(im_k)  # keys: NxC
            k = nn.functional.normalize(k, dim=1)

        # compute logits
        # Einstein sum is more intuitive
        # positive logits: Nx1
        l_pos = torch.einsum('nc,nc->n', [q, k]).unsqueeze(-1)
        # negative logits: NxK
        l_neg = torch.einsum('nc,ck->nk', [q, self.queue.clone().detach()])

        # logits: Nx(1+K)
        logits = torch.cat([l_pos, l_neg], dim=1)

        # apply temperature
        logits /= self.T

        # labels: positive key indicators
        labels = torch.zeros(logits.shape[0], dtype=torch.long)

        # dequeue and enqueue
        self._dequeue_and_enqueue(k)

        return logits, labels


def off_diagonal(x):
    # return a flattened view of the off-diagonal elements of a square matrix
    n, m = x.shape
    assert n == m
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


class BarlowTwins(nn.Module):
    def __init__(self, batch_size, lambd):
        super().__init__()
        self.batch_size = batch_size
        self.lambd = lambd
        self.backbone = nn.Sequential(nn.Linear(16, 32), nn.ReLU())
        self.projector = nn.Sequential(nn.Linear(32, 24, bias=False), nn.BatchNorm1d(24), nn.ReLU(inplace=True),
                                       nn.Linear(24, 24, bias=False))
        # normalization layer for the representations z1 and z2
        self.bn = nn.BatchNorm1d(24, affine=False)

    def forward(self, y1, y2):
        z1 = self.projector(self.backbone(y1))
        z2 = self.projector(self.backbone(y2))

        # empirical cross-correlation matrix
        c = self.bn(z1).T @ self.bn(z2)

        # sum the cross-correlation matrix between all gpus
        c.div_(self.batch_size)

        on_diag = torch.diagonal(c).add_(-1).pow_(2).sum()
        off_diag = off_diagonal(c).pow_(2).sum()
        loss = on_diag + self.lambd * off_diag
        return loss


def loss_fn(x, y):
    x = F.normalize(x, dim=-1, p=2)
    y = F.normalize(y, dim=-1, p=2)
    return 2 - 2 * (x * y).sum(dim=-1)


class EMA():
    def __init__(self, beta):
        super().__init__()
        self.beta = beta

    def update_average(self, old, new):
        if old is None:
            return new
        return old * self.beta + (1 - self.beta) * new


def update_moving_average(ema_updater, ma_model, current_model):
    for current_params, ma_params in zip(current_model.parameters(), ma_model.parameters()):
        old_weight, up_weight = ma_params.data, current_params.data
        ma_params.data = ema_updater.update_average(old_weight, up_weight)


def set_requires_grad(model, val):
    for p in model.parameters():
        p.requires_grad = val


def augment(x):
    return (x + 0.1 * torch.randn_like(x)) * (torch.rand_like(x) > 0.2).float()


torch.manual_seed(0)
data = torch.randn(64, 16)

# SimCLR
net = encoder()
criterion = NT_Xent(batch_size=8, temperature=0.5, world_size=1)
print(criterion.mask.dtype, criterion.mask.sum().item(), criterion.mask[:3, 6:11].int().tolist())
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for step in range(4):
    x = data[step * 8:(step + 1) * 8]
    loss = criterion(net(augment(x)), net(augment(x)))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"simclr step {step}: {loss.item():.6f}")

# MoCo
torch.manual_seed(1)
moco = MoCo(encoder, dim=8, K=32, m=0.99, T=0.2)
print(sorted(n for n, _ in moco.named_buffers()), moco.queue.norm(dim=0)[:3])
print(sum(p.requires_grad for p in moco.encoder_k.parameters()), len(list(moco.parameters())))
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, moco.parameters()), lr=0.05, momentum=0.9,
                      weight_decay=1e-4)
for step in range(6):
    x = data[step * 8:(step + 1) * 8]
    logits, labels = moco(im_q=augment(x), im_k=augment(x))
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    acc = (logits.argmax(1) == labels).float().mean().item()
    print(f"moco step {step}: loss {loss.item():.5f} acc {acc:.3f} ptr {moco.queue_ptr.item()}")
print(logits.shape, moco.state_dict()["queue_ptr"], moco.queue[:2, :3])

# CLIP's logits and open_clip's loss, the scale clamped after each step; SigLIP's
torch.manual_seed(2)
image_encoder, text_encoder = nn.Linear(16, 8), nn.Linear(12, 8)
logit_scale = nn.Parameter(torch.ones([]) * np.log(1 / 0.07))
logit_bias = nn.Parameter(torch.ones([]) * -10)
texts = torch.randn(64, 12)
opt = torch.optim.AdamW([*image_encoder.parameters(), *text_encoder.parameters(), logit_scale, logit_bias],
                        lr=0.05, weight_decay=0.2)
print(f"{logit_scale.item():.6f}", logit_scale.shape, logit_scale.dtype)
for step in range(5):
    image_features = image_encoder(data[:16])
    text_features = text_encoder(texts[:16])
    image_features = image_features / image_features.norm(dim=1, keepdim=True)
    text_features = text_features / text_features.norm(dim=1, keepdim=True)
    scale = logit_scale.exp()
    logits_per_image = scale * image_features @ text_features.t()
    logits_per_text = logits_per_image.t()
    labels = torch.arange(16, dtype=torch.long)
    clip_loss = (F.cross_entropy(logits_per_image, labels) + F.cross_entropy(logits_per_text, labels)) / 2
    siglip_logits = scale * image_features @ text_features.T + logit_bias
    siglip_labels = 2 * torch.eye(16) - torch.ones(16, 16)
    siglip_loss = -F.logsigmoid(siglip_labels * siglip_logits).sum() / 16
    opt.zero_grad()
    (clip_loss + siglip_loss).backward()
    opt.step()
    with torch.no_grad():
        logit_scale.clamp_(0, math.log(100))
    print(f"clip step {step}: clip {clip_loss.item():.5f} siglip {siglip_loss.item():.5f} "
          f"scale {logit_scale.exp().item():.4f} bias {logit_bias.item():.4f}")

# Barlow Twins
torch.manual_seed(3)
bt = BarlowTwins(batch_size=16, lambd=0.0051)
print(off_diagonal(torch.arange(16.).view(4, 4)).tolist())
opt = torch.optim.Adam(bt.parameters(), lr=1e-3)
for step in range(3):
    x = data[step * 16:(step + 1) * 16]
    loss = bt(augment(x), augment(x))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"barlow step {step}: {loss.item():.5f}")
print(bt.bn.running_mean[:3], bt.bn.weight, bt.bn.num_batches_tracked)

# BYOL
torch.manual_seed(4)
online = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 8))
predictor = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 8))
target = copy.deepcopy(online)
set_requires_grad(target, False)
ema = EMA(0.9)
opt = torch.optim.Adam([*online.parameters(), *predictor.parameters()], lr=3e-3)
for step in range(4):
    x = data[step * 16:(step + 1) * 16]
    one, two = augment(x), augment(x)
    p1, p2 = predictor(online(one)), predictor(online(two))
    with torch.no_grad():
        t1, t2 = target(one), target(two)
        t1.detach_()
        t2.detach_()
    loss = (loss_fn(p1, t2.detach()) + loss_fn(p2, t1.detach())).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    update_moving_average(ema, target, online)
    gap = sum((a - b).abs().sum() for a, b in zip(online.parameters(), target.parameters()))
    print(f"byol step {step}: {loss.item():.5f} gap {gap.item():.5f}")
print(target[0].weight.requires_grad, target[0].weight.grad)

"""Activation checkpointing and weight averaging as large-model training code writes them: a transformer
block stack run through torch.utils.checkpoint.checkpoint with use_reentrant=True and False (dropout inside,
preserve_rng_state, keyword arguments, a non-tensor argument, outputs that do not require grad),
checkpoint_sequential over an nn.Sequential, gradients equal to the plain run's; timm's ModelEmaV3 update by
torch._foreach_lerp_ / _foreach_mul_ + _foreach_add_, swa_utils.AveragedModel with get_ema_multi_avg_fn and
use_buffers=True, get_ema_avg_fn per parameter, and torch.optim.swa_utils.update_bn on a BatchNorm model."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.swa_utils import AveragedModel, get_ema_avg_fn, get_ema_multi_avg_fn, update_bn
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

torch.manual_seed(0)
torch.set_default_device("cuda" if torch.cuda.is_available() else "cpu")  # (--cuda-as webgpu: the GPU's kernels)


class Block(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, dropout=0.0, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(p))

    def forward(self, x, mask=None, scale=1.0):
        h = self.ln1(x)
        x = x + self.attn(h, h, h, attn_mask=mask, need_weights=False)[0]
        return x + scale * self.mlp(self.ln2(x))


class Stack(nn.Module):
    def __init__(self, d=16, heads=2, depth=3, p=0.2, mode=None):
        super().__init__()
        self.blocks = nn.ModuleList(Block(d, heads, p) for _ in range(depth))
        self.head = nn.Linear(d, 5)
        self.mode = mode

    def forward(self, x, mask):
        for blk in self.blocks:
            if self.mode is None:
                x = blk(x, mask, scale=0.5)
            else:
                x = checkpoint(blk, x, mask, use_reentrant=self.mode == "reentrant", scale=0.5) \
                    if self.mode == "non-reentrant" else checkpoint(blk, x, mask, 0.5, use_reentrant=True)
        return self.head(x.mean(1))


x = torch.randn(4, 6, 16)
y = torch.randint(0, 5, (4,))
mask = torch.triu(torch.full((6, 6), float("-inf")), diagonal=1)
base = Stack()
results = {}
for mode in (None, "reentrant", "non-reentrant"):
    model = copy.deepcopy(base)
    model.mode = mode
    torch.manual_seed(5)
    inp = x.clone().requires_grad_(mode == "reentrant")  # reentrant needs an input that requires grad
    loss = F.cross_entropy(model(inp, mask), y)
    loss.backward()
    grads = torch.cat([p.grad.flatten() for p in model.parameters()])
    results[mode] = (loss.item(), grads)
    print(f"{str(mode):14s} loss {loss.item():.6f} grad norm {grads.norm().item():.6f}")
print("reentrant grads equal", torch.allclose(results[None][1], results["reentrant"][1], atol=1e-6),
      "non-reentrant equal", torch.allclose(results[None][1], results["non-reentrant"][1], atol=1e-6))

# a checkpointed function that returns a tuple, one output without grad, and a kwarg-free use_reentrant=False
def pair(a, b):
    return a.sin() * b, (b > 0).float()

a = torch.randn(5, requires_grad=True)
b = torch.randn(5)
out, flags = checkpoint(pair, a, b, use_reentrant=False)
out.sum().backward()
print("tuple output", flags.requires_grad, a.grad.tolist() == (a.detach().cos() * b).tolist())

seq = nn.Sequential(*[nn.Sequential(nn.Linear(8, 8), nn.Tanh()) for _ in range(4)])
inp = torch.randn(3, 8, requires_grad=True)
ref = seq(inp).pow(2).sum()
g_ref = torch.autograd.grad(ref, [inp, *seq.parameters()])
for reentrant in (True, False):
    outc = checkpoint_sequential(seq, 2, inp, use_reentrant=reentrant).pow(2).sum()
    inp.grad = None
    seq.zero_grad()
    outc.backward()
    g = [inp.grad, *(p.grad for p in seq.parameters())]
    print("checkpoint_sequential", reentrant, outc.item() == ref.item(), all(torch.equal(p, q) for p, q in zip(g, g_ref)))

# timm ModelEmaV3
class ModelEmaV3(nn.Module):
    def __init__(self, model, decay=0.9999, min_decay=0.0, use_warmup=False, warmup_gamma=1.0, warmup_power=2 / 3,
                 foreach=True, exclude_buffers=False):
        super().__init__()
        self.module = copy.deepcopy(model)
        self.module.eval()
        self.decay = decay
        self.min_decay = min_decay
        self.use_warmup = use_warmup
        self.warmup_gamma = warmup_gamma
        self.warmup_power = warmup_power
        self.foreach = foreach
        self.exclude_buffers = exclude_buffers

    def get_decay(self, step=None):
        if step is None:
            return self.decay
        step = max(0, step - 1)
        if step <= 0:
            return 0.0
        if self.use_warmup:
            decay = 1 - (1 + step / self.warmup_gamma) ** -self.warmup_power
            decay = max(min(decay, self.decay), self.min_decay)
        else:
            decay = self.decay
        return decay

    @torch.no_grad()
    def update(self, model, step=None):
        decay = self.get_decay(step)
        if self.exclude_buffers:
            self.apply_update_no_buffers_(model, decay)
        else:
            self.apply_update_(model, decay)

    def apply_update_(self, model, decay):
        if self.foreach:
            ema_lerp_values = []
            model_lerp_values = []
            for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
                if ema_v.is_floating_point():
                    ema_lerp_values.append(ema_v)
                    model_lerp_values.append(model_v)
                else:
                    ema_v.copy_(model_v)
            if hasattr(torch, '_foreach_lerp_'):
                torch._foreach_lerp_(ema_lerp_values, model_lerp_values, weight=1. - decay)
            else:
                torch._foreach_mul_(ema_lerp_values, scalar=decay)
                torch._foreach_add_(ema_lerp_values, model_lerp_values, alpha=1. - decay)
        else:
            for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
                if ema_v.is_floating_point():
                    ema_v.lerp_(model_v.to(device=ema_v.device), weight=1. - decay)
                else:
                    ema_v.copy_(model_v.to(device=ema_v.device))

    def apply_update_no_buffers_(self, model, decay):
        ema_params = tuple(self.module.parameters())
        model_params = tuple(model.parameters())
        if self.foreach:
            torch._foreach_mul_(ema_params, scalar=decay)
            torch._foreach_add_(ema_params, model_params, alpha=1 - decay)
        else:
            for ema_p, model_p in zip(ema_params, model_params):
                ema_p.mul_(decay).add_(model_p.to(device=ema_p.device), alpha=1 - decay)
        for ema_b, model_b in zip(self.module.buffers(), model.buffers()):
            ema_b.copy_(model_b.to(device=ema_b.device))


net = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 2))
emas = {"lerp": ModelEmaV3(net, decay=0.9, use_warmup=True),
        "loop": ModelEmaV3(net, decay=0.9, use_warmup=True, foreach=False),
        "no buffers": ModelEmaV3(net, decay=0.9, exclude_buffers=True),
        "no buffers loop": ModelEmaV3(net, decay=0.9, exclude_buffers=True, foreach=False)}
swa_multi = AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(0.9), use_buffers=True)
swa_single = AveragedModel(net, avg_fn=get_ema_avg_fn(0.9))
swa_mean = AveragedModel(net)
opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
data = torch.randn(32, 4)
target = torch.randint(0, 2, (32,))
for step in range(1, 7):
    opt.zero_grad()
    loss = F.cross_entropy(net(data), target)
    loss.backward()
    opt.step()
    for ema in emas.values():
        ema.update(net, step=step)
    swa_multi.update_parameters(net)
    swa_single.update_parameters(net)
    swa_mean.update_parameters(net)
    print(f"step {step} loss {loss.item():.6f} " + " ".join(
        f"{k}={v.module[0].weight.sum().item():.6f}" for k, v in emas.items()))
print("decays", [round(emas["lerp"].get_decay(s), 6) for s in (1, 2, 5, 50)])
print("swa multi", swa_multi.module[0].weight.sum().item(), swa_multi.n_averaged.item(),
      swa_multi.module[1].running_mean.tolist()[:3])
print("swa single", swa_single.module[0].weight.sum().item(), swa_single.module[1].running_mean.tolist()[:3])
print("swa mean", swa_mean.module[0].weight.sum().item(), swa_mean.n_averaged.item())
print("ema buffers", emas["lerp"].module[1].num_batches_tracked.item(), emas["lerp"].module[1].running_var.tolist()[:3])

loader = [(torch.randn(8, 4),) for _ in range(3)]
update_bn(loader, swa_mean)
print("update_bn", [round(v, 5) for v in swa_mean.module[1].running_mean.tolist()[:4]],
      swa_mean.module[1].momentum, swa_mean.module[1].num_batches_tracked.item())
with torch.no_grad():
    print("averaged eval", swa_mean(data[:3]).argmax(1).tolist(), emas["lerp"].module(data[:3]).shape)

# foreach ops on their own
ts = [torch.ones(2), torch.full((3,), 2.0)]
others = [torch.arange(2.0), torch.arange(3.0)]
torch._foreach_mul_(ts, 0.5)
torch._foreach_add_(ts, others, alpha=2.0)
print("foreach", [t.tolist() for t in ts])
print("foreach out", [t.tolist() for t in torch._foreach_sqrt(ts)], [t.tolist() for t in torch._foreach_add(ts, 1)],
      [t.item() for t in torch._foreach_norm(ts)], [t.tolist() for t in torch._foreach_maximum(ts, others)])
torch._foreach_addcmul_(ts, others, others, value=0.1)
torch._foreach_lerp_(ts, others, 0.25)
torch._foreach_clamp_max_(ts, 3.0)
print("foreach more", [t.tolist() for t in ts])

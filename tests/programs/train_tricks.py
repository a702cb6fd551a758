"""The training-loop tricks of timm / HuggingFace-style scripts written by hand: gradient accumulation,
clip_grad_norm_ (and clip_grad_value_), linear warmup + cosine decay through LambdaLR (transformers'
get_cosine_schedule_with_warmup), an EMA of the weights (timm's ModelEmaV2 with torch.no_grad lerp, and
swa_utils.AveragedModel with get_ema_multi_avg_fn), activation checkpointing (torch.utils.checkpoint,
checkpoint_sequential), no-decay parameter groups, and a resumed run that continues the same losses."""
import copy
import io
import math
from functools import partial

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.checkpoint import checkpoint, checkpoint_sequential

torch.manual_seed(0)


def _get_cosine_schedule_with_warmup_lr_lambda(current_step, *, num_warmup_steps, num_training_steps,
                                               num_cycles):
    if current_step < num_warmup_steps:
        return float(current_step) / float(max(1, num_warmup_steps))
    progress = float(current_step - num_warmup_steps) / float(max(1, num_training_steps - num_warmup_steps))
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))


def get_cosine_schedule_with_warmup(optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5,
                                    last_epoch=-1):
    lr_lambda = partial(
        _get_cosine_schedule_with_warmup_lr_lambda,
        num_warmup_steps=num_warmup_steps,
        num_training_steps=num_training_steps,
        num_cycles=num_cycles,
    )
    return LambdaLR(optimizer, lr_lambda, last_epoch)


class ModelEmaV2(nn.Module):
    def __init__(self, model, decay=0.9999, device=None):
        super(ModelEmaV2, self).__init__()
        # make a copy of the model for accumulating moving average of weights
        self.module = copy.deepcopy(model)
        self.module.eval()
        self.decay = decay
        self.device = device  # perform ema on different device from model if set
        if self.device is not None:
            self.module.to(device=device)

    def _update(self, model, update_fn):
        with torch.no_grad():
            for ema_v, model_v in zip(self.module.state_dict().values(), model.state_dict().values()):
                if self.device is not None:
                    model_v = model_v.to(device=self.device)
                ema_v.copy_(update_fn(ema_v, model_v))

    def update(self, model):
        self._update(model, update_fn=lambda e, m: self.decay * e + (1. - self.decay) * m)

    def set(self, model):
        self._update(model, update_fn=lambda e, m: m)


class Block(nn.Module):
    def __init__(self, d, use_checkpoint):
        super().__init__()
        self.norm = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.drop = nn.Dropout(0.1)
        self.use_checkpoint = use_checkpoint

    def _forward(self, x):
        return x + self.drop(self.fc2(F.gelu(self.fc1(self.norm(x)))))

    def forward(self, x):
        if self.use_checkpoint and self.training:
            return checkpoint(self._forward, x, use_reentrant=False)
        return self._forward(x)


class Net(nn.Module):
    def __init__(self, d=16, depth=3, use_checkpoint=True):
        super().__init__()
        self.embed = nn.Linear(8, d)
        self.bn = nn.BatchNorm1d(d)
        self.blocks = nn.Sequential(*[Block(d, use_checkpoint) for _ in range(depth)])
        self.head = nn.Linear(d, 3)

    def forward(self, x):
        return self.head(self.blocks(self.bn(self.embed(x))))


def param_groups_weight_decay(model, weight_decay=1e-5, no_weight_decay_list=()):
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if param.ndim <= 1 or name.endswith(".bias") or name in no_weight_decay_list:
            no_decay.append(param)
        else:
            decay.append(param)
    return [{'params': no_decay, 'weight_decay': 0.}, {'params': decay, 'weight_decay': weight_decay}]


g = torch.Generator().manual_seed(3)
X = torch.randn(192, 8, generator=g)
Y = (X[:, :3] * torch.tensor([1.0, -2.0, 0.5])).argmax(1)
accum_steps = 4
micro = 8
total_steps = len(X) // (micro * accum_steps) * 3


def make():
    torch.manual_seed(5)
    model = Net()
    opt = torch.optim.AdamW(param_groups_weight_decay(model, 0.05), lr=3e-3, betas=(0.9, 0.95))
    sched = get_cosine_schedule_with_warmup(opt, num_warmup_steps=3, num_training_steps=total_steps)
    return model, opt, sched


def run_epoch(epoch, model, opt, sched, ema, swa):
    model.train()
    opt.zero_grad(set_to_none=True)
    running = 0.0
    for i in range(0, len(X), micro):
        loss = F.cross_entropy(model(X[i:i + micro]), Y[i:i + micro], label_smoothing=0.1) / accum_steps
        loss.backward()
        running += loss.item()
        if (i // micro + 1) % accum_steps == 0:
            norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0, error_if_nonfinite=True)
            torch.nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
            ema.update(model)
            swa.update_parameters(model)
            print(f"ep {epoch} step {sched.last_epoch:2d} loss {running:.4f} norm {norm.item():.4f} "
                  f"lr {sched.get_last_lr()[0]:.6f}")
            running = 0.0


def evaluate(m):
    m.eval()
    with torch.no_grad():
        return round(F.cross_entropy(m(X), Y).item(), 4), round((m(X).argmax(1) == Y).float().mean().item(), 4)


model, opt, sched = make()
print(sched.get_last_lr(), [len(gr["params"]) for gr in opt.param_groups])
ema = ModelEmaV2(model, decay=0.9)
swa = torch.optim.swa_utils.AveragedModel(model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9))
for epoch in range(2):
    run_epoch(epoch, model, opt, sched, ema, swa)
    print(f"epoch {epoch} model {evaluate(model)} ema {evaluate(ema.module)}")
torch.optim.swa_utils.update_bn([(X[i:i + 32],) for i in range(0, len(X), 32)], swa)
print("swa", evaluate(swa.module), int(swa.n_averaged))

# save everything, resume in a fresh model, and check the third epoch is the same either way
buf = io.BytesIO()
torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
            "ema": ema.state_dict(), "swa": swa.state_dict(), "rng": torch.get_rng_state()}, buf)
run_epoch(2, model, opt, sched, ema, swa)
want = evaluate(model)
buf.seek(0)
ck = torch.load(buf)
model2, opt2, sched2 = make()
model2.load_state_dict(ck["model"])
opt2.load_state_dict(ck["opt"])
sched2.load_state_dict(ck["sched"])
ema2 = ModelEmaV2(model2, decay=0.9)
ema2.load_state_dict(ck["ema"])
swa2 = torch.optim.swa_utils.AveragedModel(model2, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(0.9))
swa2.load_state_dict(ck["swa"])
torch.set_rng_state(ck["rng"])
run_epoch(2, model2, opt2, sched2, ema2, swa2)
print("resumed equal:", evaluate(model2) == want, sched2.last_epoch, opt2.param_groups[0]["lr"])

# checkpoint_sequential and the checkpoint warnings / errors users meet
seq = nn.Sequential(*[nn.Sequential(nn.Linear(8, 8), nn.Tanh()) for _ in range(4)])
inp = torch.randn(4, 8, requires_grad=True)
out = checkpoint_sequential(seq, 2, inp, use_reentrant=False)
out.sum().backward()
g1 = inp.grad.clone()
inp.grad = None
seq(inp).sum().backward()
print("checkpoint_sequential grads equal:", torch.allclose(g1, inp.grad))
try:
    checkpoint(seq, inp)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.nn.utils.clip_grad_norm_([nn.Parameter(torch.ones(2))], 1.0)
    p = nn.Parameter(torch.ones(2))
    p.grad = torch.tensor([float("inf"), 1.0])
    torch.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
except RuntimeError as e:
    print(type(e).__name__, e)

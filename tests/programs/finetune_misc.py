"""Imitates a user's fine-tuning script: a "pretrained" backbone saved whole with torch.save(model) and
loaded back with weights_only=False, the backbone frozen with requires_grad_(False) then its last block
unfrozen, parameter groups with their own learning rates and no weight decay on norms/biases,
trunc_normal_ head init, activation checkpointing (torch.utils.checkpoint), interpolate, einsum,
the usual environment calls (set_float32_matmul_precision, cudnn.allow_tf32, cuda.manual_seed_all,
cuda.empty_cache/synchronize, set_num_threads), then half-precision inference.
Written for pyfront's tests; tiny sizes.
"""
import io

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

torch.manual_seed(5)
torch.cuda.manual_seed_all(5)
torch.set_float32_matmul_precision("high")
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.set_num_threads(1)
device = "cuda" if torch.cuda.is_available() else "cpu"
print("threads", torch.get_num_threads())


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
        self.norm = nn.GroupNorm(2, c)

    def forward(self, x):
        return x + F.silu(self.norm(self.conv(x)))


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.blocks = nn.ModuleList([Block(4) for _ in range(2)])
        self.register_buffer("scale", torch.tensor(0.5), persistent=False)

    def forward(self, x, use_ckpt=False):
        x = self.stem(x)
        for blk in self.blocks:
            x = checkpoint(blk, x, use_reentrant=False) if use_ckpt else blk(x)
        return x * self.scale


buf = io.BytesIO()
torch.save(Backbone(), buf)
buf.seek(0)
backbone = torch.load(buf, weights_only=False)
print("loaded", type(backbone).__name__, "state keys", list(backbone.state_dict()))


class Model(nn.Module):
    def __init__(self, backbone, classes=3):
        super().__init__()
        self.backbone = backbone
        self.head = nn.Linear(4, classes)
        nn.init.trunc_normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def forward(self, x, use_ckpt=False):
        f = self.backbone(F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False), use_ckpt)
        pooled = torch.einsum("bchw->bc", f) / (f.shape[-1] * f.shape[-2])
        return self.head(pooled)


model = Model(backbone).to(device)
model.backbone.requires_grad_(False)
for p in model.backbone.blocks[-1].parameters():
    p.requires_grad = True
decay, no_decay = [], []
for name, p in model.named_parameters():
    if not p.requires_grad:
        continue
    (no_decay if p.ndim <= 1 or "norm" in name else decay).append(p)
print("trainable", sum(p.numel() for p in model.parameters() if p.requires_grad),
      "frozen", sum(p.numel() for p in model.parameters() if not p.requires_grad))
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=1e-2)
x = torch.randn(8, 1, 6, 6, device=device)
y = torch.randint(0, 3, (8,), device=device)
for step in range(4):
    out = model(x, use_ckpt=step % 2 == 0)
    loss = F.cross_entropy(out, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.5f} stem grad {model.backbone.stem.weight.grad}"
          f" last-block grad-norm {model.backbone.blocks[-1].conv.weight.grad.norm().item():.5f}")
if torch.cuda.is_available():
    torch.cuda.synchronize()
    torch.cuda.empty_cache()
model.eval()
with torch.no_grad():
    full = model(x)
    half = model.half()(x.half())
print("half dtype", half.dtype, "close to float", torch.allclose(half.float(), full, atol=1e-2))
print("group lrs", [g["lr"] for g in opt.param_groups], "wd", [g["weight_decay"] for g in opt.param_groups])

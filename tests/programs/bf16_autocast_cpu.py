"""Mixed precision on the CPU as the AMP recipe and IPEX/HF Trainer's --bf16 do it: torch.autocast("cpu",
dtype=torch.bfloat16) around the forward, which ops come out bfloat16 and which float32 (linear, conv,
matmul, bmm, baddbmm vs layer_norm, softmax, losses, sum), nested autocast(enabled=False), the
decorator form, master weights staying float32, torch.amp.GradScaler("cpu"), a custom Function under
custom_fwd(cast_inputs=float32), and model.to(torch.bfloat16) pure-bfloat16 inference."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(8, 16)
img = torch.randn(2, 3, 8, 8)
conv = nn.Conv2d(3, 4, 3)
lin = nn.Linear(16, 16)
ln = nn.LayerNorm(16)
with torch.autocast("cpu", dtype=torch.bfloat16):
    rows = {
        "linear": lin(x), "conv2d": conv(img), "matmul": x @ x.t(), "mm": torch.mm(x, x.t()),
        "bmm": torch.bmm(x.view(2, 4, 16), x.view(2, 16, 4)), "baddbmm": torch.baddbmm(torch.zeros(2, 4, 4), x.view(2, 4, 16), x.view(2, 16, 4)),
        "addmm": torch.addmm(torch.zeros(8, 8), x, x.t()), "relu(linear)": F.relu(lin(x)), "layer_norm": ln(lin(x)),
        "softmax": F.softmax(lin(x), -1), "log_softmax": F.log_softmax(lin(x), -1), "gelu": F.gelu(lin(x)),
        "sum": lin(x).sum(), "mean": lin(x).mean(), "add fp32": lin(x) + x, "cat": torch.cat([lin(x), x]),
        "mse_loss": F.mse_loss(lin(x), x), "cross_entropy": F.cross_entropy(lin(x), torch.randint(0, 16, (8,))),
        "batch_norm": F.batch_norm(conv(img), None, None, training=True), "sdpa": F.scaled_dot_product_attention(x.view(1, 1, 8, 16), x.view(1, 1, 8, 16), x.view(1, 1, 8, 16)),
        "einsum": torch.einsum("ij,kj->ik", x, x), "prelu": F.prelu(x, torch.tensor([0.25])), "topk": torch.topk(lin(x), 2).values,
    }
    with torch.autocast("cpu", enabled=False):
        rows["disabled linear"] = lin(x)
        rows["disabled on bf16"] = lin(x.bfloat16().float())
    print("enabled", torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu"), torch.is_autocast_cpu_enabled() if hasattr(torch, "is_autocast_cpu_enabled") else "")
for k, v in rows.items():
    print(f"{k:18s} {v.dtype} {tuple(v.shape)}")
print("after", torch.is_autocast_enabled("cpu"))


@torch.autocast("cpu", dtype=torch.bfloat16)
def decorated(m, t):
    return m(t)


print(decorated(lin, x).dtype, lin.weight.dtype)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.ln, self.fc2 = nn.Linear(16, 32), nn.LayerNorm(32), nn.Linear(32, 4)

    def forward(self, t):
        return self.fc2(F.silu(self.ln(self.fc1(t))))


model = MLP()
opt = torch.optim.AdamW(model.parameters(), lr=3e-3)
scaler = torch.amp.GradScaler("cpu", enabled=True)
y = torch.randint(0, 4, (8,))
for step in range(6):
    opt.zero_grad()
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        out = model(x)
        loss = F.cross_entropy(out, y)
    scaler.scale(loss).backward()
    scaler.unscale_(opt)
    gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    print(step, out.dtype, loss.dtype, f"{loss.item():.2f}", model.fc1.weight.grad.dtype, f"{gn.item():.1f}", scaler.get_scale())


class ScaledDot(torch.autograd.Function):
    @staticmethod
    @torch.amp.custom_fwd(device_type="cpu", cast_inputs=torch.float32)
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return (a * b).sum(-1)

    @staticmethod
    @torch.amp.custom_bwd(device_type="cpu")
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        return g.unsqueeze(-1) * b, g.unsqueeze(-1) * a


a = torch.randn(4, 16, requires_grad=True)
with torch.autocast("cpu", dtype=torch.bfloat16):
    h = lin(a)
    s = ScaledDot.apply(h, h)
print(h.dtype, s.dtype)
s.float().sum().backward()
print(a.grad.dtype, a.grad.shape)
pure = MLP().to(torch.bfloat16).eval()
with torch.inference_mode():
    o = pure(x.bfloat16())
print(o.dtype, o.float().softmax(-1).sum(-1))
print(torch.finfo(torch.bfloat16).eps, torch.finfo(torch.bfloat16).max, torch.tensor(1 / 3, dtype=torch.bfloat16).item())

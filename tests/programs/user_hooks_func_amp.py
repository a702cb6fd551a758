"""autocast on the cpu with bfloat16 and GradScaler patterns; torch.func on a real model; module hooks
and init patterns with named_modules / apply."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, vmap, grad, jacrev, stack_module_state

torch.manual_seed(0)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 3))
        self.norm = nn.LayerNorm(3)

    def forward(self, x):
        return self.norm(self.net(x))


model = MLP()


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        nn.init.zeros_(m.bias)
        print("init", type(m).__name__, tuple(m.weight.shape))


print(model.apply(init_weights) is model)
for name, m in model.named_modules():
    print(repr(name), type(m).__name__)
print([n for n, _ in model.named_parameters(prefix="mlp", recurse=True)])
print([n for n, _ in model.named_children()], len(list(model.modules())))

acts = {}


def save_act(name):
    def hook(mod, inp, out):
        acts[name] = out.detach()
    return hook


handles = [m.register_forward_hook(save_act(n)) for n, m in model.named_modules() if isinstance(m, nn.Linear)]


def pre(mod, args):
    print("pre", type(mod).__name__, args[0].shape)
    return (args[0] * 1.0,)


hp = model.norm.register_forward_pre_hook(pre)
hk = model.register_forward_hook(lambda m, a, kw, o: print("kw hook", sorted(kw)) or o, with_kwargs=True)
gh = []
hb = model.net[0].register_full_backward_hook(lambda m, gi, go: gh.append((gi[0] is None, go[0].shape)))
x = torch.randn(5, 6)
y = model(x)
y.sum().backward()
print(sorted(acts), acts["net.0"].shape, gh)
for h in handles + [hp, hk, hb]:
    h.remove()
model(x)
print(len(model._forward_hooks), len(model.net[0]._backward_hooks))

# autocast on the cpu
with torch.autocast("cpu", dtype=torch.bfloat16):
    out = model(x)
    mm = x @ x.T
    sm = F.softmax(mm, dim=-1)
    ls = F.log_softmax(mm, dim=-1)
    s = mm.sum()
    lin = model.net[0](x)
    print(out.dtype, mm.dtype, sm.dtype, ls.dtype, s.dtype, lin.dtype, torch.is_autocast_enabled("cpu"))
    with torch.autocast("cpu", enabled=False):
        print(model.net[0](x).dtype, torch.get_autocast_dtype("cpu"))
    loss = F.mse_loss(out, torch.zeros(5, 3))
    print(loss.dtype)
print(torch.is_autocast_enabled("cpu"))
loss.backward()
print(model.net[0].weight.grad.dtype)
with torch.autocast(device_type="cpu"):
    print(model.net[0](x).dtype, torch.get_autocast_dtype("cpu"))

scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 4, growth_interval=2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(4):
    opt.zero_grad()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss = model(x).float().pow(2).mean()
    scaler.scale(loss).backward()
    if step == 1:
        model.net[0].weight.grad[0, 0] = float("inf")
    scaler.unscale_(opt)
    gn = nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(opt)
    scaler.update()
    print(step, round(loss.item(), 3), scaler.get_scale(), torch.isfinite(gn).item())
print(sorted(scaler.state_dict().items()))
print(scaler.is_enabled(), torch.amp.GradScaler("cpu", enabled=False).scale(torch.tensor(3.0)))

# torch.func on the model
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = dict(model.named_buffers())


def loss_fn(p, xb, yb):
    out = functional_call(model, (p, buffers), (xb.unsqueeze(0),))
    return F.cross_entropy(out, yb.unsqueeze(0))


xs, ys = torch.randn(4, 6), torch.tensor([0, 2, 1, 0])
per_sample = vmap(grad(loss_fn), in_dims=(None, 0, 0))(params, xs, ys)
print({k: tuple(v.shape) for k, v in per_sample.items()})
full = torch.stack([torch.autograd.grad(loss_fn({k: v.requires_grad_() for k, v in params.items()}, xs[i], ys[i]),
                                        params["net.0.weight"])[0] for i in range(4)])
print(torch.allclose(full, per_sample["net.0.weight"], atol=1e-6))
J = jacrev(lambda inp: functional_call(model, params, (inp,)))(torch.randn(6))
print(J.shape)
models = [MLP() for _ in range(3)]
ps, bs = stack_module_state(models)
print(sorted((k, tuple(v.shape)) for k, v in ps.items())[:2])
base = MLP().to("meta")
ens = vmap(lambda p, b, xb: functional_call(base, (p, b), (xb,)), in_dims=(0, 0, None))(ps, bs, x)
print(ens.shape, torch.allclose(ens[1], models[1](x), atol=1e-6))
out = functional_call(model, {"net.0.bias": torch.ones(16)}, (x,), strict=False)
print(out.shape)
try:
    functional_call(model, {"net.0.bias": torch.ones(16)}, (x,), strict=True)
except RuntimeError as e:
    print(str(e)[:200])

"""Imitates a user's "extending PyTorch" script: custom autograd.Functions in both styles (forward with ctx,
and forward + setup_context so torch.func can use them, with generate_vmap_rule), mark_non_differentiable,
needs_input_grad, once_differentiable, set_materialize_grads, save_for_backward of outputs; then module
hooks (forward pre-hooks with kwargs that rewrite the input, forward hooks, full backward hooks, backward
pre-hooks, global module hooks), Tensor hooks that rewrite gradients, and state_dict hooks."""
import torch
from torch import nn
from torch.autograd import Function
from torch.autograd.function import once_differentiable

torch.manual_seed(0)


class MyExp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, gy):
        y, = ctx.saved_tensors
        return gy * y


class SortWithIdx(Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort(dim=-1)
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return vals, idx

    @staticmethod
    @once_differentiable
    def backward(ctx, gv, gi):
        idx, = ctx.saved_tensors
        return torch.zeros_like(gv).scatter_(-1, idx, gv)


class ScaledMul(Function):
    @staticmethod
    def forward(x, w, scale):
        return x * w * scale

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, w, scale = inputs
        ctx.save_for_backward(x, w)
        ctx.scale = scale

    @staticmethod
    def backward(ctx, g):
        x, w = ctx.saved_tensors
        print("needs_input_grad", ctx.needs_input_grad)
        gx = g * w * ctx.scale if ctx.needs_input_grad[0] else None
        gw = g * x * ctx.scale if ctx.needs_input_grad[1] else None
        return gx, gw, None


class Clip(Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x, lo):
        return x.clamp(min=lo)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, lo = inputs
        ctx.save_for_backward(x >= lo)

    @staticmethod
    def backward(ctx, g):
        mask, = ctx.saved_tensors
        return g * mask, None


class Twice(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        print("Twice got", None if g1 is None else g1.shape, None if g2 is None else g2.shape)
        out = 0
        if g1 is not None:
            out = out + 2 * g1
        if g2 is not None:
            out = out + 3 * g2
        return out


x = torch.randn(3, 4, requires_grad=True)
y = MyExp.apply(x)
print(y.grad_fn.__class__.__name__, torch.autograd.gradcheck(MyExp.apply, (x.double().detach().requires_grad_(),)))
y.sum().backward()
print(torch.allclose(x.grad, x.exp()))
vals, idx = SortWithIdx.apply(x)
print(vals.requires_grad, idx.requires_grad, idx.dtype)
(vals * torch.arange(4.0)).sum().backward()
print(x.grad)
try:
    vals2, _ = SortWithIdx.apply(x)
    g, = torch.autograd.grad(vals2.sum(), x, create_graph=True)
    g.sum().backward()
except RuntimeError as e:
    print("RuntimeError", e)
w = torch.randn(4, requires_grad=True)
z = ScaledMul.apply(x.detach(), w, 0.5)
z.sum().backward()
print(w.grad)
print(torch.func.grad(lambda t: ScaledMul.apply(t, w.detach(), 2.0).sum())(torch.ones(4)))
print(torch.vmap(Clip.apply, in_dims=(0, None))(x.detach(), 0.1))
print(torch.func.jacrev(lambda t: Clip.apply(t, 0.0))(torch.tensor([-1.0, 2.0])))
a, b = Twice.apply(x)
a.sum().backward()
print(x.grad[0])

# --- module hooks
log = []
net = nn.Sequential(nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2))


def pre_hook(mod, args, kwargs):
    log.append(("pre", type(mod).__name__, tuple(args[0].shape), sorted(kwargs)))
    return (args[0] * 2,), kwargs


def fwd_hook(mod, inp, out):
    log.append(("fwd", type(mod).__name__, round(out.sum().item(), 4)))
    return out + 1


def bwd_hook(mod, gin, gout):
    log.append(("bwd", type(mod).__name__, [None if g is None else tuple(g.shape) for g in gin],
                [round(g.abs().sum().item(), 4) for g in gout]))
    return tuple(None if g is None else g * 0.5 for g in gin)


def bwd_pre_hook(mod, gout):
    log.append(("bwd_pre", type(mod).__name__, round(gout[0].sum().item(), 4)))


h1 = net[0].register_forward_pre_hook(pre_hook, with_kwargs=True)
h2 = net[2].register_forward_hook(fwd_hook)
h3 = net[2].register_full_backward_hook(bwd_hook)
h4 = net[0].register_full_backward_pre_hook(bwd_pre_hook)
h5 = net[1].register_forward_hook(lambda m, i, o: log.append(("relu", int((o > 0).sum()))), prepend=True)
inp = torch.randn(3, 4, requires_grad=True)
out = net(inp)
out.sum().backward()
for entry in log:
    print(entry)
print(inp.grad)
for h in (h1, h2, h3, h4, h5):
    h.remove()
log.clear()
gh = nn.modules.module.register_module_forward_hook(lambda m, i, o: log.append(type(m).__name__))
net(inp)
gh.remove()
net(inp)
print(log)

# --- tensor hooks
p = torch.ones(3, requires_grad=True)
hp = p.register_hook(lambda g: g * 10)
q = p * 2
q.register_hook(lambda g: print("q grad", g))
q.retain_grad()
(q ** 2).sum().backward()
print(p.grad, q.grad)
hp.remove()
p.grad = None
(p * 2).sum().backward()
print(p.grad)

# --- state_dict hooks
lin = nn.Linear(2, 2)
lin.register_state_dict_post_hook(lambda mod, sd, prefix, local_metadata: sd.__setitem__(prefix + "extra", torch.ones(1)))
sd = lin.state_dict()
print(sorted(sd))


def load_pre(module, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys, error_msgs):
    state_dict.pop(prefix + "extra", None)


lin.register_load_state_dict_pre_hook(load_pre)
lin.register_load_state_dict_post_hook(lambda mod, keys: print("loaded", keys.missing_keys, keys.unexpected_keys))
print(lin.load_state_dict(sd))

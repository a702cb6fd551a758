"""Custom autograd.Function features a user reaches for after the tutorial: save_for_backward,
mark_dirty, mark_non_differentiable, set_materialize_grads, once_differentiable, double backward,
and torch.utils.checkpoint."""
import torch
from torch.autograd.function import once_differentiable
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2


x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
y = Cube.apply(x)
print(y, y.grad_fn.__class__.__name__)
(gx,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print(gx, gx.requires_grad)
(ggx,) = torch.autograd.grad(gx.sum(), x)
print(ggx)


class AddOneInplace(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g


a = torch.randn(3, requires_grad=True)
b = a.clone()
c = AddOneInplace.apply(b)
print(c is b, c.grad_fn.__class__.__name__)
c.sum().backward()
print(a.grad)


class SortWithIdx(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        vals, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return vals, idx

    @staticmethod
    def backward(ctx, gv, gi):
        (idx,) = ctx.saved_tensors
        out = torch.zeros_like(gv)
        out.index_add_(0, idx, gv)
        return out


x = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
v, i = SortWithIdx.apply(x)
print(v.requires_grad, i.requires_grad, i.dtype)
(v * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print(x.grad)


class TwoOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.set_materialize_grads(False)
        return x * 2, x * 3

    @staticmethod
    @once_differentiable
    def backward(ctx, g1, g2):
        print("grads None:", g1 is None, g2 is None)
        out = torch.zeros(3)
        if g1 is not None:
            out = out + 2 * g1
        if g2 is not None:
            out = out + 3 * g2
        return out


x = torch.ones(3, requires_grad=True)
p, q = TwoOut.apply(x)
p.sum().backward()
print(x.grad)

x = torch.ones(3, requires_grad=True)
p, q = TwoOut.apply(x)
(g,) = torch.autograd.grad(q.sum(), x, create_graph=True)
print(g, g.requires_grad)
try:
    g.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)

# backward twice
x = torch.randn(4, requires_grad=True)
y = (x.exp() * 2).sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e).splitlines()[0])

# checkpoint
lin1, lin2 = torch.nn.Linear(4, 8), torch.nn.Linear(8, 2)


def block(t):
    return lin2(torch.tanh(lin1(t)))


inp = torch.randn(5, 4, requires_grad=True)
out1 = checkpoint(block, inp, use_reentrant=False)
out1.pow(2).sum().backward()
g1 = inp.grad.clone(); w1 = lin1.weight.grad.clone()
inp.grad = None; lin1.zero_grad(); lin2.zero_grad()
block(inp).pow(2).sum().backward()
print(torch.allclose(g1, inp.grad), torch.allclose(w1, lin1.weight.grad))
print(out1.grad_fn is not None)
seq = torch.nn.Sequential(*[torch.nn.Linear(4, 4) for _ in range(4)])
from torch.utils.checkpoint import checkpoint_sequential
o = checkpoint_sequential(seq, 2, inp, use_reentrant=False)
print(o.shape, o.sum().item() == seq(inp).sum().item())

# in-place on leaf
w = torch.ones(2, requires_grad=True)
try:
    w.add_(1)
except RuntimeError as e:
    print("RuntimeError:", e)
with torch.no_grad():
    w.add_(1)
print(w)
try:
    torch.ones(2).backward()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    (w * 2).backward()
except RuntimeError as e:
    print("RuntimeError:", e)

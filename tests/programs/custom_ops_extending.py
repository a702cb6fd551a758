"""PyTorch's "Python custom operators" and "Extending torch.func with autograd.Function" tutorials, as written:
torch.library.custom_op with mutates_args, register_fake, register_autograd with setup_context, the op
reached as torch.ops.mylib.NAME (its .default overload), a mutating op, opcheck-free use inside a model;
autograd.Function in the setup_context style with a vmap staticmethod, generate_vmap_rule=True, a jvp
staticmethod with save_for_forward (forward-mode AD), once_differentiable, and the errors for wrong use."""
import numpy as np
import torch
import torch.nn as nn
from torch import Tensor
from torch.autograd.function import once_differentiable
from torch.func import grad, jacfwd, jacrev, vmap


@torch.library.custom_op("mylib::numpy_sin", mutates_args=())
def numpy_sin(x: Tensor) -> Tensor:
    x_np = x.cpu().numpy()
    y_np = np.sin(x_np)
    return torch.from_numpy(y_np).to(device=x.device)


@numpy_sin.register_fake
def _(x):
    return torch.empty_like(x)


def setup_context(ctx, inputs, output):
    (x,) = inputs
    ctx.save_for_backward(x)


def backward(ctx, grad):
    (x,) = ctx.saved_tensors
    return grad * x.cos()


numpy_sin.register_autograd(backward, setup_context=setup_context)

x = torch.linspace(0, 3, 7, requires_grad=True)
y = numpy_sin(x)
y.sum().backward()
print("custom op", [round(v, 6) for v in y.tolist()], torch.allclose(x.grad, x.detach().cos()))
print("torch.ops:", torch.allclose(torch.ops.mylib.numpy_sin(x.detach()), y.detach()),
      torch.allclose(torch.ops.mylib.numpy_sin.default(x.detach()), y.detach()))


@torch.library.custom_op("mylib::numpy_add_", mutates_args=["x"])
def numpy_add_(x: Tensor, y: Tensor) -> None:
    x_np = x.numpy()
    x_np += y.numpy()


t = torch.ones(3)
numpy_add_(t, torch.arange(3.0))
print("mutated", t.tolist())


@torch.library.custom_op("mylib::scale_rows", mutates_args=())
def scale_rows(x: Tensor, s: Tensor, alpha: float = 1.0) -> Tensor:
    return x * s[:, None] * alpha


@scale_rows.register_fake
def _(x, s, alpha=1.0):
    return x.new_empty(x.shape)


def _scale_setup(ctx, inputs, output):
    x, s, alpha = inputs
    ctx.save_for_backward(x, s)
    ctx.alpha = alpha


def _scale_backward(ctx, g):
    x, s = ctx.saved_tensors
    return g * s[:, None] * ctx.alpha, (g * x).sum(1) * ctx.alpha, None


scale_rows.register_autograd(_scale_backward, setup_context=_scale_setup)


class Scaled(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.s = nn.Parameter(torch.ones(3))

    def forward(self, x):
        return scale_rows(self.lin(x), self.s, 0.5)


torch.manual_seed(0)
m = Scaled()
inp = torch.randn(3, 4)
m(inp).pow(2).sum().backward()
print("in a model", f"{m.s.grad.sum().item():.6f}", f"{m.lin.weight.grad.abs().sum().item():.6f}")


class MySin(torch.autograd.Function):
    @staticmethod
    def forward(x):
        return torch.sin(x)

    @staticmethod
    def setup_context(ctx, inputs, output):
        (x,) = inputs
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * MySin.apply(x + torch.pi / 2)

    @staticmethod
    def jvp(ctx, x_t):
        (x,) = ctx.saved_tensors
        return x_t * torch.cos(x)

    @staticmethod
    def vmap(info, in_dims, x):
        (x_bdim,) = in_dims
        return MySin.apply(x), x_bdim if False else 0 if x_bdim is not None else None


class NumpyTake(torch.autograd.Function):
    generate_vmap_rule = True

    @staticmethod
    def forward(x, ind, ind_inv, dim):
        return torch.take_along_dim(x, ind, dim) if False else x.index_select(dim, ind)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, ind, ind_inv, dim = inputs
        ctx.save_for_backward(ind, ind_inv)
        ctx.dim = dim

    @staticmethod
    def backward(ctx, grad_output):
        ind, ind_inv = ctx.saved_tensors
        return NumpyTake.apply(grad_output, ind_inv, ind, ctx.dim), None, None, None


xs = torch.randn(4, 3)
print("grad of grad", torch.allclose(grad(grad(lambda t: MySin.apply(t)))(torch.tensor(0.3)), -torch.sin(torch.tensor(0.3))))
print("vmap(grad)", torch.allclose(vmap(grad(lambda t: MySin.apply(t)))(xs[:, 0]), torch.cos(xs[:, 0])))
print("jacfwd", torch.allclose(jacfwd(MySin.apply)(xs[0]), torch.diag(torch.cos(xs[0]))),
      "jacrev", torch.allclose(jacrev(MySin.apply)(xs[0]), torch.diag(torch.cos(xs[0]))))
perm = torch.tensor([2, 0, 1])
inv = torch.argsort(perm)
print("generate_vmap_rule", vmap(NumpyTake.apply, in_dims=(0, None, None, None))(xs, perm, inv, 0).shape,
      torch.allclose(jacrev(lambda t: NumpyTake.apply(t, perm, inv, 0))(xs[0]), torch.eye(3)[perm]))

import torch.autograd.forward_ad as fwAD
with fwAD.dual_level():
    dual = fwAD.make_dual(torch.tensor([0.1, 0.2]), torch.tensor([1.0, 2.0]))
    out = MySin.apply(dual)
    print("forward AD", [round(v, 6) for v in fwAD.unpack_dual(out).tangent.tolist()])


class Clamp01(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * ((x > 0) & (x < 1))


z = torch.tensor([-0.5, 0.5, 1.5], requires_grad=True)
gz, = torch.autograd.grad(Clamp01.apply(z).sum() * 2, z, create_graph=True)
print("once_differentiable", gz.tolist(), gz.requires_grad)
try:
    gz.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:95])
try:
    vmap(Clamp01.apply)(torch.randn(2, 3))
except RuntimeError as e:
    print("RuntimeError:", str(e)[:95])
try:
    torch.library.custom_op("mylib::bad", mutates_args=())(lambda x: x)
except Exception as e:
    print(type(e).__name__ + ":", str(e)[:95])

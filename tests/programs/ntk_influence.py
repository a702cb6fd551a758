"""The torch.func tutorials' neural tangent kernel (empirical NTK by jacrev + vmap over functional_call, and
the NTK-vector-product form with vjp and jvp, traces and full kernels), per-sample gradients with
chunk_size, Hessian-vector products three ways (forward-over-reverse jvp(grad), reverse-over-reverse,
torch.autograd.functional.hvp), influence functions with conjugate gradient on H + damping, and the
empirical Fisher diagonal; linearize and grad_and_value with has_aux."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, grad_and_value, hessian, jacrev, jvp, linearize, vjp, vmap

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, (3, 3))
        self.conv2 = nn.Conv2d(4, 4, (3, 3))
        self.fc = nn.Linear(4 * 2 * 2, 3)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        return self.fc(x.flatten(1))


net = CNN()
x_train = torch.randn(5, 1, 6, 6)
x_test = torch.randn(3, 1, 6, 6)
params = {k: v.detach() for k, v in net.named_parameters()}


def fnet_single(params, x):
    return functional_call(net, params, (x.unsqueeze(0),)).squeeze(0)


def empirical_ntk_jacobian_contraction(fnet_single, params, x1, x2, compute="full"):
    jac1 = vmap(jacrev(fnet_single), (None, 0))(params, x1)
    jac1 = jac1.values()
    jac1 = [j.flatten(2) for j in jac1]
    jac2 = vmap(jacrev(fnet_single), (None, 0))(params, x2)
    jac2 = [j.flatten(2) for j in jac2.values()]
    einsum_expr = {"full": "Naf,Mbf->NMab", "trace": "Naf,Maf->NM", "diagonal": "Naf,Maf->NMa"}[compute]
    result = torch.stack([torch.einsum(einsum_expr, j1, j2) for j1, j2 in zip(jac1, jac2)])
    return result.sum(0)


def empirical_ntk_ntk_vps(func, params, x1, x2, compute="full"):
    def get_ntk(x1, x2):
        def func_x1(params):
            return func(params, x1)

        def func_x2(params):
            return func(params, x2)

        output, vjp_fn = vjp(func_x1, params)

        def get_ntk_slice(vec):
            vjps = vjp_fn(vec)
            _, jvps = jvp(func_x2, (params,), vjps)
            return jvps

        basis = torch.eye(output.numel(), dtype=output.dtype, device=output.device).view(output.numel(), -1)
        return vmap(get_ntk_slice)(basis)

    result = vmap(vmap(get_ntk, (None, 0)), (0, None))(x1, x2)
    if compute == "full":
        return result
    if compute == "trace":
        return torch.einsum("NMKK->NM", result)
    if compute == "diagonal":
        return torch.einsum("NMKK->NMK", result)


full = empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test)
print("ntk", full.shape, [round(v, 8) for v in full[0, 0].flatten().tolist()])
vps = empirical_ntk_ntk_vps(fnet_single, params, x_train, x_test)
print("ntk-vps equal:", torch.allclose(full, vps), torch.allclose(
    empirical_ntk_jacobian_contraction(fnet_single, params, x_train, x_test, "trace"),
    empirical_ntk_ntk_vps(fnet_single, params, x_train, x_test, "trace")))

y_train = torch.tensor([0, 2, 1, 1, 0])


def loss_single(params, x, y):
    return F.cross_entropy(fnet_single(params, x).unsqueeze(0), y.unsqueeze(0))


psg = vmap(grad(loss_single), in_dims=(None, 0, 0), chunk_size=2)(params, x_train, y_train)
print("per-sample", {k: tuple(v.shape) for k, v in list(psg.items())[:2]}, f"{psg['fc.weight'].sum().item():.10f}")


def total_loss(params):
    return F.cross_entropy(functional_call(net, params, (x_train,)), y_train)


v = {k: torch.randn_like(p) for k, p in params.items()}
hvp_fwd = jvp(grad(total_loss), (params,), (v,))[1]
_, vjp_fn = vjp(grad(total_loss), params)
hvp_rev = vjp_fn(v)[0]
print("hvp fwd==rev:", all(torch.allclose(hvp_fwd[k], hvp_rev[k]) for k in params))
flat = [p for p in params.values()]


def loss_of_flat(*ps):
    return total_loss(dict(zip(params.keys(), ps)))


_, hv = torch.autograd.functional.hvp(loss_of_flat, tuple(flat), tuple(v.values()))
print("autograd.functional.hvp agrees:", all(torch.allclose(a, b) for a, b in zip(hv, hvp_fwd.values())))

fc_params = {"fc.weight": params["fc.weight"], "fc.bias": params["fc.bias"]}
feats = F.relu(net.conv2(F.relu(net.conv1(x_train)))).flatten(1).detach()


def head_loss(w, b, x, y):
    return F.cross_entropy(x @ w.T + b, y)


H = hessian(head_loss, argnums=0)(fc_params["fc.weight"], fc_params["fc.bias"], feats, y_train)
H = H.reshape(fc_params["fc.weight"].numel(), -1)
print("hessian", H.shape, f"{torch.linalg.eigvalsh(H).max().item():.10f}", torch.allclose(H, H.T))


def cg(Av, b, iters=30, tol=1e-7):
    x = torch.zeros_like(b)
    r = b.clone()
    p = r.clone()
    rs = r @ r
    for i in range(iters):
        Ap = Av(p)
        alpha = rs / (p @ Ap)
        x = x + alpha * p
        r = r - alpha * Ap
        rs_new = r @ r
        if rs_new.sqrt() < tol:
            break
        p = r + (rs_new / rs) * p
        rs = rs_new
    return x, i


damping = 0.01
w0, b0 = fc_params["fc.weight"], fc_params["fc.bias"]
g_test = grad(head_loss)(w0, b0, feats[:1], y_train[:1]).flatten()
Hv = lambda vec: (H @ vec) + damping * vec
s_test, iters = cg(Hv, g_test)
train_grads = vmap(grad(head_loss), in_dims=(None, None, 0, 0))(w0, b0, feats.unsqueeze(1), y_train.unsqueeze(1))
influence = -train_grads.flatten(1) @ s_test
print("influence", [round(v, 8) for v in influence.tolist()], "cg iters", iters)
fisher = (train_grads.flatten(1) ** 2).mean(0)
print(f"fisher diag sum {fisher.sum().item():.10f}")

out, jvp_fn = linearize(lambda w: torch.tanh(feats @ w.T), w0)
print("linearize", torch.allclose(jvp_fn(torch.ones_like(w0)), jvp(lambda w: torch.tanh(feats @ w.T), (w0,), (torch.ones_like(w0),))[1]))
(gw, (val, aux)) = grad_and_value(lambda w: (head_loss(w, b0, feats, y_train), w.norm()), has_aux=True)(w0)
print("grad_and_value", f"{val.item():.10f}", f"{aux.item():.10f}", gw.shape)
ens = [copy.deepcopy(net) for _ in range(3)]
for m in ens[1:]:
    for p in m.parameters():
        p.data.add_(0.01)
stacked, buffers = torch.func.stack_module_state(ens)
base = copy.deepcopy(ens[0]).to("meta")
preds = vmap(lambda p, b, x: functional_call(base, (p, b), (x,)), in_dims=(0, 0, None))(stacked, buffers, x_test)
print("ensemble", preds.shape, f"{preds.std(0).mean().item():.10f}")

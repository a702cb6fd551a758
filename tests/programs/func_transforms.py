"""A user-style torch.func script (the kind torch's tutorials teach): per-sample gradients of a small CNN
with functional_call + vmap + grad checked against a loop of backward passes, a model ensemble through
stack_module_state + vmap, an empirical neural tangent kernel from vmap(jacrev), a Hessian-vector product
by jvp over grad, and a gradient penalty (the gradient of per-sample gradient norms)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, hessian, jacrev, jvp, stack_module_state, vmap

torch.manual_seed(0)


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3)
        self.fc1 = nn.Linear(4 * 5 * 5, 16)
        self.fc2 = nn.Linear(16, 5)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        x = torch.flatten(x, 1)
        return F.log_softmax(self.fc2(F.relu(self.fc1(x))), dim=1)


model = SmallCNN()
data = torch.randn(8, 1, 12, 12)
targets = torch.randint(5, (8,))

# per-sample gradients, the loop way
loop_grads = []
for i in range(data.shape[0]):
    model.zero_grad()
    F.nll_loss(model(data[i:i + 1]), targets[i:i + 1]).backward()
    loop_grads.append([p.grad.clone() for p in model.parameters()])
loop_grads = [torch.stack(g) for g in zip(*loop_grads)]

# per-sample gradients, the torch.func way
params = {k: v.detach() for k, v in model.named_parameters()}
buffers = {k: v.detach() for k, v in model.named_buffers()}


def compute_loss(params, buffers, sample, target):
    predictions = functional_call(model, (params, buffers), (sample.unsqueeze(0),))
    return F.nll_loss(predictions, target.unsqueeze(0))


per_sample = vmap(grad(compute_loss), in_dims=(None, None, 0, 0))(params, buffers, data, targets)
for (name, g), ref in zip(per_sample.items(), loop_grads):
    agrees = torch.allclose(g, ref, atol=1e-5)
    print(f"{name:12s} {tuple(g.shape)} norm {g.norm().item():.5f} agrees {agrees}")

# an ensemble of three models evaluated on one minibatch with a single vmap
models = [SmallCNN() for _ in range(3)]
e_params, e_buffers = stack_module_state(models)
base = models[0]  # the stacked parameters replace its own in every call


def fmodel(p, b, x):
    return functional_call(base, (p, b), (x,))


ensemble_out = vmap(fmodel, in_dims=(0, 0, None))(e_params, e_buffers, data[:4])
print("ensemble", tuple(ensemble_out.shape), [f"{v:.5f}" for v in ensemble_out[:, 0].tolist()[0]])
print("ensemble member 1 matches", torch.allclose(ensemble_out[1], models[1](data[:4]), atol=1e-6))

# empirical NTK of a tiny MLP: J(x1) J(x2)^T contracted over all parameters
mlp = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 2))
mlp_params = {k: v.detach() for k, v in mlp.named_parameters()}


def fnet_single(p, x):
    return functional_call(mlp, p, (x.unsqueeze(0),)).squeeze(0)


x1, x2 = torch.randn(4, 3), torch.randn(5, 3)
jac1 = vmap(jacrev(fnet_single), (None, 0))(mlp_params, x1)
jac2 = vmap(jacrev(fnet_single), (None, 0))(mlp_params, x2)
ntk = sum(torch.einsum("Naf,Mbf->NMab", j1.flatten(2), j2.flatten(2)) for j1, j2 in
          zip(jac1.values(), jac2.values()))
print("ntk", tuple(ntk.shape), f"{ntk.sum().item():.4f}", f"{ntk[0, 0].trace().item():.4f}")


# Hessian-vector product (forward over reverse) against the full Hessian
def rosen(v):
    return ((1 - v[:-1]) ** 2 + 100 * (v[1:] - v[:-1] ** 2) ** 2).sum()


point, direction = torch.randn(4), torch.randn(4)
_, hvp = jvp(grad(rosen), (point,), (direction,))
print("hvp", [f"{v:.3f}" for v in hvp.tolist()], torch.allclose(hvp, hessian(rosen)(point) @ direction,
                                                                  rtol=1e-4))

# a gradient penalty: the gradient of the mean per-sample gradient norm with respect to the weights
w = torch.randn(3, 2, requires_grad=True)
xs = torch.randn(6, 3)
sample_grads = vmap(grad(lambda w_, x: torch.tanh(x @ w_).pow(2).sum()), in_dims=(None, 0))(w, xs)
penalty = sample_grads.flatten(1).norm(dim=1).mean()
penalty.backward()
print("penalty", f"{penalty.item():.5f}", "grad norm", f"{w.grad.norm().item():.5f}")

"""nn.utils.parametrize beyond the tutorial (right_inverse, caching, unsafe, state_dict keys, removal),
the three parametrizations and the old weight_norm/spectral_norm hooks."""
import io
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
from torch.nn.utils import parametrizations as PZ

torch.manual_seed(0)


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(-1, -2)

    def right_inverse(self, A):
        return A.triu()


class Scale(nn.Module):
    def __init__(self, s):
        super().__init__()
        self.s = s

    def forward(self, X):
        return X * self.s


lin = nn.Linear(3, 3)
P.register_parametrization(lin, "weight", Symmetric())
print(P.is_parametrized(lin), P.is_parametrized(lin, "bias"), type(lin).__name__, type(lin).__mro__[1].__name__)
print(torch.equal(lin.weight, lin.weight.T), sorted(lin.state_dict().keys()))
print(lin)
lin.weight = torch.eye(3) * 2
print(lin.parametrizations.weight.original)
P.register_parametrization(lin, "weight", Scale(3.0))
print(lin.weight[0], len(lin.parametrizations.weight))
with P.cached():
    a = lin.weight
    print(a is lin.weight)
print(lin.weight is lin.weight)
lin.weight.sum().backward()
print(lin.parametrizations.weight.original.grad)
P.remove_parametrizations(lin, "weight", leave_parametrized=True)
print(type(lin).__name__, lin.weight, sorted(lin.state_dict().keys()))
try:
    P.remove_parametrizations(lin, "weight")
except ValueError as e:
    print("ValueError:", e)


class Shrink(nn.Module):
    def forward(self, X):
        return X[:2]


lin2 = nn.Linear(3, 3)
try:
    P.register_parametrization(lin2, "weight", Shrink())
except ValueError as e:
    print("ValueError:", str(e).splitlines()[0])
P.register_parametrization(lin2, "weight", Shrink(), unsafe=True)
print(lin2.weight.shape)

# the three built-ins
torch.manual_seed(1)
o = PZ.orthogonal(nn.Linear(4, 4))
W = o.weight
print(torch.allclose(W @ W.T, torch.eye(4), atol=1e-5), sorted(o.state_dict().keys()))
for m in ["matrix_exp", "cayley", "householder"]:
    q = PZ.orthogonal(nn.Linear(5, 3), orthogonal_map=m)
    print(m, q.weight.shape, torch.allclose(q.weight @ q.weight.T, torch.eye(3), atol=1e-5))
o.weight = torch.linalg.qr(torch.randn(4, 4))[0]
print(torch.allclose(o.weight @ o.weight.T, torch.eye(4), atol=1e-5))
sn = PZ.spectral_norm(nn.Linear(6, 4), n_power_iterations=3)
print(sorted(sn.state_dict().keys()))
for _ in range(5):
    sn(torch.randn(2, 6))
print(round(torch.linalg.matrix_norm(sn.weight, 2).item(), 3))
sn.eval()
w1 = sn.weight
print(torch.equal(w1, sn.weight), sn.parametrizations.weight[0].n_power_iterations)
wn = PZ.weight_norm(nn.Linear(4, 2), dim=0)
print(sorted(wn.state_dict().keys()), wn.parametrizations.weight.original0.shape)
print(wn)
wn2 = PZ.weight_norm(nn.Conv1d(2, 3, 3), dim=None)
print(wn2.parametrizations.weight.original0.shape)
old = nn.utils.weight_norm(nn.Linear(4, 2))
print(sorted(old.state_dict().keys()))
nn.utils.remove_weight_norm(old)
print(sorted(old.state_dict().keys()))
try:
    nn.utils.remove_weight_norm(old)
except ValueError as e:
    print("ValueError:", e)
old_sn = nn.utils.spectral_norm(nn.Linear(4, 2))
print(sorted(old_sn.state_dict().keys()))
buf = io.BytesIO()
torch.save(o.state_dict(), buf)
buf.seek(0)
o2 = PZ.orthogonal(nn.Linear(4, 4))
print(o2.load_state_dict(torch.load(buf)), torch.allclose(o2.weight, o.weight))

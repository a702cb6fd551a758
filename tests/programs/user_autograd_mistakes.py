"""Autograd mistakes and their warnings, captured and printed: .grad of a non-leaf, in-place on a saved
tensor, retain_grad, detach/data, requires_grad on ints, grad accumulation, no_grad/inference_mode."""
import warnings
import torch
import torch.nn as nn
from torch.utils.checkpoint import checkpoint

torch.manual_seed(0)


def run(f):
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        try:
            r = f()
            print("ok", r)
        except Exception as e:
            print(type(e).__name__ + ":", str(e).splitlines()[0][:400])
    for w in ws:
        print("  warn", w.category.__name__, str(w.message)[:300])


x = torch.randn(3, requires_grad=True)
y = x * 2
run(lambda: y.grad)
y.retain_grad()
y.sum().backward()
run(lambda: (y.grad, y.is_leaf, x.is_leaf, y.retains_grad))


def inplace_saved():
    a = torch.randn(3, requires_grad=True)
    b = a.sigmoid()
    b.mul_(2)
    b.sum().backward()


run(inplace_saved)


def inplace_saved2():
    a = torch.randn(3, requires_grad=True)
    b = a * 1
    c = b ** 2
    b.add_(1)
    c.sum().backward()


run(inplace_saved2)


def view_inplace():
    a = torch.randn(4, requires_grad=True)
    v = a[:2]
    v.mul_(2)


run(view_inplace)


def leaf_view_inplace():
    a = torch.randn(4, requires_grad=True)
    with torch.no_grad():
        a[:2] = 0
    return a


run(leaf_view_inplace)


def unbind_inplace():
    a = torch.randn(2, 3, requires_grad=True).clone()
    u, _ = a.unbind(0)
    u.mul_(2)


run(unbind_inplace)


def data_trick():
    a = torch.randn(3, requires_grad=True)
    b = a.exp()
    b.data.zero_()
    b.sum().backward()
    return a.grad


run(data_trick)
run(lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(1, requires_grad=True)]))
run(lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(1, requires_grad=True)], allow_unused=True))
run(lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(1, requires_grad=True)], allow_unused=True,
                                materialize_grads=True))
run(lambda: torch.autograd.grad((x * 2).sum(), torch.ones(1)))
run(lambda: torch.autograd.grad(x * 2, x))
run(lambda: torch.autograd.grad(x * 2, x, grad_outputs=torch.ones(2)))
run(lambda: torch.autograd.backward(x * 2, torch.ones(3, dtype=torch.float64)))
run(lambda: (x * 2).backward(torch.ones(3, dtype=torch.float64)) or x.grad)
with torch.inference_mode():
    inf = torch.ones(2)
run(lambda: inf.requires_grad_())
run(lambda: inf.add_(1))
run(lambda: (inf * x[:2]).sum().backward())
with torch.no_grad():
    ng = x * 2
run(lambda: (ng.requires_grad, ng.grad_fn))
run(lambda: ng.sum().backward())
lin = nn.Linear(2, 2)
run(lambda: lin.weight.grad)
out = lin(torch.ones(1, 2)).sum()
out.backward(retain_graph=True)
out.backward()
run(lambda: lin.weight.grad)
run(lambda: torch.ones(2, requires_grad=True).long().requires_grad)
run(lambda: torch.zeros(2, dtype=torch.long, requires_grad=True))
run(lambda: nn.Parameter(torch.ones(2, dtype=torch.long)))
run(lambda: nn.Parameter(torch.ones(2, dtype=torch.long), requires_grad=False))
run(lambda: torch.ones(2, requires_grad=True).detach().requires_grad)
run(lambda: checkpoint(lambda t: t * 2, torch.ones(2, requires_grad=True)))
run(lambda: checkpoint(lambda t: t * 2, torch.ones(2, requires_grad=True), use_reentrant=True))
run(lambda: checkpoint(lambda t: t * 2, torch.ones(2), use_reentrant=True).requires_grad)
run(lambda: torch.tensor(x))
run(lambda: torch.tensor([1.0]).new_tensor(x))
run(lambda: x.resize_(4))
run(lambda: torch.ones(2, requires_grad=True).set_(torch.ones(3)))
run(lambda: torch.ones(4, requires_grad=True).T)
run(lambda: torch.randn(2, 2, 2).T)
run(lambda: torch.ones(3, requires_grad=True).unsqueeze(0).expand(2, 3).add_(1))
run(lambda: nn.functional.softmax(torch.ones(2, 2)))
run(lambda: nn.functional.log_softmax(torch.ones(2, 2)))
run(lambda: nn.functional.sigmoid(torch.ones(1)))
run(lambda: nn.functional.tanh(torch.ones(1)))
run(lambda: torch.nn.utils.clip_grad_norm_([torch.ones(2, requires_grad=True)], 1.0))
run(lambda: torch.nn.utils.clip_grad_norm_(lin.parameters(), float("inf")))
p = nn.Parameter(torch.ones(2))
p.grad = torch.tensor([float("nan"), 1.0])
run(lambda: torch.nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True))
run(lambda: torch.nn.utils.clip_grad_value_([p], 0.5) or p.grad)
run(lambda: setattr(p, "grad", torch.ones(3)))
run(lambda: setattr(p, "grad", torch.ones(2, dtype=torch.float64)))
run(lambda: setattr(p, "grad", [1.0, 2.0]))
run(lambda: nn.MSELoss(size_average=True))
run(lambda: nn.functional.upsample(torch.ones(1, 1, 2), scale_factor=2))
run(lambda: torch.range(0, 3))
run(lambda: torch.ones(2).type(torch.float16).dtype)

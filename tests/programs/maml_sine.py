"""MAML on sine-wave regression as users write it today and as the well-known repositories wrote it:
second-order MAML through torch.func.functional_call with inner updates by torch.autograd.grad(create_graph=True)
(a dict of updated tensors per task), first-order MAML, dragen1860/MAML-Pytorch's Learner (a ParameterList
run through F.linear with explicit weights, its update list comprehension), Reptile (deepcopy, inner SGD,
interpolation of .data), and functorch's maml-omniglot pattern (torch.func.grad of a functional loss, vmapped
over tasks); each meta-trains a few iterations and adapts to a held-out task."""
import copy
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.func import functional_call, grad, vmap

torch.manual_seed(0)


def sample_task():
    amplitude = torch.rand(1).item() * 4.9 + 0.1
    phase = torch.rand(1).item() * math.pi
    return amplitude, phase


def sample_points(task, k):
    amplitude, phase = task
    x = torch.rand(k, 1) * 10 - 5
    return x, amplitude * torch.sin(x - phase)


def make_model():
    return nn.Sequential(nn.Linear(1, 40), nn.ReLU(), nn.Linear(40, 40), nn.ReLU(), nn.Linear(40, 1))


def inner_adapt(model, params, x, y, steps, lr, create_graph):
    for _ in range(steps):
        loss = F.mse_loss(functional_call(model, params, (x,)), y)
        grads = torch.autograd.grad(loss, params.values(), create_graph=create_graph)
        params = {name: p - lr * g for (name, p), g in zip(params.items(), grads)}
    return params


def maml(first_order, iterations=5, tasks_per_batch=4):
    torch.manual_seed(1)
    model = make_model()
    meta_opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for it in range(iterations):
        meta_opt.zero_grad()
        total = 0.0
        for _ in range(tasks_per_batch):
            task = sample_task()
            x_s, y_s = sample_points(task, 10)
            x_q, y_q = sample_points(task, 10)
            params = inner_adapt(model, dict(model.named_parameters()), x_s, y_s, 1, 0.01, not first_order)
            q_loss = F.mse_loss(functional_call(model, params, (x_q,)), y_q) / tasks_per_batch
            q_loss.backward()
            total += q_loss.item()
        meta_opt.step()
        print(f"{'fo-' if first_order else ''}maml it {it}: query loss {total:.5f} "
              f"grad norm {model[0].weight.grad.norm().item():.5f}")
    return model


maml2 = maml(first_order=False)
maml1 = maml(first_order=True)


class Learner(nn.Module):
    """dragen1860/MAML-Pytorch's Learner, for a config of linear and relu layers."""

    def __init__(self, config):
        super(Learner, self).__init__()
        self.config = config
        # this dict contains all tensors needed to be optimized
        self.vars = nn.ParameterList()
        for i, (name, param) in enumerate(self.config):
            if name == 'linear':
                # [ch_out, ch_in]
                w = nn.Parameter(torch.ones(*param))
                torch.nn.init.kaiming_normal_(w)
                self.vars.append(w)
                # [ch_out]
                self.vars.append(nn.Parameter(torch.zeros(param[0])))
            elif name in ['relu']:
                continue
            else:
                raise NotImplementedError

    def extra_repr(self):
        info = ''
        for name, param in self.config:
            if name == 'linear':
                tmp = 'linear:(in:%d, out:%d)' % (param[1], param[0])
                info += tmp + '\n'
            else:
                info += name + '\n'
        return info

    def forward(self, x, vars=None):
        if vars is None:
            vars = self.vars
        idx = 0
        for name, param in self.config:
            if name == 'linear':
                w, b = vars[idx], vars[idx + 1]
                x = F.linear(x, w, b)
                idx += 2
            elif name == 'relu':
                x = F.relu(x, inplace=param[0])
        # make sure variable is used properly
        assert idx == len(vars)
        return x

    def zero_grad(self, vars=None):
        with torch.no_grad():
            if vars is None:
                for p in self.vars:
                    if p.grad is not None:
                        p.grad.zero_()
            else:
                for p in vars:
                    if p.grad is not None:
                        p.grad.zero_()

    def parameters(self):
        return self.vars


config = [('linear', [40, 1]), ('relu', [True]), ('linear', [40, 40]), ('relu', [True]), ('linear', [1, 40])]
torch.manual_seed(2)
net = Learner(config)
print(net)
meta_optim = torch.optim.Adam(net.parameters(), lr=1e-3)
update_lr, update_step = 0.01, 2
for step in range(4):
    losses_q = [0 for _ in range(update_step + 1)]
    for i in range(3):
        task = sample_task()
        x_spt, y_spt = sample_points(task, 10)
        x_qry, y_qry = sample_points(task, 10)
        logits = net(x_spt, vars=None)
        loss = F.mse_loss(logits, y_spt)
        grad_ = torch.autograd.grad(loss, net.parameters())
        fast_weights = list(map(lambda p: p[1] - update_lr * p[0], zip(grad_, net.parameters())))
        with torch.no_grad():
            losses_q[0] += F.mse_loss(net(x_qry, net.parameters()), y_qry)
        for k in range(1, update_step + 1):
            loss = F.mse_loss(net(x_spt, fast_weights), y_spt)
            grad_ = torch.autograd.grad(loss, fast_weights)
            fast_weights = list(map(lambda p: p[1] - update_lr * p[0], zip(grad_, fast_weights)))
            losses_q[k] += F.mse_loss(net(x_qry, fast_weights), y_qry)
    loss_q = losses_q[-1] / 3
    meta_optim.zero_grad()
    loss_q.backward()
    meta_optim.step()
    print('step:', step, '\ttraining loss:', [round(float(l) / 3, 4) for l in losses_q])
net.zero_grad()
print(all(p.grad is None or p.grad.abs().sum() == 0 for p in net.parameters()))

# Reptile
torch.manual_seed(3)
model = make_model()
for it in range(4):
    task = sample_task()
    weights_before = copy.deepcopy(model.state_dict())
    inner = torch.optim.SGD(model.parameters(), lr=0.02)
    for _ in range(3):
        x, y = sample_points(task, 10)
        inner.zero_grad()
        F.mse_loss(model(x), y).backward()
        inner.step()
    weights_after = model.state_dict()
    outerstepsize = 0.1 * (1 - it / 4)
    model.load_state_dict({name: weights_before[name] + (weights_after[name] - weights_before[name]) * outerstepsize
                           for name in weights_before})
    print(f"reptile it {it}: |w0| {model[0].weight.norm().item():.5f}")

# functorch's pattern: per-task adaptation by torch.func.grad, vmapped over a batch of tasks
model = make_model()
params = {k: v.detach() for k, v in model.named_parameters()}


def loss_fn(params, x, y):
    return F.mse_loss(functional_call(model, params, (x,)), y)


def adapt_then_query(params, x_s, y_s, x_q, y_q):
    g = grad(loss_fn)(params, x_s, y_s)
    adapted = {k: params[k] - 0.01 * g[k] for k in params}
    return loss_fn(adapted, x_q, y_q)


tasks = [sample_task() for _ in range(3)]
support = [sample_points(t, 10) for t in tasks]
query = [sample_points(t, 10) for t in tasks]
xs, ys = torch.stack([s[0] for s in support]), torch.stack([s[1] for s in support])
xq, yq = torch.stack([q[0] for q in query]), torch.stack([q[1] for q in query])
batched = vmap(adapt_then_query, in_dims=(None, 0, 0, 0, 0))(params, xs, ys, xq, yq)
looped = torch.stack([adapt_then_query(params, xs[i], ys[i], xq[i], yq[i]) for i in range(3)])
print(batched.shape, torch.allclose(batched, looped), [f"{v:.5f}" for v in batched.tolist()])
meta_grads = grad(lambda p: vmap(adapt_then_query, in_dims=(None, 0, 0, 0, 0))(p, xs, ys, xq, yq).mean())(params)
print(sorted(meta_grads), f"{meta_grads['4.bias'].item():.5f}")

# adapting the meta-trained models to a new task
task = (2.0, 0.5)
x_s, y_s = sample_points(task, 10)
x_t = torch.linspace(-5, 5, 50).unsqueeze(1)
y_t = 2.0 * torch.sin(x_t - 0.5)
for name, m in (("maml", maml2), ("fo-maml", maml1)):
    adapted = inner_adapt(m, dict(m.named_parameters()), x_s, y_s, 5, 0.01, False)
    with torch.no_grad():
        print(name, f"before {F.mse_loss(m(x_t), y_t).item():.5f} "
                    f"after {F.mse_loss(functional_call(m, adapted, (x_t,)), y_t).item():.5f}")

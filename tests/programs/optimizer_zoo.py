"""Every torch.optim optimizer on the same small regression, as optimizer-comparison notebooks run them
(Adafactor, NAdam with momentum_decay and decoupled weight decay, RAdam both ways, Rprop, ASGD with its
averaged ax state, Adamax, Adagrad with lr_decay, Adadelta, RMSprop centered, SGD with maximize=True on the
negated loss, Adam with amsgrad and maximize), their state_dict keys, param-group defaults and reprs;
optimizer hooks (register_step_pre_hook / register_step_post_hook, register_state_dict_pre_hook /
register_state_dict_post_hook, register_load_state_dict_pre_hook / post hook), zero_grad(set_to_none=False),
and the argument errors torch raises."""
import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.randn(64, 5)
true_w = torch.tensor([[1.5], [-2.0], [0.5], [0.0], [3.0]])
y = X @ true_w + 0.1 * torch.randn(64, 1)
init = nn.Linear(5, 1).state_dict()

configs = [
    ("Adafactor", {"lr": 0.05}), ("Adafactor", {"lr": 0.05, "beta2_decay": -0.5, "weight_decay": 0.01}),
    ("NAdam", {"lr": 0.05, "momentum_decay": 0.004}), ("NAdam", {"lr": 0.05, "weight_decay": 0.01, "decoupled_weight_decay": True}),
    ("RAdam", {"lr": 0.05}), ("RAdam", {"lr": 0.05, "weight_decay": 0.01, "decoupled_weight_decay": True}),
    ("Rprop", {"lr": 0.01, "etas": (0.4, 1.3), "step_sizes": (1e-5, 1.0)}), ("ASGD", {"lr": 0.05, "t0": 3, "lambd": 1e-3}),
    ("Adamax", {"lr": 0.05}), ("Adagrad", {"lr": 0.3, "lr_decay": 0.01, "initial_accumulator_value": 0.1}),
    ("Adadelta", {"lr": 1.0, "rho": 0.8}), ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.05, "amsgrad": True, "maximize": True}), ("AdamW", {"lr": 0.05, "amsgrad": True}),
]
for name, kw in configs:
    model = nn.Linear(5, 1)
    model.load_state_dict(init)
    opt = getattr(torch.optim, name)(model.parameters(), **kw)
    losses = []
    for step in range(15):
        opt.zero_grad()
        loss = ((model(X) - y) ** 2).mean()
        (-loss if kw.get("maximize") else loss).backward()
        opt.step()
        losses.append(loss.item())
    state = opt.state_dict()
    print(f"{name:9s} {str(kw)[:60]:60s} {losses[0]:.5f} {losses[4]:.6f} {losses[-1]:.6f}")
    print("   state", sorted(state["state"][0].keys()), sorted(k for k in state["param_groups"][0] if k != "params"))
    if name == "ASGD":
        print("   ax", [round(v, 6) for v in opt.state[model.weight]["ax"].flatten().tolist()], opt.state[model.weight]["eta"].item(), opt.state[model.weight]["mu"].item())
print(repr(torch.optim.Adafactor([nn.Parameter(torch.zeros(2))])))
print(repr(torch.optim.NAdam([nn.Parameter(torch.zeros(2))], lr=0.01)))

# hooks
model = nn.Linear(5, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
calls = []
h1 = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", len(o.state))))
h2 = opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", len(o.state))))


def sd_pre(optimizer):
    calls.append("sd pre")


def sd_post(optimizer, state_dict):
    calls.append("sd post")
    state_dict["note"] = "hello"
    return state_dict


def load_pre(optimizer, state_dict):
    calls.append(("load pre", state_dict.get("note")))
    state_dict = dict(state_dict)
    state_dict.pop("note", None)
    return state_dict


def load_post(optimizer):
    calls.append("load post")


opt.register_state_dict_pre_hook(sd_pre)
opt.register_state_dict_post_hook(sd_post)
opt.register_load_state_dict_pre_hook(load_pre)
opt.register_load_state_dict_post_hook(load_post)
for _ in range(2):
    opt.zero_grad()
    ((model(X) - y) ** 2).mean().backward()
    opt.step()
h1.remove()
opt.step()
sd = opt.state_dict()
print("note", sd.get("note"))
opt.load_state_dict(sd)
print("calls", calls)
opt.zero_grad(set_to_none=False)
print("zeroed", model.weight.grad.abs().sum().item(), model.weight.grad is not None)
opt.zero_grad()
print("set to none", model.weight.grad)


def show(fn):
    try:
        fn()
        print("  ok")
    except Exception as e:
        print(" ", type(e).__name__, str(e).splitlines()[0])


p = [nn.Parameter(torch.zeros(2))]
print("errors")
show(lambda: torch.optim.Adafactor(p, lr=-1))
show(lambda: torch.optim.Adafactor(p, beta2_decay=0.5))
show(lambda: torch.optim.Adafactor(p, eps=(-1.0, 1e-3)))
show(lambda: torch.optim.NAdam(p, momentum_decay=-1))
show(lambda: torch.optim.Rprop(p, etas=(1.5, 1.2)))
show(lambda: torch.optim.ASGD(p, weight_decay=-0.1))
show(lambda: torch.optim.Adagrad(p, lr_decay=-1))
show(lambda: torch.optim.Adadelta(p, rho=1.5))
show(lambda: torch.optim.RMSprop(p, alpha=-1))
show(lambda: torch.optim.SGD(p, lr=0.1, nesterov=True))
show(lambda: torch.optim.Adamax(p, betas=(0.9, 1.0)))
show(lambda: torch.optim.RAdam(p, eps=-1))

"""nn.Module's API past the basics: tied weights, extra_repr, extra state, state_dict hooks, deepcopy,
requires_grad_, zero_grad, named_parameters(remove_duplicate), register_module, train/eval flags."""
import copy
import torch
import torch.nn as nn

torch.manual_seed(0)


class Tied(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(5, 3)
        self.out = nn.Linear(3, 5, bias=False)
        self.out.weight = self.emb.weight
        self.register_buffer("steps", torch.zeros((), dtype=torch.long))
        self.scale = 2.0

    def extra_repr(self):
        return f"scale={self.scale}"

    def get_extra_state(self):
        return {"scale": self.scale}

    def set_extra_state(self, state):
        self.scale = state["scale"]

    def forward(self, i):
        return self.out(self.emb(i)) * self.scale


m = Tied()
print(m)
print([n for n, _ in m.named_parameters()], [n for n, _ in m.named_parameters(remove_duplicate=False)])
print(list(m.state_dict().keys()), m.state_dict()["_extra_state"])
print(len(list(m.parameters())), sum(p.numel() for p in m.parameters()))
m2 = Tied()
m2.scale = 5.0
m2.load_state_dict(m.state_dict())
print(m2.scale, m2.out.weight is m2.emb.weight)
c = copy.deepcopy(m)
print(c.out.weight is c.emb.weight, c.out.weight is m.out.weight, torch.equal(c.out.weight, m.out.weight))
m(torch.tensor([1, 2])).sum().backward()
print(m.emb.weight.grad.abs().sum() > 0, m.out.weight.grad is m.emb.weight.grad)
m.zero_grad()
print(m.emb.weight.grad)
m(torch.tensor([1])).sum().backward()
m.zero_grad(set_to_none=False)
print(m.emb.weight.grad.abs().sum())
m.requires_grad_(False)
print([p.requires_grad for p in m.parameters()])
m.eval()
print(m.training, m.emb.training, m.train().training, m.train(False).out.training)
calls = []
h1 = m.register_state_dict_post_hook(lambda mod, sd, prefix, local_metadata: calls.append(("post", prefix)))
h2 = m.register_load_state_dict_pre_hook(lambda mod, sd, prefix, lm, strict, missing, unexpected, errors: calls.append(("lpre", prefix, strict)))
h3 = m.register_load_state_dict_post_hook(lambda mod, keys: calls.append(("lpost", sorted(keys.missing_keys))))
sd = m.state_dict()
m.load_state_dict(sd)
print(calls)
h1.remove(); h2.remove(); h3.remove()
m.register_module("extra", nn.Tanh())
print(m.extra, list(dict(m.named_children())))
try:
    m.register_module("out", 5)
except TypeError as e:
    print("TypeError:", e)
seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
seq.append(nn.Linear(2, 1))
seq.insert(1, nn.Dropout(0.1))
print(seq, len(seq), seq[-1], seq[1:3])
del seq[1]
print([type(s).__name__ for s in seq])
ml = nn.ModuleList([nn.ReLU()])
ml.extend([nn.Tanh(), nn.Sigmoid()])
ml += [nn.GELU()]
print(ml, ml[1:].__class__.__name__)
md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
md.update({"c": nn.Identity()})
print(list(md.keys()), md.pop("a"), "a" in md)
pl = nn.ParameterList([nn.Parameter(torch.ones(2)), torch.zeros(3)])
pd = nn.ParameterDict({"w": nn.Parameter(torch.ones(1)), "b": torch.zeros(2)})
print(pl, pd)
print(type(pl[1]).__name__, pd["b"].requires_grad)
mm = nn.Linear(2, 2).to(torch.float64)
print(mm.weight.dtype, mm.half().weight.dtype, mm.bfloat16().bias.dtype, mm.type(torch.float32).weight.dtype)
print(nn.Linear(2, 2).to(memory_format=torch.channels_last).weight.is_contiguous())
print(nn.Conv2d(2, 2, 1).to(memory_format=torch.channels_last).weight.is_contiguous(memory_format=torch.channels_last))
try:
    nn.Linear(2, 2).load_state_dict({"weight": torch.ones(2, 2)}, strict=True)
except RuntimeError as e:
    print(e)

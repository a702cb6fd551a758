# pytorch/tutorials recipes_source/recipes/module_load_state_dict_tips.py, code as written (plus prints of
# what it builds), then recipes_source/recipes/swap_tensors.py up to its __torch_dispatch__ subclass (the
# swap_tensors and the optimizer-holding-a-stale-Parameter parts) plus to_empty / the __future__ switch
import torch
from torch import nn

torch.manual_seed(0)

class SomeModule(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linears = nn.ModuleList([nn.Linear(1, 1) for i in range(10)])

    def forward(self, x):
        return self.linears(x)


m = SomeModule()
torch.save(m.state_dict(), 'checkpoint.pth')
state_dict = torch.load('checkpoint.pth', mmap=True)
with torch.device('meta'):
  meta_m = SomeModule()
print(meta_m.linears[0].weight.device, meta_m.linears[0].weight.shape, meta_m.linears[0].weight.is_meta)
print(meta_m.load_state_dict(state_dict, assign=True))
print(meta_m.linears[3].weight, meta_m.linears[3].bias.device)
print(type(meta_m.linears[3].weight).__name__)

state_dict = torch.load('checkpoint.pth')
m = SomeModule()
print(m.load_state_dict(state_dict))
print(list(state_dict.keys())[:4], len(state_dict))
state_dict = torch.load('checkpoint.pth', mmap=True)
print(state_dict['linears.9.bias'])
with torch.device('meta'):
  meta_m = SomeModule()
m.load_state_dict(state_dict)
meta_m.load_state_dict(state_dict, assign=True)
print(sum(p.sum() for p in meta_m.parameters()))
# the meta module does not compute
try:
    meta_m.linears[0](torch.ones(1, 1))
except Exception as e:
    print(type(e).__name__, str(e)[:60])
with torch.device('meta'):
  meta_m = SomeModule()
print(meta_m.linears[0](torch.ones(1, 1, device='meta')).shape)
meta_m.to_empty(device='cpu')
print(meta_m.linears[0].weight.shape, meta_m.linears[0].weight.device)
print(meta_m.load_state_dict(state_dict, strict=False))
print(meta_m.linears[1].weight)

t1 = torch.arange(2)
t2 = torch.arange(3)
print(f"Before swapping, t1: {t1}, t2: {t2}")
torch.utils.swap_tensors(t1, t2)
print(f"After swapping, t1: {t1}, t2: {t2}")

mod = torch.nn.Linear(1, 2, bias=False)
optimizer = torch.optim.SGD(mod.parameters())
print(f"weight in mod: {mod.weight}")
print(f"weight in optimizer: {optimizer.param_groups[0]['params']}")
mod.weight = torch.nn.Parameter(2 * mod.weight)
print(f"weight in mod: {mod.weight}")
print(f"weight in optimizer: {optimizer.param_groups[0]['params']}")

m = nn.Linear(3, 5, dtype=torch.float32)
w_id, b_id = id(m.weight), id(m.bias)
m.double()
print(id(m.weight) == w_id, id(m.bias) == b_id, m.weight.dtype)
torch.__future__.set_swap_module_params_on_conversion(True)
print(torch.__future__.get_swap_module_params_on_conversion())
m = nn.Linear(3, 5, dtype=torch.float32)
opt = torch.optim.SGD(m.parameters(), lr=0.1)
w_id, b_id = id(m.weight), id(m.bias)
m.double()
print(id(m.weight) == w_id, id(m.bias) == b_id, m.weight.dtype, opt.param_groups[0]['params'][0].dtype)
m(torch.ones(2, 3, dtype=torch.float64)).sum().backward()
opt.step()
print(m.weight)
sd = nn.Linear(3, 5).state_dict()
m.load_state_dict(sd)
print(id(m.weight) == w_id, m.weight.dtype, m.bias)
torch.__future__.set_swap_module_params_on_conversion(False)

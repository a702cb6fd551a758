"""What users write around torch.compile and TorchScript in tutorials and repos (pytorch/tutorials'
torch_compile_tutorial, the TorchScript intro, timm's/HF's guards): compile options, compiler.disable,
dynamo's reset and config, jit.script of annotated functions and modules with jit.ignore/unused/export/Final,
jit.trace with check_trace, freeze/optimize_for_inference, is_scripting/is_tracing guards."""
from typing import List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class MLP(nn.Module):
    hidden: torch.jit.Final[int]

    def __init__(self, hidden: int = 16):
        super().__init__()
        self.hidden = hidden
        self.fc1 = nn.Linear(8, hidden)
        self.fc2 = nn.Linear(hidden, 3)
        self.drop = nn.Identity()

    def forward(self, x: torch.Tensor, scale: Optional[float] = None) -> torch.Tensor:
        h = F.gelu(self.fc1(x))
        if scale is not None:
            h = h * scale
        if not torch.jit.is_scripting() and not torch.jit.is_tracing():
            self.debug_hook(h)
        return self.fc2(self.drop(h))

    @torch.jit.ignore
    def debug_hook(self, h):
        self.last_norm = float(h.norm())

    @torch.jit.unused
    def not_scripted(self, x):
        return x.numpy()

    @torch.jit.export
    def embed(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc1(x)


@torch.jit.script
def fused_gelu(x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
    x = x + bias
    return x * 0.5 * (1.0 + torch.erf(x / 1.41421))


@torch.jit.script
def topk_list(x: torch.Tensor, k: int) -> Tuple[torch.Tensor, List[int]]:
    values, idx = torch.topk(x, k)
    out: List[int] = []
    for i in range(k):
        out.append(int(idx[i]))
    return values, out


def loss_fn(model, x, y):
    return F.cross_entropy(model(x), y)


@torch.compiler.disable
def log_stats(t):
    return t.mean().item()


x = torch.randn(32, 8)
y = torch.randint(0, 3, (32,))
model = MLP()
print(model(x).shape, round(model.last_norm, 4))
for kw in ({}, {"mode": "reduce-overhead"}, {"mode": "max-autotune", "fullgraph": True}, {"dynamic": True},
           {"backend": "eager"}, {"backend": "aot_eager"}, {"options": {"triton.cudagraphs": False}},
           {"disable": True}):
    compiled = torch.compile(model, **kw)
    out = compiled(x)
    print(kw, out.shape, f"{out.sum().item():.4f}")
cm = torch.compile(model)
print(callable(cm), cm.fc1 is model.fc1)
step = torch.compile(loss_fn)
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for i in range(5):
    opt.zero_grad()
    loss = step(model, x, y)
    loss.backward()
    opt.step()
    print(i, f"{loss.item():.5f}", f"{log_stats(model.fc1.weight):.5f}")
torch._dynamo.reset()
torch._dynamo.config.suppress_errors = True
print(torch.compiler.is_compiling(), torch._dynamo.is_compiling())

b = torch.randn(8)
print(fused_gelu(torch.randn(4, 8), b).shape, type(fused_gelu).__name__ in ("ScriptFunction", "function"))
v, idx = topk_list(torch.tensor([3.0, 1.0, 4.0, 1.0, 5.0]), 3)
print(v, idx)
scripted = torch.jit.script(model)
print(scripted(x).shape, scripted.embed(x).shape, scripted.hidden)
traced = torch.jit.trace(model, (x,), check_trace=True)
print(torch.allclose(traced(x), model(x)), traced(x[:4]).shape)
model.eval()
frozen = torch.jit.freeze(torch.jit.script(model))
print(torch.allclose(frozen(x), model(x)))
opt_inf = torch.jit.optimize_for_inference(torch.jit.script(model))
print(torch.allclose(opt_inf(x), model(x)))
with torch.jit.optimized_execution(True):
    print(scripted(x).shape)
print(torch.jit.annotate(List[int], []), torch.jit.isinstance([1, 2], List[int]))
traced_fn = torch.jit.trace(lambda a, b: a * b + 1, (torch.ones(2), torch.ones(2)))
print(traced_fn(torch.tensor([2.0, 3.0]), torch.tensor([4.0, 5.0])))

import warnings
from typing import Dict
warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
print(issubclass(torch.jit.TracerWarning, Warning), issubclass(torch.jit.Error, Exception))
print(torch.jit.isinstance([1, 2], List[int]), torch.jit.isinstance({"a": x}, Dict[str, torch.Tensor]),
      torch.jit.isinstance((1, "a"), Tuple[int, int]), torch.jit.isinstance(None, Optional[int]))
with torch.jit.fuser("fuser1"):
    print(scripted(x).shape)
print(torch.jit.set_fusion_strategy([("STATIC", 2)]), torch.jit.set_fusion_strategy([("DYNAMIC", 5)]))


class Counter(torch.jit.ScriptModule):
    def __init__(self):
        super().__init__()
        self.count = torch.jit.Attribute(0, int)
        self.names = torch.jit.Attribute({}, Dict[str, int])

    @torch.jit.script_method
    def forward(self, x):
        self.count += 1
        return x + self.count


c = Counter()
print(c(torch.zeros(2)), c(torch.zeros(2)), c.count, c.names)


@torch.jit.script_if_tracing
def pad_to(x: torch.Tensor, n: int) -> torch.Tensor:
    return F.pad(x, (0, n - x.shape[-1]))


print(pad_to(torch.ones(3), 5))
torch.compiler.set_stance("force_eager")
print(torch.compile(model)(x).shape)
torch.compiler.set_stance("default")
with torch.compiler.set_stance("eager_on_recompile"):
    print(torch.compiler.is_compiling(), torch.compiler.is_exporting())
torch._dynamo.mark_static_address(x)
print(torch._dynamo.is_dynamo_supported(), torch.compiler.allow_in_graph(log_stats) is log_stats)
torch.compiler.cudagraph_mark_step_begin()

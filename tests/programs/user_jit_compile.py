"""torch.jit.script / trace and torch.compile as users first try them (pyfront runs both eagerly; it writes\nno TorchScript archive, so no jit.save here)."""
import io
import torch
import torch.nn as nn

torch.manual_seed(0)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.fc(x))


net = Net().eval()
x = torch.randn(2, 4)
traced = torch.jit.trace(net, x, check_trace=False)
scripted = torch.jit.script(net)
print(torch.allclose(traced(x), net(x)), torch.allclose(scripted(x), net(x)))
print(type(scripted).__name__ in ("RecursiveScriptModule", "ScriptModule"))


@torch.jit.script
def gelu_ish(t: torch.Tensor, k: float = 1.702) -> torch.Tensor:
    return t * torch.sigmoid(k * t)


print(gelu_ish(torch.tensor([0.0, 1.0])))
compiled = torch.compile(net)
print(torch.allclose(compiled(x), net(x)))


@torch.compile(mode="reduce-overhead", fullgraph=False)
def f(a, b):
    return (a * b).sum(-1)


print(f(torch.ones(2, 3), torch.full((2, 3), 2.0)))
opt_mod = torch.compile(nn.Sequential(nn.Linear(4, 4), nn.ReLU()), backend="eager")
print(opt_mod(x).shape)
print(torch.compiler.is_compiling(), torch._dynamo.is_compiling() if hasattr(torch, "_dynamo") else None)
torch._dynamo.reset()
print(torch.jit.is_scripting(), torch.jit.is_tracing())

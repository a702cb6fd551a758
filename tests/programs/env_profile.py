"""What training scripts print about their environment before they start (timm's, detectron2's
collect_env-style headers, pytorch/benchmark's), then a short loop under torch.profiler with record_function,
key_averages() and tqdm-style postfixes of tensors."""
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.profiler import ProfilerActivity, profile, record_function

print("version is a str:", isinstance(torch.__version__, str))
print("cuda available:", torch.cuda.is_available(), "| mps:", torch.backends.mps.is_available())
print("mkl:", type(torch.backends.mkl.is_available()).__name__, "| mkldnn:", type(torch.backends.mkldnn.is_available()).__name__,
      "| openmp:", type(torch.backends.openmp.is_available()).__name__)
print("mkldnn enabled:", torch.backends.mkldnn.enabled, "| cudnn enabled:", torch.backends.cudnn.enabled)
cfg = torch.__config__.show()
print("config is str:", isinstance(cfg, str), cfg.splitlines()[0])
info = torch.__config__.parallel_info()
print("parallel_info first line:", info.splitlines()[0])
print("threads:", torch.get_num_threads() >= 1, torch.get_num_interop_threads() >= 1)
print("cpu capability:", type(torch.backends.cpu.get_cpu_capability()).__name__)
print("opt_einsum:", type(torch.backends.opt_einsum.is_available()).__name__)
torch.backends.mkldnn.enabled = False
with torch.backends.mkldnn.flags(enabled=True):
    print("inside flags:", torch.backends.mkldnn.enabled)
print("after flags:", torch.backends.mkldnn.enabled)
torch.backends.mkldnn.enabled = True
print(torch.backends.mkl.verbose(torch.backends.mkl.VERBOSE_OFF) is not None)
print("float32 matmul precision:", torch.get_float32_matmul_precision())
torch.set_float32_matmul_precision("high")
print("float32 matmul precision:", torch.get_float32_matmul_precision())
print("deterministic:", torch.are_deterministic_algorithms_enabled())

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
x = torch.randn(64, 16)
y = torch.randint(0, 4, (64,))

with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as prof:
    for step in range(5):
        with record_function("forward"):
            out = model(x)
            loss = F.cross_entropy(out, y)
        with record_function("backward"):
            opt.zero_grad()
            loss.backward()
        opt.step()
        acc = (out.argmax(1) == y).float().mean()
        postfix = {"loss": f"{loss.item():.4f}", "acc": f"{acc:.3f}"}
        print(f"step {step}: {postfix} {loss:.4f} {loss.detach()!s:>10}")

names = {e.key for e in prof.key_averages()}
print("forward" in names, "backward" in names)
table = prof.key_averages().table(sort_by="cpu_time_total", row_limit=5)
print(isinstance(table, str), "Name" in table)
ev = [e for e in prof.key_averages() if e.key == "forward"][0]
print(ev.count, ev.cpu_time_total >= 0)
t0 = time.perf_counter()
print(torch.get_num_threads() > 0)

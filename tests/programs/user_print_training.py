"""What a user prints while training: f-strings of tensors, optimizers, schedulers, return types,
grad_fn names, Parameters, printoptions corners."""
import torch
import torch.nn as nn

torch.manual_seed(0)
loss = torch.tensor(0.123456789)
print(f"{loss:.4f} {loss.item():.3e} {loss} {torch.tensor(3):>5} {torch.tensor(2.5):g}")
print("{:.2f}".format(torch.tensor([1.5]).sum()), format(torch.tensor(7), "03d"))
try:
    print(f"{torch.tensor([1.0, 2.0]):.2f}")
except TypeError as e:
    print("TypeError:", e)
print(f"{torch.tensor([1.0, 2.0])}", str(torch.tensor(1.0)), repr(torch.tensor(1, dtype=torch.uint8)))
x = torch.randn(3, 4, requires_grad=True)
for op in [lambda t: t.sum(), lambda t: t.mean(0), lambda t: t.max(), lambda t: t.max(1)[0], lambda t: t[0],
           lambda t: t.T, lambda t: t.view(12), lambda t: t.reshape(2, 6), lambda t: t.relu(), lambda t: t.sigmoid(),
           lambda t: t @ t.T, lambda t: t.exp().log(), lambda t: t.softmax(-1), lambda t: torch.cat([t, t]),
           lambda t: t.unsqueeze(0).expand(2, 3, 4), lambda t: t.clone(), lambda t: t.abs(), lambda t: t.pow(2),
           lambda t: t * 2, lambda t: t / 3, lambda t: 1 - t, lambda t: t.norm(), lambda t: t.std(), lambda t: t.var(1),
           lambda t: t[:, 1:3], lambda t: t[[0, 2]], lambda t: t.masked_fill(t > 0, 0), lambda t: t.flatten(),
           lambda t: t.permute(1, 0), lambda t: t.squeeze(), lambda t: torch.where(t > 0, t, 0.0), lambda t: t.clamp(0, 1),
           lambda t: t.tanh(), lambda t: t.cumsum(1), lambda t: t.split(2, 1)[1], lambda t: t.chunk(2)[0],
           lambda t: t.unbind(0)[1], lambda t: t.float(), lambda t: t.double(), lambda t: t.to(torch.float16),
           lambda t: nn.functional.dropout(t, 0.5, training=False), lambda t: t.contiguous(), lambda t: t.narrow(1, 0, 2),
           lambda t: t.logsumexp(1), lambda t: t.topk(2)[0], lambda t: t.sort(1)[0], lambda t: t.gather(1, torch.zeros(3, 1, dtype=torch.long)),
           lambda t: t.detach().requires_grad_(), lambda t: t.sqrt(), lambda t: t.amax(1), lambda t: t.prod(),
           lambda t: torch.stack([t, t]), lambda t: t.repeat(2, 1), lambda t: t.flip(0), lambda t: t.roll(1),
           lambda t: nn.functional.linear(t, torch.ones(2, 4)), lambda t: nn.functional.layer_norm(t, (4,)),
           lambda t: nn.functional.cross_entropy(t, torch.tensor([0, 1, 2])), lambda t: nn.functional.mse_loss(t, torch.zeros(3, 4))]:
    r = op(x)
    print(type(r.grad_fn).__name__ if r.grad_fn is not None else None, end=" ")
print()
print(x.max(1))
print(torch.sort(torch.tensor([3, 1, 2])))
print(torch.topk(torch.tensor([3.0, 1.0, 2.0]), 2))
print(torch.linalg.eigh(torch.eye(2)))
r = torch.min(torch.tensor([[1, 5], [0, 7]]), dim=0)
print(type(r).__name__, r.values, r.indices, r[0], len(r))
print(torch.aminmax(torch.tensor([1.0, 9.0])), torch.std_mean(torch.tensor([1.0, 3.0])))
p = nn.Parameter(torch.ones(2))
print(p, repr(p), p * 1)
print(nn.Parameter(torch.ones(2, dtype=torch.float16), requires_grad=False))
lin = nn.Linear(2, 2)
opt = torch.optim.AdamW(lin.parameters(), lr=1e-3, weight_decay=0.01)
print(opt)
print(torch.optim.SGD([{"params": [lin.weight]}, {"params": [lin.bias], "lr": 0.1}], lr=0.01, momentum=0.9, nesterov=True))
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
print(sched.state_dict())
print(sched.get_last_lr(), opt.param_groups[0]["lr"])
for _ in range(3):
    opt.step()
    sched.step()
print(sched.get_last_lr(), sched.last_epoch)
print(torch.float32, torch.int64, repr(torch.bfloat16), torch.Size([2, 3]), torch.device("cpu"), repr(torch.device("cpu", 0)))
print(torch.finfo(torch.float16), torch.iinfo(torch.int8))
print(torch.finfo(torch.bfloat16).eps, torch.finfo().tiny, torch.iinfo(torch.uint8).max)
torch.set_printoptions(precision=3, sci_mode=False)
print(torch.tensor([1e-5, 1e5, 3.14159]))
print(torch.tensor([1 + 1e-5j, 2.5 - 1e5j]))
torch.set_printoptions(precision=6)
print(torch.tensor([1 / 3], dtype=torch.float64), torch.tensor([1 / 3], dtype=torch.float16), torch.tensor([1 / 3], dtype=torch.bfloat16))
torch.set_printoptions()
print(torch.tensor([65504.0, -65504.0, 6e-8], dtype=torch.float16))
print(torch.tensor([1e300, 1e-300], dtype=torch.float64))
print(torch.tensor([[0.0, -0.0], [1e-10, 100]]))
print(torch.tensor([123456789012, -5]), torch.tensor([255, 0], dtype=torch.uint8), torch.tensor([-128], dtype=torch.int8))
print(torch.tensor([1.0, 2.0]).to(torch.complex64) * 1j)
print(torch.tensor([float("nan")], dtype=torch.complex64), torch.tensor([complex(float("inf"), 1)]))
print(torch.empty(0, dtype=torch.int64), torch.empty(2, 0, dtype=torch.bool), torch.ones(1, 1, 1, dtype=torch.bfloat16))
print(torch.arange(6).reshape(1, 2, 3).float().requires_grad_(), torch.zeros(2, dtype=torch.float16).requires_grad_())
print(torch.tensor([True]).sum(), torch.tensor([1, 2], dtype=torch.int32).sum(), torch.tensor([1, 2], dtype=torch.int8).sum().dtype)
print(torch.tensor(5).shape, torch.tensor([5]).size(0), torch.zeros(2, 3).size(), torch.zeros(2, 3).stride(), torch.zeros(2, 3).dim())

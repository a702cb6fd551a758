// The playground's examples, in the order one learns PyTorch: each runs as-is with pyfront.
export const EXAMPLES = [
  ["1. Tensors", `import pyfront as torch

device = torch.accelerator.current_accelerator() or "cpu"
x = torch.arange(12.0, device=device).reshape(3, 4)
print(x)
print(x.shape, x.dtype, x.device)
print(x.T @ x)                 # matrix product on the GPU
print(x[x > 5])                # boolean mask
print(x.sum(dim=1), x.mean().item())
`],
  ["2. Autograd", `import pyfront as torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = (x ** 2 + 3 * x).sum()
y.backward()
print("dy/dx =", x.grad)          # 2x + 3

# torch.autograd.grad, and a second derivative
x = torch.tensor(2.0, requires_grad=True)
f = x ** 3
(df,) = torch.autograd.grad(f, x, create_graph=True)
(d2f,) = torch.autograd.grad(df, x)
print("f'(2) =", df.item(), " f''(2) =", d2f.item())
`],
  ["3. A Module", `import pyfront as torch
from pyfront import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 3)

    def forward(self, x):
        return self.out(torch.relu(self.hidden(x)))

model = Net()
print(model)
for name, p in model.named_parameters():
    print(name, tuple(p.shape), p.numel(), p.requires_grad)
print(model(torch.randn(2, 4)))
`],
  ["4. Dataset and DataLoader", `import pyfront as torch
from pyfront.utils.data import DataLoader, Dataset

class Squares(Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        return torch.tensor([float(i)]), torch.tensor([float(i * i)])

loader = DataLoader(Squares(), batch_size=4, shuffle=True, drop_last=False)
for xb, yb in loader:
    print(xb.shape, yb.view(-1).tolist())
`],
  ["5. Training loop", `import pyfront as torch
from pyfront import nn

torch.manual_seed(0)
x = torch.linspace(-3, 3, 200).unsqueeze(1)
y = torch.sin(x) + 0.1 * torch.randn(200, 1)
model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
loss_fn = nn.MSELoss()
for epoch in range(200):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 40 == 0:
        print(f"epoch {epoch:3d}  loss {loss.item():.4f}")
print("final loss", loss.item())
`],
  ["6. save and load", `import io
import pyfront as torch
from pyfront import nn

model = nn.Linear(3, 2)
buffer = io.BytesIO()
torch.save(model.state_dict(), buffer)          # PyTorch's own checkpoint format
print(len(buffer.getvalue()), "bytes")
buffer.seek(0)
clone = nn.Linear(3, 2)
print(clone.load_state_dict(torch.load(buffer)))
print(torch.equal(clone.weight, model.weight))
`],
];

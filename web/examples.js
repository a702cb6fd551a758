// The playground's examples, in the order one learns PyTorch. Each is plain PyTorch code: in this page
// `import torch` gives pyfront. `explain` is shown beside the code.
export const EXAMPLES = [
  {
    title: "1. Tensors",
    explain: `A tensor is an n-dimensional array with a shape, a dtype and a device. Operations build new
      tensors; views such as <code>.T</code> and <code>reshape</code> share memory. Here the device is
      the GPU through WebGPU when the browser has one.`,
    code: `import torch

device = torch.accelerator.current_accelerator() or "cpu"
x = torch.arange(12.0, device=device).reshape(3, 4)
print(x)
print(x.shape, x.dtype, x.device)
print(x.T @ x)                 # matrix product on the GPU
print(x[x > 5])                # boolean mask
print(x.sum(dim=1), x.mean().item())
`,
  },
  {
    title: "2. Autograd",
    explain: `Tensors created with <code>requires_grad=True</code> record what is computed from them.
      <code>L.backward()</code> fills <code>w.grad</code>; <code>torch.autograd.grad(L, w)</code> returns the
      gradient instead, and with <code>create_graph=True</code> you can differentiate again.`,
    code: `import torch

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
L = (w ** 2 + 3 * w).sum()
(g,) = torch.autograd.grad(L, w, retain_graph=True)
print("dL/dw =", g)                # 2w + 3
L.backward()
print("w.grad =", w.grad)          # the same, accumulated into .grad

x = torch.tensor(2.0, requires_grad=True)
(df,) = torch.autograd.grad(x ** 3, x, create_graph=True)
(d2f,) = torch.autograd.grad(df, x)
print("f'(2) =", df.item(), " f''(2) =", d2f.item())
`,
  },
  {
    title: "3. A Module",
    explain: `A model is a class derived from <code>nn.Module</code>: layers assigned in <code>__init__</code>
      become its parameters, <code>forward</code> says how they connect. <code>print(model)</code> shows the
      layers exactly as PyTorch prints them.`,
    code: `import torch
from torch import nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(4, 16)
        self.out = nn.Linear(16, 3)

    def forward(self, x):
        return self.out(F.relu(self.hidden(x)))

model = Net()
print(model)
for name, p in model.named_parameters():
    print(name, tuple(p.shape), p.requires_grad)
print(model(torch.randn(2, 4)).shape)
`,
  },
  {
    title: "4. Sequential",
    explain: `When layers simply follow one another, <code>nn.Sequential</code> saves writing a class. Its
      layers are numbered, and indexing it gives them back, so you can inspect or reuse a part of a model.`,
    code: `import torch
from torch import nn

model = nn.Sequential(
    nn.Flatten(),
    nn.Linear(8 * 8, 32),
    nn.ReLU(),
    nn.Linear(32, 10),
)
print(model)
print(model[1].weight.shape)
x = torch.rand(5, 1, 8, 8)
print(model(x).softmax(dim=1).sum(dim=1))  # each row sums to 1
`,
  },
  {
    title: "5. Dataset and DataLoader",
    explain: `A <code>Dataset</code> says how many samples there are and how to get one; a
      <code>DataLoader</code> batches them. <code>shuffle=True</code> draws a new order every epoch;
      <code>drop_last=True</code> leaves out the last, smaller batch.`,
    code: `import torch
from torch.utils.data import DataLoader, Dataset

class Squares(Dataset):
    def __len__(self):
        return 10

    def __getitem__(self, i):
        return torch.tensor([float(i)]), torch.tensor([float(i * i)])

torch.manual_seed(0)
loader = DataLoader(Squares(), batch_size=4, shuffle=True, drop_last=True)
for epoch in range(2):
    for xb, yb in loader:
        print(epoch, xb.shape, yb.view(-1).tolist())
`,
  },
  {
    title: "6. A training loop",
    explain: `Training repeats four steps: the model's prediction, the loss, <code>backward()</code> for the
      gradients, <code>optimizer.step()</code> to update. Here a small network learns a sine curve on the GPU;
      the loss is recorded every 20 steps and drawn as a bar graph.`,
    code: `import torch
from torch import nn

device = torch.accelerator.current_accelerator() or "cpu"
torch.manual_seed(0)
x = torch.linspace(-3, 3, 200, device=device).unsqueeze(1)
y = torch.sin(x) + 0.1 * torch.randn(200, 1, device=device)
model = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 1)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
loss_fn = nn.MSELoss()
losses = []
for step in range(120):
    loss = loss_fn(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 20 == 0:
        losses.append(loss.item())
for i, value in enumerate(losses):  # the loss, graphed
    print(f"step {20 * i:3d}  {value:.4f}  " + "#" * round(60 * value / losses[0]))
`,
  },
  {
    title: "7. save and load",
    explain: `<code>torch.save</code> writes PyTorch's own checkpoint format: the file you download above
      loads in PyTorch with <code>torch.load</code>, and a state_dict saved by PyTorch loads here.
      <code>load_state_dict</code> reports missing and unexpected keys.`,
    code: `import io
import torch
from torch import nn

model = nn.Linear(3, 2)
buffer = io.BytesIO()
torch.save(model.state_dict(), buffer)
print(len(buffer.getvalue()), "bytes")
buffer.seek(0)
clone = nn.Linear(3, 2)
print(clone.load_state_dict(torch.load(buffer, weights_only=True)))
print(torch.equal(clone.weight, model.weight))
`,
  },
  {
    title: "8. Devices",
    explain: `Every tensor lives on a device: <code>cpu</code>, or <code>webgpu</code> (the GPU, through the
      browser). <code>.to(device)</code> moves tensors and models; an operation needs its inputs on one
      device, and says so otherwise.`,
    code: `import torch
from torch import nn

print("accelerator:", torch.accelerator.current_accelerator())
device = torch.accelerator.current_accelerator() or torch.device("cpu")
model = nn.Linear(4, 2).to(device)
x = torch.randn(3, 4).to(device)
print(model(x).device, next(model.parameters()).device)
print(model(x).cpu())
`,
  },
];

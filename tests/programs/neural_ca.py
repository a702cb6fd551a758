"""Growing Neural Cellular Automata (Mordvintsev et al., distill.pub 2020) as its PyTorch ports write it: a
depthwise perception by fixed identity / Sobel filters (F.conv2d with groups and circular padding), a 1x1
update network whose last layer starts at zero, stochastic per-cell updates (a rand mask), the alive mask by
max_pool2d on the alpha channel, a sample pool with the worst sample re-seeded, and a few training steps
toward a small target pattern; device-agnostic (cuda where available)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
torch.manual_seed(0)
CHANNEL_N, SIZE, POOL, BATCH = 8, 12, 16, 4


def to_rgba(x):
    return x[:, :4]


def alive_mask(x):
    return F.max_pool2d(x[:, 3:4], kernel_size=3, stride=1, padding=1) > 0.1


class CAModel(nn.Module):
    def __init__(self, channel_n, fire_rate, hidden_size=32):
        super().__init__()
        self.channel_n, self.fire_rate = channel_n, fire_rate
        self.fc0 = nn.Conv2d(channel_n * 3, hidden_size, 1)
        self.fc1 = nn.Conv2d(hidden_size, channel_n, 1, bias=False)
        with torch.no_grad():
            self.fc1.weight.zero_()
        ident = torch.tensor([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
        sobel_x = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8.0
        kernel = torch.stack([ident, sobel_x, sobel_x.T])  # (3, 3, 3)
        self.register_buffer("kernel", kernel.repeat(channel_n, 1, 1).unsqueeze(1))

    def perceive(self, x):
        return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="circular"), self.kernel, groups=self.channel_n)

    def update(self, x, fire_rate):
        pre_life_mask = alive_mask(x)
        dx = self.fc1(F.relu(self.fc0(self.perceive(x))))
        stochastic = torch.rand(x.shape[0], 1, x.shape[2], x.shape[3], device=x.device) <= fire_rate
        x = x + dx * stochastic.float()
        post_life_mask = alive_mask(x)
        life_mask = (pre_life_mask & post_life_mask).float()
        return x * life_mask

    def forward(self, x, steps, fire_rate=None):
        for _ in range(steps):
            x = self.update(x, self.fire_rate if fire_rate is None else fire_rate)
        return x


target = torch.zeros(4, SIZE, SIZE)
yy, xx = torch.meshgrid(torch.arange(SIZE), torch.arange(SIZE), indexing="ij")
disk = ((yy - SIZE / 2 + 0.5) ** 2 + (xx - SIZE / 2 + 0.5) ** 2) < (SIZE / 3) ** 2
target[0][disk] = 1.0
target[1][disk & (yy < SIZE // 2)] = 0.5
target[3][disk] = 1.0
target = target.unsqueeze(0).to(device)

seed = torch.zeros(CHANNEL_N, SIZE, SIZE)
seed[3:, SIZE // 2, SIZE // 2] = 1.0
pool = seed.unsqueeze(0).repeat(POOL, 1, 1, 1).to(device)

ca = CAModel(CHANNEL_N, fire_rate=0.5).to(device)
print("kernel", tuple(ca.kernel.shape), ca.kernel.device.type == device.type, sum(p.numel() for p in ca.parameters()))
optimizer = torch.optim.Adam(ca.parameters(), lr=2e-3, betas=(0.5, 0.5))
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, 0.99)
for step in range(6):
    batch_idx = torch.randperm(POOL)[:BATCH]
    x0 = pool[batch_idx]
    with torch.no_grad():
        loss_rank = F.mse_loss(to_rgba(x0), target.expand(BATCH, -1, -1, -1), reduction="none").mean((1, 2, 3)).argsort(descending=True)
    x0 = x0[loss_rank]
    x0[:1] = seed.to(device)
    n_steps = int(torch.randint(8, 12, (1,)).item())
    x = ca(x0, n_steps)
    loss = F.mse_loss(to_rgba(x), target.expand(BATCH, -1, -1, -1))
    optimizer.zero_grad()
    loss.backward()
    for p in ca.parameters():
        p.grad.data = p.grad.data / (p.grad.data.norm() + 1e-8)
    optimizer.step()
    scheduler.step()
    pool[batch_idx] = x.detach()
    print(f"step {step} steps {n_steps} loss {loss.item():.6f} alive {alive_mask(x).float().mean().item():.4f}")
with torch.no_grad():
    grown = ca(seed.unsqueeze(0).to(device), 10)
print("grown", tuple(grown.shape), f"{to_rgba(grown).clamp(0, 1).mean().item():.6f}", grown.device.type == device.type)

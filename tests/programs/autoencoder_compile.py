"""Imitates a user's autoencoder script in the style of the common "MNIST autoencoder" tutorials, with
the PyTorch 2 habit of wrapping the model in torch.compile (and a compiled loss function): an MLP
encoder/decoder, MSE reconstruction, Adam, a StepLR, torch.manual_seed, deterministic-algorithm and
cudnn flags set as reproducibility guides advise, model.eval() + torch.no_grad() evaluation.
Written for pyfront's tests; synthetic low-rank 64-pixel "images", tiny sizes.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=4)
parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
args = parser.parse_args()
device = torch.device(args.device)

torch.manual_seed(0)
torch.use_deterministic_algorithms(True)
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = False
print("deterministic", torch.are_deterministic_algorithms_enabled(), torch.backends.cudnn.deterministic)


class AutoEncoder(nn.Module):
    def __init__(self, d=64, code=4):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d, 32), nn.ReLU(True), nn.Linear(32, code))
        self.decoder = nn.Sequential(nn.Linear(code, 32), nn.ReLU(True), nn.Linear(32, d), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


basis = torch.rand(4, 64)
train = torch.sigmoid(torch.randn(128, 4) @ basis - 1)
test = torch.sigmoid(torch.randn(32, 4) @ basis - 1)

model = AutoEncoder().to(device)
compiled = torch.compile(model)
print(type(compiled(train[:2].to(device))).__name__, compiled(train[:2].to(device)).shape)


@torch.compile(fullgraph=True)
def loss_fn(recon, x):
    return F.mse_loss(recon, x)


opt = torch.optim.Adam(compiled.parameters(), lr=3e-3)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
for epoch in range(args.epochs):
    compiled.train()
    for xb in train.to(device).split(32):
        loss = loss_fn(compiled(xb), xb)
        opt.zero_grad()
        loss.backward()
        opt.step()
    sched.step()
    compiled.eval()
    with torch.no_grad():
        test_loss = loss_fn(compiled(test.to(device)), test.to(device)).item()
    print(f"epoch {epoch} lr {sched.get_last_lr()[0]:.5f} train {loss.item():.5f} test {test_loss:.5f}"
          f" training {model.training}")

with torch.no_grad():
    codes = model.encoder(test.to(device))
print("code std", [round(v, 4) for v in codes.std(0).tolist()])
print("grad enabled after no_grad", torch.is_grad_enabled())

"""Fit a small regression MLP: the shape of countless tutorial scripts."""
import argparse
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.fc1 = nn.Linear(2, hidden)
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def main():
    parser = argparse.ArgumentParser(description="toy regression")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()
    print("argv", sys.argv[1:], __name__)

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    x = torch.linspace(-1, 1, 64).reshape(32, 2)
    y = (x[:, :1] * 3 - x[:, 1:] ** 2).sin()
    loader = DataLoader(TensorDataset(x, y), batch_size=args.batch_size, shuffle=False)

    model = Net(16)
    with torch.no_grad():  # a fixed start, so every run prints the same numbers
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape).roll(i))
    model = model.to(device)
    print(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    criterion = nn.MSELoss()
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * xb.size(0)
        print(f"epoch {epoch} loss {total / len(loader.dataset):.5f}")
    model.eval()
    with torch.no_grad():
        pred = model(x.to(device)).cpu()
    print("pred", [round(v, 4) for v in pred[:4, 0].tolist()])
    print("on", next(model.parameters()).device.type)


if __name__ == "__main__":
    main()

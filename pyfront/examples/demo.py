"""The demo: fit a small neural network to a noisy curve with nothing but tensors and autograd.

Run with ``bash dev.sh demo`` (or ``python -m pyfront.examples.demo``). Written exactly as one
would write it with ``import torch``: only the import line differs.
"""
from __future__ import annotations

import argparse
import math
import time

import pyfront as torch


def make_data(n: int):
    x = torch.linspace(-3, 3, n).unsqueeze(1)
    y = torch.sin(x) * 2 + 0.5 * x + 0.1 * torch.randn(n, 1)
    return x, y


def init_params(hidden: int):
    def layer(fan_in, fan_out):
        bound = 1 / math.sqrt(fan_in)
        w = (torch.rand(fan_in, fan_out) * 2 - 1) * bound
        b = (torch.rand(fan_out) * 2 - 1) * bound
        return w.requires_grad_(), b.requires_grad_()
    return [*layer(1, hidden), *layer(hidden, hidden), *layer(hidden, 1)]


def forward(params, x):
    w1, b1, w2, b2, w3, b3 = params
    h = torch.tanh(x @ w1 + b1)
    h = torch.tanh(h @ w2 + b2)
    return h @ w3 + b3


def main(argv=None) -> float:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--lr", type=float, default=0.05)
    args = parser.parse_args(argv)

    torch.manual_seed(0)
    x, y = make_data(256)
    params = init_params(32)
    velocity = [torch.zeros_like(p) for p in params]
    print(f"fitting y = 2 sin(x) + x/2 + noise with a 1-32-32-1 tanh network on {x.device}")
    start = time.perf_counter()
    for step in range(args.steps + 1):
        loss = ((forward(params, x) - y) ** 2).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():  # SGD with momentum, by hand
            for p, v in zip(params, velocity):
                v.mul_(0.9).add_(p.grad)
                p.sub_(args.lr * v)
        if step % (args.steps // 10 or 1) == 0:
            print(f"step {step:5d}  loss {loss.item():.5f}")
    elapsed = time.perf_counter() - start
    final = loss.item()
    print(f"done: final mean squared error {final:.5f} (noise floor 0.01), "
          f"{args.steps / elapsed:.0f} steps/s")
    return final


if __name__ == "__main__":
    main()

"""The hot paths import nothing per call: a function-level ``from ... import`` costs about a microsecond
each time (a package's runs importlib's Python), so a training step, a view or a reshape, backward and the
optimizers' steps bind their modules once. Checked by counting ``__import__`` calls after a warm-up."""
import builtins

import pyfront as torch


def _step(model, opts, x, y):
    for o in opts:
        o.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    for o in opts:
        o.step()
    a = x.view(-1).reshape(4, 8).t().contiguous()
    return a.sum(0).mean()


def test_a_training_step_imports_nothing():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.ReLU(), torch.nn.Linear(16, 4))
    opts = [torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9), torch.optim.Adam(model.parameters())]
    x, y = torch.randn(4, 8), torch.randint(0, 4, (4,))
    for _ in range(3):  # warm-up: plans, caches and first-use imports
        _step(model, opts, x, y)
    seen = []
    real = builtins.__import__

    def counting(name, globals=None, locals=None, fromlist=(), level=0):
        seen.append((name, fromlist, level))
        return real(name, globals, locals, fromlist, level)

    builtins.__import__ = counting  # (not monkeypatch: its setattr imports a module itself)
    try:
        _step(model, opts, x, y)
    finally:
        builtins.__import__ = real
    assert seen == []

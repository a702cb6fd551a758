"""torch.nn.modules.module.register_module_*: hooks that every module runs (before its own of the same
kind), and hooks on every registration of a parameter, buffer or child module, which may replace it. Each
case runs the same script on torch and on pyfront and compares what the hooks saw, in order."""
import warnings

import pytest
import torch

import pyfront


def _forward_backward(lib):
    log = []
    mm = lib.nn.modules.module
    net = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
    with lib.no_grad():  # the same weights in both libraries (their generators differ)
        for p in net.parameters():
            p.copy_(lib.linspace(-0.5, 0.6, p.numel()).view_as(p))
    net[0].register_forward_pre_hook(lambda m, a: log.append(("own pre", type(m).__name__)))
    net[2].register_forward_hook(lambda m, a, o: log.append(("own fwd", type(m).__name__)))
    net[2].register_full_backward_hook(lambda m, gi, go: log.append(("own bwd", type(m).__name__)))
    handles = [
        mm.register_module_forward_pre_hook(
            lambda m, a: (log.append(("pre", type(m).__name__)), (a[0] * 2,))[1]),
        mm.register_module_forward_hook(lambda m, a, k, o: (log.append(("fwd", type(m).__name__, sorted(k))),
                                                            o + 1)[1], with_kwargs=True),
        mm.register_module_full_backward_pre_hook(lambda m, go: log.append(("bwd pre", type(m).__name__))),
        mm.register_module_full_backward_hook(
            lambda m, gi, go: log.append(("bwd", type(m).__name__, [g is None for g in gi]))),
    ]
    x = lib.ones(2, 3, requires_grad=True)
    try:
        out = net(x)
        out.sum().backward()
    finally:
        for h in handles:
            h.remove()
    log.append(("out", [round(v, 4) for v in out.flatten().tolist()],
                [round(v, 4) for v in x.grad.flatten().tolist()]))
    net(x)  # removed: only the modules' own hooks run
    log.append("removed")
    return log


def _registration(lib):
    log = []
    mm = lib.nn.modules.module
    handles = [
        mm.register_module_parameter_registration_hook(
            lambda m, n, p: log.append(("param", type(m).__name__, n, tuple(p.shape)))),
        mm.register_module_buffer_registration_hook(
            lambda m, n, b: (log.append(("buffer", type(m).__name__, n)), b * 0 + 7)[1]),
        mm.register_module_module_registration_hook(
            lambda m, n, c: (log.append(("module", type(m).__name__, n, type(c).__name__)),
                             lib.nn.Tanh() if isinstance(c, lib.nn.ReLU) else None)[1]),
    ]
    try:
        net = lib.nn.Sequential(lib.nn.Linear(2, 2, bias=False), lib.nn.ReLU())
        bn = lib.nn.BatchNorm1d(2)
        net.add_module("bn", bn)
        net.extra = lib.nn.ReLU()
        net.register_buffer("scale", lib.ones(2))
        net.w = lib.nn.Parameter(lib.zeros(3))
        net.register_parameter("none", None)
    finally:
        for h in handles:
            h.remove()
    log.append((type(net[1]).__name__, type(net.extra).__name__, net.scale.tolist(),
                bn.running_mean.tolist()))
    net.register_buffer("later", lib.ones(1))
    log.append(net.later.tolist())
    return log


@pytest.mark.parametrize("case", [_forward_backward, _registration])
def test_global_module_hooks_as_torch(case):
    assert case(pyfront) == case(torch)


def test_global_hooks_public_names():
    names = [n for n in dir(torch.nn.modules.module)
             if n.startswith("register_module_") and n != "register_module_backward_hook"]  # (non-full: none)
    assert names and all(callable(getattr(pyfront.nn.modules.module, n, None)) for n in names)


def _hooks_added_in_forward(lib):
    """Hooks registered while a module runs: torch decides whether a module runs its hooks before its
    forward (with none then, none runs in that call), so a forward hook a forward adds first fires on the
    next call, and one added to a module that already has a hook fires in the same call."""
    log = []

    class Adds(lib.nn.Module):
        def forward(self, x):
            if not self._forward_hooks:
                self.register_forward_hook(lambda m, a, o: log.append(("fwd", len(log))))
            return x * 2

    for with_pre in (False, True):
        m = Adds()
        if with_pre:
            m.register_forward_pre_hook(lambda m, a: log.append(("pre", len(log))))
        for _ in range(2):
            m(lib.ones(2))
            log.append("call")
    return log


def test_hooks_added_in_forward_as_torch():
    assert _hooks_added_in_forward(pyfront) == _hooks_added_in_forward(torch)


def _always_call_log(T, case):
    nn, log = T.nn, []

    class Bad(nn.Module):
        def forward(self, x):
            log.append("forward")
            raise ValueError("boom")

    class Good(nn.Module):
        def forward(self, x):
            log.append("forward")
            return x * 2

    def hook(tag, fail=False):
        def run(module, args, *rest):
            log.append((tag, [v.tolist() if hasattr(v, "tolist") else type(v).__name__ for v in rest]))
            if fail:
                raise KeyError(tag)
        return run

    def failing_pre(module, args):
        raise RuntimeError("pre fails")

    glob = nn.modules.module.register_module_forward_hook

    def always(m, tag="always", fail=False):
        return m.register_forward_hook(hook(tag, fail), always_call=True)

    setups = [
        (Bad, lambda m: [always(m), m.register_forward_hook(hook("plain"))]),
        (Bad, lambda m: [m.register_forward_hook(hook("kw"), always_call=True, with_kwargs=True)]),
        (Bad, lambda m: [always(m, "always_fail", fail=True)]),
        (Good, lambda m: [m.register_forward_hook(hook("first_fail", fail=True)), always(m)]),
        (Good, lambda m: [always(m), m.register_forward_hook(hook("then_fail", fail=True))]),
        (Bad, lambda m: [glob(hook("global"), always_call=True), always(m)]),
        (Bad, lambda m: [glob(hook("global_fail", fail=True), always_call=True)]),
        (Good, lambda m: [m.register_forward_pre_hook(failing_pre), always(m)]),
    ]
    cls, setup = setups[case]
    module = cls()
    handles = setup(module)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            log.append(("result", module(T.ones(1)).tolist()))
        except Exception as e:  # noqa: BLE001 (its type and words are compared)
            log.append((type(e).__name__, str(e)))
    for h in handles:
        h.remove()
    return log + [str(w.message) for w in caught]


@pytest.mark.parametrize("case", range(8))
def test_always_call_forward_hooks_run_when_forward_raises(case):
    """A forward hook registered with always_call=True runs (global ones first, each once) when a pre-hook,
    forward or another hook raises, with the result so far; one that raises then is silenced with torch's
    warning and the first error goes on."""
    assert _always_call_log(pyfront, case) == _always_call_log(torch, case)

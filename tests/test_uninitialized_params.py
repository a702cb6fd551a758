"""Uninitialized parameters and buffers (a lazy module's before its first forward) act as torch's
UninitializedParameter/UninitializedBuffer. Every row below runs one action on each lazy layer's
uninitialized tensors, in pyfront (cpu and webgpu) and in torch, and compares the outcome: the kind of
result, or the error's type and message. torch names, inside its message, the function its
__torch_function__ intercepted; pyfront names a method as torch does and an operator or function by its
own name, so that part is compared for methods only. Then what a module does with them: print,
state_dict, load_state_dict (which materializes), deepcopy, conversions, optimizers."""
import copy
import re

import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
LAZY = {  # every lazy layer pyfront has, with an input of its rank
    "LazyLinear": lambda nn: nn.LazyLinear(3),
    "LazyConv1d": lambda nn: nn.LazyConv1d(2, 3),
    "LazyConv2d": lambda nn: nn.LazyConv2d(2, 3),
    "LazyConv3d": lambda nn: nn.LazyConv3d(2, 1),
    "LazyConvTranspose1d": lambda nn: nn.LazyConvTranspose1d(2, 3),
    "LazyConvTranspose2d": lambda nn: nn.LazyConvTranspose2d(2, 3),
    "LazyConvTranspose3d": lambda nn: nn.LazyConvTranspose3d(2, 1),
    "LazyBatchNorm1d": lambda nn: nn.LazyBatchNorm1d(),
    "LazyBatchNorm2d": lambda nn: nn.LazyBatchNorm2d(),
    "LazyBatchNorm3d": lambda nn: nn.LazyBatchNorm3d(),
    "LazyInstanceNorm1d": lambda nn: nn.LazyInstanceNorm1d(affine=True, track_running_stats=True),
    "LazyInstanceNorm2d": lambda nn: nn.LazyInstanceNorm2d(affine=True, track_running_stats=True),
    "LazyInstanceNorm3d": lambda nn: nn.LazyInstanceNorm3d(affine=True, track_running_stats=True),
}
INPUTS = {"Linear": (2, 4), "1d": (2, 3, 5), "2d": (2, 3, 5, 5), "3d": (2, 3, 3, 3, 3)}

# (name, action on L (the library) and t (an uninitialized tensor)); torch refuses all but a few
ACTIONS = {
    # properties and the methods torch lets through
    "dtype": lambda L, t: t.dtype,
    "device": lambda L, t: t.device.type,
    "requires_grad": lambda L, t: t.requires_grad,
    "is_leaf": lambda L, t: t.is_leaf,
    "grad": lambda L, t: t.grad,
    "ndim": lambda L, t: t.ndim,
    "nbytes": lambda L, t: t.nbytes,
    "size()": lambda L, t: tuple(t.size()),
    "size(0)": lambda L, t: t.size(0),
    "is_floating_point": lambda L, t: t.is_floating_point(),
    "is_complex": lambda L, t: t.is_complex(),
    "get_device": lambda L, t: t.get_device(),
    "repr": lambda L, t: repr(t),
    "str": lambda L, t: str(t),
    "hash": lambda L, t: hash(t) == hash(t),
    "data": lambda L, t: (type(t.data).__name__, tuple(t.data.size())),
    "float()": lambda L, t: repr(t.float()),
    "to(same dtype)": lambda L, t: repr(t.to(t.dtype)),
    "to(int64)": lambda L, t: (type(t.to(L.int64)).__name__, t.to(L.int64).dtype == L.int64),
    "half()": lambda L, t: (type(t.half()).__name__, t.half().dtype == L.float16),
    "int()": lambda L, t: (type(t.int()).__name__, t.int().dtype == L.int32),
    "callable(t.sum)": lambda L, t: callable(t.sum),
    # the shape
    "shape": lambda L, t: t.shape,
    # methods
    "add(1)": lambda L, t: t.add(1),
    "sum()": lambda L, t: t.sum(),
    "numel()": lambda L, t: t.numel(),
    "dim()": lambda L, t: t.dim(),
    "view(-1)": lambda L, t: t.view(-1),
    "tolist()": lambda L, t: t.tolist(),
    "detach()": lambda L, t: t.detach(),
    "clone()": lambda L, t: t.clone(),
    "zero_()": lambda L, t: t.zero_(),
    "fill_(1)": lambda L, t: t.fill_(1),
    "uniform_()": lambda L, t: t.uniform_(),
    "item()": lambda L, t: t.item(),
    "stride()": lambda L, t: t.stride(),
    "is_contiguous()": lambda L, t: t.is_contiguous(),
    "data_ptr()": lambda L, t: t.data_ptr(),
    "element_size()": lambda L, t: t.element_size(),
    "new_empty(2)": lambda L, t: t.new_empty(2),
    "retain_grad()": lambda L, t: t.retain_grad(),
    "requires_grad_()": lambda L, t: t.requires_grad_(False),
    "numpy()": lambda L, t: t.numpy(),
    "untyped_storage()": lambda L, t: t.untyped_storage(),
    "register_hook": lambda L, t: t.register_hook(abs),
    "share_memory_()": lambda L, t: t.share_memory_(),
    # operators and functions (torch's message names its own function: compared without it)
    "t + 1": lambda L, t: t + 1,
    "1 + t": lambda L, t: 1 + t,
    "t * t": lambda L, t: t * t,
    "-t": lambda L, t: -t,
    "t @ t": lambda L, t: t @ t,
    "t == t": lambda L, t: t == t,
    "t[0]": lambda L, t: t[0],
    "len(t)": lambda L, t: len(t),
    "bool(t)": lambda L, t: bool(t),
    "float(t)": lambda L, t: float(t),
    "abs(t)": lambda L, t: abs(t),
    "list(t)": lambda L, t: list(t),
    "format(t)": lambda L, t: format(t),
    "L.add(t, 1)": lambda L, t: L.add(t, 1),
    "L.exp(t)": lambda L, t: L.exp(t),
    "L.cat([t, t])": lambda L, t: L.cat([t, t]),
    "init.uniform_": lambda L, t: L.nn.init.uniform_(t),
    "init.kaiming_uniform_": lambda L, t: L.nn.init.kaiming_uniform_(t),
    "F.relu": lambda L, t: L.nn.functional.relu(t),
}
_FUNC = re.compile(r"^(Attempted to use an uninitialized parameter in ).*?(\. This error happens)")


def _outcome(fn, exact_func):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        text = re.sub(r" at 0x[0-9a-f]+", "", torch_text(e))
        return type(e).__name__, text if exact_func else _FUNC.sub(r"\1...\2", text)
    if isinstance(r, (torch.Tensor, pyfront.Tensor)):  # torch.Size and the like compare as plain values
        return "tensor", repr(r)
    return "value", repr(tuple(r) if isinstance(r, (torch.Size, pyfront.Size)) else r)


def _uninitialized(module):
    return [(n, t) for n, t in (*module.named_parameters(), *module.named_buffers())
            if type(t).__name__.startswith("Uninitialized")]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("action", ACTIONS)
def test_uninitialized_tensor_action_as_torch(action, device):
    fn = ACTIONS[action]
    exact_func = action.endswith(")") and not action.startswith(("L.", "init"))  # a method: named as torch's
    for make in LAZY.values():  # each layer's parameters and buffers
        t_mod, p_mod = make(torch.nn), make(pyfront.nn).to(device)
        t_uninit, p_uninit = _uninitialized(t_mod), _uninitialized(p_mod)
        assert [n for n, _ in p_uninit] == [n for n, _ in t_uninit]
        for (name, p), (_, t) in zip(p_uninit, t_uninit):
            got = _outcome(lambda p=p: fn(pyfront, p), exact_func)
            if action in ("device", "get_device") and device != "cpu":  # torch's answer is cpu's
                assert got == ("value", repr(device if action == "device" else 0))
                continue
            expected = _outcome(lambda t=t: fn(torch, t), exact_func)
            assert got == expected, f"{type(t_mod).__name__}.{name}"


def test_names_exported_as_torch():
    for name in ("UninitializedParameter", "UninitializedBuffer", "UninitializedTensorMixin", "is_lazy"):
        assert getattr(pyfront.nn.parameter, name).__module__ == "pyfront.nn.parameter"
    assert pyfront.nn.UninitializedParameter is pyfront.nn.parameter.UninitializedParameter
    assert pyfront.nn.UninitializedBuffer is pyfront.nn.parameter.UninitializedBuffer
    for L in (torch, pyfront):
        P = L.nn.parameter
        assert repr(P.UninitializedParameter(requires_grad=False)) == "<UninitializedParameter>"
        assert P.UninitializedParameter(dtype=L.float64).dtype == L.float64
        assert not P.UninitializedBuffer().requires_grad
        assert P.is_lazy(P.UninitializedBuffer()) and not P.is_lazy(L.zeros(1))
        w = P.UninitializedParameter()
        w.materialize((2, 3), dtype=L.float64)
        assert type(w) is L.nn.Parameter and tuple(w.shape) == (2, 3) and w.dtype == L.float64


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", LAZY)
def test_lazy_module_as_torch(name, device):
    make = LAZY[name]
    t_mod, p_mod = make(torch.nn), make(pyfront.nn).to(device)
    assert repr(p_mod) == repr(t_mod)
    assert p_mod.has_uninitialized_params() and t_mod.has_uninitialized_params()

    def entries(sd):
        return [(k, repr(v) if "Uninitialized" in type(v).__name__ else type(v).__name__)
                for k, v in sd.items()]
    assert entries(p_mod.state_dict()) == entries(t_mod.state_dict())
    # deepcopy: torch copies uninitialized parameters, and refuses an uninitialized buffer
    expected = _outcome(lambda: copy.deepcopy(t_mod), False)
    if expected[0] == "ValueError":
        assert _outcome(lambda: copy.deepcopy(p_mod), False) == expected
    else:
        c = copy.deepcopy(p_mod)
        assert repr(c) == repr(p_mod) and c.has_uninitialized_params()
        assert all(type(a) is type(b) and a is not b for a, b in zip(c.parameters(), p_mod.parameters()))
    # conversions keep them uninitialized, the dtype changed
    for m, L in ((p_mod, pyfront), (t_mod, torch)):
        m.half()
        assert all(repr(t) == f"<{type(t).__name__}>" and t.dtype == L.float16 for _, t in _uninitialized(m))
        m.float()
    # requires_grad_ on the module is refused, as torch's
    assert (_outcome(lambda: p_mod.requires_grad_(False), True)
            == _outcome(lambda: t_mod.requires_grad_(False), True))
    # an optimizer made now holds the parameters the forward materializes
    opt = pyfront.optim.SGD(p_mod.parameters(), lr=0.1) if list(p_mod.parameters()) else None
    # load_state_dict materializes them; the module stays lazy until its forward
    shape = INPUTS[name[-2:] if name[-2:] in INPUTS else "Linear"]
    x = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    source = make(torch.nn)
    source(torch.tensor(x))
    state = source.state_dict()
    result = p_mod.load_state_dict({k: pyfront.tensor(v.numpy(), device=device) for k, v in state.items()})
    assert str(result) == str(t_mod.load_state_dict(state))
    assert type(p_mod).__name__ == type(t_mod).__name__ == name and repr(p_mod) == repr(t_mod)
    assert not p_mod.has_uninitialized_params()
    # its forward: torch's result, or torch's error (an instance norm keeps num_features=0 from its init)
    try:
        t_out = t_mod(torch.tensor(x))
    except ValueError as e:
        assert _outcome(lambda: p_mod(pyfront.tensor(x, device=device)), True) == ("ValueError", str(e))
        return
    p_out = p_mod(pyfront.tensor(x, device=device))
    assert type(p_mod).__name__ == type(t_mod).__name__ and repr(p_mod) == repr(t_mod)
    np.testing.assert_allclose(p_out.detach().cpu().numpy(), t_out.detach().numpy(), rtol=1e-4, atol=1e-5)
    if opt is not None:
        assert all(any(p is q for q in opt.param_groups[0]["params"]) for p in p_mod.parameters())


def test_load_state_dict_between_lazy_and_initialized_as_torch():
    def run(L):
        outcomes = []
        lazy_state = L.nn.LazyLinear(3).state_dict()
        outcomes.append(_outcome(lambda: L.nn.Linear(4, 3).load_state_dict(lazy_state), True))
        outcomes.append(_outcome(lambda: str(L.nn.LazyLinear(3).load_state_dict(lazy_state)), True))
        outcomes.append(_outcome(lambda: str(L.nn.LazyLinear(3, bias=False).load_state_dict(
            L.nn.Linear(4, 3).state_dict())), True))
        m = L.nn.LazyLinear(3)
        full = L.nn.Linear(4, 3).state_dict()
        outcomes.append(_outcome(lambda: str(m.load_state_dict(full, strict=False)), True))
        outcomes.append((type(m.weight).__name__, tuple(m.weight.shape), m.in_features))
        return outcomes
    assert run(pyfront) == run(torch)

"""The meta device: tensors with a shape, dtype and strides but no memory, as torch's. The same calls run on
torch and on pyfront and what each gives is compared: factories, ops (their results' shape, dtype, device,
requires_grad and strides), the value reads torch refuses and its messages, modules built under
``with torch.device("meta")`` (no random numbers drawn), materialised by load_state_dict(assign=True) or
to_empty, and meta tensors through save/load in both directions."""
import io
import warnings

import pytest
import torch

import pyfront


def _outcome(lib, fn):
    try:
        r = fn(lib)
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return type(e).__name__, str(e)[:100]
    rs = r if isinstance(r, (tuple, list)) else [r]
    return [(tuple(x.shape), str(x.dtype), str(x.device), x.requires_grad, x.stride())
            if isinstance(x, lib.Tensor) else x for x in rs]


def _m(lib, *shape, **kw):
    return lib.randn(*shape, device="meta", **kw)


def _long(lib, *shape):
    return lib.zeros(*shape, dtype=lib.long, device="meta")


F = "nn.functional"
CASES = {
    "empty": lambda L: L.empty(2, 3, device="meta"),
    "zeros int": lambda L: L.zeros(2, 3, device="meta", dtype=L.int32),
    "full": lambda L: L.full((2,), 7, device="meta"),
    "arange": lambda L: L.arange(5, device="meta"),
    "tensor": lambda L: L.tensor([1.0, 2.0], device="meta"),
    "randint": lambda L: L.randint(0, 5, (3,), device="meta"),
    "to meta": lambda L: L.ones(2).to("meta"),
    "add": lambda L: _m(L, 4, 3, requires_grad=True) + 1,
    "scalar cpu operand": lambda L: _m(L, 2) + L.tensor(3.0),
    "linear": lambda L: L.nn.functional.linear(_m(L, 4, 3), _m(L, 5, 3)),
    "conv2d": lambda L: L.nn.functional.conv2d(_m(L, 2, 3, 8, 8), _m(L, 4, 3, 3, 3), padding=1),
    "transpose view": lambda L: _m(L, 4, 3).t(),
    "index": lambda L: _m(L, 4, 3)[1:, [0, 2]],
    "sort (a cpu fallback op)": lambda L: _m(L, 4, 3).sort(),
    "cross_entropy (a target check)": lambda L: L.nn.functional.cross_entropy(_m(L, 4, 3), _long(L, 4)),
    "embedding (an index check)": lambda L: L.nn.functional.embedding(_long(L, 3), _m(L, 5, 3)),
    "one_hot": lambda L: L.nn.functional.one_hot(_long(L, 4), 5),
    "one_hot, classes from the values": lambda L: L.nn.functional.one_hot(_long(L, 4)),
    "multinomial": lambda L: L.multinomial(_m(L, 2, 5).softmax(-1), 3, True),
    "integer division": lambda L: _long(L, 3) // _long(L, 3),
    "max_pool2d": lambda L: L.nn.functional.max_pool2d(_m(L, 1, 2, 4, 4), 2),
    "uniform_ in place": lambda L: _m(L, 2).uniform_(),
    "backward": lambda L: _backward(L),
    "optimizer step": lambda L: _step(L),
    "item": lambda L: _m(L, 1).item(),
    "item of many": lambda L: _m(L, 2).item(),
    "bool": lambda L: bool(_m(L, 1) > 0),
    "tolist": lambda L: _m(L, 2).tolist(),
    "numpy": lambda L: _m(L, 2).numpy(),
    "cpu": lambda L: _m(L, 2).cpu(),
    "meta + cpu": lambda L: _m(L, 2) + L.ones(2),
    "cpu + meta": lambda L: L.ones(2) + _m(L, 2),
    "copy_ into meta": lambda L: _m(L, 2).copy_(L.ones(2)),
    "copy_ out of meta": lambda L: L.ones(2).copy_(_m(L, 2)),
    "is_meta, data_ptr, nbytes": lambda L: (_m(L, 2).is_meta, L.ones(1).is_meta, _m(L, 2).data_ptr(),
                                            _m(L, 2, 3).untyped_storage().nbytes()),
    "repr": lambda L: [repr(_m(L, 2, 3)), repr(L.empty(0, 2, dtype=L.int32, device="meta")),
                       repr(L.nn.Parameter(_m(L, 2)))],
}


def _backward(L):
    x, w = _m(L, 4, 3, requires_grad=True), _m(L, 5, 3, requires_grad=True)
    L.nn.functional.linear(x, w).pow(2).sum().backward()
    return x.grad, w.grad


def _step(L):
    with L.device("meta"):
        model = L.nn.Linear(3, 2)
    opt = L.optim.AdamW(model.parameters())
    model(L.empty(4, 3, device="meta")).sum().backward()
    opt.step()
    return model.weight, opt.state[model.weight]["exp_avg"]


@pytest.mark.parametrize("name", list(CASES))
def test_meta_as_torch(name):
    assert _outcome(pyfront, CASES[name]) == _outcome(torch, CASES[name])


def _modules(L):
    out = []
    L.manual_seed(0)
    first = L.randn(3)
    L.manual_seed(0)
    with L.device("meta"):
        lin = L.nn.Linear(3, 4)
        out.append(tuple(lin(L.ones(2, 3)).shape))
    out.append(L.equal(L.randn(3), first))  # building on meta drew no random numbers
    sd = {"weight": L.ones(4, 3), "bias": L.zeros(4)}
    with warnings.catch_warnings(record=True) as ws:
        warnings.simplefilter("always")
        out.append(str(lin.load_state_dict(sd)))
    out.append([str(w.message)[:60] for w in ws])
    out.append((lin.weight.device.type, str(lin.load_state_dict(sd, assign=True)), lin.weight.device.type,
                type(lin.weight).__name__, lin.weight.requires_grad, lin.weight.sum().item()))
    with L.device("meta"):
        net = L.nn.Sequential(L.nn.Conv2d(3, 4, 3), L.nn.BatchNorm2d(4), L.nn.Flatten(), L.nn.LazyLinear(2))
        net(L.empty(2, 3, 6, 6))
    net.to_empty(device="cpu")
    out.append([(p.device.type, tuple(p.shape)) for p in net.state_dict().values()])
    return out


def test_modules_on_meta_as_torch():
    assert _modules(pyfront) == _modules(torch)


@pytest.mark.parametrize("saver,loader", [(pyfront, torch), (torch, pyfront), (pyfront, pyfront)])
def test_meta_tensors_saved_and_loaded(saver, loader):
    with saver.device("meta"):
        lin = saver.nn.Linear(3, 2)
    buf = io.BytesIO()
    saver.save({"sd": lin.state_dict(), "p": lin.weight, "t": saver.empty(2, 3, device="meta").t()}, buf)
    buf.seek(0)
    got = loader.load(buf)
    assert type(got["p"]).__name__ == "Parameter" and got["p"].requires_grad
    assert [(k, v.device.type, tuple(v.shape)) for k, v in got["sd"].items()] == \
        [("weight", "meta", (2, 3)), ("bias", "meta", (2,))]
    assert (got["t"].device.type, tuple(got["t"].shape), got["t"].stride()) == ("meta", (3, 2), (1, 3))

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
        return type(e).__name__, str(e)
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


def _bool(L, *shape):
    return L.zeros(*shape, dtype=L.bool, device="meta")


# the ops whose result's size (or value) is read from the data: torch's meta device refuses each with the
# words of the kernel it lacks; those whose size an argument gives (output_size, size=) run
CASES.update({
    "nonzero": lambda L: _m(L, 2, 3).nonzero(),
    "nonzero as_tuple": lambda L: _m(L, 3).nonzero(as_tuple=True),
    "argwhere": lambda L: L.argwhere(_m(L, 3)),
    "where of a condition": lambda L: L.where(_bool(L, 3)),
    "boolean mask index": lambda L: _m(L, 2, 3)[_bool(L, 2, 3)],
    "masked_select": lambda L: L.masked_select(_m(L, 3), _bool(L, 3)),
    "unique": lambda L: _m(L, 3).unique(return_counts=True),
    "unique dim": lambda L: _m(L, 3, 2).unique(dim=0),
    "unique_consecutive": lambda L: _m(L, 3).unique_consecutive(),
    "unique_consecutive dim": lambda L: _m(L, 3, 2).unique_consecutive(dim=1),
    "equal": lambda L: L.equal(_m(L, 3), _m(L, 3)),
    "equal of other shapes": lambda L: L.equal(_m(L, 3), _m(L, 2)),
    "bincount": lambda L: L.bincount(_long(L, 3), minlength=5),
    "bincount weights": lambda L: L.bincount(_long(L, 3), _m(L, 3)),
    "bincount float (refused before its dtype check)": lambda L: L.bincount(_m(L, 3)),
    "histogram": lambda L: L.histogram(_m(L, 3), bins=3),
    "histogram edges": lambda L: L.histogram(_m(L, 3), _m(L, 4)),
    "histogramdd": lambda L: L.histogramdd(_m(L, 3, 2), bins=[2, 2]),
    "histogramdd edges": lambda L: L.histogramdd(_m(L, 3, 2), bins=[_m(L, 3), _m(L, 3)]),
    "histc": lambda L: L.histc(_m(L, 5), bins=4),
    "histc range": lambda L: L.histc(_m(L, 5), bins=4, min=0, max=1),
    "histc no bins": lambda L: L.histc(_m(L, 5), bins=0),
    "histc reversed range": lambda L: L.histc(_m(L, 5), bins=4, min=2, max=1),
    "repeat_interleave tensor": lambda L: _m(L, 3).repeat_interleave(_long(L, 3)),
    "repeat_interleave 0-d tensor": lambda L: _m(L, 3).repeat_interleave(_long(L)),
    "repeat_interleave output_size":
        lambda L: _m(L, 2, 3).repeat_interleave(_long(L, 3), dim=1, output_size=7),
    "repeat_interleave counts only": lambda L: L.repeat_interleave(_long(L, 3), output_size=4),
    "repeat_interleave wrong length": lambda L: _m(L, 3).repeat_interleave(_long(L, 2), output_size=7),
    "repeat_interleave cpu by meta": lambda L: L.ones(3).repeat_interleave(_long(L, 3)),
    "repeat_interleave int": lambda L: _m(L, 3).repeat_interleave(2),
    "nonzero_static": lambda L: L.nonzero_static(_m(L, 2, 3), size=4),
})

# shape errors: torch's meta kernels (Python) word them their own way
CASES.update({
    "mm": lambda L: L.mm(_m(L, 2, 3), _m(L, 2, 3)),
    "mm of a vector": lambda L: L.mm(_m(L, 3), _m(L, 3, 2)),
    "mm by a vector": lambda L: L.mm(_m(L, 2, 3), _m(L, 3)),
    "addmm": lambda L: L.addmm(_m(L, 2, 2), _m(L, 2, 3), _m(L, 2, 3)),
    "addmm of a vector": lambda L: L.addmm(_m(L, 2, 2), _m(L, 3), _m(L, 3, 2)),
    "addmm bias": lambda L: L.addmm(_m(L, 3, 3), _m(L, 2, 3), _m(L, 3, 2)),
    "matmul 2d": lambda L: _m(L, 2, 3) @ _m(L, 2, 3),
    "matmul 3d by 2d": lambda L: _m(L, 2, 2, 3) @ _m(L, 2, 3),
    "matmul 1d by 2d": lambda L: _m(L, 2) @ _m(L, 3, 3),
    "matmul 2d by 1d": lambda L: _m(L, 2, 3) @ _m(L, 2),
    "matmul 1d": lambda L: _m(L, 3) @ _m(L, 2),
    "mv": lambda L: L.mv(_m(L, 2, 3), _m(L, 2)),
    "mv of matrices": lambda L: L.mv(_m(L, 2, 3), _m(L, 2, 3)),
    "addmv": lambda L: L.addmv(_m(L, 2), _m(L, 2, 3), _m(L, 2)),
    "addmv input": lambda L: L.addmv(_m(L, 3), _m(L, 2, 3), _m(L, 3)),
    "dot": lambda L: L.dot(_m(L, 3), _m(L, 2)),
    "dot dtypes": lambda L: L.dot(_m(L, 3), _m(L, 3, dtype=L.float64)),
    "vdot": lambda L: L.vdot(_m(L, 3), _m(L, 2)),
    "linear": lambda L: L.nn.functional.linear(_m(L, 2, 3), _m(L, 2, 2)),
    "linear 3d": lambda L: L.nn.functional.linear(_m(L, 4, 2, 3), _m(L, 2, 2)),
    "linear bias": lambda L: L.nn.functional.linear(_m(L, 2, 3), _m(L, 2, 3), _m(L, 3)),
    "add broadcast": lambda L: _m(L, 2, 3) + _m(L, 2),
    "add broadcast, left": lambda L: _m(L, 3) * _m(L, 4, 2),
    "where broadcast": lambda L: L.where(_bool(L, 2), _m(L, 3), _m(L, 2)),
    "masked_fill broadcast": lambda L: _m(L, 3).masked_fill(_bool(L, 2), 1.0),
    "lerp broadcast": lambda L: L.lerp(_m(L, 3), _m(L, 2), 0.5),
    "clamp broadcast": lambda L: _m(L, 3).clamp(_m(L, 2)),
    # (the same words as on the cpu: these run the same code there)
    "addr input": lambda L: L.addr(_m(L, 3, 3), _m(L, 2), _m(L, 3)),
    "addr row input": lambda L: L.addr(_m(L, 4), _m(L, 2), _m(L, 3)),
    "unflatten": lambda L: _m(L, 6).unflatten(0, (4, 2)),
    "unflatten inferred": lambda L: _m(L, 6).unflatten(0, (4, -1)),
    "unflatten of nothing": lambda L: _m(L, 6).unflatten(0, ()),
    "select out of range": lambda L: _m(L, 2, 0).select(1, 0),
})


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


DTYPES = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex64", "complex128"]


def _shown(L):
    """repr, str and format of meta tensors of every dtype and rank 0-3 and empty, with autograd notes;
    format of a 0-d tensor that has no number to give (meta) or is a subclass (a Parameter): its repr, or a
    spec's TypeError, as torch formats an object."""
    out = []
    for name in DTYPES:
        for shape in ((), (2,), (2, 3), (1, 2, 3), (0,), (2, 0)):
            t = L.zeros(shape, dtype=getattr(L, name), device="meta")
            out.append((repr(t), str(t), format(t)))
    x = L.zeros((), device="meta", requires_grad=True)
    out += [repr(x), repr(x * 2), format(x * 2), repr(L.nn.Parameter(L.zeros((), device="meta")))]
    for t in (L.zeros((), device="meta"), L.nn.Parameter(L.tensor(1.5)), L.tensor(2.5)):
        try:
            out.append(f"{t:.2f}")
        except TypeError as e:
            out.append(("TypeError", str(e)))
        out.append(format(t))
    return out


def test_meta_repr_and_format_as_torch():
    assert _shown(pyfront) == _shown(torch)


def _round_trips(L):
    """Meta tensors through plain pickle and deepcopy: no storage goes (torch keeps the dtype, sizes, strides
    and requires_grad, not a view's offset; deepcopy clones, closing a view's gaps), a Parameter's class and
    attributes come back."""
    import copy
    import pickle
    view = L.zeros(4, 5, device="meta")[1:, 2:].t().detach().requires_grad_()
    p = L.nn.Parameter(L.zeros(2, device="meta"))
    p.note = "kept"
    out = []
    for t in (view, p, L.zeros((), dtype=L.int8, device="meta"), L.zeros(0, 3, dtype=L.bool, device="meta")):
        for back in (pickle.loads(pickle.dumps(t)), copy.deepcopy(t)):
            out.append((type(back).__name__, repr(back), back.stride(), back.storage_offset(),
                        back.requires_grad, getattr(back, "note", None), back.untyped_storage().nbytes(),
                        back.is_leaf))
    return out


def test_meta_pickle_and_deepcopy_as_torch():
    assert _round_trips(pyfront) == _round_trips(torch)

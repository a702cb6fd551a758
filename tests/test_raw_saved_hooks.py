"""``grad_fn._raw_saved_<name>`` and ``SavedTensor.register_hooks(pack, unpack)`` as torch's: a node's saved
tensors as SavedTensor objects (the same one at each read; none for a number it keeps, as ``_saved_dim``), the
pack hook called at once on the memory without history, the unpack hook at each read and in backward, the
refusals (a second pair, a None saved, after a backward freed it, hooks already set by saved_tensors_hooks,
arguments that are not two callables, an unpack that returns no tensor), a Function's
``_raw_saved_tensors``. Each scenario runs on torch and on pyfront and must tell the same story."""
import pytest
import torch

import pyfront


def _try(f):
    try:
        out = f()
    except Exception as e:  # noqa: BLE001 (the type and words are compared)
        text = str(e)
        return type(e).__name__, text.split("Invoked with")[0] if isinstance(e, TypeError) else text
    if hasattr(out, "register_hooks"):
        return "SavedTensor"
    return out.tolist() if hasattr(out, "tolist") else out


def _names(node, prefix):
    return sorted(n for n in dir(node) if n.startswith(prefix))


def _node_reads(lib):
    x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    m = (x * x).grad_fn
    s = x.sum(dim=0).grad_fn
    e = x.exp().grad_fn
    mm = lib.mm(x.view(1, 3), x.view(3, 1)).grad_fn
    return [_try(lambda: m._raw_saved_self), m._raw_saved_self is m._raw_saved_self,
            _try(lambda: s._raw_saved_dim), _try(lambda: e._raw_saved_self),
            _try(lambda: e._raw_saved_result),
            _names(mm, "_raw_saved_"), _names(e, "_raw_saved_"), _names(s, "_raw_saved_")]


def _hooks_and_refusals(lib):
    x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    out, calls = [], []
    z = x.pow(2)
    r = z.grad_fn._raw_saved_self
    out.append(_try(lambda: r.register_hooks(lambda t: t)))
    out.append(_try(lambda: r.register_hooks(1, lambda t: t)))
    out.append(_try(lambda: r.register_hooks(lambda t: t, 1)))
    out.append(_try(lambda: r.register_hooks(pack_hook=lambda t: t, unpack_hook=lambda t: t)))
    pack = lambda t: (calls.append(("pack", t.requires_grad, t.grad_fn is None, lib.is_grad_enabled())),  # noqa
                      t * 10)[1]
    out.append(_try(lambda: r.register_hooks(pack, lambda p: (calls.append("unpack"), p)[1])))
    out.append(list(calls))
    out.append(_try(lambda: z.grad_fn._saved_self))
    out.append(list(calls))
    out.append(_try(lambda: r.register_hooks(lambda t: t, lambda t: t)))
    z.sum().backward(retain_graph=True)
    out.append(x.grad.tolist())  # the backward read the unpacked value: 2 * (10 x)
    z.sum().backward()
    out.append(_try(lambda: r.register_hooks(lambda t: t, lambda t: t)))
    out.append(_try(lambda: z.grad_fn._raw_saved_self))
    out.append(_try(lambda: z.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)))
    out.append(_try(lambda: z.grad_fn._saved_self))
    e = x.exp()  # a saved output: unpacked with its node
    e.grad_fn._raw_saved_result.register_hooks(lambda t: t * 0, lambda p: p + 1)
    out.append(_try(lambda: (e.grad_fn._saved_result.tolist(), e.grad_fn._saved_result.grad_fn.name())))
    v = x.pow(2)
    v.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda p: 3)
    out += [_try(lambda: v.grad_fn._saved_self), _try(lambda: v.sum().backward())]
    w = x.sin()
    w.grad_fn._raw_saved_self.register_hooks(lambda t: None, lambda p: p)
    out.append(_try(lambda: w.grad_fn._saved_self))
    with lib.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        u = x.cos()
    out.append(_try(lambda: u.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)))
    k = x * lib.ones(3)  # other needs no grad: self is not saved
    out.append(_try(lambda: k.grad_fn._saved_self))
    out.append(_try(lambda: k.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)))
    k.sum().backward()
    out.append(_try(lambda: k.grad_fn._raw_saved_self.register_hooks(lambda t: t, lambda t: t)))
    out.append(_try(lambda: k.grad_fn._raw_saved_other.register_hooks(lambda t: t, lambda t: t)))
    a = x.clone()
    s = a.sin()
    rs = s.grad_fn._raw_saved_self
    with lib.no_grad():
        a.add_(1)  # hooks registered after an in-place write: no version check, as torch's
    out.append(_try(lambda: rs.register_hooks(lambda t: t, lambda t: t)))
    out.append(_try(lambda: s.grad_fn._saved_self.tolist() == a.tolist()))
    return out


def _function(lib):
    class Twice(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a, None)
            return a * 2

        @staticmethod
        def backward(ctx, g):
            a, _ = ctx.saved_tensors
            return g * a

    x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = Twice.apply(x)
    f = y.grad_fn
    raw = f._raw_saved_tensors
    out = [len(raw), raw[0] is f._raw_saved_tensors[0], _try(lambda: raw[1].register_hooks(lambda t: t, id))]
    raw[0].register_hooks(lambda t: t * 5, lambda t: t)
    y.sum().backward()
    out += [x.grad.tolist(), _try(lambda: f._raw_saved_tensors),
            _try(lambda: raw[0].register_hooks(lambda t: t, lambda t: t))]
    z = Twice.apply(x)
    z.sum().backward()
    out.append(_try(lambda: z.grad_fn._raw_saved_tensors))
    return out


@pytest.mark.parametrize("scenario", [_node_reads, _hooks_and_refusals, _function])
def test_raw_saved_tensors_and_their_hooks_as_torch(scenario):
    assert scenario(pyfront) == scenario(torch)


def _reads(t):
    if t is None or isinstance(t, str):
        return t
    fn = None if t.grad_fn is None else type(t.grad_fn).__name__
    return tuple(t.shape), t.requires_grad, t.is_leaf, fn, t.tolist(), t._version


def _unpack_and_data(lib):
    """A SavedTensor's ``unpack()`` (checked: a freed one, one modified in place, an output's, which has no
    history without its node, refuse with torch's words) and ``data`` (what it holds, unchecked: the tensor,
    an output's without history, the pack hook's result, None once freed), on inputs, outputs, non-leaves,
    hooked ones and a None saved."""
    out = []

    def both(raw):
        out.extend([_try(lambda: _reads(raw.unpack())), _try(lambda: _reads(raw.data))])

    a, b = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0], requires_grad=True)
    raw = (a * b).grad_fn._raw_saved_self
    both(raw)
    out += [raw.unpack() is a, raw.data is a]
    r = a.relu()
    both(r.grad_fn._raw_saved_result)
    out.append(r.grad_fn._raw_saved_result.data is r)
    n = a * 2
    s = n.sin()
    raw = s.grad_fn._raw_saved_self
    both(raw)
    out += [raw.unpack() is n, raw.data is n]
    s.sum().backward()
    both(raw)  # freed
    c = lib.tensor([1.0, 2.0], requires_grad=True).clone()
    t = c.sin()
    c.add_(1)
    both(t.grad_fn._raw_saved_self)  # modified in place
    h = (a * 1.5).sin()
    h.grad_fn._raw_saved_self.register_hooks(lambda x: x * 10, lambda x: x + 1)
    out.append(_try(lambda: _reads(h.grad_fn._raw_saved_self.data)))
    k = a * lib.tensor([3.0, 4.0])  # other needs no grad: self is not saved
    both(k.grad_fn._raw_saved_self)
    return out


def _saved_lists(lib):
    """Indexing keeps its index tensors as torch's node does (``_saved_indices``, ``_raw_saved_indices``):
    one per indexed dim of the view left by basic indexing, None where a dim is not indexed, a mask as
    given; index_put too, with its ``accumulate``; freed by a backward; an index modified in place is
    caught by the backward."""
    def shown(fn):
        names = sorted(k for k in dir(fn) if k.startswith(("_saved_indices", "_raw_saved_indices",
                                                            "_saved_accumulate")))
        lists = [_try(lambda: [_reads(t) for t in fn._saved_indices]),
                 _try(lambda: [_reads(r.unpack()) for r in fn._raw_saved_indices]),
                 _try(lambda: [_reads(r.data) for r in fn._raw_saved_indices])]
        return [type(fn).__name__, names, _try(lambda: type(fn._raw_saved_indices).__name__)] + lists

    x = lib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x3 = lib.arange(8.0).reshape(2, 2, 2).requires_grad_()
    i, j = lib.tensor([0, 1, 1]), lib.tensor([1, 0, 1])
    mask = lib.tensor([[True, False], [False, True]])
    out = [shown(y.grad_fn) for y in (x[i], x[i, j], x[:, i], x[0:1, i], x[i, 1:], x[..., i], x[None, i],
                                      x[[0, 1]], x[mask], x3[:, mask], x3[:, 1:, i])]
    z = x.clone().index_put((i,), lib.ones(3, 2), accumulate=True)
    out.append(shown(z.grad_fn))
    m = x[mask]
    m.sum().backward()
    out.append(shown(m.grad_fn))
    y = x[i]
    i.add_(0)
    out.append(_try(lambda: y.sum().backward()))
    return out


@pytest.mark.parametrize("scenario", [_unpack_and_data, _saved_lists])
def test_saved_tensor_reads_as_torch(scenario):
    assert scenario(pyfront) == scenario(torch)

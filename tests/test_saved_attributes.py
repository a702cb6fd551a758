"""``grad_fn._saved_<name>``, torch's view of what a node saved for backward, swept over the op table: every
name pyfront's node shows is one torch's node has, with torch's value (tensors equal, ints and tuples equal:
a negative dim reads back as torch's unsigned pattern), and a primitive's node shows every saved tensor
torch's does. Reading one checks its version and refuses after backward freed it, with torch's messages.
logsumexp's one node is the result's own (LogsumexpBackward0, not an internal Function's name)."""
import warnings

import numpy as np
import pytest
import torch
from optable import _resolve, build, entries

import pyfront
from pyfront.autograd.graph import OpNode

# where pyfront's primitive does not save a tensor torch's node does (pyfront computes its gradient without
# it): op -> the names torch's node has beyond pyfront's
KNOWN_UNSAVED = {
    "gather": {"_saved_self"},  # torch keeps self for its sparse gradient; pyfront only its shape
    "take_along_dim": {"_saved_self"},
}


def _saved(node):
    return {a: getattr(node, a) for a in dir(node) if a.startswith("_saved_")}


def _first_outputs(name, torch_name, sample, domain):
    rng = np.random.default_rng(0)
    args, kwargs = sample
    built = [build(a, domain, rng) for a in args]
    kw = {k: build(v, domain, rng) for k, v in kwargs.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_out = _resolve(torch, torch_name)(*[b[1] for b in built], **{k: v[1] for k, v in kw.items()})
        p_out = _resolve(pyfront, torch_name)(*[b[0] for b in built], **{k: v[0] for k, v in kw.items()})
    first = (lambda o: o[0] if isinstance(o, (tuple, list)) else o)
    return first(p_out), first(t_out)


CASES = [pytest.param(e, id=e[0]) for e in entries(edge=False) if e[4] and e[2]]


@pytest.mark.parametrize("entry", CASES)
def test_saved_attributes_as_torch(entry):
    name, torch_name, samples, domain, _ = entry
    try:
        p0, t0 = _first_outputs(name, torch_name, samples[0], domain)
    except Exception:  # noqa: BLE001 (a sample torch or pyfront refuses: the op table compares that)
        return
    t_fn, p_fn = getattr(t0, "grad_fn", None), getattr(p0, "grad_fn", None)
    if t_fn is None or p_fn is None:
        return
    theirs, ours = _saved(t_fn), _saved(p_fn)
    for key, value in ours.items():
        assert key in theirs, f"{key} is not one of torch's {sorted(theirs)}"
        expected = theirs[key]
        if isinstance(expected, torch.Tensor):
            assert isinstance(value, pyfront.Tensor), f"{key}: {value!r}"
            # torch keeps an operand from before type promotion (nanmean's int count), pyfront the promoted
            # one: the values are compared
            got = torch.tensor(value.detach().tolist(), dtype=expected.dtype)
            torch.testing.assert_close(got, expected.detach(), equal_nan=True)
        else:
            assert value == expected, f"{key}: {value!r} != torch's {expected!r}"
    if isinstance(p_fn, OpNode) and not p_fn.presented:  # a primitive: torch's saved tensors are all there
        tensors = {k for k, v in theirs.items() if isinstance(v, torch.Tensor)}
        assert tensors - set(ours) == KNOWN_UNSAVED.get(name, set())


def _outcome(fn):
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return (type(e).__name__, str(e))
    return value.tolist() if hasattr(value, "tolist") else value


def _reads(lib):
    x = lib.tensor([[0.5, 1.5], [2.0, 0.75]], requires_grad=True)
    b = x * 1
    s, e, l, r = b.sin(), b.exp(), b.logsumexp(-1), lib.relu(b)
    p = b.pow(-1.5)
    out = [type(l.grad_fn).__name__, l.grad_fn.name(), sorted(_saved(l.grad_fn)), sorted(_saved(r.grad_fn)),
           _outcome(lambda: l.grad_fn._saved_dim), _outcome(lambda: l.grad_fn._saved_keepdim),
           _outcome(lambda: p.grad_fn._saved_exponent), _outcome(lambda: p.grad_fn._saved_self),
           _outcome(lambda: r.grad_fn._saved_result), _outcome(lambda: r.grad_fn._saved_nothing)]
    l.sum().backward()
    out += [_outcome(lambda: l.grad_fn._saved_self), _outcome(lambda: l.grad_fn._saved_dim)]
    b.add_(1)
    out += [_outcome(lambda: s.grad_fn._saved_self), _outcome(lambda: e.grad_fn._saved_result)]
    ll = (x * 1).logsumexp(1)
    y = ll.exp()
    ll.add_(1)
    out.append(_outcome(lambda: y.sum().backward()))
    return out


def test_reading_saved_values_as_torch():
    ours, theirs = _reads(pyfront), _reads(torch)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(b, list) and b and isinstance(b[0], list):  # a tensor's values
            torch.testing.assert_close(torch.tensor(a), torch.tensor(b))
        else:
            assert a == b


def _anomaly(lib):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with lib.autograd.detect_anomaly():
            x = lib.tensor([[float("inf"), 1.0], [2.0, 0.5]], requires_grad=True)
            error = _outcome(lambda: (x * 1).logsumexp(1).sum().backward())
    return error, [str(w.message).split("Traceback")[0] for w in caught]


def test_logsumexp_node_in_anomaly_mode_as_torch():
    assert _anomaly(pyfront) == _anomaly(torch)

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
    # nll_loss of class indices (cross_entropy's last op) keeps the scores and the target: its gradient needs
    # no summed weight, which torch's kernel saves
    "nn.functional.cross_entropy": {"_saved_total_weight"},
    "nn.functional.nll_loss": {"_saved_total_weight"},
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


def _shape_nodes(L):
    """The nodes torch's derivatives keep their input's shape on (``_saved_self_sym_sizes``), from a (3, 4)
    leaf, and some that keep none."""
    q = L.ones(3, 4, requires_grad=True)
    made = {
        "sum": lambda: q.sum(), "sum dim": lambda: q.sum(1), "sum keepdim": lambda: q.sum(-1, keepdim=True),
        "expand": lambda: q[:1].expand(2, 4), "expand_as": lambda: q[:1].expand_as(q),
        "view": lambda: q.view(12), "reshape": lambda: q.reshape(4, 3), "flatten": lambda: q.flatten(),
        "unflatten": lambda: q.unflatten(1, (2, 2)),
        "squeeze": lambda: q[:1].squeeze(), "squeeze dim": lambda: q[:1].squeeze(0),
        "squeeze dims": lambda: q[:1].squeeze((0,)), "squeeze_": lambda: q[:1].clone().squeeze_(),
        "squeeze_ dim": lambda: q[:1].clone().squeeze_(0),
        "squeeze_ dims": lambda: q[:1].clone().squeeze_([0]),
        "select": lambda: q[1], "select neg": lambda: q.select(1, -1), "slice": lambda: q[1:],
        "narrow": lambda: q.narrow(1, 1, 2), "index": lambda: q[L.tensor([0, 2])],
        "bool index": lambda: q[q > 0],
        "diagonal": lambda: q.diagonal(), "unfold": lambda: q.unfold(1, 2, 1),
        "split": lambda: q.split(2)[0],
        "split sizes": lambda: q.split([1, 2])[0], "chunk": lambda: q.chunk(2)[0], "T": lambda: q.T,
        "unsqueeze": lambda: q.unsqueeze(0), "movedim": lambda: q.movedim(0, 1),
    }
    out = {}
    for name, make in made.items():
        node = make().grad_fn
        out[name] = (type(node).__name__, _outcome(lambda n=node: n._saved_self_sym_sizes),
                     "_saved_self_sym_sizes" in dir(node))
    y = q.sum(1)
    y.sum().backward()
    out["after backward"] = _outcome(lambda: y.grad_fn._saved_self_sym_sizes)  # a number outlives the free
    return out


def test_shape_nodes_keep_their_inputs_sizes_as_torch():
    ours, theirs = _shape_nodes(pyfront), _shape_nodes(torch)
    assert ours == theirs


def _contractions(L):
    a, b = L.arange(3.0, requires_grad=True), L.arange(6.0).reshape(2, 3).requires_grad_()
    made = {"inner": lambda: L.inner(a, a), "tensordot 1": lambda: L.tensordot(a, a, 1),
            "tensordot 2": lambda: L.tensordot(b, b, 2),
            "tensordot T": lambda: L.tensordot(b, b.T, ([0, 1], [1, 0])),
            "partial": lambda: L.tensordot(b, a, 1),
            "bool": lambda: L.tensordot(L.ones(3, dtype=L.bool), L.ones(3, dtype=L.bool), 1)}
    out = {}
    for name, make in made.items():
        try:
            r = make()
        except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
            out[name] = (type(e).__name__, str(e))
            continue
        node = r.grad_fn
        out[name] = (r.tolist(), type(node).__name__, [type(f).__name__ for f, _ in node.next_functions],
                     node._saved_self_sym_sizes)
    return out


def test_a_full_contraction_is_torchs_dot_viewed():
    """tensordot (and inner) contracting every dim is torch's dot viewed as the 0-d result (ViewBackward0 of
    a 0-d, over DotBackward0; dot's error for bool), not mm's (1, 1) viewed."""
    assert _contractions(pyfront) == _contractions(torch)


def _products(L):
    """mm and F.linear's one addmm node, with torch's saved matrices, their sizes and strides, alpha, beta."""
    a = L.arange(6.0).reshape(2, 3).requires_grad_()
    w = L.arange(6.0).reshape(2, 3).requires_grad_()
    b = L.ones(2, requires_grad=True)
    made = {"mm": lambda: a @ w.T, "mm of a transpose": lambda: a.T @ w,
            "linear": lambda: L.nn.functional.linear(a, w, b),
            "linear without a bias": lambda: L.nn.functional.linear(a, w)}
    out = {}
    for name, make in made.items():
        node = make().grad_fn
        out[name] = (type(node).__name__, {k: (v.tolist(), v.stride()) if isinstance(v, L.Tensor) else v
                                           for k, v in _saved(node).items()})
    return out


def test_matrix_product_nodes_keep_torchs_saved_values():
    assert _products(pyfront) == _products(torch)

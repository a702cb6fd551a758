"""Nodes as torch's in the corners s35 found: unsafe_split's and unsafe_chunk's pieces (no views for autograd,
their own nodes), logsigmoid's buffer, views of a view-leaf, indexing's nodes, complex sums."""
import pytest
import torch

import pyfront

UNSAFE = {
    "unsafe_split": lambda L, x: L.unsafe_split(x, 2),
    "unsafe_split dim": lambda L, x: L.unsafe_split(x, 3, 1),
    "unsafe_chunk": lambda L, x: L.unsafe_chunk(x, 2, 1),
    "unsafe_split_with_sizes": lambda L, x: L.unsafe_split_with_sizes(x, [1, 2]),
    "method": lambda L, x: x.unsafe_split(2),
    "method chunk": lambda L, x: x.unsafe_chunk(3),
    "split": lambda L, x: L.split(x, 2),
}


def _unsafe_pieces(L, how):
    """Each piece's node, its saved arguments, whether it is a view (torch's unsafe pieces are none: a write
    into one is allowed, its history its own, the others' and the input's versions untouched), and the
    gradient after such a write."""
    x = L.arange(12.0).reshape(3, 4).requires_grad_()
    pieces = UNSAFE[how](L, x * 1)
    fn = pieces[0].grad_fn
    out = [type(fn).__name__, {n: getattr(fn, n) for n in dir(fn) if n.startswith("_saved_")},
           [p._is_view() for p in pieces], [p.stride() for p in pieces]]
    try:
        pieces[0].mul_(2)
    except RuntimeError as e:
        out.append(str(e))
    else:
        out.append([type(pieces[0].grad_fn).__name__, [p._version for p in pieces]])
    sum(p.sum() for p in pieces).backward()
    out.append(x.grad.tolist())
    return out


@pytest.mark.parametrize("how", list(UNSAFE))
def test_unsafe_split_pieces(how):
    assert _unsafe_pieces(pyfront, how) == _unsafe_pieces(torch, how)


def _logsigmoid_saved(L, dtype):
    """LogSigmoidBackward0 keeps the input and log_sigmoid_forward's buffer exp(-|x|) (no gradient, in x's
    dtype, packed after the input), both freed by a backward."""
    x = L.tensor([-1.0, 0.5, 3.0, -50.0, 0.0, float("inf")], dtype=getattr(L, dtype)).requires_grad_()
    packed = []
    with L.autograd.graph.saved_tensors_hooks(lambda t: packed.append(t.tolist()) or t, lambda t: t):
        y = L.nn.functional.logsigmoid(x)
    fn = y.grad_fn
    buffer = fn._saved_buffer
    out = [sorted(n for n in dir(fn) if n.startswith("_saved_")), str(buffer.dtype), buffer.requires_grad,
           buffer.tolist() in packed, packed.index(x.tolist()) < packed.index(buffer.tolist())]
    y.sum().backward()
    try:
        fn._saved_buffer
    except RuntimeError as e:
        out.append(str(e))
    return out, torch.tensor(buffer.tolist())


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
def test_logsigmoid_saves_its_buffer(dtype):
    (ours, ours_buffer), (theirs, their_buffer) = (_logsigmoid_saved(L, dtype) for L in (pyfront, torch))
    assert ours == theirs
    # (pyfront's float32 exp is NumPy's, an ulp from torch's at some inputs)
    torch.testing.assert_close(ours_buffer, their_buffer, rtol=1e-3 if dtype == "float16" else 1e-6, atol=0)


def _chain(t):
    """The node names from ``t`` back along first inputs (a few)."""
    fn, names = t.grad_fn, []
    while fn is not None and len(names) < 5:
        names.append(type(fn).__name__)
        fn = next((f for f, _ in fn.next_functions if f is not None), None)
    return names


# (the view taken, the write: of the root base, the leaf, the view or another view)
VIEW_LEAF_CASES = {
    "view, another view written": (lambda leaf: leaf.view(2, 3),
                                   lambda base, leaf, v: leaf.view(3, 2).mul_(2)),
    "view, leaf written": (lambda leaf: leaf.view(2, 3), lambda base, leaf, v: leaf.mul_(2)),
    "slice, root written": (lambda leaf: leaf[1:], lambda base, leaf, v: base.mul_(2)),
    "view written": (lambda leaf: leaf.view(2, 3), lambda base, leaf, v: v.mul_(2)),
    "view of view, row written": (lambda leaf: leaf.view(2, 3).t(), lambda base, leaf, v: v.t()[0].mul_(2)),
    "outside written": (lambda leaf: leaf.unsqueeze(0), lambda base, leaf, v: base[0].fill_(5)),
    "made without a graph": (None, lambda base, leaf, v: v.mul_(2)),
}


def _view_leaf_views(L, case, grad_mode):
    """A view of a view-leaf (base[2:] made to require grad) taken with a graph, then the memory written
    (under no_grad, or with grad where torch refuses a view of a leaf): torch takes the view of the root base,
    so its history is regenerated from there (AsStridedBackward0 keeping size, stride and offset, its gradient
    going nowhere); the leaf's gradient, and a view made without a graph, as torch's."""
    base = L.arange(8.0)
    leaf = base[2:].requires_grad_()
    make, write = VIEW_LEAF_CASES[case]
    if make is None:
        with L.no_grad():
            v = leaf.view(3, 2)
    else:
        v = make(leaf)
    try:
        if grad_mode:
            write(base, leaf, v)
        else:
            with L.no_grad():
                write(base, leaf, v)
    except RuntimeError as e:
        return str(e)
    fn = v.grad_fn
    out = [v.requires_grad, _chain(v), {n: getattr(fn, n) for n in dir(fn) if n.startswith("_saved_")}
           if fn is not None else None]
    if v.requires_grad:
        (v * v).sum().backward()
    out.append(None if leaf.grad is None else leaf.grad.tolist())
    return out


@pytest.mark.parametrize("grad_mode", [False, True])
@pytest.mark.parametrize("case", list(VIEW_LEAF_CASES))
def test_views_of_a_view_leaf(case, grad_mode):
    assert _view_leaf_views(pyfront, case, grad_mode) == _view_leaf_views(torch, case, grad_mode)


INDEXES = ["x[:, 1:]", "x[:, :]", "x[:]", "x[...]", "x[()]", "x[0:2, 1:]", "x[0:5, :]", "x[-2:, :]",
           "x[:, ::1]", "x[None, :]", "x[..., :]", "x[:, 0]", "x[0:2]", "x[:, :, None]", "x[:, [0, 1]]",
           "x[(slice(None),)]", "x[0:2:1, 0:3]", "x[..., None]"]


def test_indexing_nodes():
    """Indexing several dims skips a slice that takes a whole dim (torch's applySlice), and what is left of
    no slicing is torch's alias (AliasBackward0), x[...] too; a bare x[:] is sliced."""
    def chains(L):
        x = (L.arange(6.0).requires_grad_() * 1).view(2, 3)
        return [_chain(eval(e, {"x": x}))[:-2] for e in INDEXES]
    assert chains(pyfront) == chains(torch)


def _complex_sums(L, dtype):
    """Complex add and sub as torch's kernel: ``a + alpha * b``, alpha a complex number (sub's negated) times
    b as a complex product even for alpha 1, so a zero part's sign is the product's and an infinite part
    makes its partner NaN; plain, with alpha (real and complex), in place, and a number operand."""
    import math
    parts = [0.0, -0.0, 1.0, -0.5, math.inf]
    zs = [complex(r, i) for r in parts for i in parts]
    a = L.tensor([z for z in zs for _ in zs], dtype=getattr(L, dtype))
    b = L.tensor([w for _ in zs for w in zs], dtype=getattr(L, dtype))
    results = [a + b, a - b, a + 2, 2 - a, a.clone().add_(b), a.clone().sub_(b, alpha=2)]
    for alpha in (1, 2, 2.5, -1, 0, 1j, 1.5 - 0.5j):
        results += [L.add(a, b, alpha=alpha), L.sub(a, b, alpha=alpha), a.clone().add_(b, alpha=alpha)]
    return [torch.tensor(L.view_as_real(r).flatten().tolist()) for r in results]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_sums_as_torchs_kernel(dtype):
    for ours, theirs in zip(_complex_sums(pyfront, dtype), _complex_sums(torch, dtype)):
        torch.testing.assert_close(ours, theirs, equal_nan=True, atol=0, rtol=0)
        assert ours.signbit().tolist() == theirs.signbit().tolist()

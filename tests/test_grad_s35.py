"""Nodes as torch's in the corners s35 found: unsafe_split's and unsafe_chunk's pieces (no views for autograd,
their own nodes), logsigmoid's buffer."""
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

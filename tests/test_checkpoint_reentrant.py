"""torch.utils.checkpoint with use_reentrant=True as torch's: its backward runs a backward of its own, which
accumulates into every leaf the function reaches, so under autograd.grad or backward(inputs=) (and in a
backward nested in one) it refuses with torch's error; CheckpointFunction.apply takes torch's arguments
(run_function, preserve_rng_state, *args), non-tensor ones among them; a Module's parameters get their .grad
from the inner backward, and are no inputs of the node."""
import warnings

import torch

import pyfront


def _outcome(f):
    try:
        out = f()
    except RuntimeError as e:
        return "RuntimeError", str(e)
    return [None if t is None else t.tolist() for t in (out if isinstance(out, (tuple, list)) else (out,))]


def _program(L):
    from importlib import import_module
    cp = import_module(f"{L.__name__}.utils.checkpoint")
    shown = []
    lin = L.nn.Linear(2, 2)
    with L.no_grad():
        lin.weight.copy_(L.tensor([[0.5, -1.0], [2.0, 0.25]]))
        lin.bias.copy_(L.tensor([0.1, -0.2]))
    x = L.tensor([1.0, 2.0], requires_grad=True)
    y = cp.checkpoint(lambda t: (lin(t) * t).sum(), x, use_reentrant=True)
    fn = y.grad_fn
    shown += [type(fn).__name__, len(fn.next_functions)]
    shown.append(_outcome(lambda: L.autograd.grad(y, x, retain_graph=True)))
    shown.append(_outcome(lambda: y.backward(inputs=[x], retain_graph=True)))
    # a plain backward nested in a grad() call (a hook's) is refused too
    z = x * 2
    z.register_hook(lambda g: y.backward(retain_graph=True))
    shown.append(_outcome(lambda: L.autograd.grad(z.sum(), x)))
    y.backward()
    shown += [x.grad.tolist(), lin.weight.grad.tolist(), lin.bias.grad.tolist()]
    # torch's apply: a number among the arguments, each output's gradient
    a = L.tensor([3.0], requires_grad=True)
    out = cp.CheckpointFunction.apply(lambda t, k, u: (t * k, u * t), True, a, 2.0, L.tensor([5.0]))
    (out[0] + out[1]).sum().backward()
    shown += [a.grad.tolist(), [o.requires_grad for o in out]]
    # no input needs grad: nothing recorded (torch's warning); an output that needs none refuses the backward
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        shown.append(cp.checkpoint(lin, L.ones(2), use_reentrant=True).requires_grad)
    shown.append([str(w.message) for w in seen])
    detached = cp.checkpoint(lambda t: t.detach() * 1, x, use_reentrant=True)
    shown.append(_outcome(lambda: detached.sum().backward()))
    return shown


def test_reentrant_checkpoint_as_torch():
    assert _program(pyfront) == _program(torch)

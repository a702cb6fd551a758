"""Activation checkpointing: keep only a function's inputs, and run it again in backward.

``checkpoint(fn, *args)`` runs ``fn`` without recording a graph; backward runs it a second time
with the graph on (the random-number state restored, so dropout draws the same mask) and
propagates through that. Parameters reached through a Module (``fn`` itself, or a bound method of
one) are inputs of the checkpoint node, so ``autograd.grad`` sees them; any other leaf ``fn``
closes over gets its gradient accumulated into ``.grad`` during backward, as in PyTorch's
reentrant variant.
"""
from __future__ import annotations

import warnings

from .. import autograd
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad
from ..random import get_rng_state, set_rng_state
from ..tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential"]

_EXPLICIT = ("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in "
             "PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
             "use_reentrant=False is recommended, but if you need to preserve the current default "
             "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
             "differences between the two variants.")


def _module_parameters(fn) -> list:
    from ..nn import Module
    owner = fn if isinstance(fn, Module) else getattr(fn, "__self__", None)
    return [p for p in owner.parameters() if p.requires_grad] if isinstance(owner, Module) else []


class CheckpointFunction(Function):
    @staticmethod
    def forward(ctx, run, preserve_rng_state, n_args, *inputs):
        ctx.run, ctx.n_args = run, n_args
        ctx.rng = get_rng_state() if preserve_rng_state else None
        ctx.save_for_backward(*inputs)
        return run(*inputs[:n_args])

    @staticmethod
    def backward(ctx, *grads):
        inputs = ctx.saved_tensors
        args = [t.detach().requires_grad_(t.requires_grad) if isinstance(t, Tensor) else t
                for t in inputs[:ctx.n_args]]
        params = list(inputs[ctx.n_args:])
        current = get_rng_state()
        if ctx.rng is not None:
            set_rng_state(ctx.rng)
        try:
            with enable_grad():
                out = ctx.run(*args)
        finally:
            set_rng_state(current)
        outs = out if isinstance(out, tuple) else (out,)
        pairs = [(o, g) for o, g in zip(outs, grads) if isinstance(o, Tensor) and o.requires_grad
                 and g is not None]
        wanted = [a for a in args if isinstance(a, Tensor) and a.requires_grad] + params
        if not pairs:
            got = [None] * len(wanted)
        elif params:
            got = autograd.grad([o for o, _ in pairs], wanted, [g for _, g in pairs], allow_unused=True)
        else:  # leaves fn closes over: accumulated into .grad here, as PyTorch's reentrant checkpoint
            autograd.backward([o for o, _ in pairs], [g for _, g in pairs])
            got = [a.grad for a in wanted]
        it = iter(got)
        arg_grads = [next(it) if isinstance(a, Tensor) and a.requires_grad else None for a in args]
        return (None, None, None, *arg_grads, *it)


def checkpoint(function, *args, use_reentrant: bool | None = None, context_fn=None,
               determinism_check="default", debug=False, preserve_rng_state: bool = True, **kwargs):
    """Run ``function(*args, **kwargs)`` without keeping its intermediate results, and run it again
    in backward to get them, trading compute for memory; the gradients are those of the plain call.

    Args:
        function: what to run (a Module, or any callable of tensors).
        args: its positional arguments.
        use_reentrant: PyTorch's two implementations; both are served by the same recomputation
            here. Leaving it out warns, as PyTorch 2.13 does.
        context_fn, determinism_check, debug: accepted for PyTorch compatibility.
        preserve_rng_state: restore the random-number state for the second run (same dropout
            masks). Default: True
        kwargs: keyword arguments for ``function``.

    Follows ``torch.utils.checkpoint.checkpoint``.
    """
    if use_reentrant is None:
        warnings.warn(_EXPLICIT, UserWarning, stacklevel=2)
        use_reentrant = True
    run = (lambda *a: function(*a, **kwargs)) if kwargs else function
    params = _module_parameters(function)
    tensors = [a for a in args if isinstance(a, Tensor)]
    if use_reentrant and not any(t.requires_grad for t in tensors):
        warnings.warn("None of the inputs have requires_grad=True. Gradients will be None", UserWarning,
                      stacklevel=2)
        params = []  # PyTorch's reentrant variant records nothing then
    return CheckpointFunction.apply(run, preserve_rng_state, len(args), *args, *params)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run a Sequential (or list of modules) in ``segments`` checkpointed chunks, the last one plain,
    as ``torch.utils.checkpoint.checkpoint_sequential``."""
    if use_reentrant is None:
        warnings.warn(_EXPLICIT, UserWarning, stacklevel=2)
        use_reentrant = True
    functions = list(functions.children()) if hasattr(functions, "children") else list(functions)
    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        chunk = functions[start:end + 1]
        input = checkpoint(lambda x, c=chunk: _run_all(c, x), input, use_reentrant=use_reentrant, **kwargs)
    return _run_all(functions[end + 1:], input)


def _run_all(modules, x):
    for m in modules:
        x = m(x)
    return x

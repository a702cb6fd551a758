"""Activation checkpointing: keep only a function's inputs, and run it again in backward.

``checkpoint(fn, *args, use_reentrant=True)`` runs ``fn`` without recording a graph; backward runs it a
second time with the graph on (the random-number state restored, so dropout draws the same mask) and
runs a backward of its own through that: each leaf ``fn`` reaches (a Module's parameters) gets its gradient
accumulated into ``.grad`` there, as in PyTorch's reentrant variant, which is why it refuses to run inside
``autograd.grad`` or ``backward(inputs=)`` (torch's error). ``use_reentrant=False`` records ``fn``'s own
graph and keeps, in place of each tensor it saves, that tensor's place in the order of saving (saved-tensor
hooks, as torch's): the first read in backward recomputes them all, so the gradients are the plain call's,
create_graph included.
"""
from __future__ import annotations

import contextlib
import warnings

from .. import autograd
from ..autograd.function import Function
from ..autograd.grad_mode import enable_grad
from ..autograd.saved_hooks import saved_tensors_hooks
from ..random import get_rng_state, set_rng_state
from ..tensor import Tensor

__all__ = ["checkpoint", "checkpoint_sequential", "check_backward_validity", "detach_variable",
           "noop_context_fn", "set_checkpoint_debug_enabled", "set_checkpoint_early_stop"]

_EXPLICIT = ("torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in "
             "PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception. "
             "use_reentrant=False is recommended, but if you need to preserve the current default "
             "behavior, you can pass use_reentrant=True. Refer to docs for more details on the "
             "differences between the two variants.")


_NO_GRAD_INPUTS = "None of the inputs have requires_grad=True. Gradients will be None"


def detach_variable(inputs: tuple) -> tuple:
    """``inputs`` with each tensor detached, keeping its ``requires_grad`` (other values as they are)."""
    if not isinstance(inputs, tuple):
        raise RuntimeError(
            f"Only tuple of tensors is supported. Got Unsupported input type: {type(inputs).__name__}")
    return tuple(t.detach().requires_grad_(t.requires_grad) if isinstance(t, Tensor) else t for t in inputs)


def check_backward_validity(inputs) -> None:
    """Warn, as torch, when no tensor among ``inputs`` requires grad."""
    if not any(t.requires_grad for t in inputs if isinstance(t, Tensor)):
        warnings.warn(_NO_GRAD_INPUTS, stacklevel=2)


_INVALID = ("When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() or passing an "
            "`inputs` parameter to .backward(). To resolve this error, you can either set use_reentrant=False, "
            "or call .backward() without passing the `inputs` argument.")


class CheckpointFunction(Function):
    """torch's reentrant checkpoint, called as torch's: ``CheckpointFunction.apply(run_function,
    preserve_rng_state, *args)``."""

    @staticmethod
    def forward(ctx, run_function, preserve_rng_state, *args):
        check_backward_validity(args)
        ctx.run_function = run_function
        ctx.rng = get_rng_state() if preserve_rng_state else None
        # the tensors saved, the other arguments kept as they are (None in a tensor's place)
        ctx.inputs = [None if isinstance(a, Tensor) else a for a in args]
        ctx.save_for_backward(*[a for a in args if isinstance(a, Tensor)])
        return run_function(*args)

    @staticmethod
    def backward(ctx, *grads):
        # a backward that runs only toward some inputs (autograd.grad, backward(inputs=)) cannot be
        # served: the inner backward below accumulates into every leaf the function reaches
        if not autograd._is_checkpoint_valid():
            raise RuntimeError(_INVALID)
        tensors = iter(ctx.saved_tensors)
        inputs = detach_variable(tuple(next(tensors) if a is None else a for a in ctx.inputs))
        current = get_rng_state()
        if ctx.rng is not None:
            set_rng_state(ctx.rng)
        try:
            with enable_grad():
                out = ctx.run_function(*inputs)
        finally:
            set_rng_state(current)
        outs = (out,) if isinstance(out, Tensor) else out
        pairs = [(o, g) for o, g in zip(outs, grads) if isinstance(o, Tensor) and o.requires_grad]
        if not pairs:
            raise RuntimeError("none of output has requires_grad=True, this checkpoint() is not necessary")
        # leaves fn closes over (a Module's parameters) get theirs accumulated into .grad here, as torch's
        autograd.backward([o for o, _ in pairs], [g for _, g in pairs])
        return (None, None, *[a.grad if isinstance(a, Tensor) else None for a in inputs])


def _without_reentrant(run, preserve_rng_state: bool, args):
    """torch's non-reentrant variant: ``run`` records its graph as usual, but every tensor its nodes save
    is kept as its place in the order of saving; the first read of one in backward runs ``run`` again
    (the random-number state restored) with grad on, collecting the tensors it saves in the same order,
    and each place reads its recomputed tensor. So the graph is the plain call's: gradients of leaves the
    function closes over, ``autograd.grad`` leaving other ``.grad`` alone, ``create_graph`` (the
    recomputed tensors carry their own graph) and outputs of any structure, as torch's."""
    rng = get_rng_state() if preserve_rng_state else None
    recomputed = []
    count = [0]

    def pack(tensor):
        count[0] += 1
        return count[0] - 1

    def unpack(place):
        if not recomputed:
            current = get_rng_state()
            if rng is not None:
                set_rng_state(rng)
            try:
                with saved_tensors_hooks(lambda t: recomputed.append(t) or t, lambda t: t), enable_grad():
                    run(*args)
            finally:
                set_rng_state(current)
        if place >= len(recomputed):
            raise RuntimeError("torch.utils.checkpoint: the recomputed function saved fewer tensors for "
                               "backward than the forward did (it must run the same ops both times)")
        return recomputed[place]

    with saved_tensors_hooks(pack, unpack):
        return run(*args)


def noop_context_fn():
    """checkpoint's default ``context_fn``: two context managers that do nothing."""
    return contextlib.nullcontext(), contextlib.nullcontext()


_DEBUG = [None]  # set_checkpoint_debug_enabled's setting (a process-wide global, as torch's)
_DETERMINISM_CHECKS = ["default", "none"]


@contextlib.contextmanager
def set_checkpoint_debug_enabled(enabled: bool | None):
    """Override checkpoint's ``debug`` inside the block (None defers to each call's), as torch's."""
    previous, _DEBUG[0] = _DEBUG[0], enabled
    try:
        yield
    finally:
        _DEBUG[0] = previous


@contextlib.contextmanager
def set_checkpoint_early_stop(enable: bool):
    """torch's switch for stopping a recomputation once it has every saved tensor; a recomputation here
    always runs the whole function (torch's ``early_stop=False``), which gives the same gradients, so the
    setting changes nothing."""
    yield


def _in_contexts(run, forward_context, recompute_context):
    """``run`` under ``context_fn``'s first context manager on its first call, the second on later ones
    (the recomputations in backward)."""
    first = [forward_context]

    def call(*args):
        with (first.pop() if first else recompute_context):
            return run(*args)
    return call


def _check_checkpoint_args(use_reentrant, kwargs, context_fn, determinism_check, debug):
    """torch's refusals, in its order: keyword arguments or context_fn/debug with the reentrant variant,
    then debug with a context_fn and an unknown determinism_check with the other."""
    if kwargs and use_reentrant:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    if use_reentrant:
        if context_fn is not noop_context_fn or debug is not False:
            raise ValueError("Passing `context_fn` or `debug` is only supported when use_reentrant=False.")
        return
    if (_DEBUG[0] if _DEBUG[0] is not None else debug) and context_fn is not noop_context_fn:
        raise ValueError("debug=True is incompatible with non-default context_fn")
    if determinism_check not in _DETERMINISM_CHECKS:
        raise ValueError(
            f"determinism_check should be one of {_DETERMINISM_CHECKS}, but got {determinism_check}")


def checkpoint(function, *args, use_reentrant: bool | None = None, context_fn=noop_context_fn,
               determinism_check: str = "default", debug: bool = False, early_stop: bool = True, **kwargs):
    """Run ``function(*args, **kwargs)`` without keeping its intermediate results, and run it again
    in backward to get them, trading compute for memory; the gradients are those of the plain call.

    Args:
        function: what to run (a Module, or any callable of tensors).
        args: its positional arguments.
        use_reentrant: PyTorch's two implementations (see the module's text). Leaving it out warns,
            as PyTorch 2.13 does, and takes the reentrant one.
        context_fn: (``use_reentrant=False``) returns two context managers: the forward runs under the
            first, the recomputation under the second. Default: :func:`noop_context_fn`
        determinism_check: (``use_reentrant=False``) ``"default"`` or ``"none"``; accepted.
        debug: (``use_reentrant=False``) torch's operator traces in its errors; accepted.
        early_stop: (``use_reentrant=False``) see :func:`set_checkpoint_early_stop`; accepted.
        kwargs: keyword arguments for ``function`` (``use_reentrant=False`` only), and
            ``preserve_rng_state``: restore the random-number state for the second run (same dropout
            masks). Default: True

    Raises:
        ValueError: keyword arguments, ``context_fn`` or ``debug`` with ``use_reentrant=True``; ``debug``
            with a ``context_fn``, or an unknown ``determinism_check``.

    Follows ``torch.utils.checkpoint.checkpoint``.
    """
    if use_reentrant is None:
        warnings.warn(_EXPLICIT, UserWarning, stacklevel=2)
        use_reentrant = True
    preserve_rng_state = kwargs.pop("preserve_rng_state", True)
    _check_checkpoint_args(use_reentrant, kwargs, context_fn, determinism_check, debug)
    run = (lambda *a: function(*a, **kwargs)) if kwargs else function
    if context_fn is not noop_context_fn:
        run = _in_contexts(run, *context_fn())
    if not use_reentrant:
        return _without_reentrant(run, preserve_rng_state, args)
    return CheckpointFunction.apply(run, preserve_rng_state, *args)


def checkpoint_sequential(functions, segments, input, use_reentrant=None, **kwargs):
    """Run a Sequential (or list of modules) in ``segments`` checkpointed chunks, the last one plain,
    as ``torch.utils.checkpoint.checkpoint_sequential``."""
    if use_reentrant is None:
        warnings.warn(_EXPLICIT, UserWarning, stacklevel=2)
        use_reentrant = True
    preserve = kwargs.pop("preserve_rng_state", True)
    if kwargs:
        raise ValueError("Unexpected keyword arguments: " + ",".join(arg for arg in kwargs))
    functions = list(functions.children()) if hasattr(functions, "children") else list(functions)
    size = len(functions) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        chunk = functions[start:end + 1]
        input = checkpoint(lambda x, c=chunk: _run_all(c, x), input, use_reentrant=use_reentrant,
                           preserve_rng_state=preserve)
    return _run_all(functions[end + 1:], input)


def _run_all(modules, x):
    for m in modules:
        x = m(x)
    return x

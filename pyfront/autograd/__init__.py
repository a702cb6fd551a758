"""Autograd: ``backward``, ``grad``, grad-mode switches, custom Functions, gradcheck."""
from __future__ import annotations

import math
import operator
from collections.abc import Mapping

from .._warnings import warn
from . import function, profiler  # noqa: F401  (pyfront.autograd.function, .profiler, as torch's)
from .anomaly_mode import (detect_anomaly, is_anomaly_check_nan_enabled, is_anomaly_enabled,  # noqa: F401
                           set_detect_anomaly)
from .engine import run_backward
from .function import Function, FunctionCtx, InplaceFunction, once_differentiable
from .grad_mode import _state
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                        set_grad_enabled)
from .grad_mode import is_multithreading_enabled, is_view_replay_enabled, set_multithreading_enabled  # noqa: F401
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .variable import Variable


def _as_tuple(x):
    """torch's reading of tensors, outputs and gradients: a tensor alone, or any iterable of them (a
    generator, ``dict.values()``, a parameter iterator)."""
    return (x,) if isinstance(x, Tensor) else tuple(x)


def _inputs_tuple(inputs, fn):
    """``inputs`` of ``grad``/``backward`` as torch reads them: also a dict (str to tensor) of them."""
    if isinstance(inputs, Tensor):
        return (inputs,)
    if isinstance(inputs, Mapping) and type(inputs) is not dict:
        raise TypeError(f"`inputs` argument to `{fn}()` must be a dict, not {type(inputs).__name__}. Other "
                        "Mapping types are not supported.")
    inputs = tuple(inputs.values() if type(inputs) is dict else inputs)
    for t in inputs:
        if not isinstance(t, Tensor):
            raise RuntimeError(f"all inputs have to be Tensors or GradientEdges, but got {type(t).__name__}")
    return inputs


def _check_outputs(outputs):
    for out in outputs:
        if not isinstance(out, Tensor):
            raise AssertionError("Expected output to be a torch.Tensor")


def _root_grads(outputs, grad_outputs, create_graph):
    grads = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            if math.prod(out._shape) != 1:  # (numel() without its call)
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if not out.dtype.is_floating_point:
                raise RuntimeError(f"grad can be implicitly created only for real scalar outputs but "
                                   f"got {out.dtype}")
            # ones_like(out), made directly for a plain tensor: the factory's reading of its arguments
            # cost twice what the rest of it does, once per backward() (1.0: a float, as the dtype is)
            g = ones_like(out) if type(out) is not Tensor else batched_as(Tensor._make(
                get_backend(out.device).full(out._shape, 1.0, out.dtype), out._shape, out.dtype), out)
        elif g.shape != out.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                               f"output[{i}] has a shape of {out.shape}.")
        grads.append(g)
    if len(grads) != len(outputs):  # fewer gradients than outputs (more are cut to the outputs, as torch's)
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    return grads


def _engine_flags(*flags) -> None:
    """torch's engine reads its flags (keep_graph, create_graph, allow_unreachable) as C unsigned chars
    (PyArg "b"): a number of 0..255 or an object with __index__, else its TypeError or OverflowError."""
    for v in flags:
        if v is True or v is False:  # (what nearly every call passes: nothing to convert)
            continue
        if not hasattr(type(v), "__index__"):
            raise TypeError(f"'{type(v).__name__}' object cannot be interpreted as an integer")
        n = operator.index(v)
        if not -2**63 <= n < 2**63:
            raise OverflowError("Python int too large to convert to C long")
        if not 0 <= n <= 255:
            side = "less than minimum" if n < 0 else "greater than maximum"
            raise OverflowError(f"unsigned byte integer is {side}")


def _roots(outputs):
    roots = []
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        roots.append(out._edge())
    return roots


def _is_checkpoint_valid() -> bool:
    """Whether a reentrant checkpoint's backward may run here: not inside a backward toward chosen inputs
    (autograd.grad, backward(inputs=)), as torch's ``torch.autograd._is_checkpoint_valid``."""
    return _state.checkpoint_valid


def _run_toward_inputs(roots, root_grads, retain_graph, create_graph, capture, accumulate):
    """The engine run of autograd.grad and backward(inputs=): torch's graph task with exec_info, in which
    (and in any backward nested in it) a reentrant checkpoint refuses (its own backward would accumulate
    into leaves the call did not ask for). A plain backward leaves the flag as it is: no cost there."""
    previous, _state.checkpoint_valid = _state.checkpoint_valid, False
    try:
        return run_backward(roots, root_grads, retain_graph, create_graph, capture, accumulate=accumulate)
    finally:
        _state.checkpoint_valid = previous


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None):
    """Accumulate gradients of ``tensors`` into the leaves' ``.grad``, as ``torch.autograd.backward``
    (``grad_variables``: grad_tensors' old name, still taken with torch's FutureWarning)."""
    if grad_variables is not None:
        warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", FutureWarning)
        if grad_tensors is not None:
            raise RuntimeError("`grad_tensors` and `grad_variables` (deprecated) arguments both passed to "
                               "`backward()`. Please only use `grad_tensors`.")
        grad_tensors = grad_variables
    if inputs is not None:
        inputs = _inputs_tuple(inputs, "backward")
        if not inputs:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    outputs = _as_tuple(tensors)
    _check_outputs(outputs)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    roots = _roots(outputs)
    root_grads = _root_grads(outputs, grads, create_graph)
    _engine_flags(retain_graph, create_graph)
    if inputs is not None:
        # a leaf's gradient goes in by its AccumulateGrad, run as in a full backward (its hooks fire); a
        # non-leaf's is captured and added below
        leaves = [t for t in inputs if t.grad_fn is None]
        capture = {t._edge(): i for i, t in enumerate(inputs) if t.grad_fn is not None}
        accumulate = {e[0] for e in (t._edge() for t in leaves) if e[0] is not None}
        got = _run_toward_inputs(roots, root_grads, retain_graph, create_graph, capture, accumulate)
        for t in inputs:
            slot = capture.get(t._edge()) if t.grad_fn is not None else None
            g = None if slot is None else got[slot]
            # (a non-leaf that retains its gradient got it from the engine's retain hook already;
            # ._grad: .grad's getter warns about a non-leaf's unset gradient, which torch does not here)
            if g is None or t.retains_grad:
                continue
            if create_graph:
                t.grad = g if t._grad is None else t._grad + g
            elif t._grad is None:
                t.grad = g.detach().clone()  # its own: two inputs may be handed one gradient
            else:
                t.grad = t._grad + g.detach()
        return
    run_backward(roots, root_grads, retain_graph, create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` with respect to ``inputs``, without touching ``.grad`` (a dict of
    tensors for ``inputs``: a dict of their gradients, by the same keys)."""
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, but "
                         "got: allow_unused=False.")
    names = tuple(inputs) if type(inputs) is dict else None
    outputs = _as_tuple(outputs)
    inputs = _inputs_tuple(inputs, "grad")
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    _check_outputs(outputs)
    result = _grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused, is_grads_batched,
                   materialize_grads)
    return result if names is None else dict(zip(names, result))


def _grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused, is_grads_batched,
          materialize_grads):
    grads = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outputs)
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    _engine_flags(retain_graph, create_graph, allow_unused)
    if is_grads_batched:
        return _batched_grad(outputs, inputs, grads, retain_graph, create_graph, allow_unused,
                             materialize_grads)
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots = _roots(outputs)
    root_grads = _root_grads(outputs, grads, create_graph)
    capture = {}
    for i, t in enumerate(inputs):
        capture.setdefault(t._edge(), i)
    got = _run_toward_inputs(roots, root_grads, retain_graph, create_graph, capture, False)
    result = []
    for i, t in enumerate(inputs):
        g = got[capture[t._edge()]]
        if g is None:
            if materialize_grads:
                from ..ops.creation import zeros_like
                g = zeros_like(t, requires_grad=create_graph)  # as torch's: differentiable, to go on
            elif not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used "
                                   "in the graph. Set allow_unused=True if this is the desired behavior.")
        elif not create_graph:
            g = g.detach()
        result.append(g)
    return tuple(result)


def _batched_grad(outputs, inputs, grads, retain_graph, create_graph, allow_unused, materialize_grads):
    """grad(is_grads_batched=True): each grad_output's first dim is a batch of them, and each input's
    gradient is the batch of the gradients they give (torch vmaps its engine over that dim; here each
    one runs in turn, the graph kept until the last, so a hook runs once per slice where torch's runs once
    on a batched gradient: README); an unused input's is materialized unbatched."""
    for i, (out, g) in enumerate(zip(outputs, grads)):
        # (torch's check reads the first gradient, g[0], and names its shape less its first dim too)
        if isinstance(g, Tensor) and g[0].shape != out.shape:
            raise RuntimeError(
                "If `is_grads_batched=True`, we interpret the first dimension of each grad_output as the "
                "batch dimension. The sizes of the remaining dimensions are expected to match the shape of "
                f"corresponding output, but a mismatch was detected: grad_output[{i}] has a shape of "
                f"{g[0].shape[1:]} and output[{i}] has a shape of {out.shape}. If you only want some tensors "
                "in `grad_output` to be considered batched, consider using vmap.")
    if any(g is None for g in grads):  # torch makes it ones like its output, 0-d: its vmap's refusal
        for i, out in enumerate(outputs):  # (a non-scalar output's implicit gradient refused first)
            if grads[i] is None and out.requires_grad and out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
        raise ValueError("vmap(vjp, in_dims=0, ...)(<inputs>): Got in_dim=0 for some input, but that input "
                         "is a Tensor of dimensionality 0 so expected in_dim to satisfy 0 <= in_dim < 0.")
    sizes = [g.shape[0] for g in grads if isinstance(g, Tensor)]
    if len(set(sizes)) > 1:
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, got "
                         f"sizes {sizes} for the mapped dimension")
    from ..ops.composite.shaping import stack
    size = sizes[0]
    runs = [grad(outputs, inputs, [g[b] if isinstance(g, Tensor) else g for g in grads],
                 retain_graph=retain_graph or b < size - 1, create_graph=create_graph,
                 allow_unused=allow_unused) for b in range(size)]
    result = []
    for i, t in enumerate(inputs):
        column = [run[i] for run in runs]
        if column and column[0] is not None:
            result.append(stack(column))
        elif materialize_grads:
            from ..ops.creation import zeros_like
            result.append(zeros_like(t, requires_grad=create_graph))
        else:
            result.append(None)
    return tuple(result)


__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled", "is_inference_mode_enabled", "Function", "FunctionCtx", "InplaceFunction",
           "once_differentiable",
           "gradcheck", "gradgradcheck", "GradcheckError", "function", "Variable", "detect_anomaly",
           "set_detect_anomaly"]

from . import functional  # noqa: E402,F401  (torch.autograd imports it too; it needs grad above)
from . import forward_ad  # noqa: E402,F401  (torch.autograd.forward_ad: dual tensors)


# bound once this package is made, not per backward (three function-level imports cost ~8 us a call: a
# package's ``from`` runs importlib's Python). The engine's import has made the tensor layer by now; ops
# imports this package, so it comes last
from ..backends import get_backend  # noqa: E402
from ..ops.creation import batched_as, ones_like  # noqa: E402
from ..tensor import Tensor  # noqa: E402

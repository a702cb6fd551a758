"""``torch.compile`` and ``torch.compiler``: pyfront has no graph compiler, so nothing is compiled.

Scripts written for PyTorch 2 wrap their model or loss in ``torch.compile`` for speed only; the
compiled callable computes what the original does. pyfront runs every op eagerly, so ``compile`` wraps
a module in an ``OptimizedModule`` as torch does (its ``_orig_mod`` is the module, its state_dict keys
start with ``_orig_mod.``, its parameters are the module's) whose forward is the module's call, and a
function in a wrapper that calls it; ``disable=True`` returns either unchanged. It keeps torch's
argument checks and works as a decorator with or without arguments.
"""
from __future__ import annotations

import functools

from .nn.modules.module import Module

_MODES = (None, "default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")


def compile(model=None, *, fullgraph: bool = False, dynamic=None, backend="inductor", mode=None,
            options=None, disable: bool = False):
    """Return ``model`` unchanged (eager pyfront is what a compiled model computes), as ``torch.compile``.

    Called without ``model`` it returns a decorator. Raises RuntimeError, as torch does, when both
    ``mode`` and ``options`` are given and for a ``mode`` torch does not know; AssertionError for a
    ``model`` that is not callable.
    """
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified at the "
                           "same time.")
    if mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(m for m in _MODES if m)}")
    if model is None:
        return lambda m: compile(m, fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode,
                                 options=options, disable=disable)
    _check_backend(backend)  # (torch looks the name up first, disabled or not)
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")
    if disable:
        return model
    if isinstance(model, Module) and not isinstance(model, OptimizedModule):
        return OptimizedModule(model)
    if isinstance(model, Module):  # torch compiles an OptimizedModule's forward, a function
        model = model.forward

    @functools.wraps(model)
    def compiled(*args, **kwargs):
        return model(*args, **kwargs)
    return compiled


# the backend names torch 2.13 registers (torch._dynamo.list_backends(exclude_tags=())): a script naming
# one runs eagerly here; another name is torch's InvalidBackend, raised where torch looks the name up
_BACKENDS = frozenset((
    "aot_eager", "aot_eager_decomp_partition", "aot_eager_decomp_partition_crossref",
    "aot_eager_decomp_partition_with_mode", "aot_eager_default_partitioner", "aot_ts", "cudagraphs",
    "dynamo_accuracy_minifier_backend", "dynamo_minifier_backend", "eager", "eager_debug", "eager_noexcept",
    "inductor", "invoke_subgraph", "openxla", "openxla_eval", "pre_dispatch_eager", "ts", "tvm",
    *(f"{n}_error_TESTING_ONLY" for n in ("non_leaf_compile", "relu_accuracy", "relu_compile",
                                          "relu_runtime"))))


def _check_backend(backend) -> None:
    """torch's look-up of a ``backend`` given by name (a callable is a backend itself)."""
    if isinstance(backend, str) and backend not in _BACKENDS:
        from ._dynamo.exc import InvalidBackend
        raise InvalidBackend(backend)


class OptimizedModule(Module):
    """What ``torch.compile(module)`` returns: a Module holding ``module`` as ``_orig_mod``, whose forward
    is ``module``'s call (nothing is compiled here).

    Args:
        mod (Module): the module compiled. Its parameters, buffers and submodules are the wrapper's under
            the ``_orig_mod.`` prefix; an attribute not the wrapper's own is read from and written to it.

    Raises:
        TypeError: ``len()`` of a wrapped module that has no length.

    As ``torch._dynamo.eval_frame.OptimizedModule``.
    """

    _opt_mod_attributes = frozenset({"_orig_mod", "dynamo_ctx", "forward", "_forward", "__dict__",
                                     "_super_module_initialized"})

    def __init__(self, mod: Module) -> None:
        object.__setattr__(self, "_orig_mod", mod)
        self._super_module_initialized = False
        super().__init__()
        self._super_module_initialized = True
        self._orig_mod = mod  # Module.__setattr__ registers it as the child _orig_mod
        self.forward = mod.__call__

    def __len__(self) -> int:
        if hasattr(type(self._orig_mod), "__len__"):
            return len(self._orig_mod)
        raise TypeError(f"{type(self._orig_mod).__name__} does not support len()")

    def __reduce__(self):
        return type(self), (self._orig_mod,)

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("forward", None)
        return state

    def __setstate__(self, state) -> None:
        self.__dict__ = state
        self.forward = self._orig_mod.__call__

    @property
    def training(self) -> bool:
        return self._orig_mod.training

    @training.setter
    def training(self, value: bool) -> None:
        if self._super_module_initialized:
            self._orig_mod.training = value

    def __getattr__(self, name: str):
        if name == "_orig_mod":
            return self._modules["_orig_mod"]
        return getattr(self._orig_mod, name)

    def __setattr__(self, name: str, value) -> None:
        if hasattr(type(self), name) or name in OptimizedModule._opt_mod_attributes:
            return super().__setattr__(name, value)
        return setattr(self._orig_mod, name, value)

    def __delattr__(self, name: str) -> None:
        if hasattr(type(self), name) or name in OptimizedModule._opt_mod_attributes:
            return super().__delattr__(name)
        return delattr(self._orig_mod, name)


def disable(fn=None, recursive: bool = True, *, reason=None):
    """``torch.compiler.disable``: the function itself (nothing is ever compiled here)."""
    return (lambda f: f) if fn is None else fn


def is_compiling() -> bool:
    """``torch.compiler.is_compiling``: False, pyfront never traces."""
    return False


def is_dynamo_compiling() -> bool:
    return False


def reset() -> None:
    """``torch.compiler.reset``: there is no compile cache to clear."""


def is_exporting() -> bool:
    """``torch.compiler.is_exporting``: False, pyfront never exports a graph."""
    return False


def allow_in_graph(fn):
    """``torch.compiler.allow_in_graph``: ``fn`` itself (there is no graph)."""
    return fn


disallow_in_graph = assume_constant_result = allow_in_graph


def cudagraph_mark_step_begin() -> None:
    """``torch.compiler.cudagraph_mark_step_begin``: there are no CUDA graphs to step."""


def list_backends(exclude_tags=("debug", "experimental")) -> list:
    """``torch.compiler.list_backends``: pyfront has no compiler backends (``compile`` runs eagerly)."""
    return []


class set_stance:
    """``torch.compiler.set_stance(stance)``: a call, a ``with`` block or a decorator, as torch's; every
    stance runs eagerly here, so it is recorded and changes nothing. RuntimeError, as torch, for a
    ``force_backend`` with a stance other than "default"."""

    _current = "default"

    def __init__(self, stance: str = "default", *, skip_guard_eval_unsafe: bool = False, force_backend=None):
        if force_backend is not None and stance != "default":
            raise RuntimeError("non-default stance cannot have force_backend set")
        self._previous, set_stance._current = set_stance._current, stance

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        set_stance._current = self._previous
        return False

    def __call__(self, fn):
        stance = set_stance._current
        set_stance._current = self._previous  # as a decorator it applies to the calls only

        @functools.wraps(fn)
        def run(*args, **kwargs):
            with set_stance(stance):
                return fn(*args, **kwargs)
        return run


def cond(pred, true_fn, false_fn, operands=()):
    """``true_fn(*operands)`` where ``pred`` holds, else ``false_fn(*operands)``, as ``torch.cond``.

    Args:
        pred: a Python bool or number, or a one-element tensor.
        true_fn, false_fn: callables taking the operands.
        operands (tuple or list): tensors (nested in dicts, lists and tuples) passed to the branch.

    torch runs a tensor ``pred``'s cond through its compiler, which traces both branches and refuses
    branches whose outputs differ in structure or alias an input (and, without a C compiler, operands that
    require grad); pyfront, with no compiler, checks the arguments as torch does and runs the branch taken.
    """
    if not isinstance(pred, (bool, int, float)):  # (torch's eager case: a Python constant runs at once)
        _check_cond_arguments(pred, true_fn, false_fn, operands)
    return true_fn(*operands) if pred else false_fn(*operands)


def _check_cond_arguments(pred, true_fn, false_fn, operands) -> None:
    from .tensor import Tensor
    from .utils._pytree import tree_any
    if not isinstance(pred, Tensor):
        raise RuntimeError(f"Expected pred to be bool or tensor, but got {pred}.")
    if pred.numel() != 1:
        raise RuntimeError(f"Expected pred to be bool or single-element tensor, but got {pred}.")
    if not callable(true_fn) or not callable(false_fn):
        raise RuntimeError("Expect both branches to be callable.")
    if not isinstance(operands, (tuple, list)) or tree_any(lambda t: not isinstance(t, Tensor), operands):
        raise RuntimeError("Expect operands to be a tuple of possibly nested dict/list/tuple that only "
                           f"consists of tensor leaves, but got {operands}.")

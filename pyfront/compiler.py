"""``torch.compile`` and ``torch.compiler``: pyfront has no graph compiler, so compiling is the identity.

Scripts written for PyTorch 2 wrap their model or loss in ``torch.compile`` for speed only; the
compiled callable computes what the original does. pyfront runs every op eagerly, so ``compile``
returns the model or function itself (``disable=True`` too), keeps torch's argument checks, and works
as a decorator with or without arguments. One visible difference: torch wraps a module in an
``OptimizedModule`` whose ``state_dict`` keys start with ``_orig_mod.``; here the keys stay the module's.
"""
from __future__ import annotations

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
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")
    return model


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

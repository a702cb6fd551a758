"""The user's allowlist for ``load(weights_only=True)``: ``add_safe_globals`` and friends, as in torch.

A global listed here may appear in a weights-only file: a class may be created (NEWOBJ) and
given its state (BUILD), a function may be called (REDUCE). That is the user's trust, given by
name; nothing else in the weights-only reader changes.
"""
from __future__ import annotations

import types

from .homes import HOMES

_SAFE: set = set()


def add_safe_globals(safe_globals: list) -> None:
    """Allow these classes/functions (or ``(obj, "module.name")`` pairs) in ``load(weights_only=True)``."""
    global _SAFE
    _SAFE = _SAFE.union(set(safe_globals))


def get_safe_globals() -> list:
    return list(_SAFE)


def clear_safe_globals() -> None:
    global _SAFE
    _SAFE = set()


class safe_globals:
    """``with safe_globals([MyClass]): load(...)``: the allowlist extended for the block only."""

    def __init__(self, safe_globals: list):
        self.safe_globals = safe_globals

    def __enter__(self):
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc):
        global _SAFE
        _SAFE = _SAFE - set(self.safe_globals)


def user_globals() -> dict:
    """``{"module.qualname": obj}`` for every allowed global, as torch keys them."""
    found = {}
    for f in _SAFE:
        if isinstance(f, tuple):
            if len(f) != 2:
                raise ValueError(f"Expected tuple of length 2 (global, str of callable full path), but got "
                                 f"tuple of length: {len(f)}")
            if type(f[1]) is not str:
                raise TypeError(f"Expected second item in tuple to be str of callable full path, but got: "
                                f"{type(f[1])}")
            found[f[1]] = f[0]
        else:
            found[f"{f.__module__}.{f.__qualname__}"] = f
            # files (torch's and pyfront's) name a layer or a function by torch's name
            if isinstance(f, (type, types.FunctionType)) and f in HOMES:
                found[".".join(HOMES[f])] = f
    return found

"""``pyfront.backends.opt_einsum``: pyfront's ``einsum`` orders its contractions itself and does not use
the ``opt_einsum`` package, so it answers as torch does where that package is not installed."""
from __future__ import annotations

enabled = False
strategy = None


def is_available() -> bool:
    return False


def get_opt_einsum():
    return None

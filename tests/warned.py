"""How the tests tell what a call said, errors and warnings alike, the same way for torch and pyfront.

An error torch raised from a C++ warning that the test turned into an error ends in " (Triggered
internally at <its source file>:<line>.)": pyfront's errors do not, so ``torch_text`` drops it. Torch's
warnings keep it, and so do pyfront's (_warnings.py), so warnings are compared whole. Imports neither
library: a probe run in a process of its own (one library per process) uses it too.
"""
from __future__ import annotations

import re
import warnings
from contextlib import contextmanager

_TRIGGERED = re.compile(r" \(Triggered internally at .*\)$", re.S)


def torch_text(e) -> str:
    """The part of torch's error message that pyfront must reproduce exactly."""
    return _TRIGGERED.sub("", str(e))


@contextmanager
def every_warning(lib):
    """The warnings ``lib`` gives inside, recorded, each one every time: the once-per-process ones too
    (TORCH_WARN_ONCE, which an earlier test may have used up in one library and not the other)."""
    was = lib.is_warn_always_enabled()
    lib.set_warn_always(True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
    finally:
        lib.set_warn_always(was)


def shown(caught) -> list:
    """The recorded warnings as [category name, whole message], in the order given."""
    return [[w.category.__name__, str(w.message)] for w in caught]

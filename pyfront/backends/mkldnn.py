"""``pyfront.backends.mkldnn``: oneDNN's switches, accepted so scripts that read or set them run.

pyfront has no oneDNN: ``is_available()`` is False and the switches change nothing.
"""
from __future__ import annotations

import sys
import types

from . import _fp32_precision as _fp32
from ._flags import switches
from .mkl import verbose as _mkl_verbose

VERBOSE_OFF = 0
VERBOSE_ON = 1
VERBOSE_ON_CREATION = 2

enabled = True
deterministic = False
allow_tf32 = True
# torch 2.9+'s per-op settings (``mkldnn.matmul.fp32_precision``); fp32_precision: MkldnnModule's
matmul = _fp32._FP32Precision("mkldnn", "matmul")
conv = _fp32._FP32Precision("mkldnn", "conv")
rnn = _fp32._FP32Precision("mkldnn", "rnn")


def is_available() -> bool:
    return False


def is_acl_available() -> bool:
    return False


class verbose(_mkl_verbose):
    """``with torch.backends.mkldnn.verbose(level):``: the block runs unchanged (no oneDNN here)."""


def flags(enabled=False, deterministic=False, allow_tf32=True, fp32_precision="none"):
    """Set the switches for a ``with`` block and restore them after, as ``torch.backends.mkldnn.flags``."""
    return switches(sys.modules[__name__], dict(enabled=enabled, deterministic=deterministic,
                                               allow_tf32=allow_tf32))


class MkldnnModule(types.ModuleType):
    """The module's class, as torch's: ``fp32_precision`` is the float32 precision tree's."""

    # (torch's setter writes the generic setting, where its getter reads mkldnn's own)
    fp32_precision = _fp32.Setting(lambda: _fp32.get("mkldnn", "all"),
                                   lambda value: _fp32.set("generic", "all", value))


sys.modules[__name__].__class__ = MkldnnModule

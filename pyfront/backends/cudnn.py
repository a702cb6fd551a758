"""``pyfront.backends.cudnn``: cuDNN's switches, accepted so scripts that set them run.

pyfront has no cuDNN; its kernels are deterministic whatever ``deterministic`` says, and
``benchmark`` picks nothing.
"""
from __future__ import annotations

import sys
import types

from . import _fp32_precision as _fp32
from ._flags import switches

enabled = True
benchmark = False
benchmark_limit = None  # torch's without cuDNN (its flags leave it so)
deterministic = False
# torch 2.9+'s per-op settings (``cudnn.conv.fp32_precision``); allow_tf32 and fp32_precision: CudnnModule's
conv = _fp32._FP32Precision("cuda", "conv")
rnn = _fp32._FP32Precision("cuda", "rnn")


def is_available() -> bool:
    return False


def version():
    return None


def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False, allow_tf32=True,
          fp32_precision="none", depthwise_kernel="auto"):
    """Set cuDNN's switches for a ``with`` block and restore them after, as ``torch.backends.cudnn.flags``
    (whose defaults turn cuDNN off inside the block)."""
    return switches(sys.modules[__name__], dict(enabled=enabled, benchmark=benchmark,
                                               deterministic=deterministic, allow_tf32=allow_tf32))


class CudnnModule(types.ModuleType):
    """The module's class, as torch's: ``allow_tf32`` and ``fp32_precision`` are the float32 precision
    tree's (backends/_fp32_precision.py)."""

    allow_tf32 = _fp32.Setting(_fp32.allow_tf32_cudnn, _fp32.set_allow_tf32_cudnn)
    fp32_precision = _fp32.leaf_setting("cuda", "all")


sys.modules[__name__].__class__ = CudnnModule

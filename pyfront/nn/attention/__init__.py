"""``torch.nn.attention``: which kernels ``scaled_dot_product_attention`` may use (``SDPBackend``,
``sdpa_kernel``).

pyfront has one kernel, the composed math form, which stands for both backends torch runs on a cpu (MATH
and its cpu FLASH_ATTENTION); with neither enabled ``scaled_dot_product_attention`` raises torch's "No viable
backend" RuntimeError. The switches are process-wide, as torch's.
"""
from __future__ import annotations

import contextlib

from ...backends import cuda as _sdp
from ...backends.cuda import SDPBackend

__all__ = ["SDPBackend", "sdpa_kernel", "WARN_FOR_UNFUSED_KERNELS"]

WARN_FOR_UNFUSED_KERNELS = False


# the backends and their switches live with torch.backends.cuda's (enable_flash_sdp, ...), which set the same
_enabled = _sdp.enabled  # the backends switched on (changed in place)
_RUNS_HERE = (SDPBackend.MATH, SDPBackend.FLASH_ATTENTION)  # the backends a cpu build of torch can run


def _check_sdpa_backend() -> None:
    """Raise torch's error when every backend pyfront's kernel stands for is switched off."""
    if not any(b in _enabled for b in _RUNS_HERE):
        raise RuntimeError("No viable backend for scaled_dot_product_attention was found. This is likely due "
                           "to "
                           "turning off both the math kernel and the fused kernels.")


def _flash_enabled() -> bool:
    """Whether torch's cpu dispatcher may pick its flash kernel (``sdpa_kernel`` has not switched it off)."""
    return SDPBackend.FLASH_ATTENTION in _enabled


@contextlib.contextmanager
def sdpa_kernel(backends, set_priority: bool = False):
    """Context manager enabling only ``backends`` for ``scaled_dot_product_attention`` inside the block.

    Args:
        backends (SDPBackend or list of SDPBackend): the backends allowed.
        set_priority (bool): torch orders its kernels by the list; pyfront's single kernel has no order.

    Raises AssertionError, as torch, when ``backends`` is neither an SDPBackend nor a list. Restores the
    previous set on exit.
    """
    if not isinstance(backends, (list, SDPBackend)):
        raise AssertionError("Backend must be an instance of SDPBackend or a list of SDPBackend instances, "
                             "got "
                             f"{type(backends).__name__}")
    backends = [backends] if isinstance(backends, SDPBackend) else backends
    previous = set(_enabled)
    _enabled.clear()
    _enabled.update(b for b in backends if b is not SDPBackend.ERROR)
    try:
        yield {}
    finally:
        _enabled.clear()
        _enabled.update(previous)

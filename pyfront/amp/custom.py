"""``torch.amp.custom_fwd`` / ``custom_bwd``: the decorators for a custom ``autograd.Function``'s forward
and backward under autocast, and ``is_autocast_available``."""
from __future__ import annotations

import collections.abc
import functools

from .. import dtypes as dt
from ..tensor import Tensor
from .autocast_mode import _kind, autocast, _check_device_type, get_autocast_dtype, is_autocast_enabled

# the device types torch's autocast has a dispatch key for (at::autocast::is_autocast_available), and webgpu
_AUTOCAST_DEVICES = frozenset({"cpu", "cuda", "webgpu", "xpu", "mps", "hpu", "mtia", "maia", "ipu", "xla"})


def is_autocast_available(device_type: str) -> bool:
    """Whether autocast can be turned on for ``device_type``, as ``torch.amp.is_autocast_available``."""
    return _kind(device_type) in _AUTOCAST_DEVICES


def custom_fwd(fwd=None, *, device_type: str, cast_inputs=None):
    """Decorate a custom Function's ``forward``: it records the autocast state for ``custom_bwd``; with
    ``cast_inputs`` and autocast on, it casts the floating tensors among its arguments (not float64, on
    ``device_type``) to that dtype and runs with autocast off, as torch's."""
    _check_device_type(device_type)
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        ctx = args[0]
        ctx._dtype = get_autocast_dtype(device_type)
        if cast_inputs is None:
            ctx._fwd_used_autocast = is_autocast_enabled(device_type)
            return fwd(*args, **kwargs)
        ctx._fwd_used_autocast = False
        if not is_autocast_enabled(device_type):
            return fwd(*args, **kwargs)
        kind = _kind(device_type)
        with autocast(device_type=device_type, enabled=False):
            return fwd(*_cast(args, kind, cast_inputs), **_cast(kwargs, kind, cast_inputs))

    return decorate_fwd


def custom_bwd(bwd=None, *, device_type: str):
    """Decorate a custom Function's ``backward`` so it runs under the autocast state its forward saw."""
    _check_device_type(device_type)
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        ctx = args[0]
        with autocast(device_type=device_type, enabled=ctx._fwd_used_autocast, dtype=ctx._dtype):
            return bwd(*args, **kwargs)

    return decorate_bwd


def _cast(value, kind: str, dtype):
    """``value`` with its floating tensors on ``kind`` (not float64) cast to ``dtype``, through containers,
    as torch's amp._cast."""
    if isinstance(value, Tensor):
        eligible = value.is_floating_point() and value.device.type == kind and value.dtype is not dt.float64
        return value.to(dtype) if eligible else value
    if isinstance(value, (str, bytes)) or type(value).__module__ == "numpy":
        return value
    if isinstance(value, collections.abc.Mapping):
        return {_cast(k, kind, dtype): _cast(v, kind, dtype) for k, v in value.items()}
    if isinstance(value, collections.abc.Iterable):
        items = (_cast(v, kind, dtype) for v in value)
        return type(value)(items) if isinstance(value, (list, tuple)) else items
    return value

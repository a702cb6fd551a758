"""The cpu fallback: an op with no kernel on a device (LAPACK's decompositions) runs on the cpu."""
from __future__ import annotations

from .._warnings import warn_once
from ..backends import get_backend
from ..backends.storage import dense
from ..device import device as _Device

_CPU = _Device("cpu")


def run_on_cpu(op, inputs, attrs, meta, device):
    """``op`` on Layouts ``inputs`` of ``device``, computed by the cpu backend on copies and moved
    back, with a one-time warning, as PyTorch's MPS fallback does: the result's storages on ``device``."""
    if not op.extra.get("quiet_fallback"):
        warn_once(f"The operator '{op.name}' has no kernel on the {device.type} device and will fall back to "
                  "run on the CPU (the result is moved back). This may have performance implications.")
    cpu, target = get_backend(_CPU), get_backend(device)
    host = [dense(cpu.from_bytes(target.to_bytes(x), x.dtype), x.shape, x.dtype) for x in inputs]
    return [target.from_bytes(cpu.to_bytes(dense(st, shape, dtype)), dtype)
            for st, (shape, dtype) in zip(cpu.run(op, host, attrs, meta), meta)]

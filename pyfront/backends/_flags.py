"""The ``flags(...)`` context that torch's switch modules (``torch.backends.cudnn``, ``mkldnn``,
``nnpack``) share: it sets every switch it names, its defaults included (torch's ``cudnn.flags()`` turns
``enabled`` and ``benchmark`` off unless told otherwise), and puts back what was there on the way out."""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def switches(module, values: dict):
    """Set ``module``'s attributes from ``values`` for the block (yielding None, as torch's flags), then
    restore them, also when the block raises. A switch the module does not keep (torch's fp32_precision
    and depthwise_kernel) is accepted and has no effect, as every switch here is honoured by nothing."""
    kept = {name: value for name, value in values.items() if hasattr(module, name)}
    before = {name: getattr(module, name) for name in kept}
    for name, value in kept.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in before.items():
            setattr(module, name, value)

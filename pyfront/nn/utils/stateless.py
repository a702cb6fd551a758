"""``torch.nn.utils.stateless``: the PyTorch 1.x home of ``functional_call`` (deprecated there since 2.0)."""
from __future__ import annotations

import warnings

__all__ = ["functional_call"]


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *, tie_weights=True,
                    strict=False):
    r"""``module(*args, **kwargs)`` with the named parameters and buffers replaced for the call, as
    :func:`pyfront.func.functional_call` with a single dict.

    Args:
        module (nn.Module): the module to call.
        parameters_and_buffers (dict): dotted names to tensors.
        args (Any or tuple): positional arguments; a non-tuple is the single argument.
        kwargs (dict): keyword arguments.
        tie_weights (bool): replace a tied tensor under all its names. Default: True
        strict (bool): the names must be exactly the module's parameters and buffers. Default: False

    Warns FutureWarning with torch's deprecation text; raises as ``torch.func.functional_call``.
    """
    from ...func.functional_call import _reparametrize_module
    warnings.warn("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 and will be "
                  "removed in a future version of PyTorch. Please use `torch.func.functional_call` instead "
                  "which is a drop-in replacement.", FutureWarning, stacklevel=2)
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    with _reparametrize_module(module, parameters_and_buffers, tie_weights=tie_weights, strict=strict):
        return module(*args, **(kwargs or {}))

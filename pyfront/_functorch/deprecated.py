"""functorch's top-level transforms: torch.func's, each warning (FutureWarning) that functorch's name is
deprecated, in torch's words, at the caller's line."""
from __future__ import annotations

import functools
import warnings

from .. import func
from . import make_functional as _stateless


def _warning(api: str, new_api: str | None) -> str:
    return ("We've integrated functorch into PyTorch. As the final step of the integration, "
            f"`functorch.{api}` is deprecated as of PyTorch 2.0 and will be deleted in a future version of "
            f"PyTorch >= 2.3. Please use `{new_api or 'torch.func.' + api}` instead; see the PyTorch 2.0 "
            "release notes and/or the `torch.func` migration guide for more details "
            "https://pytorch.org/docs/main/func.migrating.html")


def _deprecated(api, target, new_api=None):
    @functools.wraps(target)
    def call(*args, **kwargs):
        warnings.warn(_warning(api, new_api), FutureWarning, stacklevel=2)
        return target(*args, **kwargs)
    call.__module__ = __name__
    return call


vmap = _deprecated("vmap", func.vmap, "torch.vmap")
grad = _deprecated("grad", func.grad)
grad_and_value = _deprecated("grad_and_value", func.grad_and_value)
vjp = _deprecated("vjp", func.vjp)
jvp = _deprecated("jvp", func.jvp)
jacrev = _deprecated("jacrev", func.jacrev)
jacfwd = _deprecated("jacfwd", func.jacfwd)
hessian = _deprecated("hessian", func.hessian)
functionalize = _deprecated("functionalize", func.functionalize)
make_functional = _deprecated("make_functional", _stateless.make_functional, "torch.func.functional_call")
make_functional_with_buffers = _deprecated(
    "make_functional_with_buffers", _stateless.make_functional_with_buffers, "torch.func.functional_call")
combine_state_for_ensemble = _deprecated("combine_state_for_ensemble", _stateless.combine_state_for_ensemble,
                                         "torch.func.stack_module_state")

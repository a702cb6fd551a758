"""torch's ``has_*`` build flags, read as torch's module ``__getattr__`` answers them: ``has_lapack``,
``has_mkl``, ``has_openmp`` and ``has_spectral`` plainly; ``has_cuda``, ``has_cudnn``, ``has_mkldnn`` and
``has_mps`` (deprecated in torch) after its warning that names the function to call instead."""
from __future__ import annotations

import sys
import warnings


def _plain() -> dict:
    from .backends import mkl, openmp
    return {"has_lapack": lambda: True,  # (NumPy's LAPACK computes torch.linalg's factorisations)
            "has_spectral": lambda: True, "has_mkl": mkl.is_available, "has_openmp": openmp.is_available}


# name -> (torch's module of its replacement, the function there)
_DEPRECATED = {"has_mps": ("mps", "is_built"), "has_cuda": ("cuda", "is_built"),
               "has_cudnn": ("cudnn", "is_available"), "has_mkldnn": ("mkldnn", "is_available")}


def module_getattr(name: str):
    """``torch.<name>`` for a build flag; any other missing name: the AttributeError Python gives."""
    if name in _DEPRECATED:
        from . import backends
        module, function = _DEPRECATED[name]
        warnings.warn(f"'{name}' is deprecated, please use 'torch.backends.{module}.{function}()'",
                      stacklevel=2)
        return getattr(getattr(backends, module), function)()
    if (plain := _plain().get(name)) is not None:
        return plain()
    package = sys.modules[__name__.rpartition(".")[0]]
    shown = "torch" if sys.modules.get("torch") is package else package.__name__  # (``pyfront run``'s torch)
    raise AttributeError(f"module '{shown}' has no attribute '{name}'")

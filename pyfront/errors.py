"""Errors that both sides of the backend seam raise (a kernel and the op above it word them alike).

They are PyTorch's builtin exception types with PyTorch's text, never a pyfront subclass.
"""
from __future__ import annotations


def out_of_bounds(error: type, value: int, dim: int, size: int) -> Exception:
    """PyTorch's builtin ``error`` for an index outside its dim.

    ``error`` is IndexError for advanced indexing, RuntimeError for gather/scatter (negative
    indices there are out of range too). The numbers ride along as ``bounds`` so a composite can
    reword the message as its PyTorch twin does; the type a user sees stays the builtin one.
    """
    e = error(f"index {value} is out of bounds for dimension {dim} with size {size}")
    e.bounds = (value, dim, size)
    return e


def refuse_halves(kernel: str, dtype) -> None:
    """torch's NotImplementedError for a CPU ``kernel`` dispatched over float and double only (not over
    float16 or bfloat16), where ``dtype`` is one of those two."""
    from .dtypes import HALVES, scalar_name
    if dtype in HALVES:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(dtype)}'")


class OutOfMemoryError(RuntimeError):
    """``torch.OutOfMemoryError`` (``torch.cuda.OutOfMemoryError`` is the same class): a device could not
    allocate memory. A RuntimeError, so ``except RuntimeError`` still catches it, as in torch; batch-size
    finders catch it by this name."""


class AcceleratorError(RuntimeError):
    """``torch.AcceleratorError``: an accelerator's runtime reported an error."""


# where they are public (``pyfront.OutOfMemoryError``, which ``import torch`` is under ``pyfront run``), so a
# traceback names them as torch's does and pickle finds them
OutOfMemoryError.__module__ = AcceleratorError.__module__ = "pyfront"

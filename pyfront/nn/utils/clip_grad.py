"""Gradient clipping, as ``torch.nn.utils.clip_grad_norm_`` / ``clip_grad_value_``."""

from __future__ import annotations

import types
import warnings
from typing import Iterable

from ...autograd.grad_mode import no_grad
from ...linalg.norms import vector_norm
from ...ops import sparse_seam
from ...ops.composite.shaping import stack
from ...ops.creation import tensor as _tensor
from ...ops.primitives import elementwise as ew
from ...tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm", "clip_grads_with_norm_"]


def _as_list(tensors) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


@no_grad()
def get_total_norm(
    tensors: Tensor | Iterable[Tensor],
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """The p-norm of all ``tensors`` together, as if concatenated into one vector.

    ``total = || (||t_1||_p, ..., ||t_k||_p) ||_p``, on the first tensor's device.

    Args:
        tensors (Tensor or iterable of Tensor): the tensors (usually gradients).
        norm_type (float): the p of the p-norm (``inf`` for the max norm). Default: 2.0
        error_if_nonfinite (bool): raise if the total norm is NaN or infinite. Default: False
        foreach (bool, optional): accepted for torch's signature; no effect. Default: None

    Shape:
        tensors: any shapes; output: ``()``, a 0-dim tensor (0.0 for no tensors).

    Raises:
        RuntimeError: the total norm is NaN or infinite and ``error_if_nonfinite`` is set.

    Matches ``torch.nn.utils.get_total_norm``.
    """
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return _tensor(0.0)
    device = tensors[0].device
    norms = [vector_norm(t, norm_type).to(device) for t in tensors]  # a sparse one refused, as torch's
    total = stack(norms).norm(norm_type)
    if error_if_nonfinite and bool(ew.logical_or(total.isnan(), total.isinf())):
        raise RuntimeError(
            f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
            "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
            "norm anyway, set `error_if_nonfinite=False`"
        )
    return total


@no_grad()
def clip_grads_with_norm_(
    parameters, max_norm: float, total_norm: Tensor, foreach: bool | None = None
) -> None:
    """Scales the gradients in place by ``min(max_norm / (total_norm + 1e-6), 1)``.

    Args:
        parameters (Tensor or iterable of Tensor): the parameters whose ``.grad`` is used (None grads
            skipped).
        max_norm (float): the largest total norm allowed.
        total_norm (Tensor): the gradients' total norm (from ``get_total_norm``).
        foreach (bool, optional): accepted for torch's signature; no effect. Default: None

    Shape:
        total_norm: ``()``; the gradients keep their shapes.

    Matches ``torch.nn.utils.clip_grads_with_norm_``.
    """
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    coef = ew.clamp_max(float(max_norm) / (total_norm + 1e-6), 1.0)
    for g in grads:
        g.mul_(coef.to(g.device))


@no_grad()
def clip_grad_norm_(
    parameters,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Rescales the gradients in place so that their total norm is at most ``max_norm``.

    ``g <- g * min(max_norm / (total_norm + 1e-6), 1)``, ``total_norm`` the p-norm of all gradients together
    (``get_total_norm``). Returns ``total_norm``, taken before clipping. An empty generator warns.

    Args:
        parameters (Tensor or iterable of Tensor): the parameters whose ``.grad`` is used (None grads
            skipped).
        max_norm (float): the largest total norm allowed.
        norm_type (float): the p of the p-norm (``inf`` for the max norm). Default: 2.0
        error_if_nonfinite (bool): raise if the total norm is NaN or infinite. Default: False
        foreach (bool, optional): accepted for torch's signature; no effect. Default: None

    Shape:
        output: ``()``, a 0-dim tensor.

    Raises:
        RuntimeError: the total norm is NaN or infinite and ``error_if_nonfinite`` is set.

    Follows Pascanu et al. 2013, as ``torch.nn.utils.clip_grad_norm_``.
    """
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    else:
        is_generator = isinstance(parameters, types.GeneratorType)
        parameters = list(parameters)
        if is_generator and not parameters:
            warnings.warn(
                "`parameters` is an empty generator, no gradient clipping will occur.", stacklevel=3
            )
    grads = [p.grad for p in parameters if p.grad is not None]
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(
    parameters,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Deprecated name of ``clip_grad_norm_``: warns (FutureWarning), then calls it.

    Args:
        parameters (Tensor or iterable of Tensor): the parameters whose ``.grad`` is used (None grads
            skipped).
        max_norm (float): the largest total norm allowed.
        norm_type (float): the p of the p-norm (``inf`` for the max norm). Default: 2.0
        error_if_nonfinite (bool): raise if the total norm is NaN or infinite. Default: False
        foreach (bool, optional): accepted for torch's signature; no effect. Default: None

    Shape:
        output: ``()``, the total norm before clipping.

    Raises:
        RuntimeError: the total norm is NaN or infinite and ``error_if_nonfinite`` is set.

    Matches ``torch.nn.utils.clip_grad_norm``.
    """
    warnings.warn(
        "`torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.",
        FutureWarning,
        stacklevel=2,
    )
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


@no_grad()
def clip_grad_value_(parameters, clip_value: float, foreach: bool | None = None) -> None:
    """Clamps every gradient elementwise to ``[-clip_value, clip_value]``, in place.

    Args:
        parameters (Tensor or iterable of Tensor): the parameters whose ``.grad`` is used (None grads
            skipped).
        clip_value (float): the largest absolute gradient value allowed.
        foreach (bool, optional): accepted for torch's signature; no effect. Default: None

    Shape:
        the gradients keep their shapes; returns None.

    Matches ``torch.nn.utils.clip_grad_value_``.
    """
    clip_value = float(clip_value)
    for p in _as_list(parameters):
        if p.grad is not None:
            if p.grad.is_sparse:  # torch's foreach path: clamp_min_, which has no sparse kernel
                sparse_seam.call("clamp_min_", (p.grad, -clip_value), {})
            p.grad.clamp_(min=-clip_value, max=clip_value)

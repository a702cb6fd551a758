"""``torch.poisson`` and ``torch.binomial``: counts drawn elementwise by the distributions' exact samplers
(distributions/_count_sampler.py, PTRS and BTRS), with torch's argument checks and graph nodes."""
from __future__ import annotations

from .. import dtypes as dt
from ..autograd.function import no_derivative, zero_derivative
from ..tensor import Tensor
from .composite.arrays import broadcast_tensors


def _tensor_argument(name, position, value):
    if not isinstance(value, Tensor):
        raise TypeError(f"{name}(): argument '{('input', 'count', 'prob')[position]}' (position "
                        f"{max(position, 1)}) must be Tensor, not {type(value).__name__}")


def poisson(input, generator=None):
    """Poisson counts with the rates ``input``, in its dtype; the gradient is zero."""
    from ..distributions._count_sampler import poisson_counts
    _tensor_argument("poisson", 0, input)
    if not input.dtype.is_floating_point or input.dtype in dt.FLOAT8:
        raise NotImplementedError(f"\"poisson_cpu\" not implemented for '{dt.scalar_name(input.dtype)}'")
    rate = input.detach()
    if rate.numel() and not bool((rate >= 0).all()):  # nan too
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    low = rate.dtype.itemsize < 4  # half rates are drawn in float32, where the samplers' constants hold
    out = poisson_counts(rate.float() if low else rate, generator)
    # torch draws int64 counts: one past int64's range (an infinite rate's) is its -2^63, cast to the dtype
    out = out.masked_fill(~(out < 2.0 ** 63), -2.0 ** 63).to(rate.dtype)
    return zero_derivative(out, input, "PoissonBackward0") if input.requires_grad else out


def binomial(count, prob, generator=None):
    """Binomial counts of successes in ``count`` trials with probabilities ``prob`` (broadcast together),
    in count's dtype; a prob outside [0, 1] counts as the nearer end, as torch's."""
    from ..distributions._count_sampler import binomial_counts
    _tensor_argument("binomial", 1, count)
    _tensor_argument("binomial", 2, prob)
    for name, t in (("count", count), ("prob", prob)):
        if not t.dtype.is_floating_point:
            raise ValueError(f"binomial only supports floating-point dtypes for {name}, got: "
                             f"{dt.scalar_name(t.dtype)}")
    if prob.dtype is not count.dtype:
        found, expected = dt.scalar_name(prob.dtype), dt.scalar_name(count.dtype)
        raise RuntimeError(f"Found dtype {found} but expected {expected}")
    if count.dtype.itemsize < 4:
        raise NotImplementedError(f"\"binomial_cpu\" not implemented for '{dt.scalar_name(count.dtype)}'")
    n, p = broadcast_tensors(count.detach(), prob.detach())
    out = binomial_counts(n.clamp(min=0), p.clamp(0, 1), generator)
    if count.requires_grad or prob.requires_grad:
        return no_derivative(out, "derivative for aten::binomial is not implemented", count, prob)
    return out

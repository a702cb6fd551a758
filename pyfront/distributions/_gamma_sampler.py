"""Standard-gamma samples with implicit reparameterization gradients, composed of pyfront ops.

Sampling is Marsaglia and Tsang's squeeze method (2000), vectorised: every round draws one normal and
one uniform per element from the generator's Philox stream (the same numbers on every device) and keeps
the first accepted candidate; ``alpha < 1`` samples ``Gamma(alpha + 1)`` and scales by ``U^(1/alpha)``.

The gradient is implicit reparameterization (Figurnov et al. 2018), as PyTorch's: ``dx/dalpha =
-(dP(alpha, x)/dalpha) / p(x; alpha)`` with P the regularized lower incomplete gamma function. PyTorch
approximates it piecewise; here it is the series ``P = e^-x x^alpha sum_n x^n / Gamma(alpha + n + 1)``
differentiated term by term, which gives ``dx/dalpha = -x sum_n t_n (log x - digamma(alpha + n + 1))``
with ``t_n = Gamma(alpha) x^n / Gamma(alpha + n + 1)``, summed until the terms vanish (about
``x + 6 sqrt(x) + 40`` of them). Exact to rounding in float64; in float32 the sum loses some digits
where x is far above alpha.
"""

from __future__ import annotations

import math

from .. import dtypes as dt
from ..autograd import no_grad
from ..autograd.function import Function
from ..ops.creation import rand, randn, zeros_like
from ..ops.primitives.elementwise import where
from .utils import digamma

_MAX_ROUNDS = 1000
_MAX_TERMS = 4000


def sample_standard_gamma(alpha):
    """Samples of Gamma(alpha, 1), one per element of ``alpha`` (no gradient)."""
    with no_grad():
        kw = dict(dtype=alpha.dtype, device=alpha.device)
        boost = alpha < 1
        d = where(boost, alpha + 1, alpha) - 1 / 3
        c = (9 * d).rsqrt()
        out, done = zeros_like(alpha), alpha != alpha  # all False (nan alpha never accepts: stays nan below)
        for _ in range(_MAX_ROUNDS):
            x, u = randn(alpha.shape, **kw), rand(alpha.shape, **kw)
            v = (1 + c * x) ** 3
            accept = (v > 0) & (u.log() < 0.5 * x * x + d - d * v + d * v.log())
            out = where(accept & ~done, d * v, out)
            done = done | accept
            if bool(done.all()):
                break
        else:
            raise RuntimeError("gamma sampling did not finish; are the concentrations finite?")
        out = where(boost, out * rand(alpha.shape, **kw).pow(1 / alpha), out)
        return where(alpha == alpha, out.clamp(min=dt.finfo(alpha.dtype).tiny), alpha)


def standard_gamma_grad(x, alpha):
    """``dx/dalpha`` of a Gamma(alpha, 1) sample ``x`` at constant CDF (the series above)."""
    top = float(x.detach().max()) if x.numel() else 0.0
    n_terms = min(int(top + 6 * math.sqrt(max(top, 0.0)) + 40), _MAX_TERMS)
    log_x = x.log()
    term, psi = 1 / alpha, digamma(alpha + 1)
    total = term * (log_x - psi)
    for n in range(1, n_terms):
        term = term * x / (alpha + n)
        psi = psi + 1 / (alpha + n)
        total = total + term * (log_x - psi)
    return -x * total


class StandardGamma(Function):
    """Gamma(alpha, 1) samples whose gradient with respect to alpha is the implicit one."""

    @staticmethod
    def forward(ctx, alpha):
        x = sample_standard_gamma(alpha)
        ctx.save_for_backward(x, alpha)
        return x

    @staticmethod
    def backward(ctx, grad):
        x, alpha = ctx.saved_tensors
        return grad * standard_gamma_grad(x, alpha)

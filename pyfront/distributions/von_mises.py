"""VonMises(loc, concentration), as ``torch.distributions.VonMises``: the circular normal."""

from __future__ import annotations

import math

from ..autograd import no_grad
from ..ops.creation import rand
from ..ops.primitives.elementwise import where
from ..shape import Size
from ..special import i0e, i1e
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all, lazy_property

_MAX_ROUNDS = 1000


def _log_i0(x):
    """``log I0(x)`` for x >= 0 from the scaled Bessel function, so large x does not overflow."""
    return i0e(x).log() + x


class VonMises(Distribution):
    """Density ``exp(κ cos(x - loc)) / (2π I0(κ))`` with concentration κ. Samples are angles in
    [-π, π) drawn by Best and Fisher's rejection method (1979); there is no rsample. ``log_prob`` takes any
    real ``value`` (the density is 2π-periodic), as torch's.

    torch evaluates I0 with Abramowitz and Stegun's polynomial fits (about 1e-7 relative); here it is
    ``special.i0e``, exact to rounding, so the two differ in the seventh digit."""

    arg_constraints = {"loc": constraints.real, "concentration": constraints.positive}
    support = constraints.real
    has_rsample = False

    def __init__(self, loc, concentration, validate_args=None):
        self.loc, self.concentration = broadcast_all(loc, concentration)
        super().__init__(self.loc.shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._expanded(VonMises, batch_shape, _instance, "loc", "concentration")
        for name in ("_proposal_r",):
            if name in self.__dict__:
                setattr(new, name, self.__dict__[name].expand(Size(batch_shape)))
        return new

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        k = self.concentration
        return k * (value - self.loc).cos() - math.log(2 * math.pi) - _log_i0(k)

    @lazy_property
    def _proposal_r(self):
        """Best and Fisher's ``r = (1 + ρ²) / (2ρ)``, with ρ written without the cancellation of
        ``τ - sqrt(2τ)`` at small κ: ``ρ = 2κτ / ((s + 1)(τ + sqrt(2τ)))``, ``s = sqrt(1 + 4κ²)``,
        ``τ = 1 + s``."""
        k = self.concentration.detach()
        s = (1 + 4 * k * k).sqrt()
        tau = 1 + s
        rho = 2 * k * tau / ((s + 1) * (tau + (2 * tau).sqrt()))
        return (1 + rho * rho) / (2 * rho)

    def sample(self, sample_shape=Size()):
        shape = self._extended_shape(sample_shape)
        with no_grad():
            k = self.concentration.detach().expand(shape)
            r = self._proposal_r.expand(shape)
            kw = dict(dtype=k.dtype, device=k.device)
            out, done = k.new_zeros(shape), k != k  # all False
            for _ in range(_MAX_ROUNDS):
                u1, u2, u3 = rand(shape, **kw), rand(shape, **kw), rand(shape, **kw)
                z = (math.pi * u1).cos()
                f = (1 + r * z) / (r + z)
                c = k * (r - f)
                accept = (c * (2 - c) - u2 > 0) | ((c / u2).log() + 1 - c >= 0)
                angle = (u3 - 0.5).sign() * f.clamp(min=-1.0, max=1.0).acos()
                out = where(accept & ~done, angle, out)
                done = done | accept
                if bool(done.all()):
                    break
            else:
                raise RuntimeError("von Mises sampling did not finish; are the concentrations finite?")
            return (out + self.loc.detach() + math.pi).remainder(2 * math.pi) - math.pi

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        """The circular variance ``1 - I1(κ) / I0(κ)``."""
        k = self.concentration
        return 1 - i1e(k) / i0e(k)

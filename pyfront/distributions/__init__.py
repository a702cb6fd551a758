"""``torch.distributions``: parameterisable probability distributions and sampling functions.

Every family composes pyfront ops, so log_prob, entropy, rsample and kl_divergence run (and
differentiate) on every device; samples come from pyfront's generator (Philox, the same stream on
every device). Gamma-based families sample with ``_gamma_sampler`` (Marsaglia-Tsang, implicit
reparameterization gradients).
"""

from __future__ import annotations

from . import constraints, kl
from .bernoulli import Bernoulli
from .beta import Beta
from .categorical import Categorical, OneHotCategorical
from .dirichlet import Dirichlet
from .distribution import Distribution
from .exp_family import ExponentialFamily
from .exponential import Exponential
from .gamma import Gamma
from .independent import Independent
from .kl import kl_divergence, register_kl
from .laplace import Laplace
from .multivariate_normal import MultivariateNormal
from .normal import Normal
from .uniform import Uniform

__all__ = [
    "Bernoulli",
    "Beta",
    "Categorical",
    "Dirichlet",
    "Distribution",
    "Exponential",
    "ExponentialFamily",
    "Gamma",
    "Independent",
    "Laplace",
    "MultivariateNormal",
    "Normal",
    "OneHotCategorical",
    "Uniform",
    "constraints",
    "kl",
    "kl_divergence",
    "register_kl",
]

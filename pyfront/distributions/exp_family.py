"""ExponentialFamily, the base PyTorch gives Normal, Bernoulli, Beta, Gamma, Dirichlet and Exponential.

PyTorch's fallback KL rule for two exponential families computes a Bregman divergence when both are
of one type and refuses different types. Every family here of one type has its own closed form
(``kl.py``), so only the refusal is kept: its message is PyTorch's.
"""

from __future__ import annotations

from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """Distributions whose density is ``exp(<t(x), theta> - F(theta) + k(x))``."""

"""Exact samplers for counts, composed of pyfront ops so that they run on every device (the count of
events is data-dependent, so each loops as many times as the largest count it draws).

- Poisson(rate): the number of unit-rate exponential inter-arrival times that fit before ``rate``.
- Binomial(n, p): the number of ``n`` uniform draws below ``p``, counted one trial at a time.
"""

from __future__ import annotations

from ..autograd import no_grad
from ..ops.creation import empty, rand
from ..ops.primitives.elementwise import where


def poisson_counts(rate):
    """Poisson draws of ``rate``'s shape and dtype (no gradient)."""
    with no_grad():
        count = rate.new_zeros(rate.shape)
        clock = empty(rate.shape, dtype=rate.dtype, device=rate.device).exponential_()
        running = clock < rate
        while bool(running.any()):
            count = count + running.to(rate.dtype)
            clock = clock + empty(rate.shape, dtype=rate.dtype, device=rate.device).exponential_()
            running = running & (clock < rate)
        return count


def binomial_counts(total_count, probs):
    """Binomial draws of ``probs``' shape (total_count broadcast to it; no gradient)."""
    with no_grad():
        n = total_count.expand(probs.shape)
        count = probs.new_zeros(probs.shape)
        trials = int(n.max().item()) if n.numel() else 0
        for i in range(trials):
            hit = rand(probs.shape, dtype=probs.dtype, device=probs.device) < probs
            count = count + where(hit & (n > i), 1.0, 0.0).to(probs.dtype)
        return count

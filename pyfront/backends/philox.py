"""Philox4x32-10 in pure Python: the same stream as the NumPy and WGSL versions, for the
NumPy-free cpu device (slow, meant for small tensors)."""
from __future__ import annotations

import math

_M0, _M1, _W0, _W1, _MASK = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85, 0xFFFFFFFF


def _block(counter: int, seed: int) -> tuple:
    c0, c1, c2, c3 = counter & _MASK, counter >> 32, 0, 0
    k0, k1 = seed & _MASK, (seed >> 32) & _MASK
    for _ in range(10):
        p0, p1 = _M0 * c0, _M1 * c2
        c0, c1, c2, c3 = (p1 >> 32) ^ c1 ^ k0, p1 & _MASK, (p0 >> 32) ^ c3 ^ k1, p0 & _MASK
        k0, k1 = (k0 + _W0) & _MASK, (k1 + _W1) & _MASK
    return c0, c1, c2, c3


def words(n: int, seed: int, offset: int) -> list:
    out, cache = [], {}
    for w in range(offset, offset + n):
        block = cache.get(w >> 2)
        if block is None:
            block = cache[w >> 2] = _block(w >> 2, seed)
        out.append(block[w & 3])
    return out


def random_values(kind, n, seed, offset, a, b) -> list:
    """As backends/numpy.py ``random``: uniform [a, b), normal (mean a, std b), randint [a, b)."""
    if kind == "normal":
        w = words(2 * n, seed, offset)
        return [a + b * math.sqrt(-2.0 * math.log(((w[2 * i] >> 8) + 1.0) / 16777216.0))
                * math.cos(2.0 * math.pi * (w[2 * i + 1] >> 8) / 16777216.0) for i in range(n)]
    if kind == "uniform":
        return [a + (b - a) * ((v >> 8) / 16777216.0) for v in words(n, seed, offset)]
    return [a + v % (b - a) for v in words(n, seed, offset)]

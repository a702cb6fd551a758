"""Signatures torch's stub shows otherwise than its parser reads them: F.gelu's approximate and
scaled_dot_product_attention's scale and enable_gqa are keyword-only (the stub showed them positional), and
randint_like's overloads (an int high, low and high, a Tensor high; a generator) are parsed as torch's."""
from __future__ import annotations

import torch

import pyfront


def _q(L):
    return L.zeros(1, 2, 3)


CALLS = {
    "gelu(x, 'tanh')": lambda L: L.nn.functional.gelu(L.zeros(3), "tanh"),
    "gelu(x, 'none', 1)": lambda L: L.nn.functional.gelu(L.zeros(3), "none", 1),
    "gelu(x, approximate='tanh')": lambda L: L.nn.functional.gelu(L.zeros(3), approximate="tanh"),
    **{f"sdpa({n} positional)": (lambda L, n=n: L.nn.functional.scaled_dot_product_attention(
        _q(L), _q(L), _q(L), *(None, 0.0, False, 0.5, False, 1)[:n - 3])) for n in range(3, 10)},
    "sdpa(scale=, enable_gqa=)": lambda L: L.nn.functional.scaled_dot_product_attention(
        _q(L), _q(L), _q(L), scale=0.5, enable_gqa=False),
    **{f"randint_like(x, {args})": (lambda L, args=args: L.randint_like(L.zeros(3), *args))
       for args in ((), (5,), (1, 5), (5.5,), ("a",), (1, 5, 7), (None,), (2 ** 63,))},
    "randint_like(x, 5, generator=)": lambda L: L.randint_like(L.zeros(3), 5, generator=L.Generator()),
}


def _outcome(f, lib):
    try:
        r = f(lib)
    except Exception as e:
        return f"{type(e).__name__}: {e}"
    return tuple(r.shape), str(r.dtype).split(".")[-1]


def test_signatures_as_torch_parses_them():
    found = {name: (ours, theirs) for name, f in CALLS.items()
             if (ours := _outcome(f, pyfront)) != (theirs := _outcome(f, torch))}
    assert not found, found

"""Ops built from primitives: no kernel and no gradient rule of their own (autograd derives it)."""
from . import elementary, functions, indexing, linalg, math, reductions, sets, shaping  # noqa: F401

FAMILIES = (math, reductions, linalg, shaping, indexing, sets, functions, elementary)

"""Ops built from primitives: no kernel and no gradient rule of their own (autograd derives it)."""
from . import indexing, linalg, math, reductions, shaping  # noqa: F401

FAMILIES = (math, reductions, linalg, shaping, indexing)

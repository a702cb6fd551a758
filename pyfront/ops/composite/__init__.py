"""Ops built from primitives: no kernel and no gradient rule of their own (autograd derives it)."""
from . import (arrays, elementary, functions, indexing, linalg, math, reductions, sets, shaping,  # noqa: F401
               statistics)

FAMILIES = (math, reductions, linalg, shaping, indexing, sets, functions, arrays, statistics, elementary)

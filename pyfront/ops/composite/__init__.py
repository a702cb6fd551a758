"""Ops built from primitives: no kernel and no gradient rule of their own (autograd derives it)."""
from . import (arrays, elementary, functions, indexing, linalg, math, reductions, scatters, sets,  # noqa: F401
               shaping, statistics, view_copies, gap_functions, complex_numbers,
               spectral, fake_quantize)

FAMILIES = (math, reductions, linalg, shaping, indexing, sets, functions, arrays, statistics, elementary,
            scatters, view_copies, gap_functions, complex_numbers, spectral, fake_quantize)

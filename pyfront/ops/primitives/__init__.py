"""The primitive ops, one family per file; importing this package registers them all.

Each family module lists its public functions in ``__all__`` (re-exported by ``pyfront``), the
ones that are also Tensor methods in ``METHODS``, and those with an in-place twin in ``INPLACE``.
"""
from . import decompositions, elementwise, indexing, linalg, moments, nn, pools, reductions, shaping, special  # noqa: F401
from . import fft, lu, special_functions  # noqa: F401

FAMILIES = (elementwise, reductions, linalg, shaping, indexing, nn, special, special_functions)

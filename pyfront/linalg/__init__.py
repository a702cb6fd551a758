"""``torch.linalg``: decompositions and solvers (``decompositions``), least squares and the pseudo-inverse
(``solvers``) and norms (``norms``), with PyTorch's checks, messages, results and gradients.

The LAPACK work is a few registry primitives (``pyfront.ops.primitives.decompositions``); everything
else is composed of pyfront ops, so norms run natively on webgpu and gradients come from the ops.
"""
from __future__ import annotations

from ..ops.primitives.decompositions import LinAlgError
from .decompositions import (cholesky, cholesky_ex, det, eigh, eigvalsh, inv, inv_ex, qr, slogdet, solve,
                             solve_ex, svd, svdvals)
from .norms import matrix_norm, norm, vector_norm
from .solvers import cross, lstsq, matrix_rank, pinv

__all__ = ["LinAlgError", "cholesky", "cholesky_ex", "cross", "det", "eigh", "eigvalsh", "inv", "inv_ex",
           "lstsq", "matrix_norm", "matrix_rank", "norm", "pinv", "qr", "slogdet", "solve", "solve_ex", "svd",
           "svdvals", "vector_norm"]

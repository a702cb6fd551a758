"""``torch.linalg``: decompositions and solvers (``decompositions``), least squares and the pseudo-inverse
(``solvers``) and norms (``norms``), with PyTorch's checks, messages, results and gradients.

The LAPACK work is a few registry primitives (``pyfront.ops.primitives.decompositions``); everything
else is composed of pyfront ops, so norms run natively on webgpu and gradients come from the ops.
"""
from __future__ import annotations

import functools

from ..ops.argcheck import _signature, invalid_combination, must_be, parse
from ..ops.signatures import SIGNATURES
from ..ops.primitives.decompositions import LinAlgError
from ..tensor import Tensor
from .derived import cond, diagonal, tensorinv, tensorsolve, vander
from .decompositions import (cholesky, cholesky_ex, det, eig, eigh, eigvals, eigvalsh, inv, inv_ex, qr,
                             slogdet, solve, solve_ex, svd, svdvals)
from .householder import householder_product
from .ldl import ldl_factor, ldl_factor_ex, ldl_solve
from .lu import lu, lu_factor, lu_factor_ex, lu_solve
from .norms import matrix_norm, norm, vector_norm
from .products import matmul, matrix_exp, matrix_power, multi_dot, solve_triangular, vecdot
from .solvers import cross, lstsq, matrix_rank, pinv

__all__ = ["LinAlgError", "cholesky", "cholesky_ex", "cond", "cross", "det", "diagonal", "eig",
           "eigvals", "eigh", "eigvalsh", "householder_product", "inv", "inv_ex", "ldl_factor",
           "ldl_factor_ex", "ldl_solve", "lstsq", "lu", "lu_factor", "lu_factor_ex",
           "lu_solve", "matmul", "matrix_exp", "matrix_norm", "matrix_power",
           "matrix_rank", "multi_dot", "norm", "pinv", "qr", "slogdet", "solve", "solve_ex",
           "solve_triangular", "svd", "svdvals", "tensorinv", "tensorsolve", "vander", "vecdot",
           "vector_norm"]


def _checked_tensors(name: str, params: str):
    """PyTorch's TypeError for a non-Tensor where ``params`` (space separated) take Tensors; an empty
    ``params`` marks a function with several signatures, whose message lists the arguments given."""
    fn = globals()[name]
    names = params.split()
    # a call that failed is parsed against torch's signatures, where the table has them (a float dim:
    # torch's TypeError naming it, not pyfront's own)
    sigs = [_signature(text) for text in SIGNATURES.get(f"linalg_{name}", ())]

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        for i, arg in enumerate(args[:max(len(names), 1)]):
            if not isinstance(arg, Tensor):
                if not names:
                    raise invalid_combination(f"linalg_{name}", args, kwargs)
                raise must_be(f"linalg_{name}", names[i], "Tensor", arg, i + 1)
        try:
            return fn(*args, **kwargs)
        except Exception:
            if sigs:
                parse(f"linalg_{name}", sigs, args, kwargs)
            raise
    globals()[name] = checked


# (torch's binding's names: tests/test_user_programs_s36b.py checks each against torch's message)
for _name, _params in {"inv": "A", "inv_ex": "A", "det": "A", "slogdet": "A", "cholesky": "input",
                       "cholesky_ex": "input", "qr": "A", "svd": "A", "svdvals": "A", "eigh": "input",
                       "eigvalsh": "input", "eig": "input", "eigvals": "input", "solve": "A B",
                       "solve_ex": "A B", "lstsq": "input b",
                       "cross": "input other", "vector_norm": "input", "matrix_norm": "input",
                       "norm": "input", "pinv": "", "matrix_rank": "", "matrix_power": "input",
                       "matrix_exp": "input",
                       "solve_triangular": "input B", "vecdot": "x y", "matmul": "input other",
                       "cond": "input", "diagonal": "A", "tensorinv": "input", "tensorsolve": "input other",
                       "vander": "x", "lu_factor": "A", "lu_factor_ex": "A", "lu": "A",
                       "lu_solve": "LU pivots B", "householder_product": "input tau", "ldl_factor": "input",
                       "ldl_factor_ex": "input", "ldl_solve": "LD pivots B"}.items():
    _checked_tensors(_name, _params)

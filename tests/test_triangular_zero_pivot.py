"""A zero on a triangular factor's diagonal: torch's trsm substitutes row by row, so solve_triangular and
cholesky_solve give its infinities and nans (inf, -inf, and nan only where 0/0 or inf - inf arise);
pyfront's LU solve gave nan everywhere."""
import itertools

import torch

import pyfront

FACTORS = [[[1.0, 0], [2, 0]], [[0.0, 0], [1, 1]], [[2.0, 0], [1, 0]], [[1.0, 3], [0, 0]], [[0.0, 1], [0, 2]]]
RHS = [[[1.0], [1]], [[0.0], [1]], [[1.0], [0]], [[2.0], [-3]]]


def _solved(lib, L, b, upper):
    L, b = lib.tensor(L), lib.tensor(b)
    return str([lib.cholesky_solve(b, L, upper=upper).tolist(),
                lib.linalg.solve_triangular(L, b, upper=upper).tolist(),
                lib.linalg.solve_triangular(L, b.mT, upper=upper, left=False).tolist()])


def test_zero_pivot_gives_torchs_infinities():
    for L, b, upper in itertools.product(FACTORS, RHS, (False, True)):
        assert _solved(pyfront, L, b, upper) == _solved(torch, L, b, upper), (L, b, upper)

"""Warnings: pyfront warns exactly where torch does, with torch's text.

NumPy's floating-point warnings (divide by zero, invalid value, overflow) must never reach a
user, forward or backward, whatever their own warning filters; torch's own UserWarnings must.
The op table (optable.warns_as) checks every op under ``simplefilter("error")``; these are the
cases outside it.
"""
from __future__ import annotations

import subprocess
import sys
import warnings

import pytest
import torch

import pyfront
from test_errors import assert_like_torch
from warned import every_warning, shown


def _grad_of(fn, x):
    def call(lib):
        leaf = lib.tensor(x, requires_grad=True)
        fn(lib, leaf).sum().backward()
        return leaf.grad

    return call


CASES = {
    "log_zero": lambda L: L.log(L.tensor([0.0, -1.0])),
    "log_zero_backward": _grad_of(lambda L, x: L.log(x), [0.0]),
    "div_by_zero": lambda L: L.tensor([0.0, 1.0, -1.0]) / 0,
    "div_backward_by_zero": _grad_of(lambda L, x: 1.0 / x, [0.0]),
    "sqrt_negative": lambda L: L.sqrt(L.tensor([-1.0])),
    "sqrt_backward_at_zero": _grad_of(lambda L, x: L.sqrt(x), [0.0]),
    "pow_backward_at_zero": _grad_of(lambda L, x: x ** 0.5, [0.0]),
    "exp_overflow": lambda L: L.exp(L.tensor([1000.0])),
    "softmax_of_inf": lambda L: L.softmax(L.tensor([float("inf"), 1.0]), 0),
    "mean_of_empty": lambda L: L.ones(0).mean(),
    "mean_of_empty_backward": _grad_of(lambda L, x: x.mean(), []),
    "var_of_empty_dim": lambda L: L.ones(0, 3).var(0),
    "nan_to_long": lambda L: L.tensor([float("nan"), float("inf")]).long(),
    "norm_backward_at_zero": _grad_of(lambda L, x: x.norm(), [0.0, 0.0]),
    "atan2_zero": lambda L: L.atan2(L.zeros(1), L.zeros(1)),
    "remainder_by_zero": lambda L: L.remainder(L.tensor([1.0]), 0.0),
    "nonleaf_grad": lambda L: (L.ones(2, requires_grad=True) * 2).grad,
    "view_grad": lambda L: L.ones(2, requires_grad=True)[0].grad,
    "retained_grad": lambda L: (lambda y: (y.retain_grad(), y.grad)[1])(L.ones(2, requires_grad=True) * 2),
    "retained_grad_after_backward": lambda L: (
        lambda y: (y.retain_grad(), y.sum().backward(), y.grad)[2])(L.ones(2, requires_grad=True) * 2),
    "leaf_grad": lambda L: L.ones(2, requires_grad=True).grad,
    "no_grad_result_grad": lambda L: (L.ones(2) * 2).grad,
    "var_without_dof": lambda L: L.ones(1).var(),
    "mse_loss_broadcast": lambda L: L.nn.functional.mse_loss(L.ones(3, 1), L.ones(3, 4)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_warns_as_torch(name):
    assert_like_torch(CASES[name])


def test_numpy_warnings_stay_silent_under_user_filters():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = pyfront.tensor([0.0, -1.0, 1e30], requires_grad=True)
        y = pyfront.log(x) + pyfront.exp(x * 1e10) + 1.0 / x
        y.sum().backward()
        pyfront.ones(0, 2).mean(0)


def test_warning_points_at_the_callers_line():
    with warnings.catch_warnings(record=True) as got:
        warnings.simplefilter("always")
        pyfront.nn.functional.mse_loss(pyfront.ones(3, 1), pyfront.ones(3, 4))
    assert [w.filename for w in got] == [__file__]


_ONCE = """
import warnings, sys
warnings.simplefilter("always")
import {lib} as L
L.ones(2, 3, 4).T; L.ones(3).T; L.ones(()).T; L.ones(()).T; L.ones(()).mT; L.ones(()).H; L.ones(()).mH
"""


def _once_warnings(lib):
    run = subprocess.run([sys.executable, "-c", _ONCE.format(lib=lib)], capture_output=True, text=True,
                         check=True)
    lines = [ln for ln in run.stderr.splitlines() if "UserWarning" in ln]
    return [ln.split("UserWarning: ", 1)[1] for ln in lines]  # whole: pyfront names torch's C++ place too


def test_transpose_deprecations_once_per_process():
    """TORCH_WARN_ONCE warnings: each in a fresh process, the first time only."""
    expected = _once_warnings("torch")
    assert len(expected) == 5
    assert _once_warnings("pyfront") == expected
    assert torch.ones(2, 3).T.shape == pyfront.ones(2, 3).T.shape


# torch's once-per-process C++ warnings (TORCH_WARN_ONCE): the op table lets them pass unchecked (which test
# sees them depends on what ran before), so here each is shown every time and compared whole, its
# "(Triggered internally at ...)" place included
WARN_ONCE_CASES = {
    "conv_same_even_kernel": lambda L: L.nn.functional.conv1d(L.ones(1, 1, 8), L.ones(1, 1, 4),
                                                              padding="same"),
    "scatter_reduce_arg": lambda L: L.zeros(3).scatter(0, L.tensor([0, 1]), L.ones(2), reduce="add"),
    "where_uint8": lambda L: L.where(L.tensor([1, 0], dtype=L.uint8), L.ones(2), L.zeros(2)),
    "meshgrid_indexing": lambda L: L.meshgrid(L.ones(2), L.ones(3)),
    "frobenius_norm": lambda L: L.frobenius_norm(L.ones(2, 3), (0, 1)),
    "nuclear_norm": lambda L: L.nuclear_norm(L.eye(3)),
}


@pytest.mark.parametrize("name", list(WARN_ONCE_CASES))
def test_once_per_process_warnings_as_torch_prints_them(name):
    said = []
    for lib in (torch, pyfront):
        with warnings.catch_warnings():  # used up first, as an earlier test may have: warn_always shows it
            warnings.simplefilter("ignore")
            WARN_ONCE_CASES[name](lib)
        with every_warning(lib) as caught:
            WARN_ONCE_CASES[name](lib)
        said.append(shown(caught))
    assert said[1] == said[0] and said[0]

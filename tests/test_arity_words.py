"""A call with too many positional arguments or an unknown keyword, to every function, Tensor method and
torch.nn.functional function pyfront shares with torch: torch's TypeError and words (its argument parser's,
CPython's for its C functions, Python's for its Python ones), never pyfront's inner names
(``binary.<locals>.fn()``) nor Python's words where torch has its own (ops/arity.py, argcheck.arity_error)."""
import re
import warnings

import torch

import pyfront
from pyfront.ops.argcheck import _PER_STEP_METHODS, _PER_STEP_QUERIES

# torch's words that a count or a keyword refused the call (or a required argument named before a keyword)
_REFUSAL = re.compile(r"takes (from \d+ to )?\d+ positional arguments? but|takes no (keyword )?arguments|"
                      r"takes exactly one argument|unexpected keyword argument|"
                      r"received an invalid combination|missing \d+ required positional")
# Known differences, each for its reason. The elementwise ops' planned methods (``per_op``: x.sin(1)) keep
# Python's words, as no wrapper is added to their path (issue 13's per-op cost); so do the per-step methods
# (argcheck._PER_STEP_METHODS, _PER_STEP_QUERIES).
_KNOWN = {
    # pyfront's own signature differs from torch's: another count, or a keyword torch lacks
    "F.elu_", "F.gelu", "F.scaled_dot_product_attention", "torch.randint_like", "Tensor.nonzero",
    "Tensor.reshape", "Tensor.resize", "torch.is_autocast_enabled", "torch.sparse_coo_tensor",
    # torch's boolean dispatch reads the flag among the extra arguments (its own inner names)
    "torch.lu", "torch.unique", "torch.unique_consecutive", "F.max_pool1d", "F.max_pool2d", "F.max_pool3d",
    "F.adaptive_max_pool1d", "F.adaptive_max_pool2d", "F.adaptive_max_pool3d", "F.fractional_max_pool2d",
    "F.fractional_max_pool3d",
    # torch refuses the types of these extra arguments (its invalid combination), not their count
    "torch.stft", "Tensor.stft", "Tensor.new",
    # sparse methods installed after the checks (sparse.install): pyfront's own sparse layer
    "Tensor.sparse_mask", "Tensor.to_dense", "Tensor.to_sparse", "Tensor.to_sparse_bsc",
    "Tensor.to_sparse_bsr", "Tensor.to_sparse_csc", "Tensor.to_sparse_csr",
}
_PER_STEP = _PER_STEP_METHODS | _PER_STEP_QUERIES


def _error(fn, args, kwargs) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - compared
        return f"{type(e).__name__}: {e}"
    return "no error"


def _spaces():
    yield "torch.", torch, pyfront
    yield "F.", torch.nn.functional, pyfront.nn.functional
    yield "Tensor.", torch.Tensor, pyfront.Tensor


def test_too_many_and_unknown_keyword_worded_as_torch():
    wrong = []
    for prefix, theirs, ours in _spaces():
        for name in dir(ours):
            key = prefix + name
            if name.startswith("_") or not hasattr(theirs, name) or key in _KNOWN:
                continue
            fn, ref = getattr(ours, name), getattr(theirs, name)
            if not callable(ref) or isinstance(ref, type) or isinstance(fn, type):
                continue
            if prefix == "Tensor." and (getattr(fn, "per_op", False) or name in _PER_STEP):
                continue
            for extra, kwargs in (((None,) * 9, {}), ((), {"zzz": 1})):
                expected = _error(ref, (torch.ones(2),) + extra, kwargs)
                if not _REFUSAL.search(expected) or expected.startswith("RuntimeError"):
                    continue
                got = _error(fn, (pyfront.ones(2),) + extra, kwargs)
                if got != expected:
                    wrong.append(f"{key}{extra and ' (many)' or ' (zzz=)'}: {got!r}, torch: {expected!r}")
    assert not wrong, "\n".join(wrong)


def test_elementwise_functions_name_no_inner_function():
    # the binary and unary ops' functions (torch.add, torch.mul, torch.sin, x.mul): torch's name and words
    for name in ("add", "sub", "mul", "div", "maximum", "atan2", "sin", "exp", "relu", "bitwise_and",
                 "hypot"):
        forms = [(getattr(torch, name), getattr(pyfront, name), 2)]
        if not getattr(getattr(pyfront.Tensor, name), "per_op", False):  # (see _KNOWN)
            forms.append((getattr(torch.Tensor, name), getattr(pyfront.Tensor, name), 2))
        for ref, fn, tensors in forms:
            expected = _error(ref, (torch.ones(2),) * tensors + (1, 2, 3, 4), {})
            got = _error(fn, (pyfront.ones(2),) * tensors + (1, 2, 3, 4), {})
            assert "<locals>" not in got and got == expected, (name, got, expected)

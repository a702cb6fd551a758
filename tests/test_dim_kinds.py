"""A dim given as a NumPy integer, a 0-d tensor, a 0-d ndarray, a bool or a float, to every function and
method that takes a dim: pyfront's outcome is torch's (the value, or the exception type and its whole
text, with the overloads torch lists after "but expected one of:").

torch's parser reads an ``int`` as a Python int (not a bool), a NumPy integer or a 0-d integer tensor;
a list of ints (``dim`` of sum, flip's ``dims``) takes one of those too, and meets a 0-d ndarray with an
internal assert. ``CALLS`` spells a call of each name with ``D`` where the dim goes; a test checks that
it names every public function and method with a dim parameter.
"""
from __future__ import annotations

import inspect

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

# one call per name: ``x`` a 2x2 float tensor, ``x3`` 3x3, ``i`` int64 zeros like x, ``i1`` [0, 1],
# ``T`` the library (torch or pyfront), ``F`` its nn.functional, ``D`` the dim under test
_REDUCE = ("all any amax amin argmax argmin argsort count_nonzero cummax cummin cumprod cumsum "
           "logcumsumexp logsumexp max min mean median mode nanmean nanmedian nansum prod softmax "
           "log_softmax sort squeeze std var sum unbind unsqueeze flip size stride").split()
METHODS = {
    **{n: f"x.{n}(D)" for n in _REDUCE},
    "aminmax": "x.aminmax(dim=D)", "diff": "x.diff(1, D)", "norm": "x.norm(2, D)", "roll": "x.roll(1, D)",
    "rot90": "x.rot90(1, (D, 0))", "chunk": "x.chunk(2, D)", "split": "x.split(1, D)",
    "split_with_sizes": "x.split_with_sizes([1, 1], D)", "unsafe_chunk": "x.unsafe_chunk(2, D)",
    "unsafe_split": "x.unsafe_split(1, D)", "unsafe_split_with_sizes": "x.unsafe_split_with_sizes([1, 1], D)",
    "tensor_split": "x.tensor_split(2, D)", "cross": "x3.cross(x3, D)", "diag_embed": "x.diag_embed(0, D, 0)",
    "diagonal": "x.diagonal(0, D, 0)", "diagonal_scatter": "x.diagonal_scatter(T.zeros(2), 0, D, 0)",
    "flatten": "x.flatten(D)", "unflatten": "x.unflatten(D, (2, 1))", "gather": "x.gather(D, i)",
    "index_add": "x.index_add(D, i1, x)", "index_copy": "x.index_copy(D, i1, x)",
    "index_fill": "x.index_fill(D, i1, 0.0)", "index_select": "x.index_select(D, i1)",
    "kthvalue": "x.kthvalue(1, D)", "moveaxis": "x.moveaxis(D, 0)", "movedim": "x.movedim(D, 0)",
    "narrow": "x.narrow(D, 0, 1)", "narrow_copy": "x.narrow_copy(D, 0, 1)", "permute": "x.permute(D, 0)",
    "quantile": "x.quantile(0.5, D)", "nanquantile": "x.nanquantile(0.5, D)", "renorm": "x.renorm(2, D, 1.0)",
    "repeat_interleave": "x.repeat_interleave(1, D)", "scatter": "x.scatter(D, i, x)",
    "scatter_add": "x.scatter_add(D, i, x)", "scatter_reduce": "x.scatter_reduce(D, i, x, 'sum')",
    "select": "x.select(D, 0)", "select_scatter": "x.select_scatter(T.zeros(2), D, 0)",
    "slice_scatter": "x.slice_scatter(x, D)", "swapaxes": "x.swapaxes(D, 0)", "swapdims": "x.swapdims(D, 0)",
    "transpose": "x.transpose(D, 0)", "take_along_dim": "x.take_along_dim(i, D)", "topk": "x.topk(1, D)",
    "unique": "x.unique(dim=D)", "unique_consecutive": "x.unique_consecutive(dim=D)", "tile": "x.tile(D)",
    "index_reduce": "x.index_reduce(D, i1, x, 'prod')",
}
METHODS.update({f"{n}_": "x.clone()." + METHODS[n][2:].replace(f"{n}(", f"{n}_(", 1) for n in (
    "cumprod cumsum index_add index_copy index_fill index_reduce renorm scatter scatter_add scatter_reduce "
    "squeeze "
    "swapaxes swapdims transpose unsqueeze").split()})
# torch's functions: the method's call with x first, and those without a method
_NO_FUNCTION = {"size", "stride", "tile"}
FUNCTIONS = {n: "T." + c.replace(f"{c.split('.')[0]}.{n}(", f"{n}({c.split('.')[0]}, ", 1).replace(", )", ")")
             for n, c in METHODS.items() if not n.endswith("_") and n not in _NO_FUNCTION}
FUNCTIONS.update({
    "permute": "T.permute(x, (D, 0))", "tile": "T.tile(x, D)", "cat": "T.cat([x, x], D)",
    "concat": "T.concat([x, x], D)", "concatenate": "T.concatenate([x, x], D)", "stack": "T.stack([x, x], D)",
    "cosine_similarity": "T.cosine_similarity(x, x, D)",
    "cumulative_trapezoid": "T.cumulative_trapezoid(x, dim=D)",
    "trapezoid": "T.trapezoid(x, dim=D)", "trapz": "T.trapz(x, dim=D)", "std_mean": "T.std_mean(x, D)",
    "var_mean": "T.var_mean(x, D)", "tensordot": "T.tensordot(x, x, dims=D)",
    "F.cosine_similarity": "F.cosine_similarity(x, x, D)", "F.glu": "F.glu(x, D)",
    "F.log_softmax": "F.log_softmax(x, D)", "F.normalize": "F.normalize(x, dim=D)",
    "F.softmax": "F.softmax(x, D)",
    "F.softmin": "F.softmin(x, D)", "F.gumbel_softmax": "F.gumbel_softmax(x, dim=D)",
    "linalg.cross": "T.linalg.cross(x3, x3, dim=D)",
    "linalg.matrix_norm": "T.linalg.matrix_norm(x, dim=(D, 0))",
    "linalg.norm": "T.linalg.norm(x, dim=D)", "linalg.vecdot": "T.linalg.vecdot(x, x, dim=D)",
    "linalg.vector_norm": "T.linalg.vector_norm(x, dim=D)",
    "special.log_softmax": "T.special.log_softmax(x, D)",
    "special.logsumexp": "T.special.logsumexp(x, D)", "special.softmax": "T.special.softmax(x, D)",
    "gradient": "T.gradient(x, dim=D)", "linalg.diagonal": "T.linalg.diagonal(x, dim1=D, dim2=0)",
    "linalg.tensorsolve": "T.linalg.tensorsolve(x.abs().diag().diag(), x[0], dims=(D,))",
    "frobenius_norm": "T.frobenius_norm(x, dim=(D,))", "nuclear_norm": "T.nuclear_norm(x, dim=(D, 0))",
})
# the view functions' copies (torch.select_copy, ...), called as their views
FUNCTIONS.update({f"{n}_copy": FUNCTIONS[n].replace(f"T.{n}(", f"T.{n}_copy(", 1) for n in (
    "diagonal permute select split split_with_sizes squeeze transpose unbind unsqueeze").split()})
FUNCTIONS["slice_copy"] = "T.slice_copy(x, D)"
# dim-named parameters that are no dim, and names with no dim
_NOT_DIMS = {"masked_scatter", "masked_scatter_", "put", "put_", "set_"}
VALUES = {"np.int64": lambda T: np.int64(1), "np.int32": lambda T: np.int32(1),
          "tensor": lambda T: T.tensor(1),
          "bool_tensor": lambda T: T.tensor(True), "ndarray": lambda T: np.array(1), "True": lambda T: True,
          "float": lambda T: 1.0}


def _outcome(T, call: str, value, device: str):
    x = T.tensor([[1.0, -2.0], [3.0, 0.5]], device=device)
    scope = {"T": T, "F": T.nn.functional, "x": x, "x3": T.arange(9.0, device=device).reshape(3, 3),
             "i": T.zeros(2, 2, dtype=T.int64, device=device), "i1": T.tensor([0, 1], device=device),
             "D": value(T)}
    if isinstance(scope["D"], T.Tensor):
        scope["D"] = scope["D"].to(device)
    try:
        out = eval(call, scope)
    except Exception as e:  # noqa: BLE001 - the outcome compared
        return type(e).__name__, str(e)
    return "ok", _plain(out) if "gumbel" not in call else None


def _plain(out):
    if isinstance(out, (tuple, list)):
        return [_plain(o) for o in out]
    if hasattr(out, "tolist") and not isinstance(out, (int, float)):
        return (tuple(out.shape), _plain(out.cpu().tolist()))
    return round(out, 5) if isinstance(out, float) else out  # (the dim read, not the last bit, is compared)


# calls that still differ, and why (the test fails once one matches: then drop its line)
KNOWN = {("method", "tile", "bool_tensor"): "x.tile(tensor(True)): torch's varargs list meets an assert "
                                            "(its item is no integer); pyfront repeats once"}

CASES = [(kind, name, v) for kind, table in (("method", METHODS), ("function", FUNCTIONS))
         for name in table for v in VALUES]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("kind,name,value", CASES)
def test_dim_kind_as_torch(kind, name, value, device):
    call = (METHODS if kind == "method" else FUNCTIONS)[name]
    expected = _outcome(torch, call, VALUES[value], "cpu")
    got = _outcome(pyfront, call, VALUES[value], device)
    if (kind, name, value) in KNOWN:
        assert got != expected, f"{call} now matches torch: drop its KNOWN line"
        return
    assert got == expected, call


def _dim_params(fn) -> bool:
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return any(p in ("dim", "dims", "dim0", "dim1", "dim2", "start_dim", "source") for p in params)


def test_every_dim_taker_is_swept():
    methods = {n for n in dir(pyfront.Tensor)
               if not n.startswith("_") and _dim_params(getattr(pyfront.Tensor, n))}
    spaces = (("", pyfront), ("F.", pyfront.nn.functional), ("linalg.", pyfront.linalg),
              ("special.", pyfront.special))
    functions = {p + n for p, ns in spaces
                 for n in dir(ns) if not n.startswith("_") and _dim_params(getattr(ns, n))}
    assert methods - _NOT_DIMS <= METHODS.keys()
    assert functions - _NOT_DIMS <= FUNCTIONS.keys()

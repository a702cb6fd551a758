"""Arguments given by torch's keywords: torch.reshape(x, shape=...), x.view(size=...), torch.swapaxes(x,
axis0=, axis1=), torch.hsplit(x, sections=...), x.copy_(other=...), ...

A structural sweep: every keyword torch's signatures name (its binding stubs for the C++ functions and
methods, inspect for its Python ones) is one pyfront's function takes, for every function of torch.*,
Tensor and torch.nn.functional pyfront has. A behavioural one: each valid call of the op table and
tests/badargs.py's EXTRA with its trailing arguments given by keyword instead, in each of torch's
overloads' names that torch takes, gives torch's value."""
from __future__ import annotations

import ast
import collections
import inspect
import pathlib
import warnings

import pytest
import torch

import pyfront
from badargs import bases, compare
from optable import _resolve

_C = pathlib.Path(torch.__file__).parent / "_C"
# placement and output keywords have their own tests (test_out.py, test_factory_call_forms.py, ...)
_SKIPPED = {"out", "dtype", "layout", "device", "pin_memory", "requires_grad", "memory_format", "generator",
            "names"}
_CPU_REFUSED = "out_dtype: torch's CPU refuses it (no aten::NAME.dtype kernel)"
_SELF = "torch's in-place torch.NAME(input=...): pyfront's is the method, named self"
KNOWN = {
    "torch.addmm": _CPU_REFUSED, "torch.baddbmm": _CPU_REFUSED, "torch.bmm": _CPU_REFUSED,
    "torch.mm": _CPU_REFUSED,
    "torch.is_distributed": _SELF,
    "torch.compile": "torch.compile's newer options: pyfront's compile is the identity",
    "torch.isin": "isin's Scalar overloads' names (element=, test_element=)",
    "torch.lu_solve": "the deprecated lu_solve(b, LU_data, LU_pivots): its first by position only",
    "torch.orgqr": "torch's binding names tau input2 (its docs: tau)", "Tensor.orgqr": "as torch.orgqr",
    "torch.ormqr": "torch's binding names tau and other input2 and input3", "Tensor.ormqr": "as torch.ormqr",
    "torch.result_type": "result_type's Scalar overloads' names (scalar=, scalar1=, scalar2=)",
    "torch.set_num_threads": "torch's takes no keyword at all", "torch.set_num_interop_threads": "as above",
    "Tensor.lstsq": "removed from torch (it raises)", "Tensor.solve": "removed from torch (it raises)",
    "Tensor.map_": "torch's parser names map_'s tensor other",
    "Tensor.requires_grad_": "torch's stub names it mode, its parser requires_grad (as pyfront)",
    "Tensor.to_sparse": "the compressed layouts' blocksize and dense_dim: pyfront has COO only",
}


def _stub(path, cls=None):
    tree = ast.parse(path.read_text())
    body = tree.body
    if cls:
        body = next(n for n in body if isinstance(n, ast.ClassDef) and n.name == cls).body
    out = collections.defaultdict(list)
    for node in body:
        if isinstance(node, ast.FunctionDef):
            out[node.name].append([a.arg for a in node.args.args + node.args.kwonlyargs if a.arg != "self"])
    return out


def _torch_keywords(obj, stubbed):
    try:
        params = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return set().union(*map(set, stubbed))
    return {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)} - {"self"}


def _ours(obj):
    params = inspect.signature(obj).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None
    return {p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def test_torchs_keywords_are_taken():
    funcs, nn = _stub(_C / "_VariableFunctions.pyi"), _stub(_C / "_nn.pyi")
    spaces = (("torch.", torch, pyfront, funcs), ("Tensor.", torch.Tensor, pyfront.Tensor,
                                                  _stub(_C / "__init__.pyi", "TensorBase")),
              ("F.", torch.nn.functional, pyfront.nn.functional, {**funcs, **nn}))
    lacking = {}
    for label, theirs, ours, stubs in spaces:
        for name in dir(theirs):
            t, p = getattr(theirs, name, None), getattr(ours, name, None)
            if name.startswith("_") or not callable(t) or not callable(p) or isinstance(t, type) \
                    or isinstance(p, type):
                continue
            try:
                mine = _ours(p)
            except (TypeError, ValueError):
                continue
            missing = _torch_keywords(t, stubs.get(name, [])) - _SKIPPED - (mine or set())
            if mine is not None and missing:
                lacking[label + name] = sorted(missing)
    assert {k: v for k, v in lacking.items() if k not in KNOWN} == {}
    assert sorted(k for k in KNOWN if k not in lacking) == []  # a fix: drop its line


def _keyword_calls():
    """(name, args, kwargs, domain) of each op table/EXTRA first valid call, its trailing arguments given
    by the names of each of torch's signatures long enough (its stub's, and inspect's)."""
    funcs, nn, methods = (_stub(_C / "_VariableFunctions.pyi"), _stub(_C / "_nn.pyi"),
                          _stub(_C / "__init__.pyi", "TensorBase"))
    out = []
    for name, (rows, domain) in sorted(bases().items()):
        args, kwargs = rows[0]
        short = name.split(".")[-1]
        forms = [(name, (), args, funcs.get(short, []) if "." not in name else
                  nn.get(short, []) if name.startswith("nn.functional.") else [])]
        if "." not in name and args and hasattr(torch.Tensor, short) and hasattr(pyfront.Tensor, short):
            forms.append((f"Tensor.{short}", args[:1], args[1:], methods.get(short, [])))
        for shown, head, pos, stubbed in forms:
            names = list(stubbed)
            try:
                sig = inspect.signature(_resolve(torch, name))
                names.append([p.name for p in sig.parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD])
            except (TypeError, ValueError):
                pass
            seen = set()
            for order in names:
                for k in range(len(pos)):
                    kw = dict(zip(order[k:len(pos)], pos[k:]))
                    if len(order) >= len(pos) and tuple(kw) not in seen:
                        seen.add(tuple(kw))
                        out.append((shown, (*head, *pos[:k]), {**kwargs, **kw}, domain))
    return out


def test_trailing_arguments_by_keyword_as_torch():
    differ = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, args, kwargs, domain in _keyword_calls():
            found = compare(name, args, kwargs, domain)
            # a call torch refuses is not a keyword form: only torch's values are the oracle here
            if found is not None and "where torch returns" in found:
                differ.setdefault(name, (sorted(kwargs), found[:200]))
    assert differ == {}


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.reshape(x, shape=(4, 3)), lambda lib, x: x.reshape(shape=(4, 3)),
    lambda lib, x: x.view(size=(12,)), lambda lib, x: x.expand(size=(2, 3, 4), implicit=False),
    lambda lib, x: x.permute(dims=(1, 0)), lambda lib, x: lib.permute(x, dims=[1, 0]),
    lambda lib, x: x.sum_to_size(size=(1, 4)), lambda lib, x: x.clone().resize_(size=(2, 2)),
    lambda lib, x: lib.swapaxes(x, axis0=0, axis1=1), lambda lib, x: x.swapaxes(axis0=1, axis1=0),
    lambda lib, x: x.clone().swapaxes_(axis0=0, axis1=1), lambda lib, x: lib.hsplit(x, sections=2),
    lambda lib, x: lib.vsplit(x, indices=[1]), lambda lib, x: x.tensor_split(sections=2, dim=1),
    lambda lib, x: lib.tensor_split(x, tensor_indices_or_sections=lib.tensor([1])),
    lambda lib, x: lib.zeros(3, 4).copy_(other=x), lambda lib, x: lib.promote_types(type1=lib.int8,
                                                                                      type2=lib.uint8),
    lambda lib, x: lib.result_type(tensor=x, other=1.5), lambda lib, x: x.to_dense(masked_grad=False),
    lambda lib, x: x.to_dense(lib.float64), lambda lib, x: lib.masked_fill(x, mask=x > 0, value=2.5),
    lambda lib, x: x.index_fill(dim=0, index=lib.tensor([1]), value=-1.0),
    lambda lib, x: lib.bilinear(input1=x, input2=x, weight=lib.ones(2, 4, 4))])
def test_named_keyword_forms_as_torch(call):
    outs = []
    for lib in (torch, pyfront):
        x = lib.arange(12.0).reshape(3, 4) - 5
        try:
            got = call(lib, x)
        except Exception as e:  # noqa: BLE001 - compared with torch's
            outs.append((type(e).__name__, str(e)))
            continue
        got = got if isinstance(got, (tuple, list)) else [got]
        outs.append([str(g) if not hasattr(g, "tolist") else (g.tolist(), str(g.dtype)) for g in got])
    assert outs[1] == outs[0]

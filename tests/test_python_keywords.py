"""torch's functions and Tensor methods written in Python (``Tensor.split``, ``torch.set_rng_state``,
``F.interpolate``, ...) can be called with their parameters' names as keywords: pyfront's twin of each takes
every keyword name torch's takes (``x.split(split_size=2)``, ``torch.set_rng_state(new_state=s)``)."""
import inspect

import pytest
import torch

import pyfront

# torch.compile's options (pyfront compiles nothing); Tensor.solve and lstsq, removed (both raise torch's
# removal error whatever their arguments); autograd.variable, a module in pyfront (torch's old function)
NOT_TAKEN = {("", "compile"), ("Tensor", "solve"), ("Tensor", "lstsq"), ("autograd", "variable")}
PLACES = ["", "Tensor", "nn.functional", "linalg", "nn.init", "special", "random", "autograd"]


def _get(root, place):
    for part in filter(None, place.split(".")):
        root = getattr(root, part, None)
    return root


def _keywords(fn):
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is p.VAR_KEYWORD for p in params):
        return None  # takes any keyword
    return [p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def _rows():
    rows = []
    for place in PLACES:
        t_mod, p_mod = _get(torch, place), _get(pyfront, place)
        for name in sorted(vars(t_mod)) if p_mod is not None else ():
            t_fn, p_fn = getattr(t_mod, name, None), getattr(p_mod, name, None)
            if (name.startswith("_") or not inspect.isfunction(t_fn) or p_fn is None
                    or (place, name) in NOT_TAKEN):
                continue
            rows.append(pytest.param(place, name, id=f"{place or 'torch'}.{name}"))
    return rows


@pytest.mark.parametrize("place,name", _rows())
def test_a_python_level_function_takes_torchs_keyword_names(place, name):
    expected = _keywords(getattr(_get(torch, place), name))
    try:
        got = _keywords(getattr(_get(pyfront, place), name))
    except (TypeError, ValueError):
        pytest.fail("pyfront's has no signature to read")
    if got is not None and expected is not None:
        assert [n for n in expected if n not in got and n != "self"] == []


def test_backward_takes_grad_variables_as_torch():
    for lib in (torch, pyfront):
        x = lib.ones(2, requires_grad=True)
        with pytest.warns(FutureWarning, match="`grad_variables` is deprecated. Use `grad_tensors` instead."):
            lib.autograd.backward(x * 3, grad_variables=lib.tensor([1.0, 2.0]))
        assert x.grad.tolist() == [3.0, 6.0]
        with pytest.raises(RuntimeError, match="`grad_tensors` and `grad_variables` \\(deprecated\\)"):
            lib.autograd.backward(x * 3, lib.ones(2), grad_variables=lib.ones(2))

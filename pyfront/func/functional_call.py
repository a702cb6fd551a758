"""``torch.func.functional_call``: call a module with some of its parameters and buffers replaced by given
tensors, the module itself unchanged afterwards (also when the call raises), as torch 2.13's
``torch/nn/utils/stateless.py`` and ``_named_member_accessor.py``.
"""
from __future__ import annotations

import contextlib
from collections.abc import Sequence

from ..tensor import Tensor

_MISSING = object()


def _submodule(module, path: str, memo: dict):
    if not path:
        return module
    if path not in memo:
        prefix, _, attr = path.rpartition(".")
        parent = _submodule(module, prefix, memo)
        try:
            sub = getattr(parent, attr)
        except AttributeError as ex:
            raise AttributeError(f"{parent._get_name()} has no attribute `{attr}`") from ex
        from ..nn import Module
        if not isinstance(sub, Module):
            raise TypeError(f"submodule `{path}`: {sub} is not an instance of torch.nn.Module")
        memo[path] = sub
    return memo[path]


def _swap_tensor(module, name: str, tensor, memo: dict):
    """Put ``tensor`` (or, given ``_MISSING``, nothing) at dotted ``name``; returns what was there."""
    prefix, _, attr = name.rpartition(".")
    module = _submodule(module, prefix, memo)
    if tensor is not _MISSING and tensor is not None and not isinstance(tensor, Tensor):
        raise TypeError(f"{tensor} is not an instance of torch.Tensor")
    # a parameter's or buffer's slot is written directly: setattr would refuse a plain Tensor for a Parameter
    for store in (module._parameters, module._buffers):
        if attr in store:
            orig = store[attr]
            if tensor is _MISSING:
                del store[attr]
            else:
                store[attr] = tensor
            return orig
    orig = getattr(module, attr) if hasattr(module, attr) else _MISSING
    if orig is not _MISSING and orig is not None and not isinstance(orig, Tensor):
        raise TypeError(f"attribute `{attr}`: {orig} is not an instance of torch.Tensor")
    if tensor is not _MISSING:
        setattr(module, attr, tensor)
    elif hasattr(module, attr):
        delattr(module, attr)
    return orig


def _named_tensors(module):
    yield from module.named_parameters(remove_duplicate=False)
    yield from module.named_buffers(remove_duplicate=False)


def _untie(module, given: dict) -> dict:
    """``given`` plus, for a given name whose tensor the module shares under other names, those names too."""
    names_of: dict = {}
    for name, t in dict(_named_tensors(module)).items():
        names_of.setdefault(t, set()).add(name)
    tied = {name: names for names in names_of.values() if len(names) > 1 for name in names}
    untied = dict(given)
    for name in (n for n in given if n in tied):
        chosen = tied[name] & set(given)
        if len(chosen) > 1 and len({id(given[n]) for n in chosen}) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(tied[name])}, which are "
                             "tied. Consider using tie_weights=False")
        untied.update({n: given[name] for n in tied[name]})
    return untied


@contextlib.contextmanager
def _reparametrize_module(module, tensors: dict, tie_weights=False, strict=False):
    untied = _untie(module, tensors) if tie_weights else tensors
    if strict:
        valid = {name for name, _ in _named_tensors(module)}
        missing, unexpected = sorted(valid - set(untied)), sorted(set(untied) - valid)
        msgs = []
        if unexpected:
            msgs.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
        if missing:
            msgs.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
        if msgs:
            raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(module._get_name(),
                                                                                   "\n\t".join(msgs)))
    memo, orig = {}, {}
    try:
        for name, t in untied.items():
            orig[name] = _swap_tensor(module, name, t, memo)
        yield
    finally:
        # what the call left in each slot (a module may reassign a buffer) goes back to the caller's dict
        now = {name: _swap_tensor(module, name, t, memo) for name, t in orig.items()}
        tensors.update({k: now[k] for k in tensors if k in now})


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *, tie_weights=True,
                    strict=False):
    r"""``module(*args, **kwargs)`` with the named parameters and buffers replaced by the given tensors.

    Args:
        module (nn.Module): the module to call.
        parameter_and_buffer_dicts (dict or tuple of dicts): dotted names (``"0.weight"``) to tensors; names
            the module lacks are set as attributes for the call. Several dicts must not share a key.
        args (Any or tuple): positional arguments; a non-tuple is the single argument.
        kwargs (dict): keyword arguments.
        tie_weights (bool): a tensor the module shares under several names (tied weights) is replaced under
            all of them. Default: True
        strict (bool): the names must be exactly the module's parameters and buffers. Default: False

    The module's own parameters and buffers are put back afterwards, also when the call raises; a tensor the
    module assigned during the call is written back into the given dict. Raises ValueError for dicts that
    share a key, tied names given different tensors, or a non-dict argument; RuntimeError listing missing or
    unexpected keys in strict mode.
    """
    if isinstance(parameter_and_buffer_dicts, dict):
        tensors = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, Sequence):
        if not all(isinstance(d, dict) for d in parameter_and_buffer_dicts):
            raise ValueError("Expected all elements of parameter_and_buffer_dicts to be dictionaries")
        counts: dict = {}
        for d in parameter_and_buffer_dicts:
            for k in d:
                counts[k] = counts.get(k, 0) + 1
        repeated = [k for k, n in counts.items() if n > 1]
        if repeated:
            raise ValueError(f"{repeated} appeared in multiple dictionaries; behavior of functional call is "
                             "ambiguous")
        tensors = {k: v for d in parameter_and_buffer_dicts for k, v in d.items()}
    else:
        raise ValueError("Expected parameter_and_buffer_dicts to be a dict, or a list/tuple of dicts, but "
                         f"got {type(parameter_and_buffer_dicts)}")
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    with _reparametrize_module(module, tensors, tie_weights=tie_weights, strict=strict):
        return module(*args, **(kwargs or {}))


def stack_module_state(models):
    r"""The parameters and buffers of same-class modules stacked along a new first dimension, for
    ``vmap(functional_call)`` over an ensemble: ``(params, buffers)``, two dicts of name to stacked tensor.

    Args:
        models (list of nn.Module): of one class and one training/eval mode.

    A stacked parameter is a new leaf that requires grad when every model's does. Raises RuntimeError with
    torch's text for no models, mixed modes or classes, or mixed ``requires_grad``.
    """
    from ..ops.composite.shaping import stack
    if len(models) == 0:
        raise RuntimeError("stack_module_state: Expected at least one model, got 0.")
    if not (all(m.training for m in models) or all(not m.training for m in models)):
        raise RuntimeError("stack_module_state: Expected all models to have the same training/eval mode.")
    if not all(type(m) is type(models[0]) for m in models):
        raise RuntimeError("stack_module_state: Expected all models to be of the same class.")

    def stacked(named):
        each = [dict(named(m)) for m in models]
        out = {}
        for k in each[0]:
            tensors = [d[k] for d in each]
            flags = {t.requires_grad for t in tensors}
            if len(flags) > 1:
                raise RuntimeError(f"Expected {k} from each model to have the same .requires_grad")
            out[k] = stack(tensors).detach().requires_grad_() if flags == {True} else stack(tensors)
        return out

    return stacked(lambda m: m.named_parameters()), stacked(lambda m: m.named_buffers())

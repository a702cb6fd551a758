"""functorch's stateless modules: ``make_functional(model)`` gives ``(fmodel, params)`` where
``fmodel(params, *args)`` runs a copy of ``model`` with ``params`` in place of its own (and
``make_functional_with_buffers`` the same with its buffers), over ``torch.func.functional_call``."""
from __future__ import annotations

import copy

from .. import nn
from ..func import functional_call
from ..func.functional_call import stack_module_state


def _named(model, kind):
    # named_parameters/named_buffers give a tied tensor once: functional_call ties the other names to it
    return tuple(zip(*getattr(model, kind)())) or ((), ())


class FunctionalModuleWithBuffers(nn.Module):
    """``fmodel(params, buffers, *args, **kwargs)``: the copied model run with these tensors."""

    def __init__(self, stateless_model, param_names, buffer_names):
        super().__init__()
        self.stateless_model = stateless_model
        self.param_names = tuple(param_names)
        self.buffer_names = tuple(buffer_names)

    def forward(self, params, buffers, *args, **kwargs):
        state = dict(zip(self.param_names, params))
        state.update(zip(self.buffer_names, buffers))
        return functional_call(self.stateless_model, state, args, kwargs)


class FunctionalModule(nn.Module):
    """``fmodel(params, *args, **kwargs)``: the copied model run with these parameters."""

    def __init__(self, stateless_model, param_names):
        super().__init__()
        self.stateless_model = stateless_model
        self.param_names = tuple(param_names)

    def forward(self, params, *args, **kwargs):
        return functional_call(self.stateless_model, dict(zip(self.param_names, params)), args, kwargs)


def _params_of(model_copy, disable_autograd_tracking):
    names, params = _named(model_copy, "named_parameters")
    if disable_autograd_tracking:
        for p in params:
            p.requires_grad_(False)
    return names, tuple(params)


def make_functional(model, disable_autograd_tracking: bool = False):
    """``(fmodel, params)`` of a model without buffers (a copy of it: ``model`` itself is not changed)."""
    if any(True for _ in model.buffers()):
        raise RuntimeError("make_functional(model): `model` has buffers. Please use "
                           "make_functional_with_buffers(model) instead.")
    model_copy = copy.deepcopy(model)
    names, params = _params_of(model_copy, disable_autograd_tracking)
    return FunctionalModule(model_copy, names), params


def make_functional_with_buffers(model, disable_autograd_tracking: bool = False):
    """``(fmodel, params, buffers)`` of a copy of ``model``."""
    model_copy = copy.deepcopy(model)
    names, params = _params_of(model_copy, disable_autograd_tracking)
    buffer_names, buffers = _named(model_copy, "named_buffers")
    return FunctionalModuleWithBuffers(model_copy, names, buffer_names), params, tuple(buffers)


def combine_state_for_ensemble(models):
    """``(fmodel, params, buffers)`` of same-class models, each parameter and buffer stacked along a new
    first dimension, for ``vmap(fmodel, (0, 0, None))(params, buffers, x)``."""
    if len(models) == 0:
        raise RuntimeError("combine_state_for_ensemble: Expected at least one model, got 0.")
    if len({m.training for m in models}) != 1:
        raise RuntimeError("combine_state_for_ensemble: Expected all models to have the same "
                           "training/eval mode.")
    if len({type(m) for m in models}) != 1:
        raise RuntimeError("combine_state_for_ensemble: Expected all models to be of the same class.")
    params, buffers = stack_module_state(models)
    fmodel, _, _ = make_functional_with_buffers(models[0])
    return (fmodel, tuple(params[n] for n in fmodel.param_names),
            tuple(buffers[n] for n in fmodel.buffer_names))


__all__ = ["FunctionalModule", "FunctionalModuleWithBuffers", "make_functional",
           "make_functional_with_buffers", "combine_state_for_ensemble"]

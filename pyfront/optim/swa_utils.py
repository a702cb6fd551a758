"""``torch.optim.swa_utils``: stochastic weight averaging and EMA of a model's weights (``AveragedModel``),
the SWA learning-rate schedule (``SWALR``) and the BatchNorm statistics pass (``update_bn``).

Follows "Averaging Weights Leads to Wider Optima and Better Generalization" (Izmailov et al., 2018,
https://arxiv.org/abs/1803.05407) and torch 2.13's ``torch/optim/swa_utils.py``.
"""
from __future__ import annotations

import itertools
import math
from copy import deepcopy

from ..autograd.grad_mode import no_grad
from ..dtypes import int64
from ..nn.modules.module import Module
from ..nn.modules.normalization import _BatchNorm
from ..ops.creation import tensor
from ..tensor import Tensor
from .lr_scheduler import LRScheduler, _format_param, _warn_get_lr_called_within_step

__all__ = ["AveragedModel", "update_bn", "SWALR", "get_ema_multi_avg_fn", "get_swa_multi_avg_fn",
           "get_ema_avg_fn", "get_swa_avg_fn"]


def _check_decay(decay: float) -> None:
    if decay < 0.0 or decay > 1.0:
        raise ValueError(f"Invalid decay value {decay} provided. Please provide a value in [0,1] range.")


def get_ema_multi_avg_fn(decay: float = 0.999):
    """The in-place EMA update of lists of parameters: ``W_ema = decay * W_ema + (1 - decay) * W_model``.

    Args:
        decay (float): decay rate in [0, 1]. Default: 0.999

    Raises ValueError for a decay outside [0, 1], as torch.
    """
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_param_list, current_param_list, _):
        for p_ema, p_model in zip(ema_param_list, current_param_list):
            if p_ema.dtype.is_floating_point or p_ema.dtype.is_complex:
                p_ema.lerp_(p_model, 1 - decay)
            else:
                p_ema.copy_(p_ema * decay + p_model * (1 - decay))
    return ema_update


def get_swa_multi_avg_fn():
    """The in-place running mean of lists of parameters: ``W_swa += (W_model - W_swa) / (n + 1)``."""
    @no_grad()
    def swa_update(averaged_param_list, current_param_list, num_averaged):
        n = float(num_averaged.item() if isinstance(num_averaged, Tensor) else num_averaged)
        for p_avg, p_model in zip(averaged_param_list, current_param_list):
            if p_avg.dtype.is_floating_point or p_avg.dtype.is_complex:
                p_avg.lerp_(p_model, 1 / (n + 1))
            elif isinstance(num_averaged, Tensor):
                # torch's addcdiv: an integer tensor (BatchNorm's num_batches_tracked with use_buffers=True)
                # raises its "Integer division with addcdiv" RuntimeError
                p_avg.addcdiv_(p_model - p_avg, num_averaged + 1)
            else:
                p_avg.add_(p_model - p_avg, alpha=1.0 / (n + 1))
    return swa_update


def get_ema_avg_fn(decay: float = 0.999):
    """The EMA of one parameter, returned (not in place): ``decay * W_ema + (1 - decay) * W_model``.

    Args:
        decay (float): decay rate in [0, 1]. Default: 0.999

    Raises ValueError for a decay outside [0, 1], as torch.
    """
    _check_decay(decay)

    @no_grad()
    def ema_update(ema_param, current_param, num_averaged):
        return decay * ema_param + (1 - decay) * current_param
    return ema_update


def get_swa_avg_fn():
    """The running mean of one parameter, returned: ``W_swa + (W_model - W_swa) / (n + 1)``."""
    @no_grad()
    def swa_update(averaged_param, current_param, num_averaged):
        return averaged_param + (current_param - averaged_param) / (num_averaged + 1)
    return swa_update


class AveragedModel(Module):
    r"""A copy of ``model`` whose weights are the running average (SWA) or EMA of ``model``'s weights.

    .. math:: W^{SWA}_{n+1} = W^{SWA}_n + \frac{W_n - W^{SWA}_n}{n + 1}

    Args:
        model (Module): the model to average (deep-copied).
        device (device, optional): where the averaged copy lives.
        avg_fn (callable, optional): ``(averaged, current, n) -> averaged`` for one parameter.
        multi_avg_fn (callable, optional): in-place ``(averaged_list, current_list, n)``.
        use_buffers (bool): average buffers too (else they are copied). Default: False

    Raises AssertionError when both ``avg_fn`` and ``multi_avg_fn`` are given, as torch. The count lives
    in the buffer ``n_averaged`` (a long 0-d tensor), so ``state_dict`` has ``n_averaged`` and
    ``module.*`` keys as torch's.
    """

    def __init__(self, model: Module, device=None, avg_fn=None, multi_avg_fn=None,
                 use_buffers: bool = False) -> None:
        super().__init__()
        if avg_fn is not None and multi_avg_fn is not None:
            raise AssertionError("Only one of avg_fn and multi_avg_fn should be provided")
        self.module = deepcopy(model)
        if device is not None:
            self.module = self.module.to(device)
        self.register_buffer("n_averaged", tensor(0, dtype=int64, device=device))
        self.avg_fn = avg_fn
        self.multi_avg_fn = multi_avg_fn
        self.use_buffers = use_buffers

    def forward(self, *args, **kwargs):
        """The averaged module's forward."""
        return self.module(*args, **kwargs)

    def update_parameters(self, model: Module) -> None:
        """Fold ``model``'s current weights into the average (the first call copies them)."""
        if self.use_buffers:
            self_params = list(itertools.chain(self.module.parameters(), self.module.buffers()))
            model_params = list(itertools.chain(model.parameters(), model.buffers()))
        else:
            self_params, model_params = list(self.parameters()), list(model.parameters())
        averaged, current = [], []
        n = int(self.n_averaged.item())
        for p_avg, p_model in zip(self_params, model_params):
            p_model_ = p_model.detach().to(p_avg.device)
            averaged.append(p_avg.detach())
            current.append(p_model_)
            if n == 0:
                p_avg.detach().copy_(p_model_)
        if n > 0:
            if self.multi_avg_fn is not None:
                self.multi_avg_fn(averaged, current, self.n_averaged)
            else:
                # neither given: torch's per-tensor SWA (its path for devices without foreach kernels), which
                # truncates an integer buffer's mean instead of raising as the multi-tensor form does
                avg_fn = self.avg_fn or get_swa_avg_fn()
                for p_avg, p_model in zip(averaged, current):
                    p_avg.copy_(avg_fn(p_avg, p_model, self.n_averaged.to(p_avg.device)))
        if not self.use_buffers:
            for b_swa, b_model in zip(self.module.buffers(), model.buffers()):
                b_swa.detach().copy_(b_model.detach().to(b_swa.device))
        self.n_averaged += 1


@no_grad()
def update_bn(loader, model: Module, device=None) -> None:
    """Recompute every BatchNorm's running statistics with one pass over ``loader`` (a cumulative mean).

    Args:
        loader (iterable): batches, each a tensor or a list/tuple whose first element is the input.
        model (Module): the model whose BatchNorm layers are reset and re-estimated.
        device (device, optional): where each batch is moved before the forward.
    """
    momenta = {}
    for module in model.modules():
        if isinstance(module, _BatchNorm):
            module.reset_running_stats()
            momenta[module] = module.momentum
    if not momenta:
        return
    was_training = model.training
    model.train()
    for module in momenta:
        module.momentum = None  # None: a cumulative average over the batches, as torch
    for input in loader:
        if isinstance(input, (list, tuple)):
            input = input[0]
        if device is not None:
            input = input.to(device)
        model(input)
    for module, momentum in momenta.items():
        module.momentum = momentum
    model.train(was_training)


class SWALR(LRScheduler):
    r"""Anneal each group's learning rate to ``swa_lr`` over ``anneal_epochs`` epochs, then hold it.

    .. math:: \eta_t = \alpha_t \eta_{swa} + (1 - \alpha_t) \eta_0,\quad
              \alpha_t = \frac{1 - \cos(\pi t / T)}{2} \text{ (cos) or } t / T \text{ (linear)}

    Args:
        optimizer (Optimizer): the wrapped optimizer.
        swa_lr (float or list): the target learning rate, for all groups or one per group.
        anneal_epochs (int): epochs of annealing. Default: 10
        anneal_strategy (str): ``"cos"`` or ``"linear"``. Default: ``"cos"``
        last_epoch (int): index of the last epoch. Default: -1

    Raises ValueError for an unknown strategy or a negative / non-int ``anneal_epochs``, as torch.
    """

    def __init__(self, optimizer, swa_lr, anneal_epochs=10, anneal_strategy="cos", last_epoch=-1) -> None:
        swa_lrs = _format_param("swa_lr", optimizer, swa_lr)
        for lr, group in zip(swa_lrs, optimizer.param_groups):
            group["swa_lr"] = lr
        if anneal_strategy not in ["cos", "linear"]:
            raise ValueError("anneal_strategy must be one of 'cos' or 'linear', "
                             f"instead got {anneal_strategy}")
        self._set_anneal_func(anneal_strategy)
        if not isinstance(anneal_epochs, int) or anneal_epochs < 0:
            raise ValueError(f"anneal_epochs must be equal or greater than 0, got {anneal_epochs}")
        self.anneal_epochs = anneal_epochs
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _linear_anneal(t):
        return t

    @staticmethod
    def _cosine_anneal(t):
        return (1 - math.cos(math.pi * t)) / 2

    @staticmethod
    def _get_initial_lr(lr, swa_lr, alpha):
        if alpha == 1:
            return swa_lr
        return (lr - alpha * swa_lr) / (1 - alpha)

    def get_lr(self) -> list:
        _warn_get_lr_called_within_step(self)
        step = self._step_count - 1
        if self.anneal_epochs == 0:
            step = max(1, step)
        # the group's lr is recovered from the previous step's blend, so other schedulers may change it
        prev_alpha = self.anneal_func(max(0, min(1, (step - 1) / max(1, self.anneal_epochs))))
        groups = self.optimizer.param_groups
        prev_lrs = [self._get_initial_lr(g["lr"], g["swa_lr"], prev_alpha) for g in groups]
        alpha = self.anneal_func(max(0, min(1, step / max(1, self.anneal_epochs))))
        return [g["swa_lr"] * alpha + lr * (1 - alpha) for g, lr in zip(groups, prev_lrs)]

    def _set_anneal_func(self, anneal_strategy) -> None:
        self._anneal_strategy = anneal_strategy
        self.anneal_func = self._cosine_anneal if anneal_strategy == "cos" else self._linear_anneal

    def state_dict(self) -> dict:
        """Every attribute except the optimizer and the anneal function."""
        return {k: v for k, v in self.__dict__.items() if k not in ("optimizer", "anneal_func")}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore the attributes and the anneal function they name."""
        self.__dict__.update(state_dict)
        self._set_anneal_func(self._anneal_strategy)

"""Adam and AdamW (decoupled weight decay), with AMSGrad and maximize, as in PyTorch."""
from __future__ import annotations

from collections.abc import Callable

from ..dtypes import HALVES
from ..ops.creation import tensor, zeros_like
from ..ops.primitives.elementwise import maximum
from ..tensor import Tensor
from .optimizer import (Optimizer, _check_tensor_lr, _closure_loss, _foreach_adam, _real, _real_state,
                        _scalar, _scalar_dtype, _to_scalar, _use_grad_for_differentiable)
from .sgd import _check_fused

__all__ = ["Adam", "AdamW"]


def _check_adam_args(lr, eps, betas, weight_decay) -> None:
    """The argument checks the Adam family shares, with PyTorch's messages."""
    _check_tensor_lr(lr)
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


def _check_foreach_lr(lr, foreach, capturable, error=ValueError) -> None:
    """torch's multi-tensor Adam takes a Tensor lr only when capturable (a CUDA-graph option); torch
    raises ValueError at construction and RuntimeError at a step."""
    if isinstance(lr, Tensor) and foreach and not capturable:
        raise error("lr as a Tensor is not supported for capturable=False and foreach=True")


class Adam(Optimizer):
    """Adam, as ``torch.optim.Adam``.

    Args:
        params (iterable): tensors or param-group dicts to optimize.
        lr (float): learning rate (default: 1e-3).
        betas (tuple[float, float]): decay rates of the running averages of the gradient and its square.
        eps (float): added to the denominator for numerical stability (default: 1e-8).
        weight_decay (float): L2 penalty, or decoupled decay when ``decoupled_weight_decay`` (default: 0).
        amsgrad (bool): use the maximum of past squared-gradient averages (default: False).
        maximize (bool): maximize the objective instead of minimizing it (default: False).
        decoupled_weight_decay (bool): decay the weights directly, which makes this AdamW (default: False).
    """

    _sparse_refusal = "Adam does not support sparse gradients, please consider SparseAdam instead"

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0, amsgrad: bool = False, *, foreach: bool | None = None,
                 maximize: bool = False, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None, decoupled_weight_decay: bool = False) -> None:
        _check_adam_args(lr, eps, betas, weight_decay)
        _check_foreach_lr(lr, foreach, capturable)
        both = betas[:2]
        if not (all(isinstance(b, float) for b in both) or all(isinstance(b, Tensor) for b in both)):
            raise ValueError("betas must be either both floats or both Tensors")
        for i in (0, 1):
            if isinstance(betas[i], Tensor) and betas[i].numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
        defaults = {"lr": lr, "betas": tuple(map(_to_scalar, betas)), "eps": eps,
                    "weight_decay": weight_decay, "amsgrad": amsgrad, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable, "differentiable": differentiable,
                    "fused": fused, "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)
        _check_fused(fused, foreach, differentiable)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("amsgrad", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("capturable", False)
            group.setdefault("differentiable", False)
            group.setdefault("decoupled_weight_decay", False)
            group.setdefault("fused", None)
        self._tensor_steps_from_numbers()

    def _state_of(self, param: Tensor, amsgrad: bool) -> dict:
        state = self.state[param]
        if len(state) == 0:
            state["step"] = tensor(0.0, dtype=_scalar_dtype())
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
            if amsgrad:
                state["max_exp_avg_sq"] = zeros_like(param)
        return state

    @_use_grad_for_differentiable
    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            _check_foreach_lr(group["lr"], group["foreach"], group["capturable"], RuntimeError)
            lr, eps, amsgrad = _to_scalar(group["lr"]), group["eps"], group["amsgrad"]
            weight_decay = group["weight_decay"]
            beta1, beta2 = (_scalar(b) for b in group["betas"])
            done = self._foreach(group, lr, eps, amsgrad, weight_decay, beta1, beta2)
            for param in self._params_with_grad(group):
                if id(param) in done:
                    continue
                state = self._state_of(param, amsgrad)
                grad = param.grad if not group["maximize"] else -param.grad
                hyper = (lr, eps, amsgrad, weight_decay, beta1, beta2)
                if group["fused"] and param.dtype in HALVES:
                    self._fused_halves(param, grad, state, group, *hyper)
                    continue
                if param.is_complex():  # stepped as its two real parts, as torch's
                    param, grad, state = _real(param), _real(grad), _real_state(state)
                self._update(param, grad, state, group, *hyper)
        return loss

    @classmethod
    def _fused_halves(cls, param, grad, state, group, *hyper):
        """torch's fused kernel on a 16-bit param: the step's math in float32 (its opmath), the param and
        each state rounded once after (the single-tensor loop rounds every op: its eps underflows to 0 in
        float16, a zero gradient's update 0/0)."""
        names = [n for n in ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if n in state]
        wide = {**state, **{n: state[n].float() for n in names}}
        p32 = param.float()
        cls._update(p32, grad.float(), wide, group, *hyper)
        param.copy_(p32)
        for n in names:
            state[n].copy_(wide[n])

    @staticmethod
    def _update(param, grad, state, group, lr, eps, amsgrad, weight_decay, beta1, beta2):
        """One param's step, the single-tensor loop's."""
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        state["step"] += 1
        moments_step(param, grad, exp_avg, exp_avg_sq, group["decoupled_weight_decay"], lr, weight_decay,
                     beta1, beta2)
        step = state["step"].item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
        if amsgrad:
            state["max_exp_avg_sq"].copy_(maximum(state["max_exp_avg_sq"], exp_avg_sq))
            denom = (state["max_exp_avg_sq"].sqrt() / bias_correction2_sqrt).add(eps)
        else:
            denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add(eps)
        param.addcdiv_(exp_avg, denom, value=-_scalar(lr / bias_correction1))

    def _foreach(self, group, lr, eps, amsgrad, weight_decay, beta1, beta2) -> set:
        """The ids of the params stepped by the multi-tensor kernel (those of one step count run
        together, since the bias corrections depend on it)."""
        by_step: dict = {}
        for p in self._params_with_grad(group):
            by_step.setdefault(self._state_of(p, amsgrad)["step"].item() + 1, []).append(p)
        done = set()
        lr = _scalar(lr)
        for step, params in by_step.items():
            states = [self.state[p] for p in params]
            names = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq") if amsgrad else ("exp_avg", "exp_avg_sq")
            hyper = {"step_size": lr / (1 - beta1 ** step), "beta2": beta2, "one_minus_beta1": 1 - beta1,
                     "one_minus_beta2": 1 - beta2, "bias_correction2_sqrt": (1 - beta2 ** step) ** 0.5,
                     "eps": eps, "weight_decay": weight_decay, "decay": 1 - lr * weight_decay,
                     "decoupled": int(bool(group["decoupled_weight_decay"])),
                     "maximize": int(group["maximize"])}
            tensors = [[p.grad for p in params], params, *[[st[n] for st in states] for n in names]]
            tensors = [[_real(t) for t in ts] for ts in tensors]
            if _foreach_adam(group, tensors, hyper, amsgrad):
                for st in states:
                    st["step"] += 1
                done.update(map(id, params))
        return done


def moments_step(param, grad, exp_avg, exp_avg_sq, decoupled, lr, weight_decay, beta1, beta2) -> None:
    """Adam's (and RAdam's) weight decay (decoupled: of the param, else added to the gradient) and its two
    moments' updates, in place, in torch's single-tensor order."""
    if weight_decay != 0:
        if decoupled:
            param.mul_(1 - lr * weight_decay)
        else:
            grad = grad.add(param, alpha=weight_decay)
    exp_avg.lerp_(grad, 1 - beta1)
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)


class AdamW(Adam):
    """AdamW: Adam with decoupled weight decay, as ``torch.optim.AdamW`` (weight_decay defaults to 1e-2)."""

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, capturable: bool = False, differentiable: bool = False,
                 fused: bool | None = None) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state) -> None:
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True

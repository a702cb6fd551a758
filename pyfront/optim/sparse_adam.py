"""SparseAdam: Adam's update on the rows a sparse gradient holds, as ``torch.optim.SparseAdam``."""
from __future__ import annotations

import math
from collections.abc import Callable

from ..autograd.grad_mode import no_grad
from ..ops.creation import zeros_like
from ..tensor import Tensor
from .optimizer import Optimizer, _closure_loss, _to_scalar

__all__ = ["SparseAdam"]


class SparseAdam(Optimizer):
    """Adam for sparse gradients (``nn.Embedding(sparse=True)``'s), as ``torch.optim.SparseAdam``: the moments
    and the parameter change only where the (coalesced) gradient has entries.

    Args:
        params (iterable): dense tensors or param-group dicts to optimize.
        lr (float): learning rate (default: 1e-3).
        betas (tuple[float, float]): decay of the gradient's average and of its square's
            (default: (0.9, 0.999)).
        eps (float): added to the denominator for numerical stability (default: 1e-8).
        maximize (bool): maximize the objective instead of minimizing it (default: False).

    Raises:
        ValueError: a bad ``lr``, ``eps`` or beta, as torch's.
        RuntimeError: at ``step``, a dense gradient ("SparseAdam does not support dense gradients, please
            consider Adam instead").
    """

    def __init__(self, params, lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 maximize: bool = False) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 < lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps, "maximize": maximize})
        complex_params = [[i, j] for i, group in enumerate(self.param_groups)
                          for j, p in enumerate(group["params"]) if p.is_complex()]
        if complex_params:
            raise ValueError(f"Complex params at indices {complex_params}: SparseAdam does not support "
                             "complex parameters")

    @no_grad()
    def step(self, closure: Callable | None = None):
        """Perform one optimization step; ``closure`` re-evaluates the model and returns the loss."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            params = [p for p in group["params"] if p.grad is not None]
            for p in params:  # torch checks them all before the first update
                if not p.grad.is_sparse:
                    raise RuntimeError("SparseAdam does not support dense gradients, please consider Adam "
                                       "instead")
                state = self.state[p]
                if len(state) == 0:
                    state.update(step=0, exp_avg=zeros_like(p), exp_avg_sq=zeros_like(p))
                state["step"] += 1
            for p in params:
                _step(p, self.state[p], group, _to_scalar(group["lr"]))
        return loss


def _step(param, state, group, lr) -> None:
    """torch's sparse_adam for one parameter, in its order of operations (so its rounding)."""
    from ..sparse import SparseCooTensor
    beta1, beta2 = group["betas"]
    grad = (param.grad if not group["maximize"] else -param.grad).coalesce()
    indices, values = grad._indices(), grad._values()
    if values.numel() == 0:
        return

    def make_sparse(v):
        return SparseCooTensor(indices, v, tuple(grad.shape), True)

    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    old_exp_avg = exp_avg.sparse_mask(grad)._values()
    exp_avg_update = values.sub(old_exp_avg).mul_(1 - beta1)
    exp_avg.add_(make_sparse(exp_avg_update))
    old_exp_avg_sq = exp_avg_sq.sparse_mask(grad)._values()
    exp_avg_sq_update = values.pow(2).sub_(old_exp_avg_sq).mul_(1 - beta2)
    exp_avg_sq.add_(make_sparse(exp_avg_sq_update))
    numer = exp_avg_update.add_(old_exp_avg)
    denom = exp_avg_sq_update.add_(old_exp_avg_sq).sqrt_().add_(group["eps"])
    step = state["step"]
    step_size = lr * math.sqrt(1 - beta2 ** step) / (1 - beta1 ** step)
    param.add_(make_sparse(-step_size * numer.div_(denom)))

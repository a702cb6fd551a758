"""``nn.CrossMapLRN2d``: Lua Torch's cross-channel local response normalisation, kept by torch for old
models: ``b_c = a_c (k + alpha / size * s_c)^-beta`` with ``s_c`` a sum of squares over neighbouring channels.

Its window is Lua Torch's running sum, reproduced here as torch computes it: it starts at channels
``[0, p)`` (``p = (size - 1) // 2 + 1``), takes in channel ``c + p - 1`` at each step and drops channel
``c - p`` only from step ``p + 1`` on, so channel 0 is never dropped and the window is ``2p`` wide in the
middle (not ``size``, as LocalResponseNorm's). Its gradient is torch's hand-written one, which assumes the
centred window of ``size`` channels, so both directions agree with torch's numbers."""

from __future__ import annotations

from ...autograd.function import Function
from ...ops.creation import tensor, zeros
from ...ops.primitives.shaping import cat
from ...tensor import Tensor
from .module import Module

__all__ = ["CrossMapLRN2d"]


def _prefix_sums(t: Tensor) -> Tensor:
    """Sums over channels ``[0, i)`` at index ``i`` (channel dim 1, one longer than ``t``'s)."""
    n, _, h, w = t.shape
    return cat([zeros(n, 1, h, w, dtype=t.dtype, device=t.device), t.cumsum(1)], 1)


def _pick(t: Tensor, channels: list) -> Tensor:
    return t.index_select(1, tensor(channels, device=t.device))


class _CrossMapLRN(Function):
    @staticmethod
    def forward(ctx, input, size, alpha, beta, k):
        if input.dim() != 4:
            raise ValueError(f"CrossMapLRN2d: Expected input to be 4D, got {input.dim()}D instead.")
        channels, reach = input.shape[1], (size - 1) // 2 + 1
        sums = _prefix_sums(input * input)
        top = [min(c + reach, channels) for c in range(channels)]
        bottom = [c - reach + 1 if c > reach else 0 for c in range(channels)]
        window = _pick(sums, top) - _pick(sums, bottom)
        kept_first = tensor([float(c > reach) for c in range(channels)], dtype=input.dtype,
                            device=input.device).reshape(1, channels, 1, 1)
        window = window + kept_first * sums[:, 1:2]  # channel 0, never dropped
        scale = window * (alpha / size) + k
        out = input * scale.pow(-beta)
        ctx.save_for_backward(input, out, scale)
        ctx.size, ctx.alpha, ctx.beta = size, alpha, beta
        return out

    @staticmethod
    def backward(ctx, grad):
        input, out, scale = ctx.saved_tensors
        size, channels = ctx.size, input.shape[1]
        ahead = size - (size - 1) // 2 - (1 if (size - 1) % 2 else 0)  # torch's int(size - (size - 1) / 2)
        if ahead > size - 1:  # size 1: torch's narrow of its padded buffer fails so
            raise RuntimeError(f"start ({ahead}) + length ({channels}) exceeds dimension size "
                               f"({channels + size - 1}).")
        sums = _prefix_sums(grad * out / scale)
        top = [min(max(c + size - ahead, 0), channels) for c in range(channels)]
        bottom = [min(max(c - ahead, 0), channels) for c in range(channels)]
        around = _pick(sums, top) - _pick(sums, bottom)
        grad_input = scale.pow(-ctx.beta) * grad - (2 * ctx.alpha * ctx.beta / size) * input * around
        return grad_input, None, None, None, None


class CrossMapLRN2d(Module):
    """Cross-channel local response normalisation of a 4-d input, as ``torch.nn.CrossMapLRN2d``.

    Args:
        size (int): the channels in the window. alpha (float): Default: 1e-4. beta (float): Default: 0.75.
        k (float): Default: 1

    Shape:
        input and output ``(N, C, H, W)``.

    Raises:
        ValueError: (in forward) an input that is not 4-d (torch's text).
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, input: Tensor) -> Tensor:
        return _CrossMapLRN.apply(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"

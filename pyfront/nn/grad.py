"""Gradients of the convolutions with respect to their input and weight, as ``torch.nn.grad`` gives them
(custom ``autograd.Function`` s that call a convolution in forward use these in backward)."""
from .. import autograd
from ..autograd.grad_mode import enable_grad
from ..ops.creation import zeros
from . import functional as F


def _conv_grad(conv, wrt, input, weight, grad_output, stride, padding, dilation, groups):
    """The vector-Jacobian product of ``conv`` with ``grad_output``, with respect to input or weight."""
    with enable_grad():
        input = input.detach().requires_grad_(wrt == "input")
        weight = weight.detach().requires_grad_(wrt == "weight")
        out = conv(input, weight, None, stride, padding, dilation, groups)
        (grad,) = autograd.grad(out, input if wrt == "input" else weight, grad_output)
    return grad


def _input_fn(conv, name):
    def fn(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
        x = zeros(tuple(input_size), dtype=grad_output.dtype, device=grad_output.device)
        return _conv_grad(conv, "input", x, weight, grad_output, stride, padding, dilation, groups)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"""Gradient of ``{conv.__name__}`` with respect to its input.

    grad_input = d(conv(input, weight)) / d(input), contracted with ``grad_output`` (what
    ``torch.nn.grad.{name}`` returns; a transposed convolution of ``grad_output`` with ``weight``).

    Args:
        input_size: shape of the input, ``(N, C_in, *spatial)``.
        weight: the convolution's weight, ``(C_out, C_in / groups, *kernel)``.
        grad_output: gradient with respect to the convolution's output.
        stride, padding, dilation, groups: as the forward convolution took them.

    Shape: returns a tensor of ``input_size``. Raises what the convolution raises for mismatched shapes.
    """
    return fn


def _weight_fn(conv, name):
    def fn(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
        w = zeros(tuple(weight_size), dtype=grad_output.dtype, device=grad_output.device)
        return _conv_grad(conv, "weight", input, w, grad_output, stride, padding, dilation, groups)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"""Gradient of ``{conv.__name__}`` with respect to its weight.

    grad_weight = d(conv(input, weight)) / d(weight), contracted with ``grad_output`` (what
    ``torch.nn.grad.{name}`` returns).

    Args:
        input: the convolution's input, ``(N, C_in, *spatial)``.
        weight_size: shape of the weight, ``(C_out, C_in / groups, *kernel)``.
        grad_output: gradient with respect to the convolution's output.
        stride, padding, dilation, groups: as the forward convolution took them.

    Shape: returns a tensor of ``weight_size``. Raises what the convolution raises for mismatched shapes.
    """
    return fn


conv1d_input = _input_fn(F.conv1d, "conv1d_input")
conv2d_input = _input_fn(F.conv2d, "conv2d_input")
conv1d_weight = _weight_fn(F.conv1d, "conv1d_weight")
conv2d_weight = _weight_fn(F.conv2d, "conv2d_weight")

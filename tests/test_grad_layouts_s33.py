"""Gradients laid out as torch's backward kernels lay them out (strides, so which view() works), for operands
relaid column-major or permuted: an empty batch's convolution weight gradient (torch's zeros_like(weight)),
take's and masked_select's (zeros_like(input), then put_/masked_scatter), cdist's matmul form (each operand's
own steps), binary_cross_entropy's (a TensorIterator over input, target), soft_margin_loss's (target first,
reduced or not) and cross_entropy's with class probabilities (contiguous)."""
import pytest
import torch

import pyfront


def _col(t):
    return t.transpose(-1, -2).contiguous().transpose(-1, -2)


def _permuted(t):
    n = t.dim()
    return t.permute(*range(1, n), 0).contiguous().permute(n - 1, *range(n - 1))


def _values(L, shape, low=-1.0, high=1.0):
    n = 1
    for s in shape:
        n *= s
    return L.linspace(low, high, n).reshape(shape)


CONVS = {"conv1d": ((0, 3, 7), (4, 3, 3)), "conv2d": ((0, 3, 5, 5), (4, 3, 3, 3)),
         "conv3d": ((0, 3, 4, 4, 4), (4, 3, 3, 3, 3)), "conv_transpose1d": ((0, 3, 5), (3, 2, 3)),
         "conv_transpose2d": ((0, 3, 5, 5), (3, 2, 3, 3)),
         "conv_transpose3d": ((0, 3, 4, 4, 4), (3, 2, 3, 3, 3))}


def _conv_strides(L, op):
    x_shape, w_shape = CONVS[op]
    out = []
    for relay in (_col, _permuted):
        x = L.zeros(x_shape).requires_grad_()
        w = relay(_values(L, w_shape)).requires_grad_()
        y = getattr(L.nn.functional, op)(x, w)
        out.append(L.autograd.grad(y, w, L.ones_like(y))[0].stride())
    return out


@pytest.mark.parametrize("op", list(CONVS))
def test_empty_batch_conv_weight_gradient_layouts(op):
    assert _conv_strides(pyfront, op) == _conv_strides(torch, op)


TWO_OPERANDS = {
    "take": lambda L, x, t: L.take(x, L.tensor([[0, 5, 11]])),
    "masked_select": lambda L, x, t: L.masked_select(x, x > 0.5),
    "masked_select_broadcast": lambda L, x, t: L.masked_select(x, L.ones(2, 3, 5, dtype=L.bool)),
    "cdist_mm": lambda L, x, t: L.cdist(x, t[:2] * 2, compute_mode="use_mm_for_euclid_dist"),
    "binary_cross_entropy": lambda L, x, t: L.nn.functional.binary_cross_entropy(x, t, reduction="none"),
    "binary_cross_entropy_mean": lambda L, x, t: L.nn.functional.binary_cross_entropy(x, t),
    "soft_margin_loss": lambda L, x, t: L.nn.functional.soft_margin_loss(x, t, reduction="none"),
    "soft_margin_loss_mean": lambda L, x, t: L.nn.functional.soft_margin_loss(x, t),
    "cross_entropy_probabilities": lambda L, x, t: L.nn.functional.cross_entropy(x, t, reduction="none"),
    "cross_entropy_probabilities_mean": lambda L, x, t: L.nn.functional.cross_entropy(x, t),
}


def _two_operand_strides(L, op):
    out = []
    for x_col in (False, True):
        for t_col in (False, True):
            x, t = _values(L, (3, 5), 0.1, 0.9), _values(L, (3, 5), 0.2, 0.7)
            x = (_col(x) if x_col else x).requires_grad_()
            t = (_col(t) if t_col else t).requires_grad_("soft_margin" not in op)  # (torch's: no target grad)
            y = TWO_OPERANDS[op](L, x, t)
            grads = L.autograd.grad(y, (x, t) if t.requires_grad else (x,), L.ones_like(y), allow_unused=True)
            out.append([None if g is None else g.stride() for g in grads])
    return out


@pytest.mark.parametrize("op", list(TWO_OPERANDS))
def test_gradient_layouts_of_relaid_operands(op):
    assert _two_operand_strides(pyfront, op) == _two_operand_strides(torch, op)


# torch pools a 1-d adaptive pool (and interpolate's 1-d 'area') as a 2-d one over a height of 1: a batch
# whose channels are innermost makes that view channels-last, results and input gradient channels innermost
POOLS_1D = {
    "adaptive_avg_pool1d": lambda F, x: F.adaptive_avg_pool1d(x, 3),
    "adaptive_max_pool1d": lambda F, x: F.adaptive_max_pool1d(x, 3, return_indices=True),
    "interpolate_area": lambda F, x: F.interpolate(x, size=4, mode="area"),
}


def _pool_strides(L, op):
    out = []
    for shape in ((2, 3, 7),) if op.startswith("interpolate") else ((2, 3, 7), (3, 7)):
        for relay in (_col, lambda t: t):
            x = relay(_values(L, shape, 0.1, 1.0)).requires_grad_()
            y = POOLS_1D[op](L.nn.functional, x)
            ys = y if isinstance(y, tuple) else (y,)
            out.append(([t.stride() for t in ys], L.autograd.grad(ys[0], x, L.ones_like(ys[0]))[0].stride()))
    return out


@pytest.mark.parametrize("op", list(POOLS_1D))
def test_one_dim_adaptive_pool_layouts(op):
    assert _pool_strides(pyfront, op) == _pool_strides(torch, op)


def _batch_norm_strides(L):
    """batch_norm's input gradient in the format its input suggests (channels-last, else contiguous), whatever
    the incoming gradient's, as torch's kernel. (A contiguous input with an odd incoming gradient keeps that
    one's layout in pyfront: judging it would cost the common case a node.)"""
    out = []
    for shape in ((4, 3, 5), (2, 3, 4, 4)):
        x0 = _values(L, shape)
        inputs = [_col(x0)] + ([x0.contiguous(memory_format=L.channels_last)] if len(shape) == 4 else [])
        for x in inputs:
            x = x.detach().requires_grad_()
            for training in (True, False):
                y = L.nn.functional.batch_norm(x, L.zeros(3), L.ones(3), L.ones(3), L.zeros(3),
                                               training=training)
                for g in (L.ones(tuple(y.shape)), _col(L.ones(tuple(y.shape)))):
                    out.append((y.stride(), L.autograd.grad(y, x, g, retain_graph=True)[0].stride()))
    return out


def test_batch_norm_input_gradient_layouts():
    assert _batch_norm_strides(pyfront) == _batch_norm_strides(torch)


def _grid_strides(L):
    """grid_sample's nearest mode: torch's kernel fills a contiguous zero grid gradient, whatever the grid's
    layout (pyfront's was zeros_like a permuted grid)."""
    out = []
    for x_shape, g_shape in (((2, 3, 4, 5), (2, 3, 2, 2)), ((1, 2, 3, 4, 5), (1, 2, 3, 2, 3))):
        x = _values(L, x_shape).requires_grad_()
        grid = _permuted(_values(L, g_shape, -0.9, 0.9)).requires_grad_()
        y = L.nn.functional.grid_sample(x, grid, mode="nearest", align_corners=False)
        out.append([d.stride() for d in L.autograd.grad(y, (x, grid), L.ones_like(y))])
    return out


def test_grid_sample_nearest_grid_gradient_layout():
    assert _grid_strides(pyfront) == _grid_strides(torch)


# advanced indexing laid out as torch's index kernel (a TensorIterator over the input restrided to the result's
# shape and the index tensors): a channels-last x[..., idx] is no row-major result, its view(-1) raises
INDEXINGS = {
    "last": lambda L, x: x[..., L.tensor([0, 2])], "channels": lambda L, x: x[:, L.tensor([0, 2])],
    "first": lambda L, x: x[L.tensor([1, 0])], "height": lambda L, x: x[:, :, L.tensor([0, 2])],
    "mask": lambda L, x: x[:, :, :, L.tensor([True, False, True, False, True])],
    "apart": lambda L, x: x[:, L.tensor([0, 1]), :, L.tensor([1, 2])],
    "two": lambda L, x: x[:, L.tensor([0, 1]), L.tensor([1, 2])],
    "column_major": lambda L, x: _col(x[0, 0])[:, L.tensor([0, 2])],
}


def _indexing_layouts(L, case):
    x = _values(L, (2, 3, 4, 5)).contiguous(memory_format=L.channels_last).requires_grad_()
    y = INDEXINGS[case](L, x)
    try:
        y.view(-1)
        viewed = True
    except RuntimeError:
        viewed = False
    return y.stride(), viewed, L.autograd.grad(y, x, L.ones_like(y))[0].stride()


@pytest.mark.parametrize("case", list(INDEXINGS))
def test_advanced_indexing_result_layouts(case):
    assert _indexing_layouts(pyfront, case) == _indexing_layouts(torch, case)


def _empty_cdist_strides(L):
    """cdist with an empty operand: torch's gradient of the other is zeros_like it (column-major kept)."""
    out = []
    for a, b in (((0, 4), (5, 4)), ((3, 4), (0, 4))):
        x1, x2 = _col(L.zeros(a)).requires_grad_(), _col(_values(L, b)).requires_grad_()
        y = L.cdist(x1, x2, p=1.0)
        out.append([g.stride() if g.numel() else None for g in L.autograd.grad(y, (x1, x2), L.ones_like(y))])
    return out


def test_empty_cdist_gradient_layouts():
    assert _empty_cdist_strides(pyfront) == _empty_cdist_strides(torch)

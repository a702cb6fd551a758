"""Results' and gradients' memory layouts (strides where a view sees them) as torch's on the cpu, for every op
table entry: its first sample row as the table builds it and with its operands relaid (column-major, permuted,
channels-last; layout_sweep.py also sweeps every row, and sliced operands). A layout that differs is a .view()
that raises in one library and not the other, or code that branches on is_contiguous() differently.

KNOWN lists the rows that still differ, each with its kind; the test fails when one is fixed (remove its line)
or a new one appears."""
from __future__ import annotations

import math

import pytest

from layout_sweep import RELAYOUTS, row_layouts, seen
from optable import entries

KNOWN: dict = {}


# the relayouts the first rows run in (sliced, which finds little more, is left to layout_sweep.py: time)
FIRST_ROW_RELAYOUTS = (None, "column_major", "permuted", "channels_last")


def _rows():
    for name, torch_name, samples, domain, _ in entries(edge=False):
        for relayout in FIRST_ROW_RELAYOUTS:
            yield f"{name}-0" + (f"-{relayout}" if relayout else ""), torch_name, samples[0], domain, relayout


def test_result_layouts_as_torch():
    differ = {}
    for row, torch_name, sample, domain, relayout in _rows():
        for what, t, p, shape in row_layouts(torch_name, sample, domain, 0, relayout) or ():
            if seen(shape, t) != seen(shape, p):
                differ.setdefault(row, []).append(f"{what} {list(shape)}: torch {t}, pyfront {p}")
    new = {row: outs for row, outs in differ.items() if row not in KNOWN}
    fixed = sorted(set(KNOWN) - set(differ))
    assert not new and not fixed, \
        f"laid out otherwise than torch: {new}; now as torch (drop from KNOWN): {fixed}"


# (op, whether its gradients are compared too): one op of each kind fixed here, over every sample row (the
# first rows alone miss some)
EVERY_ROW = [("addmm", False), ("frexp", False), ("unique", False), ("nn.functional.max_pool2d", True),
             ("nn.functional.hardtanh", True)]


@pytest.mark.parametrize("op,grads", EVERY_ROW)
def test_fixed_kinds_every_row(op, grads):
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if name != op:
            continue
        for i, sample in enumerate(samples):
            for relayout in (None, *RELAYOUTS):
                layouts = row_layouts(torch_name, sample, domain, i, relayout, grads=grads)
                for what, t, p, shape in layouts or ():
                    assert seen(shape, t) == seen(shape, p), \
                        f"{op}-{i}-{relayout} {what}: torch {t}, pyfront {p}"


# F.pad's constant mode as torch's constant_pad_nd: the output in the format the input suggests, a crop a
# clone of the narrowed view (its order kept), the gradient a crop of the incoming one laid out as it comes
PADS = {
    "channels_last": (lambda L: L.randn(2, 3, 4, 5).contiguous(memory_format=L.channels_last), (1, 1, 1, 1)),
    "channels_last_crop": (lambda L: L.randn(2, 3, 4, 5).contiguous(memory_format=L.channels_last),
                           (-1, 0, 0, -1)),
    "transposed": (lambda L: L.randn(3, 4).t(), (1, 1)),
    "transposed_crop": (lambda L: L.randn(3, 4).t(), (-1, 0)),
}


@pytest.mark.parametrize("case", list(PADS))
def test_constant_pad_layouts(case):
    import torch

    import pyfront
    got = []
    for L in (torch, pyfront):
        make, amounts = PADS[case]
        x = make(L).requires_grad_()
        y = L.nn.functional.pad(x, amounts)
        grads = [L.autograd.grad(y, x, g, retain_graph=True)[0].stride()
                 for g in (L.ones_like(y), L.ones(tuple(y.shape)))]
        got.append((y.stride(), grads))
    assert got[1] == got[0]


# elementwise gradients as torch's backward kernels lay them out (a TensorIterator over the incoming gradient
# and the inputs in the kernel's own order, or a contiguous clone: fmax's masked_fill), for an input (and a
# second operand) row- or column-major and an incoming gradient row-major, column-major or expanded (a sum's)
ELEMENTWISE_GRADS = {
    "logit": lambda L, x, o: L.logit(x), "nan_to_num": lambda L, x, o: L.nan_to_num(x),
    "elu": lambda L, x, o: L.nn.functional.elu(x), "selu": lambda L, x, o: L.nn.functional.selu(x),
    "celu": lambda L, x, o: L.nn.functional.celu(x), "softplus": lambda L, x, o: L.nn.functional.softplus(x),
    "softshrink": lambda L, x, o: L.nn.functional.softshrink(x),
    "hardshrink": lambda L, x, o: L.nn.functional.hardshrink(x),
    "prelu": lambda L, x, o: L.nn.functional.prelu(x, L.tensor([0.25])),
    "prod": lambda L, x, o: L.prod(x, 1, keepdim=True) * o, "prod_all": lambda L, x, o: L.prod(x) * o,
    "xlogy": lambda L, x, o: L.xlogy(x, o), "xlogy_other": lambda L, x, o: L.xlogy(o, x),
    "xlog1py": lambda L, x, o: L.special.xlog1py(x, o), "fmax": lambda L, x, o: L.fmax(x, o),
    "fmin_other": lambda L, x, o: L.fmin(o, x), "maximum": lambda L, x, o: L.maximum(x, o),
    "minimum_other": lambda L, x, o: L.minimum(o, x),
}
# the composites' gradients are laid out from the inputs' layouts: an odd incoming gradient over row-major
# inputs is left as their steps lay it out (memory_formats.iterated_grads: no work on the row-major path)
ROW_MAJOR_INPUTS_ONLY = {"nan_to_num", "elu", "selu", "celu", "softplus", "softshrink", "hardshrink", "prelu"}


def _laid(L, kind):
    values = L.linspace(0.05, 0.95, 20).reshape(4, 5)
    return {"row": values, "col": values.t().contiguous().t(), "expanded": values[:1, :1].expand(4, 5)}[kind]


@pytest.mark.parametrize("op", list(ELEMENTWISE_GRADS))
def test_elementwise_gradient_layouts(op):
    import torch

    import pyfront
    for x_kind in ("row", "col"):
        for o_kind in ("row", "col"):
            for g_kind in ("row", "col", "expanded"):
                if op in ROW_MAJOR_INPUTS_ONLY and x_kind == "row" and g_kind == "col":
                    continue
                got = []
                for L in (torch, pyfront):
                    x = _laid(L, x_kind).clone(memory_format=L.preserve_format).requires_grad_()
                    y = ELEMENTWISE_GRADS[op](L, x, _laid(L, o_kind))
                    got.append(L.autograd.grad(y, x, _laid(L, g_kind))[0].stride())
                assert got[1] == got[0], f"{op} x {x_kind}, other {o_kind}, grad {g_kind}: torch {got[0]}, " \
                                         f"pyfront {got[1]}"


# upsampling's and the pixel shuffles' input gradients as torch's backward kernels lay them out: in the format
# the incoming gradient suggests (bicubic's and 3-d nearest's contiguous), whatever the input's layout or the
# steps' transposes; an input contiguous or channels-last, an incoming gradient contiguous, channels-last or
# expanded
RESAMPLES = {
    "nearest": ((2, 3, 4, 5), dict(scale_factor=2)),
    "nearest-exact": ((2, 3, 4, 5), dict(size=(6, 9), mode="nearest-exact")),
    "bilinear": ((2, 3, 4, 5), dict(size=(7, 3), mode="bilinear")),
    "bicubic": ((2, 3, 4, 5), dict(size=(7, 3), mode="bicubic")),
    "bilinear_antialias": ((2, 3, 9, 8), dict(size=(4, 3), mode="bilinear", antialias=True)),
    "trilinear": ((1, 2, 3, 4, 5), dict(size=(4, 3, 6), mode="trilinear")),
    "nearest_3d": ((1, 2, 3, 4, 5), dict(scale_factor=2)), "linear": ((2, 3, 6), dict(size=9, mode="linear")),
    "area": ((2, 3, 7, 9), dict(size=(3, 4), mode="area")),
    "pixel_shuffle": ((2, 8, 3, 4), None), "pixel_unshuffle": ((2, 2, 6, 4), None),
}


def _in_format(L, t, kind):
    if kind == "expanded":
        return t[(slice(0, 1),) * t.dim()].expand(*t.shape)
    if kind == "contiguous":
        return t
    if t.dim() == 3:  # (channels innermost)
        return t.transpose(1, 2).contiguous().transpose(1, 2)
    return t.contiguous(memory_format=L.channels_last if t.dim() == 4 else L.channels_last_3d)


@pytest.mark.parametrize("case", list(RESAMPLES))
def test_resampling_gradient_layouts(case):
    import torch

    import pyfront
    shape, kwargs = RESAMPLES[case]
    got = []
    for L in (torch, pyfront):
        F = L.nn.functional
        strides = []
        for x_kind in ("contiguous", "channels_last"):
            x = _in_format(L, L.linspace(0, 1, math.prod(shape)).reshape(shape), x_kind).requires_grad_()
            y = F.interpolate(x, **kwargs) if kwargs is not None else getattr(F, case)(x, 2)
            for g_kind in ("contiguous", "channels_last", "expanded"):
                g = _in_format(L, L.linspace(-1, 1, y.numel()).reshape(tuple(y.shape)), g_kind)
                d = L.autograd.grad(y, x, g, retain_graph=True)[0]
                strides.append((x_kind, g_kind, y.stride(), d.stride()))
        got.append(strides)
    assert got[1] == got[0]


# complex results built from real operands laid out otherwise than row-major, and what views them:
# torch.complex and polar laid out as a TensorIterator over (real, imag), conj_physical as its input, a
# complex angle contiguous (torch's kernel); .real, .imag and view_as_real see the complex one's layout
COMPLEX_LAYOUTS = {
    "permuted": lambda L: L.rand(2, 3, 4).permute(2, 0, 1).contiguous().permute(1, 2, 0),
    "column_major": lambda L: L.rand(4, 3).t(),
    "sliced": lambda L: L.rand(2, 3, 4)[:, ::2, 1:],
    "expanded": lambda L: L.rand(3, 1).expand(3, 4),
}


@pytest.mark.parametrize("layout", list(COMPLEX_LAYOUTS))
def test_complex_result_layouts(layout):
    import torch

    import pyfront
    got = []
    for L in (torch, pyfront):
        a = COMPLEX_LAYOUTS[layout](L)
        b = a * 2
        c = L.complex(a, b)
        got.append([c.stride(), L.polar(a, b).stride(), c.real.stride(), c.imag.stride(),
                    L.view_as_real(c).stride(), c.conj_physical().stride(), c.angle().stride(),
                    (c * 1).stride()])
    assert got[1] == got[0]


# linalg results laid out as LAPACK leaves them, as torch returns them: each matrix's columns contiguous (Q,
# R, U, Vh, eigenvectors, factors, inverses, solutions), the batch outside; vectors and what torch makes
# anew (lu's unpacked factors, torch.svd's V = Vh^H) as they are
LINALG = {
    "qr": lambda L, A, R, B: L.linalg.qr(R),
    "qr_complete": lambda L, A, R, B: L.linalg.qr(R, mode="complete"),
    "svd": lambda L, A, R, B: L.linalg.svd(R, full_matrices=False), "torch.svd": lambda L, A, R, B: L.svd(R),
    "inv_batched": lambda L, A, R, B: L.linalg.inv(L.stack([A, A])),
    "solve": lambda L, A, R, B: L.linalg.solve(A, B),
    "solve_right": lambda L, A, R, B: L.linalg.solve(A, B.mT, left=False),
    "eigh": lambda L, A, R, B: L.linalg.eigh(A @ A.mT), "eig": lambda L, A, R, B: L.linalg.eig(A),
    "cholesky_upper": lambda L, A, R, B: L.linalg.cholesky(A @ A.mT, upper=True),
    "lu_factor": lambda L, A, R, B: L.linalg.lu_factor(A), "lu": lambda L, A, R, B: L.linalg.lu(A),
    "geqrf": lambda L, A, R, B: L.geqrf(R), "ldl_factor": lambda L, A, R, B: L.linalg.ldl_factor(A @ A.mT),
    "householder_product": lambda L, A, R, B: L.linalg.householder_product(R, L.tensor([0.5, 0.25, 0.125])),
    "ormqr": lambda L, A, R, B: L.ormqr(R, L.tensor([0.5, 0.25, 0.125]), L.ones(5, 2)),
}


@pytest.mark.parametrize("op", list(LINALG))
def test_linalg_result_layouts(op):
    import torch

    import pyfront
    got = []
    for L in (torch, pyfront):
        A = L.linspace(-1, 1, 16).reshape(4, 4) + 4 * L.eye(4)
        R = L.linspace(-1, 2, 15).reshape(5, 3) ** 2
        out = LINALG[op](L, A, R, L.linspace(0, 1, 8).reshape(4, 2))
        got.append([t.stride() for t in (out if isinstance(out, tuple) else (out,))])
    assert got[1] == got[0]


# unbatched convolutions as torch runs them, on a batch of one: the result's and the gradients' formats are
# the batch's (the input's batched view or a channels-last weight picks channels-last), an unbatched image of
# 4-d or 5-d rank judged as the batch, not as a batched image of one rank fewer
UNBATCHED_CONVS = {
    "conv2d": ((3, 6, 5), (2, 3, 2, 2)), "conv_transpose2d": ((3, 4, 4), (3, 2, 2, 2)),
    "conv3d": ((3, 5, 4, 4), (2, 3, 2, 2, 2)), "conv_transpose3d": ((3, 3, 2, 3), (3, 2, 2, 2, 2)),
}


def _relaid_as(L, t, kind):
    if kind == "contiguous":
        return t
    if kind == "channels_last" and t.dim() in (4, 5):
        return t.contiguous(memory_format=L.channels_last if t.dim() == 4 else L.channels_last_3d)
    n = t.dim()  # permuted: the first dim innermost
    return t.permute(*range(1, n), 0).contiguous().permute(n - 1, *range(n - 1))


@pytest.mark.parametrize("op", list(UNBATCHED_CONVS))
def test_unbatched_conv_layouts(op):
    import torch

    import pyfront
    x_shape, w_shape = UNBATCHED_CONVS[op]
    got = []
    for L in (torch, pyfront):
        found = []
        for x_kind in ("contiguous", "channels_last", "permuted"):
            for w_kind in ("contiguous", "channels_last"):
                x = _relaid_as(L, L.linspace(-1, 1, math.prod(x_shape)).reshape(x_shape), x_kind)
                w = _relaid_as(L, L.linspace(-1, 1, math.prod(w_shape)).reshape(w_shape), w_kind)
                x, w = x.requires_grad_(), w.requires_grad_()
                y = getattr(L.nn.functional, op)(x, w)
                grads = L.autograd.grad(y, (x, w), L.ones(tuple(y.shape)))
                found.append((x_kind, w_kind, y.stride(), [g.stride() for g in grads]))
        got.append(found)
    assert got[1] == got[0]

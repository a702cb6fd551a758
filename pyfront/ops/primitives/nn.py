"""Primitives for neural-network layers: ``im2col`` and ``col2im``, the sliding-window pair.

``im2col`` lays out every (kernel_size, dilation, padding, stride) window of an ``(N, C, H, W)``
tensor as a column, giving ``(N, C * kh * kw, L)`` (``torch.nn.functional.unfold``); ``col2im``
sums such columns back into an image (``fold``). Each is the other's VJP, so convolutions
(im2col + matmul), transposed convolutions (matmul + col2im) and the poolings built on them get
exact gradients, double backward included, from these two entries alone.

Public names appear in ``pyfront.nn.functional``, not at the top level, so ``__all__`` is empty.
"""

from __future__ import annotations

from ...shape import blocks
from ..dispatch import apply
from ..half_cpu import is_half
from ..registry import OpDef, register
from .. import samples

__all__: list = []
METHODS = ""
INPLACE = ""


def _windows(kernel_size, dilation, stride, out):
    """For each kernel offset (i, j): the strided slices of the padded image that it reads."""
    (kh, kw), (dh, dw), (sh, sw), (oh, ow) = kernel_size, dilation, stride, out
    for i in range(kh):
        for j in range(kw):
            yield (
                i,
                j,
                (
                    slice(i * dh, i * dh + sh * (oh - 1) + 1, sh),
                    slice(j * dw, j * dw + sw * (ow - 1) + 1, sw),
                ),
            )


def _im2col_np(np, x, kernel_size, dilation, padding, stride):
    n, c, h, w = x.shape
    (kh, kw), (ph, pw) = kernel_size, padding
    oh, ow = blocks((h, w), kernel_size, dilation, padding, stride)
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((n, c, kh, kw, oh, ow), dtype=x.dtype)
    for i, j, (rows, columns) in _windows(kernel_size, dilation, stride, (oh, ow)):
        cols[:, :, i, j] = padded[:, :, rows, columns]
    return cols.reshape(n, c * kh * kw, oh * ow)


def _col2im_np(np, cols, output_size, kernel_size, dilation, padding, stride):
    (h, w), (kh, kw), (ph, pw) = output_size, kernel_size, padding
    n, c = cols.shape[0], cols.shape[1] // (kh * kw)
    oh, ow = blocks(output_size, kernel_size, dilation, padding, stride)
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), dtype=cols.dtype)
    cols = cols.reshape(n, c, kh, kw, oh, ow)
    # torch's kernel adds the kernel offsets in this order into its output, of a 16-bit input's dtype too:
    # there each sum is rounded (takes_halves)
    wide = np.float32 if is_half(cols) else None
    for i, j, (rows, columns) in _windows(kernel_size, dilation, stride, (oh, ow)):
        if wide:
            out[:, :, rows, columns] = out[:, :, rows, columns].astype(wide) + cols[:, :, i, j].astype(wide)
        else:
            out[:, :, rows, columns] += cols[:, :, i, j]  # the slices of one offset never overlap
    return out[:, :, ph : ph + h, pw : pw + w]


def _im2col_infer(x, kernel_size, dilation, padding, stride):
    n, c, h, w = x.shape
    oh, ow = blocks((h, w), kernel_size, dilation, padding, stride)
    return [((n, c * kernel_size[0] * kernel_size[1], oh * ow), x.dtype)]


def _col2im_infer(cols, output_size, kernel_size, dilation, padding, stride):
    n, ckk, _ = cols.shape
    return [((n, ckk // (kernel_size[0] * kernel_size[1])) + tuple(output_size), cols.dtype)]


def _geometry(attrs):
    return {k: attrs[k] for k in ("kernel_size", "dilation", "padding", "stride")}


def _im2col_vjp(c, g):
    return (apply(COL2IM, g, output_size=tuple(c.input_shapes[0][2:]), **_geometry(c.attrs)),)


def _col2im_vjp(c, g):
    return (apply(IM2COL, g, **_geometry(c.attrs)),)


IM2COL = register(
    OpDef(
        "im2col",
        "other",
        _im2col_infer,
        _im2col_np,
        _im2col_vjp,
        backward_name="Im2ColBackward0",
        torch_name="nn.functional.unfold",
        samples=samples.im2col,
    )
)
COL2IM = register(
    OpDef(
        "col2im",
        "other",
        _col2im_infer,
        _col2im_np,
        _col2im_vjp,
        backward_name="Col2ImBackward0",
        torch_name="nn.functional.fold",
        samples=samples.col2im,
        takes_halves=True,
    )
)


def im2col(x, kernel_size: tuple, dilation: tuple, padding: tuple, stride: tuple):
    """``(N, C, H, W) -> (N, C * kh * kw, L)``: every window as a column (arguments checked by the caller)."""
    return apply(IM2COL, x, kernel_size=kernel_size, dilation=dilation, padding=padding, stride=stride)


def col2im(cols, output_size: tuple, kernel_size: tuple, dilation: tuple, padding: tuple, stride: tuple):
    """``(N, C * kh * kw, L) -> (N, C, H, W)``: the columns summed back into place."""
    return apply(
        COL2IM,
        cols,
        output_size=output_size,
        kernel_size=kernel_size,
        dilation=dilation,
        padding=padding,
        stride=stride,
    )


# -- nll_loss of class indices ------------------------------------------------------------------
# torch's nll_loss for (N, C) log-probabilities and (N,) int64 class indices without class weights: one
# op forward and one backward (NllLossBackward0), where the composite of loss.nll_loss records a dozen
# nodes and a host sync. Both compute what that composite computes, step by step (the picked scores
# negated, times a 0/1 weight that drops ignore_index, summed, divided by the summed weights), so its
# numbers are the composite's, bit for bit. Each is the other's VJP, as in torch (double backward).
def _nll_weights(np, target, ignore_index, dtype):
    """The rows' 0/1 weights (0 where target == ignore_index) and their class indices (0 there)."""
    ignored = target == ignore_index
    return np.logical_not(ignored).astype(dtype), np.where(ignored, 0, target)


def _nll_np(np, logp, target, ignore_index, reduction):
    n_classes = logp.shape[1]
    # a training step's case: every row counts, its weight 1. A negative index, read as unsigned, is past
    # every class: one comparison finds both kinds, and an ignore_index outside the classes (-100) with them,
    # so only one inside needs a look of its own. (count_nonzero, not ndarray.any: any() runs NumPy's Python
    # wrapper, ~3x the time at a batch's size.) Any such row takes the general path, which raises or drops it
    if not np.count_nonzero(target.view(np.uint64) >= n_classes) and not (
            0 <= ignore_index < n_classes and np.count_nonzero(target == ignore_index)):
        # the general path's numbers: -x * 1 is -x, the same sum, and the count of rows as the summed weights
        losses = np.negative(logp[np.arange(len(target)), target])
        if reduction == "none":
            return losses
        total = np.add.reduce(losses, 0)
        return np.asarray(total if reduction == "sum" else total / logp.dtype.type(len(target)))
    w, safe = _nll_weights(np, target, ignore_index, logp.dtype)
    bad = np.logical_and(w, np.logical_or(target < 0, target >= n_classes))
    if np.count_nonzero(bad):
        raise IndexError(f"Target {int(target[bad][0])} is out of bounds.")
    # an ignored row adds nothing, whatever its score (inf or NaN there is not the loss's), as torch's kernel
    losses = np.where(w, np.negative(np.take_along_axis(logp, safe[:, None], 1)[:, 0]) * w, 0)
    if reduction == "none":
        return losses
    total = np.add.reduce(losses, 0)
    return np.asarray(total if reduction == "sum" else total / np.add.reduce(w, 0))


def _nll_backward_np(np, g, target, ignore_index, reduction, n_classes):
    if not np.count_nonzero(target == ignore_index):  # every row counts (weight 1): the general path's sums
        rows = len(target)
        if reduction == "mean":
            g = g / g.dtype.type(rows)
        out = np.zeros((rows, n_classes), g.dtype)
        out[np.arange(rows), target] = np.add(np.negative(g), 0)  # (-0.0 + 0 is +0, as scatter_add's)
        return out
    w, safe = _nll_weights(np, target, ignore_index, g.dtype)
    if reduction == "mean":
        g = g / np.add.reduce(w, 0)
    out = np.zeros((len(target), n_classes), g.dtype)
    # added into the zeros, as gather's gradient (scatter_add): an ignored row's -0.0 becomes +0.0
    # and an ignored row's gradient is 0 even where the mean's 1 / total is inf (all rows ignored), as torch's
    np.put_along_axis(out, safe[:, None], np.where(w, np.add(np.negative(g * w), 0), 0)[:, None], 1)
    return out


def _nll_infer(logp, target, ignore_index, reduction):
    return [(tuple(target.shape) if reduction == "none" else (), logp.dtype)]


nll_loss_forward = register(OpDef(
    "nll_loss_forward", "other", _nll_infer, _nll_np,
    lambda c, g: (apply(_nll_backward, g, c.inputs[1], n_classes=c.input_shapes[0][1], **c.attrs), None),
    arity=2, save=(0, 1), backward_name="NllLossBackward0",
    # its gradient needs the target only; the scores are kept as torch's node keeps them (its version error)
    extra={"cpu_fallback": True, "shows": 1, "saved_slots": ("self", "target")}))
_nll_backward = register(OpDef(
    "nll_loss_backward", "other", lambda g, target, n_classes, **_: [((target.shape[0], n_classes), g.dtype)],
    _nll_backward_np,
    lambda c, gg: (apply(nll_loss_forward, gg, c.inputs[1], ignore_index=c.attrs["ignore_index"],
                         reduction=c.attrs["reduction"]), None),
    arity=2, save=(1,), backward_name="NllLossBackwardBackward0", extra={"cpu_fallback": True}))

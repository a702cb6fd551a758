"""Primitives for neural-network layers: ``im2col`` and ``col2im``, the sliding-window pair.

``im2col`` lays out every (kernel_size, dilation, padding, stride) window of an ``(N, C, H, W)``
tensor as a column, giving ``(N, C * kh * kw, L)`` (``torch.nn.functional.unfold``); ``col2im``
sums such columns back into an image (``fold``). Each is the other's VJP, so convolutions
(im2col + matmul), transposed convolutions (matmul + col2im) and the poolings built on them get
exact gradients, double backward included, from these two entries alone.

Public names appear in ``pyfront.nn.functional``, not at the top level, so ``__all__`` is empty.
"""

from __future__ import annotations

from ...autograd.grad_mode import _state as _grad_state
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
# torch's nll_loss kernels (2-d and nll_loss2d) sum their terms in a cascade, not pairwise: 8 partial sums;
# a kept term (its target not ignore_index) at linear index i goes into the first, and where i is divisible
# by W ** (j + 1) (W = 16 below 2 ** 40 terms) the first j + 1 pass their sums up a level; the levels are
# added in order at the end. Each partial sum starts at +0.0, so none is ever -0.0 (a -0.0 term adds as +0.0).
def _sequential(np, values):
    """values[0] + values[1] + ... in their order and dtype (+0.0 for none)."""
    return np.add.accumulate(values)[-1] if len(values) else values.dtype.type(0)


def _cascade_width(count: int) -> int:
    return 1 << max(4, (count - 1).bit_length() // 8)  # (CeilLog2(count) / 8 levels)


def _every_term_cascade(np, terms):
    """The cascade when every term is kept: each level's groups are whole runs of W (a training step's)."""
    width = _cascade_width(terms.size)
    if terms.size <= width * width + 1:  # a training batch's: the loop below in a few NumPy calls
        return _two_level_cascade(np, terms, width)
    values, out = terms[1:], terms.dtype.type(0)
    for _ in range(7):  # the first seven levels: whole runs pass their sums on, the rest is the level's sum
        whole = len(values) // width * width
        if whole < len(values):
            out = out + _sequential(np, values[whole:])
        if not whole:
            return out + terms[0]
        values = np.add.accumulate(values[:whole].reshape(-1, width), axis=1)[:, -1]
    values = values.copy()  # the top level: term 0, then what the seventh passed on
    values[0] = terms[0] + values[0]
    return out + _sequential(np, values)


def _two_level_cascade(np, terms, width):
    """_every_term_cascade of at most W ** 2 + 1 terms, its numbers: the first level's leftover run, then
    the second's (the sums of the whole runs of W, which it passes on no further, or only its one total),
    then term 0."""
    values, out = terms[1:], terms.dtype.type(0)
    whole = len(values) // width * width
    if whole < len(values):
        out = out + np.add.accumulate(values[whole:])[-1]
    if whole:
        runs = np.add.accumulate(values[:whole].reshape(-1, width), axis=1)[:, -1]
        out = out + np.add.accumulate(runs)[-1]
    return out + terms[0]


def _group_sums(np, values, ends):
    """The sequential sum of each run of ``values`` that ends (inclusive) at each of ``ends``."""
    starts = np.concatenate(([0], ends[:-1] + 1))
    lengths = ends - starts + 1
    width = int(lengths.max())
    if width * len(ends) > 4 * len(values) + 64:  # runs of very different lengths: one at a time
        return np.array([_sequential(np, values[a:b + 1]) for a, b in zip(starts, ends)], values.dtype)
    padded = np.zeros((len(ends), width), values.dtype)  # (trailing +0.0s add nothing to a sum not -0.0)
    rows = np.repeat(np.arange(len(ends)), lengths)
    padded[rows, np.arange(len(values)) - np.repeat(starts, lengths)] = values
    return np.add.accumulate(padded, axis=1)[:, -1]


def _kept_terms_cascade(np, terms, index, count):
    """The cascade over the terms at linear indices ``index`` (an ignored term passes nothing on)."""
    width, levels = _cascade_width(count), []
    for level in range(7):
        step = width ** (level + 1)
        if not len(index) or index[-1] < step:  # at most index 0 passes on, straight to the top level
            keep = 1 if len(index) and index[0] == 0 else 0
            levels.append(_sequential(np, terms[keep:]))
            terms = terms[:keep]
            break
        ends = np.flatnonzero(index % step == 0)
        last = ends[-1] + 1 if len(ends) else 0
        levels.append(_sequential(np, terms[last:]))
        terms, index = (_group_sums(np, terms[:last], ends), index[ends]) if last else (terms[:0], index[:0])
    out = terms.dtype.type(0)
    for partial in levels:
        out = out + partial
    return out + _sequential(np, terms)


def nll_cascade_sum(np, terms, kept=None):
    """torch's nll_loss sum of ``terms`` in their linear order, the ones where ``kept`` is False skipped."""
    terms = np.add(terms.reshape(-1), terms.dtype.type(0))  # (-0.0 + 0 is +0.0)
    if kept is None:
        return _every_term_cascade(np, terms) if terms.size else terms.dtype.type(0)
    index = np.flatnonzero(kept.reshape(-1))
    return _kept_terms_cascade(np, terms[index], index, terms.size)


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
        total = nll_cascade_sum(np, losses)
        return np.asarray(total if reduction == "sum" else total / logp.dtype.type(len(target)))
    w, safe = _nll_weights(np, target, ignore_index, logp.dtype)
    bad = np.logical_and(w, np.logical_or(target < 0, target >= n_classes))
    if np.count_nonzero(bad):
        raise IndexError(f"Target {int(target[bad][0])} is out of bounds.")
    # an ignored row adds nothing, whatever its score (inf or NaN there is not the loss's), as torch's kernel
    losses = np.where(w, np.negative(np.take_along_axis(logp, safe[:, None], 1)[:, 0]) * w, 0)
    if reduction == "none":
        return losses
    total = nll_cascade_sum(np, losses, w != 0)
    return np.asarray(total if reduction == "sum" else total / np.add.reduce(w, 0))


def _nll_backward_np(np, g, *scores_target, ignore_index, reduction, n_classes):
    target = scores_target[-1]  # (the scores before it where a graph of the gradient is recorded: unread)
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


def _nll_vjp(c, g):
    """nll_loss_backward(g, [scores,] target): the scores only where a graph of the gradient is recorded
    (create_graph), as torch's op takes them, an edge whose gradient is zeros (its NllLossBackwardBackward0
    with a double backward); a plain backward leaves them out (the op reads g and the target alone)."""
    operands = (g, c.inputs[0], c.inputs[1]) if _grad_state.enabled else (g, c.inputs[1])
    return apply(_nll_backward, *operands, n_classes=c.input_shapes[0][1], **c.attrs), None


def _nll_double_backward(c, gg):
    """torch's: nll_loss of ``gg`` for the incoming gradient, zeros for the scores, none for the target."""
    target = c.inputs[-1]
    again = apply(nll_loss_forward, gg, target, ignore_index=c.attrs["ignore_index"],
                  reduction=c.attrs["reduction"])
    return (again, gg.new_zeros(gg.shape), None) if len(c.inputs) == 3 else (again, None)


nll_loss_forward = register(OpDef(
    "nll_loss_forward", "other", _nll_infer, _nll_np, _nll_vjp,
    arity=2, save=(0, 1), backward_name="NllLossBackward0",
    # its gradient needs the target only; the scores are kept as torch's node keeps them (its version error)
    extra={"cpu_fallback": True, "shows": 1, "saved_slots": ("self", "target")}))
_nll_backward = register(OpDef(
    "nll_loss_backward", "other",
    lambda g, *scores_target, n_classes, **_: [((scores_target[-1].shape[0], n_classes), g.dtype)],
    _nll_backward_np, _nll_double_backward,
    # (recorded with the scores only, its target third; torch's node shows the gradient's and scores' edges)
    arity=3, save=(2,), backward_name="NllLossBackwardBackward0", extra={"cpu_fallback": True, "shows": 2}))


def _nll_sum_np(np, terms, kept):
    return np.asarray(nll_cascade_sum(np, terms, kept))


# the sum of the composite nll_loss's terms on the host (class weights, 1-d or 3-d and up scores, 16-bit
# floats), in the order of torch's kernel (above)
nll_sum = register(OpDef(
    "nll_sum", "other", lambda terms, kept: [((), terms.dtype)], _nll_sum_np,
    lambda c, g: (g.expand(c.input_shapes[0]), None), arity=2, backward_name="SumBackward0",
    # float16/bfloat16 terms as they are: torch's kernel keeps its partial sums in the input's dtype
    takes_halves=True, extra={"cpu_fallback": True}))

"""The memory layout of op table rows' results against torch's on the cpu: each output tensor's ``stride()``
(and so ``is_contiguous()`` and which ``view()`` works) and each float operand's gradient's.

Every row runs as the op table builds it (contiguous, transposed and expanded operands), and again with its
operands of two or more dims relaid (same values, other strides): column-major, permuted (3-d and up),
channels-last (4-d) and sliced (every other element of a wider tensor: not dense). Strides are compared
where a view or a contiguity check sees them: in dims longer than 1, and not at all for an empty tensor.

Run as a script it prints every such difference (``python tests/layout_sweep.py [op ...]``).
"""
from __future__ import annotations

import sys
import warnings

import numpy as np
import torch

import pyfront
from optable import T, _resolve, build, entries, to_numpy


def _column_major(L, t):
    return t.transpose(-1, -2).contiguous().transpose(-1, -2)


def _permuted(L, t):  # the first dim innermost, the others in order outside it
    n = t.dim()
    return t.permute(*range(1, n), 0).contiguous().permute(n - 1, *range(n - 1))


def _channels_last(L, t):
    return t.contiguous(memory_format=L.channels_last)


def _sliced(L, t):
    return L.stack([t, t], -1)[..., 0]


# name -> (the ranks it applies to, the relayout)
RELAYOUTS = {
    "column_major": ((2, 3, 4, 5), _column_major),
    "permuted": ((3, 4, 5), _permuted),
    "channels_last": ((4,), _channels_last),
    "sliced": ((2, 3, 4), _sliced),
}


def _outputs(out):
    """The tensors of a result (a tensor, or a tuple / list / named tuple of them), in order."""
    if isinstance(out, (torch.Tensor, pyfront.Tensor)):
        return [out]
    if isinstance(out, (tuple, list)):
        return [t for o in out for t in _outputs(o)]
    return []


def seen(shape, strides):
    """The strides a view or contiguity check sees: those of dims longer than 1 (none of an empty tensor)."""
    if 0 in shape:
        return ()
    return tuple(s if n > 1 else None for n, s in zip(shape, strides))


def _relaid(arg, relayout):
    """(pyfront operand, torch operand, pyfront leaf, torch leaf) of one built operand in ``relayout``: a
    leaf of its own (its gradient is the op's, not a relayout's) where the row's operand took a gradient."""
    p, t, pl, tl = arg
    ranks, fn = RELAYOUTS[relayout]
    if not isinstance(t, torch.Tensor) or t.dim() not in ranks or t.stride() != t.contiguous().stride():
        return arg
    values = to_numpy(p)
    p2 = fn(pyfront, pyfront.tensor(values, dtype=p.dtype))
    t2 = fn(torch, torch.tensor(values, dtype=t.dtype))
    if tl is None:
        return p2, t2, None, None
    p2, t2 = p2.detach().requires_grad_(), t2.detach().requires_grad_()
    return p2, t2, p2, t2


def _grads(lib, out, leaves, cotangents):
    outs = [o for o in _outputs(out) if o.dtype.is_floating_point and o.requires_grad]
    if not outs or not leaves:
        return []
    total = sum((o * lib.tensor(c) if c.ndim else o * c).sum() for o, c in zip(outs, cotangents))
    return lib.autograd.grad(total, leaves, allow_unused=True)


def row_layouts(torch_name, sample, domain, seed, relayout=None, grads=True):
    """[(what, torch strides, pyfront strides, shape)] of each output ("out0", ...) and gradient ("grad0",
    ...) of one row (its operands in ``relayout`` where given); None where either library refuses it or the
    results do not pair up (the op table says which)."""
    rng = np.random.default_rng(seed)
    args, kwargs = sample
    built = [build(a, domain, rng) for a in args]
    kw_built = {k: build(v, domain, rng) for k, v in kwargs.items()}
    if relayout is not None:
        if not any(isinstance(a, T) and a.layout == "contiguous" and len(a.shape) in RELAYOUTS[relayout][0]
                   for a in (*args, *kwargs.values())):
            return None
        built = [_relaid(b, relayout) for b in built]
        kw_built = {k: _relaid(b, relayout) for k, b in kw_built.items()}
    every = built + list(kw_built.values())
    p_leaves = [b[2] for b in every if b[2] is not None]
    t_leaves = [b[3] for b in every if b[3] is not None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            t_out = _resolve(torch, torch_name)(*[b[1] for b in built],
                                                **{k: b[1] for k, b in kw_built.items()})
            p_out = _resolve(pyfront, torch_name)(*[b[0] for b in built],
                                                  **{k: b[0] for k, b in kw_built.items()})
        except Exception:
            return None
        ts, ps = _outputs(t_out), _outputs(p_out)
        if len(ts) != len(ps) or any(tuple(t.shape) != tuple(p.shape) for t, p in zip(ts, ps)):
            return None
        found = [(f"out{k}", t.stride(), p.stride(), tuple(t.shape)) for k, (t, p) in enumerate(zip(ts, ps))]
        if not grads:
            return found
        cots = [rng.uniform(-1, 1, size=tuple(t.shape)).astype(str(t.dtype)[6:])
                for t in ts if t.dtype.is_floating_point and t.requires_grad]
        try:
            t_grads = _grads(torch, t_out, t_leaves, cots)
            p_grads = _grads(pyfront, p_out, p_leaves, cots)
        except Exception:
            return found
    for k, (t, p) in enumerate(zip(t_grads, p_grads)):
        if t is not None and p is not None and tuple(t.shape) == tuple(p.shape):
            found.append((f"grad{k}", t.stride(), p.stride(), tuple(t.shape)))
    return found


def row_ids(only=None):
    """(row id, public name, sample, domain, seed, relayout) of every sweep row: the op table's (edge rows
    left out: they repeat the layouts with other values), each also in every relayout it applies to."""
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if only is not None and name not in only:
            continue
        for i, sample in enumerate(samples):
            for relayout in (None, *RELAYOUTS):
                yield (f"{name}-{i}" + (f"-{relayout}" if relayout else ""), torch_name, sample, domain, i,
                       relayout)


def mismatches(only=None, grads=True):
    """{row id: [(what, torch strides, pyfront strides, shape)]} of the sweep rows whose results' strides
    differ from torch's where a view sees them. ``only``: the op names to run (all where None)."""
    found = {}
    for row, torch_name, sample, domain, seed, relayout in row_ids(only):
        for what, t, p, shape in row_layouts(torch_name, sample, domain, seed, relayout, grads) or ():
            if seen(shape, t) != seen(shape, p):
                found.setdefault(row, []).append((what, t, p, shape))
    return found


if __name__ == "__main__":
    rows = mismatches(set(sys.argv[1:]) or None)
    for row, outs in rows.items():
        for what, t, p, shape in outs:
            print(f"{row:50s} {what} shape={list(shape)} torch={t} pyfront={p}")
    print(len(rows), "rows", sum(map(len, rows.values())), "results")

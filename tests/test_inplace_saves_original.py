"""An in-place op keeps what torch's node keeps: where its backward needs the original ``self``, a copy of it
(torch's in-place ops save a clone of self before the write), not ``self`` itself, now holding the result.
Swept over the op table (each op with an in-place method, its first sample): ``y = x.op_(...)`` on a
non-leaf ``x``, then, with nothing written or with one tensor written in place after the op (under no_grad:
its version moves, its values do not), the backward runs or fails, and its gradients are torch's.
A composite shown as torch's one node (nan_to_num_, renorm_, tensor-bound clamp_) kept ``self`` stale and
failed every backward. The differences left are listed below, each with its reason; the test fails if the
set changes either way (a fix takes its line out)."""
import warnings

import numpy as np
import torch
from optable import _values, entries, laid_out

import pyfront
from pyfront.ops.samples import T

# "op written" (written: the tensor written after the op, by position or keyword; None: nothing) -> why
# (the in-place comparisons', logical ops' and no-derivative ops' nodes: tests/test_inplace_nodes.py)
KNOWN: dict = {}


def _grad(lib, leaf):
    g = leaf.grad
    if g is None:
        return None
    if lib is torch and g._is_zerotensor():  # (torch's zero gradient has no values to read)
        g = torch.zeros(g.shape, dtype=g.dtype)
    values = np.asarray(g.detach().tolist(), dtype=np.complex128).ravel()
    return [f"{v.real:.4g} {v.imag:.4g}" for v in values + 0.0]  # (nan equal to nan, -0.0 to 0.0)


def _outcome(lib, sample, domain, name, written):
    """After ``x.<name>_(...)`` and a write of ``written``: "ran" and the gradients, the backward's error,
    or None where torch's op refuses the sample or records no graph."""
    rng = np.random.default_rng(0)
    leaves = {}

    def made(key, spec):
        if not isinstance(spec, T):
            return spec
        leaves[key] = lib.tensor(_values(spec, domain, rng), requires_grad=spec.dtype.startswith(("float", "c")))
        return laid_out(leaves[key] * 1 if key == 0 else leaves[key], spec)  # self: a non-leaf
    args, kwargs = sample
    args = [made(k, a) for k, a in enumerate(args)]
    kwargs = {k: made(k, v) for k, v in kwargs.items()}
    if 0 not in leaves or not leaves[0].requires_grad:
        return None
    try:
        out = getattr(args[0], name + "_")(*args[1:], **kwargs)
    except Exception:  # noqa: BLE001 (a sample the in-place op refuses)
        return None
    if not out.requires_grad:
        return None
    if written is not None:
        target = out if written == 0 else leaves[written]
        with lib.no_grad():
            target.copy_(target.clone())
    try:
        (out.abs() if out.is_complex() else out).sum().backward()
    except Exception as e:  # noqa: BLE001 (any error is the outcome compared)
        return type(e).__name__, str(e)
    return "ran", [_grad(lib, leaf) for leaf in leaves.values()]


def _differences():
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _, torch_name, samples, domain, _ in entries(edge=False):
            if not (samples and hasattr(torch.Tensor, torch_name + "_")
                    and hasattr(pyfront.Tensor, torch_name + "_")):
                continue
            args, kwargs = samples[0]
            for written in [None, *(k for k, a in (*enumerate(args), *kwargs.items()) if isinstance(a, T))]:
                theirs = _outcome(torch, samples[0], domain, torch_name, written)
                ours = _outcome(pyfront, samples[0], domain, torch_name, written)
                if theirs is not None and ours != theirs:
                    found[f"{torch_name} {written}"] = f"torch: {theirs}\n  pyfront: {ours}"
    return found


def test_inplace_ops_keep_what_torch_keeps():
    found = _differences()
    new = {k: v for k, v in found.items() if k not in KNOWN}
    gone = set(KNOWN) - set(found)
    assert not new, "differ from torch:\n" + "\n".join(f"{k}\n  {v}" for k, v in new.items())
    assert not gone, f"now as torch's (take them out of KNOWN): {sorted(gone)}"


def _undefined_inplace(L, op, make):
    leaf = L.tensor([0.1, 0.2, 0.3] if op == "atanh_" else [1.5, 2.0, 3.0], requires_grad=True)
    x = make(leaf)
    y = getattr(x, op)()
    shown = type(y.grad_fn).__name__, y._version, [round(v, 4) for v in y.tolist()]
    try:
        y.sum().backward()
    except (RuntimeError, NotImplementedError) as e:
        return shown, type(e).__name__, str(e)
    return shown, leaf.grad.tolist()


def test_inplace_ops_torch_cannot_differentiate_refuse_as_torch():
    """acosh_, asinh_ and atanh_: torch's formula reads self, which the write overwrote: its node
    (<Name>Backward1) refuses the backward with NotImplementedError, on a view too (pyfront computed it)."""
    makes = (lambda leaf: leaf * 1, lambda leaf: (leaf * 1)[1:], lambda leaf: leaf.detach())
    for op in ("acosh_", "asinh_", "atanh_"):
        for make in makes:
            assert _undefined_inplace(pyfront, op, make) == _undefined_inplace(torch, op, make)

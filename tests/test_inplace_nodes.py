"""What every in-place method records on a tensor whose history needs a gradient, as torch's: the node's
name, whether the result requires grad, and what the backward then gives (the gradients, to 4 decimals, or
the error). Swept over every ``Tensor.X_`` both libraries have, with no operand, a tensor operand and a
number, self or the operand requiring grad. torch records a zero-gradient node for a comparison
(``x.eq_(y)``: EqBackward1), none at all for a logical op (``x.logical_not_()`` keeps x's history, on a
leaf too), ConjPhysicalBackward1 for conj_physical_ of a real tensor, its own names for clamp_min/clamp_max
by a number, and names the in-place op where it has no derivative ("derivative for aten::floor_divide_")."""
import warnings

import torch

import pyfront

# "method operand (self needs grad, operand needs grad)" -> why it differs
KNOWN = {
    **{f"sgn_ none {r}": "torch's sgn_ of a real tensor leaves a gradient without storage (tolist refuses)"
       for r in ((True, False),)},
    **{f"set_ {k} {r}": "torch records set_ as NotImplemented; pyfront refuses the write"
       for k, r in (("none", (True, False)), ("tensor", (True, False)), ("tensor", (False, True)))},
    **{f"copy_ number {r}": "torch's copy_ takes a number; pyfront's wants a tensor"
       for r in ((True, False), (False, True))},
}


def _outcome(L, op, operand, needs):
    a = L.tensor([0.5, 2.0, -3.0], requires_grad=needs[0])
    b = L.tensor([2.0, 2.0, 0.5], requires_grad=needs[1])
    x = a * 1 if needs[0] else a.clone()
    args = {"none": (), "tensor": (b * 1 if needs[1] else b.clone(),), "number": (2.0,)}[operand]
    try:
        getattr(x, op)(*args)
    except Exception as e:  # noqa: BLE001 (a refused call: compared by its type)
        return "refused", type(e).__name__
    out = [type(x.grad_fn).__name__ if x.grad_fn is not None else None, x.requires_grad]
    if x.requires_grad:
        try:
            x.sum().backward()
            out.append([None if t.grad is None else [repr(round(v, 4)) for v in t.grad.tolist()]
                        for t in (a, b)])
        except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
            out.append((type(e).__name__, str(e)))
    return out


def _inplace_methods():
    return sorted(n for n in dir(torch.Tensor) if n.endswith("_") and not n.startswith("_")
                  and hasattr(pyfront.Tensor, n))


def test_inplace_nodes_as_torch():
    differ = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for op in _inplace_methods():
            for operand in ("none", "tensor", "number"):
                for needs in ((True, False), (False, True)):
                    theirs = _outcome(torch, op, operand, needs)
                    if theirs[0] == "refused":
                        continue
                    ours = _outcome(pyfront, op, operand, needs)
                    if ours != theirs:
                        differ[f"{op} {operand} {needs}"] = f"torch {theirs}, pyfront {ours}"
    new = {k: v for k, v in differ.items() if k not in KNOWN}
    assert not new, "\n".join(f"{k}: {v}" for k, v in new.items())
    gone = sorted(set(KNOWN) - set(differ))
    assert not gone, f"now as torch's (take them out of KNOWN): {gone}"


def _through_views(L):
    """A comparison written into a view gives its base a CopySlices over the comparison's node; a logical
    op written into a view or a leaf records nothing, but moves the version a saved output is checked by."""
    a = L.tensor([1.0, 0.0], requires_grad=True)
    b = a * 1
    b[:1].logical_not_()
    shown = [type(b.grad_fn).__name__, b._version]
    b[:1].eq_(0.0)
    shown += [type(b.grad_fn).__name__, b._version]
    b.sum().backward()
    shown.append(a.grad.tolist())
    a.logical_not_()
    shown.append(a._version)
    x = a.exp()
    x.logical_not_()
    for fails in (lambda: x.sum().backward(), lambda: a.eq_(1.0)):
        try:
            fails()
        except RuntimeError as e:
            shown.append(str(e))
    return shown


def test_inplace_nodes_through_views_as_torch():
    assert _through_views(pyfront) == _through_views(torch)

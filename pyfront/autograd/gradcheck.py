"""Finite-difference checks of gradients: ``gradcheck`` and ``gradgradcheck``, as in PyTorch.

For every differentiable output and every input that requires grad, the Jacobian from central
differences (each input element nudged by ``eps`` in place) is compared with the Jacobian built
row by row from vector-Jacobian products (``autograd.grad`` with one-hot output gradients).
The whole Jacobian is always compared (PyTorch's ``fast_mode`` compares a random projection of it).
"""
from __future__ import annotations

import warnings
from typing import Callable, Optional, Sequence, Union

from ..tensor import Tensor

_Tensors = Union[Tensor, Sequence[Tensor]]


class GradcheckError(RuntimeError):
    """Error raised by :func:`gradcheck` and :func:`gradgradcheck`."""


def _as_tuple(x) -> tuple:
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _differentiable_outputs(x) -> tuple:
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


def _check_inputs(inputs) -> None:
    found = False
    for idx, inp in enumerate(inputs):
        if not (isinstance(inp, Tensor) and inp.requires_grad):
            continue
        if inp.dtype.name != "float64":
            warnings.warn(f"Input #{idx} requires gradient and is not a double precision floating point "
                          "or complex. This check will likely fail if all the inputs are not of double "
                          "precision floating point or complex. ", stacklevel=3)
        if not all(st > 0 or sz <= 1 for st, sz in zip(inp.stride(), inp.shape)):
            raise RuntimeError(f"The {idx}th input has a dimension with stride 0. gradcheck only supports "
                               "inputs that are non-overlapping to be able to compute the numerical "
                               "gradients correctly. You should call .contiguous on the input before "
                               "passing it to gradcheck.")
        found = True
    if not found:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of "
                         "them have requires_grad=True.")


def _elements(t: Tensor) -> list:
    """0-d views of every element of ``t`` (row-major), over its memory but outside the graph."""
    views = [t.detach()]
    for _ in range(t.dim()):
        views = [v.select(0, i) for v in views for i in range(v.shape[0])]
    return views


def _flat(t: Optional[Tensor], numel: int) -> list:
    if t is None:
        return [0.0] * numel
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def _values(func, inputs) -> list:
    return [_flat(o, o.numel()) for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]


def _numerical_jacobian(func, inputs, n_out, eps) -> list:
    """``jac[j][i]``: one row per element of input j, of d(tensor output i), as lists of floats."""
    jacobians = []
    for inp in inputs:
        if not (isinstance(inp, Tensor) and inp.requires_grad):
            continue
        columns = []
        for elem in _elements(inp):
            orig = elem.item()
            elem.fill_(orig - eps)
            before = _values(func, inputs)  # read now: an output may alias the perturbed input
            elem.fill_(orig + eps)
            after = _values(func, inputs)
            elem.fill_(orig)
            columns.append([[(b - a) / (2 * eps) for a, b in zip(lo, hi)] for lo, hi in zip(before, after)])
        jacobians.append([[col[i] for col in columns] for i in range(n_out)])
    return jacobians


def _analytical_jacobian(output: Tensor, diff_inputs, check_grad_dtypes, nondet_tol) -> list:
    """``jac[j]``: one row per input element of d(output)/d(input j), from VJPs (computed twice)."""
    from . import grad
    from ..ops.creation import tensor

    def rows():
        per_input = [[[] for _ in range(inp.numel())] for inp in diff_inputs]
        types_ok = sizes_ok = True
        n = output.numel()
        for k in range(n):
            onehot = [0.0] * n
            onehot[k] = 1.0
            g_out = tensor(onehot, dtype=output.dtype, device=output.device).reshape(output.shape)
            grads = grad(output, diff_inputs, g_out, retain_graph=True, allow_unused=True)
            for j, (g, inp) in enumerate(zip(grads, diff_inputs)):
                if g is not None:
                    types_ok &= g.dtype is inp.dtype
                    if tuple(g.shape) != tuple(inp.shape):
                        sizes_ok = False
                        continue
                for e, v in enumerate(_flat(g, inp.numel())):
                    per_input[j][e].append(v)
        return per_input, types_ok, sizes_ok

    first, types_ok, sizes_ok = rows()
    second, _, _ = rows()
    if not types_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not sizes_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if any(abs(a - b) > nondet_tol for m1, m2 in zip(first, second) for r1, r2 in zip(m1, m2)
           for a, b in zip(r1, r2)):
        raise GradcheckError("Backward is not reentrant, i.e., running backward with same input and "
                             "grad_output multiple times gives different values, although analytical "
                             f"gradient matches numerical gradient.The tolerance for nondeterminism was "
                             f"{nondet_tol}.")
    return first


def _allclose(a, n, rtol, atol) -> bool:
    return all(abs(x - y) <= atol + rtol * abs(y) or (x != x and y != y)
               for ra, rn in zip(a, n) for x, y in zip(ra, rn))


def _as_tensor(rows, n_cols):
    from ..dtypes import float64
    from ..ops.creation import tensor
    return tensor(rows if rows else [], dtype=float64).reshape(len(rows), n_cols)


def _check_mul_by_grad_output(outputs, diff_inputs) -> None:
    """Zero output gradients must give zero input gradients of the inputs' dtype and size."""
    from . import grad
    from ..ops.creation import zeros_like
    grads = grad(outputs, diff_inputs, [zeros_like(o) for o in outputs], allow_unused=True)
    for gi, di in zip(grads, diff_inputs):
        if gi is None:
            continue
        if any(v != 0 for v in _flat(gi, gi.numel())):
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype is not di.dtype:
            raise GradcheckError("grad is incorrect type")
        if gi.device != di.device:
            raise GradcheckError("grad is incorrect device")
        if tuple(gi.shape) != tuple(di.shape):
            raise GradcheckError("grad is incorrect size")


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes) -> bool:
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    func_out = _as_tuple(func(*inputs))
    outputs = _differentiable_outputs(func_out)
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    numerical = _numerical_jacobian(func, inputs, sum(isinstance(o, Tensor) for o in func_out), eps)
    if not outputs:
        if any(v != 0 for per_in in numerical for jac in per_in for row in jac for v in row):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    # perturbing the inputs in place bumped their version: rebuild the graph for the analytical side
    func_out = _as_tuple(func(*inputs))
    tensor_outs = [o for o in func_out if isinstance(o, Tensor)]
    diff_idx = [k for k, o in enumerate(tensor_outs) if o.requires_grad]
    for i, k in enumerate(diff_idx):
        out = tensor_outs[k]
        analytical = _analytical_jacobian(out, diff_inputs, check_grad_dtypes, nondet_tol)
        for j, (a, per_out) in enumerate(zip(analytical, numerical)):
            rows_n = per_out[k]
            if not _allclose(a, rows_n, rtol, atol):
                raise GradcheckError(
                    f"Jacobian mismatch for output {i:d} with respect to input {j:d},\n"
                    f"numerical:{_as_tensor(rows_n, out.numel())}\nanalytical:{_as_tensor(a, out.numel())}\n")
    _check_mul_by_grad_output(_differentiable_outputs(func_out), diff_inputs)
    return True


def gradcheck(func: Callable[..., _Tensors], inputs: _Tensors, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, nondet_tol: float = 0.0,
              check_grad_dtypes: bool = False, fast_mode: bool = False) -> bool:
    """Check analytical gradients of ``func`` against central finite differences.

    Args:
        func: takes the Tensor inputs and returns a Tensor or a tuple of Tensors.
        inputs: a Tensor or tuple of inputs; those with ``requires_grad=True`` are checked
            (they should be float64).
        eps: the finite-difference step.
        atol, rtol: the tolerances, as ``allclose(analytical, numerical, rtol, atol)``.
        raise_exception: raise :class:`GradcheckError` on failure (else return False).
        nondet_tol: how far two identical backward passes may differ.
        check_grad_dtypes: also fail when a gradient's dtype differs from its input's.
        fast_mode: accepted for PyTorch compatibility; the full Jacobian is compared either way.
    Returns:
        True when every Jacobian matches.
    """
    try:
        return _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradgradcheck(func: Callable[..., _Tensors], inputs: _Tensors, grad_outputs=None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  raise_exception: bool = True, nondet_tol: float = 0.0,
                  check_grad_dtypes: bool = False, fast_mode: bool = False) -> bool:
    """Check second derivatives: ``gradcheck`` of the map (inputs, grad_outputs) -> input gradients.

    ``grad_outputs`` default to random tensors in [-1, 1) that require grad, shaped like the
    differentiable outputs of ``func``.
    """
    from . import grad
    from ..dtypes import float64
    from ..ops.creation import rand
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outs = _differentiable_outputs(func(*inputs))
        grad_outputs = tuple((rand(o.shape, dtype=o.dtype if o.dtype.is_floating_point else float64,
                                   device=o.device) * 2 - 1).requires_grad_() for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_out = len(grad_outputs)
    diff_inputs = {i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad}

    def new_func(*args):
        input_args = args[:-n_out] if n_out else args
        outputs = _differentiable_outputs(func(*input_args))
        wrt = tuple(x for i, x in enumerate(input_args) if i in diff_inputs)
        grads = grad(outputs, wrt, args[len(input_args):], create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(new_func, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_grad_dtypes=check_grad_dtypes, fast_mode=fast_mode)


__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]

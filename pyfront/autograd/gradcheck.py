"""Finite-difference checks of gradients: ``gradcheck`` and ``gradgradcheck``, as in PyTorch.

For every differentiable output and every input that requires grad, the Jacobian from central
differences (each input element nudged by ``eps`` in place) is compared with the Jacobian built
row by row from vector-Jacobian products (``autograd.grad`` with one-hot output gradients).
With ``fast_mode=True`` (PyTorch's fast mode, pytorch/pytorch#53876) only a random projection of
each Jacobian is compared: for a random unit vector u per input and v per output, v^T (J u), with J u
from one central difference along u, against (v^T J) u, with v^T J from one backward. That costs two
forwards per input and two backwards per output instead of two per element.
"""
from __future__ import annotations

import math
import random
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


def _unit_vector(rng, numel: int, like: Tensor) -> Tensor:
    """A random non-negative vector of norm 1 (as PyTorch's fast mode draws u and v), shaped like ``like``."""
    from ..ops.creation import tensor
    vec = [rng.random() for _ in range(numel)]
    norm = math.sqrt(sum(v * v for v in vec))
    vec = [v / norm for v in vec] if norm else vec
    return tensor(vec, dtype=like.dtype, device=like.device).reshape(like.shape)


def _dot(a: Optional[Tensor], b: Tensor) -> float:
    return 0.0 if a is None else float((a.detach() * b).sum().item())


def _fast_gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes) -> None:
    """Per (output, input): v^T (J u), J u by central differences, against (v^T J) u, v^T J by backward."""
    from . import grad
    # its own generator: the user's random state is left alone and runs repeat; Python's, not NumPy's,
    # as pyfront imports without NumPy (in the page)
    rng = random.Random(0)
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    all_u = [_unit_vector(rng, inp.numel(), inp) for inp in diff_inputs]
    numerical_ju = []  # per input: J u of every tensor output, as tensors
    for inp, u in zip(diff_inputs, all_u):
        data = inp.detach()
        orig = data.clone()
        data.copy_(orig - u * eps)
        before = [o.detach().clone() for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
        data.copy_(orig + u * eps)
        after = [o.detach().clone() for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)]
        data.copy_(orig)
        numerical_ju.append([(b - a) / (2 * eps) for a, b in zip(before, after)])
    func_out = _as_tuple(func(*inputs))  # rebuilt: the in-place nudges bumped the inputs' versions
    tensor_outs = [o for o in func_out if isinstance(o, Tensor)]
    diff_idx = [k for k, o in enumerate(tensor_outs) if o.requires_grad]
    if not diff_idx:
        if any(ju.numel() and float(ju.abs().max().item()) > nondet_tol
               for per in numerical_ju for ju in per):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return
    for i, k in enumerate(diff_idx):
        out = tensor_outs[k]
        v = _unit_vector(rng, out.numel(), out)
        vjps = [grad(out, diff_inputs, v, retain_graph=True, allow_unused=True) for _ in range(2)]
        for g, inp in zip(vjps[0], diff_inputs):
            if g is not None and tuple(g.shape) != tuple(inp.shape):
                raise GradcheckError("Analytical gradient has incorrect size")
            if g is not None and g.dtype is not inp.dtype and check_grad_dtypes:
                raise GradcheckError("Gradient has dtype mismatch")
        for g1, g2 in zip(*vjps):
            if g1 is not None and g1.numel() and float((g1 - g2).abs().max().item()) > nondet_tol:
                raise GradcheckError("Backward is not reentrant, i.e., running backward with same input and "
                                     "grad_output multiple times gives different values, although analytical "
                                     f"gradient matches numerical gradient.The tolerance for nondeterminism "
                                     f"was {nondet_tol}.")
        sum_v = float(v.sum().item())
        for j, (g, u, per_in) in enumerate(zip(vjps[0], all_u, numerical_ju)):
            analytical = _dot(g, u)
            numerical = _dot(per_in[k], v)
            # the slow check allows |a - n| <= atol + rtol |n| per element; summed with weights u and v
            # the atol part becomes atol * sum(u) * sum(v) (PyTorch's _adjusted_atol)
            tol = atol * float(u.sum().item()) * sum_v + rtol * abs(numerical)
            both_nan = analytical != analytical and numerical != numerical
            if not (abs(analytical - numerical) <= tol or both_nan):
                raise GradcheckError(_fast_mismatch_msg(func, inputs, i, j, k, analytical, numerical,
                                                        eps, atol, rtol))


def _fast_mismatch_msg(func, inputs, i, j, k, analytical, numerical, eps, atol, rtol) -> str:
    """PyTorch's fast-mode message: the two projections, then both Jacobians recomputed in full."""
    diff_inputs = [t for t in inputs if isinstance(t, Tensor) and t.requires_grad]
    n_out = sum(isinstance(o, Tensor) for o in _as_tuple(func(*inputs)))
    slow_n = _numerical_jacobian(func, inputs, n_out, eps)[j][k]
    out = [o for o in _as_tuple(func(*inputs)) if isinstance(o, Tensor)][k]
    slow_a = _analytical_jacobian(out, diff_inputs, False, float("inf"))[j]
    max_diff = max((abs(a - n) for ra, rn in zip(slow_a, slow_n) for a, n in zip(ra, rn)), default=0.0)
    msg = (f"Jacobian mismatch for output {i:d} with respect to input {j:d},\n"
           f"numerical:{numerical}\nanalytical:{analytical}\n"
           "\nThe above quantities relating the numerical and analytical jacobians are computed \n"
           "in fast mode. See: https://github.com/pytorch/pytorch/issues/53876 for more background \n"
           "about fast mode. Below, we recompute numerical and analytical jacobians in slow mode:\n\n"
           f"Numerical:\n {_as_tensor(slow_n, out.numel())}\n"
           f"Analytical:\n{_as_tensor(slow_a, out.numel())}\n\n"
           f"The max per-element difference (slow mode) is: {max_diff}.\n")
    if _allclose(slow_a, slow_n, rtol, atol):
        msg += ("\nFast gradcheck failed but element-wise differences are small. This means that the\n"
                "test might've passed in slow_mode! Call gradcheck/gradgradcheck with `fast_mode=False`.")
    return msg


def _forward_check(func, inputs, numerical, rtol, atol) -> None:
    """torch's check_forward_ad: each Jacobian column from dual numbers (``forward_ad``, a one-hot tangent)
    against the numerical one."""
    from ..ops.creation import zeros_like
    from . import forward_ad as fwAD
    diff = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    primals = tuple(inputs[i].detach() for i in diff)
    for j, (x, per_out) in enumerate(zip(primals, numerical)):
        columns = []
        for e in range(x.numel()):
            tangents = [zeros_like(p) for p in primals]
            tangents[j].view(-1)[e] = 1.0
            with fwAD.dual_level():
                args = list(inputs)
                for i, p, t in zip(diff, primals, tangents):
                    args[i] = fwAD.make_dual(p, t)
                got = [fwAD.unpack_dual(o) for o in _as_tuple(func(*args)) if isinstance(o, Tensor)]
                outs = [zeros_like(o) if t is None else t for o, t in got]
            columns.append([_flat(o, o.numel()) for o in outs])
        for i, rows_n in enumerate(per_out):
            rows_f = [col[i] for col in columns]
            if not _allclose(rows_f, rows_n, rtol, atol):
                n = len(rows_n[0]) if rows_n else 0
                raise GradcheckError(
                    f"Jacobian computed with forward mode mismatch for output {i:d} with respect to input "
                    f"{j:d},\nnumerical:{_as_tensor(rows_n, n)}\nanalytical:{_as_tensor(rows_f, n)}\n")


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes, fast_mode=False,
               check_forward_ad=False, check_backward_ad=True) -> bool:
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to be True")
    inputs = _as_tuple(inputs)
    _check_inputs(inputs)
    if check_forward_ad:
        numerical = _numerical_jacobian(func, inputs, sum(isinstance(o, Tensor) for o in _as_tuple(
            func(*inputs))), eps)
        _forward_check(func, inputs, numerical, rtol, atol)
    if not check_backward_ad:
        return True
    if fast_mode:
        _fast_gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes)
        _check_mul_by_grad_output(_differentiable_outputs(_as_tuple(func(*inputs))),
                                  [t for t in inputs if isinstance(t, Tensor) and t.requires_grad])
        return True
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
              check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
              check_batched_grad: bool = False, check_batched_forward_grad: bool = False,
              check_forward_ad: bool = False, check_backward_ad: bool = True, fast_mode: bool = False,
              masked: bool | None = None) -> bool:
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
        fast_mode: compare a random projection v^T J u of each Jacobian instead of all of it
            (PyTorch's fast mode): two function calls per input instead of two per element.
        check_forward_ad: also compare the Jacobian from forward-mode products (``func.jvp``).
        check_backward_ad: compare the Jacobian from backward (VJPs); False skips it, as torch.
        check_undefined_grad, check_batched_grad, check_batched_forward_grad, masked: taken as torch's
            keywords. pyfront runs no separate check for them: its backward takes no undefined
            gradients, its batched gradients (vmap) are the same backward run per sample, and masked
            concerns sparse inputs only.
    Returns:
        True when every Jacobian matches.
    """
    try:
        return _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_grad_dtypes, fast_mode,
                          check_forward_ad, check_backward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradgradcheck(func: Callable[..., _Tensors], inputs: _Tensors, grad_outputs=None, *,
                  eps: float = 1e-6, atol: float = 1e-5, rtol: float = 1e-3,
                  gen_non_contig_grad_outputs: bool = False, raise_exception: bool = True,
                  nondet_tol: float = 0.0, check_undefined_grad: bool = True, check_grad_dtypes: bool = False,
                  check_batched_grad: bool = False, check_fwd_over_rev: bool = False,
                  check_rev_over_rev: bool = True, fast_mode: bool = False, masked: bool = False) -> bool:
    """Check second derivatives: ``gradcheck`` of the map (inputs, grad_outputs) -> input gradients.

    ``grad_outputs`` default to random tensors in [-1, 1) that require grad, shaped like the
    differentiable outputs of ``func``. ``check_fwd_over_rev``/``check_rev_over_rev`` are gradcheck's
    check_forward_ad/check_backward_ad of that map; the other keywords are torch's, as in ``gradcheck``
    (``gen_non_contig_grad_outputs`` makes no difference to pyfront's results).
    """
    from . import grad
    from ..dtypes import float64
    from ..ops.creation import rand
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev to be True")
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outs = _differentiable_outputs(func(*inputs))
        grad_outputs = tuple((rand(o.shape, dtype=o.dtype if o.dtype.is_floating_point else float64,
                                   device=o.device) * 2 - 1).requires_grad_() for o in outs)
    grad_outputs = _as_tuple(grad_outputs)
    n_out = len(grad_outputs)
    diff_inputs = {i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad}

    diff_grads = {i for i, g in enumerate(grad_outputs) if g.requires_grad}

    def new_func(*args):
        # the forward check hands in dual tensors made of detached values: requires_grad comes back here
        k = len(args) - n_out
        wanted = [i in diff_inputs if i < k else i - k in diff_grads for i in range(len(args))]
        args = tuple(x.requires_grad_() if w and not x.requires_grad else x for x, w in zip(args, wanted))
        input_args = args[:-n_out] if n_out else args
        outputs = _differentiable_outputs(func(*input_args))
        wrt = tuple(x for i, x in enumerate(input_args) if i in diff_inputs)
        grads = grad(outputs, wrt, args[len(input_args):], create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(new_func, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_grad_dtypes=check_grad_dtypes, fast_mode=fast_mode,
                     check_forward_ad=check_fwd_over_rev, check_backward_ad=check_rev_over_rev)


__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]

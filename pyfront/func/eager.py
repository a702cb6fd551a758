"""``torch.func``'s autodiff transforms: ``grad``, ``grad_and_value``, ``vjp``, ``jvp``, ``jacrev``,
``jacfwd``, ``hessian``, built on pyfront's tape autograd and ``autograd.functional``.

torch nests transforms by levels of wrapped tensors; pyfront has one tape, so a transform makes its
inputs fresh leaves (or views, when they already carry a graph) and, while grad mode is on, records the
graph of its results (``create_graph``). A result keeps that graph exactly when it reaches a tensor requiring
grad from outside the transform: an input that requires grad, a weight ``func`` closes over (the WGAN-GP
penalty trains the model through ``grad(f)(x)``), or an enclosing transform's input. One that reaches only
the transform's own fresh inputs is detached, as torch's result has no grad_fn there. ``grad(grad(f))``,
``vmap(grad(f))``, ``jacfwd(jacrev(f))`` and a gradient of per-sample gradients compose that way.
Forward-mode products (``jvp``, ``jacfwd``) use the double-backward trick of ``autograd.functional``:
the same numbers, computed in reverse mode.
"""
from __future__ import annotations

import contextlib
import functools
import threading

from ..autograd import functional as _F
from ..autograd.graph import SEQUENCE, AccumulateGrad
from ..autograd.function import forward_ad
from ..autograd.grad_mode import _state, inference_mode, is_grad_enabled
from ..tensor import Tensor
from ..utils._pytree import tree_flatten, tree_map, tree_unflatten, treespec_pprint
from .vmap import RandomnessLevel, _check_randomness_arg

_JVP = "jvp(f, primals, tangents)"


class _Level:
    """One transform call: whether its results may keep a graph (grad mode was on when it was called),
    when it began (nodes recorded earlier are outside it) and the fresh leaves it made of its inputs."""

    def __init__(self):
        self.keep, self.start, self.fresh = is_grad_enabled(), SEQUENCE[0], set()
        self.batched = 0  # the vmap levels its inputs are batched at: its results are too (Tensor._batched)

    def differentiable(self, flat):
        """Each input as a tensor this transform differentiates against: a view of one that requires grad
        (its graph goes on outside), else a fresh leaf."""
        for x in flat:
            if not isinstance(x, Tensor):
                raise ValueError(f"Thing passed to transform API must be Tensor, got {type(x)}")
        leaves = [x.view_as(x) if x.requires_grad else x.detach().requires_grad_() for x in flat]
        for x in flat:
            self.batched |= x._batched
        self.fresh.update(id(x) for x in leaves if x.grad_fn is None)
        return leaves

    def graphs_outside(self, tensors):
        """Whether a gradient of ``tensors`` may need a graph: only one reaching outside the transform can
        (when none does, as for per-sample gradients of detached parameters, no graph is recorded)."""
        return self.keep and any(isinstance(t, Tensor) and self._reaches_outside(t) for t in tensors)

    def _reaches_outside(self, t):
        """Whether ``t``'s graph reaches a tensor requiring grad that this transform did not make."""
        if t.grad_fn is None:
            return t.requires_grad and id(t) not in self.fresh
        seen, todo = set(), [t.grad_fn]
        while todo:
            node = todo.pop()
            if node is None or id(node) in seen:
                continue
            seen.add(id(node))
            if getattr(node, "_seq", 0) <= self.start:  # recorded before the transform began
                return True
            if isinstance(node, AccumulateGrad):
                if node.variable is not None and id(node.variable) not in self.fresh:
                    return True
                continue
            todo.extend(nxt for nxt, _ in node.edges)
        return False

    def unwrap(self, tree, keep=True):
        """The results as torch's transform returns them: a graph only back to what is outside it."""
        def one(x):
            if not isinstance(x, Tensor):
                return x
            if not (keep and self.keep and self._reaches_outside(x)):
                x = x.detach()
            x._batched |= self.batched
            return x
        return tree_map(one, tree)

    def unwrap_aux(self, aux):
        for x in tree_flatten(aux)[0]:
            if not isinstance(x, Tensor):  # torch unwraps aux from its transform level: Tensors only
                raise RuntimeError(f"Expected tensors, got unsupported type {type(x)}")
        return self.unwrap(aux)


_LEVELS = threading.local()  # the transforms running on this thread, innermost last


@contextlib.contextmanager
def _transform_level():
    level = _Level()
    stack = _LEVELS.__dict__.setdefault("stack", [])
    stack.append(level)
    _state.transforms += 1  # read by the refusals (backward, requires_grad_) inside a transform
    innermost, _state.vmap_innermost = _state.vmap_innermost, False
    try:
        with inference_mode(False):  # grad mode on, also inside torch.inference_mode(), as torch's transforms
            yield level
    finally:
        _state.transforms -= 1
        _state.vmap_innermost = innermost
        stack.pop()
        if stack:  # an inner transform's fresh inputs are inside the enclosing one too
            stack[-1].fresh |= level.fresh


def _gradients(outputs, inputs, grad_outputs=None, keep=False, retain_graph=None):
    """``autograd.grad`` of the outputs that need it, zeros for an input they do not depend on."""
    got = _F._autograd_grad(tuple(outputs), tuple(inputs), grad_outputs, create_graph=keep,
                            retain_graph=retain_graph)
    return _F._fill_in_zeros(got, inputs, strict=False, create_graph=keep, stage="back")


# -- argnums ----------------------------------------------------------------------------------
def _wrap_argnum(argnum, num_args):
    if not isinstance(argnum, int):
        raise RuntimeError(f"argnum must be int, got: {type(argnum)}")
    if -num_args <= argnum < num_args:
        return argnum % num_args
    raise RuntimeError(f"Got argnum={argnum}, but only {num_args} positional inputs")


def _slice_argnums(args, argnums):
    """The argument (``argnums`` an int) or the tuple of arguments (a tuple) to differentiate."""
    if not isinstance(argnums, (int, tuple)):
        raise RuntimeError(f"argnums must be int or Tuple[int, ...], got: {type(argnums)}")
    if isinstance(argnums, int):
        return args[_wrap_argnum(argnums, len(args))]
    argnums = tuple(_wrap_argnum(a, len(args)) for a in argnums)
    if not argnums:
        raise RuntimeError("argnums must be non-empty")
    if len(set(argnums)) != len(argnums):
        raise RuntimeError(f"argnums elements must be unique, got {argnums}")
    return tuple(args[i] for i in argnums)


def _replace_args(args, new, argnums):
    if isinstance(argnums, int):
        argnums, new = (argnums,), (new,)
    index = {_wrap_argnum(a, len(args)): i for i, a in enumerate(argnums)}
    return tuple(new[index[i]] if i in index else a for i, a in enumerate(args))


def _split_aux(output, has_aux, api):
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise RuntimeError(f"{api}: output of function f should be a tuple: (output, aux) if has_aux is True")
    return output


def _check_tensor_outputs(flat, api):
    if (len(flat) == 1 and flat[0] is None) or len(flat) < 1:
        raise RuntimeError(f"{api}: Expected f to be a function that has non-empty output (got output = "
                           f"{flat})")
    for out in flat:
        if not isinstance(out, Tensor):
            raise RuntimeError(f"{api}: expected f(*primals) to return only tensors, got unsupported type "
                               f"{type(out)}")


def _check_float_outputs(flat):
    for out in flat:
        if not (out.is_floating_point() or out.is_complex()):
            raise RuntimeError("vjp(f, ...): All outputs of f must be floating-point or complex Tensors, got "
                               f"Tensor with dtype {out.dtype}")


# -- grad ---------------------------------------------------------------------------------------
def grad_and_value(func, argnums=0, has_aux=False):
    r"""``func`` turned into a function returning ``(gradient, value)``: the gradient of its scalar output
    with respect to the argument(s) at ``argnums``, and the output itself.

    Args:
        func (callable): returns a 0-d Tensor (and, with ``has_aux``, an ``(output, aux)`` pair).
        argnums (int or tuple of ints): which positional arguments to differentiate; each may be a nested
            tuple/list/dict of Tensors, and the gradient has its structure. Default: 0
        has_aux (bool): ``func`` returns ``(output, aux)``; the result is then ``(grad, (output, aux))``.

    An argument the output does not depend on gets a zero gradient. Raises RuntimeError with torch's text
    for a non-Tensor or non-scalar output, bad ``argnums`` or a missing aux pair; ValueError for a
    non-Tensor leaf in the differentiated arguments.
    """
    api = "grad_and_value(f)(*args)"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with _transform_level() as level:
            diff = _slice_argnums(args, argnums)
            flat, spec = tree_flatten(diff)
            flat = level.differentiable(flat)
            args = _replace_args(args, tree_unflatten(flat, spec), argnums)
            output, aux = _split_aux(func(*args, **kwargs), has_aux, api)
            if not isinstance(output, Tensor):
                raise RuntimeError(f"{api}: Expected f(*args) to return a Tensor, got {type(output)}")
            if output.dim() != 0:
                raise RuntimeError(f"{api}: Expected f(*args) to return a scalar Tensor, got tensor with "
                                   f"{output.dim()} dims. Maybe you wanted to use the vjp or jacrev APIs "
                                   "instead?")
            keep = level.graphs_outside((output,))
            grads = level.unwrap(tree_unflatten(_gradients((output,), flat, keep=keep), spec))
            output = level.unwrap(output)
        if has_aux:
            return grads, (output, level.unwrap_aux(aux))
        return grads, output

    return wrapper


def grad(func, argnums=0, has_aux=False):
    r"""``func`` turned into a function returning the gradient of its scalar output with respect to the
    argument(s) at ``argnums``: :math:`\nabla_x f(x)`.

    Args:
        func (callable): returns a 0-d Tensor (and, with ``has_aux``, an ``(output, aux)`` pair).
        argnums (int or tuple of ints): which positional arguments to differentiate. Default: 0
        has_aux (bool): ``func`` returns ``(output, aux)``; the result is then ``(grad, aux)``.

    Composes with itself and with :func:`vmap` (``vmap(grad(loss))`` gives per-sample gradients). Raises
    as :func:`grad_and_value`.
    """
    inner = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        g, value = inner(*args, **kwargs)
        return (g, value[1]) if has_aux else g

    return wrapper


# -- vjp / jvp --------------------------------------------------------------------------------------
def vjp(func, *primals, has_aux=False):
    r"""``func(*primals)`` and a function giving the vector-Jacobian product :math:`v^T J` for cotangents v.

    Args:
        func (callable): takes ``primals`` (Tensors, or nested tuples/lists/dicts of them), returns Tensors.
        primals: the point to evaluate at.
        has_aux (bool): ``func`` returns ``(output, aux)``; aux is returned third, not differentiated.

    Returns ``(output, vjp_fn)`` (``(output, vjp_fn, aux)`` with has_aux). ``vjp_fn(cotangents,
    retain_graph=True, create_graph=None)`` takes cotangents of the output's structure and shapes and returns
    a tuple with one entry per primal. Raises RuntimeError with torch's text for non-Tensor, non-float or
    empty outputs and for cotangents of another structure.
    """
    with _transform_level() as level:
        flat, spec = tree_flatten(primals)
        flat = level.differentiable(flat)
        output, aux = _split_aux(func(*tree_unflatten(flat, spec)), has_aux, "vjp(f, *primals)")
        flat_out, out_spec = tree_flatten(output)
        _check_tensor_outputs(flat_out, "vjp(f, *primals)")
        _check_float_outputs(flat_out)
    output, aux = level.unwrap(output), level.unwrap_aux(aux) if has_aux else None

    def vjp_fn(cotangents, retain_graph=True, create_graph=None):
        create_graph = is_grad_enabled() if create_graph is None else create_graph
        flat_cot, cot_spec = tree_flatten(cotangents)
        if cot_spec != out_spec:
            raise RuntimeError("Expected pytree structure of cotangents to be the same as pytree structure "
                               f"of outputs to the function. cotangents: {treespec_pprint(cot_spec)}, primal "
                               f"output: {treespec_pprint(out_spec)}")
        with inference_mode(False):
            keep = create_graph and level.graphs_outside([*flat_out, *flat_cot])
            grads = _gradients(flat_out, flat, tuple(flat_cot), keep=keep,
                               retain_graph=retain_graph)
        return level.unwrap(tree_unflatten(grads, spec), create_graph)

    return (output, vjp_fn, aux) if has_aux else (output, vjp_fn)


def jvp(func, primals, tangents, *, strict=False, has_aux=False):
    r"""``func(*primals)`` and the Jacobian-vector product :math:`J v` with v = ``tangents``.

    Args:
        func (callable): takes ``*primals``, returns Tensors (or nested tuples/lists/dicts of them).
        primals (tuple): the point to evaluate at, a tuple of Tensors.
        tangents (tuple): of the primals' structure and shapes.
        strict (bool): raise when an output does not depend on the inputs instead of a zero product.
        has_aux (bool): ``func`` returns ``(output, aux)``; aux is returned third.

    Computed by ``autograd.functional.jvp`` (reverse mode twice), not by dual numbers: same values.
    Raises RuntimeError with torch's text for primals that are not a tuple, structures or sizes that
    differ, or non-Tensor outputs.
    """
    if not isinstance(primals, tuple):
        raise RuntimeError(f"{_JVP}: Expected primals to be a tuple. E.g. it should be valid to call "
                           "f(*primals).")
    flat, spec = tree_flatten(primals)
    flat_tan, tan_spec = tree_flatten(tangents)
    if spec != tan_spec:
        raise RuntimeError(f"{_JVP}: Expected primals and tangents to have the same python structure. For "
                           "example, if primals is a tuple of 3 tensors, tangents also must be. Got primals "
                           f"with structure {spec} and tangents with structure {tan_spec}")
    for what, leaves in (("primals", flat), ("tangents", flat_tan)):
        if not leaves:
            raise RuntimeError(f"{_JVP}: Expected {what} to contain at least one Tensor.")
        for x in leaves:
            if not isinstance(x, Tensor):
                raise RuntimeError(f"{_JVP}: Expected {what} to only contain Tensors, got {type(x)}")
    for p, t in zip(flat, flat_tan):
        if p.shape != t.shape:
            raise RuntimeError("Trying to set a forward gradient that has a different size than that of the "
                               "original Tensor, this is not supported. Tensor is of size "
                               f"{list(p.shape)} while the given forward gradient is of size "
                               f"{list(t.shape)}.")
    found = {}

    def flat_func(*leaves):
        output, found["aux"] = _split_aux(func(*tree_unflatten(leaves, spec)), has_aux, _JVP)
        flat_out, found["spec"] = tree_flatten(output)
        _check_tensor_outputs(flat_out, _JVP)
        if strict and not all(out.requires_grad for out in flat_out):
            raise RuntimeError("jvp(f, primals, tangents, strict=True): The output of f is independent of "
                               "the inputs. This is not allowed with strict=True.")
        return tuple(flat_out)

    with _transform_level() as level, forward_ad("func"):
        # fresh leaves already requiring grad: autograd.functional takes views of them, no requires_grad_
        out, tangent_out = _F.jvp(flat_func, tuple(level.differentiable(flat)), tuple(flat_tan),
                                  create_graph=True)
    out = level.unwrap(tree_unflatten(out, found["spec"]))
    tangent_out = level.unwrap(tree_unflatten(tangent_out, found["spec"]))
    return (out, tangent_out, level.unwrap_aux(found["aux"])) if has_aux else (out, tangent_out)


# -- Jacobians ------------------------------------------------------------------------------------
def _jacobian(func, argnums, has_aux, args, api):
    """The Jacobian of each output leaf with respect to each differentiated argument leaf, as a tree of
    the outputs' structure whose leaves are trees of the arguments' structure; and the aux."""
    found = {}
    with _transform_level() as level:
        diff = _slice_argnums(args, argnums)
        flat, spec = tree_flatten(diff)
        flat = level.differentiable(flat)

        def flat_func(*leaves):
            new_args = _replace_args(args, tree_unflatten(leaves, spec), argnums)
            output, found["aux"] = _split_aux(func(*new_args), has_aux, api)
            flat_out, found["spec"] = tree_flatten(output)
            _check_tensor_outputs(flat_out, api)
            if api.startswith("vjp"):
                _check_float_outputs(flat_out)
            found["outs"] = flat_out
            # autograd.functional.jacobian has no rows to stack for an empty output (torch's raises there
            # too): those get their zero-size Jacobian below, and a constant stands in when all are empty
            return tuple(out for out in flat_out if out.numel()) or (leaves[0].new_zeros(()),)

        # jacfwd's entries by columns, jacrev's by rows: each zero then has torch's sign (_F._columns)
        by = _F._forward_jacobian if api == _JVP else functools.partial(_F.jacobian, create_graph=True)
        rows = iter(by(flat_func, tuple(flat)))
        jac = [next(rows) if out.numel() else tuple(out.new_zeros(out.shape + x.shape) for x in flat)
               for out in found["outs"]]
    jac = level.unwrap(tree_unflatten([tree_unflatten(row, spec) for row in jac], found["spec"]))
    return (jac, level.unwrap_aux(found["aux"])) if has_aux else jac


def jacrev(func, argnums=0, *, has_aux=False, chunk_size=None):
    r"""``func`` turned into a function returning its Jacobian :math:`J_{ij} = \partial f_i / \partial x_j`
    with respect to the argument(s) at ``argnums``, by reverse mode (one backward pass per output element).

    Args:
        func (callable): returns a Tensor or a nested tuple/list/dict of Tensors.
        argnums (int or tuple of ints): which positional arguments. Default: 0
        has_aux (bool): ``func`` returns ``(output, aux)``; the result is then ``(jacobian, aux)``.
        chunk_size (int, optional): torch's bound on rows computed at once; pyfront computes one row at a
            time. Must be None or positive.

    Each Jacobian entry has shape ``output.shape + input.shape``; the result nests the inputs' structure
    inside the outputs'. Raises ValueError for a bad ``chunk_size``; RuntimeError as :func:`vjp`.
    """
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError("jacrev: `chunk_size` should be greater than 0.")

    @functools.wraps(func)
    def wrapper(*args):
        return _jacobian(func, argnums, has_aux, args, "vjp(f, *primals)")

    return wrapper


def jacfwd(func, argnums=0, has_aux=False, *, randomness="error"):
    r"""``func`` turned into a function returning its Jacobian with respect to the argument(s) at
    ``argnums``, as torch's forward-mode ``jacfwd``: same structure and values.

    Args:
        func (callable): returns a Tensor or a nested tuple/list/dict of Tensors.
        argnums (int or tuple of ints): which positional arguments. Default: 0
        has_aux (bool): ``func`` returns ``(output, aux)``; the result is then ``(jacobian, aux)``.
        randomness (str): as :func:`vmap`'s (torch maps ``func`` over the basis): ``"error"`` refuses a
            random op inside ``func``. Default: ``"error"``

    pyfront computes it in reverse mode (no dual numbers), so the values equal :func:`jacrev`'s. Raises
    RuntimeError with torch's jvp texts for non-Tensor outputs or a bad ``randomness``.
    """
    @functools.wraps(func)
    def wrapper(*args):
        _check_randomness_arg(randomness)  # torch checks it when the wrapper runs its vmap
        with RandomnessLevel(randomness):
            return _jacobian(func, argnums, has_aux, args, _JVP)

    return wrapper


def hessian(func, argnums=0):
    r"""``func`` turned into a function returning its Hessian
    :math:`H_{ij} = \partial^2 f / \partial x_i \partial x_j` with respect to the argument(s) at ``argnums``:
    ``jacfwd(jacrev(func, argnums), argnums)``, as torch.

    Args:
        func (callable): returns a Tensor (a scalar gives an ``input.shape + input.shape`` Hessian).
        argnums (int or tuple of ints): which positional arguments. Default: 0

    Raises as :func:`jacrev` and :func:`jacfwd`.
    """
    return jacfwd(jacrev(func, argnums), argnums)


def linearize(func, *primals):
    r"""``(func(*primals), jvp_fn)``: ``jvp_fn(*tangents)`` is the Jacobian-vector product :math:`J v` of
    ``func`` at ``primals``, as :func:`jvp`'s second result.

    Args:
        func (callable): takes ``*primals``, returns Tensors (or nested tuples/lists/dicts of them).
        primals: the point to linearize at (Tensors, or nested tuples/lists/dicts of them).

    torch traces ``func`` once into a graph of the tangents; pyfront calls :func:`jvp` at each ``jvp_fn`` call
    (``func`` runs again: same values). ``jvp_fn`` raises RuntimeError with torch's text for tangents of
    another structure, shape, device or dtype than the primals.
    """
    output = func(*primals)
    flat, spec = tree_flatten(primals)

    def jvp_fn(*tangents):
        flat_tan, tan_spec = tree_flatten(tangents)
        if tan_spec != spec:
            raise RuntimeError(f"Expected the tangents {tan_spec} to have the same argspec as the primals "
                               f"{spec}")
        for i, (t, p) in enumerate(zip(flat_tan, flat)):
            for what in ("shape", "device", "dtype"):
                if getattr(t, what) != getattr(p, what):
                    raise RuntimeError(f"tangent:{i} with {what} {getattr(t, what)} in flattened pytree "
                                       f"doesn't match the {what} {getattr(p, what)} of the corresponding "
                                       "primal.")
        return jvp(func, primals, tangents)[1]

    return output, jvp_fn


def functionalize(func, *, remove="mutations"):
    r"""``func`` as torch's ``functionalize`` gives it back to an eager caller: the same outputs, and the same
    mutations of its inputs.

    Args:
        func (callable): any function of Tensors.
        remove (str): ``"mutations"`` or ``"mutations_and_views"``: what torch's traced program (``make_fx``)
            rewrites out of place; pyfront has no tracer, so eager calls are all there is to see and ``func``
            runs as written.

    Raises RuntimeError with torch's text for another ``remove``.
    """
    if remove not in ("mutations", "mutations_and_views"):
        raise RuntimeError(
            f"functionalize(f, remove='mutations'): received invalid argument for remove={remove}. Valid "
            "options are:\n     remove='mutations': all inplace and out= operators will be removed from the "
            "program, and replaced with their out-of-place equivalents.\n     remove='mutations_and_views': "
            "In addition to the above, all aliasing operators {view} will be replaced with their "
            "non-aliasing counterparts, {view}_copy.\n")
    return functools.wraps(func)(lambda *args, **kwargs: func(*args, **kwargs))

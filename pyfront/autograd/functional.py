"""``torch.autograd.functional``: Jacobians, Hessians and vector products of a function (``vjp``, ``jvp``,
``jacobian``, ``hessian``, ``vhp``, ``hvp``), built on ``autograd.grad`` as torch 2.13's
``torch/autograd/functional.py``: forward-mode products by the double-backward trick (the gradient of
``grad(outputs, inputs, u)`` with respect to ``u``), the same ``create_graph`` / ``strict`` rules,
tuple-or-tensor results and error texts.

``vectorize=True`` (and ``strategy="forward-mode"``, which torch only allows vectorized) gives the same
values row by row: pyfront has no vmap, so it is not faster, only accepted.
"""
from __future__ import annotations

from ..tensor import Tensor
from .grad_mode import enable_grad, is_grad_enabled, set_grad_enabled

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]

_ONE_ELEMENT_V = ("The vector v can only be None if the input to the user-provided function is a single "
                  "Tensor with a single element.")


def _as_tuple(inp, arg_name, fn_name):
    is_tuple = isinstance(inp, tuple)
    inp = inp if is_tuple else (inp,)
    for i, el in enumerate(inp):
        if not isinstance(el, Tensor):
            where = f"the value at index {i}" if is_tuple else f"the given {arg_name}"
            raise TypeError(f"The {arg_name} given to {fn_name} must be either a Tensor or a tuple of "
                            "Tensors but "
                            f"{where} has type {type(el)}.")
    return is_tuple, inp


def _tuple_postprocess(res, to_unpack):
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            res = tuple(el[0] for el in res)
        if not to_unpack[0]:
            res = res[0]
    elif not to_unpack:
        res = res[0]
    return res


def _grad_preprocess(inputs, create_graph, need_graph):
    # with create_graph a view keeps the caller's graph (results differentiate back to their inputs);
    # otherwise a detached leaf so the caller's graph is never touched
    return tuple(inp.view_as(inp) if create_graph and inp.requires_grad
                 else inp.detach().requires_grad_(need_graph) for inp in inputs)


def _grad_postprocess(inputs, create_graph):
    if isinstance(inputs[0], Tensor):
        return inputs if create_graph else tuple(inp.detach() for inp in inputs)
    return tuple(_grad_postprocess(inp, create_graph) for inp in inputs)


def _validate_v(v, other, is_other_tuple):
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}.")
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if el_v.size() != el_other.size():
            prepend = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(f"{prepend}v has invalid size: should be {el_other.size()} but got "
                               f"{el_v.size()}.")


_STRICT_TEXT = {
    "hessian": "The hessian of the user-provided function with respect to input {i} is independent of the "
               "input. "
               "This is not allowed in strict mode. You should ensure that your function is thrice "
               "differentiable "
               "and that the hessian depends on the inputs.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided function with "
                "respect "
                "to input {i} is independent of the input. This is not allowed in strict mode. You should "
                "ensure "
                "that your function is twice differentiable and that the jacobian depends on the inputs "
                "(this "
                "would be violated by a linear function for example).",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the user-provided "
                   "function. This is not allowed in strict mode.",
    "outputs": "Output {i} of the user-provided function does not require gradients. The outputs must be "
               "computed "
               "in a differentiable manner from the input when running in strict mode.",
}


def _check_requires_grad(inputs, input_type, strict):
    if not strict:
        return
    for i, inp in enumerate(inputs):
        if inp is None:
            raise RuntimeError(f"The output of the user-provided function is independent of input {i}. This "
                               "is "
                               "not allowed in strict mode.")
        if not inp.requires_grad:
            raise RuntimeError(_STRICT_TEXT[input_type].format(i=i))


def _autograd_grad(outputs, inputs, grad_outputs=None, create_graph=False, retain_graph=None):
    """``autograd.grad`` over the outputs that require grad (None for every input when none does)."""
    from . import grad
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else grad_outputs
    kept = [(out, g) for out, g in zip(outputs, grad_outputs) if out is not None and out.requires_grad]
    if not kept:
        return (None,) * len(inputs)
    return grad(tuple(o for o, _ in kept), inputs, tuple(g for _, g in kept), allow_unused=True,
                create_graph=create_graph, retain_graph=retain_graph)


_ZERO_FILL_TEXT = {
    "back": "The output of the user-provided function is independent of input {i}. This is not allowed in "
            "strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the grad_outputs "
                  "when "
                  "using the double backward trick to compute forward mode gradients. This is not allowed in "
                  "strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. This is not "
                   "allowed "
                   "in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} in the "
                         "grad_jacobian. This is not allowed in strict mode as it prevents from using the "
                         "double "
                         "backward trick to replace forward mode AD.",
}


def _fill_in_zeros(grads, refs, strict, create_graph, stage):
    """Zeros where a gradient is None (an unused input); in strict mode that, or a constant one, raises."""
    from ..ops.creation import zeros_like
    res = ()
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_ZERO_FILL_TEXT[stage].format(i=i))
            g = zeros_like(refs[i])
        elif strict and create_graph and not g.requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(f"The {what} of the user-provided function is independent of input {i}. This "
                               "is not "
                               "allowed in strict mode when create_graph=True.")
        res += (g,)
    return res


def _prepare_v(v, against, is_tuple, create_graph, fn_name):
    if v is not None:
        _, v = _as_tuple(v, "v", fn_name)
        v = _grad_preprocess(v, create_graph=create_graph, need_graph=False)
        _validate_v(v, against, is_tuple)
    return v


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    r"""The vector-Jacobian product ``v^T J`` of ``func`` at ``inputs``, with ``func(inputs)``.

    Args:
        func (callable): takes the inputs, returns a Tensor or a tuple of Tensors.
        inputs (Tensor or tuple of Tensors): where to evaluate.
        v (Tensor or tuple, optional): of the outputs' shapes; may be None for a one-element output.
        create_graph (bool): results differentiable (a graph is built). Default: False
        strict (bool): raise when an output is independent of an input instead of giving zeros.

    Returns ``(func_output, vjp)``; raises torch's TypeError / RuntimeError for bad inputs or v.
    """
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict=strict)
        if v is None and (len(outputs) != 1 or outputs[0].nelement() != 1):
            raise RuntimeError("The vector v can only be None if the user-provided function returns a single "
                               "Tensor with a single element.")
        v = _prepare_v(v, outputs, is_outputs_tuple, create_graph, "vjp")
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        grad_res = _autograd_grad(outputs, inputs, v, create_graph=create_graph)
        res = _fill_in_zeros(grad_res, inputs, strict, create_graph, "back")
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(res, create_graph), is_inputs_tuple))


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    r"""The Jacobian-vector product ``J v`` of ``func`` at ``inputs``, by the double-backward trick.

    .. math:: J v = \frac{\partial}{\partial u} \left( u^T J \right) v

    Args:
        func (callable): takes the inputs, returns a Tensor or a tuple of Tensors.
        inputs (Tensor or tuple of Tensors): where to evaluate.
        v (Tensor or tuple, optional): of the inputs' shapes; may be None for a one-element input.
        create_graph (bool): results differentiable. Default: False
        strict (bool): raise when an output is independent of an input instead of giving zeros.

    Returns ``(func_output, jvp)``; raises torch's TypeError / RuntimeError for bad inputs or v.
    """
    from ..ops.creation import zeros_like
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        if v is None and (len(inputs) != 1 or inputs[0].nelement() != 1):
            raise RuntimeError(_ONE_ELEMENT_V)
        v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, "jvp")
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict=strict)
        grad_outputs = tuple(zeros_like(out, requires_grad=True) for out in outputs)
        grad_inputs = _autograd_grad(outputs, inputs, grad_outputs, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict=strict)
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        grad_res = _autograd_grad(grad_inputs, grad_outputs, v, create_graph=create_graph)
        res = _fill_in_zeros(grad_res, outputs, strict, create_graph, "back_trick")
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(res, create_graph), is_outputs_tuple))


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    r"""The Jacobian of ``func`` at ``inputs``: ``J[i][j]`` of shape ``output_i.shape + input_j.shape``.

    Args:
        func (callable): takes the inputs, returns a Tensor or a tuple of Tensors.
        inputs (Tensor or tuple of Tensors): where to evaluate.
        create_graph (bool): results differentiable. Default: False
        strict (bool): raise when an output is independent of an input instead of giving zeros.
        vectorize (bool): accepted; the rows are computed one by one (same values).
        strategy (str): ``"reverse-mode"`` or ``"forward-mode"`` (torch needs ``vectorize=True`` for it).

    Returns a Tensor, a tuple, or a tuple of tuples (outputs outer, inputs inner), as torch.
    """
    from ..ops.creation import zeros_like
    from ..ops.composite.shaping import stack
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
                             'function has more outputs than inputs, "forward-mode" tends to be more '
                             'performant. '
                             'Otherwise, prefer to use "reverse-mode".')
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError('torch.autograd.functional.jacobian: `create_graph=True` and `strategy='
                                      '"forward-mode"` are not supported together (yet). Please either set '
                                      '`create_graph=False` or `strategy="reverse-mode"`.')
        if strict:
            raise RuntimeError('torch.autograd.functional.jacobian: `strict=True` and '
                               '`strategy="forward-mode"` are '
                               'not supported together (yet). Please either set `strict=False` or `strategy='
                               '"reverse-mode"`.')
        _as_tuple(inputs, "inputs", "jacobian")
        if not vectorize:
            raise NotImplementedError("Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
                                      "only implemented for `vectorize=True`.")
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict=strict)
        if vectorize and strict:
            raise RuntimeError("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are "
                               "not "
                               "supported together. Please either set `strict=False` or `vectorize=False`.")
        if strategy == "forward-mode":
            return _tuple_postprocess([list(row) for row in _columns(outputs, inputs, create_graph)],
                                      (is_outputs_tuple, is_inputs_tuple))
        jac = ()
        for i, out in enumerate(outputs):
            rows = tuple([] for _ in inputs)
            for k in range(out.nelement()):
                vj = _autograd_grad((out.reshape(-1)[k],), inputs, retain_graph=True,
                                    create_graph=create_graph)
                for j, (row, g, inp) in enumerate(zip(rows, vj, inputs)):
                    if g is not None:
                        if strict and create_graph and not g.requires_grad:
                            raise RuntimeError("The jacobian of the user-provided function is independent "
                                               "of "
                                               f"input {i}. This is not allowed in strict mode when "
                                               "create_graph=True.")
                        row.append(g)
                    else:
                        if strict:
                            raise RuntimeError(f"Output {i} of the user-provided function is independent of "
                                               "input "
                                               f"{j}. This is not allowed in strict mode.")
                        row.append(zeros_like(inp))
            jac += (tuple(stack(row, dim=0).view(out.size() + inp.size()) for row, inp in zip(rows, inputs)),)
        jac = _grad_postprocess(jac, create_graph)
        return _tuple_postprocess(jac, (is_outputs_tuple, is_inputs_tuple))


def _forward_jacobian(func, inputs: tuple) -> tuple:
    """``jacobian(func, inputs, create_graph=True)`` computed column by column as forward mode does
    (torch.func.jacfwd), for a ``func`` returning a tuple: per output, per input."""
    with enable_grad():
        inputs = _grad_preprocess(inputs, create_graph=True, need_graph=True)
        return _columns(func(*inputs), inputs, True)


def _columns(outputs, inputs, create_graph):
    """The Jacobians of ``outputs`` by ``inputs`` column by column, J e_k by the double-backward trick, as
    forward mode computes them (torch's jacfwd, strategy="forward-mode"): an entry that is zero carries
    forward mode's sign (f'(x_i) times a tangent's 0, row by row), where a row u^T J carries the other
    (u's 0 times f'(x_j), column by column). Per output, per input: ``output.shape + input.shape``."""
    from ..ops.creation import zeros, zeros_like
    from ..ops.composite.shaping import stack
    us = tuple(zeros_like(out, requires_grad=True) for out in outputs)
    vjps = _autograd_grad(outputs, inputs, us, create_graph=True)
    reached = [j for j, g in enumerate(vjps) if g is not None and g.requires_grad]
    jac = [[[] for _ in inputs] for _ in outputs]
    for j, inp in enumerate(inputs):
        for k in range(inp.nelement()):
            cols = (None,) * len(outputs)
            if j in reached:
                e = zeros(inp.nelement(), dtype=inp.dtype, device=inp.device)
                e[k] = 1
                cols = _autograd_grad((vjps[j],), us, (e.view(inp.shape),), retain_graph=True,
                                      create_graph=create_graph)
            for i, (out, c) in enumerate(zip(outputs, cols)):
                jac[i][j].append((zeros_like(out) if c is None else c).reshape(-1))
    return tuple(tuple(_grad_postprocess((stack(col, dim=1),), create_graph)[0].view(out.size() + inp.size())
                       for col, inp in zip(row, inputs)) for row, out in zip(jac, outputs))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False,
            outer_jacobian_strategy="reverse-mode"):
    r"""The Hessian of a scalar function: the Jacobian of its gradient, ``H[i][j]`` of shape
    ``input_i.shape + input_j.shape``.

    Args:
        func (callable): takes the inputs, returns a Tensor with a single element.
        inputs (Tensor or tuple of Tensors): where to evaluate.
        create_graph (bool): results differentiable. Default: False
        strict (bool): raise when the Hessian is independent of an input instead of giving zeros.
        vectorize (bool): accepted; computed row by row (same values).
        outer_jacobian_strategy (str): ``"reverse-mode"`` or ``"forward-mode"`` (the latter needs vectorize).

    Raises RuntimeError as torch when ``func`` returns a tuple or more than one element.
    """
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def ensure_single_output_function(*inp):
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict=strict)
        if is_out_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.nelement() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should contain a single "
                               "element")
        return out.squeeze()

    def jac_func(*inp):
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    res = jacobian(jac_func, inputs, create_graph=create_graph, strict=strict, vectorize=vectorize,
                   strategy=outer_jacobian_strategy)
    return _tuple_postprocess(res, (is_inputs_tuple, is_inputs_tuple))


def _scalar_output(func, inputs, fn_name, strict):
    outputs = func(*inputs)
    is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", fn_name)
    _check_requires_grad(outputs, "outputs", strict=strict)
    if is_outputs_tuple or not isinstance(outputs[0], Tensor):
        raise RuntimeError(f"The function given to {fn_name} should return a single Tensor")
    if outputs[0].nelement() != 1:
        raise RuntimeError(f"The Tensor returned by the function given to {fn_name} should contain a single "
                           "element")
    return is_outputs_tuple, outputs


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    r"""The vector-Hessian product ``v^T H`` of a scalar function at ``inputs``.

    Args:
        func (callable): takes the inputs, returns a Tensor with a single element.
        inputs (Tensor or tuple of Tensors): where to evaluate.
        v (Tensor or tuple, optional): of the inputs' shapes; may be None for a one-element input.
        create_graph (bool): results differentiable. Default: False
        strict (bool): raise when the product is independent of an input instead of giving zeros.

    Returns ``(func_output, vhp)``; raises torch's RuntimeError for a non-scalar function or a bad v.
    """
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vhp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        if v is None and (len(inputs) != 1 or inputs[0].nelement() != 1):
            raise RuntimeError(_ONE_ELEMENT_V)
        v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, "vhp")
        is_outputs_tuple, outputs = _scalar_output(func, inputs, "vhp", strict)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        grad_res = _autograd_grad(jac, inputs, v, create_graph=create_graph)
        res = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back")
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(res, create_graph), is_inputs_tuple))


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    r"""The Hessian-vector product ``H v`` of a scalar function at ``inputs``, by the double-backward trick.

    Args:
        func (callable): takes the inputs, returns a Tensor with a single element.
        inputs (Tensor or tuple of Tensors): where to evaluate.
        v (Tensor or tuple, optional): of the inputs' shapes; may be None for a one-element input.
        create_graph (bool): results differentiable. Default: False
        strict (bool): raise when the product is independent of an input instead of giving zeros.

    Returns ``(func_output, hvp)``; raises torch's RuntimeError for a non-scalar function or a bad v.
    """
    from ..ops.creation import zeros_like
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hvp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        if v is None and (len(inputs) != 1 or inputs[0].nelement() != 1):
            raise RuntimeError(_ONE_ELEMENT_V)
        v = _prepare_v(v, inputs, is_inputs_tuple, create_graph, "hvp")
        is_outputs_tuple, outputs = _scalar_output(func, inputs, "hvp", strict)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        grad_jac = tuple(zeros_like(inp, requires_grad=True) for inp in inputs)
        double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
        _check_requires_grad(jac, "hessian", strict=strict)
    with set_grad_enabled(True if create_graph else is_grad_enabled()):
        grad_res = _autograd_grad(double_back, grad_jac, v, create_graph=create_graph)
        res = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back_trick")
    return (_tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple),
            _tuple_postprocess(_grad_postprocess(res, create_graph), is_inputs_tuple))

"""Autograd behaviour against real torch: each scenario runs the same code with ``lib`` = torch and
``lib`` = pyfront on the same data, and the results (values, gradients, flags, names, errors) must match.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from optable import assert_same

import pyfront

LIBS = (torch, pyfront)
RNG = np.random.default_rng(0)
A = RNG.uniform(-2, 2, size=(3, 4)).astype("float32")
B = RNG.uniform(-2, 2, size=(4,)).astype("float32")


def both(scenario):
    """Run ``scenario(lib)`` for torch and pyfront; the same result, or the same error type and text."""
    results, errors = [], []
    for lib in LIBS:
        try:
            results.append(scenario(lib))
            errors.append(None)
        except Exception as e:  # noqa: BLE001  (the error itself is what is compared)
            results.append(None)
            errors.append(e)
    t_err, p_err = errors
    if t_err is not None:
        assert p_err is not None, f"torch raised {type(t_err).__name__}: {t_err}; pyfront did not"
        assert type(p_err) is type(t_err), f"{type(p_err).__name__}: {p_err} != {type(t_err).__name__}"
        assert str(p_err) == str(t_err)
        return None
    if p_err is not None:
        raise p_err
    assert_compare(results[1], results[0])
    return results


def assert_compare(p, t):
    if isinstance(t, (tuple, list)):
        assert len(p) == len(t)
        for a, b in zip(p, t):
            assert_compare(a, b)
    elif isinstance(t, torch.Tensor):
        assert_same(p, t, rtol=1e-5, atol=1e-6)
    elif t is None:
        assert p is None
    else:
        assert p == t, f"{p!r} != {t!r}"


def leaf(lib, data=A, requires_grad=True):
    return lib.tensor(data, requires_grad=requires_grad)


# -- backward, accumulation, retain_graph ----------------------------------------------------------
def test_grads_accumulate_over_two_backward_calls():
    def s(lib):
        x = leaf(lib)
        (x * x).sum().backward()
        first = x.grad.clone()
        (x.sin()).sum().backward()
        return first, x.grad
    both(s)


def test_second_backward_without_retain_graph_raises():
    def s(lib):
        x = leaf(lib)
        y = (x.exp() * x).sum()
        y.backward()
        y.backward()
    both(s)


def test_retain_graph_allows_second_backward():
    def s(lib):
        x = leaf(lib)
        y = (x.exp() * x).sum()
        y.backward(retain_graph=True)
        y.backward()
        return x.grad
    both(s)


def test_backward_on_non_scalar_needs_gradient():
    both(lambda lib: (leaf(lib) * 2).backward())


def test_backward_with_gradient():
    def s(lib):
        x = leaf(lib)
        (x.tanh() * 3).backward(gradient=lib.tensor(A[::-1].copy()))
        return x.grad
    both(s)


def test_backward_with_wrong_gradient_shape():
    both(lambda lib: (leaf(lib) * 2).backward(lib.ones(4)))


def test_backward_inputs_only_fills_those():
    def s(lib):
        x, w = leaf(lib), leaf(lib, B)
        (x * w).sum().backward(inputs=[w])
        return x.grad, w.grad
    both(s)


def test_backward_on_tensor_without_grad():
    both(lambda lib: lib.tensor(A).sum().backward())


# -- autograd.grad ---------------------------------------------------------------------------------
def test_grad_create_graph_second_derivative():
    def s(lib):
        x = leaf(lib)
        y = (x.sin() * x * x).sum()
        g, = lib.autograd.grad(y, x, create_graph=True)
        g2, = lib.autograd.grad(g.sum(), x)
        return g, g2, g.requires_grad, x.grad
    both(s)


def test_grad_third_derivative():
    def s(lib):
        x = leaf(lib, B)
        g, = lib.autograd.grad((x ** 3).sum(), x, create_graph=True)
        g2, = lib.autograd.grad(g.sum(), x, create_graph=True)
        g3, = lib.autograd.grad(g2.sum(), x)
        return g, g2, g3
    both(s)


def test_grad_unused_input_errors_and_allow_unused():
    both(lambda lib: lib.autograd.grad((leaf(lib) * 2).sum(), [leaf(lib, B)]))

    def s(lib):
        x, w = leaf(lib), leaf(lib, B)
        return lib.autograd.grad((x * 2).sum(), [x, w], allow_unused=True)
    both(s)

    def m(lib):
        x, w = leaf(lib), leaf(lib, B)
        return lib.autograd.grad((x * 2).sum(), [x, w], materialize_grads=True)
    both(m)


def test_grad_of_input_not_requiring_grad():
    both(lambda lib: lib.autograd.grad((leaf(lib) * 2).sum(), [lib.tensor(B)]))


def test_grad_with_grad_outputs_and_multiple_outputs():
    def s(lib):
        x = leaf(lib)
        a, b = x * 2, x.exp()
        return lib.autograd.grad([a, b], x, [lib.ones(3, 4), lib.tensor(A)])
    both(s)


# -- retain_grad, hooks ----------------------------------------------------------------------------
def _batched_grads(T):
    """autograd.grad(is_grads_batched=True): the gradients of each grad_output along its first dim, the
    graph kept until the last, unused inputs (None, or materialized unbatched), torch's shape errors."""
    x = T.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    z = T.ones(2, requires_grad=True)
    y = (x * x).log_softmax(1) @ x
    w = (x.sum(0) * z).exp()
    g, h = T.arange(16.0).reshape(4, 2, 2) / 8, T.arange(8.0).reshape(4, 2) / 4
    got = [T.autograd.grad([y, w], [x, z], [g, h], retain_graph=True, is_grads_batched=True),
           T.autograd.grad(y, [x, z], g, retain_graph=True, is_grads_batched=True, allow_unused=True),
           T.autograd.grad(y, [x, z], g, retain_graph=True, is_grads_batched=True, materialize_grads=True)]
    for bad in (T.ones(3, 2, 3), T.ones(2, 2), T.ones(())):
        with pytest.raises((RuntimeError, IndexError)) as info:
            T.autograd.grad(y, x, bad, retain_graph=True, is_grads_batched=True)
        got.append(str(info.value))
    (gx,) = T.autograd.grad(y, x, g, is_grads_batched=True, create_graph=True)
    got.append(T.autograd.grad(gx.sum(), x))
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        T.autograd.grad(y, x, g, is_grads_batched=True)
    return got


def test_grad_with_batched_grad_outputs():
    ours, theirs = _batched_grads(pyfront), _batched_grads(torch)
    for a, b in zip(ours, theirs):
        if isinstance(b, str):
            assert a == b
            continue
        for u, v in zip(a, b):
            assert (u is None) == (v is None)
            if v is not None:
                assert u.shape == v.shape
                np.testing.assert_allclose(u.detach().numpy(), v.detach().numpy(), rtol=1e-6)


def test_retain_grad():
    def s(lib):
        x = leaf(lib)
        y = x * 3
        y.retain_grad()
        z = y.exp()
        z.sum().backward()
        return y.grad, z.grad, y.retains_grad, x.retains_grad
    with pytest.warns(UserWarning):  # torch warns when reading .grad of a non-leaf
        both(s)


def test_hooks_on_leaf_and_non_leaf_modify_grads():
    def s(lib):
        x = leaf(lib)
        seen = []
        x.register_hook(lambda g: g * 2)
        y = x * x
        y.register_hook(lambda g: seen.append(g.clone()) or g + 1)
        y.sum().backward()
        return x.grad, seen[0]
    both(s)


def test_hook_handle_remove():
    def s(lib):
        x = leaf(lib)
        h = x.register_hook(lambda g: g * 10)
        (x * 2).sum().backward()
        h.remove()
        first = x.grad.clone()
        x.grad = None
        (x * 2).sum().backward()
        return first, x.grad
    both(s)


def test_hook_on_tensor_without_grad():
    both(lambda lib: lib.tensor(A).register_hook(lambda g: g))


# -- requires_grad propagation, leaves, grad_fn names ----------------------------------------------
def test_requires_grad_propagation_and_is_leaf():
    def s(lib):
        x, c = leaf(lib), lib.tensor(A)
        y = x * c
        z = c * 2
        return (y.requires_grad, y.is_leaf, z.requires_grad, z.is_leaf, x.is_leaf, c.is_leaf,
                z.grad_fn is None, x.grad_fn is None)
    both(s)


def test_grad_fn_names_and_next_functions():
    def s(lib):
        x = leaf(lib)
        y = (x * 2).exp().sum()
        fn = y.grad_fn
        chain = []
        while fn is not None:
            chain.append(fn.name())
            fn = fn.next_functions[0][0] if fn.next_functions else None
        return chain
    both(s)


def test_requires_grad_on_non_leaf_cannot_be_cleared():
    both(lambda lib: (leaf(lib) * 2).requires_grad_(False))


def test_integer_tensors_cannot_require_grad():
    both(lambda lib: lib.tensor([1, 2, 3], requires_grad=True))
    both(lambda lib: lib.tensor([1, 2, 3]).requires_grad_())
    both(lambda lib: lib.arange(3).requires_grad_(True))


# -- grad modes ------------------------------------------------------------------------------------
def test_grad_mode_context_managers_nest():
    def s(lib):
        x = leaf(lib)
        flags = []
        with lib.no_grad():
            flags.append((x * 2).requires_grad)
            with lib.enable_grad():
                flags.append((x * 2).requires_grad)
            with lib.set_grad_enabled(True):
                flags.append((x * 2).requires_grad)
            flags.append(lib.is_grad_enabled())
        with lib.set_grad_enabled(False):
            flags.append((x * 2).requires_grad)
        with lib.inference_mode():
            flags.append((x * 2).requires_grad)
            with lib.inference_mode(False):
                flags.append((x * 2).requires_grad)
        flags.append(lib.is_grad_enabled())
        return flags
    both(s)


def test_grad_modes_as_decorators():
    def s(lib):
        x = leaf(lib)

        @lib.no_grad()
        def f(t):
            return t * 2

        @lib.enable_grad()
        def g(t):
            return t * 2

        @lib.inference_mode()
        def h(t):
            return t * 2

        with lib.no_grad():
            inner = g(x).requires_grad
        return f(x).requires_grad, inner, h(x).requires_grad, lib.is_grad_enabled()
    both(s)


def test_set_grad_enabled_as_function():
    def s(lib):
        lib.set_grad_enabled(False)
        off = lib.is_grad_enabled()
        lib.set_grad_enabled(True)
        return off, lib.is_grad_enabled()
    both(s)


# -- detach ----------------------------------------------------------------------------------------
def test_detach_shares_memory_and_cuts_graph():
    def s(lib):
        x = leaf(lib)
        y = x * 2
        d = y.detach()
        d.add_(1)  # writes y's memory: y's version moves, the graph of y is untouched
        y.sum().backward()
        return d.requires_grad, d.is_leaf, y, x.grad
    both(s)


def test_detach_in_place():
    def s(lib):
        x = leaf(lib)
        y = x * 2
        y.detach_()
        return y.requires_grad, y.is_leaf, y.grad_fn is None
    both(s)
    both(lambda lib: (leaf(lib) * 2)[0].detach_() if lib is torch else
         (leaf(lib) * 2).select(0, 0).detach_())


# -- in-place ops ----------------------------------------------------------------------------------
def test_in_place_on_leaf_requiring_grad():
    both(lambda lib: leaf(lib).add_(1))


def test_in_place_on_view_of_leaf():
    both(lambda lib: leaf(lib).narrow(0, 1, 2).mul_(2))


def test_modified_saved_tensor_error_matches_torch():
    def input_saved(lib):
        x = leaf(lib)
        w = lib.tensor(A)
        y = x * w
        w.add_(1)
        y.sum().backward()
    both(input_saved)

    def output_saved(lib):
        x = leaf(lib)
        y = x.exp()
        y.add_(1)
        y.sum().backward()
    both(output_saved)

    def double(lib):
        x = lib.tensor(B.astype("float64"), requires_grad=True)
        y = x.tanh()
        y.mul_(2)
        y.sum().backward()
    both(double)


def test_in_place_on_non_leaf_gives_torch_gradients():
    def s(lib):
        x, w = leaf(lib), leaf(lib, B)
        y = x * 2
        y.mul_(w)
        y.exp_()
        y.sum().backward()
        return y, x.grad, w.grad
    both(s)


def test_in_place_on_view_of_non_leaf_gives_torch_gradients():
    def s(lib):
        x, w = leaf(lib), leaf(lib, B[1:3].copy())
        y = x * 2
        y.narrow(1, 1, 2).mul_(w)
        y.sum().backward()
        return y, x.grad, w.grad, y.grad_fn is not None
    both(s)

    def rows(lib):
        x = leaf(lib)
        y = x.sin()
        y.select(0, 1).mul_(3)
        (y * y).sum().backward()
        return y, x.grad
    both(rows)


def test_view_sees_in_place_change_of_base():
    def s(lib):
        x = leaf(lib)
        y = x * 1
        v = y.narrow(0, 0, 2)
        y.mul_(3)
        (v * v).sum().backward()
        return v, x.grad
    both(s)


def test_grad_assignment_checks():
    def s(lib):
        x = leaf(lib)
        x.grad = lib.ones(4)
    both(s)


# -- custom autograd.Function ----------------------------------------------------------------------
def functions(lib):
    """The same custom Functions written against ``lib``."""
    Function = lib.autograd.Function
    once = lib.autograd.function.once_differentiable
    log = []

    class Scale(Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            log.append(ctx.needs_input_grad)
            return g * ctx.k, None

    class Cube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 3 * x * x * g

    class Exp(Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            y, = ctx.saved_tensors
            return g * y

    class OnceCube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @once
        def backward(ctx, g):
            x, = ctx.saved_tensors
            log.append(lib.is_grad_enabled())
            return 3 * x * x * g

    class Double(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class SignAndValue(Function):
        @staticmethod
        def forward(ctx, x):
            s = (x > 0).to(x.dtype)
            ctx.mark_non_differentiable(s)
            return x * 2, s, 7

        @staticmethod
        def backward(ctx, g, gs, gi):
            log.append((gs, gi))
            return g * 2

    class Lazy(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            log.append(g2)
            return g1 * 2

    class Setup(Function):
        @staticmethod
        def forward(x, k):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.k = inputs[1]
            ctx.save_for_backward(output)

        @staticmethod
        def backward(ctx, g):
            out, = ctx.saved_tensors
            return g * ctx.k, None

    class Same(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    class TooMany(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    class GradForNumber(Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g, g

    class BadShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g.sum(0)

    return dict(log=log, **{c.__name__: c for c in (Scale, Cube, Exp, OnceCube, Double, SignAndValue, Lazy,
                                                   Setup, Same, TooMany, GradForNumber, BadShape)})


def test_function_basic_ctx_and_node():
    def s(lib):
        f = functions(lib)
        x = leaf(lib)
        y = f["Scale"].apply(x, 3.0)
        fn = y.grad_fn
        shown = repr(fn).split(" object")[0].rsplit(".", 1)[-1]
        y.sum().backward()
        return (x.grad, fn.name(), shown, fn.k, f["log"], y.requires_grad, y.is_leaf,
                [n.name() for n, _ in fn.next_functions], str(y).split("grad_fn=")[1])
    both(s)


def test_function_saved_tensors_freed_after_backward():
    def s(lib):
        x = leaf(lib)
        y = functions(lib)["Scale"].apply(x, 2.0).sum()
        y.backward()
        y.backward()
    both(s)

    def retained(lib):
        x = leaf(lib)
        y = functions(lib)["Scale"].apply(x, 2.0)
        y.sum().backward(retain_graph=True)
        y.sum().backward()
        return x.grad, y.grad_fn.saved_tensors
    both(retained)


def test_function_modified_saved_tensor():
    def input_modified(lib):
        x = leaf(lib)
        y = functions(lib)["Scale"].apply(x, 2.0)
        with lib.no_grad():
            x.mul_(3)
        y.sum().backward()
    both(input_modified)

    def output_modified(lib):
        x = leaf(lib)
        y = functions(lib)["Exp"].apply(x)
        y.add_(1)
        y.sum().backward()
    both(output_modified)


def test_function_double_backward():
    def s(lib):
        x = leaf(lib)
        y = functions(lib)["Cube"].apply(x)
        g, = lib.autograd.grad(y.sum(), x, create_graph=True)
        g2, = lib.autograd.grad(g.sum(), x)
        return g, g2
    both(s)


def test_function_once_differentiable():
    def s(lib):
        f = functions(lib)
        x = leaf(lib)
        y = f["OnceCube"].apply(x)
        gy = lib.ones(3, 4, requires_grad=True)
        g, = lib.autograd.grad(y, x, gy, create_graph=True)
        first = (g, f["log"], g.requires_grad)
        g.sum().backward()
        return first
    both(s)


def test_function_mark_dirty():
    both(lambda lib: functions(lib)["Double"].apply(leaf(lib)))

    def s(lib):
        x = leaf(lib)
        a = x * 1
        r = functions(lib)["Double"].apply(a)
        r.sum().backward()
        return r is a, a._version, x.grad
    both(s)

    def saved_elsewhere(lib):
        x = leaf(lib)
        a = x * 1
        b = a * a
        functions(lib)["Double"].apply(a)
        b.sum().backward()
    both(saved_elsewhere)

    def through_view(lib):
        x = leaf(lib)
        a = x * 1
        functions(lib)["Double"].apply(a.narrow(0, 1, 2))
        (a * a).sum().backward()
        return a, x.grad
    both(through_view)


def test_function_non_differentiable_outputs_and_materialized_grads():
    def s(lib):
        f = functions(lib)
        x = leaf(lib)
        out, sign, n = f["SignAndValue"].apply(x)
        out.sum().backward()
        return out, sign, n, sign.requires_grad, x.grad, f["log"]
    both(s)

    def lazy(lib):
        f = functions(lib)
        x = leaf(lib)
        a, b = f["Lazy"].apply(x)
        a.sum().backward()
        return x.grad, f["log"]
    both(lazy)


def test_function_setup_context_style():
    def s(lib):
        x = leaf(lib)
        y = functions(lib)["Setup"].apply(x, 4.0)
        y.sum().backward()
        return y, x.grad, y.grad_fn.name()
    both(s)


def test_function_returning_its_input():
    def s(lib):
        x = leaf(lib)
        y = functions(lib)["Same"].apply(x)
        flags = (y is x, y._base is x, x.grad_fn is None, y.grad_fn.name())
        y.sum().backward()
        return flags, x.grad
    both(s)


def test_function_without_grad_records_nothing():
    def s(lib):
        with lib.no_grad():
            y = functions(lib)["Scale"].apply(leaf(lib), 2.0)
        z = functions(lib)["Scale"].apply(lib.tensor(A), 2.0)
        return y.requires_grad, y.grad_fn is None, z.requires_grad
    both(s)


def test_function_backward_errors():
    both(lambda lib: functions(lib)["TooMany"].apply(leaf(lib)).sum().backward())
    both(lambda lib: functions(lib)["GradForNumber"].apply(leaf(lib), 2).sum().backward())
    both(lambda lib: functions(lib)["BadShape"].apply(leaf(lib)).sum().backward())

    def saves_number(lib):
        class SavesNumber(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x, 3)
                return x

        SavesNumber.apply(leaf(lib))
    both(saves_number)


def _batched_grad_outcomes(L):
    """grad(is_grads_batched=True)'s refusals in torch's order: batches of two sizes (its vmap's), an
    implicit gradient (a 0-d one of ones, which its vmap cannot map; a non-scalar output's refused first)."""
    x = L.ones(2, requires_grad=True)
    y, z = x * 2, x * 3
    out = []
    for outputs, grads in (((y, z), (L.ones(2, 2), L.ones(4, 2))), ((y.sum(),), (L.tensor(1.0),)),
                           ((y.sum(), z), (None, L.ones(3, 2))), ((y, z), (None, L.ones(3, 2))),
                           ((y.sum(),), None), ((y, z), (L.ones(3, 2), L.ones(3, 2)))):
        try:
            found = L.autograd.grad(outputs, x, grads, is_grads_batched=True, retain_graph=True)
            out.append([g.tolist() for g in found])
        except Exception as e:  # noqa: BLE001 (torch's exception is the expected outcome)
            out.append((type(e).__name__, str(e)))
    return out


def test_batched_grad_refusals_are_torchs():
    assert _batched_grad_outcomes(pyfront) == _batched_grad_outcomes(torch)

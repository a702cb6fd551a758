"""What a fresh user found on session 30's merged main, against torch 2.13: autograd's argument checks
(empty inputs, fewer gradients than outputs), addcmul's/addcdiv's value read as the tensors' dtype (a complex
one too; in place and out= check the cast first), swap_tensors of a non-tensor."""
import pytest
import torch

import pyfront


def _outcome(fn):
    try:
        r = fn()
    except Exception as e:  # noqa: BLE001 (the type and words are what is compared)
        return type(e).__name__, str(e)
    return "ok", [t.tolist() if t is not None else None for t in r] if isinstance(r, tuple) else None


def _autograd_calls(T):
    x = T.ones(2, requires_grad=True)
    y, z = (x * 2).sum(), x * 3
    grad, backward = T.autograd.grad, T.autograd.backward
    return [
        lambda: grad(y, [], retain_graph=True),
        lambda: grad(y, (), allow_unused=True, retain_graph=True),
        lambda: grad([], []),
        lambda: grad(y, [x], grad_outputs=[], retain_graph=True),
        lambda: grad([y, z], [x], grad_outputs=[T.ones(())], retain_graph=True),
        lambda: grad([y], [x], grad_outputs=[T.ones(()), T.ones(())], retain_graph=True),
        lambda: backward([y], grad_tensors=[], retain_graph=True),
        lambda: backward([y, z], grad_tensors=[None], retain_graph=True),
        lambda: backward([y], grad_tensors=[], inputs=[]),
        lambda: y.backward(inputs=[], retain_graph=True),
        lambda: y.backward(T.ones(()), inputs=(), retain_graph=True),
        lambda: grad(y, x, grad_outputs=None, retain_graph=True),
    ]


@pytest.mark.parametrize("case", range(12))
def test_autograd_argument_checks_as_torch(case):
    assert _outcome(_autograd_calls(pyfront)[case]) == _outcome(_autograd_calls(torch)[case])


@pytest.mark.parametrize("dtype", ["int32", "float32", "float64", "complex64", "float16"])
@pytest.mark.parametrize("value", [3 + 0j, 3 + 1j, 2.5 + 0j, -1.5 + 0j, 2.5, True])
def test_addcmul_addcdiv_value_read_as_the_tensors_dtype(dtype, value):
    def run(T):
        t = T.tensor([1, 2, 3], dtype=getattr(T, dtype))
        rows = []
        for name in ("addcmul", "addcdiv"):
            u = t if name == "addcmul" or t.dtype.is_floating_point or t.dtype.is_complex else t.float()
            rows.append(_outcome(lambda n=name, u=u: (getattr(T, n)(t, u, u, value=value),)))
            rows.append(_outcome(lambda n=name, u=u: (getattr(t.clone(), n + "_")(u, u, value=value),)))
            rows.append(_outcome(lambda n=name, u=u: (getattr(T, n)(t, u, u, value=value,
                                                                    out=T.empty(3, dtype=T.int32)),)))
            rows.append(str(getattr(T, name)(t, u, u).dtype))
        return rows

    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("pair", ["tensor-int", "int-tensor", "str-tensor"])
def test_swap_tensors_of_a_non_tensor(pair):
    def run(T):
        x = T.ones(2)
        a, b = {"tensor-int": (x, 3), "int-tensor": (3, x), "str-tensor": ("a", x)}[pair]
        return _outcome(lambda: T.utils.swap_tensors(a, b))

    assert run(pyfront) == run(torch)

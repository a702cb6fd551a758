"""The backward of a training step does only the work torch's does, with torch's graph: relu's gradient is
one op (torch's threshold_backward, with its double backward), sum_to_size records torch's sum_to, and a
difference's VJP computes no gradient for an operand that needs none. Values bit for bit against torch."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
SPECIAL = [0.0, -0.0, 1.0, -1.0, 2.5, -3.0, 1e-40, -1e-40, np.inf, -np.inf, np.nan, -np.nan]


def _operands(dtype, n=300):
    """relu inputs and incoming gradients with every special value (NaN of both signs, signed zeros,
    subnormals, infinities), mixed at random into normal numbers past a vector loop's width."""
    rng = np.random.default_rng(5)
    out = []
    for _ in range(2):
        v = rng.standard_normal(n).astype(dtype)
        special = rng.random(n) < 0.5
        v[special] = rng.choice(np.array(SPECIAL, dtype=dtype), size=int(special.sum()))
        out.append(v)
    return out


def _bits(a):
    return a.view(f"u{a.dtype.itemsize}")


def _relu_grad(lib, x, g, device="cpu", expand=False):
    kw = {} if lib is torch else {"device": device}
    t = lib.tensor(x, requires_grad=True, **kw)
    y = t.relu()
    if expand:  # a gradient that is a broadcast view (a sum's): strides 0
        (y * lib.tensor(g[:1], **kw)).sum().backward()
    else:
        y.backward(lib.tensor(g, **kw))
    return t.grad.cpu().numpy() if lib is pyfront else t.grad.numpy()


@pytest.mark.parametrize("expand", [False, True])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_relu_gradient_is_torchs_bits(dtype, expand):
    x, g = _operands(dtype)
    np.testing.assert_array_equal(_bits(_relu_grad(pyfront, x, g, expand=expand)),
                                  _bits(_relu_grad(torch, x, g, expand=expand)))


@requires_webgpu
def test_relu_gradient_on_webgpu_is_torchs():
    x, g = _operands("float32")
    got, want = _relu_grad(pyfront, x, g, "webgpu"), _relu_grad(torch, x, g)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    keep = ~np.isnan(want)  # (a NaN's payload is the GPU's)
    np.testing.assert_array_equal(_bits(got[keep]), _bits(want[keep]))


def _names(fn):
    if fn is None:
        return None
    return fn.name(), tuple(None if n is None else n.name() for n, _ in fn.next_functions)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("cotangent_requires_grad", [False, True])
def test_relu_double_backward_is_torchs(device, cotangent_requires_grad):
    """torch's relu gradient is ThresholdBackwardBackward0 of (the cotangent, relu's output): with
    create_graph it is differentiable in the input (zeros) even when the cotangent is a constant."""
    x, v = (np.array(a, "float32") for a in _operands("float32", 40))
    results = []
    for lib in (torch, pyfront):
        kw = {} if lib is torch else {"device": device}
        t = lib.tensor(x, requires_grad=True, **kw)
        c = lib.tensor(v, requires_grad=cotangent_requires_grad, **kw)
        (g,) = lib.autograd.grad(t.relu(), t, c, create_graph=True)
        w = lib.tensor(np.roll(v, 1), **kw)
        wrt = (t, c) if cotangent_requires_grad else (t,)
        second = lib.autograd.grad((g * w).sum(), wrt)
        results.append((_names(g.grad_fn), [_bits(s.detach().cpu().numpy()) for s in second],
                        _bits(g.detach().cpu().numpy())))
    (names_t, second_t, g_t), (names_p, second_p, g_p) = results
    assert names_p == names_t
    np.testing.assert_array_equal(g_p, g_t)
    for a, b in zip(second_p, second_t):
        np.testing.assert_array_equal(a, b)


def _chain(fn):
    """The nodes sum_to_size records, down to the product it was given."""
    names = []
    while fn is not None and fn.name() != "MulBackward0":
        names.append(fn.name())
        fn = fn.next_functions[0][0]
    return names


SIZES = [(), (1,), (3,), (4, 1), (1, 3), (1, 1), (4, 3), (1, 4, 3), (2, 1, 3), (1, 1, 1), (2, 4, 1),
         (2, 4, 3)]


@pytest.mark.parametrize("device", DEVICES)
def test_sum_to_size_records_torchs_sum_to(device):
    """A sum over the dims kept (SumBackward1), viewed only where leading dims go; everything to (): sum()."""
    for size in SIZES:
        t = torch.linspace(-1, 1, 24).reshape(2, 4, 3).requires_grad_()
        p = pyfront.tensor(t.tolist(), device=device).requires_grad_()
        want, got = (t * 1).sum_to_size(size), (p * 1).sum_to_size(size)
        assert (_chain(got.grad_fn), got.shape, got.is_contiguous()) == (
            _chain(want.grad_fn), want.shape, want.is_contiguous()), size
        torch.testing.assert_close(torch.tensor(got.tolist()), want.detach())


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("size", [(3, 3), (4,), (1, 2, 3), (2, 3, 1), (0,)])
def test_sum_to_size_refuses_a_size_it_cannot_expand_from(size, device):
    """torch's is_expandable_to check and message, where the sum ran and a reshape then failed."""
    msgs = []
    for t in (torch.ones(2, 3), pyfront.ones(2, 3, device=device)):
        with pytest.raises(RuntimeError) as e:
            t.sum_to_size(size)
        msgs.append(str(e.value))
    assert msgs[1] == msgs[0]


@pytest.mark.parametrize("device", DEVICES)
def test_sub_gives_no_gradient_to_an_operand_that_needs_none(device):
    """The node hook sees torch's grad_inputs: None for a constant subtrahend (no negation computed)."""
    seen = {}
    for lib in (torch, pyfront):
        kw = {} if lib is torch else {"device": device}
        a = lib.tensor([1.0, 2.0], requires_grad=True, **kw)
        out = a - lib.tensor([3.0, 4.0], **kw)
        out.grad_fn.register_hook(lambda grad_inputs, grad_outputs, lib=lib: seen.__setitem__(
            lib, [None if g is None else g.tolist() for g in grad_inputs]))
        out.sum().backward()
    assert seen[pyfront] == seen[torch]


@pytest.mark.parametrize("device", DEVICES)
def test_a_whole_sums_gradient_is_expanded_as_torch_does(device):
    """torch's sum_backward expands a sum()'s 0-d gradient as it is: with create_graph its graph is
    ExpandBackward0 of the cotangent's node, no view between."""
    chains = []
    for lib in (torch, pyfront):
        kw = {} if lib is torch else {"device": device}
        v = lib.ones(2, 3, requires_grad=True, **kw)
        c = lib.ones((), requires_grad=True, **kw) * 2
        (g,) = lib.autograd.grad((v * 3).sum(), v, c, create_graph=True)
        fn, names = g.grad_fn, []
        while fn is not None:
            names.append(fn.name())
            fn = fn.next_functions[0][0] if fn.next_functions else None
        chains.append((names, g.tolist()))
    assert chains[1] == chains[0]

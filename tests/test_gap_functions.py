"""The torch functions and Tensor methods pyfront lacked (the *_copy views, index_reduce, nonzero_static,
empty_permuted, the complex queries on real tensors, chain_matmul, triangular_solve, conv3d, the Python
callbacks apply_/map_/map2_, as_subclass, dim_order, the warn-always and deterministic debug switches)
against torch 2.13: values, shapes, dtypes, gradients, the error's type and text, and the warnings."""
import warnings

import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4))
X3 = RNG.standard_normal((2, 3, 4))
TRI = np.triu(RNG.standard_normal((3, 3))) + 3 * np.eye(3)


def _leaf(L, a, device, grad=True):
    return L.tensor(a, dtype=L.float32, device=device, requires_grad=grad)


def _summary(r):
    if isinstance(r, (tuple, list)):
        return [_summary(x) for x in r]
    if isinstance(r, (bool, int, float, str)) or r is None:
        return r
    return (str(r.dtype).split(".")[-1], tuple(r.shape), r.is_contiguous(),
            np.round(r.detach().cpu().numpy().astype(float), 4).tolist())


def _outcome(L, call, device):
    """(summary of the result, or the error; the gradients of float leaves; the warnings)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        leaves = []

        def leaf(a, grad=True):
            t = _leaf(L, a, device, grad)
            leaves.append(t)
            return t
        leaf.device = device
        try:
            r = call(L, leaf)
            got = _summary(r)
            outs = [o for o in (r if isinstance(r, (tuple, list)) else [r])
                    if hasattr(o, "requires_grad") and o.requires_grad]
            if outs:
                loss = sum((o * o).sum() for o in outs)
                grads = L.autograd.grad(loss, [t for t in leaves if t.requires_grad], allow_unused=True)
                got = (got, [None if g is None else np.round(g.cpu().numpy(), 3).tolist() for g in grads])
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
            got = (type(e).__name__, torch_text(e))
    return got, [torch_text(w.message) for w in seen]


CALLS = {
    "permute_copy": lambda L, x: L.permute_copy(x(X3), (2, 0, 1)),
    "t_copy": lambda L, x: L.t_copy(x(X)),
    "transpose_copy": lambda L, x: L.transpose_copy(x(X3), 0, 2),
    "view_copy": lambda L, x: L.view_copy(x(X), (2, 6)),
    "view_copy-bad": lambda L, x: L.view_copy(x(X).t(), (12,)),
    "expand_copy": lambda L, x: L.expand_copy(x(X[:1]), (2, 3, 4)),
    "squeeze_copy": lambda L, x: L.squeeze_copy(x(X[:1])),
    "squeeze_copy-dim": lambda L, x: L.squeeze_copy(x(X[:1]), 0),
    "unsqueeze_copy": lambda L, x: L.unsqueeze_copy(x(X), 1),
    "select_copy": lambda L, x: L.select_copy(x(X3), 1, 2),
    "select_copy-bad": lambda L, x: L.select_copy(x(X3), 1, 5),
    "slice_copy": lambda L, x: L.slice_copy(x(X3), 2, 1, 4, 2),
    "diagonal_copy": lambda L, x: L.diagonal_copy(x(X3), 1, 1, 2),
    "alias_copy": lambda L, x: L.alias_copy(x(X)),
    "as_strided_copy": lambda L, x: L.as_strided_copy(x(X), (2, 2), (1, 4), 1),
    "unfold_copy": lambda L, x: L.unfold_copy(x(X), 1, 2, 1),
    "split_copy": lambda L, x: L.split_copy(x(X), 3, 1),
    "split_with_sizes_copy": lambda L, x: L.split_with_sizes_copy(x(X), [1, 2], 0),
    "unbind_copy": lambda L, x: L.unbind_copy(x(X), 1),
    "t_copy-out": lambda L, x: L.t_copy(x(X, False), out=L.empty(0)),
    "copy-is-not-view": lambda L, x: (lambda a: (L.t_copy(a).fill_(0), a)[1])(x(X, False)),
    "index_reduce-prod": lambda L, x: x(X).index_reduce(0, L.tensor([0, 2, 0], device=x.device),
                                                          x(X[::-1].copy()), "prod"),
    "index_reduce-mean": lambda L, x: L.index_reduce(x(X), 1, L.tensor([3, 3], device=x.device), x(X[:, :2]),
                                                     "mean", include_self=False),
    "index_reduce-amax": lambda L, x: x(X).index_reduce(0, L.tensor([1, 1]), x(X[:2]), "amax"),
    "index_reduce-sum": lambda L, x: x(X).index_reduce(0, L.tensor([1]), x(X[:1]), "sum"),
    "index_reduce-float-index": lambda L, x: x(X).index_reduce(0, L.tensor([1.0]), x(X[:1]), "amin"),
    "index_reduce-count": lambda L, x: x(X).index_reduce(0, L.tensor([1, 2]), x(X[:1]), "amin"),
    "index_reduce_": lambda L, x: x(X, False).index_reduce_(0, L.tensor([1, 1]), x(X[:2], False), "amin"),
    "nonzero_static-pad": lambda L, x: L.nonzero_static(L.tensor([[0, 1], [1, 1]]), size=5),
    "nonzero_static-cut": lambda L, x: L.nonzero_static(L.tensor([0, 1, 0, 2]), size=1, fill_value=9),
    "nonzero_static-method": lambda L, x: L.tensor([0.0, 1.0, 2.0]).nonzero_static(size=4),
    "nonzero_static-bad": lambda L, x: L.nonzero_static(L.tensor([0, 1]), size=-1),
    "empty_permuted": lambda L, x: (lambda e: (tuple(e.shape), e.stride()))(
        L.empty_permuted((2, 3, 4), (2, 0, 1))),
    "empty_permuted-dup": lambda L, x: L.empty_permuted((2, 3), (0, 0)),
    "conj": lambda L, x: (lambda a: [L.conj(a) is a, L.resolve_conj(a) is a, L.resolve_neg(a) is a,
                                     L.conj_physical(a) is a, L.real(a) is a, L.is_conj(a), L.is_neg(a),
                                     L.is_complex(a), L.is_distributed(a), a.is_distributed()])(x(X)),
    "conj_physical-method": lambda L, x: x(X).conj_physical(),
    "chain_matmul": lambda L, x: L.chain_matmul(x(X[:3, :3]), x(X), x(X.T)),
    "chain_matmul-one": lambda L, x: L.chain_matmul(x(X)),
    "chain_matmul-none": lambda L, x: L.chain_matmul(),
    "chain_matmul-1d": lambda L, x: L.chain_matmul(x(X), x(X[0])),
    "triangular_solve": lambda L, x: L.triangular_solve(x(X[:, :2]), x(TRI)),
    "triangular_solve-lower-t-unit": lambda L, x: x(X[:, :2]).triangular_solve(
        x(TRI.T), upper=False, transpose=True, unitriangular=True),
    "triangular_solve-sizes": lambda L, x: L.triangular_solve(x(X), x(TRI[:2, :2])),
    "triangular_solve-batched-b": lambda L, x: L.triangular_solve(x(np.stack([X[:, :2]] * 2)), x(TRI)),
    "triangular_solve-batched-A": lambda L, x: L.triangular_solve(x(X[:, :2]), x(np.stack([TRI] * 2))),
    "conv3d": lambda L, x: L.conv3d(x(RNG.standard_normal((1, 2, 3, 4, 4))),
                                    x(RNG.standard_normal((3, 2, 2, 2, 2))), x(RNG.standard_normal(3)),
                                    padding=1),
    "conv_transpose3d": lambda L, x: L.conv_transpose3d(x(RNG.standard_normal((1, 2, 2, 3, 3))),
                                                        x(RNG.standard_normal((2, 3, 2, 2, 2))), stride=2),
    "gradient": lambda L, x: L.gradient(x(X3)),
    "gradient-spacing-edge2": lambda L, x: L.gradient(x(X3), spacing=0.5, dim=(0, 2), edge_order=2),
    "gradient-per-dim": lambda L, x: L.gradient(x(X), spacing=[2.0, 3.0]),
    "gradient-coordinates": lambda L, x: L.gradient(
        x(X), spacing=(L.tensor([0.0, 1, 3, 4.5], device=x.device),), dim=1),
    "gradient-coordinates-edge2": lambda L, x: L.gradient(
        x(X), spacing=(L.tensor([0.0, 1, 3, 4.5], device=x.device),), dim=-1, edge_order=2),
    "gradient-int": lambda L, x: L.gradient(L.tensor([1, 4, 9, 16], device=x.device)),
    "gradient-short": lambda L, x: L.gradient(x(X[:2]), edge_order=2),
    "gradient-edge3": lambda L, x: L.gradient(x(X), edge_order=3),
    "gradient-spacing-length": lambda L, x: L.gradient(x(X), spacing=[1.0, 2.0, 3.0]),
    "gradient-spacing-dim-length": lambda L, x: L.gradient(x(X), spacing=[1.0, 2.0], dim=1),
    "dim_order": lambda L, x: [x(X3).dim_order(), x(X3).permute(2, 0, 1).dim_order(), x(X).t().dim_order()],
    "resize_as": lambda L, x: x(X).resize_as(L.ones(6, 2)),
    "const_data_ptr": lambda L, x: (lambda a: a.const_data_ptr() == a.data_ptr())(x(X)),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_matches_torch(name):
    RNG_STATE = RNG.bit_generator.state
    want = _outcome(torch, CALLS[name], "cpu")
    RNG.bit_generator.state = RNG_STATE  # the same random arrays for both
    assert _outcome(pyfront, CALLS[name], "cpu") == want


@requires_webgpu
@pytest.mark.parametrize("name", ["permute_copy", "slice_copy", "split_copy", "index_reduce-prod", "gradient",
                                  "gradient-coordinates-edge2",
                                  "index_reduce-mean", "nonzero_static-pad", "chain_matmul", "conj"])
def test_matches_torch_webgpu(name):
    RNG_STATE = RNG.bit_generator.state
    want = _outcome(torch, CALLS[name], "cpu")
    RNG.bit_generator.state = RNG_STATE
    got = _outcome(pyfront, CALLS[name], "webgpu")
    np.testing.assert_equal(str(got), str(want))


CALLBACKS = {
    "apply_": lambda L: L.tensor([[1.0, -2.0], [3.0, 0.5]]).apply_(lambda v: v * 2 + 1),
    "apply_-int": lambda L: L.tensor([1, 2, 3]).apply_(lambda v: v * 3),
    "map_": lambda L: L.tensor([[1.0, 2.0], [3.0, 4.0]]).map_(L.tensor([10.0, 20.0]), lambda a, b: a * b),
    "map2_": lambda L: L.tensor([1.0, 2.0]).map2_(L.tensor([3.0, 4.0]), L.tensor([5.0, 6.0]),
                                                  lambda a, b, c: a + b * c),
    "apply_-requires-grad": lambda L: L.ones(2, requires_grad=True).apply_(lambda v: v),
    "apply_-bad-return": lambda L: L.ones(2).apply_(lambda v: "a"),
}


@pytest.mark.parametrize("name", list(CALLBACKS))
def test_python_callbacks_as_torch(name):
    def run(L):
        try:
            return _summary(CALLBACKS[name](L))
        except Exception as e:  # noqa: BLE001
            return type(e).__name__, torch_text(e)
    assert run(pyfront) == run(torch)


def test_as_subclass():
    for L in (torch, pyfront):
        class Sub(L.Tensor):
            pass
        x = L.ones(3, requires_grad=True)
        s = x.as_subclass(Sub)
        assert type(s) is Sub and s.requires_grad
        (s * 2).sum().backward()
        assert x.grad.tolist() == [2.0, 2.0, 2.0]
        with pytest.raises(TypeError) as e:
            x.as_subclass(int)
        assert "does not inherit from Tensor" in str(e.value)


@pytest.mark.parametrize("mode", [0, 1, 2, "default", "warn", "error", "bogus", 5, 1.0])
def test_deterministic_debug_mode(mode):
    def run(L):
        try:
            L.set_deterministic_debug_mode(mode)
            got = (L.get_deterministic_debug_mode(), L.are_deterministic_algorithms_enabled(),
                   L.is_deterministic_algorithms_warn_only_enabled())
        except Exception as e:  # noqa: BLE001
            got = (type(e).__name__, str(e))
        L.set_deterministic_debug_mode(0)
        return got
    assert run(pyfront) == run(torch)


def test_warn_always():
    def run(L):
        counts = []
        for flag in (False, True, False):
            L.set_warn_always(flag)
            with warnings.catch_warnings(record=True) as seen:
                warnings.simplefilter("always")
                for _ in range(3):
                    L.chain_matmul(L.ones(2, 2), L.ones(2, 2))
            counts.append((L.is_warn_always_enabled(), len(seen)))
        return counts
    assert run(pyfront) == run(torch)

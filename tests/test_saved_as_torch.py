"""What a composite's node keeps as torch's one node saves (``composite(saves=...)``), beyond the op-table
sweeps (test_saved_version_errors, test_saved_attributes): read after backward, kept through retain_graph,
not kept where torch's kernel writes without counting (batch_norm's running statistics while training),
and torch's Tensor-Scalar pow, which keeps no result (``y = x ** 2; y.add_(1)`` runs its backward)."""
import pytest
import torch

import pyfront


def _both(fn):
    out = []
    for L in (torch, pyfront):
        try:
            out.append(("ok", fn(L)))
        except RuntimeError as e:
            out.append((type(e).__name__, str(e)))
    assert out[1] == out[0]
    return out[0]


def _leaf(L, *shape):
    return L.arange(float(L.Size(shape).numel())).reshape(shape).div(7).requires_grad_()


@pytest.mark.parametrize("write", ["pow_output", "pow_input", "sq_output"])
def test_number_power_keeps_no_result(write):
    def run(L):
        x = _leaf(L, 3, 4).clone()
        y = x ** 2 if write != "sq_output" else L.pow(x, 3.0)
        (x if write == "pow_input" else y).add_(1)
        y.sum().backward()
        return "ran"
    _both(run)


def test_saved_read_after_backward_as_torch():
    def run(L):
        x, t = _leaf(L, 3, 4).clone(), _leaf(L, 3, 4).detach()
        loss = L.nn.functional.smooth_l1_loss(x, t, beta=0.5)
        fn = loss.grad_fn
        before = (fn._saved_self.tolist(), fn._saved_target.tolist(), fn._saved_beta)
        loss.backward()
        after = fn._saved_beta  # a number stays readable
        try:
            return before, after, fn._saved_self.tolist()
        except RuntimeError as e:
            return before, after, str(e)
    _both(run)


def test_kept_through_retain_graph_and_checked_again():
    def run(L):
        x = _leaf(L, 2, 3, 8).clone()
        y = L.nn.functional.max_pool1d(x, 2)
        y.sum().backward(retain_graph=True)
        x.mul_(2)
        y.sum().backward()
    _both(run)


def test_batch_norm_training_forwards_twice_then_backward():
    def run(L):
        bn = L.nn.BatchNorm1d(3)
        x = _leaf(L, 4, 3)
        ((bn(x) + bn(x * 2)) * _leaf(L, 4, 3).detach()).sum().backward()
        return x.grad.abs().sum().item() > 0
    _both(run)


def test_dims_shown_as_given():
    """A composite's node shows torch's dim as the call gave it: a negative one as torch reads it back (its
    unsigned pattern), an int list's int as a 1-tuple (pyfront's own steps hold the normalised dim)."""
    def run(L):
        x = _leaf(L, 3, 4)
        i = L.tensor([[0, 1], [2, 3], [1, 1]])
        outs = [L.std(x, -1), L.std_mean(x, (0, 1))[0], L.nansum(x, 1), L.nn.functional.glu(x),
                L.cummax(x, -1)[0], L.logcumsumexp(x, -2), L.gather(x, -1, i),
                L.scatter_add(x, -1, i, x[:, :2])]
        return [o.grad_fn._saved_dim for o in outs]
    _both(run)

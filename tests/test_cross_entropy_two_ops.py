"""F.cross_entropy of (N, C) scores and int64 class indices on cpu as torch's two ops (issue 13): log_softmax
(LogSoftmaxBackward0) then nll_loss (NllLossBackward0, whose only edge is the scores'), past the composite's
wrappers. Swept against torch: values, dtype, nodes two levels down, gradients, errors, for the fast case
and the cases beside it that take the general path (weights, smoothing, other ranks, dtypes, reductions)."""
import numpy as np
import pytest
import torch

import pyfront
from graph_names import node_names


def _outcome(m, x, t, grad, kwargs, depth=2):
    xs = m.tensor(x.ravel().tolist(), dtype=getattr(m, str(x.dtype))).reshape(x.shape)
    if grad:
        xs.requires_grad_()
    ts = m.tensor(t.ravel().tolist(), dtype=getattr(m, str(t.dtype))).reshape(t.shape)
    kwargs = {k: m.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    try:
        r = m.nn.functional.cross_entropy(xs, ts, **kwargs)
    except Exception as e:  # noqa: BLE001 (compared with torch's)
        return type(e).__name__, str(e)
    # label smoothing's composite presents its last node over its own inputs' edges (its name compared)
    seen = [str(r.dtype), tuple(r.shape), r.requires_grad,
            node_names(r.grad_fn, 0 if kwargs.get("label_smoothing") else depth)]
    if grad:
        (r * r).sum().backward()
        seen.append(torch.from_numpy(np.array(xs.grad.tolist(), dtype=x.dtype).reshape(x.shape)))
    return seen, torch.tensor(r.tolist(), dtype=torch.float64)


KWARGS = [{}, {"reduction": "sum"}, {"reduction": "none"}, {"ignore_index": 2},
          {"ignore_index": 2, "reduction": "sum"}, {"weight": np.arange(1.0, 6.0, dtype=np.float32)},
          {"label_smoothing": 0.1}, {"reduction": "bad"}, {"label_smoothing": 0},
          {"reduction": "mean", "ignore_index": -1}]


def _targets(rng, n):
    return [rng.integers(0, 5, n), np.full(n, 2), np.array([5] + [0] * (n - 1)),
            np.array([-1] + [0] * (n - 1)), np.array([-100] + [1] * (n - 1)),
            rng.integers(0, 5, n).astype(np.uint8)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cross_entropy_of_class_indices_as_torch(dtype):
    rng = np.random.default_rng(0)
    for n in (0, 1, 7):
        x = (rng.standard_normal((n, 5)) * 3).astype(dtype)
        if n > 1:
            x[1, :2] = [np.inf, -np.inf]
        for t in _targets(rng, n) if n else [np.zeros(0, np.int64)]:
            for kwargs in KWARGS:
                if "weight" in kwargs and dtype == "float64":
                    kwargs = {**kwargs, "weight": kwargs["weight"].astype(np.float64)}
                for grad in (False, True) if not kwargs else (True,):
                    ours, theirs = (_outcome(m, x, t, grad, kwargs) for m in (pyfront, torch))
                    if isinstance(theirs[0], str):
                        assert ours == theirs, (n, t, kwargs)
                        continue
                    assert ours[0][:4] == theirs[0][:4], (n, t, kwargs, grad)
                    torch.testing.assert_close(ours[1], theirs[1], equal_nan=True)
                    if grad:
                        torch.testing.assert_close(ours[0][4], theirs[0][4], equal_nan=True)


def test_other_ranks_and_a_mismatched_batch_as_torch():
    rng = np.random.default_rng(1)
    for x, t in [(rng.standard_normal(5).astype(np.float32), np.array(3)),
                 (rng.standard_normal((2, 5, 3)).astype(np.float32), rng.integers(0, 5, (2, 3))),
                 (rng.standard_normal((4, 5)).astype(np.float32), rng.integers(0, 5, 3)),
                 (rng.standard_normal((4, 5)).astype(np.float32), rng.integers(0, 5, (4, 1))),
                 (rng.standard_normal((4, 5)).astype(np.float32), rng.integers(0, 5, 4).astype(np.int32))]:
        # the general path's node over its own input's edge, where torch's views the scores first: names
        ours, theirs = (_outcome(m, x, t, True, {}, depth=0) for m in (pyfront, torch))
        if isinstance(theirs[0], str):
            assert ours == theirs
            continue
        assert ours[0][:4] == theirs[0][:4]
        torch.testing.assert_close(ours[1], theirs[1])


def test_an_inference_target_beside_scores_needing_grad_is_refused_as_torch():
    seen = []
    for m in (pyfront, torch):
        with m.inference_mode():
            t = m.tensor([1, 0])
        try:
            m.nn.functional.cross_entropy(m.ones(2, 3, requires_grad=True), t)
            seen.append(None)
        except RuntimeError as e:
            seen.append(str(e))
    assert seen[0] == seen[1]

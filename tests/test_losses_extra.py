"""gaussian_nll_loss, cosine_embedding_loss, multi_margin_loss, multilabel_margin_loss and
triplet_margin_with_distance_loss (functions and nn modules) against real torch (cpu), on cpu and webgpu:
values and gradients of every input, on seeded inputs over each reduction and option, torch's errors (type
and text), and print(module)."""
import numpy as np
import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn):
    try:
        out = fn()
        return "ok", out
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return type(e).__name__, torch_text(e)


def _run(L, dev, arrays, call):
    """``call(L, *tensors)`` on tensors made from ``arrays`` (float ones require grad): the loss's values,
    shape and every float input's gradient, or the error."""
    def go():
        ts = [L.tensor(a, device=dev, requires_grad=a.dtype.kind == "f") for a in arrays]
        out = call(L, *ts)
        out.backward(L.ones_like(out))
        return (list(out.shape), out.detach().cpu().numpy(),
                [t.grad.cpu().numpy() for t in ts if t.dtype.is_floating_point])
    return _outcome(go)


def _compare(arrays, call, device, rtol=1e-4, atol=1e-5):
    got, want = _run(pyfront, device, arrays, call), _run(torch, "cpu", arrays, call)
    assert got[0] == want[0], (got, want)
    if want[0] != "ok":
        assert got[1] == want[1]
        return
    assert got[1][0] == want[1][0]
    np.testing.assert_allclose(got[1][1], want[1][1], rtol=rtol, atol=atol)
    for g, w in zip(got[1][2], want[1][2]):
        np.testing.assert_allclose(g, w, rtol=rtol, atol=atol)


rng = np.random.default_rng(0)
f32 = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731

GAUSSIAN = {  # (input, target, var)
    "same shape": (f32(4, 3), f32(4, 3), np.abs(f32(4, 3))),
    "one dim short": (f32(4, 3), f32(4, 3), np.abs(f32(4))),
    "one in a dim": (f32(4, 3, 2), f32(4, 3, 2), np.abs(f32(4, 1, 2))),
    "tiny var clamped": (f32(5), f32(5), np.array([0, 1e-9, 0.5, 2, 1e-7], np.float32)),
    "wrong size": (f32(4, 3), f32(4, 3), np.abs(f32(3, 4))),
    "two dims off": (f32(4, 3, 2), f32(4, 3, 2), np.abs(f32(4, 1, 1))),
    "negative var": (f32(4, 3), f32(4, 3), -np.abs(f32(4, 3))),
    "0-d": (f32(), f32(), np.abs(f32())),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "batchmean"])
@pytest.mark.parametrize("case", GAUSSIAN)
def test_gaussian_nll_loss_as_torch(case, reduction, full, device):
    _compare(GAUSSIAN[case], lambda L, x, y, v: L.nn.functional.gaussian_nll_loss(
        x, y, v, full=full, eps=1e-6, reduction=reduction), device)
    _compare(GAUSSIAN[case], lambda L, x, y, v: L.nn.GaussianNLLLoss(
        full=full, eps=1e-3, reduction=reduction)(x, y, v), device)


@pytest.mark.parametrize("var", [0.5, -1.0, 0.0])
def test_gaussian_nll_loss_with_a_float_var_as_torch(var):
    _compare((f32(3, 2), f32(3, 2)), lambda L, x, y: L.nn.functional.gaussian_nll_loss(x, y, var), "cpu")


COSINE = {  # (input1, input2, target)
    "rows": (f32(5, 4), f32(5, 4), np.array([1, -1, 1, -1, 0])),
    "one": (f32(4), f32(4), np.array(-1)),
    "zero row": (np.zeros((2, 3), np.float32), f32(2, 3), np.array([1, -1])),
    "3-d target": (f32(2, 3), f32(2, 3), np.ones((2, 1, 1), np.int64)),
    "1-d target, 1-d inputs": (f32(3), f32(3), np.array([1])),
    "0-d target, 2-d inputs": (f32(2, 3), f32(2, 3), np.array(1)),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("margin", [0.0, 0.3, -0.5])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "bad"])
@pytest.mark.parametrize("case", COSINE)
def test_cosine_embedding_loss_as_torch(case, reduction, margin, device):
    _compare(COSINE[case], lambda L, a, b, y: L.nn.functional.cosine_embedding_loss(
        a, b, y, margin=margin, reduction=reduction), device)
    _compare(COSINE[case], lambda L, a, b, y: L.nn.CosineEmbeddingLoss(margin, reduction=reduction)(a, b, y),
             device)


# (no rows: torch 2.13 returns uninitialized memory for a (0, C) input reduced, so it is no oracle there)
MULTI = {  # (input, target[, weight])
    "rows": (f32(5, 4), np.array([0, 3, 1, 1, 2])),
    "weighted": (f32(5, 4), np.array([0, 3, 1, 1, 2]), np.abs(f32(4))),
    "one sample": (f32(4), np.array(2)),
    "one sample, 1-d target": (f32(4), np.array([2])),
    "target out of range": (f32(3, 4), np.array([0, 4, 1])),
    "negative target": (f32(3, 4), np.array([0, -1, 1])),
    "target size": (f32(3, 4), np.array([0, 1])),
    "2-d target": (f32(3, 4), np.array([[0], [1], [2]])),
    "weight size": (f32(3, 4), np.array([0, 1, 2]), np.abs(f32(3))),
    "empty classes": (np.zeros((3, 0), np.float32), np.array([0, 1, 2])),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("p,margin", [(1, 1.0), (2, 0.5), (3, 1.0)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", MULTI)
def test_multi_margin_loss_as_torch(case, reduction, p, margin, device):
    arrays = MULTI[case]

    def call(L, x, y, *w):
        return L.nn.functional.multi_margin_loss(x, y, p=p, margin=margin,
                                                 weight=w[0].detach() if w else None, reduction=reduction)
    _compare(arrays, call, device)


MULTILABEL = {  # (input, target)
    "rows": (f32(3, 4), np.array([[3, 0, -1, 1], [0, 1, 2, 3], [-1, 2, 0, 1]])),
    "one sample": (f32(4), np.array([1, 2, -1, 0])),
    "repeated target": (f32(2, 3), np.array([[1, 1, -1], [2, 0, 2]])),
    "target size": (f32(3, 4), np.array([[0, 1, -1]])),
    "1-d, target size": (f32(4), np.array([0, 1])),
    "empty": (np.zeros((2, 0), np.float32), np.zeros((2, 0), np.int64)),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", MULTILABEL)
def test_multilabel_margin_loss_as_torch(case, reduction, device):
    _compare(MULTILABEL[case], lambda L, x, y: L.nn.functional.multilabel_margin_loss(
        x, y, reduction=reduction), device)
    _compare(MULTILABEL[case], lambda L, x, y: L.nn.MultiLabelMarginLoss(reduction=reduction)(x, y), device)


TRIPLETS = {"rows": (f32(4, 3), f32(4, 3), f32(4, 3)), "one": (f32(3), f32(3), f32(3)),
            "ranks differ": (f32(4, 3), f32(4, 3), f32(3))}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("distance", ["default", "cosine", "l1"])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("margin,reduction", [(1.0, "mean"), (0.5, "sum"), (2.0, "none"), (0.0, "mean"),
                                              (1.0, "avg")])
@pytest.mark.parametrize("case", TRIPLETS)
def test_triplet_margin_with_distance_loss_as_torch(case, margin, reduction, swap, distance, device):
    def call(L, a, p, n):
        fn = {"default": None, "cosine": lambda x, y: 1 - L.nn.functional.cosine_similarity(x, y, dim=-1),
              "l1": lambda x, y: (x - y).abs().sum(-1)}[distance]
        kw = dict(distance_function=fn, margin=margin, swap=swap, reduction=reduction)
        f = L.nn.functional.triplet_margin_with_distance_loss(a, p, n, **kw)
        m = L.nn.TripletMarginWithDistanceLoss(**kw)(a, p, n) if margin > 0 else f
        return f + m
    _compare(TRIPLETS[case], call, device)


def test_module_checks_and_print_as_torch():
    def build(L):
        return [repr(m) for m in (
            L.nn.GaussianNLLLoss(), L.nn.GaussianNLLLoss(full=True, eps=0.1, reduction="sum"),
            L.nn.CosineEmbeddingLoss(0.2), L.nn.MultiMarginLoss(p=2, weight=L.ones(3)),
            L.nn.MultiLabelMarginLoss(), L.nn.TripletMarginWithDistanceLoss(),
            L.nn.TripletMarginWithDistanceLoss(distance_function=L.nn.L1Loss()))]
    assert build(pyfront) == build(torch)
    for bad in (lambda L: L.nn.MultiMarginLoss(p=3), lambda L: L.nn.MultiMarginLoss(weight=L.ones(2, 2)),
                lambda L: L.nn.TripletMarginWithDistanceLoss(margin=0), lambda L: L.nn.GaussianNLLLoss(1),
                lambda L: L.nn.functional.multi_margin_loss(L.ones(2, 3), L.tensor([0, 1]),
                                                            weight=L.ones(1, 3))):
        assert _outcome(lambda b=bad: b(pyfront)) == _outcome(lambda b=bad: b(torch))
    weight = [n for n, _ in pyfront.nn.MultiMarginLoss(weight=pyfront.ones(3)).named_buffers()]
    assert weight == [n for n, _ in torch.nn.MultiMarginLoss(weight=torch.ones(3)).named_buffers()]


def test_nll_loss_2d_is_the_deprecated_nll_loss_as_torch():
    import warnings

    def run(L):
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            m = L.nn.NLLLoss2d(ignore_index=1)
        x = L.tensor(np.arange(24, dtype=np.float32).reshape(1, 3, 2, 4) / 10, requires_grad=True)
        loss = m(x.log_softmax(1), L.tensor([[[0, 1, 2, 0], [2, 2, 1, 0]]]))
        loss.backward()
        return (repr(m), [(w.category.__name__, str(w.message)) for w in seen], round(loss.item(), 5),
                np.round(x.grad.numpy(), 5).tolist())
    assert run(pyfront) == run(torch)


def test_as_strided_scatter_method_as_torch():
    def run(L):
        return L.arange(6.0).as_strided_scatter(L.zeros(2), (2,), (2,), 1).tolist()
    assert run(pyfront) == run(torch)


X_CTC = np.random.default_rng(3).standard_normal((7, 3, 5)).astype(np.float32)
PADDED = np.array([[1, 2, 2], [3, 3, 0], [4, 1, 2]])
CTC = {  # (targets, input_lengths, target_lengths, options)
    "padded": (PADDED, [7, 6, 5], [3, 2, 1], {}),
    "empty target": (PADDED, [7, 6, 5], [3, 2, 0], {"reduction": "none"}),
    "concatenated": (np.array([1, 2, 2, 3, 3, 4]), [7, 6, 5], [3, 2, 1], {"reduction": "sum"}),
    "zero_infinity": (np.array([[1, 1, 1], [3, 3, 3], [4, 1, 2]]), [2, 6, 5], [3, 3, 1],
                      {"zero_infinity": True}),
    "blank 4": (np.array([[0, 2, 2], [3, 3, 0], [1, 1, 2]]), [7, 6, 5], [3, 2, 2], {"blank": 4}),
    "input too long": (PADDED, [8, 6, 5], [3, 2, 1], {}),
    "targets too short": (np.array([[1, 2], [3, 3], [4, 1]]), [7, 6, 5], [3, 2, 1], {}),
    "lengths of another batch": (PADDED, [7, 6], [3, 2, 1], {}),
    "bad reduction": (PADDED, [7, 6, 5], [3, 2, 1], {"reduction": "x"}),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("module", [False, True])
@pytest.mark.parametrize("case", CTC)
def test_ctc_loss_as_torch(case, module, device):
    targets, input_lengths, target_lengths, kw = CTC[case]

    def call(L, x, tg, il, tl):
        lp = x.log_softmax(-1)
        if module:
            return L.nn.CTCLoss(**kw)(lp, tg, il, tl)
        return L.nn.functional.ctc_loss(lp, tg, il, tl, **kw)
    _compare((X_CTC, targets, np.array(input_lengths), np.array(target_lengths)), call, device)


def test_ctc_loss_unbatched_and_print_as_torch():
    def run(L):
        lp = L.tensor(X_CTC[:, 0], requires_grad=True)
        out = L.nn.functional.ctc_loss(lp.log_softmax(-1), L.tensor([1, 2]), L.tensor(7), L.tensor(2),
                                       reduction="none")
        out.backward()
        return round(out.item(), 4), np.round(lp.grad.numpy(), 4).tolist(), repr(L.nn.CTCLoss(blank=2))
    assert run(pyfront) == run(torch)

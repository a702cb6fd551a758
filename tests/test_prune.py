"""torch.nn.utils.prune against real torch, on cpu and webgpu: every deterministic method (l1 with and
without importance scores, ln_structured for several norms and dims, custom_from_mask, identity,
global_unstructured, chains that build a PruningContainer, remove) compared by state_dict keys and values,
parameter / buffer names, the pruned weight, the forward output and the gradient reaching weight_orig;
random methods by how many entries / channels they prune; is_pruned; torch's errors (type and message)."""
import numpy as np
import pytest
import torch
import torch.nn.utils.prune  # noqa: F401  (torch does not import it with torch.nn.utils)
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront
import pyfront.nn.utils.prune  # noqa: F401  (nor does pyfront, as torch)

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _pair(device):
    def make(nn):
        return nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16, 5))
    tm, pm = make(torch.nn), make(pyfront.nn)
    pm.load_state_dict({k: pyfront.tensor(v.numpy()) for k, v in tm.state_dict().items()})
    return tm, pm.to(device)


def _np(t):
    return t.detach().cpu().numpy()


def _scores(lib, shape, device):
    x = np.random.RandomState(1).randn(*shape).astype(np.float32)
    return torch.tensor(x) if lib is torch else pyfront.tensor(x, device=device)


PLANS = {
    "l1 fraction": lambda lib, m, d: lib.nn.utils.prune.l1_unstructured(m[3], "weight", amount=0.3),
    "l1 int + bias": lambda lib, m, d: (lib.nn.utils.prune.l1_unstructured(m[3], "weight", amount=7),
                                        lib.nn.utils.prune.l1_unstructured(m[0], "bias", amount=2)),
    "l1 importance": lambda lib, m, d: lib.nn.utils.prune.l1_unstructured(
        m[0], "weight", amount=0.5, importance_scores=_scores(lib, (4, 2, 3, 3), d)),
    "ln2 dim0": lambda lib, m, d: lib.nn.utils.prune.ln_structured(m[0], "weight", amount=0.5, n=2, dim=0),
    "ln1 dim1": lambda lib, m, d: lib.nn.utils.prune.ln_structured(m[0], "weight", amount=1, n=1, dim=1),
    "ln inf dim-1": lambda lib, m, d: lib.nn.utils.prune.ln_structured(m[3], "weight", amount=4,
                                                                        n=float("inf"), dim=-1),
    "ln fro importance": lambda lib, m, d: lib.nn.utils.prune.ln_structured(
        m[3], "weight", amount=2, n="fro", dim=0, importance_scores=_scores(lib, (5, 16), d)),
    "custom mask": lambda lib, m, d: lib.nn.utils.prune.custom_from_mask(
        m[3], "bias", mask=(_scores(lib, (5,), d) > 0).float()),
    "identity": lambda lib, m, d: lib.nn.utils.prune.identity(m[3], "weight"),
    "chain l1 ln l1": lambda lib, m, d: (lib.nn.utils.prune.l1_unstructured(m[0], "weight", amount=0.2),
                                         lib.nn.utils.prune.ln_structured(m[0], "weight", 1, n=2, dim=0),
                                         lib.nn.utils.prune.l1_unstructured(m[0], "weight", amount=10)),
    "global l1": lambda lib, m, d: lib.nn.utils.prune.global_unstructured(
        [(m[0], "weight"), (m[3], "weight"), (m[3], "bias")],
        pruning_method=lib.nn.utils.prune.L1Unstructured, amount=0.4),
    "global after ln": lambda lib, m, d: (
        lib.nn.utils.prune.ln_structured(m[3], "weight", amount=2, n=1, dim=0),
        lib.nn.utils.prune.global_unstructured(((m[0], "weight"), (m[3], "weight")),
                                               pruning_method=lib.nn.utils.prune.L1Unstructured, amount=30)),
    "l1 then remove": lambda lib, m, d: (lib.nn.utils.prune.l1_unstructured(m[3], "weight", amount=0.5),
                                         lib.nn.utils.prune.remove(m[3], "weight")),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("plan", PLANS)
def test_pruning_matches_torch(device, plan):
    tm, pm = _pair(device)
    PLANS[plan](torch, tm, device)
    PLANS[plan](pyfront, pm, device)
    tsd, psd = tm.state_dict(), pm.state_dict()
    assert list(psd) == list(tsd)
    for k in tsd:
        np.testing.assert_allclose(_np(psd[k]), _np(tsd[k]), rtol=1e-6, atol=0, err_msg=k)
    assert [n for n, _ in pm.named_parameters()] == [n for n, _ in tm.named_parameters()]
    assert [n for n, _ in pm.named_buffers()] == [n for n, _ in tm.named_buffers()]
    assert pyfront.nn.utils.prune.is_pruned(pm) == torch.nn.utils.prune.is_pruned(tm)
    for i in (0, 3):
        for name in ("weight", "bias"):
            np.testing.assert_allclose(_np(getattr(pm[i], name)), _np(getattr(tm[i], name)), rtol=1e-6)
    x = np.random.randn(3, 2, 4, 4).astype(np.float32)
    tm(torch.tensor(x)).square().sum().backward()
    out = pm(pyfront.tensor(x, device=device)).square().sum()
    out.backward()
    np.testing.assert_allclose(out.item(), tm(torch.tensor(x)).square().sum().item(), rtol=1e-4)
    for (n, tp), (_, pp) in zip(tm.named_parameters(), pm.named_parameters()):
        np.testing.assert_allclose(_np(pp.grad), _np(tp.grad), rtol=1e-3, atol=1e-4, err_msg=n)


@pytest.mark.parametrize("device", DEVICES)
def test_mask_updates_weight_each_forward(device):
    """The pre-hook recomputes weight = weight_orig * weight_mask, so an optimizer step on weight_orig
    keeps pruned entries at zero in the next forward, as in torch."""
    results = []
    tm, pm = _pair(device)
    for lib, m in ((torch, tm), (pyfront, pm)):
        lib.nn.utils.prune.l1_unstructured(m[3], "weight", amount=0.5)
        opt = lib.optim.SGD(m.parameters(), lr=0.5)
        x = np.random.RandomState(2).randn(3, 2, 4, 4).astype(np.float32)
        xt = torch.tensor(x) if lib is torch else pyfront.tensor(x, device=device)
        for _ in range(2):
            opt.zero_grad()
            m(xt).square().sum().backward()
            opt.step()
        m(xt)
        results.append((_np(m[3].weight), _np(m[3].weight_orig)))
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("method", ["random_unstructured", "random_structured"])
def test_random_methods_prune_as_many_as_torch(device, method):
    counts = []
    for lib in (torch, pyfront):
        m = lib.nn.Linear(6, 8)
        if lib is pyfront:
            m = m.to(device)
        fn = getattr(lib.nn.utils.prune, method)
        fn(m, "weight", amount=0.375, **({"dim": 0} if method == "random_structured" else {}))
        mask = _np(m.weight_mask)
        counts.append((mask.shape, int((mask == 0).sum()), sorted(set(mask.ravel().tolist())),
                       int((mask.sum(1) == 0).sum())))
    assert counts[1] == counts[0]


def _remove_unpruned(lib):
    lib.nn.utils.prune.remove(lib.nn.Linear(2, 2), "weight")


ERRORS = {
    "amount type": lambda lib: lib.nn.utils.prune.l1_unstructured(lib.nn.Linear(2, 2), "weight", amount="a"),
    "amount float range": lambda lib: lib.nn.utils.prune.l1_unstructured(lib.nn.Linear(2, 2), "weight", 1.5),
    "amount negative": lambda lib: lib.nn.utils.prune.random_unstructured(lib.nn.Linear(2, 2), "weight", -1),
    "amount too large": lambda lib: lib.nn.utils.prune.l1_unstructured(lib.nn.Linear(2, 2), "weight", 5),
    "structured 1-d": lambda lib: lib.nn.utils.prune.ln_structured(lib.nn.Linear(2, 2), "bias", 1, 2, 0),
    "structured dim": lambda lib: lib.nn.utils.prune.ln_structured(lib.nn.Linear(2, 2), "weight", 1, 2, 2),
    "remove unpruned": _remove_unpruned,
    "importance shape": lambda lib: lib.nn.utils.prune.l1_unstructured(
        lib.nn.Linear(2, 2), "weight", 1, importance_scores=lib.ones(3)),
    "global structured": lambda lib: lib.nn.utils.prune.global_unstructured(
        [(lib.nn.Linear(2, 2), "weight")], lib.nn.utils.prune.LnStructured, amount=1, n=2, dim=0),
    "global not iterable": lambda lib: lib.nn.utils.prune.global_unstructured(
        3, lib.nn.utils.prune.L1Unstructured, amount=1),
    "global scores": lambda lib: lib.nn.utils.prune.global_unstructured(
        [(lib.nn.Linear(2, 2), "weight")], lib.nn.utils.prune.L1Unstructured, importance_scores=[1],
        amount=1),
    "custom mask shape": lambda lib: lib.nn.utils.prune.custom_from_mask(lib.nn.Linear(2, 2), "bias",
                                                                         mask=lib.ones(3)),
}


@pytest.mark.parametrize("name", ERRORS)
def test_errors_match_torch(name):
    with pytest.raises(Exception) as want:
        ERRORS[name](torch)
    with pytest.raises(Exception) as got:
        ERRORS[name](pyfront)
    assert type(got.value) is type(want.value)
    # a message naming the method's class shows its module: torch.nn... there, pyfront.nn... here
    assert str(got.value) == torch_text(want.value).replace("'torch.nn.", "'pyfront.nn.")


def test_failed_pruning_leaves_parameter_in_place():
    """A failing first pruning moves weight_orig back to weight, as torch."""
    for lib in (torch, pyfront):
        m = lib.nn.Linear(2, 2)
        with pytest.raises(ValueError):
            lib.nn.utils.prune.l1_unstructured(m, "weight", 5)
        assert sorted(n for n, _ in m.named_parameters()) == ["bias", "weight"]

"""Faults real programs found in session 30 (tests/programs/: sngan, capsnet, ...; each file's header says
where it comes from), each tested against real torch at the level of its kind.

* ``x.data = other`` after a forward: torch's backward reads what the op saved; an op that saves its
  operand itself (mv, dot, addmv, matmul of a matrix and a vector) sees the new data, one whose kernel
  took a view first (linear, einsum, a vector times a matrix) the old. christiancosgrove's SpectralNorm
  (copied into many GAN repositories) reassigns ``u.data``/``v.data`` between a discriminator's two
  forwards, so pyfront's mv, which saved an unsqueezed view, trained on other gradients.
"""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

# the op under test of W (2x2, requiring grad) and v (a plain vector whose .data is swapped afterwards)
DATA_SWAP = {
    "mv": lambda L, W, v: W.mv(v).sum(),
    "torch.mv": lambda L, W, v: L.mv(W, v).sum(),
    "matmul 2d@1d": lambda L, W, v: (W @ v).sum(),
    "matmul 1d@2d": lambda L, W, v: (v @ W).sum(),
    "matmul batch@1d": lambda L, W, v: (W[None] @ v).sum(),
    "dot": lambda L, W, v: W[0].dot(v),
    "dot of v first": lambda L, W, v: v.dot(W[1]),
    "vdot": lambda L, W, v: L.vdot(W[0], v),
    "inner": lambda L, W, v: L.inner(W[0], v),
    "outer": lambda L, W, v: L.outer(W[0], v).sum(),
    "addmv": lambda L, W, v: L.addmv(v, W, v).sum(),
    "addmv_ of a clone": lambda L, W, v: W[0].clone().addmv_(W, v).sum(),
    "linear": lambda L, W, v: L.nn.functional.linear(v, W).sum(),
    "einsum": lambda L, W, v: L.einsum("ij,j->i", W, v).sum(),
    "tensordot": lambda L, W, v: L.tensordot(W, v, dims=1).sum(),
    "mul": lambda L, W, v: (W * v).sum(),
    "spectral sigma": lambda L, W, v: v.dot(W.view(2, -1).mv(v)),
}


def _grad_after_swap(L, make, device="cpu"):
    W = L.tensor([[1.0, 2.0], [3.0, 4.0]], device=device, requires_grad=True)
    v = L.nn.Parameter(L.tensor([1.0, 0.5], device=device), requires_grad=False)
    y = make(L, W, v)
    v.data = L.tensor([3.0, -2.0], device=device)
    y.backward()
    return W.grad.cpu().numpy()


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", list(DATA_SWAP))
def test_backward_reads_data_swapped_after_forward(name, device):
    make = DATA_SWAP[name]
    ours, theirs = _grad_after_swap(pyfront, make, device), _grad_after_swap(torch, make)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)


def test_double_backward_of_mv_reads_the_swapped_vector():
    """The remade view keeps its history: a gradient of the gradient flows back to the vector."""
    out = []
    for L in (pyfront, torch):
        W = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        v = L.tensor([1.0, 0.5], requires_grad=True)
        y = (W.mv(v) ** 2).sum()
        (gW,) = L.autograd.grad(y, W, create_graph=True)
        gW.sum().backward()
        out.append((gW.detach().numpy(), v.grad.numpy()))
    for a, b in zip(*out):
        np.testing.assert_allclose(a, b, rtol=1e-6)



# torch's modules, a few that import torch (so ``torch.X.torch`` is torch) and a few that do not
MODULES = ["torch.sparse", "torch.nn.functional", "torch.nn", "torch.autograd", "torch.fft", "torch.linalg",
           "torch.optim", "torch.special", "torch.utils.data", "torch.distributions.normal", "torch.nn.init",
           "torch.random", "torch.serialization", "torch.functional", "torch.nn.modules.linear",
           "torch.nn.utils.rnn", "torch.backends", "torch.testing", "torch.distributions", "torch.hub"]
_REACHES_TORCH = """
import importlib, sys
import torch
for n in sys.argv[1:]:
    print(getattr(importlib.import_module(n), "torch", None) is torch)
print(torch.sparse.torch.eye(2).tolist())
"""


def test_torch_through_a_submodule_under_run(tmp_path):
    """gram-ai's capsule network one-hot encodes its labels with ``torch.sparse.torch.eye``."""
    import importlib
    import subprocess
    import sys
    from pathlib import Path
    script = tmp_path / "reaches_torch.py"
    script.write_text(_REACHES_TORCH)
    ours = subprocess.run([sys.executable, "-m", "pyfront", "run", str(script), *MODULES],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert ours.returncode == 0, ours.stderr[-2000:]
    theirs = [str(getattr(importlib.import_module(n), "torch", None) is torch) for n in MODULES]
    assert ours.stdout.splitlines() == [*theirs, str(torch.sparse.torch.eye(2).tolist())]


# Sizes at the edges (negative, -1 where nothing can be inferred, out-of-range indices into vectors):
# each call raises torch's error type and text (a foreign NumPy ValueError escaped expand before)
EDGE_CALLS = [
    "L.zeros(0).view(0, -1)", "L.zeros(0, 2).reshape(-1, 0, 2)", "L.zeros(0).view(-2, 0)",
    "L.zeros(0).view(-1, -2, -1)", "L.zeros(0).view(-1, -1, -2)", "L.zeros(6).view(-1, 0)",
    "L.zeros(0).view(2, -1)", "L.zeros(2, 3).unflatten(1, (2, -1))", "L.zeros(2, 3).unflatten(-1, (2, 2))",
    "L.zeros(2, 3).unflatten(1, ())", "L.zeros(2, 3).unflatten(1, [3, 1, -1])",
    "L.zeros(2).expand(-1, 2)", "L.zeros(2).expand(-1, -1, 2)", "L.zeros(1, 2).expand(-1, 3, 2)",
    "L.zeros(2).broadcast_to((-1, 2))", "L.zeros(2).expand(-2, 2)", "L.zeros(1).expand(-2)",
    "L.zeros(2, 1).expand(-1, -3)", "L.zeros(2).expand(-1, 3)", "L.zeros(2).expand(3, 0, -1)",
    "L.zeros(3).index_add(0, L.tensor([5]), L.ones(1))", "L.zeros(3).index_add(0, L.tensor([-4]), L.ones(1))",
    "L.zeros(()).index_add(0, L.tensor([5]), L.ones(()))",
    "L.zeros(3, 2).index_add(0, L.tensor([5]), L.ones(1, 2))",
    "L.zeros(3).index_add(0, L.tensor([1, 5]), L.ones(2), alpha=2)",
    "L.zeros(3).index_reduce(0, L.tensor([5]), L.ones(1), 'prod')",
    "L.zeros(3, 2).index_reduce(0, L.tensor([-4]), L.ones(1, 2), 'amax')",
    "L.zeros(3).index_select(0, L.tensor([-1]))",
    "L.eye(2, -1)", "L.eye(-1, 2)", "L.eye(-1, -1)", "L.empty_strided((2, -1), (1, 1))", "L.Tensor(2, -1)",
    "L.LongTensor(-1)", "L.zeros(2).narrow(0, 5, -1)", "L.zeros(2).narrow(0, 0, -1)", "L.zeros(0).split(-1)",
    "L.zeros(4).split(-1)", "L.zeros(2).split(0)", "L.zeros(2).split([3, -1])", "L.zeros(2).split([-1, 4])",
]


def _raised(L, call):
    try:
        out = eval(call, {"L": L})
    except Exception as e:  # noqa: BLE001 - the error itself is compared
        return type(e).__name__, str(e).split("\nframe #0")[0]
    return "result", tuple(out.shape) if isinstance(out, L.Tensor) else [tuple(t.shape) for t in out]


@pytest.mark.filterwarnings("ignore:index_reduce")
@pytest.mark.parametrize("call", EDGE_CALLS)
def test_edge_sizes_raise_torchs_errors(call):
    ours, theirs = _raised(pyfront, call), _raised(torch, call)
    if ours[0] == "RuntimeError" and ours[1].startswith("unflatten got an unexpected error"):
        theirs = theirs[0], theirs[1][:len(ours[1])]  # (torch's text goes on with a C++ backtrace)
    assert ours == theirs


# Under cpu autocast (bfloat16), what each call returns: torch's ops built from its listed ones (einsum,
# tensordot, vecdot through bmm/mm/matmul) are lowered by their parts, and its multi-head attention is
# Python calling F.linear, sdpa and baddbmm, which autocast lowers: pyfront's MHA mixed a bfloat16
# projection with a float32 weight (mat1 and mat2 must have the same dtype) and einsum stayed float32
AUTOCAST_CALLS = {
    "einsum": lambda L, a, v: L.einsum("ij,jk->ik", a, a),
    "einsum vec": lambda L, a, v: L.einsum("i,i->", v, v),
    "einsum batch": lambda L, a, v: L.einsum("bij,bjk->bik", a[None], a[None]),
    "tensordot": lambda L, a, v: L.tensordot(a, a, dims=1),
    "linalg.matmul": lambda L, a, v: L.linalg.matmul(a, a),
    "vecdot": lambda L, a, v: L.linalg.vecdot(a, a),
    "inner vec": lambda L, a, v: L.inner(v, v),
    "outer": lambda L, a, v: L.outer(v, v),
    "mv": lambda L, a, v: L.mv(a, v),
    "dot": lambda L, a, v: L.dot(v, v),
    "addmv": lambda L, a, v: L.addmv(v, a, v),
    "kron": lambda L, a, v: L.kron(a, a),
    "matmul 1d": lambda L, a, v: L.matmul(v, a),
    "gru": lambda L, a, v: L.nn.GRU(4, 3)(a[:, None])[0],
    "mha": lambda L, a, v: L.nn.MultiheadAttention(4, 2)(a[:, None], a[:, None], a[:, None])[0],
    "mha weights": lambda L, a, v: L.nn.MultiheadAttention(4, 2)(a[:, None], a[:, None], a[:, None],
                                                                 attn_mask=L.eye(4) > 0)[1],
    "mha no weights": lambda L, a, v: L.nn.MultiheadAttention(4, 2)(a[:, None], a[:, None], a[:, None],
                                                                    need_weights=False)[0],
    "transformer layer": lambda L, a, v: L.nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)(a[:, None]),
    "cosine_similarity": lambda L, a, v: L.nn.functional.cosine_similarity(a, a),
    "layer_norm": lambda L, a, v: L.nn.functional.layer_norm(a, (4,)),
}


@pytest.mark.parametrize("name", list(AUTOCAST_CALLS))
def test_cpu_autocast_dtypes_of_composed_ops(name):
    a, v = np.linspace(-1, 1, 16, dtype=np.float32).reshape(4, 4), np.linspace(0, 1, 4, dtype=np.float32)
    out = []
    for L in (pyfront, torch):
        with L.autocast("cpu", dtype=L.bfloat16):
            out.append(str(AUTOCAST_CALLS[name](L, L.tensor(a), L.tensor(v)).dtype).split(".")[-1])
    assert out[0] == out[1]


def test_transformer_layer_under_autocast_computes_torchs_numbers():
    x = np.random.RandomState(0).randn(5, 2, 8).astype(np.float32)
    mask = np.array([[False] * 4 + [True], [False] * 5])
    res = []
    for L in (pyfront, torch):
        layer, mha = L.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0), L.nn.MultiheadAttention(8, 2)
        weights = np.random.RandomState(1)
        with L.no_grad():
            for p in [*layer.parameters(), *mha.parameters()]:
                p.copy_(L.tensor(weights.randn(*p.shape).astype(np.float32) * 0.3))
        xt = L.tensor(x, requires_grad=True)
        with L.autocast("cpu", dtype=L.bfloat16):
            y = layer(xt)
            o, w = mha(xt, xt, xt, key_padding_mask=L.tensor(mask))
        (y.float().sum() + o.float().sum()).backward()
        res.append([t.detach().float().numpy() for t in (y, o, w, xt.grad)])
    for ours, theirs in zip(*res):  # (bfloat16 keeps 8 bits: a few ulps where the two round in other orders)
        np.testing.assert_allclose(ours, theirs, rtol=2e-2, atol=1e-2)


# The distributions built on lgamma/digamma, at integer and half-integer points: torch's call torch.lgamma
# and torch.digamma; pyfront's used a Lanczos series of its own (lgamma(1) = 4.8e-7, so a Poisson(0)
# gave log_prob(0) = -4.8e-7, not 0)
LGAMMA_DISTRIBUTIONS = {
    "poisson": lambda D, L: D.Poisson(L.tensor([0.0, 1.0, 3.0])).log_prob(L.tensor([0.0, 1.0, 2.0])),
    "binomial": lambda D, L: D.Binomial(10, L.tensor([0.0, 0.5, 1.0])).log_prob(L.tensor([0.0, 5.0, 10.0])),
    "negative binomial": lambda D, L: D.NegativeBinomial(2.0, L.tensor([0.5])).log_prob(L.tensor([1.0])),
    "multinomial": lambda D, L: D.Multinomial(2, L.tensor([0.5, 0.5])).log_prob(L.tensor([1.0, 1.0])),
    "dirichlet": lambda D, L: D.Dirichlet(L.tensor([1.0, 2.0])).entropy(),
    "beta": lambda D, L: D.Beta(L.tensor([1.0, 2.0]), L.tensor([1.0, 3.0])).entropy(),
    "gamma": lambda D, L: D.Gamma(L.tensor([1.0, 2.0]), L.tensor([1.0, 1.0])).log_prob(L.tensor([1.0, 2.0])),
    "student t": lambda D, L: D.StudentT(L.tensor([1.0, 3.0])).entropy(),
    "chi2": lambda D, L: D.Chi2(L.tensor([2.0, 4.0])).log_prob(L.tensor([1.0, 2.0])),
    "inverse gamma": lambda D, L: D.InverseGamma(L.tensor([1.0, 2.0]), L.tensor([1.0, 1.0])).entropy(),
    "kl gamma": lambda D, L: D.kl_divergence(D.Gamma(L.tensor([1.0]), L.tensor([1.0])),
                                             D.Gamma(L.tensor([2.0]), L.tensor([1.0]))),
}


@pytest.mark.parametrize("name", list(LGAMMA_DISTRIBUTIONS))
def test_lgamma_distributions_at_integer_points(name):
    ours, theirs = (LGAMMA_DISTRIBUTIONS[name](L.distributions, L).numpy() for L in (pyfront, torch))
    # (pyfront's float32 digamma sums in float64, torch's in float32: a few ulps apart)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-7)

"""Complex gradients as torch's: their values and whether each is a conj view (is_conj) or a neg view
(is_neg).
torch's backward formulas make plain tensors (``grad.mm(mat2.mH)``); only a conj view's own node hands back
``grad.conj()``, a conj view. pyfront ran the rules of its non-elementwise primitives on ``conj(g)`` and
conjugated the results lazily: every product's, sum's, cat's, gather's ... gradient was a conj view, and the
gradient through ``a.conj()`` came out plain where torch's is a conj view."""
import pytest
import torch

import pyfront


def _complex(L, shape, flip=1.0):
    n = 1
    for s in shape:
        n *= s
    return L.complex(L.linspace(-1, 1, n).reshape(shape) * flip, L.linspace(0.5, -0.75, n).reshape(shape))


CASES = {
    "mm": lambda L, a, b: L.mm(a, b), "mm_conj_a": lambda L, a, b: L.mm(a.conj(), b),
    "mm_conj_b": lambda L, a, b: L.mm(a, b.conj()), "mm_conj_both": lambda L, a, b: L.mm(a.conj(), b.conj()),
    "mm_mH": lambda L, a, b: L.mm(a.mH, b), "matmul_mH": lambda L, a, b: a.conj() @ b.mH,
    "bmm": lambda L, a, b: L.bmm(a.conj().unsqueeze(0), b.unsqueeze(0)),
    "addmm": lambda L, a, b: L.addmm(b, a.conj(), b), "mv": lambda L, a, b: L.mv(a.conj(), b[:, 0]),
    "linear": lambda L, a, b: L.nn.functional.linear(a.conj(), b),
    "einsum": lambda L, a, b: L.einsum("ij,jk->ik", a.conj(), b),
    "mul": lambda L, a, b: a.conj() * b, "sum": lambda L, a, b: (a.conj().sum(0) * b).sum(0),
    "cumsum": lambda L, a, b: a.conj().cumsum(0) * b, "cumprod": lambda L, a, b: a.cumprod(1) * b,
    "prod": lambda L, a, b: a.prod(1) * b[0], "cat": lambda L, a, b: L.cat([a.conj(), b]),
    "flip": lambda L, a, b: a.conj().flip(0) * b,
    "gather": lambda L, a, b: a.gather(1, L.tensor([[0], [2], [1]])),
    "index": lambda L, a, b: a[L.tensor([2, 0])] * b[:2],
    "fft": lambda L, a, b: L.fft.fft(a.conj(), dim=-1) * b, "conj": lambda L, a, b: a.conj() * 1,
    "clone_conj": lambda L, a, b: a.conj().clone(), "transpose": lambda L, a, b: a.conj().t() @ b.t(),
}


def _flags(L, case):
    a = _complex(L, (3, 3)).requires_grad_()
    b = _complex(L, (3, 3), -0.5).requires_grad_()
    out = CASES[case](L, a, b)
    grads = L.autograd.grad(out, (a, b), L.ones_like(out), allow_unused=True)
    return [None if g is None else
            (g.is_conj(), g.is_neg(), g.stride(), L.view_as_real(g.resolve_conj()).tolist()) for g in grads]


@pytest.mark.parametrize("case", list(CASES))
def test_complex_gradient_flags_as_torch(case):
    theirs, ours = _flags(torch, case), _flags(pyfront, case)
    for t, p in zip(theirs, ours):
        assert (t is None) == (p is None)
        if t is not None:
            assert p[:3] == t[:3]
            torch.testing.assert_close(torch.tensor(p[3]), torch.tensor(t[3]))


# .grad through backward(): a leaf's first gradient from a conj view's node stays a conj view (torch's
# AccumulateGrad takes it as it is, and adds later ones into it in place); a retained non-leaf's is a clone
# (plain), and so is a first one under create_graph
_LEAF_CASES = {
    "conj_abs": lambda L, z: z.conj().abs().sum().backward(),
    "conj_given": lambda L, z: z.conj().backward(L.tensor([1 + 1j, 2.0])),
    "conj_twice": lambda L, z: [z.conj().abs().sum().backward() for _ in range(2)],
    "plain_then_conj": lambda L, z: [z.abs().sum().backward(), z.conj().abs().sum().backward()],
    "create_graph": lambda L, z: z.conj().abs().sum().backward(create_graph=True),
}


@pytest.mark.parametrize("case", list(_LEAF_CASES) + ["retained"])
def test_backward_into_grad_keeps_torchs_conj_flags(case):
    def flags(L):
        z = L.tensor([1 + 2j, 3j], requires_grad=True)
        if case == "retained":
            y = z * 1
            y.retain_grad()
            y.conj().abs().sum().backward()
            return y.grad.is_conj(), z.grad.is_conj(), L.view_as_real(y.grad.resolve_conj()).tolist()
        _LEAF_CASES[case](L, z)
        return z.grad.is_conj(), L.view_as_real(z.grad.detach().resolve_conj()).tolist()
    assert flags(pyfront) == flags(torch)

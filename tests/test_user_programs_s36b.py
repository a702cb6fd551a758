"""Faults found running session 36's second round of user-style programs (tests/programs/: each file's header
names the public code it imitates), each checked as a kind against torch 2.13: the refusals of a call's
``out=`` (no Tensor, a list where one Tensor goes, another count where a tuple goes, an argument left out
beside it) in torch's parser's words; torch.linalg's, torch.fft's and torch.special's argument refusals under
the names torch's parser gives them (``linalg_solve_triangular() missing 1 required positional arguments:
"upper"``, the GP tutorial's first mistake); the checks torch's triangular solvers make themselves
(cholesky_solve's, triangular_solve's, cholesky_inverse's), and solve_triangular's right-hand side of another
dtype; istft's checks (a spectrum of another n_fft was inverted silently); complex input to the real-only
linear algebra refused in pyfront's own words; the out= that chain_matmul and torch.lu took and dropped;
torch.linalg's out=; and a once-a-process warning under set_warn_always, which torch does not spend."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import pyfront


@pytest.fixture(autouse=True)
def _warn_always():
    """Each test here under set_warn_always in both libraries, so that the deprecated functions it calls
    (triangular_solve, lu, chain_matmul) leave their once-a-process warnings to the tests that check them."""
    for lib in (torch, pyfront):
        lib.set_warn_always(True)
    yield
    for lib in (torch, pyfront):
        lib.set_warn_always(False)


def _refusal(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the refusal is what is compared
        return type(e).__name__, str(e).split("\n")[0]
    return None


def _same_refusal(call):
    """``call(lib)`` refused alike by torch and pyfront (a call torch takes: pyfront takes it too)."""
    want = _refusal(call, torch)
    got = _refusal(call, pyfront)
    assert got == want


# (function, its arguments before out=: "x" a float matrix, "i" an int one; not add(x, x, out=3): torch's
# parser reads that 3 as a tensor, for the ops whose numbers it takes as tensors)
_OUT_CALLS = [
    ("sin", "x"), ("ceil", "x"), ("log2", "x"), ("bitwise_not", "i"), ("argmax", "x"), ("cumsum", "x", 0),
    ("sum", "x", 0), ("atan2", "x", "x"), ("mode", "x"), ("aminmax", "x"), ("cummax", "x", 0),
    ("sort", "x"), ("max", "x", 0), ("frexp", "x"), ("slogdet", "x"), ("kthvalue", "x", 1),
    ("add", "x"), ("div", "x"), ("mm", "x"), ("cumsum", "x"), ("nextafter", "x"), ("index_select", "x"),
    ("special.erf", "x"), ("special.xlogy", "x", "x"), ("special.logsumexp", "x", 0), ("special.i0e", "x"),
    ("special.xlogy", "x"), ("special.logsumexp", "x"),
    ("fft.fft", "x"), ("fft.rfft", "x"), ("fft.fftn", "x"), ("fft.ihfft", "x"), ("fft.irfft2", "x"),
]


def _resolve(lib, path):
    for part in path.split("."):
        lib = getattr(lib, part)
    return lib


@pytest.mark.parametrize("call", _OUT_CALLS, ids=lambda c: "-".join(map(str, c)))
def test_out_refusals_are_torchs(call):
    name, *spec = call
    for bad in ("int", "str", "list", "tensor", "pair"):
        def run(lib):
            x, i = lib.eye(3), lib.eye(3, dtype=lib.int64)
            args = [{"x": x, "i": i}.get(a, a) for a in spec]
            out = {"int": 3, "str": "s", "list": [lib.zeros(3, 3)], "tensor": lib.zeros(0),
                   "pair": (lib.zeros(0), lib.zeros(0), lib.zeros(0))}[bad]
            return _resolve(lib, name)(*args, out=out)
        _same_refusal(run)


def _public_functions(space):
    return [n for n in dir(space) if not n.startswith("_") and callable(getattr(space, n))
            and not isinstance(getattr(space, n), type)]


@pytest.mark.parametrize("space", ["linalg", "fft", "special"])
def test_subnamespace_refusals_name_torchs_binding(space):
    names = [n for n in _public_functions(getattr(torch, space)) if hasattr(getattr(pyfront, space), n)]
    assert len(names) > 15
    for name in names:
        for form in ("none", "str", "many", "keyword"):
            def run(lib):
                fn, x = getattr(getattr(lib, space), name), lib.eye(3)
                return {"none": lambda: fn(), "str": lambda: fn("a"), "many": lambda: fn(*[x] * 9),
                        "keyword": lambda: fn(x, zzz=1)}[form]()
            want, got = _refusal(run, torch), _refusal(run, pyfront)
            if want is not None and got != want:
                pytest.fail(f"torch.{space}.{name} ({form}): {got} != {want}")


def test_solve_triangular_missing_upper_is_torchs():
    def run(lib):
        return lib.linalg.solve_triangular(lib.eye(2), lib.ones(2, 1))
    _same_refusal(run)


_SOLVER_CALLS = {
    "triangular_solve A 1-D": lambda T: T.triangular_solve(T.ones(2, 1), T.ones(2)),
    "triangular_solve b 1-D": lambda T: T.triangular_solve(T.ones(2), T.ones(2)),
    "triangular_solve not square": lambda T: T.triangular_solve(T.ones(2, 1), T.ones(2, 3)),
    "triangular_solve batch": lambda T: T.triangular_solve(T.ones(3, 2, 1), T.ones(2, 2, 2)),
    "triangular_solve long": lambda T: T.triangular_solve(T.ones(2, 1, dtype=T.int64),
                                                          T.eye(2, dtype=T.int64)),
    "triangular_solve half": lambda T: T.triangular_solve(T.ones(2, 1, dtype=T.half), T.eye(2, dtype=T.half)),
    "triangular_solve dtypes": lambda T: T.triangular_solve(T.ones(2, 1, dtype=T.float64), T.eye(2)),
    "triangular_solve sizes": lambda T: T.triangular_solve(T.ones(3, 1), T.eye(2)),
    "cholesky_solve b 1-D": lambda T: T.cholesky_solve(T.ones(2), T.eye(2)),
    "cholesky_solve u 1-D": lambda T: T.cholesky_solve(T.ones(2, 1), T.ones(2)),
    "cholesky_solve dtypes": lambda T: T.cholesky_solve(T.ones(2, 1, dtype=T.float64), T.eye(2)),
    "cholesky_solve sizes": lambda T: T.cholesky_solve(T.ones(3, 1), T.eye(2)),
    "cholesky_solve not square": lambda T: T.cholesky_solve(T.ones(3, 1), T.ones(2, 3)),
    "cholesky_solve batch": lambda T: T.cholesky_solve(T.ones(3, 2, 1), T.ones(2, 2, 2)),
    "cholesky_solve long": lambda T: T.cholesky_solve(T.ones(2, 1, dtype=T.int64), T.eye(2, dtype=T.int64)),
    "cholesky_solve bool": lambda T: T.cholesky_solve(T.ones(2, 1, dtype=T.bool), T.eye(2, dtype=T.bool)),
    "cholesky_inverse 1-D": lambda T: T.cholesky_inverse(T.ones(2)),
    "cholesky_inverse long 1-D": lambda T: T.cholesky_inverse(T.ones(2, dtype=T.int64)),
    "cholesky_inverse not square": lambda T: T.cholesky_inverse(T.ones(2, 3)),
    "cholesky_inverse long not square": lambda T: T.cholesky_inverse(T.ones(2, 3, dtype=T.int64)),
    "cholesky_inverse empty": lambda T: T.cholesky_inverse(T.ones(0, 3)),
    "solve_triangular long B": lambda T: T.linalg.solve_triangular(T.eye(2), T.ones(2, 1, dtype=T.int64),
                                                                   upper=True),
}


@pytest.mark.parametrize("name", sorted(_SOLVER_CALLS))
def test_triangular_solvers_check_as_torch(name):
    _same_refusal(_SOLVER_CALLS[name])


@pytest.mark.parametrize("a_dtype,b_dtype", [("float32", "float64"), ("float64", "float32"),
                                             ("float32", "int64"), ("float64", "bool"),
                                             ("float32", "float16")])
def test_solve_triangular_takes_b_of_another_dtype(a_dtype, b_dtype):
    rng = np.random.default_rng(0)
    a = np.triu(rng.standard_normal((2, 3, 3))) + 3 * np.eye(3)
    b = rng.integers(0, 2, (2, 3, 2))
    results = []
    for lib in (torch, pyfront):
        A = lib.tensor(a).to(getattr(lib, a_dtype))
        B = lib.tensor(b).to(getattr(lib, b_dtype))
        results.append((lib.linalg.solve_triangular(A, B, upper=True),
                        lib.cholesky_solve(B.to(A.dtype), A.mT, upper=False)))
    for want, got in zip(*results):
        assert str(got.dtype) == str(want.dtype)
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-6)


def _istft_calls():
    """(name, call(lib)) of istft's refusals (the STFT program's first mistake: a spectrum of another n_fft
    was inverted silently)."""
    def spectrum(T):
        return T.stft(T.ones(2, 200), 32, 8, window=T.hann_window(32), return_complex=True)
    return {
        "no overlap": lambda T: T.istft(spectrum(T), 32, 8, window=T.hann_window(32), center=False),
        "no overlap, 2-D, length": lambda T: T.istft(spectrum(T)[0], 32, 8, window=T.hann_window(32),
                                                     center=False, length=150),
        "hop 0": lambda T: T.istft(spectrum(T), 32, 0, window=T.hann_window(32)),
        "hop past the window": lambda T: T.istft(spectrum(T), 32, 40, window=T.hann_window(32)),
        "win_length past n_fft": lambda T: T.istft(spectrum(T), 32, 8, win_length=40),
        "window's length": lambda T: T.istft(spectrum(T), 32, 8, window=T.hann_window(16)),
        "onesided n_fft": lambda T: T.istft(spectrum(T), 30, 8, window=T.hann_window(30)),
        "two-sided n_fft": lambda T: T.istft(spectrum(T), 32, 8, window=T.hann_window(32), onesided=False),
        "1-D": lambda T: T.istft(spectrum(T)[0, 0], 32, 8),
        "4-D": lambda T: T.istft(spectrum(T).unsqueeze(0), 32, 8),
        "empty": lambda T: T.istft(spectrum(T)[:0], 32, 8),
        "real": lambda T: T.istft(spectrum(T).abs(), 32, 8),
    }


@pytest.mark.parametrize("name", sorted(_istft_calls()))
def test_istft_checks_as_torch(name):
    _same_refusal(_istft_calls()[name])


def _complex_calls():
    """torch's linear algebra of complex matrices (name -> call(lib, A hermitian, G general, B, L factor))."""
    return {
        "solve_triangular": lambda T, A, G, B, L: T.linalg.solve_triangular(L, B, upper=False),
        "cholesky_solve": lambda T, A, G, B, L: T.cholesky_solve(B, L),
        "cholesky_inverse": lambda T, A, G, B, L: T.cholesky_inverse(L),
        "triangular_solve": lambda T, A, G, B, L: T.triangular_solve(B, L, upper=False).solution,
        "inv": lambda T, A, G, B, L: T.linalg.inv(G), "det": lambda T, A, G, B, L: T.linalg.det(G),
        "slogdet": lambda T, A, G, B, L: T.linalg.slogdet(G).logabsdet,
        "logdet": lambda T, A, G, B, L: T.logdet(A),
        "eigh": lambda T, A, G, B, L: T.linalg.eigh(A).eigenvalues,
        "qr": lambda T, A, G, B, L: T.linalg.qr(G).R.abs(),
        "svdvals": lambda T, A, G, B, L: T.linalg.svdvals(G),
        "solve": lambda T, A, G, B, L: T.linalg.solve(G, B),
        "lstsq": lambda T, A, G, B, L: T.linalg.lstsq(G, B).solution,
        "lu_factor": lambda T, A, G, B, L: T.linalg.lu_factor(G).LU,
        "pinv": lambda T, A, G, B, L: T.linalg.pinv(G),
        "matrix_exp": lambda T, A, G, B, L: T.linalg.matrix_exp(G * 0.1),
        "matrix_rank": lambda T, A, G, B, L: T.linalg.matrix_rank(G),
        "matrix_norm": lambda T, A, G, B, L: T.linalg.matrix_norm(G, "nuc"),
        "ldl_factor": lambda T, A, G, B, L: T.linalg.ldl_factor(A, hermitian=True).LD,
        "householder_product": lambda T, A, G, B, L: T.linalg.householder_product(G, B[:, 0]),
        "cholesky": lambda T, A, G, B, L: T.linalg.cholesky(A),
        "eigvals": lambda T, A, G, B, L: T.linalg.eigvals(G).abs().sort().values,
        "vecdot": lambda T, A, G, B, L: T.linalg.vecdot(G, G.flip(0)),
        "vector_norm": lambda T, A, G, B, L: T.linalg.vector_norm(G, 3),
    }


@pytest.mark.parametrize("name", sorted(_complex_calls()))
def test_complex_linear_algebra_is_torchs_or_refused_as_pyfronts(name):
    """Complex matrices: torch's result, or pyfront's RuntimeError saying it has real linear algebra only
    (README) -- never a message for a dtype the function takes ("Expected a floating point or complex
    tensor as input. Got ComplexFloat", "lu_cpu not implemented for 'ComplexFloat'")."""
    rng = np.random.default_rng(0)
    M = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    H = M @ M.conj().T + 3 * np.eye(3)
    B = rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))
    args = [H, M, B, np.linalg.cholesky(H)]
    want = _complex_calls()[name](torch, *[torch.tensor(a.astype(np.complex64)) for a in args])
    try:
        got = _complex_calls()[name](pyfront, *[pyfront.tensor(a.astype(np.complex64)) for a in args])
    except RuntimeError as e:
        assert "pyfront's linear algebra takes real tensors only" in str(e)
        return
    assert str(got.dtype) == str(want.dtype)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-4, atol=1e-5)


def test_complex_vecdot_conjugates_x_and_its_gradient_is_torchs():
    rng = np.random.default_rng(1)
    x, y = (rng.standard_normal((4, 3)) + 1j * rng.standard_normal((4, 3)) for _ in range(2))
    grads = []
    for lib in (torch, pyfront):
        a = lib.tensor(x.astype(np.complex64), requires_grad=True)
        b = lib.tensor(y.astype(np.complex64), requires_grad=True)
        out = lib.linalg.vecdot(a, b)
        (out * lib.tensor([1.0 + 2j, -1j, 0.5, 3.0], dtype=lib.complex64)).real.sum().backward()
        grads.append([t.is_conj() for t in (out, a.grad, b.grad)] +
                     [t.detach().resolve_conj().numpy() for t in (out, a.grad, b.grad)])
    assert grads[1][:3] == grads[0][:3]
    for want, got in zip(grads[0][3:], grads[1][3:]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_chain_matmul_writes_its_out():
    """torch.chain_matmul's out= (pyfront's signature took out and dropped it: the result never reached it),
    and its refusals for two matrices or more (multi_dot's)."""
    results = []
    for lib in (torch, pyfront):
        m = lib.arange(9.0).view(3, 3)
        out, one = lib.zeros(3, 3), lib.zeros(0)
        results.append([lib.chain_matmul(m, m, m, out=out) is out, out.tolist(),
                        lib.chain_matmul(m, out=one) is one, one.tolist()])
    assert results[1] == results[0]
    for call in (lambda T: T.chain_matmul(T.eye(2), T.eye(2), out=3),
                 lambda T: T.chain_matmul(T.eye(2), T.eye(2), out=T.zeros(2, 2, dtype=T.float64)),
                 lambda T: T.chain_matmul(T.eye(2, requires_grad=True), T.eye(2), out=T.zeros(2, 2))):
        _same_refusal(call)


@pytest.mark.parametrize("outs,infos", [(("f",), False), (("f", "i"), False), (("f", "f"), False),
                                        (("l", "i"), False), (("f", "f"), True), (("f", "f", "f"), True),
                                        ("tensor", False), ("int", False)])
def test_legacy_lu_writes_its_out(outs, infos):
    """torch.lu's out= (pyfront took it and dropped it): each result written into its out, whatever its
    dtype, out itself returned; torch's count and type refusals."""
    def run(T):
        A = T.tensor([[4.0, 1.0, 2.0], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
        kinds = {"f": T.float32, "i": T.int32, "l": T.int64}
        out = {"tensor": T.empty(2), "int": 3}.get(outs) if isinstance(outs, str) else tuple(
            T.empty(0, dtype=kinds[k]) for k in outs)
        r = T.lu(A, get_infos=infos, out=out)
        return r is out, [(str(t.dtype), np.round(t.numpy(), 4).tolist()) for t in r]
    want, got = _refusal(run, torch), _refusal(run, pyfront)
    assert got == want
    if want is None:
        assert run(pyfront) == run(torch)


def _linalg_out_call(T, name):
    """(function, its arguments) of a torch.linalg call that takes out=."""
    A = T.tensor([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    B, v = T.tensor([[1.0, 2.0], [0.5, -1.0], [3.0, 0.0]]), T.tensor([1.0, 2.0, 3.0])
    args = {"cross": (v, v), "householder_product": (A, v), "matmul": (A, B), "matrix_power": (A, 3),
            "multi_dot": ([A, A, B],), "pinv": (B,), "solve": (A, B), "solve_ex": (A, B),
            "solve_triangular": (A, B), "vecdot": (A, A), "vector_norm": (A,)}.get(name, (A,))
    if name == "lu_solve":
        args = (*T.linalg.lu_factor(A), B)
    fn = getattr(T.linalg, name)
    return (lambda *a, **k: fn(*a, upper=True, **k)) if name == "solve_triangular" else fn, args


_LINALG_OUT = ("cholesky cholesky_ex cross det eig eigh eigvalsh householder_product inv inv_ex lu lu_factor "
               "lu_factor_ex lu_solve matmul matrix_power multi_dot pinv qr slogdet solve solve_ex "
               "solve_triangular svd svdvals vecdot vector_norm").split()


@pytest.mark.parametrize("name", _LINALG_OUT)
def test_linalg_out_is_torchs(name):
    """torch.linalg's out= (pyfront refused the keyword): the results written into the tensors given and
    those returned; each out of another dtype refused in its function's words; out beside an input that
    requires grad refused naming the op torch's kernel runs."""
    def run(T, dtype=None, at=0, grad=False):
        fn, args = _linalg_out_call(T, name)
        if grad:
            args = (args[0].clone().requires_grad_(),) + args[1:] if name != "multi_dot" else (
                [args[0][0].clone().requires_grad_(), *args[0][1:]],)
        plain = fn(*args)
        results = plain if isinstance(plain, tuple) else (plain,)
        outs = [T.empty(0, dtype=r.dtype) for r in results]
        if dtype is not None:
            outs[at] = T.empty(0, dtype=dtype)
        out = tuple(outs) if isinstance(plain, tuple) else outs[0]
        got = fn(*args, out=out)
        written = got if isinstance(got, tuple) else (got,)
        values = [] if name == "eig" else [np.round(w.numpy(), 4).tolist() for w in written]  # (eig: a phase)
        return got is out, [str(w.dtype) for w in written], [tuple(w.shape) for w in written], values
    assert run(pyfront) == run(torch)
    n_results = len(run(torch)[1])
    for at in range(n_results):
        for dtype in ("float64", "int64", "int32", "complex64"):
            _same_refusal(lambda T: run(T, getattr(T, dtype), at))
    _same_refusal(lambda T: run(T, grad=True))


_ONCE_SCRIPT = """
import warnings, torch, pyfront
for lib in (torch, pyfront):
    counts = []
    for flag in (True, False, False):
        lib.set_warn_always(flag)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            for _ in range(2):
                lib.chain_matmul(lib.ones(2, 2), lib.ones(2, 2))  # (TORCH_WARN_ONCE)
                lib.ones(2).add(1, lib.ones(2))  # (its parser's deprecated-overload warning, once)
        counts.append(len(seen))
    print(counts)
"""


def test_warn_always_leaves_the_once_warnings_unspent():
    """torch's once-a-process warnings, warned each time under set_warn_always, still warn once after it
    is switched off (pyfront spent them); in a fresh process: the suite's other tests spend them."""
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", _ONCE_SCRIPT], capture_output=True, text=True, cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    torchs, ours = done.stdout.split("\n")[:2]
    assert torchs == "[4, 2, 0]"
    assert ours == torchs

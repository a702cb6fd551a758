"""Faults found running session 36's third set of user-style programs (tests/programs/: swin_convnext,
pointnet_dgcnn, detr_matcher, hnn_langevin, siren_fourier, unet3d_dice, set_transformer, transformer_xl,
stylegan2_bits; each file's header names the public code it imitates), and a CTC recogniser's and a bf16
autocast user's calls beside them, each checked as a kind against torch 2.13: ctc_loss's argument checks in
the order of torch's ctc_loss_allocate_outputs (blank outside the labels, negative lengths, the targets'
rank and size, non-integral or mixed length types), and an empty input's loss (0 for an empty target, inf
otherwise) where pyfront read the first step; autocast's cpu float32 list as torch's (torch.fft, the
torch.linalg decompositions and solvers, qr/svd/geqrf/triangular_solve, reflection and replication pads,
adaptive_max_pool3d, fractional pools, fake quantization, view_as_complex, max_unpool1d) and its promote
policy (index_copy), where pyfront ran them in bfloat16 or refused bfloat16."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront


def _outcome(fn):
    """('ok', dtype name, values) or (exception type name, message)."""
    try:
        out = fn()
        return "ok", str(out.dtype).replace("torch.", ""), out.detach().double().numpy()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


def _same(ours, theirs, rtol=1e-5, atol=1e-6):
    assert ours[:2] == theirs[:2]
    if ours[0] == "ok":
        np.testing.assert_allclose(ours[2], theirs[2], rtol=rtol, atol=atol)


_LP = np.log(np.random.default_rng(0).dirichlet(np.ones(5), size=(5, 2))).astype(np.float32)  # (T, N, C)
_PADDED, _FLAT = [[1, 1], [2, 2]], [1, 1, 2]
# (targets, input_lengths, target_lengths, blank, reduction): torch's refusals in its order, then values
_CTC = [(_PADDED, (5, 5), (2, 2), 5, "mean"), (_PADDED, (5, 5), (2, 2), -1, "mean"),
        (_PADDED, (5,), (2, 2), 5, "mean"), (_PADDED, (6, 5), (2, 2), 7, "sum"),
        (_PADDED, (-1, 5), (2, 2), 0, "mean"), (_PADDED, (5, 5), (2, -1), 0, "mean"),
        (_PADDED, (6, 5), (3, 2), 0, "mean"), (_PADDED, (-1, 5), (3, 2), 0, "mean"),
        (_FLAT, (6, 5), (2, 2), 0, "mean"), (_FLAT, (-1, 5), (-1, 2), 0, "mean"),
        ([[[1, 1], [2, 2]]], (5, 5), (2, 2), 0, "mean"),
        (_PADDED, (0, 5), (0, 2), 0, "none"), (_PADDED, (0, 5), (0, 2), 0, "mean"),
        (_PADDED, (0, 5), (1, 2), 0, "none"), (_PADDED, (0, 5), (1, 2), 0, "sum"),
        (_PADDED, (1, 5), (0, 2), 0, "none"), (_PADDED, (5, 5), (0, 2), 0, "mean")]


@pytest.mark.parametrize("zero_infinity", [False, True])
@pytest.mark.parametrize("case", _CTC, ids=str)
def test_ctc_loss_checks_and_empty_inputs_as_torch(case, zero_infinity):
    targets, il, tl, blank, reduction = case

    def call(lib):
        return lib.nn.functional.ctc_loss(lib.tensor(_LP), lib.tensor(targets), il, tl, blank=blank,
                                          reduction=reduction, zero_infinity=zero_infinity)
    _same(_outcome(lambda: call(pyfront)), _outcome(lambda: call(torch)))


@pytest.mark.parametrize("form", ["float lengths", "mixed lengths", "1-d log_probs", "unbatched flat"])
def test_ctc_loss_length_types_and_ranks_as_torch(form):
    def call(lib):
        lp, tg = lib.tensor(_LP), lib.tensor(_PADDED)
        il, tl = lib.tensor([5, 5]), lib.tensor([2, 2])
        if form == "float lengths":
            return lib.nn.functional.ctc_loss(lp, tg, il.float(), tl)
        if form == "mixed lengths":
            return lib.nn.functional.ctc_loss(lp, tg, il, (2, 2))
        if form == "1-d log_probs":
            return lib.nn.functional.ctc_loss(lp[:, 0, 0], tg, (5,), (2,))
        return lib.nn.functional.ctc_loss(lp[:, 0], lib.tensor([1, 2]), (0,), (0,))  # 1-d: concatenated
    _same(_outcome(lambda: call(pyfront)), _outcome(lambda: call(torch)))


def test_ctc_loss_empty_input_has_no_gradient():
    grads = []
    for lib in (pyfront, torch):
        x = lib.tensor(_LP, requires_grad=True)
        loss = lib.nn.functional.ctc_loss(x, lib.tensor(_PADDED), (0, 5), (1, 2), reduction="none",
                                          zero_infinity=True)
        loss.sum().backward()
        grads.append(x.grad[:, 0].numpy())
    np.testing.assert_array_equal(*grads)


_M = (np.eye(3) * 2 + 0.1).astype(np.float32)
_V = (np.arange(8) / 7).astype(np.float32)
_VOL = np.random.default_rng(1).random((1, 2, 4, 4, 4)).astype(np.float32)


def _autocast_cases(t):
    """name -> a call on bfloat16 inputs (a bf16 model's activations)."""
    F = t.nn.functional
    A, v, vol = (t.tensor(x).to(t.bfloat16) for x in (_M, _V, _VOL))
    fft = {f"fft.{n}": (lambda n=n: getattr(t.fft, n)(v if n.endswith(("fft", "hfft")) else A))
           for n in "fft ifft fft2 ifft2 fftn ifftn rfft irfft rfft2 irfft2 rfftn irfftn hfft ihfft".split()}
    return {**fft,
            "linalg.cond": lambda: t.linalg.cond(A), "linalg.matrix_rank": lambda: t.linalg.matrix_rank(A),
            "linalg.solve": lambda: t.linalg.solve(A, A), "linalg.cholesky": lambda: t.linalg.cholesky(A),
            "linalg.cholesky_ex": lambda: t.linalg.cholesky_ex(A).L,
            "linalg.svdvals": lambda: t.linalg.svdvals(A),
            "linalg.eigvals": lambda: t.linalg.eigvals(A).real,
            "linalg.eigvalsh": lambda: t.linalg.eigvalsh(A),
            "linalg.inv": lambda: t.linalg.inv(A), "linalg.inv_ex": lambda: t.linalg.inv_ex(A).inverse,
            "linalg.householder_product": lambda: t.linalg.householder_product(A, v[:2]),
            "linalg.tensorinv": lambda: t.linalg.tensorinv(A, 1),
            "linalg.tensorsolve": lambda: t.linalg.tensorsolve(A, v[:3]),
            "linalg.qr": lambda: t.linalg.qr(A).R,
            "linalg.svd": lambda: t.linalg.svd(A).S, "linalg.eig": lambda: t.linalg.eig(A).eigenvalues.real,
            "linalg.eigh": lambda: t.linalg.eigh(A).eigenvalues,
            "linalg.lstsq": lambda: t.linalg.lstsq(A, A).solution,
            "linalg.lu_solve (not listed)": lambda: t.linalg.lu_solve(*t.linalg.lu_factor(A.float()), A),
            "linalg.matmul": lambda: t.linalg.matmul(A, A),
            "linalg.multi_dot": lambda: t.linalg.multi_dot([A, A]),
            "geqrf": lambda: t.geqrf(A)[0], "qr": lambda: t.qr(A)[1], "svd": lambda: t.svd(A)[1],
            "Tensor.svd": lambda: A.svd()[1], "triangular_solve": lambda: t.triangular_solve(A, A)[0],
            "view_as_complex": lambda: t.view_as_complex(A[:, :2].contiguous()).imag,
            "reflect 1d": lambda: F.pad(A[None], (1, 1), mode="reflect"),
            "reflect 2d": lambda: t.nn.ReflectionPad2d(1)(A[None, None]),
            "reflect 3d (not listed)": lambda: F.pad(vol, (1, 1, 1, 1, 1, 1), mode="reflect"),
            "replicate 1d": lambda: t.nn.ReplicationPad1d(1)(A[None]),
            "replicate 3d": lambda: F.pad(vol, (1, 1, 1, 1, 1, 1), mode="replicate"),
            "circular (not listed)": lambda: F.pad(A[None], (1, 1), mode="circular"),
            "constant (not listed)": lambda: F.pad(A, (1, 1)),
            "adaptive_max_pool3d": lambda: F.adaptive_max_pool3d(vol, 2),
            "fractional_max_pool3d": lambda: F.fractional_max_pool3d(vol, 2, output_size=2,
                                                                      _random_samples=t.full((1, 2, 3), 0.5)),
            "max_unpool1d": lambda: F.max_unpool1d(*F.max_pool1d(vol[0, :, 0], 2, return_indices=True), 2),
            "fake_quantize_per_tensor_affine": lambda: t.fake_quantize_per_tensor_affine(v, 0.1, 0, 0, 255),
            "F.conv_tbc (lower)": lambda: F.conv_tbc(A[:, None].float(), A[None].float(), t.zeros(3), 1),
            "index_copy (promote)": lambda: t.zeros(3, 3).index_copy(0, t.tensor([0]), A[:1]),
            "index_copy (two bf16)": lambda: t.zeros(3, 3).to(A.dtype).index_copy(0, t.tensor([0]), A[:1])}


@pytest.mark.parametrize("name", sorted(_autocast_cases(torch)))
def test_cpu_autocast_float32_and_promote_lists_as_torch(name):
    """A bfloat16 input to each: torch's cpu autocast runs the listed ops in float32 (their kernels refuse
    bfloat16 or would round); the unlisted ones keep bfloat16 or refuse as without autocast."""
    def run(lib):
        case = _autocast_cases(lib)[name]
        with lib.autocast("cpu", dtype=lib.bfloat16):
            return _outcome(case)
    _same(run(pyfront), run(torch), rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize("name", ["rand_like", "randn_like", "randint_like"])
def test_like_samplers_take_a_generator_as_torch(name):
    """A diffusion loop's ``torch.randn_like(x, generator=g)``: torch 2.13's *_like samplers take the
    generator (pyfront's rand_like/randn_like refused it with the invalid-combination TypeError); the draw
    is the generator's, as its sized sampler's."""
    def draw(lib, seed):
        args = (5,) if name == "randint_like" else ()
        return getattr(lib, name)(lib.zeros(2, 3), *args, generator=lib.Generator().manual_seed(seed))
    assert draw(torch, 1).shape == draw(pyfront, 1).shape
    sized = {"rand_like": pyfront.rand, "randn_like": pyfront.randn}.get(name)
    expected = (sized(2, 3, generator=pyfront.Generator().manual_seed(1)) if sized else
                pyfront.randint(0, 5, (2, 3), generator=pyfront.Generator().manual_seed(1)).float())
    assert pyfront.equal(draw(pyfront, 1), expected)
    assert not pyfront.equal(draw(pyfront, 1), draw(pyfront, 2))


@pytest.mark.parametrize("device", ["cuda", "cuda:0", "mps", "xpu", "meta", "cpu:1", "cpu", None])
def test_generator_devices_as_torchs_cpu_build(device):
    """``torch.Generator(device=...)``: torch's CPU build refuses a generator for cuda/mps/xpu/meta, each in
    its words, and its cpu generator has no index; pyfront made one for any device (a script's
    ``Generator(device="cuda")`` then drew on the cpu)."""
    def make(lib):
        g = lib.Generator() if device is None else lib.Generator(device=device)
        return repr(g.device)
    assert _outcome_text(lambda: make(pyfront)) == _outcome_text(lambda: make(torch))


def _outcome_text(fn):
    try:
        return "ok", fn()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)

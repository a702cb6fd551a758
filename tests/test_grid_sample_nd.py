"""F.grid_sample in every mode PyTorch has: bilinear, nearest and bicubic on 4-D images, trilinear
('bilinear') and nearest on 5-D volumes, for each padding_mode and align_corners, against torch:
values, the input's gradient and the grid's, float32 (cpu, webgpu) and float64 (cpu). Grids hold
random points well outside [-1, 1] and the special points -1, 0, 1 (borders and centres exactly);
NaN grid points where torch defines them (zeros padding: its border/reflection kernels convert NaN
to an integer index). Plus torch's errors for bad shapes, modes and dtypes, and F.affine_grid's 5-D
form feeding a 5-D grid_sample."""
import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from webgpu_required import requires_webgpu

import pyfront
import pyfront.nn.functional as PF

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
KINDS = [(4, "bilinear"), (4, "nearest"), (4, "bicubic"), (5, "bilinear"), (5, "nearest")]
CASES = [(k, m, p, a) for (k, m), p, a in itertools.product(KINDS, ("zeros", "border", "reflection"),
                                                              (False, True))]
SPECIAL = [-1.0, 1.0, 0.0, -1.0, 1.0, 1.0]  # points exactly on the borders and the centre


def _inputs(rank, dtype, nan, seed):
    rng = np.random.default_rng(seed)
    shape, gshape = ((2, 3, 4, 5), (2, 3, 4, 2)) if rank == 4 else ((2, 2, 3, 4, 5), (2, 2, 3, 2, 3))
    x = rng.standard_normal(shape).astype(dtype)
    grid = rng.uniform(-2.6, 2.6, gshape).astype(dtype)
    flat = grid.reshape(-1, rank - 2)
    for i, v in enumerate(SPECIAL):  # on the borders along one axis, or all of them at once
        flat[i, i % (rank - 2)] = v
        flat[i + len(SPECIAL), :] = v
    flat[-1] = [5.3, -4.1, 7.2][: rank - 2]  # far outside (reflects more than once)
    if nan:
        flat[-2, 0] = np.nan
        flat[-3, :] = np.nan
    return x, grid


def _run(lib, x, grid, device, **kw):
    extra = {} if lib is torch else {"device": device}
    x = lib.tensor(x, requires_grad=True, **extra)
    grid = lib.tensor(grid, requires_grad=True, **extra)
    out = lib.nn.functional.grid_sample(x, grid, **kw)
    cot = np.cos(np.arange(out.numel())).reshape(out.shape).astype(x.detach().cpu().numpy().dtype)
    out.backward(lib.tensor(cot, **extra))
    return [t.detach().cpu().numpy() for t in (out, x.grad, grid.grad)]


def _compare(k, mode, padding, align, dtype, device, seed):
    nan = padding == "zeros"
    x, grid = _inputs(k, dtype, nan, seed)
    kw = {"mode": mode, "padding_mode": padding, "align_corners": align}
    want = _run(torch, x, grid, "cpu", **kw)
    got = _run(pyfront, x, grid, device, **kw)
    if nan:  # the NaN points must reach the outputs (2-D) or be skipped (3-D) as torch's
        assert np.isnan(want[0]).any() == (k == 4 and mode != "nearest")
    tol = {} if dtype == np.float64 else ({"rtol": 1.3e-6, "atol": 1e-5} if device == "cpu"
                                           else {"rtol": 1e-3, "atol": 1e-5})
    gtol = tol if dtype == np.float64 else {"rtol": 1e-3, "atol": 1e-4}
    for name, g, w, t in zip(("output", "input.grad", "grid.grad"), got, want, (tol, gtol, gtol)):
        torch.testing.assert_close(torch.from_numpy(g), torch.from_numpy(w), equal_nan=True, msg=name, **t)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("k,mode,padding,align", CASES)
def test_grid_sample_matches_torch_float32(k, mode, padding, align, device):
    seed = len(CASES) + CASES.index((k, mode, padding, align))
    _compare(k, mode, padding, align, np.float32, device, seed)


@pytest.mark.parametrize("k,mode,padding,align", CASES)
def test_grid_sample_matches_torch_float64(k, mode, padding, align):
    _compare(k, mode, padding, align, np.float64, "cpu", seed=CASES.index((k, mode, padding, align)))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("align", [False, True])
def test_affine_grid_5d_drives_trilinear_sampling(align, device):
    rng = np.random.default_rng(3)
    theta = (np.eye(3, 4) + 0.3 * rng.standard_normal((2, 3, 4))).astype(np.float32)
    x = rng.standard_normal((2, 2, 3, 4, 5)).astype(np.float32)
    res = []
    for lib, kw in ((torch, {}), (pyfront, {"device": device})):
        th = lib.tensor(theta, requires_grad=True, **kw)
        grid = lib.nn.functional.affine_grid(th, (2, 2, 4, 3, 2), align_corners=align)
        out = lib.nn.functional.grid_sample(lib.tensor(x, **kw), grid, align_corners=align)
        (out * out).sum().backward()
        res.append([t.detach().cpu().numpy() for t in (grid, out, th.grad)])
    for g, w in zip(*res):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-4)


BAD = [
    ((1, 2, 3, 4, 5), (1, 2, 2, 2, 3), "bicubic", "float32", "float32"),
    ((1, 2, 3, 4, 5), (1, 2, 2, 2), "bilinear", "float32", "float32"),
    ((1, 2, 3, 4), (1, 2, 2, 2, 3), "bilinear", "float32", "float32"),
    ((1, 2, 3, 4), (1, 2, 2, 2, 2), "bilinear", "float32", "float32"),
    ((1, 2, 3, 4, 5), (1, 2, 2, 3), "nearest", "float32", "float32"),
    ((1, 2, 3), (1, 2, 1), "bilinear", "float32", "float32"),
    ((1, 2, 3), (1, 2, 2), "bilinear", "float32", "float32"),
    ((1, 2, 3, 4), (2, 2, 2, 2), "bicubic", "float32", "float32"),
    ((1, 2, 3, 4), (1, 2, 2, 3), "bilinear", "float32", "float32"),
    ((1, 2, 0, 4), (1, 2, 2, 2), "bilinear", "float32", "float32"),
    ((1, 2, 3, 0, 5), (1, 2, 2, 2, 3), "nearest", "float32", "float32"),
    ((1, 2, 3, 4), (1, 2, 2, 2), "bicubic", "int64", "int64"),
    ((1, 2, 3, 4, 5), (1, 2, 2, 2, 3), "bilinear", "int64", "float32"),
    ((1, 2, 3, 4), (1, 2, 2, 2), "bilinear", "float32", "float64"),
    ((1, 2, 3, 4, 5), (1, 2, 2, 2, 3), "bilinear", "float64", "int64"),
]


@pytest.mark.parametrize("shape,gshape,mode,dtype,gdtype", BAD)
def test_grid_sample_errors_are_torchs(shape, gshape, mode, dtype, gdtype):
    outcome = []
    for lib in (torch, pyfront):
        x = lib.zeros(shape, dtype=getattr(lib, dtype))
        grid = lib.zeros(gshape, dtype=getattr(lib, gdtype))
        with pytest.raises(Exception) as info:
            lib.nn.functional.grid_sample(x, grid, mode=mode, align_corners=False)
        outcome.append((type(info.value), str(info.value)))
    assert outcome[1] == outcome[0]


@pytest.mark.parametrize("device", DEVICES)
def test_grid_sample_empty_batch_and_channels(device):
    for shape, gshape, mode in (((0, 2, 3, 4), (0, 2, 2, 2), "bicubic"), ((1, 0, 3, 4, 5), (1, 2, 2, 2, 3),
                                                                          "bilinear")):
        want = F.grid_sample(torch.zeros(shape), torch.zeros(gshape), mode=mode, align_corners=True)
        got = PF.grid_sample(pyfront.zeros(shape, device=device), pyfront.zeros(gshape, device=device),
                             mode=mode, align_corners=True)
        assert tuple(got.shape) == tuple(want.shape)

"""What running real PyTorch programs unchanged (pytorch/examples' mnist_rnn, gcn, gat, ...) found,
checked against torch at the level of the kind of fault: every rank of feature dropout, the sparse
operand on either side of ``+`` and ``@``, on cpu and webgpu."""
import os
import warnings

import numpy as np
import pytest
import torch

import pyfront
import pyfront.nn.functional as PF
import torch.nn.functional as TF
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _np(t):
    return np.array(t.detach().cpu().tolist())


def _outcome(fn, *args):
    """(the result's shape, or the error's type and text; the warnings' texts)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            got = tuple(fn(*args).shape)
        except Exception as e:  # noqa: BLE001 -- the error is the outcome compared with torch's
            got = (type(e), str(e))
    return got, [str(w.message) for w in seen]


def _groups(out: np.ndarray, lead: int) -> bool:
    """True when the dropout pattern is constant over every dim after the first ``lead``."""
    flat = out.reshape(*out.shape[:lead], -1)
    return bool((flat == flat[..., :1]).all())


@pytest.mark.parametrize("name,shape", [(n, s) for n in ("dropout1d", "dropout2d", "dropout3d")
                                        for s in [(), (6,), (4, 6), (3, 4, 6), (2, 3, 4, 5), (2, 2, 3, 4, 5),
                                                  (2, 2, 2, 2, 2, 2)]])
@pytest.mark.parametrize("device", DEVICES)
def test_feature_dropout_every_rank_as_torch(name, shape, device):
    """mnist_rnn puts a (N, 64) batch through nn.Dropout2d: torch warns and drops per element, pyfront
    raised. Every rank: the same shape or error, the same warnings, the same draw groups."""
    x = np.ones(shape, dtype=np.float32)
    theirs = _outcome(getattr(TF, name), torch.tensor(x), 0.5, True)
    ours = _outcome(getattr(PF, name), pyfront.tensor(x, device=device), 0.5, True)
    assert ours == theirs
    if isinstance(theirs[0][0], int) or theirs[0] == ():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            big = (64,) * min(len(shape), 2) + tuple(shape[2:])
            t_out = getattr(TF, name)(torch.ones(big), 0.5, True).numpy()
            p_out = _np(getattr(PF, name)(pyfront.ones(big, device=device), 0.5, True))
        # torch's groups: (dim 0, dim 1) when batched (dropout2d always), dim 0 alone otherwise
        for lead in range(len(big) + 1):
            assert _groups(p_out, lead) == _groups(t_out, lead), (big, lead)


def test_feature_dropout_untrained_or_zero_p_keeps_any_rank():
    for name in ("dropout2d", "dropout3d"):
        for args in ((0.5, False), (0.0, True)):
            assert _outcome(getattr(PF, name), pyfront.ones(6), *args) == \
                _outcome(getattr(TF, name), torch.ones(6), *args)


def test_dropout2d_module_on_2d_batch_as_mnist_rnn():
    m = pyfront.nn.Dropout2d(0.25)
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
        y = m(pyfront.ones(8, 64))
    assert y.shape == (8, 64)
    assert set(np.unique(_np(y)).round(5)) <= {0.0, round(1 / 0.75, 5)}


def _pair(lib, device="cpu"):
    idx = [[0, 1, 1, 2], [1, 0, 2, 2]]
    kw = {} if lib is torch else {"device": device}
    s = lib.sparse_coo_tensor(lib.tensor(idx, **kw), lib.tensor([1, 2, 3, 4], **kw), (3, 3), dtype=lib.int64)
    return s


@pytest.mark.parametrize("device", DEVICES)
def test_dense_plus_sparse_is_dense(device):
    """gcn/gat: ``torch.eye(V) + sparse_adjacency`` (int64 values into a float result)."""
    with torch.sparse.check_sparse_tensor_invariants(False):
        expected = torch.eye(3) + _pair(torch)
    got = pyfront.eye(3, device=device) + _pair(pyfront, device)
    assert got.dtype == pyfront.float32 and got.device.type == device
    np.testing.assert_array_equal(_np(got), expected.numpy())
    both = _pair(pyfront, device) + _pair(pyfront, device)
    with torch.sparse.check_sparse_tensor_invariants(False):
        np.testing.assert_array_equal(_np(both.to_dense()), (_pair(torch) + _pair(torch)).to_dense().numpy())


def test_sparse_add_errors_as_torch():
    with torch.sparse.check_sparse_tensor_invariants(False):
        cases = [(lambda lib: _pair(lib) + lib.eye(3)), (lambda lib: lib.eye(4) + _pair(lib))]
        for case in cases:
            with pytest.raises(RuntimeError) as theirs:
                case(torch)
            with pytest.raises(RuntimeError) as ours:
                case(pyfront)
            assert str(ours.value) == str(theirs.value)


@pytest.mark.parametrize("how", ["matmul", "mm"])
@pytest.mark.parametrize("device", DEVICES)
def test_dense_times_sparse_values_and_gradients(how, device):
    """gcn's renormalisation ``D @ A @ D``: a dense left operand times a sparse right one."""
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3) - 2.0

    def run(lib, dev):
        kw = {} if lib is torch else {"device": dev}
        x = lib.tensor(a, **kw).requires_grad_()
        s = lib.sparse_coo_tensor(lib.tensor([[0, 1, 2, 2], [1, 1, 0, 1]], **kw),
                                  lib.tensor([1.5, -2.0, 3.0, 0.5], **kw), (3, 2), requires_grad=True)
        y = x @ s if how == "matmul" else lib.mm(x, s)
        (y * lib.tensor([[1.0, 2.0], [3.0, -1.0]], **kw)).sum().backward()
        return y, x.grad, s.grad

    (py, pgx, pgv), (ty, tgx, tgv) = run(pyfront, device), run(torch, "cpu")
    assert type(py.grad_fn).__name__ == type(ty.grad_fn).__name__
    tol = dict(rtol=1e-6, atol=1e-6) if device == "cpu" else dict(rtol=1e-3, atol=1e-5)
    for p, t in ((py, ty), (pgx, tgx)):
        np.testing.assert_allclose(_np(p), t.detach().numpy(), **tol)
    # torch's gradient here is dense; pyfront's sparse one holds it at the stored positions
    rows, cols = _np(pgv.indices()).astype(int)
    np.testing.assert_allclose(_np(pgv.values()), tgv.numpy()[rows, cols], **tol)


def test_dense_times_sparse_shape_error_as_torch():
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(2, 3) @ torch.tensor([[1.0, 2.0], [3.0, 0.0]]).to_sparse()
    with pytest.raises(RuntimeError) as ours:
        pyfront.ones(2, 3) @ pyfront.tensor([[1.0, 2.0], [3.0, 0.0]]).to_sparse()
    assert str(ours.value) == str(theirs.value)


XPU_CALLS = ["is_available", "is_initialized", "device_count", "empty_cache", "manual_seed(0)",
             "manual_seed_all(0)", "seed", "seed_all", "synchronize", "current_device", "get_device_name",
             "get_device_properties(0)", "memory_allocated", "max_memory_allocated", "memory_reserved",
             "is_bf16_supported", "get_arch_list", "set_device(0)", "initial_seed"]
MPS_CALLS = ["is_available", "device_count", "manual_seed(0)", "seed", "synchronize", "empty_cache",
             "current_allocated_memory", "driver_allocated_memory", "recommended_max_memory", "get_rng_state"]


@pytest.mark.parametrize("module,call", [("xpu", c) for c in XPU_CALLS] + [("mps", c) for c in MPS_CALLS])
def test_other_accelerator_modules_answer_as_torch_without_them(module, call):
    """mnist_forward_forward asks ``torch.xpu.is_available()``: pyfront had no torch.xpu."""
    name, _, arg = call.partition("(")
    args = (0,) if arg else ()

    def outcome(lib):
        try:
            return "returns", getattr(getattr(lib, module), name)(*args)
        except Exception as e:  # noqa: BLE001 -- the error is the outcome compared with torch's
            return type(e), str(e)
    assert outcome(pyfront) == outcome(torch)


def test_hub_dir_as_torch(monkeypatch, tmp_path):
    """vision_transformer does ``from torch.hub import tqdm``: pyfront had no torch.hub."""
    import torch.hub as th

    import pyfront.hub as ph
    for env in ({"TORCH_HOME": str(tmp_path / "th")}, {"XDG_CACHE_HOME": str(tmp_path / "xdg")}, {}):
        monkeypatch.delenv("TORCH_HOME", raising=False)
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        for k, v in env.items():
            monkeypatch.setenv(k, v)
        assert ph.get_dir() == th.get_dir()
    monkeypatch.setattr(ph, "_hub_dir", None)
    ph.set_dir("~/elsewhere")
    assert ph.get_dir() == os.path.expanduser("~/elsewhere")
    assert list(ph.tqdm([1, 2, 3], desc="x")) == [1, 2, 3]


def test_hub_load_state_dict_from_url_downloads_once_then_reads_the_cache(tmp_path):
    import hashlib

    import pyfront.hub as ph
    src = tmp_path / "src" / "weights.pt"
    src.parent.mkdir()
    torch.save({"w": torch.arange(3.0)}, src)
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    named = src.parent / f"weights-{digest[:8]}.pt"
    named.write_bytes(src.read_bytes())
    got = ph.load_state_dict_from_url(named.as_uri(), model_dir=str(tmp_path / "ckpt"), check_hash=True)
    np.testing.assert_array_equal(_np(got["w"]), [0.0, 1.0, 2.0])
    named.unlink()  # the second call reads the cached copy
    got = ph.load_state_dict_from_url(named.as_uri(), model_dir=str(tmp_path / "ckpt"))
    np.testing.assert_array_equal(_np(got["w"]), [0.0, 1.0, 2.0])
    with pytest.raises(RuntimeError, match='invalid hash value \\(expected "00000000"'):
        ph.download_url_to_file(src.as_uri(), str(tmp_path / "x.pt"), hash_prefix="00000000")
    assert not (tmp_path / "x.pt").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["ckpt", "src"]


@pytest.mark.parametrize("device", DEVICES)
def test_unfold_patches_as_vision_transformer(device):
    """vision_transformer cuts images into patches with two unfolds, a permute and a view; the op table
    runs Tensor.unfold's own rows (overlapping windows, 0-d, transposed, empty)."""
    x = np.random.default_rng(0).standard_normal((2, 3, 8, 8)).astype(np.float32)

    def run(lib, dev):
        t = lib.tensor(x, **({} if lib is torch else {"device": dev})).requires_grad_()
        p = t.unfold(2, 4, 4).unfold(3, 4, 4).permute(0, 2, 3, 1, 4, 5).contiguous().view(2, 4, -1)
        (p * p).sum().backward()
        return p, t.grad
    for got, expected in zip(run(pyfront, device), run(torch, "cpu")):
        np.testing.assert_allclose(_np(got), expected.detach().numpy(), rtol=1e-5, atol=1e-6)


RESIZES = [
    ("same shape", lambda lib: lib.arange(6.0).reshape(2, 3).resize_(2, 3)),
    ("reshape", lambda lib: lib.arange(6.0).resize_(3, 2)),
    ("shrink", lambda lib: lib.arange(6.0).resize_([2, 2])),
    ("size object", lambda lib: lib.arange(6.0).resize_(lib.ones(1, 6).shape)),
    ("grow keeps the old values first", lambda lib: lib.arange(4.0).resize_(6)[:4]),
    ("resize_as_", lambda lib: lib.arange(4.0).resize_as_(lib.ones(2, 2))),
    ("a slice reads on in its memory", lambda lib: _filled_through(lib, lambda x: x[2:].resize_(2, 2))),
    ("dcgan: .data.resize_().copy_()", lambda lib: _filled_through(lib, lambda x: x.data.resize_(3, 2))),
    ("requires grad", lambda lib: lib.arange(4.0).requires_grad_().resize_(2, 2)),
    ("negative size", lambda lib: lib.arange(4.0).resize_(2, -2)),
]


def _filled_through(lib, make):
    x = lib.arange(6.0)
    make(x).fill_(9.0)
    return x


@pytest.mark.parametrize("case", [c for _, c in RESIZES], ids=[n for n, _ in RESIZES])
def test_resize_as_torch(case):
    """dcgan (2017) resizes its input buffer to each batch with ``input.data.resize_(...)``."""
    def outcome(lib):
        try:
            out = case(lib)
            return tuple(out.shape), tuple(out.stride()), _np(out).tolist()
        except Exception as e:  # noqa: BLE001 -- the error is the outcome compared with torch's
            return type(e), str(e)
    assert outcome(pyfront) == outcome(torch)


def test_resize_refuses_what_it_cannot_do_as_torch_does():
    x = pyfront.arange(6.0)
    v = x.view(2, 3)
    with pytest.raises(RuntimeError, match="cannot grow memory that another tensor"):
        x.resize_(10)
    assert v.shape == (2, 3) and x.shape == (6,)
    # a strided tensor's memory is read anew with contiguous strides, as torch's
    want = torch.arange(6.0).reshape(2, 3).t().resize_(2, 3)
    got = pyfront.arange(6.0).reshape(2, 3).t().resize_(2, 3)
    assert got.tolist() == want.tolist() and got.stride() == want.stride()


# Two of the programs themselves (tests/programs/), run as tests/test_programs.py runs its own: under real
# torch (random numbers from pyfront's stream) and under ``python -m pyfront run``, printing the same.
PROGRAMS = {
    "mnist_rnn": ["--epochs", "1", "--n-train", "96", "--batch-size", "32", "--log-interval", "1"],
    "dcgan": ["--dataset", "cifar10", "--dataroot", "unused", "--workers", "0", "--batchSize", "8",
              "--imageSize", "64", "--nz", "16", "--ngf", "8", "--ndf", "8", "--niter", "1",
              "--manualSeed", "5", "--nTrain", "16"],
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_torchs_output(name, tmp_path):
    from test_programs import differences, run_both
    args = [*PROGRAMS[name], "--outf", str(tmp_path)] if name == "dcgan" else PROGRAMS[name]
    theirs, ours = run_both(name, args)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr[-3000:]
    diff = differences(ours.stdout, theirs.stdout, 1e-4, 1e-6)
    assert not diff, "\n".join(diff[:10])


def test_init_sparse_as_torch():
    """The one torch.nn.init function pyfront lacked (found by comparing the two modules' names)."""
    for lib in (torch, pyfront):
        lib.manual_seed(0)
    w = pyfront.nn.init.sparse_(pyfront.empty(10, 4), 0.3)
    zeros = (_np(w) == 0).sum(0)
    assert zeros.tolist() == [3, 3, 3, 3] and np.abs(_np(w)).max() < 0.1
    with pytest.warns(FutureWarning, match="`nn.init.sparse` is now deprecated in favor of"):
        pyfront.nn.init.sparse(pyfront.empty(4, 2), 0.5)
    for lib in (torch, pyfront):
        with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
            lib.nn.init.sparse_(lib.empty(3), 0.5)
    assert set(n for n in dir(torch.nn.init) if not n.startswith("_") and callable(getattr(torch.nn.init, n))
               and n[0].islower()) <= set(dir(pyfront.nn.init))

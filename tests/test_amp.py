"""torch.autocast and GradScaler against real torch (cpu; webgpu where the adapter has shader-f16)."""
import threading
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

# (name, fn(lib, x, w, b, target, labels)): each autocast list, torch's cpu lists deciding the dtype
OPS = {
    "linear": lambda L, x, w, b, t, y: L.nn.functional.linear(x, w, b),
    "matmul": lambda L, x, w, b, t, y: L.matmul(x, w.t()),
    "@": lambda L, x, w, b, t, y: x @ w.t(),
    "mm": lambda L, x, w, b, t, y: L.mm(x, w.t()),
    "Tensor.mm": lambda L, x, w, b, t, y: x.mm(w.t()),
    "bmm": lambda L, x, w, b, t, y: L.bmm(x[None], w.t()[None]),
    "addmm": lambda L, x, w, b, t, y: L.addmm(b, x, w.t()),
    "baddbmm": lambda L, x, w, b, t, y: L.baddbmm(b[None, None], x[None], w.t()[None]),
    "conv1d": lambda L, x, w, b, t, y: L.nn.functional.conv1d(x.t()[None], w[:, :, None], b),
    "conv2d": lambda L, x, w, b, t, y: L.nn.functional.conv2d(x[None, None], w[None, None, :2, :2]),
    "sdpa": lambda L, x, w, b, t, y: L.nn.functional.scaled_dot_product_attention(x[None], x[None], x[None]),
    "mse_loss": lambda L, x, w, b, t, y: L.nn.functional.mse_loss(L.mm(x, w.t()), t),
    "cross_entropy": lambda L, x, w, b, t, y: L.nn.functional.cross_entropy(L.mm(x, w.t()), y),
    "nll_loss": lambda L, x, w, b, t, y: L.nn.functional.nll_loss(L.mm(x, w.t()), y),
    "l1_loss": lambda L, x, w, b, t, y: L.nn.functional.l1_loss(L.mm(x, w.t()), t),
    "bce_with_logits": lambda L, x, w, b, t, y: L.nn.functional.binary_cross_entropy_with_logits(
        L.mm(x, w.t()), t.sigmoid()),
    "prod": lambda L, x, w, b, t, y: L.mm(x, w.t()).prod(),
    "softmax (runs as given on cpu)": lambda L, x, w, b, t, y: L.softmax(L.mm(x, w.t()), -1),
    "relu": lambda L, x, w, b, t, y: L.relu(L.mm(x, w.t())),
    "add (promotes)": lambda L, x, w, b, t, y: L.mm(x, w.t()) + b,
    "layer_norm": lambda L, x, w, b, t, y: L.nn.functional.layer_norm(L.mm(x, w.t()), (3,)),
    "float64 stays": lambda L, x, w, b, t, y: L.mm(x.double(), w.double().t()),
    "Linear module": lambda L, x, w, b, t, y: _linear(L, w, b)(x),
}


def _linear(lib, w, b):
    m = lib.nn.Linear(4, 3).to(w.device)
    with lib.no_grad():
        m.weight.copy_(w)
        m.bias.copy_(b)
    return m


def _inputs(lib, device="cpu"):
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in [(5, 4), (3, 4), (3,), (5, 3)]]
    out = [lib.tensor(a, device=device) for a in arrays]
    return (*out, lib.tensor([0, 1, 2, 0, 1], device=device))


# bfloat16 has 8 significant bits: torch's assert_close tolerance for it
TOLERANCE = {"float16": dict(rtol=2e-3, atol=2e-3), "bfloat16": dict(rtol=1.6e-2, atol=1e-5)}


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", None])  # None: torch's cpu default, bfloat16
@pytest.mark.parametrize("name", list(OPS))
def test_cpu_autocast_matches_torch(name, dtype):
    ins = _inputs(torch)
    with torch.autocast("cpu", dtype=dtype and getattr(torch, dtype)):
        theirs = OPS[name](torch, *ins)
    mine_ins = _inputs(pyfront)
    with pyfront.autocast("cpu", dtype=dtype and getattr(pyfront, dtype)):
        mine = OPS[name](pyfront, *mine_ins)
    assert str(mine.dtype) == str(theirs.dtype)
    np.testing.assert_allclose(mine.detach().double().numpy(), theirs.detach().double().numpy(),
                               **TOLERANCE[dtype or "bfloat16"])


def test_gradients_flow_back_to_float32_parameters():
    grads = {}
    for lib in (torch, pyfront):
        x, w, b, t, _ = _inputs(lib)
        m = _linear(lib, w, b)
        with lib.autocast("cpu", dtype=lib.float16):
            loss = lib.nn.functional.mse_loss(m(x), t)
        loss.backward()
        assert str(loss.dtype) == "torch.float32" and str(m.weight.grad.dtype) == "torch.float32"
        grads[lib] = (m.weight.grad.numpy(), m.bias.grad.numpy())
    for a, b in zip(grads[pyfront], grads[torch]):
        np.testing.assert_allclose(a, b, rtol=2e-3, atol=2e-3)


def _states(lib):
    x = lib.ones(2, 2)

    @lib.autocast("cpu", dtype=lib.float16)
    def inside():
        return lib.mm(x, x).dtype

    def in_thread():
        other.append((lib.is_autocast_enabled("cpu"), lib.mm(x, x).dtype))

    other = []
    with lib.autocast("cpu", dtype=lib.float16):
        state = [lib.is_autocast_enabled("cpu"), lib.is_autocast_enabled(), lib.get_autocast_dtype("cpu")]
        with lib.autocast("cpu", enabled=False):
            state += [lib.is_autocast_enabled("cpu"), lib.mm(x, x).dtype]
        state.append(lib.mm(x, x).dtype)
        th = threading.Thread(target=in_thread)  # autocast is per thread
        th.start()
        th.join()
    state += [lib.is_autocast_enabled("cpu"), inside(), lib.mm(x, x).dtype, *other]
    return [str(s) for s in state]


def test_state_queries_nesting_decorator_and_threads():
    assert _states(pyfront) == _states(torch)


def _warned(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(w.category, str(w.message)) for w in caught]


@pytest.mark.parametrize("make", [
    lambda L: L.cuda.amp.autocast(), lambda L: L.cpu.amp.autocast(dtype=L.float16),
    lambda L: L.autocast("cuda"), lambda L: L.autocast("cpu", dtype=L.float64),
    lambda L: L.amp.autocast("cpu", dtype=L.float16), lambda L: L.autocast("cpu"),
    lambda L: L.cuda.amp.GradScaler(),
    lambda L: L.amp.GradScaler("cuda"), lambda L: L.GradScaler("cpu"),
], ids=["cuda.amp.autocast", "cpu.amp.autocast", "autocast cuda", "cpu float64", "amp.autocast",
        "cpu default",
        "cuda.amp.GradScaler", "GradScaler cuda", "GradScaler cpu"])
def test_warnings_and_disabling_match_torch(make):
    def use(lib):
        def run():
            obj = make(lib)
            if isinstance(obj, lib.amp.GradScaler):
                seen.append(obj.is_enabled())
                return
            with obj:
                seen.append(lib.mm(lib.ones(2, 2), lib.ones(2, 2)).dtype)
        seen = []
        return _warned(run), [str(s) for s in seen]
    assert use(pyfront) == use(torch)


def test_cpu_default_is_bfloat16_as_torch():
    for lib in (pyfront, torch):
        assert repr(lib.get_autocast_dtype("cpu")) == "torch.bfloat16"
        with lib.autocast("cpu"):
            assert lib.is_autocast_enabled("cpu")
            assert repr(lib.mm(lib.ones(2, 2), lib.ones(2, 2)).dtype) == "torch.bfloat16"


# -- GradScaler -------------------------------------------------------------------------------------


def _train(lib, bad_steps, scaler_kw, steps=7, optim="SGD"):
    """A loop as torch's AMP recipe writes it; ``bad_steps`` get an inf gradient (an overflow)."""
    x, w, b, t, _ = _inputs(lib)
    model = _linear(lib, w, b)
    opt = getattr(lib.optim, optim)(model.parameters(), lr=0.1)
    scaler = lib.amp.GradScaler("cpu", **scaler_kw)
    log = []
    for i in range(steps):
        opt.zero_grad()
        with lib.autocast("cpu", dtype=lib.float16):
            loss = lib.nn.functional.mse_loss(model(x), t)
        scaler.scale(loss).backward()
        if i in bad_steps:
            with lib.no_grad():
                model.bias.grad[0] = float("inf") if i % 2 else float("nan")
        if i == 3:
            scaler.unscale_(opt)  # as for gradient clipping: step() must not unscale again
        before = model.weight.detach().clone()
        ret = scaler.step(opt)
        scaler.update()
        moved = bool((model.weight != before).any())
        log.append((ret, scaler.get_scale(), scaler._get_growth_tracker(), moved))
    return log, model, scaler


@pytest.mark.parametrize("optim", ["SGD", "Adam"])
def test_grad_scaler_skips_backs_off_and_grows_as_torch(optim):
    kw = dict(init_scale=2.0 ** 10, growth_interval=2, growth_factor=3.0, backoff_factor=0.25)
    theirs, tm, ts = _train(torch, {1, 4}, kw, optim=optim)
    mine, pm, ps = _train(pyfront, {1, 4}, kw, optim=optim)
    assert mine == theirs
    assert [s for _, s, _, _ in mine] != [kw["init_scale"]] * len(mine)  # it did move
    np.testing.assert_allclose(pm.weight.detach().numpy(), tm.weight.detach().numpy(), rtol=2e-3, atol=2e-3)
    assert ps.state_dict() == ts.state_dict()


def test_grad_scaler_keeps_a_scale_that_growing_would_overflow_as_torch():
    def scales(lib):
        p = lib.nn.Parameter(lib.zeros(1))
        opt = lib.optim.SGD([p], lr=0.1)
        scaler = lib.amp.GradScaler("cpu", init_scale=3e38, growth_interval=1, growth_factor=2.0)
        out = []
        for _ in range(2):
            scaler.scale((p * 0).sum()).backward()
            scaler.step(opt)
            scaler.update()
            out.append((scaler.get_scale(), scaler._get_growth_tracker()))
        return out
    assert scales(pyfront) == scales(torch)


def test_grad_scaler_state_dict_round_trip_and_disabled_pass_through():
    for lib in (torch, pyfront):
        _, _, s = _train(lib, set(), dict(init_scale=8.0, growth_interval=3), steps=4)
        fresh = lib.amp.GradScaler("cpu")
        fresh.load_state_dict(s.state_dict())
        assert fresh.state_dict() == s.state_dict() == {"scale": 8.0 * 2, "growth_factor": 2.0,
                                                        "backoff_factor": 0.5, "growth_interval": 3,
                                                        "_growth_tracker": 1}
        off = lib.amp.GradScaler("cpu", enabled=False)
        loss = lib.ones(())
        assert off.scale(loss) is loss and off.state_dict() == {} and off.get_scale() == 1.0
        with pytest.raises(RuntimeError, match="The source state dict is empty"):
            fresh.load_state_dict({})


@pytest.mark.parametrize("case", ["unscale twice", "unscale after step", "step twice", "closure",
                                  "update before scale", "fp16 grads", "bad factor"])
def test_grad_scaler_errors_match_torch(case):
    def attempt(lib):
        p = lib.nn.Parameter(lib.ones(2, dtype=lib.float16 if case == "fp16 grads" else lib.float32))
        opt = lib.optim.SGD([p], lr=0.1)
        s = lib.amp.GradScaler("cpu")
        if case == "bad factor":
            lib.amp.GradScaler("cpu", growth_factor=0.5)
        if case == "update before scale":
            s.update()
        s.scale(p.sum()).backward()
        if case == "fp16 grads":
            s.unscale_(opt)
        if case == "closure":
            s.step(opt, closure=lambda: None)
        s.unscale_(opt) if case.startswith("unscale") else s.step(opt)
        s.step(opt) if case == "step twice" else s.unscale_(opt)

    for lib in (torch, pyfront):
        with pytest.raises(Exception) as info:
            attempt(lib)
        if lib is torch:
            theirs = info.value
    assert type(info.value) is type(theirs) and str(info.value) == str(theirs)


def test_grad_scaler_scales_lists_and_new_scale():
    for lib in (torch, pyfront):
        s = lib.amp.GradScaler("cpu", init_scale=4.0)
        a, b = s.scale([lib.ones(1), (lib.ones(1) * 2, lib.ones(1) * 3)])
        assert a.tolist() == [4.0] and [t.tolist() for t in b] == [[8.0], [12.0]]
        s.update(new_scale=0.5)
        assert s.get_scale() == 0.5
        with pytest.raises(AssertionError, match="new_scale should be a float or a 1-element"):
            s.update(new_scale=lib.ones(2))


# -- torch's other switches -------------------------------------------------------------------------


def test_cuda_switches_and_constants_are_accepted_as_in_torch():
    for lib in (torch, pyfront):
        assert (lib.pi, lib.e, lib.inf, lib.newaxis) == (torch.pi, torch.e, torch.inf, None)
        assert lib.nan != lib.nan
        before = [lib.backends.cudnn.benchmark, lib.backends.cudnn.deterministic, lib.backends.cudnn.enabled,
                  lib.backends.cudnn.allow_tf32, lib.backends.cuda.matmul.allow_tf32,
                  lib.get_float32_matmul_precision(), lib.are_deterministic_algorithms_enabled()]
        assert before == [False, False, True, True, False, "highest", False]
        lib.backends.cudnn.benchmark = True
        lib.set_float32_matmul_precision("high")
        assert lib.backends.cuda.matmul.allow_tf32 is True
        lib.set_float32_matmul_precision("highest")
        lib.use_deterministic_algorithms(True)
        assert lib.are_deterministic_algorithms_enabled()
        lib.use_deterministic_algorithms(False)
        lib.backends.cudnn.benchmark = False
        assert not lib.backends.cuda.matmul.allow_tf32


def test_variable_returns_a_tensor_as_torch():
    for lib in (torch, pyfront):
        from_lib = lib.autograd.Variable
        x = lib.ones(2)
        v = from_lib(x, requires_grad=True)
        assert isinstance(v, lib.Tensor) and isinstance(x, from_lib) and v is not x
        assert v.requires_grad and not x.requires_grad
        v[0].detach().add_(0)
        assert not from_lib(v * 2).requires_grad
        with pytest.raises(TypeError, match="^Variable data has to be a tensor, but got list$"):
            from_lib([1.0])


# -- webgpu: float16 where the adapter has shader-f16 -----------------------------------------------


@requires_webgpu
def test_webgpu_autocast_runs_matmul_and_conv_in_float16():
    if not pyfront.webgpu._backend().has_f16:
        pytest.skip("this adapter has no shader-f16: the float32 branch is tested below")
    for name in ("linear", "@", "bmm", "conv2d", "Linear module", "mse_loss", "cross_entropy"):
        with torch.autocast("cpu", dtype=torch.float16):
            theirs = OPS[name](torch, *_inputs(torch))
        with pyfront.autocast("webgpu"):
            mine = OPS[name](pyfront, *_inputs(pyfront, "webgpu"))
        assert mine.device.type == "webgpu" and str(mine.dtype) == str(theirs.dtype), name
        np.testing.assert_allclose(mine.cpu().float().detach().numpy(), theirs.float().detach().numpy(),
                                   rtol=2e-3, atol=2e-3)
    x = pyfront.ones(2, 3, device="webgpu")
    with pyfront.autocast("webgpu"):  # torch's CUDA list: softmax and layer_norm run in float32
        assert pyfront.softmax(x.half(), -1).dtype == pyfront.float32
        assert pyfront.nn.functional.layer_norm(x.half(), (3,)).dtype == pyfront.float32
        assert pyfront.mm(x, x.t()).cpu().dtype == pyfront.float16  # a cpu copy keeps its dtype


@requires_webgpu
def test_webgpu_autocast_without_shader_f16_warns_and_stays_float32(monkeypatch):
    monkeypatch.setattr(pyfront.webgpu._backend(), "has_f16", False)
    x = pyfront.ones(2, 2, device="webgpu")
    with pytest.warns(UserWarning, match="no 'shader-f16' feature, so autocast runs in float32"):
        with pyfront.autocast("webgpu"):
            assert pyfront.mm(x, x).dtype == pyfront.float32
            assert not pyfront.is_autocast_enabled("webgpu")


@requires_webgpu
def test_autocast_cuda_is_webgpu_under_cuda_as():
    pyfront.cuda.map_to_webgpu(True)
    try:
        x = pyfront.ones(2, 2).cuda()
        assert x.is_cuda and x.device == pyfront.device("cuda:0") and not pyfront.ones(1).is_cuda
        with pyfront.autocast("cuda"):
            assert pyfront.is_autocast_enabled() and pyfront.get_autocast_dtype("cuda") == pyfront.float16
            assert (x @ x).dtype == pyfront.float16
        scaler = pyfront.amp.GradScaler("cuda")  # cuda is available now: no warning, enabled
        assert scaler.is_enabled()
    finally:
        pyfront.cuda.map_to_webgpu(False)
    assert pyfront.device("cuda").type == "cuda" and not x.is_cuda

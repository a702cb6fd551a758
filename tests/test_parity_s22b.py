"""Differences from torch 2.13 found by real use, tested by kind (second round): the user's storage surface
(``untyped_storage()``), a bool where a method's int goes, ..."""
from __future__ import annotations

import warnings

import pytest
import torch

import pyfront
from optable import torch_text
from webgpu_required import requires_webgpu


def _outcome(call, lib, device):
    try:
        r = call(lib, device)
        if isinstance(r, tuple) and all(hasattr(t, "tolist") for t in r):  # split's pieces (not their device)
            r = [t.tolist() for t in r]
        return "ok", repr(r.tolist() if hasattr(r, "tolist") else r)  # repr: NaN equals NaN
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return type(e).__name__, torch_text(e)


def _compare(cases, device="cpu"):
    """``cases``: name -> a function of (library, device); each outcome (result or error) must be torch's
    on cpu (the oracle has no webgpu: a case returns what does not name the device)."""
    wrong = []
    for name, call in cases.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected, got = _outcome(call, torch, "cpu"), _outcome(call, pyfront, device)
        if got != expected:
            wrong.append(f"{name}: {got} where torch {expected}")
    assert not wrong, "\n".join(wrong)


# -- untyped_storage(): torch's UntypedStorage (methods, not the backend's attributes) ---------------------
def _x(lib, device):
    return lib.arange(6.0, device=device).reshape(2, 3)


def _on(make):
    """A case of the storage of ``make(lib, device)``'s tensor: ``check(lib, device, x, storage)``."""
    return lambda check: lambda lib, d: (lambda x: check(lib, d, x, x.untyped_storage()))(make(lib, d))


_floats, _ints = _on(_x), _on(lambda lib, d: lib.tensor([3, -2, 5], device=d))
_bools = _on(lambda lib, d: lib.tensor([True, False, True], device=d))
_shorts = _on(lambda lib, d: lib.tensor([258, -1], dtype=lib.int16, device=d))

_STORAGE = {
    "one object for every view": _floats(lambda lib, d, x, s: s is x[1:].untyped_storage()),
    "data_ptr shared by views": _floats(lambda lib, d, x, s: (
        s.data_ptr() == x[1:].untyped_storage().data_ptr(), x[1:].data_ptr() - s.data_ptr(),
        x.clone().untyped_storage().data_ptr() == s.data_ptr())),
    "sizes": _floats(lambda lib, d, x, s: (s.nbytes(), s.size(), len(s), s.element_size(), s.is_cuda,
                                           s.is_sparse, type(s).__name__)),
    "bytes": _on(lambda lib, d: lib.tensor([1.5, -2.0], device=d))(
        lambda lib, d, x, s: (s.tolist(), list(s), s[5], s[-1])),
    "int16 bytes": _shorts(lambda lib, d, x, s: (s.nbytes(), s.tolist(), x.storage().tolist())),
    "int64 bytes": _ints(lambda lib, d, x, s: (s.nbytes(), s.tolist(), x.storage().size(),
                                               x.storage().tolist())),
    "bool bytes": _bools(lambda lib, d, x, s: (s.nbytes(), s.tolist(), x.storage().size())),
    "repr": _on(lambda lib, d: lib.tensor([1, 200], dtype=lib.uint8, device=d).cpu())(
        lambda lib, d, x, s: repr(s)),
    "empty repr": _on(lambda lib, d: lib.zeros(0))(lambda lib, d, x, s: str(s)),
    "typed agrees": _floats(lambda lib, d, x, s: (x.storage().untyped() is s,
                                                  x.storage().data_ptr() == s.data_ptr(),
                                                  x.storage().nbytes(), x.storage().size())),
    "is_storage": _floats(lambda lib, d, x, s: (lib.is_storage(s), lib.is_storage(x.storage()),
                                                lib.is_storage(x))),
    "set_ from it": _floats(lambda lib, d, x, s: lib.empty(0, device=d).set_(s, 1, (2,))),
    "set_ int64": _ints(lambda lib, d, x, s: lib.empty(0, dtype=lib.int64, device=d).set_(s)),
    "set_ from typed": _floats(lambda lib, d, x, s: lib.empty(0, device=d).set_(x.storage())),
    "writes seen": _floats(lambda lib, d, x, s: (lib.empty(0, device=d).set_(s).fill_(7), x)[1]),
}


def _storage_of_another_dtype_is_refused(device):
    # torch reinterprets the bytes: so does pyfront (a storage over the same memory, as view(dtype)), but
    # where webgpu keeps the dtype in 32-bit lanes (int64 here), whose bytes are not torch's: refused (its
    # lanes read as the new dtype's had given other values, silently)
    x = pyfront.tensor([3, -2, 5], device=device)
    if device == "webgpu":
        with pytest.raises(TypeError, match="pyfront keeps int64 in 32-bit lanes on webgpu"):
            pyfront.empty(0, device=device).set_(x.untyped_storage())
        return
    got = pyfront.empty(0, device=device).set_(x.untyped_storage())
    want = torch.empty(0).set_(torch.tensor([3, -2, 5]).untyped_storage())
    assert got.view(pyfront.int32).tolist() == want.view(torch.int32).tolist()  # (bits: -2's read as a NaN)


def test_untyped_storage_is_torch_untyped_storage():
    _compare(_STORAGE)
    _storage_of_another_dtype_is_refused("cpu")


@requires_webgpu
def test_untyped_storage_is_torch_untyped_storage_on_webgpu():
    _compare(_STORAGE, "webgpu")
    _storage_of_another_dtype_is_refused("webgpu")


# -- nll_loss / cross_entropy: torch's IndexError for a bad target, one read-back per step on webgpu ---------
def _loss(name, target, **kw):
    def run(lib, d):
        x = lib.arange(12.0, device=d).reshape(4, 3).sin().log_softmax(1)
        given = {k: lib.tensor(v, device=d) if k == "weight" else v for k, v in kw.items()}
        out = getattr(lib.nn.functional, name)(x, lib.tensor(target, device=d), **given)
        return [round(v, 5) for v in out.reshape(-1).tolist()]  # the errors are tested, not the last bits
    return run


_TARGETS = {f"{name} {target} {kw}": _loss(name, target, **kw)
            for name in ("nll_loss", "cross_entropy")
            for target in ([0, 2, 1, 0], [0, 3, 1, 0], [-1, 0, 0, 0], [0, -100, 7, 1], [-100] * 4)
            for kw in ({}, {"weight": [1.0, 2.0, 0.5]}, {"ignore_index": 7}, {"reduction": "none"},
                       {"label_smoothing": 0.2}) if name == "cross_entropy" or "label_smoothing" not in kw}


def test_a_bad_target_raises_as_torch():
    _compare(_TARGETS)


@requires_webgpu
def test_a_bad_target_raises_as_torch_on_webgpu_with_one_read_back_per_step(monkeypatch):
    _compare(_TARGETS, "webgpu")
    rt = pyfront.webgpu._backend().runtime
    reads, read = [], rt.driver.read_buffer
    monkeypatch.setattr(rt.driver, "read_buffer", lambda *a: reads.append(1) or read(*a))
    F, lin = pyfront.nn.functional, pyfront.nn.Linear(8, 5).to("webgpu")
    x = pyfront.randn(16, 8, device="webgpu")
    for kw in ({}, {"weight": pyfront.ones(5, device="webgpu")}, {"label_smoothing": 0.1}):
        y = pyfront.randint(0, 5, (16,), device="webgpu")  # a fresh target each step, as a loader gives
        reads.clear()
        F.cross_entropy(lin(x), y, **kw).backward()
        assert len(reads) == 1, kw  # the target's bounds check only (gather and indexing checked it again)


# -- an int list as torch's parser reads it: the first element's type is checked, a bool after it is 0 or 1,
# anything else after it fails to unpack; methods torch has no function of parse their own ints ---------
def _ints(f):
    return lambda lib, d: f(lib, lib.tensor([1.0, 2.0, 4.0], device=d))


_INT_LISTS = {k: _ints(f) for k, f in {
    "repeat(True)": lambda L, x: x.repeat(True), "repeat((True,))": lambda L, x: x.repeat((True,)),
    "repeat(2, True)": lambda L, x: x.repeat(2, True), "repeat(2, 1.5)": lambda L, x: x.repeat(2, 1.5),
    "tile((2, True))": lambda L, x: x.tile((2, True)),
    "unfold dim": lambda L, x: x.unfold(True, 1, 1), "unfold size": lambda L, x: x.unfold(0, True, 1),
    "unfold step": lambda L, x: x.unfold(0, 1, True), "unfold 1.5": lambda L, x: x.unfold(0, 1.5, 1),
    "split(True)": lambda L, x: x.split(True), "split(1, True)": lambda L, x: x.split(1, True),
    "split([True, 2])": lambda L, x: x.split([True, 2]), "split([2, True])": lambda L, x: x.split([2, True]),
    "split(1.5)": lambda L, x: x.split(1.5), "torch.split": lambda L, x: L.split(x, [True, 2]),
    "size(True)": lambda L, x: x.size(True), "stride(True)": lambda L, x: x.stride(True),
    "size(1.5)": lambda L, x: x.size(1.5), "size(-1)": lambda L, x: x.size(-1),
    "view(-1, True)": lambda L, x: x.view(-1, True), "view(3, 'a')": lambda L, x: x.view(3, "a"),
    "reshape((3, True))": lambda L, x: x.reshape((3, True)),
    "expand(3, True)": lambda L, x: x.view(3, 1).expand(3, True),
    "permute(0, True)": lambda L, x: x.view(3, 1).permute(0, True),
    "permute((0, None))": lambda L, x: x.view(3, 1).permute((0, None)),
    "as_strided": lambda L, x: x.as_strided((3, True), (1, True)),
    "unflatten": lambda L, x: x.unflatten(0, (3, True)),
    "zeros(2, True)": lambda L, x: L.zeros(2, True, device=x.device),
    "zeros((True, 2))": lambda L, x: L.zeros((True, 2)),
    "zeros(2, 1.5)": lambda L, x: L.zeros(2, 1.5), "new_zeros(2, True)": lambda L, x: x.new_zeros(2, True),
    "new_full((2, True))": lambda L, x: x.new_full((2, True), 1.0),
    "resize_(3, True)": lambda L, x: x.clone().resize_(3, True).shape,
    "resize_(True)": lambda L, x: x.resize_(True),
    "resize_((True,))": lambda L, x: x.resize_((True,)), "resize_(2, 1.5)": lambda L, x: x.resize_(2, 1.5),
    "flip((0, True))": lambda L, x: x.view(3, 1).flip((0, True)),
    "flip((True, 0))": lambda L, x: x.view(3, 1).flip((True, 0)),
    "sum((0, True))": lambda L, x: x.view(3, 1).sum((0, True)),
    "amax((0, True))": lambda L, x: x.view(3, 1).amax((0, True)),
    "squeeze((0, True))": lambda L, x: x.view(1, 1, 3).squeeze((0, True)),
    "movedim((0, True))": lambda L, x: x.view(3, 1).movedim((0, True), (1, 0)),
    "roll dims": lambda L, x: x.view(3, 1).roll((1, 1), (0, True)), "roll(True)": lambda L, x: x.roll(True),
    "roll shifts": lambda L, x: x.view(3, 1).roll((1, True), (0, 1)),
}.items()}


def test_an_int_list_is_parsed_as_torch():
    _compare(_INT_LISTS)


@requires_webgpu
def test_an_int_list_is_parsed_as_torch_on_webgpu():
    _compare(_INT_LISTS, "webgpu")


# -- forward mode through a user's autograd.Function: torch runs its jvp, and refuses one without --------
def _functions(lib):
    class Ctx(lib.autograd.Function):  # forward(ctx, ...): no setup_context, no jvp
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    class Setup(lib.autograd.Function):  # setup_context, no jvp
        @staticmethod
        def forward(x):
            return x * x

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(inputs[0])
            ctx.x = inputs[0]  # jvp cannot read saved_tensors (torch saves them for backward)

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    class WithJvp(Setup):
        @staticmethod
        def jvp(ctx, t):
            return 2 * ctx.x * t

    return Ctx, Setup, WithJvp


def _forward(kind, which):
    def run(lib, d):
        fn = _functions(lib)[which].apply
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, device=d, requires_grad=True)
        if kind == "gradcheck":
            return lib.autograd.gradcheck(fn, (x,), check_forward_ad=True)
        if kind == "func.jvp":
            return lib.func.jvp(fn, (x.detach(),), (lib.ones_like(x),))[1]
        if kind == "functional.jvp":  # reverse mode twice in torch too: no jvp needed
            return lib.autograd.functional.jvp(fn, (x,), (lib.ones_like(x),))[1]
        return fn(x).sum().backward()
    return run


_FORWARD = {f"{kind} {which}": _forward(kind, which)
            for kind in ("gradcheck", "func.jvp", "functional.jvp", "backward") for which in range(3)}


def test_forward_mode_through_a_custom_function_as_torch():
    _compare(_FORWARD)


# -- gradients at NaN as torch's CPU kernels: NaN in their vectors (elu's family and hardswish take two
# 64-byte vectors at once), the gradient passed in their scalar tail ------------------------------------
_AT_NAN = {"elu": lambda F, x: F.elu(x), "elu(2)": lambda F, x: F.elu(x, 2.0), "celu": lambda F, x: F.celu(x),
           "selu": lambda F, x: F.selu(x), "hardswish": lambda F, x: F.hardswish(x)}


def _at_nan(lib, f, dtype, device, n):
    x = lib.full((n,), 0.25, dtype=getattr(lib, dtype), device=device)
    x[0], x[-1], x[n // 2] = float("nan"), float("nan"), -0.0
    x.requires_grad_()
    y = f(lib.nn.functional, x)
    y.backward(lib.ones_like(y))
    return repr((x.grad[0].item(), x.grad[-1].item(), y[n // 2].item(), x.grad[n // 2].item()))


def _nan_gradients(device, dtypes):
    wrong = [f"{name} {dtype} n={n}" for name, f in _AT_NAN.items() for dtype in dtypes
             for n in (3, 16, 17, 32, 33)
             if _at_nan(torch, f, dtype, "cpu", n) != _at_nan(pyfront, f, dtype, device, n)]
    assert not wrong, wrong


def test_gradients_at_nan_as_torch_vectors_and_tail():
    _nan_gradients("cpu", ("float32", "float64"))


@requires_webgpu
def test_gradients_at_nan_as_torch_vectors_and_tail_on_webgpu():
    _nan_gradients("webgpu", ("float32",))

"""Differences from torch 2.13 found by real use, tested by kind: a bool where torch's int goes, a bool
alpha, compile backends torch does not know."""
from __future__ import annotations

import warnings

import numpy as np
import torch

import pyfront
from optable import torch_text
from webgpu_required import requires_webgpu


def _outcome(call, lib):
    try:
        r = call(lib)
        return "ok", (r.tolist() if hasattr(r, "tolist") else None), str(getattr(r, "dtype", ""))[6:]
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return type(e).__name__, torch_text(e)


def _compare(cases):
    """``cases``: name -> a function of the library; each outcome (result or error) must be torch's."""
    wrong = []
    for name, call in cases.items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected, got = _outcome(call, torch), _outcome(call, pyfront)
        if got != expected:
            wrong.append(f"{name}: {got} where torch {expected}")
    assert not wrong, "\n".join(wrong)


def _x(lib):
    return lib.tensor([1.0, 2.0, 4.0])


# a bool where a method's int (not a dim) goes: torch's parser refuses it, pyfront read it as 1 or 0
# (methods torch has no function of, repeat, unfold, split, view, size, stride, are not in the table)
_BOOL_INTS = {
    "diff": lambda x: x.diff(True), "diff n=": lambda x: x.diff(n=True),
    "diag_embed": lambda x: x.diag_embed(True),
    "topk": lambda x: x.topk(True), "kthvalue": lambda x: x.kthvalue(True), "chunk": lambda x: x.chunk(True),
    "tril": lambda x: x.reshape(1, 3).tril(True), "triu": lambda x: x.reshape(1, 3).triu(True),
    "narrow": lambda x: x.narrow(0, True, 1), "narrow length": lambda x: x.narrow(0, 0, True),
    "select": lambda x: x.select(0, True), "diagonal": lambda x: x.reshape(1, 3).diagonal(True),
    "tensor_split": lambda x: x.tensor_split(True), "repeat_interleave": lambda x: x.repeat_interleave(True),
    "rot90": lambda x: x.reshape(1, 3).rot90(True), "mvlgamma": lambda x: (x + 3).mvlgamma(True),
    "polygamma": lambda x: x.polygamma(True), "round": lambda x: x.round(decimals=True),
    "bincount": lambda x: x.long().bincount(None, True), "movedim": lambda x: x.movedim(True, 0),
    "flatten": lambda x: x.flatten(True), "std": lambda x: x.std(True).item() > 1.5,
    "topk 1": lambda x: x.topk(1),
    "narrow ok": lambda x: x.narrow(0, 1, 2), "select ok": lambda x: x.select(0, 1),
    "chunk ok": lambda x: x.chunk(2), "diff ok": lambda x: x.diff(1),
    "round ok": lambda x: x.round(decimals=1),
}


def test_a_bool_where_torch_takes_an_int_is_refused_as_torch():
    _compare({k: lambda lib, f=f: f(_x(lib)) for k, f in _BOOL_INTS.items()})


def test_alpha_is_checked_as_torch():
    """torch's alpha_check: a bool alpha (also a 0-d bool tensor) scales a bool result only, a float one
    a float result only; over add, sub, rsub, add_, sub_ and the dtypes."""
    def call(op, kind, alpha):
        def run(lib):
            t = {"f": _x(lib), "i": lib.tensor([1, 2]), "b": lib.tensor([True, False])}[kind]
            a = alpha(lib) if callable(alpha) else alpha
            return getattr(t.clone(), op)(t, alpha=a) if op.endswith("_") else getattr(lib, op)(t, t, alpha=a)
        return run
    alphas = {"True": True, "False": False, "2": 2, "2.5": 2.5, "np.True_": np.bool_(True),
              "tensor(True)": lambda lib: lib.tensor(True), "tensor(2)": lambda lib: lib.tensor(2)}
    _compare({f"{op} {kind} alpha={name}": call(op, kind, a) for op in ("add", "sub", "rsub", "add_", "sub_")
              for kind in "fib" for name, a in alphas.items()})


def test_compile_refuses_a_backend_torch_does_not_know():
    def model(lib):
        return lib.nn.Linear(2, 2)
    _compare({
        "module": lambda lib: lib.compile(model(lib), backend="nonexistent"),
        "function": lambda lib: lib.compile(lambda a: a, backend="nonexistent"),
        "disabled": lambda lib: lib.compile(lambda a: a, backend="nonexistent", disable=True),
        "not callable": lambda lib: lib.compile(3, backend="nonexistent"),
        "decorator": lambda lib: lib.compile(backend="nonexistent")(lambda a: a),
        "decorator made": lambda lib: lib.compile(backend="nonexistent") and None,
        "optimize": lambda lib: lib._dynamo.optimize("nonexistent"),
        "eager": lambda lib: lib.compile(lambda a: a, backend="eager")(_x(lib)),
        "aot_eager": lambda lib: lib.compile(model(lib), backend="aot_eager") and None,
        "callable": lambda lib: lib.compile(lambda a: a, backend=lambda gm, ex: gm)(_x(lib)),
    })
    try:
        pyfront.compile(lambda a: a, backend="nonexistent")
    except RuntimeError as e:
        assert type(e).__name__ == "InvalidBackend" and type(e).__module__ == "pyfront._dynamo.exc"


# -- the clamp family's gradients at NaN, the infinities and their bounds ---------------------------------
# torch's CPU kernels compute whole 64-byte vectors one way and a tensor's last elements (its scalar tail)
# another: hardtanh's and the shrinks' gradient at NaN is 0 in the vectors and passes in the tail. Each
# value sits in a vector (position 0) and in the tail (the last position) of a 17-long tensor, and alone
_SPECIAL = [float("nan"), float("inf"), -float("inf"), -1.0, 0.0, -0.0, 1.0, 6.0, -3.0, 3.0, 0.5, -0.5, 2.0]
_CLAMPS = {
    "relu6": lambda F, x: F.relu6(x), "hardtanh": lambda F, x: F.hardtanh(x),
    "hardtanh(-2,2)": lambda F, x: F.hardtanh(x, -2.0, 2.0), "hardsigmoid": lambda F, x: F.hardsigmoid(x),
    "hardshrink": lambda F, x: F.hardshrink(x), "softshrink(1)": lambda F, x: F.softshrink(x, 1.0),
    "clamp(-1,1)": lambda F, x: x.clamp(-1, 1), "clamp(min=0)": lambda F, x: x.clamp(min=0),
    "clip(max=0.5)": lambda F, x: x.clip(max=0.5), "relu": lambda F, x: F.relu(x),
    "threshold": lambda F, x: F.threshold(x, 1.0, 0.0), "leaky_relu": lambda F, x: F.leaky_relu(x),
}


def _grads(lib, f, dtype, device, n):
    out = []
    for v in _SPECIAL:
        x = lib.full((n,), 0.25, dtype=getattr(lib, dtype), device=device)
        x[0], x[-1] = v, v
        x.requires_grad_()
        y = f(lib.nn.functional, x)
        y.backward(lib.ones_like(y))
        out.append((y[0].item(), y[-1].item(), x.grad[0].item(), x.grad[-1].item()))
    return repr(out)  # (repr: NaN equals NaN, and -0.0 is not 0.0)


def _clamp_family(device, dtypes):
    wrong = [f"{name} {dtype} n={n}" for name, f in _CLAMPS.items() for dtype in dtypes for n in (1, 17, 64)
             if _grads(torch, f, dtype, "cpu", n) != _grads(pyfront, f, dtype, device, n)]
    assert not wrong, wrong


def test_clamp_family_gradients_at_special_values_as_torch():
    _clamp_family("cpu", ("float32", "float64"))


@requires_webgpu
def test_clamp_family_gradients_at_special_values_as_torch_on_webgpu():
    _clamp_family("webgpu", ("float32",))


# -- keywords and methods torch has ------------------------------------------------------------------------
def test_load_mmap_as_torch(tmp_path):
    """mmap=True: a zip checkpoint's tensors from a path (str or PathLike); torch's ValueError for a file
    object and its RuntimeError for a legacy checkpoint (torch writes one for pyfront to read)."""
    import io
    import pathlib
    zipped, legacy = tmp_path / "zip.pt", tmp_path / "legacy.pt"
    torch.save({"a": torch.arange(4.0)}, zipped)
    torch.save({"a": torch.arange(4.0)}, legacy, _use_new_zipfile_serialization=False)

    def run(lib, how, path, mmap=True):
        f = {"str": str(path), "path": pathlib.Path(path), "bytes": io.BytesIO(path.read_bytes())}[how]
        return lib.load(f, mmap=mmap)["a"]
    _compare({f"{how} {path.name} mmap={m}": (lambda lib, h=how, p=path, m=m: run(lib, h, p, m))
              for how in ("str", "path", "bytes") for path in (zipped, legacy) for m in (True, False, None)})


def test_gradcheck_keywords_as_torch():
    def x(lib):
        return lib.tensor([0.3, -0.7, 1.2], dtype=lib.float64, requires_grad=True)

    def check(name="gradcheck", f=lambda a: a.sin() * a, **kw):
        return lambda lib: getattr(lib.autograd, name)(f, (x(lib),), **kw)
    _compare({
        "forward": check(check_forward_ad=True), "forward only": check(check_forward_ad=True,
                                                                        check_backward_ad=False),
        "neither": check(check_backward_ad=False), "batched": check(check_batched_grad=True, masked=None),
        "undefined": check(check_undefined_grad=False, check_batched_forward_grad=False),
        "gradgrad fwd over rev": check("gradgradcheck", check_fwd_over_rev=True, masked=False),
        "gradgrad neither": check("gradgradcheck", check_rev_over_rev=False),
        "gradgrad batched": check("gradgradcheck", check_batched_grad=True, gen_non_contig_grad_outputs=True),
        "wrong forward": check(f=lambda a: a.abs() if a.requires_grad else a, check_forward_ad=True,
                               raise_exception=False),
    })


def test_is_set_to_and_custom_op_overloads_as_torch():
    def views(lib):
        x = lib.arange(4.0)
        y = lib.empty(0)
        y.set_(x)
        return [x.is_set_to(x[:]), x.view(4).is_set_to(x), x.reshape(1, 4).is_set_to(x),
                x.is_set_to(x.clone()), x[1:].is_set_to(x), y.is_set_to(x),
                lib.empty(0).is_set_to(lib.empty(0))]

    def overloads(lib):
        ns = f"s22_{lib.__name__}"
        lib.library.custom_op(f"{ns}::f", lambda a: a * 2, mutates_args=(), schema="(Tensor a) -> Tensor")
        packet = getattr(lib.ops, ns).f
        lib.library.register_autograd(packet.default, lambda ctx, g: g * 3)
        a = lib.ones(2, requires_grad=True)
        y = packet.default(a)
        y.sum().backward()
        return (repr(packet).replace(ns, "ns"), repr(packet.default).replace(ns, "ns"), packet.overloads(),
                packet(a).tolist(), a.grad.tolist(), type(y.grad_fn).__name__.replace(ns, "ns"))
    _compare({"is_set_to": views, "is_set_to(3)": lambda lib: lib.arange(2.0).is_set_to(3),
              "ops overloads": overloads})


def test_tensor_storage_is_torch_typed_storage():
    def typed(lib):
        x = lib.tensor([0.1, 1.0, 2.0, 3.0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            s = x[1:3].storage()
            others = [repr(lib.tensor([True, False]).storage()), repr(lib.empty(0).storage()),
                      repr(lib.tensor([1, 2]).storage())]
        before = [repr(s), s.size(), len(s), str(s.dtype), str(s.device), s.nbytes(), s.element_size(), s[1],
                  s.tolist(), list(s), s.is_shared(), s.untyped() is x.untyped_storage(), s.is_cuda, *others]
        s[0] = 5
        return before, x.tolist()

    def slice_(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return lib.arange(3.0).storage()[0:2]
    _compare({"typed storage": typed, "a slice": slice_})


def test_legacy_save_format_round_trips_with_torch(tmp_path):
    """torch.save(..., _use_new_zipfile_serialization=False): torch reads pyfront's legacy file (values,
    dtypes, views, a storage shared by two tensors) and pyfront torch's, each as the other wrote them."""
    def state(lib):
        w = lib.arange(6.0).reshape(2, 3)
        return {"w": w, "row": w[1], "b": lib.tensor([True, False]), "i": lib.arange(12)[::2],
                "h": lib.ones(3, dtype=lib.float16), "d": lib.tensor([0.1], dtype=lib.float64), "n": [1, "x"]}

    def seen(sd):
        return {k: (v.tolist(), str(v.dtype)[6:], v.storage_offset(), v.stride())
                if hasattr(v, "tolist") else v for k, v in sd.items()}
    for writer, reader in ((pyfront, torch), (torch, pyfront)):
        path = tmp_path / f"{writer.__name__}.pt"
        writer.save(state(writer), path, _use_new_zipfile_serialization=False)
        assert path.read_bytes()[:2] == b"\x80\x02"  # a pickle, not a zip archive
        loaded = reader.load(path)
        assert seen(loaded) == seen(state(torch))
        loaded["row"][0] = 99.0  # one storage: the write shows in the tensor it was saved a view of
        assert loaded["w"][1, 0].item() == 99.0

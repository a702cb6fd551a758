"""Tensor.view(dtype) and the views that share their base's version counter, against torch 2.13.

view(dtype) reads a tensor's bits as another dtype (every pair of dtypes, every geometry torch allows, its
exact errors otherwise), over the same memory both ways and with one version counter; every view-making
function (``.real``, ``view_as_real``, ``unfold``, ``as_strided``, ...) shares its base's counter.
"""
import numpy as np
import pytest
import torch

import pyfront
from pyfront.backends import get_backend
from webgpu_required import requires_webgpu

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64",
          "complex64", "complex128"]


def _bits(t):
    """The bytes a pyfront tensor reads, in order (read from the cpu backend's array: no view(dtype))."""
    t = t.cpu().contiguous()
    return np.ascontiguousarray(get_backend(t.device).array(t._layout)).view(np.uint8).reshape(-1).tobytes()


def _torch_bits(t):
    return t.contiguous().view(-1).view(torch.uint8).numpy().tobytes() if t.dim() else \
        t.reshape(1).view(torch.uint8).numpy().tobytes()


def _pair(raw, shape, dtype):
    """The same bytes as a torch and a pyfront tensor of ``dtype`` and ``shape`` (through uint8)."""
    tt = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(getattr(torch, dtype)).reshape(shape)
    pt = pyfront.tensor(list(raw), dtype=pyfront.uint8).view(getattr(pyfront, dtype)).reshape(shape)
    return tt, pt


def _same_view(tv, pv):
    assert str(pv.dtype) == str(tv.dtype)
    assert tuple(pv.shape) == tuple(tv.shape)
    assert pv.stride() == tv.stride() and pv.storage_offset() == tv.storage_offset()
    if tv.dtype is torch.bool and not tv.is_contiguous():  # torch's copy makes any nonzero byte 1
        assert pv.tolist() == tv.tolist()
    else:
        assert _bits(pv) == _torch_bits(tv)


@pytest.mark.parametrize("src", DTYPES)
def test_every_pair_of_dtypes_reads_the_same_bits(src):
    raw = np.random.default_rng(1).integers(0, 256, 64, dtype=np.uint8).tobytes()
    size = getattr(torch, src).itemsize
    tt, pt = _pair(raw, (2, 32 // size), src)
    for dst in DTYPES:
        tv, pv = tt.view(getattr(torch, dst)), pt.view(getattr(pyfront, dst))
        _same_view(tv, pv)
        assert not pv.requires_grad and pv.grad_fn is None and not pv._is_view() and pv is not pt


def _geometries(lib):
    b = lib.arange(96, dtype=lib.float32)
    return [b.reshape(4, 24).t(), b.reshape(8, 12)[:, :3], b.reshape(8, 12)[:, 1:3], b.reshape(8, 12)[1:, 2:],
            b.as_strided((3, 2), (3, 1), 2), b.as_strided((3, 4), (4, 2), 1), b.as_strided((4, 2), (1, 3), 0),
            b.as_strided((2, 2, 2), (3, 5, 1), 0), b.as_strided((4, 0), (1, 3), 0),
            b.as_strided((0, 2), (3, 1), 1), b.as_strided((1, 2), (3, 1), 0), b.as_strided((4, 1), (1, 3), 0),
            b[:1].expand(3, 4)[:, :2],
            b.reshape(8, 1, 12)[:, :, :4], b[5], b[2:10], b.reshape(4, 24)[:, ::2], b.reshape(2, 6, 8)[1]]


@pytest.mark.parametrize("to", ["float64", "complex128", "float16", "int8", "int32", "bool"])
def test_geometries_and_errors_as_torch(to):
    for tx, px in zip(_geometries(torch), _geometries(pyfront)):
        try:
            tv = tx.view(getattr(torch, to))
        except RuntimeError as e:
            with pytest.raises(RuntimeError) as got:
                px.view(getattr(pyfront, to))
            assert str(got.value) == str(e)
            continue
        _same_view(tv, px.view(getattr(pyfront, to)))


def test_writes_go_through_both_ways_and_one_version_counter_counts_them():
    for lib in (torch, pyfront):
        x = lib.tensor([[1.5, -2.0, 0.25, 3.0]])
        y = x.view(lib.int32)
        h = x.view(lib.float16)
        y[0, 1] = 1078530011  # float32 pi's bits
        x.mul_(2)
        h[0, 0] = 1.0
        w = x.view(lib.complex64)
        w.mul_(1j)
        record = (x.tolist(), y.tolist(), h.tolist(), w.tolist(), x._version, y._version, h._version,
                  w._version, y.view(lib.uint8).sum().item())
        if lib is torch:
            expected = record
    assert record == expected


def test_no_history_and_the_saved_tensor_check_sees_a_write_through_it():
    for lib in (torch, pyfront):
        x = lib.tensor([0.5, 1.0], requires_grad=True)
        y = x.view(lib.float32)
        assert not y.requires_grad and y.grad_fn is None and y._base is None
        x.view(lib.int32).add_(0)  # a leaf that requires grad may be written through it, as torch's
        w = x * 1
        s = w.sin()
        w.view(lib.int32).add_(1)
        with pytest.raises(RuntimeError) as got:
            s.sum().backward()
        if lib is torch:
            expected = str(got.value).replace("torch.", "")
    assert str(got.value).replace("torch.", "").replace("pyfront.", "") == expected


def test_bad_calls_as_torch():
    for lib in (torch, pyfront):
        errors = []
        for x, dtype in ((lib.tensor(1.0), lib.float16), (lib.tensor(1.0), lib.int64),
                         (lib.tensor(3, dtype=lib.int8), lib.bool)):
            try:
                errors.append(x.view(dtype).tolist())
            except RuntimeError as e:
                errors.append(str(e))
        if lib is torch:
            expected = errors
    assert errors == expected


def test_bit_patterns_survive_save_and_load(tmp_path):
    bits = [0x7FC00001, -1, 0x00000001, 0x7F800000, -8388608]  # NaN payload, -NaN, subnormal, inf, -inf
    f = pyfront.tensor(bits, dtype=pyfront.int32).view(pyfront.float32)
    pyfront.save({"f": f, "h": f.view(pyfront.float16)}, tmp_path / "p.pt")
    back = torch.load(tmp_path / "p.pt")
    assert back["f"].view(torch.int32).tolist() == bits
    halves = torch.tensor(bits, dtype=torch.int32).view(torch.int16)
    assert back["h"].view(torch.int16).tolist() == halves.tolist()
    torch.save(torch.tensor(bits, dtype=torch.int32).view(torch.float32), tmp_path / "t.pt")
    assert pyfront.load(tmp_path / "t.pt").view(pyfront.int32).tolist() == bits


@requires_webgpu
def test_webgpu_views_between_true_bit_dtypes_and_refuses_the_rest():
    bits = [0x7FC00001, 0x3F800000, -1082130432, 0x00000001]
    x = pyfront.tensor(bits, dtype=pyfront.int32, device="webgpu")
    f = x.view(pyfront.float32)
    tf = torch.tensor(bits, dtype=torch.int32).view(torch.float32)
    assert f.device.type == "webgpu" and _bits(f) == _torch_bits(tf)
    f[1] = 2.0
    tf[1] = 2.0
    (f * 1).sum()  # a fused chain over it before the next write
    x.add_(1)
    tf.view(torch.int32).add_(1)
    assert _bits(f) == _torch_bits(tf) and f._version == tf._version
    assert pyfront.webgpu.is_available()
    if get_backend(f.device).has_f16:
        assert _bits(f.view(pyfront.float16)) == _torch_bits(tf.view(torch.float16))
    pending = pyfront.ones(4, device="webgpu") * 3  # a result fusion has not computed: its bits, not values
    assert pending.view(pyfront.int32).tolist() == torch.full((4,), 3.0).view(torch.int32).tolist()
    with pytest.raises(TypeError, match="WGSL has no 64-bit floats"):
        f.view(pyfront.float64)
    with pytest.raises(TypeError, match="WGSL has no complex numbers"):
        f.view(pyfront.complex64)
    with pytest.raises(TypeError, match="pyfront keeps int64 in 32-bit lanes on webgpu"):
        pyfront.zeros(2, dtype=pyfront.int64, device="webgpu").view(pyfront.int32)
    for dtype in (pyfront.bool, pyfront.uint8, pyfront.int16):
        with pytest.raises(TypeError, match="32-bit lanes on webgpu"):
            f.view(dtype)


def _lib_of(x):
    return torch if isinstance(x, torch.Tensor) else pyfront


VIEWS = {
    "view": ("r", lambda x: x.view(4, 3)), "reshape": ("r", lambda x: x.reshape(-1)),
    "flatten": ("r", lambda x: x.flatten()), "unflatten": ("r", lambda x: x.unflatten(1, (2, 2))),
    "permute": ("r", lambda x: x.permute(1, 0)), "transpose": ("r", lambda x: x.transpose(0, 1)),
    "t": ("r", lambda x: x.t()), "T": ("r", lambda x: x.T), "mT": ("r", lambda x: x.mT),
    "movedim": ("r", lambda x: x.movedim(0, 1)), "expand": ("r", lambda x: x[:1].expand(2, 4)),
    "squeeze": ("r", lambda x: x[None].squeeze(0)), "unsqueeze": ("r", lambda x: x.unsqueeze(0)),
    "narrow": ("r", lambda x: x.narrow(1, 1, 2)), "select": ("r", lambda x: x.select(0, 1)),
    "diagonal": ("r", lambda x: x.diagonal()), "unbind": ("r", lambda x: x.unbind(0)[1]),
    "split": ("r", lambda x: x.split(1)[0]), "chunk": ("r", lambda x: x.chunk(2, 1)[1]),
    "unfold": ("r", lambda x: x.unfold(1, 2, 2)),
    "as_strided": ("r", lambda x: x.as_strided((2, 2), (1, 2), 1)),
    "getitem": ("r", lambda x: x[1:, ::2]), "getitem_none": ("r", lambda x: x[None, 0]),
    "detach": ("r", lambda x: x.detach()), "tensor_split": ("r", lambda x: x.tensor_split(2, 1)[0]),
    "view_as": ("r", lambda x: x.view_as(x)), "positive": ("r", lambda x: x.positive()),
    "parameter": ("r", lambda x: _lib_of(x).nn.Parameter(x)),
    "view_int32": ("r", lambda x: x.view(_lib_of(x).int32)),
    "view_float16": ("r", lambda x: x.view(_lib_of(x).float16)),
    "view_float64": ("r", lambda x: x.view(_lib_of(x).float64)),
    "real": ("c", lambda x: x.real), "imag": ("c", lambda x: x.imag),
    "view_as_real": ("c", lambda x: _lib_of(x).view_as_real(x)), "conj": ("c", lambda x: x.conj()),
    "view_as_real_of_conj_resolved": ("c", lambda x: _lib_of(x).view_as_real(x.conj().resolve_conj())),
    "adjoint": ("c", lambda x: x.adjoint()), "mH": ("c", lambda x: x.mH),
    "view_complex_as_float32": ("c", lambda x: x.view(_lib_of(x).float32)),
    "view_as_complex": ("pair", lambda x: _lib_of(x).view_as_complex(x)),
    "view_as_complex_real": ("pair", lambda x: _lib_of(x).view_as_complex(x).real),
}


def _base(lib, kind):
    if kind == "c":
        return lib.tensor([[1 + 2j, 3 - 1j], [0.5j, 2 + 0j]], dtype=lib.complex64)
    if kind == "pair":
        return lib.tensor([[1.0, 2.0], [3.0, 4.0]])
    return lib.arange(12, dtype=lib.float32).reshape(3, 4)


@pytest.mark.parametrize("name", VIEWS)
def test_every_view_shares_its_base_version_counter(name):
    kind, make = VIEWS[name]
    seen = []
    for lib in (torch, pyfront):
        base = _base(lib, kind)
        view = make(base)
        base.mul_(2)
        after_base = (view._version, base._version)
        try:
            view.mul_(2)
            after_view = (view._version, base._version, lib.as_tensor(base).tolist())
        except RuntimeError as e:
            after_view = str(e)
        seen.append((after_base, after_view))
    assert seen[1] == seen[0]

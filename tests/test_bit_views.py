"""Tensor.view(dtype) and the views that share their base's version counter, against torch 2.13.

view(dtype) reads a tensor's bits as another dtype (every pair of dtypes, every geometry torch allows, its
exact errors otherwise), over the same memory both ways and with one version counter; every view-making
function (``.real``, ``view_as_real``, ``unfold``, ``as_strided``, ...) shares its base's counter.
"""
import copy
import pickle

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
        errors.append(lib.ones(2).view(dtype=lib.int32).tolist())
        for args, kwargs in (((lib.int32, 2), {}), ((2,), {"dtype": lib.int32}), ((), {})):
            with pytest.raises(TypeError) as got:
                lib.ones(2).view(*args, **kwargs)
            errors.append(str(got.value))
        if lib is torch:
            expected = errors
    assert errors == expected


def test_bit_patterns_survive_save_and_load(tmp_path):
    bits = [0x7FC00001, -1, 0x00000001, 0x7F800000, -8388608]  # NaN payload, -NaN, subnormal, inf, -inf
    f = pyfront.tensor(bits, dtype=pyfront.int32).view(pyfront.float32)
    pyfront.save(f, tmp_path / "f.pt")
    pyfront.save(f.view(pyfront.float16), tmp_path / "h.pt")  # (one file refuses two dtypes of one memory)
    assert torch.load(tmp_path / "f.pt").view(torch.int32).tolist() == bits
    halves = torch.tensor(bits, dtype=torch.int32).view(torch.int16)
    assert torch.load(tmp_path / "h.pt").view(torch.int16).tolist() == halves.tolist()
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
    # complex64 is held as float32 pairs there: the same bits, viewed both ways
    assert _bits(f.view(pyfront.complex64).view(pyfront.float32)) == _torch_bits(tf)
    pairs = pyfront.view_as_real(pyfront.view_as_complex(f.reshape(-1, 2)))
    assert _bits(pairs.reshape(-1)) == _torch_bits(tf)
    with pytest.raises(TypeError, match="WGSL has no 64-bit floats"):
        f.view(pyfront.complex128)
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
    "set_storage": ("r", lambda x: _lib_of(x).empty(0).set_(x.untyped_storage(), 1, (2, 2))),
    "set_storage_int16": ("r", lambda x: x.new_empty(0, dtype=_lib_of(x).int16).set_(x.untyped_storage())),
    "view_copy_dtype": ("r", lambda x: _lib_of(x).view_copy(x, _lib_of(x).int32)),
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


# -- conj(): torch's lazy conjugate view -------------------------------------------------------------------
def _z(lib, dtype="complex64", requires_grad=False):
    return lib.tensor([[1 + 2j, 3 - 1j, -0.5j], [2.0 + 0j, -1 - 1j, 4j]], dtype=getattr(lib, dtype),
                      requires_grad=requires_grad)


def _rounded(values):
    return [_rounded(v) for v in values] if isinstance(values, list) else round(values, 5)


def _ptr_shared(a, b):
    return a.data_ptr() == b.data_ptr()


READS = {
    "values": lambda lib, c: (c.tolist(), c.is_conj(), c._is_view(), c.dtype is not None),
    "shares": lambda lib, c: (_ptr_shared(c, c._base), c._base.is_conj(), c.storage_offset()),
    "real_imag": lambda lib, c: (c.real.tolist(), c.imag.tolist(), c.imag.is_neg(), c.real.is_neg(),
                                 c.real._is_view(), c.imag._is_view(), c.imag.is_conj()),
    "views_keep_the_bit": lambda lib, c: [v.is_conj() for v in (c[0], c.t(), c.view(3, 2), c.detach(), c.T,
                                                                c.contiguous(), c.expand(2, 2, 3), c[:, 1:])],
    "mH_and_conj_again": lambda lib, c: (c.mH.is_conj(), c.mH.tolist(), c.conj().is_conj(), c.conj().tolist(),
                                         c.adjoint().is_conj(), c.mT.is_conj()),
    "results_are_plain": lambda lib, c: [(t.is_conj(), t.tolist()) for t in (
        c.clone(), c * 1, c + c, c.resolve_conj(), c.conj_physical(), lib.conj_physical(c), c.exp(), c.sum(0),
        c.to(lib.complex128), c @ c.mT, lib.cat([c, c]))],
    "reals_of_it": lambda lib, c: [_rounded(t.tolist()) for t in (
        c.abs(), c.angle(), lib.view_as_real(c.resolve_conj()), c.imag * 2, c.imag.resolve_neg(),
        c.imag.clone())],
    "resolve_is_a_copy": lambda lib, c: (_ptr_shared(c.resolve_conj(), c), c.resolve_conj() is c,
                                         lib.is_conj(c), lib.resolve_conj(c).is_conj()),
    "items": lambda lib, c: (c[0, 0].item(), c[1, 2].item(), c.imag[1, 2].item(), complex(c[1, 1]),
                             c[1].tolist(), str(c[0, :2]), c.imag.resolve_neg().is_neg()),
    "copies": lambda lib, c: [(t.is_conj(), t.is_neg(), t.tolist()) for t in (
        copy.deepcopy(c), pickle.loads(pickle.dumps(c)), pickle.loads(pickle.dumps(c.imag)),
        copy.deepcopy(c.imag))],
}


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("read", READS)
def test_conj_is_a_lazy_view_as_torch(read, dtype):
    seen = []
    for lib in (torch, pyfront):
        z = _z(lib, dtype)
        seen.append(READS[read](lib, z.conj()))
    assert seen[1] == seen[0]


REFUSALS = {
    "view_as_real": lambda lib, c: lib.view_as_real(c),
    "numpy": lambda lib, c: c.numpy(),
    "numpy_of_imag": lambda lib, c: c.imag.numpy(),
    "asarray": lambda lib, c: np.asarray(c),
    "view_dtype": lambda lib, c: c.view(lib.float32),
    "view_dtype_of_imag": lambda lib, c: c.imag.view(lib.int32),
    "view_as_real_of_imag": lambda lib, c: lib.view_as_real(c.imag),
}


@pytest.mark.parametrize("call", REFUSALS)
def test_conj_refusals_as_torch(call):
    seen = []
    for lib in (torch, pyfront):
        with pytest.raises(RuntimeError) as got:
            REFUSALS[call](lib, _z(lib).conj())
        seen.append(str(got.value))
    assert seen[1] == seen[0]
    assert (_z(pyfront).conj().numpy(force=True) == _z(torch).conj().numpy(force=True)).all()


def _idx(lib):
    return lib.tensor([0, 1]), lib.tensor([0, 2])


WRITES = {
    "add_": lambda lib, c: c.add_(1), "mul_": lambda lib, c: c.mul_(2j), "zero_": lambda lib, c: c.zero_(),
    "fill_": lambda lib, c: c.fill_(2j), "exp_": lambda lib, c: c.exp_(), "neg_": lambda lib, c: c.neg_(),
    "sqrt_": lambda lib, c: c.sqrt_(), "conj_physical_": lambda lib, c: c.conj_physical_(),
    "masked_fill_": lambda lib, c: c.masked_fill_(lib.tensor([True, False, True]), 1j),
    "index_put_": lambda lib, c: c.index_put_(_idx(lib), lib.tensor(1j)),
    "out=": lambda lib, c: lib.add(lib.ones(2, 3, dtype=lib.complex64), 1j, out=c),
    "setitem": lambda lib, c: c.__setitem__((0, 1), 7j), "setitem_row": lambda lib, c: c.__setitem__(1, c[0]),
    "copy_": lambda lib, c: c.copy_(lib.full((2, 3), 1 + 1j)), "mul_tensor": lambda lib, c: c.mul_(c.conj()),
    "unsqueeze_": lambda lib, c: c.unsqueeze_(0), "t_": lambda lib, c: c.t_(),
    "imag_add_": lambda lib, c: c.imag.add_(1), "real_mul_": lambda lib, c: c.real.mul_(3),
    "imag_setitem": lambda lib, c: c.imag.__setitem__(0, 5.0), "slice_mul_": lambda lib, c: c[:, 1:].mul_(1j),
}


@pytest.mark.parametrize("write", WRITES)
def test_writes_through_a_conj_view_store_the_conjugate(write):
    seen = []
    for lib in (torch, pyfront):
        z = _z(lib)
        c = z.conj()
        WRITES[write](lib, c)
        seen.append((z.tolist(), c.tolist(), c.is_conj(), z._version, c._version))
    assert seen[1] == seen[0]


def test_conj_gradients_and_histories_as_torch():
    seen = []
    for lib in (torch, pyfront):
        z = _z(lib, requires_grad=True)
        c = z.conj()
        w = lib.tensor([1j, 2.0, 1 - 1j])
        out = (c * w).real.sum() + (c.imag * 3).sum() + c.abs().sum()
        out.backward()
        names = [c.grad_fn.name(), c.imag.grad_fn.name(), c.imag.grad_fn.next_functions[0][0].name(),
                 c.resolve_conj().grad_fn.name()]
        grads = [z.grad.resolve_conj().tolist()]
        y = z * 1  # a write through a conj view of a non-leaf: the base's history takes it
        cy = y.conj()
        cy.mul_(w)
        (y.abs() ** 2).sum().backward()
        grads.append(z.grad.resolve_conj().tolist())
        with pytest.raises(RuntimeError) as leaf:
            z.conj().mul_(2)
        seen.append((names, grads, cy.grad_fn.name(), y.grad_fn.name(), str(leaf.value)))
    assert seen[1][:2] == seen[0][:2]
    np.testing.assert_allclose(np.array(seen[1][1]), np.array(seen[0][1]), rtol=1e-6)
    assert seen[1][2:] == seen[0][2:]


def test_a_saved_tensor_check_sees_a_write_through_a_conj_view():
    seen = []
    for lib in (torch, pyfront):
        z = _z(lib, requires_grad=True)
        y = z * 1
        s = (y * y).sum()
        y.conj().add_(1)
        with pytest.raises(RuntimeError) as got:
            s.abs().backward()
        seen.append(str(got.value).replace("torch.", "").replace("pyfront.", ""))
    assert seen[1] == seen[0]


def test_conj_bits_survive_save_and_load(tmp_path):
    z = _z(torch)
    for lib, other in ((torch, pyfront), (pyfront, torch)):
        z = _z(lib)
        lib.save({"c": z.conj(), "z": z}, tmp_path / "c.pt")  # (torch refuses z with its imag in one file)
        lib.save(z.conj().imag, tmp_path / "i.pt")
        back, imag = other.load(tmp_path / "c.pt"), other.load(tmp_path / "i.pt")
        assert back["c"].is_conj() and back["c"].tolist() == z.conj().tolist() and not back["z"].is_conj()
        assert _ptr_shared(back["c"], back["z"]) and back["z"].tolist() == z.tolist()
        assert imag.is_neg() and imag.tolist() == z.conj().imag.tolist()


@pytest.mark.parametrize("device", ["cpu", pytest.param("webgpu", marks=requires_webgpu)])
def test_conj_of_a_real_tensor_is_itself(device):
    for name in DTYPES[:-2]:
        dtype = getattr(pyfront, name)
        if device == "webgpu" and name in ("float64", "bfloat16"):
            continue
        x = pyfront.zeros(3, dtype=dtype, device=device)
        t = torch.zeros(3, dtype=getattr(torch, name))
        assert (x.conj() is x, x.is_conj(), pyfront.is_conj(x), x.resolve_conj() is x) == (
            t.conj() is t, t.is_conj(), torch.is_conj(t), t.resolve_conj() is t)


def test_one_memory_is_one_data_ptr_and_one_storage_in_a_checkpoint(tmp_path):
    seen = []
    for lib in (torch, pyfront):
        x, z = lib.ones(2, 4), lib.tensor([1 + 1j, 2j])
        ptrs = (x.data_ptr() == x.view(lib.int32).data_ptr() == x[:, 2:].view(lib.float16).data_ptr() - 8,
                x.untyped_storage().data_ptr() == x.view(lib.int8).untyped_storage().data_ptr(),
                z.data_ptr() == lib.view_as_real(z).data_ptr() == z.real.data_ptr())
        refusals = []
        for objs in ([z, lib.view_as_real(z)], [x, x.view(lib.int32)], [z.real, z]):
            with pytest.raises(RuntimeError) as got:
                lib.save(objs, tmp_path / "f.pt")
            refusals.append(str(got.value))
        lib.save([x.view(lib.int32), x.view(lib.int32)[1]], tmp_path / "f.pt")
        seen.append((ptrs, refusals))
    assert seen[1] == seen[0]


# -- views across dtypes (view_as_real, view_as_complex, .real, .imag) for autograd -----------------------
def _z_leaf(lib):
    return lib.tensor([[1 + 2j, 3 - 1j], [0.5j, -2 + 0j]], requires_grad=True)


CROSS = {
    "write_view_as_real": lambda lib, w: lib.view_as_real(w).mul_(2),
    "write_real": lambda lib, w: w.real.mul_(3),
    "write_imag_row": lambda lib, w: w.imag[1].mul_(lib.tensor([2.0, -3.0])),
    "write_view_as_real_slice": lambda lib, w: lib.view_as_real(w)[0, :, 1].copy_(lib.tensor([7.0, 8.0])),
    "write_view_as_complex": lambda lib, w: lib.view_as_complex(lib.view_as_real(w) * 1).mul_(1j),
    "write_complex_of_pairs": lambda lib, w: lib.view_as_complex(w.real.reshape(2, 1, 2) * 1).add_(1),
}


@pytest.mark.parametrize("case", CROSS)
def test_writes_through_views_across_dtypes_reach_the_base_history(case):
    seen = []
    for lib in (torch, pyfront):
        z = _z_leaf(lib)
        w = z * 1
        r = lib.view_as_real(w)
        CROSS[case](lib, w)
        loss = (w.abs() ** 2).sum() + (r * lib.tensor([1.0, -3.0])).sum()
        loss.backward()
        seen.append((w.tolist(), np.round(np.array(z.grad.tolist()), 4).tolist(), w.grad_fn.name(),
                     r.grad_fn.name()))
    assert seen[1] == seen[0]


def test_views_across_dtypes_are_views_of_the_base_as_torch():
    seen = []
    for lib in (torch, pyfront):
        z = _z_leaf(lib)
        w = z * 1
        r, re, im = lib.view_as_real(w), w.real, w.imag
        c = lib.view_as_complex(r)
        facts = [(v._is_view(), v._base is w) for v in (r, re, im, c)]
        w.mul_(2)  # the base written after the views were taken: their histories follow it
        facts.append([(v.grad_fn.name(), v.grad_fn.next_functions[0][0].name()) for v in (r, re, im)])
        (r.sum() + re.sum() * 2 + im.sum() * 3 + c.abs().sum()).backward()
        with pytest.raises(RuntimeError) as leaf:
            lib.view_as_real(z).mul_(2)
        seen.append((facts, np.round(np.array(z.grad.tolist()), 4).tolist(), str(leaf.value)))
    assert seen[1] == seen[0]


# the sign of every zero in a complex gradient through a conj chain (torch's formulas conjugate what they
# read, grad * other.conj(): conjugating the gradient and the result instead flipped the zeros' signs)
_CHAINS = {"conj": lambda L, z: z.conj(), "conj_physical": lambda L, z: z.conj_physical(),
           "resolve_conj": lambda L, z: z.conj().resolve_conj(), "plain": lambda L, z: z * 1}
_OUTS = {"mul_number": lambda L, c: (c * 2).real, "mul_complex": lambda L, c: (c * (1 - 2j)).imag,
         "div": lambda L, c: (c / L.tensor([2 + 0j, 1j, -1 + 0j])).real, "exp": lambda L, c: c.exp().real,
         "square": lambda L, c: (c * c).imag, "add_sub": lambda L, c: (c + 1j - c.conj()).real,
         "view_as_real": lambda L, c: L.view_as_real(c.resolve_conj() * 3)[:, 1],
         "reciprocal": lambda L, c: (c + 5).reciprocal().real,
         "sum": lambda L, c: L.view_as_real(c.sum() * 1j)}


# open: c * c's two gradient terms, and complex division (NumPy's algorithm, not c10::complex's), give other
# zero signs than torch's, conj or not
_KNOWN_SIGNS = {("conj", "square"), ("conj_physical", "square"), ("resolve_conj", "square"), ("plain", "div")}


@pytest.mark.parametrize("out", list(_OUTS))
@pytest.mark.parametrize("chain", list(_CHAINS))
def test_complex_gradient_zero_signs_through_conj_as_torch(chain, out):
    if (chain, out) in _KNOWN_SIGNS:
        pytest.xfail("an open difference in the sign of a zero (see _KNOWN_SIGNS)")

    def run(L):
        z = L.tensor([1 + 2j, -3 + 0j, 0j], requires_grad=True)
        (g,) = L.autograd.grad(_OUTS[out](L, _CHAINS[chain](L, z)).sum(), z)
        g = g.resolve_conj()
        return [(v.real, v.imag, np.signbit(v.real), np.signbit(v.imag)) for v in g.tolist()]
    assert run(pyfront) == run(torch)


_WRITES = {"mul_number": lambda v, w: v.mul_(2), "mul": lambda v, w: v.mul_(w),
           "div": lambda v, w: v.div_(w), "add": lambda v, w: v.add_(w),
           "sub_number": lambda v, w: v.sub_(1j), "add_alpha": lambda v, w: v.add_(w, alpha=2),
           "copy": lambda v, w: v.copy_(w), "zero": lambda v, w: v.zero_(), "fill": lambda v, w: v.fill_(2j),
           "fill_tensor": lambda v, w: v.fill_(w[0])}
_WRITTEN_VIEWS = {"slice": lambda y: y[:1], "conj_slice": lambda y: y.conj()[:1],
                  "conj": lambda y: y.conj()[1:]}


@pytest.mark.parametrize("view", list(_WRITTEN_VIEWS))
@pytest.mark.parametrize("write", list(_WRITES))
def test_copy_slices_shows_the_in_place_ops_inputs_as_torch(write, view):
    """A base written through a view (a conj view's too) shows torch's CopySlices edges: its history before,
    then the in-place op's other inputs (None for a number), not how the written values were computed."""
    def run(L):
        w = L.tensor([2 + 1j], requires_grad=True)
        y = L.tensor([1 + 2j, 3j], requires_grad=True) * 1
        _WRITES[write](_WRITTEN_VIEWS[view](y), w)
        (g,) = L.autograd.grad(L.view_as_real(y).sum(), w) if write in (
            "mul", "div", "add", "add_alpha", "copy", "fill_tensor") else (None,)
        return ([(type(n).__name__ if n else None, k) for n, k in y.grad_fn.next_functions],
                None if g is None else g.tolist())
    assert run(pyfront) == run(torch)


def _sgd_on(lib, p):
    """Two SGD steps (with momentum: the second uses the buffer) on the neg view ``p`` made a leaf, by the
    default step (pyfront's multi-tensor one where it can, torch's loop on cpu); its values after."""
    p.requires_grad_(True)
    opt = lib.optim.SGD([p], lr=0.5, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
    return _rounded(p.tolist()), p.is_neg()


# every path that hands a backend a tensor's layout, given a neg view (a float tensor whose values are its
# memory's negation, what ``z.conj().imag`` is): the planned binary and unary ops, the reduction, the matrix
# product, the general path, an in-place op into a plain tensor and one through the view, the reads of
# its values, and the optimizers' multi-tensor step. A lazy view has no layout of its own (tensor.py's
# values_layout): each must read its values, never its memory
NEG_PATHS = {
    "binary": lambda lib, n: (n + n).tolist(),
    "binary_number": lambda lib, n: (n * 2).tolist(),
    "unary": lambda lib, n: _rounded(n.exp().tolist()),
    "reduce": lambda lib, n: (n.sum(1).tolist(), n.amax().item()),
    "product": lambda lib, n: (n @ n.mT).tolist(),
    "general": lambda lib, n: (lib.where(n > 0, n, n * 10).tolist(), lib.cat([n, n]).tolist()),
    "transposed": lambda lib, n: (n.t() + 1).tolist(),
    "into_a_plain_one": lambda lib, n: lib.ones(2, 3).add_(n).tolist(),
    "through_it": lambda lib, n: (n.add_(1).tolist(), n.is_neg()),
    "reads": lambda lib, n: (n[1, 1].item(), n.tolist(), n.numpy(force=True).tolist(), str(n)),
    "copy_": lambda lib, n: lib.zeros(2, 3).copy_(n).tolist(),
    "sgd": lambda lib, n: _sgd_on(lib, n.detach()),
}


@pytest.mark.parametrize("path", NEG_PATHS)
def test_a_neg_view_gives_its_values_on_every_path_as_torch(path):
    seen = []
    for lib in (torch, pyfront):
        z = _z(lib)
        n = z.conj().imag
        assert n.is_neg()
        seen.append((NEG_PATHS[path](lib, n), _rounded(z.imag.tolist())))
    assert seen[1] == seen[0]


"""NumPy interop's memory semantics against torch's: from_numpy (and from_dlpack, as_tensor, asarray,
tensor, which read an array through it) shares any strided array's memory with its strides, refuses what
torch refuses with its words, and copies where torch copies; Tensor.numpy(), np.asarray(t) and __array__
share a strided tensor's memory; writes go through both ways. Then setitem's self-aliasing values (a view
of the written tensor itself), which torch fills, copies or refuses by its own rule."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront
from pyfront import _warnings as pyfront_warnings

from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

DTYPES = ["float64", "float32", "float16", "complex64", "complex128", "int64", "int32", "int16", "int8",
          "uint64", "uint32", "uint16", "uint8", "bool"]


def _grid(dtype, shape=(3, 4)):
    return (np.arange(int(np.prod(shape))) % 3).astype(dtype).reshape(shape)


def _stride0(dtype):
    """A writable array whose rows are one row (stride 0), as as_strided makes it."""
    base = _grid(dtype)
    return np.lib.stride_tricks.as_strided(base, (3, 4), (0, base.itemsize))


# how an array reaches the entry point: every strided layout NumPy has, and the empty ones
LAYOUTS = {
    "contiguous": _grid,
    "transposed": lambda d: _grid(d).T,
    "fortran": lambda d: np.asfortranarray(_grid(d)),
    "columns": lambda d: _grid(d)[:, ::2],
    "byte_offset": lambda d: _grid(d)[1:],
    "inner_offset": lambda d: _grid(d)[1:, 1:3],
    "new_axis": lambda d: _grid(d)[:, None],
    "stride0": _stride0,
    "zero_d": lambda d: _grid(d, (1,)).reshape(()),
    "zero_size": lambda d: _grid(d)[:0],
    "zero_size_3d": lambda d: np.zeros((2, 0, 3), d),
    "unaligned": lambda d: np.ndarray((3,), d, np.zeros(4 * np.dtype(d).itemsize, np.uint8), 1),
}

# what from_numpy refuses: each with torch's error type and words
REFUSED = {
    "negative": lambda: np.arange(6.0).reshape(2, 3)[::-1],
    "negative_one_row": lambda: np.arange(3.0)[::-1][:1],
    "negative_columns": lambda: np.arange(6.0).reshape(2, 3)[:, ::-2],
    "part_items": lambda: np.ndarray((2,), np.int32, np.zeros(20, np.uint8), 0, (6,)),
    "big_endian": lambda: np.arange(3, dtype=">f4"),
    "big_endian_negative": lambda: np.arange(3, dtype=">f4")[::-1],
    "object": lambda: np.array([1, "a"], dtype=object),
    "object_negative": lambda: np.array([1, None, 2], dtype=object)[::-1],
    "str": lambda: np.array(["a"]),
    "datetime": lambda: np.array([1], "datetime64[s]"),
    "void": lambda: np.zeros(2, "V4"),
    "longdouble": lambda: np.zeros(2, np.longdouble),
    "scalar": lambda: np.float32(1),
    "list": lambda: [1.0],
}


def _outcome(fn):
    try:
        return fn()
    except Exception as e:  # the type and words, compared with torch's
        return type(e).__name__, str(e)


def _address(a) -> int:
    return a.__array_interface__["data"][0]


def _shared_both_ways(L, make, convert):
    """Everything torch shows of ``convert(array)``, then a write through the tensor (read back in the
    array) and one through the array (read back in the tensor)."""
    array = make()
    t = convert(L, array)
    # (pyfront's data_ptr is no address: the memory's first element, read by NumPy, says where it starts)
    seen = (str(t.dtype), tuple(t.shape), t.stride(), t.storage_offset(), t.is_contiguous(),
            t.numel() > 0 and _address(t.numpy()) == _address(array))
    t.zero_()
    after_tensor_write = array.copy()
    array[...] = 1
    return seen, after_tensor_write.tolist(), t.tolist()


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_from_numpy_shares_every_strided_layout_as_torch(dtype, layout):
    def run(L):
        return _outcome(lambda: _shared_both_ways(L, lambda: LAYOUTS[layout](dtype),
                                                  lambda L, a: L.from_numpy(a)))
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("case", list(REFUSED))
def test_from_numpy_refuses_as_torch(case):
    def run(L):
        return _outcome(lambda: L.from_numpy(REFUSED[case]()).tolist())
    assert run(pyfront) == run(torch)


def test_a_read_only_array_is_shared_after_torchs_warning_once():
    def run(L):
        array = np.arange(4.0)
        array.flags.writeable = False
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = L.from_numpy(array)
            L.from_numpy(array)  # the second time in the process: no warning
        t.add_(1)  # torch's "undefined behavior": the memory is written
        return [(w.category.__name__, str(w.message)) for w in caught], array.tolist()
    pyfront_warnings._WARNED_ONCE.discard(pyfront.ops.creation.READ_ONLY_ARRAY)
    torch.set_warn_always(True)  # torch's warning text; its once-ness is torch's TORCH_WARN_ONCE
    try:
        want = run(torch)
    finally:
        torch.set_warn_always(False)
    got = run(pyfront)
    assert len(got[0]) == 1
    assert got[0][0] == want[0][0] and got[1:] == want[1:]


# the entry points that read an array through from_numpy, each with keywords that share, convert or copy
ENTRIES = {
    "as_tensor": lambda L, a: L.as_tensor(a),
    "as_tensor_same_dtype": lambda L, a: L.as_tensor(a, dtype=L.from_numpy(a.copy()).dtype),
    "as_tensor_cpu": lambda L, a: L.as_tensor(a, device="cpu"),
    "as_tensor_float64": lambda L, a: L.as_tensor(a, dtype=L.float64),
    "asarray": lambda L, a: L.asarray(a),
    "asarray_copy_false": lambda L, a: L.asarray(a, copy=False),
    "asarray_copy_true": lambda L, a: L.asarray(a, copy=True),
    "asarray_float64": lambda L, a: L.asarray(a, dtype=L.float64),
    "asarray_float64_copy_false": lambda L, a: L.asarray(a, dtype=L.float64, copy=False),
    "asarray_float64_copy_true": lambda L, a: L.asarray(a, dtype=L.float64, copy=True),
    "tensor": lambda L, a: L.tensor(a),
    "tensor_float64": lambda L, a: L.tensor(a, dtype=L.float64),
    "from_dlpack": lambda L, a: L.from_dlpack(a),
}
ENTRY_LAYOUTS = ["contiguous", "transposed", "columns", "byte_offset", "stride0", "zero_d", "zero_size"]


@pytest.mark.parametrize("layout", ENTRY_LAYOUTS)
@pytest.mark.parametrize("entry", list(ENTRIES))
@pytest.mark.parametrize("dtype", ["float32", "int16", "bool", "complex64"])
def test_array_entry_points_share_or_copy_as_torch(entry, dtype, layout):
    def run(L):
        return _outcome(lambda: _shared_both_ways(L, lambda: LAYOUTS[layout](dtype), ENTRIES[entry]))
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("case", ["negative", "big_endian", "object"])
@pytest.mark.parametrize("entry", [e for e in ENTRIES if e != "from_dlpack"])
def test_array_entry_points_refuse_as_torch(entry, case):
    def run(L):
        return _outcome(lambda: ENTRIES[entry](L, REFUSED[case]()).tolist())
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("read_only", [False, True])
@pytest.mark.parametrize("entry", ["as_tensor", "as_tensor_float64", "asarray", "asarray_copy_false",
                                   "asarray_copy_true", "asarray_float64", "tensor"])
@pytest.mark.parametrize("ndim", [0, 1])
def test_which_reads_of_a_read_only_array_warn_as_torch(entry, read_only, ndim):
    def run(L):
        array = np.arange(2.0, dtype=np.float32)[:1].reshape((1,) * ndim)
        array.flags.writeable = not read_only
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            outcome = _outcome(lambda: ENTRIES[entry](L, array).fill_(7))
        return len(caught), array.tolist(), outcome if isinstance(outcome, tuple) else None
    torch.set_warn_always(True)
    pyfront.set_warn_always(True)
    try:
        assert run(pyfront) == run(torch)
    finally:
        torch.set_warn_always(False)
        pyfront.set_warn_always(False)


# a tensor's layouts, read by NumPy
TENSOR_LAYOUTS = {
    "contiguous": lambda t: t,
    "transposed": lambda t: t.transpose(0, 2),
    "stepped": lambda t: t[:, ::2, 1:],
    "offset": lambda t: t[1],
    "one_row": lambda t: t[:, 1:2],
    "unsqueezed": lambda t: t[0].unsqueeze(1),
    "diagonal": lambda t: t[0].diagonal(),
    "zero_d": lambda t: t[1, 2, 3],
    "zero_size": lambda t: t[:, :0],
}
READS = {
    "numpy": lambda t: t.numpy(),
    "asarray": lambda t: np.asarray(t),
    "asarray_own_dtype": lambda t: np.asarray(t, dtype=t.numpy().dtype),
    "asarray_float64": lambda t: np.asarray(t, dtype=np.float64),
    "array": lambda t: np.array(t),
    "array_copy_false": lambda t: np.asarray(t, copy=False),
    "dunder": lambda t: t.__array__(),
    "dunder_float64": lambda t: t.__array__(np.float64),
}


@pytest.mark.parametrize("read", list(READS))
@pytest.mark.parametrize("layout", list(TENSOR_LAYOUTS))
@pytest.mark.parametrize("dtype", ["float32", "int8", "bool", "complex128"])
def test_numpy_reads_of_a_tensor_share_as_torch(dtype, layout, read):
    def run(L):
        base = L.arange(24).reshape(2, 3, 4).to(getattr(L, dtype))
        t = TENSOR_LAYOUTS[layout](base)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # NumPy's, for __array__ without copy=
            a = _outcome(lambda: READS[read](t))
        if isinstance(a, tuple):
            return a
        shared = a.size > 0 and np.shares_memory(a, base.numpy())
        if shared:
            a[...] = 0  # written through to the tensor
        return a.dtype.name, a.shape, a.strides, shared, base.tolist()
    assert run(pyfront) == run(torch)



GRAD_MODES = {"enabled": lambda L: L.enable_grad(), "no_grad": lambda L: L.no_grad(),
              "set_grad_enabled_false": lambda L: L.set_grad_enabled(False),
              "inference_mode": lambda L: L.inference_mode()}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("mode", list(GRAD_MODES))
@pytest.mark.parametrize("read", [r for r in READS if r != "asarray_own_dtype"])  # (it calls numpy())
@pytest.mark.parametrize("node", ["leaf", "result"])
def test_numpy_reads_of_a_tensor_that_requires_grad_as_torch(node, read, mode, device):
    """torch refuses numpy() of a tensor that requires grad only while grad mode is on, and np.asarray,
    np.array and __array__ go through that refusal (pyfront read every one of them, and numpy() refused
    under no_grad too). On webgpu, torch's tensor on another device (meta) is the oracle: each refuses the
    device before the grad (pyfront's NumPy reads copied a webgpu tensor)."""
    def run(L, dev):
        leaf = L.arange(6.0, device=dev).reshape(2, 3).requires_grad_()
        t = leaf if node == "leaf" else (leaf * 2).t()
        with GRAD_MODES[mode](L), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # NumPy's, for __array__ without copy=
            a = _outcome(lambda: READS[read](t))
        return a if isinstance(a, tuple) else (a.dtype.name, a.tolist())
    if device == "cpu":
        want = run(torch, "cpu")
    else:  # torch's tensor on a device other than the cpu (meta here) refuses every read, the device first
        kind, words = run(torch, "meta")
        want = kind, words.replace("meta device", "webgpu:0 device")
    assert run(pyfront, device) == want

# x[index] = value where value is a view of x itself (and copy_, fill_, index_put_ with such values)
ALIASED_WRITES = {
    "slice = its 0-d first": lambda x: x.__setitem__(slice(0, 1), x[0]),
    "slice = a 0-d inside": lambda x: x.__setitem__(slice(0, 3), x[1]),
    "all = a 0-d": lambda x: x.__setitem__(slice(None), x[2]),
    "ellipsis = a 0-d": lambda x: x.__setitem__(Ellipsis, x[0]),
    "None = a 0-d": lambda x: x.__setitem__(None, x[0]),
    "int = another 0-d": lambda x: x.__setitem__(1, x[0]),
    "int = itself": lambda x: x.__setitem__(1, x[1]),
    "slice = itself": lambda x: x.__setitem__(slice(0, 1), x[0:1]),
    "slice = shifted": lambda x: x.__setitem__(slice(1, 3), x[0:2]),
    "slice = one broadcast": lambda x: x.__setitem__(slice(1, 3), x[0:1]),
    "slice = its own first broadcast": lambda x: x.__setitem__(slice(0, 2), x[0:1]),
    "all = all": lambda x: x.__setitem__(slice(None), x),
    "copy_ its 0-d": lambda x: x[0:1].copy_(x[0]),
    "copy_ a 0-d inside": lambda x: x[0:3].copy_(x[1]),
    "copy_ shifted": lambda x: x[0:2].copy_(x[1:3]),
    "copy_ itself": lambda x: x.copy_(x),
    "fill_ a 0-d inside": lambda x: x[0:2].fill_(x[1]),
    "masked_fill_ a 0-d": lambda x: x.masked_fill_(x > 1, x[0]),
    "indices = a 0-d": lambda x: x.__setitem__([0, 1], x[2]),
    "indices = overlapping": lambda x: x.__setitem__([0, 1], x[1:3]),
    "index tensor = a 0-d": lambda x: x.__setitem__(pyfront_or_torch(x).tensor([0]), x[0]),
    "index_put_ a 0-d": lambda x: x.index_put_((pyfront_or_torch(x).tensor([0, 1]),), x[1]),
    "index_put_ accumulate": lambda x: x.index_put_((pyfront_or_torch(x).tensor([0, 1]),), x[0:2],
                                                    accumulate=True),
    "mask = a 0-d": lambda x: x.__setitem__(x > 1, x[0]),
    "mask = one element": lambda x: x.__setitem__(x > 1, x[0:1]),
    "mask = one element, 2-d": lambda x: x.__setitem__(x > 1, x[0:1].reshape(1, 1)),
    "mask = two elements": lambda x: x.__setitem__(x > 2, x[0:2]),
    "0-d mask = a 0-d": lambda x: x.__setitem__(pyfront_or_torch(x).tensor(True), x[0]),
    "2-d rows = a row": lambda x: (lambda a: a.__setitem__(slice(0, 1), a[1]))(x.view(2, 2)),
    "2-d column = a row": lambda x: (lambda a: a.__setitem__((slice(None), 0), a[0]))(x.view(2, 2)),
    "2-d column slice = a 0-d": lambda x: (lambda a: a.__setitem__((slice(None), slice(0, 1)), a[0, 0]))(
        x.view(2, 2)),
    "2-d mask on columns = a 0-d": lambda x: (lambda a: a.__setitem__((slice(None), a[0] > 1), a[0, 0]))(
        x.view(2, 2)),
    "2-d mask and int = a 0-d": lambda x: (lambda a: a.__setitem__((a[:, 0] > 1, 0), a[0, 0]))(x.view(2, 2)),
}


# torch's copy_to fills from a 0-d value only where that value is on the cpu: off the cpu a view of the
# tensor itself takes the copy_ way, whose refusal torch's copy_ shows (the oracle for the webgpu rows)
OFF_CPU_AS = {"slice = its 0-d first": "copy_ its 0-d"}


def pyfront_or_torch(x):
    return pyfront if isinstance(x, pyfront.Tensor) else torch


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", ["float32", "int64"])
@pytest.mark.parametrize("case", list(ALIASED_WRITES))
def test_writes_of_a_tensors_own_views_as_torch(case, dtype, device):
    def run(L):
        x = (L.arange(4) + 1).to(getattr(L, dtype))
        x = x.to(device) if L is pyfront else x  # torch's cpu answer, pyfront's on each device
        write = OFF_CPU_AS.get(case, case) if L is torch and device != "cpu" else case
        outcome = _outcome(lambda: ALIASED_WRITES[write](x))
        return outcome if isinstance(outcome, tuple) and isinstance(outcome[0], str) else x.tolist()
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("value", ["0-d", "0-d float64", "one element"])
def test_setitem_fills_a_tensor_with_a_cpu_number_tensor_as_torch(value, device):
    """A 0-d (or one-element, under a mask) cpu tensor is read as a number: it fills a tensor on any
    device, through a slice or a mask (torch's copy_to and masked fill)."""
    def run(L, dev):
        v = {"0-d": L.tensor(2.5), "0-d float64": L.tensor(2.5, dtype=L.float64),
             "one element": L.tensor([2.5])}[value]
        x = L.arange(6.0, device=dev).reshape(2, 3)
        x[x > 3] = v
        if v.dim() == 0:
            x[0, 0:2] = v
        return x.cpu().tolist()
    assert run(pyfront, device) == run(torch, "cpu")


@pytest.mark.parametrize("value_dtype", ["float32", "float64"])
def test_a_masked_fill_by_setitem_converts_and_differentiates_as_torch(value_dtype):
    def run(L):
        leaf = L.zeros(2, 3, requires_grad=True)
        x = leaf.clone()
        v = L.full((1,), 2.0, dtype=getattr(L, value_dtype), requires_grad=True)
        x[x.detach() == 0] = v
        x.sum().backward()
        return x.tolist(), type(x.grad_fn).__name__, v.grad.tolist(), leaf.grad.tolist()
    assert run(pyfront) == run(torch)


@pytest.mark.parametrize("source", ["bytearray", "read_only_view", "array_module"])
def test_frombuffer_shares_even_read_only_memory_as_torch(source):
    """torch.frombuffer adopts the buffer's memory, read-only or not (after its own warning)."""
    import array

    def run(L):
        memory = {"bytearray": lambda: bytearray(range(8)),
                  "read_only_view": lambda: memoryview(bytearray(range(8))).toreadonly(),
                  "array_module": lambda: array.array("b", range(8))}[source]()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            t = L.frombuffer(memory, dtype=L.int16, offset=2)
        t[0] = -1
        return bytes(memory), t.stride(), t.tolist()
    assert run(pyfront) == run(torch)


NUMPY_SCALARS = {"float64": 1.5, "float32": 1.5, "float16": 1.5, "complex128": 1 + 1j, "complex64": 1j,
                 "int64": 3, "int32": 3, "int8": -3, "uint8": 3, "uint16": 3, "uint32": 3, "uint64": 2 ** 63,
                 "bool": True}
SCALAR_FORMS = {"alone": lambda s: s, "listed": lambda s: [s], "nested": lambda s: [[s], [s]],
                "then_int": lambda s: [s, 1], "after_float": lambda s: [1.5, s],
                "after_bool": lambda s: [True, s], "after_int8": lambda s: [np.int8(2), s]}


@pytest.mark.parametrize("kind", list(NUMPY_SCALARS))
def test_numpy_scalars_in_tensor_data_as_torch(kind):
    """torch.tensor/as_tensor read a NumPy scalar by its own dtype, in a sequence too (pyfront took NumPy's
    float64 and complex128, Python float and complex subclasses, as Python numbers: [np.float64(1.5), 1]
    was float32), and store it as the C type's reader does: uint64 refuses any NumPy scalar, the other
    integer types a NumPy bool (pyfront stored both)."""
    scalar = getattr(np, kind)(NUMPY_SCALARS[kind])

    def run(L):
        got = []
        for form in SCALAR_FORMS.values():
            for make in (L.tensor, L.as_tensor):
                for dtype in (None, "int64", "uint64", "uint8", "bool", "float16", "complex64"):
                    dtype = dtype and getattr(L, dtype)
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        out = _outcome(lambda m=make, f=form, d=dtype: m(f(scalar), dtype=d))
                    got.append(out if isinstance(out, tuple) else (str(out.dtype), out.tolist()))
        return got
    assert run(pyfront) == run(torch)


def test_python_numbers_as_each_dtype_as_torch():
    """The same readers for Python numbers: torch's bool reader takes a complex (nonzero), which pyfront
    refused as an integer."""
    def run(L):
        got = []
        for value in (1j, 0j, 1 + 0j, 1.5, 0.0, True, 3, -1):
            for dtype in ("bool", "int64", "uint8", "uint64", "float32", "complex64"):
                out = _outcome(lambda v=value, d=dtype: L.tensor([v], dtype=getattr(L, d)))
                got.append(out if isinstance(out, tuple) else (str(out.dtype), out.tolist()))
        return got
    assert run(pyfront) == run(torch)


SETITEM_VALUES = {"int": 3, "bool": True, "float": 2.5, "complex_real": 1 + 0j, "complex": 1j,
                  "big_int": 2 ** 63, "np_int8": np.int8(-3), "np_uint64_big": np.uint64(2 ** 63),
                  "np_float64": np.float64(2.5), "np_complex128": np.complex128(1j),
                  "np_float32": np.float32(2.5), "np_bool": np.bool_(True), "np_complex64": np.complex64(1j),
                  "array_0d": np.array(2.5), "array": np.array([1.0, 2.0]), "list": [1.0, 2.0],
                  "tuple": (1, 2), "none": None, "str": "a"}
SETITEM_INDICES = {"slice": lambda L, x: slice(0, 2), "int": lambda L, x: 0, "ellipsis": lambda L, x: ...,
                   "mask": lambda L, x: x == 0, "index": lambda L, x: L.tensor([0, 1], device=x.device)}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("value", list(SETITEM_VALUES))
def test_setitem_reads_its_value_as_torch(value, device):
    """x[i] = v takes a tensor or a Python number (a NumPy integer, float64 and complex128 too) and refuses
    anything else in torch's words (pyfront filled None as NaN, a NumPy float32, bool or complex64 as
    numbers, and refused a list or an array in other words); a NumPy integer past int64 overflows, a complex
    one's imaginary part is refused for every real dtype (float16 and bfloat16 as a double)."""
    dtypes = ["float32", "int64", "bool", "uint8"] + (["float16", "bfloat16", "complex64"] if device == "cpu"
                                                      else [])

    def run(L, dev):
        got = []
        for dtype in dtypes:
            for index in SETITEM_INDICES.values():
                x = L.zeros(3, dtype=getattr(L, dtype), device=dev)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # NumPy's ComplexWarning where torch reads a real part
                    out = _outcome(lambda i=index, x=x: x.__setitem__(i(L, x), SETITEM_VALUES[value]))
                got.append(out if isinstance(out, tuple) else x.tolist())
        return got
    want = run(torch, "cpu")
    if device == "webgpu":  # the legacy type names the device, as torch's torch.cuda.FloatTensor
        want = [(w[0], w[1].replace(" torch.", " torch.webgpu.")) if isinstance(w, tuple) else w
                for w in want]
    assert run(pyfront, device) == want

"""Every Python sequence torch accepts, as an index and as data: a table of index forms run through
getitem, setitem and the index_put gradient, and a table of constructor inputs and factory sizes, each
compared with torch (values, dtype, error type and message) on cpu and webgpu."""
import array
import collections
import collections.abc
import warnings

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")  # torch's deprecation notes


class Seq(collections.abc.Sequence):
    """A user's own Sequence class: torch reads it like a list."""

    def __init__(self, items):
        self.items = list(items)

    def __getitem__(self, i):
        return self.items[i]

    def __len__(self):
        return len(self.items)


deque = collections.deque
INDEX_FORMS = {  # name: lib -> index into a (4, 6) tensor
    "range": lambda lib: range(3),
    "range_empty": lambda lib: range(0),
    "range_step": lambda lib: range(3, 0, -2),
    "range_and_list": lambda lib: (range(3), [0, 1, 5]),
    "nn_tutorial_loss": lambda lib: (range(4), lib.tensor([5, 0, 2, 1])),
    "deque": lambda lib: deque([0, 2]),
    "slice_deque": lambda lib: (slice(None), deque([1, 5])),
    "seq_class": lambda lib: Seq([3, 1]),
    "tuple_of_lists": lambda lib: ([0, 1], [2, 3]),
    "list_of_lists": lambda lib: [[0, 1], [2, 3]],
    "nested_list": lambda lib: [[[0, 1], [2, 3]]],
    "list_int_tensor": lambda lib: [0, lib.tensor(2)],
    "list_of_tensors": lambda lib: [lib.tensor([0, 3]), lib.tensor([1, 1])],
    "list_np_ints": lambda lib: [np.int64(0), np.int32(2)],
    "np_int64": lambda lib: np.int64(2),
    "np_int32": lambda lib: np.int32(-1),
    "np_uint8": lambda lib: np.uint8(1),
    "np_array": lambda lib: np.array([0, 3]),
    "np_array_2d": lambda lib: np.array([[0, 1], [2, 3]]),
    "np_0d_array": lambda lib: np.array(2),
    "np_0d_array_pair": lambda lib: (np.array(1), np.array(-1)),
    "memoryview": lambda lib: memoryview(b"\x00\x03"),
    "np_bool_array": lambda lib: np.array([True, False, True, False]),
    "np_ints_pair": lambda lib: (np.int64(1), np.int32(2)),
    "bool_list": lambda lib: [True, False, True, False],
    "bool_list_wrong_length": lambda lib: [True, False],
    "bool_and_int": lambda lib: [True, 2],
    "float_list": lambda lib: [0.5, 1.7],
    "ellipsis_list": lambda lib: (Ellipsis, [0, 2]),
    "none_range": lambda lib: (None, range(2)),
    "slice_list": lambda lib: (slice(1, 3), [0, 5, 5]),
    "list_with_none": lambda lib: [None, 0],
    "list_with_slice": lambda lib: [slice(0, 2), 1],
    "long_list": lambda lib: [0, 1, 2, 3] * 10,
    "ragged": lambda lib: [[0, 1], [2]],
    "out_of_range": lambda lib: range(5),
    # what torch refuses
    "set": lambda lib: {0, 1},
    "dict": lambda lib: {0: 1},
    "str": lambda lib: "ab",
    "bytes": lambda lib: b"\x00\x01",
    "list_of_str": lambda lib: ["a"],
    "generator": lambda lib: (i for i in range(2)),
    "float": lambda lib: 1.0,
    "np_float": lambda lib: np.float32(1.0),
    "np_bool": lambda lib: np.bool_(True),
}


def _run(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation warnings for list-as-tuple and uint8 masks
        try:
            return fn(), None
        except Exception as e:
            return None, (type(e), str(e))


def _x(lib, device=None, requires_grad=False):
    x = np.arange(24, dtype=np.float32).reshape(4, 6)
    kw = {} if lib is torch else {"device": device}
    return lib.tensor(x, requires_grad=requires_grad, **kw)


def _same(got, want, where):
    assert got[1] == want[1], where
    if want[1] is None:
        g, w = got[0], want[0]
        assert tuple(g.shape) == tuple(w.shape) and str(g.dtype) == str(w.dtype), where
        np.testing.assert_array_equal(g.detach().cpu().numpy(), w.detach().numpy(), err_msg=where)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", INDEX_FORMS)
def test_index_forms(form, device):
    index = INDEX_FORMS[form]
    # getitem
    _same(_run(lambda: _x(pyfront, device)[index(pyfront)]), _run(lambda: _x(torch)[index(torch)]),
          f"x[{form}]")

    # setitem with a number, then with a tensor of the selection's shape
    def put(lib, x, value):
        x[index(lib)] = value
        return x
    _same(_run(lambda: put(pyfront, _x(pyfront, device), -1.0)), _run(lambda: put(torch, _x(torch), -1.0)),
          f"x[{form}] = -1")
    selected, err = _run(lambda: _x(torch)[index(torch)])
    if err:
        return
    v = np.random.default_rng(0).standard_normal(tuple(selected.shape)).astype(np.float32)
    _same(_run(lambda: put(pyfront, _x(pyfront, device), pyfront.tensor(v, device=device))),
          _run(lambda: put(torch, _x(torch), torch.tensor(v))), f"x[{form}] = tensor")

    # the gradients: of the input through getitem (index_put's accumulate), of the value through setitem
    def grads(lib, x, value):
        (x[index(lib)] * w[lib]).sum().backward()
        y = x.detach().clone()
        y[index(lib)] = value
        (y * y).sum().backward()
        return x.grad, value.grad
    w = {torch: torch.tensor(v), pyfront: pyfront.tensor(v, device=device)}
    want = grads(torch, _x(torch, requires_grad=True), torch.tensor(v, requires_grad=True))
    got = grads(pyfront, _x(pyfront, device, True), pyfront.tensor(v, device=device, requires_grad=True))
    for g, t, what in zip(got, want, ("input", "value")):
        np.testing.assert_allclose(g.cpu().numpy(), t.numpy(), rtol=1e-6, err_msg=f"{form}: grad of {what}")


DATA_FORMS = {  # name: lib -> data for tensor(), as_tensor() and new_tensor()
    "range": lambda lib: range(4),
    "deque": lambda lib: deque([1, 2, 3]),
    "seq_class": lambda lib: Seq([1.5, 2]),
    "list_of_ranges": lambda lib: [range(2), range(2)],
    "deque_and_tuple": lambda lib: [deque([1, 2]), (3, 4)],
    "array_module": lambda lib: array.array("f", [1, 2]),
    "memoryview": lambda lib: memoryview(b"ab"),
    "empty_nested": lambda lib: [[], []],
    "bool_and_int": lambda lib: [True, 2],
    "tuple_mixed": lambda lib: (1, 2.5),
    **{f"np_{t}": lambda lib, t=t: getattr(np, t)(3)
       for t in ("float16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool_")},
    **{f"list_np_{t}": lambda lib, t=t: [getattr(np, t)(1), getattr(np, t)(2)]
       for t in ("float16", "float32", "int32", "uint8", "bool_")},
    "list_np_int32_and_float": lambda lib: [np.int32(1), 2.5],
    "list_np_int32_and_int": lambda lib: [np.int32(1), 2],
    "list_of_arrays": lambda lib: [np.array([1.0, 2.0]), np.array([3.0, 4.0])],
    "list_of_float32_arrays": lambda lib: [np.array([1, 2], dtype=np.float32)],
    "list_of_0d_tensors": lambda lib: [lib.tensor(1.5), lib.tensor(2.0)],
    "list_0d_tensor_and_number": lambda lib: [lib.tensor(1), 2.5],
    "nested_mix": lambda lib: [[lib.tensor(1), np.int64(2)], (3, np.float32(4))],
    # what torch refuses
    "list_of_1d_int_tensors": lambda lib: [lib.tensor([1, 2]), lib.tensor([3, 4])],
    "list_of_2d_float_tensors": lambda lib: [lib.ones(2, 2), lib.zeros(2, 2)],
    "set": lambda lib: {1, 2},
    "dict": lambda lib: {1: 2},
    "dict_keys": lambda lib: {1: 2}.keys(),
    "str": lambda lib: "ab",
    "np_str": lambda lib: np.str_("a"),
    "bytes": lambda lib: b"ab",
    "list_of_str": lambda lib: ["a"],
    "ragged": lambda lib: [[1, 2], [3]],
    "ragged_scalar": lambda lib: [[1], 2],
    "generator": lambda lib: (i for i in range(3)),
    "none": lambda lib: None,
    "list_with_none": lambda lib: [None],
    "np_0d_in_list": lambda lib: [np.array(2, dtype=np.int32)],
    "int64_overflow": lambda lib: 2 ** 63,
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", DATA_FORMS)
def test_constructor_inputs(form, device):
    data = DATA_FORMS[form]
    makers = {
        "tensor": lambda lib, **kw: lib.tensor(data(lib), **kw),
        "as_tensor": lambda lib, **kw: lib.as_tensor(data(lib), **kw),
        "new_tensor": lambda lib, **kw: lib.ones(1).new_tensor(data(lib), **kw),
    }
    for name, make in makers.items():
        want = _run(lambda make=make: make(torch))
        if device == "webgpu" and want[0] is not None and want[0].dtype == torch.float64:
            continue  # float64 has no WGSL type: webgpu refuses it by design (the cpu rows hold the values)
        _same(_run(lambda make=make: make(pyfront, device=device)), want, f"{name}({form}) on {device}")


SIZES = {  # name: lib -> the positional size arguments
    "ints": lambda lib: (2, 3),
    "tuple": lambda lib: ((2, 3),),
    "list": lambda lib: ([2, 3],),
    "size": lambda lib: (lib.Size([2, 3]),),
    "np_ints": lambda lib: (np.int64(2), np.int32(3)),
    "tuple_of_np_ints": lambda lib: ((np.int64(2), np.int32(3)),),
    "0d_int_tensor": lambda lib: (lib.tensor(2), 3),
    # what torch refuses
    "range": lambda lib: (range(2, 4),),
    "deque": lambda lib: (deque([2, 3]),),
    "seq_class": lambda lib: (Seq([2, 3]),),
    "np_array": lambda lib: (np.array([2, 3]),),
    "int_tensor": lambda lib: (lib.tensor([2, 3]),),
    "set": lambda lib: ({2, 3},),
    "generator": lambda lib: ((i for i in (2, 3)),),
    "float_in_tuple": lambda lib: ((2.0, 3),),
    "bool_in_tuple": lambda lib: ((True, 3),),
    "negative": lambda lib: (2, -1),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", SIZES)
def test_factory_sizes(form, device):
    args = SIZES[form]
    for name in ("zeros", "ones", "empty", "rand", "randn", "full", "reshape", "new_zeros"):
        def make(lib, name=name, **kw):
            if name == "full":
                return lib.full(args(lib)[0] if len(args(lib)) == 1 else args(lib), 1.5, **kw)
            if name == "reshape":
                return lib.ones(6, **kw).reshape(*args(lib))
            if name == "new_zeros":
                return lib.ones(1, **kw).new_zeros(*args(lib))
            return getattr(lib, name)(*args(lib), **kw)
        want, got = _run(lambda make=make: make(torch)), _run(lambda make=make: make(pyfront, device=device))
        assert got[1] == want[1], f"{name}{form}"
        if want[1] is None:
            assert tuple(got[0].shape) == tuple(want[0].shape) and got[0].device.type == device


OP_ARGUMENTS = {  # name: (lib, t) -> an op reading a sequence or an integer argument
    "cat_list": lambda lib, t: lib.cat([t, t]),
    "cat_generator": lambda lib, t: lib.cat(x for x in (t, t)),
    "cat_deque": lambda lib, t: lib.cat(deque([t, t])),
    "cat_tensor": lambda lib, t: lib.cat(t),
    "stack_generator": lambda lib, t: lib.stack(x for x in (t, t)),
    "stack_tuple": lambda lib, t: lib.stack((t, t), dim=np.int64(1)),
    "hstack_generator": lambda lib, t: lib.hstack(x for x in (t,)),
    "vstack_int": lambda lib, t: lib.vstack(5),
    "cat_numpy_dim": lambda lib, t: lib.cat([t, t], dim=np.int64(-1)),
    "sum_numpy_dim": lambda lib, t: t.sum(np.int32(0)),
    "sum_tensor_dim": lambda lib, t: t.sum(lib.tensor(1)),
    "size_from_generator": lambda lib, t: lib.zeros(lib.Size(i for i in (2, 3)), device=t.device),
    "size_from_range": lambda lib, t: lib.zeros(lib.Size(range(1, 3)), device=t.device),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("form", OP_ARGUMENTS)
def test_op_sequence_arguments(form, device):
    op = OP_ARGUMENTS[form]
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    got = _run(lambda: op(pyfront, pyfront.tensor(x, device=device)))
    _same(got, _run(lambda: op(torch, torch.tensor(x))), f"{form} on {device}")

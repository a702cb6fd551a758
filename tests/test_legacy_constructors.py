"""The legacy constructors (``torch.FloatTensor(...)``, ``torch.Tensor(...)``, ``x.new(...)``) against torch
2.13: every class and ``new`` given nothing, sizes (ints, a ``torch.Size``), data, a tensor of its own or
another dtype (aliased, or refused with torch's TypeError), a tensor with a device, a number, a string, and
keywords the parser refuses; the value, dtype and shape, or the error's type and full text."""
import warnings

import numpy as np
import pytest
import torch

import pyfront

CLASSES = ["Tensor", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor", "ShortTensor",
           "CharTensor", "ByteTensor", "BoolTensor", "new"]


def _calls(L):
    f, i = L.tensor([1.0, 2.0]), L.tensor([1, 2])
    return {
        "nothing": (), "sizes": (2, 3), "numpy int size": (np.int64(2),), "Size": (L.Size([2, 3]),),
        "data": ([1, 0],), "tuple data": ((2, 3.0),), "float tensor": (f,), "long tensor": (i,),
        "0-d tensor": (L.tensor(3),), "number": (1.5,), "bool": (True,), "string": ("ab",), "None": (None,),
        "size then float": (2, 3.0), "size then list": (2, [1]), "two tensors": (f, f),
        "list then int": ([1], 2),
        "tensor with device": (f, {"device": "cpu"}), "dtype keyword": ([1], {"dtype": L.float64}),
        "requires_grad keyword": ([1], {"requires_grad": True}), "only a keyword": ({"dtype": L.float64},),
        "sizes and a keyword": (2, 3, {"dtype": L.float64}),
    }


def _outcome(L, cls, case):
    *args, = _calls(L)[case]
    kwargs = args.pop() if args and isinstance(args[-1], dict) else {}
    make = L.ones(1).new if cls == "new" else getattr(L, cls)
    try:
        out = make(*args, **kwargs)
    except (TypeError, RuntimeError) as e:
        return type(e).__name__, str(e)
    shared = any(isinstance(a, L.Tensor) and out.data_ptr() == a.data_ptr() for a in args)
    unset = case in ("sizes", "Size", "numpy int size")  # torch leaves that memory unset
    values = None if unset else out.tolist()
    return str(out.dtype), tuple(out.shape), values, shared, out is (args[0] if args else None)


@pytest.mark.parametrize("case", list(_calls(torch)))
@pytest.mark.parametrize("cls", CLASSES)
def test_legacy_constructor_as_torch(cls, case):
    expected = _outcome(torch, cls, case)
    got = _outcome(pyfront, cls, case)
    assert got == expected


def test_an_aliased_tensor_keeps_its_history_as_torch():
    for L in (torch, pyfront):
        x = L.ones(2, requires_grad=True)
        a, b = L.FloatTensor(x), x.new(x)
        assert (a.requires_grad, type(a.grad_fn).__name__, a._base is x, type(b.grad_fn).__name__) == (
            True, "AliasBackward0", True, "AliasBackward0")


@pytest.mark.parametrize("call", ["torch.tensor", "tensor.new_tensor", "as_tensor", "tensor of tensors"])
def test_copy_constructing_from_a_tensor_warns_as_torch(call):
    """torch.tensor(t) and x.new_tensor(t) warn (torch's text, at the caller's line); as_tensor and a list
    of tensors do not."""
    def warned(lib):
        x = lib.ones(2)
        make = {"torch.tensor": lambda: lib.tensor(x), "tensor.new_tensor": lambda: x.new_tensor(x),
                "as_tensor": lambda: lib.as_tensor(x), "tensor of tensors": lambda: lib.tensor([x[0], x[1]])}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            make[call]()
        return [(m.category, str(m.message), m.filename) for m in caught]
    assert warned(pyfront) == warned(torch)

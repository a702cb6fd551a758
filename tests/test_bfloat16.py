"""torch.bfloat16: the name exists as torch's (scripts spell it in dtype tables), but pyfront has no
bfloat16 storage, so every way to create or convert to such a tensor raises one TypeError that says
to use float16 or float32 -- never a KeyError or NumPy's "data type not understood" from inside."""
from __future__ import annotations

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

# each: (name, call(lib, device)); torch makes a bfloat16 tensor (or module) for every one
WAYS = [
    ("zeros", lambda t, d: t.zeros(2, 3, dtype=t.bfloat16, device=d)),
    ("ones", lambda t, d: t.ones(2, dtype=t.bfloat16, device=d)),
    ("empty", lambda t, d: t.empty(2, dtype=t.bfloat16, device=d)),
    ("full", lambda t, d: t.full((2,), 1.5, dtype=t.bfloat16, device=d)),
    ("tensor", lambda t, d: t.tensor([1.0, 2.0], dtype=t.bfloat16, device=d)),
    ("as_tensor", lambda t, d: t.as_tensor([1.0], dtype=t.bfloat16, device=d)),
    ("arange", lambda t, d: t.arange(4, dtype=t.bfloat16, device=d)),
    ("linspace", lambda t, d: t.linspace(0, 1, 3, dtype=t.bfloat16, device=d)),
    ("eye", lambda t, d: t.eye(2, dtype=t.bfloat16, device=d)),
    ("rand", lambda t, d: t.rand(3, dtype=t.bfloat16, device=d)),
    ("randn", lambda t, d: t.randn(3, dtype=t.bfloat16, device=d)),
    ("zeros_like", lambda t, d: t.zeros_like(t.ones(2, device=d), dtype=t.bfloat16)),
    ("new_zeros", lambda t, d: t.ones(2, device=d).new_zeros(3, dtype=t.bfloat16)),
    ("to", lambda t, d: t.ones(2, device=d).to(t.bfloat16)),
    ("to_dtype_kw", lambda t, d: t.ones(2, device=d).to(dtype=t.bfloat16)),
    ("to_device_dtype", lambda t, d: t.ones(2).to(d, t.bfloat16)),
    ("bfloat16()", lambda t, d: t.ones(2, device=d).bfloat16()),
    ("type(dtype)", lambda t, d: t.ones(2, device=d).type(t.bfloat16)),
    ("type(str)", lambda t, d: t.ones(2).type("torch.BFloat16Tensor")),
    ("sum(dtype)", lambda t, d: t.ones(2, device=d).sum(dtype=t.bfloat16)),
    ("softmax(dtype)", lambda t, d: t.nn.functional.softmax(t.ones(2, device=d), 0, dtype=t.bfloat16)),
    ("Linear(dtype)", lambda t, d: t.nn.Linear(2, 2, dtype=t.bfloat16, device=d)),
    ("Module.to", lambda t, d: t.nn.Linear(2, 2).to(d).to(t.bfloat16)),
    ("Module.bfloat16", lambda t, d: t.nn.Linear(2, 2).to(d).bfloat16()),
]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name,make", WAYS, ids=[w[0] for w in WAYS])
def test_every_way_to_a_bfloat16_tensor_is_one_clear_error(name, make, device):
    made = make(torch, "cpu")
    assert (made.weight if isinstance(made, torch.nn.Module) else made).dtype == torch.bfloat16
    said = r"^pyfront has no bfloat16 storage.*use torch.float16 or torch.float32"
    with pytest.raises(TypeError, match=said):
        make(pyfront, device)


def test_set_default_dtype_is_the_same_error_and_leaves_the_default():
    with pytest.raises(TypeError, match="pyfront has no bfloat16 storage"):
        pyfront.set_default_dtype(pyfront.bfloat16)
    assert pyfront.get_default_dtype() is pyfront.float32


def test_the_name_is_torchs():
    assert repr(pyfront.bfloat16) == repr(torch.bfloat16) == str(pyfront.bfloat16)
    assert pyfront.bfloat16.is_floating_point and pyfront.bfloat16.itemsize == torch.bfloat16.itemsize
    assert pyfront.bfloat16 != pyfront.float16 and pyfront.bfloat16 is not pyfront.float32
    for other in ["float16", "float32", "float64", "int64", "bool", "bfloat16"]:
        got = pyfront.promote_types(pyfront.bfloat16, getattr(pyfront, other))
        assert repr(got) == repr(torch.promote_types(torch.bfloat16, getattr(torch, other)))
    f, g = pyfront.finfo(pyfront.bfloat16), torch.finfo(torch.bfloat16)
    for field in ("bits", "eps", "max", "min", "tiny", "resolution"):
        assert getattr(f, field) == getattr(g, field), field
    assert pyfront.cuda.is_bf16_supported() is False


def test_the_pickled_name_comes_back_as_itself():
    import pickle
    assert pickle.loads(pickle.dumps(pyfront.bfloat16)) is pyfront.bfloat16


def test_nanogpt_dtype_table_reads():
    # nanoGPT's train.py: the table is built on every device, bfloat16 only used when supported
    dtype = "bfloat16" if pyfront.cuda.is_available() and pyfront.cuda.is_bf16_supported() else "float16"
    ptdtype = {"float32": pyfront.float32, "bfloat16": pyfront.bfloat16, "float16": pyfront.float16}[dtype]
    assert ptdtype is pyfront.float16

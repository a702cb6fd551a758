"""Bad input: pyfront raises torch's exception type with torch's exact message.

Each case runs the same call on torch and pyfront; torch's outcome (its exception, or its value
when it accepts the call) is the expected one, and so are its warnings. The only differences
allowed are the documented ones of ``optable.torch_text``. Mixing devices is tested in
test_webgpu.py, where the second device exists.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

import pyfront
from optable import build, entries, torch_text, warns_as
from pyfront.ops.samples import T

A = np.arange(12, dtype="float32").reshape(3, 4)


def _outcome(case, lib):
    """("ok", value) or (exception type, message) of ``case(lib)``."""
    try:
        value = case(lib)
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return type(e), torch_text(e)
    if isinstance(value, (torch.Tensor, pyfront.Tensor)):
        value = (tuple(value.shape), str(value.dtype), repr(value.tolist()))  # repr: nan equals nan
    return "ok", value


def assert_like_torch(case):
    """pyfront's outcome is torch's, and it warns as torch does (any other warning is an error)."""
    with warnings.catch_warnings(record=True) as t_warned:
        warnings.simplefilter("always")
        expected = _outcome(case, torch)
    with warns_as(t_warned):
        got = _outcome(case, pyfront)
    assert got == expected


def _random_values(call):
    """A sampler's result is random: compare its shape and dtype, not its values."""
    return lambda lib: (lambda t: (tuple(t.shape), str(t.dtype)))(call(lib))


CASES = {
    "add_broadcast_mismatch": lambda lib: lib.tensor(A) + lib.ones(3),
    "add_broadcast_mismatch_3d": lambda lib: lib.ones(2, 3, 4) + lib.ones(5, 1),
    "mul_broadcast_mismatch": lambda lib: lib.ones(2, 3).mul(lib.ones(4, 3)),
    "broadcast_two_mismatches": lambda lib: lib.ones(2, 3) - lib.ones(4, 5),
    "broadcast_left_longer": lambda lib: lib.ones(5, 1) * lib.ones(2, 3, 4),
    "view_of_non_contiguous": lambda lib: lib.tensor(A).t().view(12),
    "view_wrong_size": lambda lib: lib.tensor(A).view(5, 3),
    "reshape_wrong_size": lambda lib: lib.tensor(A).reshape(5, 2),
    "reshape_two_inferred": lambda lib: lib.tensor(A).reshape(-1, -1),
    "reshape_inferred_impossible": lambda lib: lib.tensor(A).reshape(-1, 5),
    "sum_bad_dim": lambda lib: lib.tensor(A).sum(2),
    "sum_bad_negative_dim": lambda lib: lib.tensor(A).sum(-3),
    "transpose_bad_dim": lambda lib: lib.tensor(A).transpose(0, 5),
    "unsqueeze_bad_dim": lambda lib: lib.tensor(A).unsqueeze(3),
    "squeeze_bad_dim": lambda lib: lib.tensor(A).squeeze(-4),
    "size_bad_dim": lambda lib: lib.tensor(A).size(2),
    "select_bad_dim_0d": lambda lib: lib.tensor(1.0).unsqueeze(-2),
    "expand_non_singleton": lambda lib: lib.ones(3, 4).expand(3, 5),
    "expand_too_few_sizes": lambda lib: lib.ones(3, 4).expand(4),
    "requires_grad_on_int_factory": lambda lib: lib.tensor([1, 2], requires_grad=True),
    "requires_grad_on_int_method": lambda lib: lib.tensor([1, 2]).requires_grad_(),
    "requires_grad_on_int_attribute": lambda lib: setattr(lib.tensor([1, 2]), "requires_grad", True),
    "item_of_many": lambda lib: lib.tensor(A).item(),
    "item_of_empty": lambda lib: lib.ones(0).item(),
    "bool_of_many": lambda lib: bool(lib.tensor(A)),
    "bool_of_empty": lambda lib: bool(lib.ones(0)),
    "len_of_0d": lambda lib: len(lib.tensor(1.0)),
    "iter_of_0d": lambda lib: iter(lib.tensor(1.0)),
    "backward_non_scalar": lambda lib: (lib.ones(3, requires_grad=True) * 2).backward(),
    "in_place_on_leaf": lambda lib: lib.ones(3, requires_grad=True).add_(1),
    "numpy_of_requires_grad": lambda lib: lib.ones(3, requires_grad=True).numpy(),
    # Python's number protocol: ValueError, not item()'s RuntimeError
    "int_of_many": lambda lib: int(lib.ones(2)),
    "float_of_many": lambda lib: float(lib.ones(2)),
    "float_of_empty": lambda lib: float(lib.ones(0)),
    "complex_of_many": lambda lib: complex(lib.ones(2)),
    "index_of_float": lambda lib: [0, 1][lib.tensor(1.0)],
    "index_of_many": lambda lib: [0, 1][lib.tensor([0, 1])],
    # out-of-range indices: the builtin types, whatever the op
    "getitem_index_tensor": lambda lib: lib.ones(2)[lib.tensor([5])],
    "getitem_negative": lambda lib: lib.ones(2, 3)[:, lib.tensor([-4])],
    "gather_out_of_range": lambda lib: lib.ones(2, 3).gather(1, lib.tensor([[3]])),
    "scatter_negative": lambda lib: lib.ones(2, 3).scatter(1, lib.tensor([[-1]]), lib.ones(1, 1)),
    "index_select_out_of_range": lambda lib: lib.ones(2, 3).index_select(1, lib.tensor([7])),
    "take_out_of_range": lambda lib: lib.ones(2, 3).take(lib.tensor([6])),
    "index_fill_out_of_range": lambda lib: lib.ones(2, 3).index_fill(1, lib.tensor([3]), 0.0),
    "index_copy_out_of_range": lambda lib: lib.ones(2, 3).index_copy(1, lib.tensor([3]), lib.ones(2, 1)),
    "index_put_out_of_range": lambda lib: lib.ones(3).index_put_((lib.tensor([3]),), lib.tensor(1.0)),
    # allocation that cannot succeed
    "zeros_too_large": lambda lib: lib.zeros(2**40),
    # multinomial's argument and probability checks
    "multinomial_nan": lambda lib: lib.multinomial(lib.tensor([0.5, float("nan")]), 1),
    "multinomial_inf": lambda lib: lib.multinomial(lib.tensor([0.5, float("inf")]), 1, True),
    "multinomial_negative": lambda lib: lib.multinomial(lib.tensor([[0.5, 0.5], [0.5, -1.0]]), 1),
    "multinomial_zero_sum": lambda lib: lib.multinomial(lib.tensor([0.0, 0.0]), 1),
    "multinomial_int": lambda lib: lib.multinomial(lib.tensor([1, 2]), 1),
    "multinomial_0d": lambda lib: lib.multinomial(lib.tensor(0.5), 1),
    "multinomial_3d": lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1),
    "multinomial_no_samples": lambda lib: lib.multinomial(lib.ones(3), 0),
    "multinomial_too_many": lambda lib: lib.multinomial(lib.ones(3), 4),
    "multinomial_float_count": lambda lib: lib.multinomial(lib.ones(3), 1.5),
    "multinomial_zero_rest": lambda lib: lib.multinomial(lib.tensor([1.0, 0.0, 0.0]), 3),
    "multinomial_empty_rows": lambda lib: lib.multinomial(lib.ones(0, 3), 2),
    # shifts: dtypes and out-of-range amounts as torch
    "rshift_float": lambda lib: lib.ones(2) >> 1,
    "lshift_float_amount": lambda lib: lib.tensor([8]) << 1.5,
    "rshift_bool": lambda lib: lib.tensor([True]) >> lib.tensor([True]),
    "lshift_function_float": lambda lib: lib.bitwise_left_shift(lib.ones(2), 1),
    "rshift_negative_values": lambda lib: lib.tensor([-8, 8, -1]) >> lib.tensor([1, 70, 3]),
    "lshift_number_tensor": lambda lib: 2 << lib.tensor([3, 64, -1]),
    "rshift_inplace": lambda lib: lib.tensor([8, 4]).__irshift__(2),
    # .T and friends
    "H_of_3d": lambda lib: lib.ones(2, 3, 4).H,
    "H_of_1d": lambda lib: lib.ones(3).H,
    "mT_of_1d": lambda lib: lib.ones(3).mT,
    "mH_of_1d": lambda lib: lib.ones(3).mH,
    # devices: torch's types are devices; a tensor on one fails as in a CPU-only build
    "device_cuda_object": lambda lib: str(lib.device("cuda:1")),
    "to_cuda": lambda lib: lib.ones(2).to("cuda"),
    "factory_on_cuda": lambda lib: lib.ones(2, device="cuda"),
    "tensor_on_cuda0": lambda lib: lib.tensor([1.0], device="cuda:0"),
    "to_xpu": lambda lib: lib.ones(2).to("xpu"),
    "to_mps": lambda lib: lib.ones(2).to("mps"),
    "to_hip": lambda lib: lib.ones(2).to("hip"),
    "to_device_object_cuda": lambda lib: lib.zeros(1).to(lib.device("cuda")),
    "device_digit_string": lambda lib: lib.ones(2).to("float32"),
    "device_bad_index": lambda lib: lib.device("cpu:x"),
    # dtype arguments that are not dtypes (Python types are: float, int, bool)
    "to_python_float": lambda lib: lib.ones(2, dtype=lib.int64).to(float),
    "to_none": lambda lib: lib.ones(2).to(None),
    "to_dtype_str_keyword": lambda lib: lib.ones(2).to(dtype="float32"),
    "to_device_and_bad_dtype": lambda lib: lib.ones(2).to("cpu", dtype="a", copy=False),
    "type_str": lambda lib: lib.ones(2).type("float32"),
    "type_legacy_name": lambda lib: lib.ones(2).type("torch.DoubleTensor"),
    "type_python_float": lambda lib: lib.ones(2).type(float),
    "type_int": lambda lib: lib.ones(2).type(3),
    "sum_dtype_str": lambda lib: lib.ones(2).sum(dtype="float32"),
    "sum_dim_dtype_str": lambda lib: lib.ones(2).sum(0, dtype="float32"),
    "cumsum_dtype_int": lambda lib: lib.ones(2).cumsum(0, dtype=3),
    "softmax_dtype_str": lambda lib: lib.softmax(lib.ones(2), 0, dtype="float32"),
    "var_unbiased_and_correction": lambda lib: lib.var(lib.ones(3, 4), unbiased=False, correction=0),
}

_FACTORIES = {
    "zeros": lambda lib, d: lib.zeros(2, dtype=d), "ones": lambda lib, d: lib.ones(2, dtype=d),
    "full": lambda lib, d: lib.full((2,), 1.0, dtype=d),
    "tensor": lambda lib, d: lib.tensor([1.0], dtype=d),
    "as_tensor": lambda lib, d: lib.as_tensor([1.0], dtype=d),
    "arange": lambda lib, d: lib.arange(3, dtype=d),
    "eye": lambda lib, d: lib.eye(2, dtype=d), "linspace": lambda lib, d: lib.linspace(0, 1, 3, dtype=d),
    "zeros_like": lambda lib, d: lib.zeros_like(lib.ones(2), dtype=d),
    "full_like": lambda lib, d: lib.full_like(lib.ones(2), 1, dtype=d),
    "new_zeros": lambda lib, d: lib.ones(2).new_zeros(2, dtype=d),
    "scalar_tensor": lambda lib, d: lib.scalar_tensor(1, dtype=d),
    "empty": lambda lib, d: lib.empty(2, dtype=d).shape,
}
_RANDOM_FACTORIES = {
    "rand": lambda lib, d: lib.rand(2, dtype=d), "randn": lambda lib, d: lib.randn(2, dtype=d),
    "randint": lambda lib, d: lib.randint(0, 3, (2,), dtype=d),
    "randperm": lambda lib, d: lib.randperm(3, dtype=d),
    "rand_like": lambda lib, d: lib.rand_like(lib.ones(2), dtype=d),
}
for _name, _f in _FACTORIES.items():
    for _label, _d in (("str", "float32"), ("int", 3), ("python_float", float), ("python_bool", bool)):
        CASES[f"{_name}_dtype_{_label}"] = (lambda f, d: lambda lib: f(lib, d))(_f, _d)
for _name, _f in _RANDOM_FACTORIES.items():
    for _label, _d in (("str", "float32"), ("python_float", float)):
        CASES[f"{_name}_dtype_{_label}"] = _random_values((lambda f, d: lambda lib: f(lib, d))(_f, _d))


@pytest.mark.parametrize("name", list(CASES))
def test_error_matches_torch(name):
    assert_like_torch(CASES[name])


# -- operators with operands that are neither tensors nor numbers --------------------------------
# torch returns NotImplemented, so Python raises its own TypeError, and == / != fall back to identity
OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "//", "%", "**", "&", "|", "^", "<<", ">>",
             "@"]
OPERANDS = {"str": '"a"', "none": "None", "list": "[1.0, 2.0]", "tuple": "(1, 2)", "object": "object()"}


@pytest.mark.parametrize("operand", list(OPERANDS))
@pytest.mark.parametrize("op", OPERATORS)
def test_operator_with_foreign_operand(op, operand):
    other = OPERANDS[operand]
    assert_like_torch(eval(f"lambda lib: lib.ones(2, dtype=lib.int64) {op} {other}"))
    assert_like_torch(eval(f"lambda lib: {other} {op} lib.ones(2, dtype=lib.int64)"))


# -- every op of the op table, called with a non-Tensor where its first Tensor goes ---------------
WRONG_INPUTS = {"str": "x", "none": None, "list": [1.0, 2.0]}
# (not the Tensor-only methods, such as Tensor.unfold: called unbound with a str as self, torch's error is
# its C descriptor's, not the op's)
_FIRST_TENSOR = [pytest.param(e, id=e[0]) for e in entries()
                 if e[2] and e[2][0][0] and isinstance(e[2][0][0][0], T) and not e[1].startswith("Tensor.")]


@pytest.mark.parametrize("wrong", list(WRONG_INPUTS))
@pytest.mark.parametrize("entry", _FIRST_TENSOR)
def test_op_with_wrong_typed_input(entry, wrong):
    name, torch_name, samples, domain, _ = entry
    args, kwargs = samples[0]
    rng = np.random.default_rng(0)
    built = [build(a, domain, rng) for a in args[1:]]
    kw = {k: build(v, domain, rng) for k, v in kwargs.items()}

    def call(lib):
        fn = lib
        for part in torch_name.split("."):
            fn = getattr(fn, part)
        i = 1 if lib is torch else 0
        return fn(WRONG_INPUTS[wrong], *[b[i] for b in built], **{k: v[i] for k, v in kw.items()})

    assert_like_torch(call)

"""Arguments as torch 2.13's Python argument parser reads them, by kind, in function and method forms:
an int past int64 (a ValueError as one int, torch's TypeError inside a dim or size list), a float, a
NumPy float, a 0-d NumPy array or a string where an int goes (pyfront's ops read ``1.0`` as an int), a
0-d integer array where a ``SymInt`` goes (torch takes it), a bad ``dtype=`` beside a keyword the
function lacks or an argument left out (torch names those first), and a list with a bad element in a
call that fits no signature (torch's invalid combination, not the element)."""
import numpy as np
import pytest

import pyfront

torch = pytest.importorskip("torch")

BIG = 2 ** 64
# a value per kind of wrong int: past int64 either way, a float, a NumPy float, a 0-d integer array, a str
WRONG_INTS = [BIG, -2 ** 63 - 1, 1.0, np.float64(1.0), np.array(1), "a"]

# (call, whether torch has the function form): each int argument's value is the placeholder V
INT_CALLS = [
    ("narrow(x, 0, V, 1)", True), ("narrow(x, 0, 0, V)", True), ("select(x, 0, V)", True),
    ("diagonal(x, V)", True), ("diag(x, V)", True), ("tril(x, V)", True), ("triu(x, V)", True),
    ("topk(x, V)", True), ("kthvalue(x, V)", True), ("roll(x, V)", True), ("diff(x, V)", True),
    ("repeat_interleave(x, V)", True), ("chunk(x, V)", True), ("round(x, decimals=V)", True),
    ("rot90(x, V)", True), ("histc(x, V)", True), ("unsafe_chunk(x, V)", True),
    ("narrow_copy(x, 0, V, 1)", True), ("tril_(V)", False), ("triu_(V)", False),
    ("round_(decimals=V)", False), ("hsplit(x, V)", True), ("vsplit(x, V)", True),
    ("tensor_split(x, V)", True), ("hann_window(V)", True), ("kaiser_window(V)", True),
]
# an int past int64 inside a list of dims or sizes: torch's TypeError naming the argument and the position
LIST_CALLS = [
    "sum(x, (0, V))", "sum(x, dim=[V])", "mean(x, (V,))", "amax(x, (V,))", "std(x, (V,))", "flip(x, (V,))",
    "movedim(x, (V,), (0,))", "tile(x, (V,))", "roll(x, (V,))", "roll(x, 1, (V,))", "permute(x, (V, 0))",
    "logsumexp(x, (V,))", "unflatten(x, 0, (V,))", "reshape(x, (V,))", "nansum(x, (V,))",
]
# a bad dtype= beside what torch's parser names first, and a list in a call no signature takes
ORDER_CALLS = [
    "x.transpose(dim=0, dtype='a')", "x.select(dim=0, dtype='a')", "x.narrow(dim=0, dtype='a')",
    "x.topk(dim=0, dtype='a')", "x.unsqueeze(dim=0, dtype='a')", "x.argmax(dim=0, dtype='a')",
    "x.squeeze(dim=0, dtype='a')", "x.std(dim=0, dtype='a')", "x.movedim(dim=0, dtype='a')",
    "x.movedim((1, 'a'))", "lib.movedim(x, (1, 'a'))", "x.movedim((1, 2**64))",
]


def _outcome(lib, code, v=None):
    x = lib.ones(2, 3)
    try:
        out = eval(code, {"lib": lib, "x": x, "V": v, "np": np})  # (the calls above, as text)
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared
        return type(e).__name__, str(e).split("\nException raised from")[0]
    return "ok", str(out.shape) if isinstance(out, (torch.Tensor, pyfront.Tensor)) else type(out).__name__


def _forms(call: str, function: bool):
    """The call as torch.f(x, ...) (where torch has it) and as x.f(...)."""
    name, rest = call.split("(", 1)
    if not rest.startswith("x"):  # a factory, or an in-place method
        return [f"lib.{call}"] if function else [f"x.{call}"]
    method = f"x.{name}({rest.removeprefix('x, ').removeprefix('x)')}"
    return ([f"lib.{call}"] if function else []) + [method]


def _differing(codes, values):
    out = []
    for code in codes:
        for v in values:
            want, got = _outcome(torch, code, v), _outcome(pyfront, code, v)
            if want != got:
                out.append(f"{code} V={v!r}: {got} where torch {want}")
    return out


def test_wrong_ints_as_torchs_parser():
    codes = [c for call, function in INT_CALLS for c in _forms(call, function)]
    wrong = _differing(codes, WRONG_INTS)
    assert not wrong, "\n".join(wrong)


def test_ints_past_int64_in_lists_are_torchs_type_error():
    codes = [c for call in LIST_CALLS for c in _forms(call, True)]
    wrong = _differing(codes, [BIG, -2 ** 63 - 1, 2 ** 63])
    assert not wrong, "\n".join(wrong)


def test_what_torchs_parser_names_first():
    wrong = _differing(ORDER_CALLS, [None])
    assert not wrong, "\n".join(wrong)


# torch.nn.functional's functions that are C++ bindings in torch read their ints as its parser too
F_CALLS = ["F.avg_pool2d(x, 2, V)", "F.avg_pool2d(x, V)", "F.avg_pool2d(x, 2, divisor_override=V)",
           "F.avg_pool1d(x[0], 2, padding=V)", "F.pixel_shuffle(x, V)", "F.channel_shuffle(x, V)"]


def test_ints_of_nn_functional_bindings_as_torchs_parser():
    wrong = []
    for code in F_CALLS:
        for v in (2 ** 63, -2 ** 63 - 1, 1.0, "a"):
            want, got = (_outcome(lib, code.replace("F.", "lib.nn.functional."), v) for lib in (torch, pyfront))
            if want != got:
                wrong.append(f"{code} V={v!r}: {got} where torch {want}")
    assert not wrong, "\n".join(wrong)

"""A size given to a factory or a shaping method is read as torch's parser reads an int list: typed by its
first element (an int, not a bool), the others unpacked as Python ints, so a bool after the first is 0 or 1
(``nn.Linear(True, 2)``, ``x.view(-1, True)`` work in torch), with torch's text for what is not one."""
import numpy as np
import pytest
import torch

import pyfront

SIZES = [(2, True), (True, 2), ((2, True),), ((True, 2),), (2, 1.5), ((2, 1.5),), (2, 3, 1.5), (2, "a"),
         (2, None), ((None, 2),), (2, np.bool_(True)), (2, np.int64(3)), (2, 2 ** 70), ((2, 2 ** 70),),
         (True,), (2, False), ((1.5, 2),)]
CALLS = {
    "empty": lambda t, x, s: t.empty(*s),
    "zeros": lambda t, x, s: t.zeros(*s),
    "ones": lambda t, x, s: t.ones(*s),
    "rand": lambda t, x, s: t.rand(*s),
    "new_zeros": lambda t, x, s: x.new_zeros(*s),
    "reshape": lambda t, x, s: x.reshape(*s),
    "view": lambda t, x, s: x.view(*s),
    "new_empty": lambda t, x, s: x.new_empty(*s),
    "randn": lambda t, x, s: t.randn(*s),
    "full": lambda t, x, s: t.full(s if len(s) != 1 else s[0], 1.0),
    "expand": lambda t, x, s: t.ones(1, 1).expand(*s),
    "repeat": lambda t, x, s: t.ones(1, 1).repeat(*s),
    "permute": lambda t, x, s: t.ones(2, 1).permute(*s),
}


# where torch has overloads (view takes a dtype, rand/randn a generator) a non-int first element gets
# "received an invalid combination of arguments - got (...), but expected one of:" and the overload list:
# pyfront's text for that is a known difference (the overload lists are not kept)
OVERLOADED = ("view", "rand", "randn")


def _known(name, size):
    first = size[0][0] if len(size) == 1 and isinstance(size[0], tuple) else size[0]
    return name in OVERLOADED and (isinstance(first, bool) or not isinstance(first, int))


def _outcome(lib, call, size):
    x = lib.arange(2.0)
    try:
        return "ok", list(call(lib, x, size).shape)
    except Exception as e:
        return type(e).__name__, str(e).split("\n")[0]


@pytest.mark.parametrize("name", CALLS)
def test_size_arguments_as_torch_reads_them(name):
    wrong = []
    for size in SIZES:
        theirs, ours = _outcome(torch, CALLS[name], size), _outcome(pyfront, CALLS[name], size)
        if theirs != ours and not _known(name, size):
            wrong.append(f"{name}{size!r}: torch {theirs}, pyfront {ours}")
    assert not wrong, "\n".join(wrong)


def test_a_layer_of_bool_width_is_built_as_torchs():
    assert list(pyfront.nn.Linear(True, 2).weight.shape) == list(torch.nn.Linear(True, 2).weight.shape)


ROLLS = [(1,), (1, 1), (1, np.int64(1)), ((1, 1), (0, 1)), ((1, True), (0, 1)), (1.5,), (1, 1.5),
         ((True, 1), (0, 1)), (True,), ((1, "a"), (0, 1)), ((), ()), (np.int64(2),), ((1, None), (0, 1))]


def test_roll_reads_its_shifts_and_dims_as_torch():
    """roll's shifts and dims are int lists too (it had a parse of its own that refused NumPy ints)."""
    wrong = []
    for args in ROLLS:
        outcomes = []
        for lib in (torch, pyfront):
            try:
                outcomes.append(lib.arange(6.0).reshape(2, 3).roll(*args).tolist())
            except Exception as e:
                outcomes.append((type(e).__name__, str(e).split("\n")[0]))
        if outcomes[0] != outcomes[1]:
            wrong.append(f"roll{args!r}: torch {outcomes[0]}, pyfront {outcomes[1]}")
    assert not wrong, "\n".join(wrong)

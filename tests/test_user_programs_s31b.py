"""The faults session 31's second round of user-style scripts found (tests/programs/user_checkpoints.py,
user_hooks_func_amp.py, user_mistakes.py), each checked as a kind against torch 2.13: Python types torch's
weights-only load allows, get_unsafe_globals_in_checkpoint, torch.nn.modules.utils, the full backward hook's
warning, embedding's table checks, and torch.return_types as torch's structseq."""
from __future__ import annotations

import collections
import copy
import io
import os
import pickle
import warnings

import pytest
import torch

import pyfront


def _outcome(fn):
    """(exception type name, message) or ('ok', repr of the result)."""
    try:
        return "ok", repr(fn())
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e)


PYTHON_VALUES = [1 + 2j, complex(0, -1.5), bytearray(b"xy\x00\xff"), bytearray(), collections.Counter("aab"),
                 collections.Counter()]


@pytest.mark.parametrize("saver", ["torch", "pyfront"])
def test_weights_only_load_takes_the_python_types_torch_allows(saver):
    for value in PYTHON_VALUES:
        buf = io.BytesIO()
        (torch if saver == "torch" else pyfront).save({"v": value}, buf)
        got = pyfront.load(io.BytesIO(buf.getvalue()))["v"]
        want = torch.load(io.BytesIO(buf.getvalue()))["v"]
        assert type(got) is type(want) and got == want


class _Config:
    def __init__(self, lr):
        self.lr = lr


def test_unsafe_globals_in_checkpoint_as_torch_lists_them():
    objects = [{"w": torch.ones(2), "c": 1j, "n": collections.Counter("a")}, {"cfg": _Config(0.1)},
               {"cfg": [_Config(1), _Config(2)], "od": collections.OrderedDict(a=1)}]
    for obj in objects:
        buf = io.BytesIO()
        torch.save(obj, buf)
        data = buf.getvalue()
        want = sorted(torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)))
        assert sorted(pyfront.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data))) == want
        with torch.serialization.safe_globals([_Config]), pyfront.serialization.safe_globals([_Config]):
            want = torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data))
            assert pyfront.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(data)) == want == []
    not_zip = io.BytesIO(pickle.dumps({"a": 1}))
    assert _outcome(lambda: pyfront.serialization.get_unsafe_globals_in_checkpoint(not_zip)) == \
        _outcome(lambda: torch.serialization.get_unsafe_globals_in_checkpoint(io.BytesIO(not_zip.getvalue())))


def test_nn_modules_utils_as_torchs():
    import torch.nn.modules.utils as theirs
    ours = pyfront.nn.modules.utils
    for name in ("_single", "_pair", "_triple", "_quadruple"):
        for arg in (3, (1, 2), [4, 5, 6], "ab", 2.5):
            assert getattr(ours, name)(arg) == getattr(theirs, name)(arg)
        assert getattr(ours, name).__name__ == name
    assert ours._reverse_repeat_tuple((1, 2, 3), 2) == theirs._reverse_repeat_tuple((1, 2, 3), 2)
    for size in (5, [None, 3], [2, None, None]):
        assert _outcome(lambda: ours._list_with_default(size, [7, 8, 9])) == \
            _outcome(lambda: theirs._list_with_default(size, [7, 8, 9]))
    assert _outcome(lambda: ours._list_with_default([1, 2, 3], [7, 8])) == \
        _outcome(lambda: theirs._list_with_default([1, 2, 3], [7, 8]))
    results = []
    for mod in (torch, pyfront):
        sd = mod.nn.Sequential(mod.nn.Linear(2, 2)).state_dict()
        wrapped = collections.OrderedDict(("module." + k, v) for k, v in sd.items())
        wrapped._metadata = collections.OrderedDict(("module" + ("." + k if k else ""), v)
                                                    for k, v in sd._metadata.items())
        wrapped._metadata[""] = {"version": 1}
        mod.nn.modules.utils.consume_prefix_in_state_dict_if_present(wrapped, "module.")
        results.append((list(wrapped), list(wrapped._metadata)))
    assert results[0] == results[1]
    assert pyfront.nn.utils.clip_grad_norm_ is not None  # nn.utils is still torch.nn.utils


def _hook_warnings(mod, register, grad_of_weight: bool):
    layer = mod.nn.Linear(2, 2)
    register(layer)
    out = layer(mod.ones(1, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if grad_of_weight:
            mod.autograd.grad(out.sum(), layer.weight)
        else:
            out.sum().backward()
    return [str(w.message) for w in caught]


@pytest.mark.parametrize("register", [lambda m: m.register_full_backward_hook(lambda *a: None),
                                      lambda m: m.register_full_backward_pre_hook(lambda *a: None)],
                         ids=["hook", "pre_hook"])
@pytest.mark.parametrize("grad_of_weight", [False, True])
def test_full_backward_hooks_warn_as_torch_when_no_input_requires_grad(register, grad_of_weight):
    got = _hook_warnings(pyfront, register, grad_of_weight)
    assert got and got == _hook_warnings(torch, register, grad_of_weight)


def test_embedding_table_checks_as_torchs():
    cases = [((2,), {}), ((2, 3, 4), {}), ((), {}), ((), {"padding_idx": 0}), ((), {"padding_idx": 1}),
             ((2,), {"max_norm": 1.0}), ((2, 2, 2), {"max_norm": 1.0}), ((3, 2), {"max_norm": 1.0})]
    for shape, kwargs in cases:
        for idx_dtype in ("int64", "float32"):
            def call(mod):
                indices = mod.tensor([1], dtype=getattr(mod, idx_dtype))
                return mod.nn.functional.embedding(indices, mod.ones(shape), **kwargs)
            assert _outcome(lambda: call(pyfront)) == _outcome(lambda: call(torch)), (shape, kwargs)
    assert _outcome(lambda: pyfront.embedding(pyfront.ones(2), pyfront.tensor([1]))) == \
        _outcome(lambda: torch.embedding(torch.ones(2), torch.tensor([1])))


RESULTS = [lambda m: m.tensor([[1.0, 3.0], [2.0, 0.5]]).max(1), lambda m: m.tensor([3.0, 1.0]).sort(),
           lambda m: m.tensor([3.0, 1.0, 2.0]).topk(2), lambda m: m.aminmax(m.tensor([1.0, 4.0])),
           lambda m: m.linalg.slogdet(m.eye(2)), lambda m: m.frexp(m.tensor([3.0]))]


@pytest.mark.parametrize("make", RESULTS, ids=["max", "sort", "topk", "aminmax", "slogdet", "frexp"])
def test_return_types_behave_as_torchs_structseq(make):
    r, t = make(pyfront), make(torch)
    kind = type(r)
    first = [f for f in dir(type(t)) if not f.startswith(("_", "n_")) and f not in dir(tuple)][0]
    for probe in [lambda x: x.foo, lambda x: setattr(x, "foo", 1), lambda x: setattr(x, first, 1),
                  lambda x: delattr(x, first), lambda x: x._fields, lambda x: x._asdict(), lambda x: vars(x),
                  lambda x: (x.n_fields, x.n_sequence_fields, x.n_unnamed_fields),
                  lambda x: type(x)(), lambda x: type(x)((1,)), lambda x: type(x)(5),
                  lambda x: tuple(type(x)([1, 2])) if len(x) == 2 else None,
                  lambda x: tuple(type(x)(sequence=tuple(range(len(x))))),
                  lambda x: tuple(type(x)(tuple(range(len(x))), {}))]:
        assert _outcome(lambda: probe(r)) == _outcome(lambda: probe(t))
    assert type(pickle.loads(pickle.dumps(r))) is kind and type(copy.deepcopy(r)) is kind
    collated = pyfront.utils.data.default_collate([r, r]), torch.utils.data.default_collate([t, t])
    assert type(collated[0]) is type(collated[1]) is list


def _jit_warning_files(mod):
    layer = mod.nn.Linear(2, 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mod.jit.trace(layer, mod.ones(1, 2), check_trace=False)
        mod.jit.script(layer)
    return [(str(w.message), w.filename) for w in caught if w.category is DeprecationWarning]


def test_jit_deprecations_come_from_the_library_as_torchs():
    """torch warns from its own line, so Python's default filters hide the DeprecationWarning from a user's
    script; one attributed to the script's __main__ would show on every run."""
    ours, theirs = _jit_warning_files(pyfront), _jit_warning_files(torch)
    assert [m for m, _ in ours] == [m for m, _ in theirs]
    assert all(f.startswith(os.path.dirname(pyfront.__file__)) for _, f in ours)


def test_aten_embedding_padding_idx_is_an_unwrapped_row_number():
    """torch.embedding (ATen's) neither checks nor wraps padding_idx: a negative one or one past the table
    holds no row out of the gradient (F.embedding wraps and checks it)."""
    for padding_idx in (-100, -2, -1, 0, 1, 2, 100):
        grads = []
        for mod in (torch, pyfront):
            w = mod.ones(3, 2, requires_grad=True)
            mod.embedding(w, mod.tensor([0, 1, 2, 1]), padding_idx=padding_idx).sum().backward()
            grads.append(w.grad.tolist())
        assert grads[0] == grads[1], padding_idx

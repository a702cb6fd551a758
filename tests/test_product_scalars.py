"""beta and alpha of the add-and-multiply family (addmm, addmm_, addmv, baddbmm, addbmm) converted to the
type torch computes in, with its range check: an int past the integer dtype, a complex number for a real
dtype, a float past float32 give torch's "value cannot be converted to type ... without overflow" (pyfront
returned wrapped, truncated or complex results: a fresh user's find)."""
import torch

import pyfront

CASES = [("int64", {"alpha": 2**63}), ("int32", {"alpha": 2**40}), ("int32", {"beta": 2**31}),
         ("int16", {"alpha": 2**20}), ("uint8", {"alpha": 300}), ("float32", {"alpha": 1j}),
         ("float64", {"beta": 1j}), ("float16", {"alpha": 1j}), ("bfloat16", {"alpha": 1j}),
         ("float32", {"alpha": 1e300}), ("int64", {"alpha": 1.5}), ("float32", {"alpha": 2.0, "beta": 0.5}),
         # (addmv of a 16-bit input names the 16-bit type, c10::Half, past its range; the others compute)
         ("float16", {"beta": 1e5}), ("float16", {"alpha": 70000.0}), ("bfloat16", {"alpha": 1e39}),
         ("float16", {"beta": 0, "alpha": 2**40})]


def _outcome(L, op, dtype, kwargs):
    D = getattr(L, dtype)
    vec, mat, batch = L.ones(2, dtype=D), L.ones(2, 2, dtype=D), L.ones(3, 2, 2, dtype=D)
    calls = {"addmm": lambda: L.addmm(mat, mat, mat, **kwargs),
             "addmv": lambda: L.addmv(vec, mat, vec, **kwargs),
             "baddbmm": lambda: L.baddbmm(batch, batch, batch, **kwargs),
             "addbmm": lambda: L.addbmm(mat, batch, batch, **kwargs),
             "addmm_": lambda: mat.clone().addmm_(mat, mat, **kwargs)}
    try:
        return calls[op]().tolist()
    except RuntimeError as e:
        return str(e)


def test_beta_and_alpha_convert_as_torchs():
    differ = []
    for op in ("addmm", "addmm_", "addmv", "baddbmm", "addbmm"):
        for dtype, kwargs in CASES:
            if _outcome(torch, op, dtype, kwargs) != _outcome(pyfront, op, dtype, kwargs):
                differ.append((op, dtype, kwargs))
    assert not differ, differ


def test_addmv_of_an_empty_product_reads_beta_alone_as_torchs():
    """torch's addmv of an empty matrix scales the input by beta, a number of its dtype (a 16-bit one rounded,
    a float32 one range-checked), and reads no alpha (pyfront's inf alpha made NaN, its float32 check refused
    a 16-bit input's 1e39)."""
    for dtype in ("float16", "bfloat16", "float32", "float64"):
        for shapes in (((2,), (2, 0), (0,)), ((0,), (0, 2), (2,)), ((), (2, 0), (0,))):
            for kwargs in ({"beta": 1e39}, {"alpha": float("inf")}, {"beta": 0, "alpha": -1e39},
                           {"beta": 2.5}):
                def call(L):
                    a, m, v = (L.ones(s, dtype=getattr(L, dtype)) for s in shapes)
                    try:
                        return L.addmv(a, m, v, **kwargs).tolist()
                    except RuntimeError as e:
                        return str(e)
                assert call(pyfront) == call(torch), (dtype, shapes, kwargs)


def test_linear_of_a_matrix_with_a_vector_weight_and_a_bias_is_refused_as_torchs():
    """torch runs addmm(bias, input, weight.t()) for a 2-d input with a bias: a 1-d weight is refused there,
    and multiplied out everywhere else (pyfront computed the 2-d case: a fresh user's find)."""
    for shapes in [((2, 4), (4,), ()), ((2, 4), (4,), (1,)), ((2, 4), (4,), None), ((3, 2, 4), (4,), ()),
                   ((4,), (4,), ())]:
        got = []
        for L in (torch, pyfront):
            x, w = L.ones(shapes[0]), L.ones(shapes[1])
            b = None if shapes[2] is None else L.ones(shapes[2])
            try:
                got.append(tuple(L.nn.functional.linear(x, w, b).shape))
            except RuntimeError as e:
                got.append(str(e))
        assert got[0] == got[1], shapes

"""Ops that torch runs without type promotion refuse operands of another dtype, in torch's words, where a
promoting implementation would silently compute (isclose/allclose, lerp's end and weight, cdist's kernel,
repeat_interleave's repeats), and addcdiv refuses an integer division only when both divided operands are
integers (bool included)."""
import pytest
import torch

import pyfront

DTYPES = ["float32", "float64", "float16", "int64", "int32", "uint8", "bool"]


def _make(lib, dtype):
    return lib.tensor([1.0, 0.0, 2.0]).to(getattr(lib, dtype))


def _outcome(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - the exception is what is compared
        return type(e).__name__, str(e).split("\n")[0]
    if isinstance(out, bool):
        return "bool", out
    return str(out.dtype).split(".")[-1], out.flatten().tolist()


CASES = {
    "isclose": lambda lib, a, b: lib.isclose(a, b),
    "allclose": lambda lib, a, b: lib.allclose(a, b),
    "Tensor.isclose": lambda lib, a, b: a.isclose(b),
    "lerp_end": lambda lib, a, b: lib.lerp(a, b, 0.5),
    "lerp_weight": lambda lib, a, b: lib.lerp(a, a, b),
    "lerp_0d_weight": lambda lib, a, b: lib.lerp(a, a, b[0]),
    "lerp_": lambda lib, a, b: a.clone().lerp_(b, 0.25),
    "addcdiv_t1": lambda lib, a, b: lib.addcdiv(a, b, a),
    "addcdiv_t2": lambda lib, a, b: lib.addcdiv(a, a, b),
    "addcdiv_both": lambda lib, a, b: lib.addcdiv(a, b, b),
    # cdist's distance kernel (small sizes, or p != 2) reads x2 as x1's type; its matmul form refuses too
    "cdist": lambda lib, a, b: lib.cdist(a.view(3, 1), b.view(3, 1)),
    "cdist_p1": lambda lib, a, b: lib.cdist(a.view(3, 1), b.view(3, 1), p=1.0),
    "cdist_mm": lambda lib, a, b: lib.cdist(a.repeat(10).view(30, 1), b.view(3, 1)),
    # an empty input returns before the kernel's dtype checks, in x1's dtype (zeros where M is 0)
    "cdist_no_rows": lambda lib, a, b: lib.cdist(a[:0].view(0, 1), b.view(3, 1), p=1.0),
    "cdist_no_columns": lambda lib, a, b: lib.cdist(a.view(3, 1)[:, :0], b.view(3, 1)[:, :0]),
    # kernels that dispatch on the input's dtype (a bool one: NotImplementedError) before reading the other
    "bmm": lambda lib, a, b: lib.bmm(a.view(1, 3, 1), b.view(1, 1, 3)),
    "einsum": lambda lib, a, b: lib.einsum("i,i->", a, b),
    "inner": lambda lib, a, b: lib.inner(a, b),
    "cross": lambda lib, a, b: lib.linalg.cross(a, b),
    # repeats: int32 and int64 only
    "repeat_interleave": lambda lib, a, b: a.repeat_interleave(b),
    "repeat_interleave_counts": lambda lib, a, b: lib.repeat_interleave(b),
}


@pytest.mark.parametrize("db", DTYPES)
@pytest.mark.parametrize("da", DTYPES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_same_dtype_ops(case, da, db):
    fn = CASES[case]
    want = _outcome(lambda: fn(torch, _make(torch, da), _make(torch, db)))
    got = _outcome(lambda: fn(pyfront, _make(pyfront, da), _make(pyfront, db)))
    assert got[0] == want[0]
    if isinstance(want[1], list):
        assert got[1] == pytest.approx(want[1], rel=1e-3 if want[0] == "float16" else 1e-6, nan_ok=True)
    else:
        assert got[1] == want[1]

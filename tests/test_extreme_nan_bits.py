"""NaN's bits and zero's sign from the extremes, as torch's CPU kernels leave them: max()/min()/aminmax() of
a whole tensor set every bit of a NaN (their vector kernel blends by the comparison's mask; float16 0xFE00,
bfloat16 its quiet NaN) and give the zero of a tie its lanes and fold pick; amax/amin give the quiet NaN
whatever NaN came in, max(dim)/min(dim) the NaN itself; and mode over rows holding NaN (std::sort by a plain
<: its order, its runs, its index)."""
import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

_WIDTH = {torch.float64: torch.int64, torch.float32: torch.int32, torch.float16: torch.int16,
          torch.bfloat16: torch.int16}
_PAYLOADS = (0x7FC00000, 0xFFC00000, 0x7FC00123, 0xFFC00042)
_CALLS = {
    "max": lambda lib, x: lib.max(x), "min": lambda lib, x: lib.min(x),
    "aminmax.min": lambda lib, x: lib.aminmax(x)[0], "aminmax.max": lambda lib, x: lib.aminmax(x)[1],
    "aminmax_keepdim": lambda lib, x: lib.aminmax(x, keepdim=True)[1],
    "amax": lambda lib, x: lib.amax(x), "amin": lambda lib, x: lib.amin(x),
    "amax_dim": lambda lib, x: lib.amax(x, 1), "amin_dims": lambda lib, x: lib.amin(x, (0, 1), keepdim=True),
    "max_dim": lambda lib, x: lib.max(x, 1)[0], "min_dim": lambda lib, x: x.min(0).values,
    "method_max": lambda lib, x: x.max(), "one_element": lambda lib, x: x[:1, :1].max(),
}


def _bits(lib, t, dtype):
    width = getattr(lib, str(_WIDTH[dtype]).split(".")[1])
    return t.contiguous().view(width).reshape(-1).tolist()


# bfloat16 NaN elements with payload bits (torch's float -> bfloat16 cast makes every NaN 0xFFFF) come back
# from max(dim)/min(dim) quieted, 0xFFC0, where torch gives the element itself: pyfront computes bfloat16 in
# float32, and ml_dtypes' rounding back keeps the sign and quiet bit only (a known difference, held exact)
_BF16_DIM = {("max_dim", torch.bfloat16): {-1: -64}, ("min_dim", torch.bfloat16): {-1: -64}}


@pytest.mark.parametrize("dtype", list(_WIDTH), ids=str)
@pytest.mark.parametrize("name", list(_CALLS))
def test_nan_bits_as_torch(name, dtype):
    rng = np.random.default_rng(0)
    for payload in _PAYLOADS:
        data = rng.standard_normal((3, 5)).astype(np.float32)
        data.view(np.uint32)[1, 2] = payload
        data.view(np.uint32)[2, 4] = _PAYLOADS[0]
        given = torch.from_numpy(data).to(dtype)
        # the same bits on both sides (the casts' NaN payloads are not this test's)
        same = pyfront.tensor(given.view(_WIDTH[dtype]).numpy()).view(getattr(pyfront, str(dtype)[6:]))
        theirs, ours = _CALLS[name](torch, given), _CALLS[name](pyfront, same)
        known = _BF16_DIM.get((name, dtype), {})
        want = [known.get(b, b) for b in _bits(torch, theirs, dtype)]
        assert _bits(pyfront, ours, dtype) == want, hex(payload)


@pytest.mark.parametrize("dtype,device", [(torch.float32, "cpu"), (torch.float64, "cpu"),
                                          pytest.param(torch.float32, "webgpu", marks=requires_webgpu)],
                         ids=str)
def test_sign_of_a_zero_extreme_as_torch(dtype, device):
    """Rows of 0.0, -0.0 (and -1.0) of many lengths: under a vector, across whole vectors and with a tail;
    on webgpu (its reduction kept the first zero of each thread's share) also over two workgroup chunks
    (32768: past that torch splits the work between threads), and with a pending elementwise input (-x:
    computed in the reduction's loads)."""
    rng = np.random.default_rng(1)
    calls = (lambda lib, x: lib.max(x), lambda lib, x: (-x).min(), lambda lib, x: lib.aminmax(x)[1],
             lambda lib, x: lib.aminmax(-x)[0], lambda lib, x: x.reshape(-1, 1).max())
    for n in (1, 2, 3, 5, 8, 9, 15, 16, 17, 33, 100) + ((300, 32768) if device == "webgpu" else ()):
        for trial in range(6):
            data = np.where(rng.random(n) < 0.5, 0.0, -0.0)
            if trial % 2:
                data[rng.random(n) < 0.4] = -1.0
                data[rng.integers(n)] = 0.0
            theirs = torch.tensor(data, dtype=dtype)
            ours = pyfront.tensor(data, dtype=getattr(pyfront, str(dtype)[6:]), device=device)
            for call in calls:
                assert np.signbit(call(pyfront, ours).item()) == np.signbit(call(torch, theirs).item()), data


@pytest.mark.parametrize("n", [2, 3, 7, 16, 17, 40, 150])
def test_mode_of_rows_holding_nan_as_torch(n):
    """Value bits and index of every row: NaN equals nothing, and std::sort's plain < moves no NaN; rows
    past 16 elements go through introsort's partitions first."""
    rng = np.random.default_rng(n)
    for trial in range(12):
        data = rng.integers(0, 4, size=(4, n)).astype(np.float32)
        data[rng.random((4, n)) < (0.1, 0.3, 0.6)[trial % 3]] = np.nan
        if trial % 4 == 3:
            data[:, ::3] = -0.0
        for dim, shape in ((1, (4, n)), (0, (n, 2, 2))):
            x = data.reshape(4, n).T.reshape(shape).copy() if dim == 0 else data
            tv, ti = torch.mode(torch.from_numpy(x), dim)
            pv, pi = pyfront.mode(pyfront.tensor(x), dim)
            assert pi.tolist() == ti.tolist()
            assert pv.numpy().view(np.uint32).tolist() == tv.numpy().view(np.uint32).tolist()


def test_mode_gradient_reaches_the_index_as_torch():
    data = [[float("nan"), 1.0, float("nan"), 1.0], [3.0, float("nan"), 1.0, float("nan")]]
    t, p = torch.tensor(data, requires_grad=True), pyfront.tensor(data, requires_grad=True)
    torch.mode(t, 1)[0].sum().backward()
    pyfront.mode(p, 1)[0].sum().backward()
    assert p.grad.tolist() == t.grad.tolist()


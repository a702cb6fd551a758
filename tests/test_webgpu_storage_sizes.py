"""A storage's size is its elements', on every device and dtype, as torch's.

webgpu keeps most dtypes in 32-bit lanes (int64, int16, int8, bool ...) and pads its buffers to 4 bytes (an
odd count of float16, an empty storage), so the buffer's size in bytes is not the elements': an odd-length
float16 storage counted one more element, an empty one one element, and ``resize_``/``as_strided`` took
``buffer bytes // itemsize`` for the element count (half of an int64 storage's). Swept: every dtype, sizes
0 to 9, on the cpu and webgpu, against torch: ``nbytes()``, the typed storage's ``size()``, ``as_strided``
reaching the end of the storage and one past it, ``resize_`` shrinking and growing, ``set_`` to the whole
storage, and the storage a saved tensor's record holds.
"""
import io
import warnings

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DTYPES = ["float32", "float16", "int64", "int32", "int16", "int8", "uint8", "bool"]
DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _strided(t, k: int, offset: int):
    try:
        return t.as_strided((k,), (1,), offset).tolist()
    except RuntimeError:
        return "RuntimeError"


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", DTYPES)
def test_storage_sizes_match_torch(dtype, device):
    ours_dtype, theirs_dtype = getattr(pyfront, dtype), getattr(torch, dtype)
    for n in range(10):
        ours, theirs = pyfront.ones(n, dtype=ours_dtype, device=device), torch.ones(n, dtype=theirs_dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # TypedStorage's deprecation
            assert (ours.untyped_storage().nbytes(), ours.storage().size()) == (
                theirs.untyped_storage().nbytes(), theirs.storage().size()), n
        for k in (n, n + 1):  # the last element of the storage, and one past it
            assert _strided(ours, k, 0) == _strided(theirs, k, 0), (n, k)
            assert _strided(ours[1:], k - 1, 1) == _strided(theirs[1:], k - 1, 1), (n, k)
        whole = pyfront.empty(0, dtype=ours_dtype, device=device).set_(ours.untyped_storage())
        assert whole.shape == theirs.new_empty(0).set_(theirs.untyped_storage()).shape
        for k in (max(n - 1, 0), n + 2):  # shrunk, then grown
            mine, yours = ours.clone().resize_(k), theirs.clone().resize_(k)
            assert mine.shape == yours.shape and mine[:min(n, k)].tolist() == yours[:min(n, k)].tolist()
            grown = ours.clone().resize_(max(n - 1, 0)).resize_(n)  # torch keeps the memory: the old values
            assert grown.tolist() == theirs.clone().resize_(max(n - 1, 0)).resize_(n).tolist()
        buf = io.BytesIO()
        pyfront.save(ours[1:], buf)
        buf.seek(0)
        loaded = torch.load(buf)
        assert loaded.untyped_storage().nbytes() == theirs.untyped_storage().nbytes(), n  # the whole storage

"""torch.fft's reading of ``n``, ``s`` and ``dim`` and the order of its checks, as torch's: a 1-D transform's
``n`` of -1 refused (an n-D ``s``'s -1 keeps the size, the last of a c2r one's defaulting to 2 * (m - 1)),
the dims wrapped and unique before ``s`` is measured against them, every size checked before the dtype
of an n-D transform (a 1-D one's dtype first). A seeded sweep of every transform, by value and error."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import pyfront
from warned import torch_text

_ONE = ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")
_MANY = ("fft2", "ifft2", "rfft2", "irfft2", "hfft2", "ihfft2", "fftn", "ifftn", "rfftn", "irfftn", "hfftn",
         "ihfftn")


def _outcome(lib, name, values, dtype, kw):
    try:
        r = getattr(lib.fft, name)(lib.tensor(values, dtype=getattr(lib, dtype)), **kw)
    except Exception as e:  # noqa: BLE001  (type and text are compared)
        return type(e).__name__, torch_text(e)
    return str(r.dtype).split(".")[-1], tuple(r.shape), np.asarray(r.detach().resolve_conj().numpy())


def _cases(count=160):
    rng = np.random.default_rng(7)
    for i in range(count):
        name = (_ONE + _MANY)[i % len(_ONE + _MANY)]
        shape = tuple(int(n) for n in rng.integers(1, 4, size=int(rng.integers(1, 4))))
        dtype = str(rng.choice(["float32", "float64", "int64", "float16", "complex64", "complex128"]))
        values = rng.standard_normal(shape) + (1j * rng.standard_normal(shape) if "complex" in dtype else 0)
        kw = {}
        if name in _ONE:
            if rng.random() < 0.5:
                kw["n"] = int(rng.integers(-1, 5))
            if rng.random() < 0.4:
                kw["dim"] = int(rng.integers(-len(shape) - 1, len(shape) + 1))
        else:
            if rng.random() < 0.5:
                k = int(rng.integers(1, len(shape) + 2))
                kw["s"] = tuple(int(n) for n in rng.integers(-1, 5, size=k))
            if rng.random() < 0.5:
                k = len(kw["s"]) if "s" in kw and rng.random() < 0.7 else int(rng.integers(0, len(shape) + 1))
                kw["dim"] = tuple(int(d) for d in rng.integers(-len(shape), len(shape), size=k))
        yield f"{i}-{name}", (name, np.round(values, 3).tolist(), dtype, kw)


@pytest.mark.filterwarnings("ignore")  # (a complex value cast to a real dtype: both warn alike elsewhere)
def test_transform_arguments_as_torch():
    differ = []
    for key, (name, values, dtype, kw) in _cases():
        want, got = (_outcome(lib, name, values, dtype, kw) for lib in (torch, pyfront))
        if len(want) == 2 or len(got) == 2:
            if got != want:
                differ.append(f"{key} {dtype} {kw}: torch {want[:2]}, pyfront {got[:2]}")
        elif want[:2] != got[:2] or not np.allclose(want[2], got[2], rtol=1e-3, atol=1e-3):
            differ.append(f"{key} {dtype} {kw}: torch {want[:2]}, pyfront {got[:2]}")
    assert not differ, "\n".join(differ)

"""Views that hold no element still start where torch's do: an empty slice (``x[:, 2:2]``), a narrow of
length 0, the empty pieces of split/tensor_split/chunk/split_with_sizes and any view taken of them (select,
unbind, reshape, transpose, expand, unfold, diagonal, ...) keep the clamped start's storage_offset() and
torch's strides, on ranks 1 to 3, on cpu and webgpu."""
import pytest
import torch

import pyfront

DEVICES = ["cpu"] + (["webgpu"] if pyfront.webgpu.is_available() else [])


def _cases(x):
    """name -> a function of ``x`` giving a view or a list of views, some empty, for a tensor ``x``."""
    cases = {}
    for d in range(x.dim()):
        n = x.shape[d]
        for a, b, step in ((2, 2, 1), (1, 1, 2), (n, n, 1), (n - 1, 1, 1), (3, 100, 1), (-1, -1, 1),
                           (5, 2, 1), (4, 2, 3)):
            index = (slice(None),) * d + (slice(a, b, step),)
            cases[f"slice dim {d} {a}:{b}:{step}"] = lambda x, index=index: x[index]
        for start in (1, n):
            cases[f"narrow dim {d} at {start}"] = lambda x, d=d, start=start: x.narrow(d, start, 0)
        cases[f"split dim {d}"] = lambda x, d=d, n=n: x.split([1, 0, n - 1, 0], d)
        cases[f"tensor_split dim {d}"] = lambda x, d=d, n=n: x.tensor_split([1, 1, n, n + 2], d)
        cases[f"chunk dim {d}"] = lambda x, d=d: x.chunk(5, d)
        cases[f"split_with_sizes dim {d}"] = lambda x, d=d, n=n: x.split_with_sizes([0, n, 0], d)
    last = x.dim() - 1
    empty = (slice(None),) * last + (slice(2, 2),)  # empty along the last dim, at offset 2
    views = {
        "select": lambda e: e.select(0, 1), "unbind": lambda e: e.unbind(0), "slice": lambda e: e[1:],
        "transpose": lambda e: e.transpose(0, -1), "narrow": lambda e: e.narrow(0, 1, 1),
        "view": lambda e: e.view(-1), "reshape": lambda e: e.reshape(0), "flatten": lambda e: e.flatten(),
        "unsqueeze": lambda e: e.unsqueeze(0), "expand": lambda e: e[:1].expand(3, *e.shape[1:]),
        "unfold": lambda e: e.unfold(0, 1, 1), "movedim": lambda e: e.movedim(0, -1),
        "detach": lambda e: e.detach(), "squeeze": lambda e: e.squeeze(), "none": lambda e: e[None],
        "as int32": lambda e: e.view(torch.int32 if isinstance(e, torch.Tensor) else pyfront.int32),
        "ellipsis": lambda e: e[..., 1:], "diagonal": lambda e: e.diagonal() if e.dim() > 1 else e,
    }
    for name, fn in views.items():
        cases[f"empty, then {name}"] = lambda x, fn=fn: fn(x[empty])
    return cases


def _layouts(lib, shape, device):
    x = lib.arange(float(torch.Size(shape).numel())).reshape(shape).to(device)
    out = {}
    for name, fn in _cases(x).items():
        try:
            got = fn(x)
        except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
            out[name] = type(e).__name__, str(e)
            continue
        got = got if isinstance(got, (tuple, list)) else [got]
        out[name] = [(tuple(t.shape), t.stride(), t.storage_offset()) for t in got]
    return out


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 3, 4)])
def test_empty_views_keep_torchs_offsets_and_strides(shape, device):
    want, got = _layouts(torch, shape, "cpu"), _layouts(pyfront, shape, device)
    assert {k: v for k, v in got.items() if v != want[k]} == {}


@pytest.mark.parametrize("device", DEVICES)
def test_empty_views_at_the_end_compute_and_save(device):
    """An empty view whose offset is the storage's end (x[3:], x[:, 4:4]) computes, copies and round-trips
    through save/load like any other."""
    import io
    x = pyfront.arange(12.0, device=device).reshape(3, 4)
    tail, right = x[3:], x[:, 4:4]
    assert [tuple(t.shape) for t in (tail.clone(), tail + 1, right.sum(1), pyfront.cat([right, x[:, :1]], 1),
                                     tail.T @ tail, right.contiguous())] == [(0, 4), (0, 4), (3,), (3, 1),
                                                                            (4, 4), (3, 0)]
    buf = io.BytesIO()
    pyfront.save([tail, right], buf)
    buf.seek(0)
    assert [(t.stride(), t.storage_offset()) for t in torch.load(buf)] == [((4, 1), 12), ((4, 1), 4)]

"""Writes whose written-to tensor shares part of an input's memory (``a[1:] += a[:3]``,
``torch.add(x, y, out=x[1:])``, ``a[1:].copy_(a[:3])``), as torch's ``assert_no_partial_overlap``: refused
with torch's text where torch refuses (elementwise kernels, index kernels, copy_), let through where its
kernel does not check (reductions, matrix products); the very same memory is written (``a.add_(a)``),
except by the kernels that refuse any overlap (index_select, gather, cat, take).

Every op-table row is run through torch and pyfront with its first tensor placed at the start of one
buffer and the written-to tensor one element further on (partial) or on the same elements (full); real
torch (cpu) is the oracle for the outcome: the error's type and text, or, where both write, the values."""
import warnings

import numpy as np
import pytest
import torch
from optable import assert_same, build, entries, to_numpy, torch_text
from webgpu_required import requires_webgpu

import pyfront
from pyfront.ops.outarg import TAKES_OUT

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _np(x):
    return x.numpy() if isinstance(x, torch.Tensor) else to_numpy(x)


class _Placed:
    """Each library's twin of one buffer: an input's values at its start, the written-to tensor at
    ``shift``."""

    def __init__(self, lib, device, values: np.ndarray, out_shape, shift: int):
        self.lib = lib
        n = values.size
        self.base = lib.zeros(n + int(np.prod(out_shape)) + 1, dtype=getattr(lib, str(values.dtype)),
                              device=device)
        self.base[:n] = lib.tensor(values.reshape(-1), device=device)
        self.input = self.base[:n].view(values.shape)
        self.out = self.base[shift:shift + int(np.prod(out_shape))].view(tuple(out_shape))


def _outcome(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
            return type(e).__name__, torch_text(e)
    return None


def _first_tensor(args):
    return next((i for i, a in enumerate(args) if isinstance(a, torch.Tensor) and a.numel()), None)


def _built(sample, domain, device):
    rng = np.random.default_rng(0)
    args, kwargs = sample
    built = [build(a, domain, rng, device) for a in args]
    kw = {k: build(v, domain, rng, device) for k, v in kwargs.items()}
    detach = lambda x: x.detach() if hasattr(x, "detach") else x  # noqa: E731
    return ([detach(b[0]) for b in built], [detach(b[1]) for b in built],
            {k: detach(v[0]) for k, v in kw.items()}, {k: detach(v[1]) for k, v in kw.items()})


def _compare(make_call, t_values, out_shape, shift, device, check_values):
    """``make_call(placed, lib)``: the call that writes placed.out (or into placed.input's memory)."""
    t = _Placed(torch, "cpu", t_values, out_shape, shift)
    p = _Placed(pyfront, device, t_values, out_shape, shift)
    expected = _outcome(make_call(t, torch))
    got = _outcome(make_call(p, pyfront))
    assert got == expected
    if expected is None and check_values:
        assert_same(p.base, t.base, **({} if device == "cpu" else dict(rtol=1e-3, atol=1e-5)))


def _torch_result(torch_name, sample, domain):
    """torch's result for the sample (its first tensor at index i), or None where torch refuses it."""
    _, t_args, _, t_kw = _built(sample, domain, "cpu")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return t_args, getattr(torch, torch_name)(*t_args, **t_kw)
        except Exception:  # noqa: BLE001 - a sample torch refuses: the op table checks that error
            return None


def _out_applies(torch_name, sample, domain, device, shift) -> bool:
    """Whether the row has an input whose memory out can share: torch computes it, its first result has
    that input's dtype (float64 not on a GPU) and, for the full overlap, its shape."""
    made = _torch_result(torch_name, sample, domain)
    if made is None:
        return False
    t_args, result = made
    i, first = _first_tensor(t_args), (result[0] if isinstance(result, tuple) else result)
    return (i is not None and isinstance(first, torch.Tensor) and first.dtype == t_args[i].dtype
            and first.numel() > 0 and not (device != "cpu" and first.dtype == torch.float64)
            and (shift or tuple(first.shape) == tuple(t_args[i].shape)))


def _out_rows():
    rows = []
    for name, torch_name, samples, domain, _ in entries(edge=False):
        if torch_name in TAKES_OUT:
            rows.append((torch_name, samples[0], domain, "cpu", f"{name}-cpu", ()))
    for name in ("add", "index_select", "sum"):  # one checked, one fully refused, one unchecked kernel
        for e in entries(edge=False):
            if e[0] == name:
                rows.append((name, e[2][0], e[3], "webgpu", f"{name}-webgpu", (requires_webgpu,)))
    # only the rows that can share memory are made (no row is generated to be skipped)
    return [pytest.param(n, smp, dom, dev, shift, id=f"{ident}-{label}", marks=marks)
            for n, smp, dom, dev, ident, marks in rows for shift, label in ((1, "partial"), (0, "full"))
            if _out_applies(n, smp, dom, dev, shift)]


@pytest.mark.parametrize("torch_name,sample,domain,device,shift", _out_rows())
def test_out_sharing_an_inputs_memory_is_refused_or_written_as_torch(torch_name, sample, domain, device,
                                                                       shift):
    p_args, t_args, p_kw, t_kw = _built(sample, domain, device)
    i = _first_tensor(t_args)
    tfn, pfn = getattr(torch, torch_name), getattr(pyfront, torch_name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = tfn(*t_args, **t_kw)
    results = result if isinstance(result, tuple) else (result,)
    first = results[0]

    def call(placed, lib):
        args = list(t_args if lib is torch else p_args)
        args[i] = placed.input
        kw = t_kw if lib is torch else p_kw
        rest = [lib.zeros(tuple(r.shape), dtype=getattr(lib, str(r.dtype).split(".")[1]),
                          device=placed.base.device) for r in results[1:]]
        out = (placed.out, *rest) if isinstance(result, tuple) else placed.out
        return lambda: (tfn if lib is torch else pfn)(*args, **kw, out=out)

    # the values where both write: a full overlap is well defined; a partial one torch's kernel order
    # decides
    _compare(call, _np(t_args[i]), tuple(first.shape), shift, device, check_values=shift == 0)


def _inplace_target(method, sample, domain, device):
    """The index of the op's next tensor of self's dtype (more than one element), or None where the row
    cannot overlap: no tensor self, no such input, float64 on a GPU, or a sample torch refuses or
    resizes self for without any overlap (not this test's kind)."""
    _, t_args, _, t_kw = _built(sample, domain, "cpu")
    if not t_args or not isinstance(t_args[0], torch.Tensor) or not t_args[0].numel():
        return None
    j = next((j for j, a in enumerate(t_args[1:], 1) if isinstance(a, torch.Tensor) and a.numel() > 1
              and a.dtype == t_args[0].dtype), None)
    if j is None or device != "cpu" and t_args[0].dtype == torch.float64:
        return None
    plain = t_args[0].clone()
    if _outcome(lambda: getattr(plain, method)(*t_args[1:], **t_kw)) or plain.shape != t_args[0].shape:
        return None
    return j


def _inplace_rows():
    rows = []
    for name, torch_name, samples, domain, _ in entries(edge=False):
        method = torch_name.split(".")[-1] + "_"
        if "." in torch_name or not hasattr(torch.Tensor, method) or not hasattr(pyfront.Tensor, method):
            continue
        for k, sample in enumerate(samples[:3]):
            rows.append((method, sample, domain, "cpu", f"{name}-{k}-cpu", ()))
    for name in ("add", "lerp", "addcmul", "index_add", "masked_fill"):
        rows.extend((name + "_", e[2][0], e[3], "webgpu", f"{name}-webgpu", (requires_webgpu,))
                    for e in entries(edge=False) if e[0] == name)
    return [pytest.param(m, smp, dom, dev, id=ident, marks=marks) for m, smp, dom, dev, ident, marks in rows
            if _inplace_target(m, smp, dom, dev) is not None]


@pytest.mark.parametrize("method,sample,domain,device", _inplace_rows())
def test_an_inplace_op_reading_part_of_its_own_memory_is_refused_as_torch(method, sample, domain, device):
    """self one element into the buffer, the op's next tensor of self's dtype at its start."""
    p_args, t_args, p_kw, t_kw = _built(sample, domain, device)
    j = _inplace_target(method, sample, domain, device)

    def call(placed, lib):
        args = list(t_args if lib is torch else p_args)
        args[j] = placed.input
        kw = t_kw if lib is torch else p_kw
        return lambda: getattr(placed.out, method)(*args[1:], **kw)

    # values are not compared: where torch lets a partial overlap through, its kernel's order decides them
    _compare(call, _np(t_args[j]), tuple(t_args[0].shape), 1, device, check_values=False)


CASES = {  # (label, what to do with a = arange(6.)): the shapes of the task's examples
    "iadd": lambda a, L: a[1:].__iadd__(a[:5]),
    "add_ the same view": lambda a, L: a[1:].add_(a[1:]),
    "add_ itself": lambda a, L: a.add_(a),
    "add_ a strided view": lambda a, L: a[:3].add_(a[::2]),  # not dense: torch does not look
    "add_ an expanded element": lambda a, L: a[:3].add_(a[1:2].expand(3)),
    "add_ the transpose": lambda a, L: a[:4].view(2, 2).add_(a[:4].view(2, 2).t()),
    "add_ a 0-d element of self": lambda a, L: a[:3].mul_(a[1]),
    "add_ a row of self": lambda a, L: a.view(2, 3).add_(a[:3]),
    "copy_": lambda a, L: a[1:].copy_(a[:5]),
    "copy_ itself": lambda a, L: a[:3].copy_(a[:3]),
    "copy_ the transpose": lambda a, L: a[:4].view(2, 2).copy_(a[:4].view(2, 2).t()),
    "setitem": lambda a, L: a.__setitem__(slice(1, None), a[:5]),
    "setitem advanced": lambda a, L: a[1:4].__setitem__(L.tensor([0, 1], device=a.device), a[:2]),
    "index_put_": lambda a, L: a[1:4].index_put_((L.tensor([0, 1], device=a.device),), a[:2],
                                                 accumulate=True),
    "masked_scatter_": lambda a, L: a[1:4].masked_scatter_(L.tensor([True, False, True], device=a.device),
                                                           a[:3]),
    "clamp_ tensor max": lambda a, L: a[:3].clamp_(max=a[1:4]),
    "add out": lambda a, L: L.add(a[:3], a[3:], out=a[1:4]),
    "mul out": lambda a, L: L.mul(a[:3], 2, out=a[1:4]),
    "add out full": lambda a, L: L.add(a[:3], a[3:], out=a[:3]),
    "where out": lambda a, L: L.where(a[:3] > 1, a[:3], a[3:], out=a[1:4]),
    "cat out full": lambda a, L: L.cat([a[:3]], out=a[:3]),
    "stack out": lambda a, L: L.stack([a[:2]], out=a[1:3].view(1, 2)),
    "mm out": lambda a, L: L.mm(a[:4].view(2, 2), a[2:6].view(2, 2), out=a[1:5].view(2, 2)),
    "sum out": lambda a, L: L.sum(a[:4].view(2, 2), 0, out=a[1:3]),
    "max out": lambda a, L: L.max(a[:4].view(2, 2), 0,
                                  out=(a[1:3], L.zeros(2, dtype=L.int64, device=a.device))),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_task_examples_as_torch(case, device):
    t, p = torch.arange(6.0), pyfront.arange(6.0, device=device)
    expected = _outcome(lambda: CASES[case](t, torch))
    assert _outcome(lambda: CASES[case](p, pyfront)) == expected
    if expected is not None:
        assert p.tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]  # a refused write changes nothing
    elif case not in ORDER_DEPENDENT:
        assert p.tolist() == t.tolist()


# the writes torch lets through whose values depend on the order its kernel reads and writes
ORDER_DEPENDENT = {"mm out", "sum out", "masked_scatter_", "add_ an expanded element"}



def _long(L, values, a):
    return L.tensor(values, dtype=L.int64, device=a.device)


# the index kernels given self's own memory as source (or index): (label, call on a = arange(4.) or, for the
# index, an int64 arange(4)); with a bad argument too, to see which check comes first
INDEX_SELF = {
    "put_ source is self": lambda a, L: a.put_(_long(L, [1, 0, 3, 2], a), a),
    "put_ source part of self": lambda a, L: a.put_(_long(L, [1, 0], a), a[1:3]),
    "put_ accumulate": lambda a, L: a.put_(_long(L, [1, 0], a), a[1:3], accumulate=True),
    "put_ index is self": lambda a, L: a.long().put_(_long(L, [0, 1], a), a.long()[:2]),
    "put_ bad numel": lambda a, L: a.put_(_long(L, [1], a), a[:2]),
    "put_ bad index dtype": lambda a, L: a.put_(a[:1], a[:1]),
    "put_ nothing": lambda a, L: a.put_(_long(L, [], a), a[:0]),
    "index_reduce_ source is self": lambda a, L: a.index_reduce_(0, _long(L, [1, 0, 3, 2], a), a, "prod"),
    "index_reduce_ part": lambda a, L: a.index_reduce_(0, _long(L, [1], a), a[:1], "amax"),
    "index_reduce_ bad reduce": lambda a, L: a.index_reduce_(0, _long(L, [1, 0, 3, 2], a), a, "sum"),
    "index_copy_ source is self": lambda a, L: a.index_copy_(0, _long(L, [1, 0, 3, 2], a), a),
    "index_add_ source is self": lambda a, L: a.index_add_(0, _long(L, [1, 0, 3, 2], a), a),
    "scatter_ source is self": lambda a, L: a.scatter_(0, _long(L, [1, 0, 3, 2], a), a),
    "scatter_reduce_ source is self": lambda a, L: a.scatter_reduce_(0, _long(L, [1, 0, 3, 2], a), a, "sum"),
    "index_put_ source is self": lambda a, L: a.index_put_((_long(L, [1, 0, 3, 2], a),), a),
    "index_fill_ value in self": lambda a, L: a.index_fill_(0, _long(L, [0], a), a[1]),
    "masked_scatter_ source is self": lambda a, L: a.masked_scatter_(a > 1, a),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", sorted(INDEX_SELF))
def test_an_index_kernel_given_its_own_memory_as_torch(case, device):
    """torch's put_ and index_reduce_ refuse a source or index on any of self's memory (assert_no_overlap),
    after their own argument checks, as the other index kernels do."""
    t, p = torch.arange(4.0), pyfront.arange(4.0, device=device)
    expected = _outcome(lambda: INDEX_SELF[case](t, torch))
    assert _outcome(lambda: INDEX_SELF[case](p, pyfront)) == expected
    assert p.tolist() == t.tolist()

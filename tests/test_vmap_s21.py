"""vmap knows which tensors are batched (one value per sample: torch's BatchedTensor), against torch on cpu
and webgpu: a sample's slice and what ops compute from it are; captured tensors, ``in_dims=None`` inputs and
factories' results are not. torch refuses ``.item()``, ``bool()``, ``.tolist()``, ``nonzero()`` and
boolean-mask indexing only on batched tensors, and refuses an in-place op writing a batched value into an
unbatched tensor (each op's own words); pyfront refused the reads on every tensor and ran the writes sample by
sample."""
import warnings

import pytest
import torch
from optable import torch_text
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]

# an in-place op writing the batched sample ``a`` (3 floats in (0, 1)) into ``c``, a float tensor of 3
WRITES = {
    "add_": lambda L, c, a: c.add_(a), "add_ alpha": lambda L, c, a: c.add_(a, alpha=2),
    "sub_": lambda L, c, a: c.sub_(a), "mul_": lambda L, c, a: c.mul_(a), "div_": lambda L, c, a: c.div_(a),
    "pow_": lambda L, c, a: c.pow_(a), "copy_": lambda L, c, a: c.copy_(a),
    "fill_": lambda L, c, a: c.fill_(a[0]),
    "masked_fill_ mask": lambda L, c, a: c.masked_fill_(a > 0.3, 1.0),
    "masked_fill_ value": lambda L, c, a: c.masked_fill_(c > 0.3, a[0]),
    "index_add_": lambda L, c, a: c.index_add_(0, L.tensor([0, 1, 2], device=a.device), a),
    "index_copy_": lambda L, c, a: c.index_copy_(0, L.tensor([0, 1, 2], device=a.device), a),
    "index_fill_": lambda L, c, a: c.index_fill_(0, L.tensor([0, 2], device=a.device), a[0]),
    "scatter_": lambda L, c, a: c.scatter_(0, L.tensor([2, 1, 0], device=a.device), a),
    "scatter_add_": lambda L, c, a: c.scatter_add_(0, L.tensor([2, 1, 0], device=a.device), a),
    "clamp_": lambda L, c, a: c.clamp_(min=a), "clamp_min_": lambda L, c, a: c.clamp_min_(a),
    "addcmul_": lambda L, c, a: c.addcmul_(a, a), "lerp_": lambda L, c, a: c.lerp_(a, 0.5),
    "atan2_": lambda L, c, a: c.atan2_(a), "hypot_": lambda L, c, a: c.hypot_(a),
    "remainder_": lambda L, c, a: c.remainder_(a), "lt_": lambda L, c, a: c.lt_(a),
    "logical_and_": lambda L, c, a: c.logical_and_(a), "copysign_": lambda L, c, a: c.copysign_(a),
    "+=": lambda L, c, a: c.__iadd__(a), "-=": lambda L, c, a: c.__isub__(a),
    "*=": lambda L, c, a: c.__imul__(a),
    "/=": lambda L, c, a: c.__itruediv__(a), "**=": lambda L, c, a: c.__ipow__(a),
    "//=": lambda L, c, a: c.__ifloordiv__(a),
    "c[:] = a": lambda L, c, a: c.__setitem__(slice(None), a),
    "c[0] = a[0]": lambda L, c, a: c.__setitem__(0, a[0]),
    "c[index] = a": lambda L, c, a: c.__setitem__(L.tensor([2, 1, 0], device=a.device), a),
    "c[mask] = a": lambda L, c, a: c.__setitem__(c > -1, a),
    "F.relu_ style": lambda L, c, a: L.nn.functional.threshold(c, 0.5, 0.0, inplace=True).add_(a),
    "unbatched value": lambda L, c, a: c.mul_(L.ones(3, device=a.device)),
    "batched self": lambda L, c, a: a.clone().mul_(c),
    "out=": lambda L, c, a: L.add(a, 1, out=c),
}
# where torch's words differ, each with its reason; the list is exact (a fix shows, its name must go)
WRITES_DIFFERING = {
    # torch's rule names it per operand (a batched value: its fallback's aten::); pyfront, the mask's case
    "masked_fill_ value",
    "out=",  # torch: "Batching rule not implemented for aten::add.out"; pyfront's out= writes via copy_
}
# a read of a tensor's data, of ``t``
READS = {
    "item": lambda t: t.sum().item(), "bool": lambda t: bool(t.sum() > 0),
    "if": lambda t: 1 if t.sum() else 0,
    "float": lambda t: float(t.sum()), "int": lambda t: int(t.sum()), "tolist": lambda t: t.tolist(),
    "nonzero": lambda t: t.nonzero().shape, "mask of it": lambda t: t[t > 0.5].shape,
}
# which tensor inside the mapped function is read: from the sample ``a``, the ``in_dims=None`` input ``n``
# and a captured tensor ``c``
SUBJECTS = {
    "sample": lambda L, a, n, c: a, "computed from the sample": lambda L, a, n, c: (a * 2).exp(),
    "view of the sample": lambda L, a, n, c: a[1:], "in_dims=None input": lambda L, a, n, c: n,
    "captured": lambda L, a, n, c: c, "computed from captured": lambda L, a, n, c: c * n,
    "factory": lambda L, a, n, c: L.ones(3, device=a.device),
    "zeros_like(sample)": lambda L, a, n, c: L.zeros_like(a),
    "sample.new_ones": lambda L, a, n, c: a.new_ones(3),
    "captured.new_ones": lambda L, a, n, c: c.new_ones(3),
    "detached sample": lambda L, a, n, c: a.detach(),
    "grad of the sample": lambda L, a, n, c: L.func.grad(lambda u: (u * u).sum())(a),
}


def _run(fn):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's "performance drop" warnings of its fallback
        try:
            return "ok", fn()
        except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
            return type(e).__name__, torch_text(e)


def _data(L, device):
    kw = {} if L is torch else {"device": device}
    return L.tensor([[0.1, 0.4, 0.7], [0.2, 0.5, 0.8]], **kw), L.tensor([0.3, 0.6, 0.9], **kw)


def _write(L, device, name, into):
    x, n = _data(L, device)
    c = n.clone()

    def f(a, n):
        WRITES[name](L, c if into == "captured" else n, a)
        return a

    out = _run(lambda: L.func.vmap(f, in_dims=(0, None))(x, n).tolist())
    return out, (c if into == "captured" else n).tolist()


def _read(L, device, subject, read):
    x, n = _data(L, device)
    c = n.clone()
    return _run(lambda: L.func.vmap(lambda a, n: (READS[read](SUBJECTS[subject](L, a, n, c)), a)[1],
                                    in_dims=(0, None))(x, n).tolist())


@pytest.mark.parametrize("device", DEVICES)
def test_in_place_write_of_a_batched_value_as_torch(device):
    differing = set()
    for name in WRITES:
        for into in ("captured", "in_dims=None input"):
            got, expected = _write(pyfront, device, name, into), _write(torch, "cpu", name, into)
            if got != expected:
                differing.add(name)
    assert differing == WRITES_DIFFERING


@pytest.mark.parametrize("device", DEVICES)
def test_reads_refused_on_batched_tensors_only_as_torch(device):
    differing = [(subject, read, _read(pyfront, device, subject, read), _read(torch, "cpu", subject, read))
                 for subject in SUBJECTS for read in READS]
    assert not [d for d in differing if d[2] != d[3]]


def test_nested_vmap_and_out_dims_none_as_torch():
    cases = {
        "outer sample read in the inner vmap": lambda L, x: L.func.vmap(
            lambda a: L.func.vmap(lambda b: b * a.sum().item())(a))(x),
        "captured read in the inner vmap": lambda L, x: L.func.vmap(
            lambda a: L.func.vmap(lambda b: b * x.sum().item())(a))(x),
        "inner sample written into the outer one": lambda L, x: L.func.vmap(
            lambda a: L.func.vmap(lambda b: a.mul_(b))(L.ones(3, 3)))(x.clone()),
        "out_dims=None of a batched value equal in every sample": lambda L, x: L.func.vmap(
            lambda a: a * 0, out_dims=None)(x),
        "out_dims=None of an unbatched value": lambda L, x: L.func.vmap(
            lambda a: x.sum(0) * 2, out_dims=(None,))(x),
    }
    x = [[0.1, 0.4, 0.7], [0.2, 0.5, 0.8]]
    for name, case in cases.items():
        got = _run(lambda case=case: case(pyfront, pyfront.tensor(x)).tolist())
        expected = _run(lambda case=case: case(torch, torch.tensor(x)).tolist())
        assert got == expected, name

"""Version counters as torch keeps them: per tensor, not per storage. Views and ``detach()`` share their
tensor's counter; ``.data`` reads the same memory with a counter of its own (a write through it fails no
backward); ``x.data = y`` keeps x's counter; ``detach_()`` on a saved tensor fails its backward with torch's
message. Each case runs on torch (cpu) and pyfront (cpu, webgpu): every value, ``_version`` read, error type
and message is compared. A view written since its history was made reads its base again (AsStrided), as
torch's, whoever wrote it."""
import pytest
import torch
from webgpu_required import requires_webgpu

import pyfront

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _outcome(fn):
    """What ``fn()`` gives, or its error's type and message."""
    try:
        return fn()
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return (type(e).__name__, str(e))


def _grad_of(y, w):
    return lambda: (y.backward(), w.grad.tolist())[1]


def _write_through_data(lib, dev):
    w = lib.ones(3, device=dev, requires_grad=True)
    y = (w * w).sum()
    d = w.data
    before = (w._version, d._version)
    d.add_(1)
    return [before, w._version, d._version, _outcome(_grad_of(y, w))]


def _write_through_detach(lib, dev):
    w = lib.ones(3, device=dev, requires_grad=True)
    y = (w * w).sum()
    d = w.detach()
    d.add_(1)
    return [w._version, d._version, d._is_view(), _outcome(_grad_of(y, w))]


def _write_through_view_of_data(lib, dev):
    w = lib.ones(3, device=dev, requires_grad=True)
    y = (w * w).sum()
    d = w.data
    part = d[1:]
    part.add_(1)
    return [w._version, d._version, part._version, w.data._version, _outcome(_grad_of(y, w))]


def _data_of_a_view(lib, dev):
    w = lib.ones(3, device=dev, requires_grad=True)
    v = w[1:]
    y = (v * v).sum()
    d = v.data
    facts = [d._is_view(), d._base is None, d.requires_grad]
    d[1:].add_(1)
    return [facts, d._version, v._version, w._version, _outcome(_grad_of(y, w))]


def _detach_of_a_view(lib, dev):
    w = lib.ones(3, device=dev, requires_grad=True)
    v = w[1:]
    a = v.detach()
    return [a._is_view(), a._base is None, v._version]


def _data_of_a_written_tensor(lib, dev):
    x = lib.ones(3, device=dev)
    x.add_(1)
    return [x._version, x.data._version, x.detach()._version]


def _assign_data(lib, dev):
    w = lib.ones(3, device=dev, requires_grad=True)
    y = (w * w).sum()
    z = lib.zeros(3, device=dev)
    z.add_(1)
    z.add_(1)
    w.data = z
    after = (w._version, z._version)
    z.mul_(2)
    return [after, w._version, z._version, _outcome(_grad_of(y, w))]


def _assign_data_keeps_count(lib, dev):
    x = lib.ones(3, device=dev)
    x.add_(1)
    x.data = lib.zeros(2, device=dev)
    with_new = x._version
    x.add_(1)
    return [with_new, x._version]


def _assign_data_keeps_views_counting(lib, dev):
    """The views and aliases taken before ``x.data = y`` count with x still: torch's share its counter."""
    x = lib.ones(3, device=dev, requires_grad=True).clone()
    v, d = x[:2], x.detach()
    x.data = lib.zeros(3, device=dev)
    x.mul_(2)
    seen = [v._version, d._version, x._version]
    v.mul_(3)
    y = (v * v).sum()
    d.add_(1)
    return [seen, v._version, x._version, _outcome(y.backward)]


def _detach_in_place_saved(lib, dev):
    a = lib.ones(3, device=dev, requires_grad=True)
    b = a * 2
    y = (b * b).sum()
    b.detach_()
    return [b._version, b.requires_grad, _outcome(y.backward)]


def _detach_in_place_then_write(lib, dev):
    a = lib.ones(3, device=dev, requires_grad=True)
    b = a * 2
    y = (b * b).sum()
    b.detach_()
    b.add_(1)
    return [b._version, _outcome(y.backward)]


def _detach_in_place_unsaved_or_output(lib, dev):
    a = lib.zeros(3, device=dev, requires_grad=True)  # (exp(0): exact on every device)
    b = a * 2
    y = b.exp().sum()  # saves exp's result, not b
    b.detach_()
    y.backward()
    c = a.exp()  # saves its own output
    z = c.sum()
    c.detach_()
    z.backward()
    return [a.grad.tolist()]


def _detach_in_place_before_saving(lib, dev):
    a = lib.ones(3, device=dev, requires_grad=True)
    b = a * 2
    b.detach_()
    y = (b * a).sum()
    y.backward()
    return [a.grad.tolist()]


def _detach_copy_is_a_write_only_for_itself(lib, dev):
    w = lib.ones(2, 2, device=dev, requires_grad=True)
    y = (w * w).sum()
    with lib.no_grad():
        w.data.mul_(3)
        d = w.detach()
    return [w._version, d._version, _outcome(_grad_of(y, w))]


def _views_written_since(lib, dev):
    """A view written since its history was made (by a no_grad write, an alias, another view) reads its base
    again: its grad_fn is torch's AsStridedBackward0, and the version error names that."""
    w = lib.ones(3, device=dev, requires_grad=True)
    v = w[1:]
    with lib.no_grad():
        w.add_(1)
    x = w * 1
    a, b = x[1:], x[:2]
    names = [type(v.grad_fn).__name__, v.grad_fn is v.grad_fn, type(a.grad_fn).__name__]
    with lib.no_grad():
        a.add_(1)
    c = x[1:]
    x.detach().add_(1)
    names += [type(a.grad_fn).__name__, type(b.grad_fn).__name__, type(c.grad_fn).__name__]
    u = x[1:]
    y = (u * u).sum()
    u.detach().mul_(2)
    return [names, x._version, _outcome(y.backward)]


CASES = [_views_written_since, _write_through_data, _write_through_detach, _write_through_view_of_data,
         _data_of_a_view, _detach_of_a_view, _data_of_a_written_tensor, _assign_data,
         _assign_data_keeps_count, _assign_data_keeps_views_counting,
         _detach_in_place_saved, _detach_in_place_then_write, _detach_in_place_unsaved_or_output,
         _detach_in_place_before_saving, _detach_copy_is_a_write_only_for_itself]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("case", CASES, ids=lambda f: f.__name__.strip("_"))
def test_version_counter_as_torch(case, device):
    assert case(pyfront, device) == case(torch, "cpu")

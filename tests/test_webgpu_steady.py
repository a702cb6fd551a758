"""A training loop in its steady state makes no new GPU objects: each step binds the same buffers to
the same kernels, so the bind-group cache hits every time.

A number that changes every step (a scaled loss, a schedule) becomes a cached 0-d constant; when
such a constant took a pooled buffer and kept it, every step handed the loop's buffers out in a new
order, so most of its dispatches needed a new bind group (17 of 29 with Adam), and the cache churned
once full.
"""

import math
import re

import pytest

import pyfront
from webgpu_required import requires_webgpu

GPU = "webgpu"
WARM, STEPS = 8, 20


@requires_webgpu
def test_a_steady_training_loop_makes_no_new_bind_groups_pipelines_or_buffers(monkeypatch):
    rt = pyfront.webgpu._backend().runtime
    made = []
    bind_group = rt.driver.bind_group
    monkeypatch.setattr(rt.driver, "bind_group", lambda *a: made.append(1) or bind_group(*a))
    for make_opt, sync in [(lambda p: pyfront.optim.Adam(p, lr=1e-3), True),
                           (lambda p: pyfront.optim.SGD(p, lr=1e-2, momentum=0.9), False)]:
        pyfront.manual_seed(0)
        model = pyfront.nn.Sequential(pyfront.nn.Linear(8, 16), pyfront.nn.ReLU(), pyfront.nn.Linear(16, 4))
        model = model.to(GPU)
        opt = make_opt(model.parameters())
        sched = pyfront.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=100)
        x, y = pyfront.randn(32, 8, device=GPU), pyfront.randint(0, 4, (32,)).to(GPU)
        for i in range(WARM + STEPS):
            if i == WARM:
                made.clear()
                pipelines, buffers = len(rt._pipelines), rt.pool.created
            opt.zero_grad()
            out = model(x) * (1.0 + i * 1e-3) + i / 7  # new numbers every step
            loss = pyfront.nn.functional.cross_entropy(out.clamp(-5.0 - i * 1e-3, 5.0), y)
            loss.backward()
            opt.step()
            sched.step()
            if sync:  # a read or a synchronize per step, or neither
                pyfront.webgpu.synchronize()
        assert (len(made), len(rt._pipelines), rt.pool.created) == (0, pipelines, buffers)
        assert math.isfinite(loss.item())


@requires_webgpu
def test_an_index_checked_once_is_checked_again_only_after_a_write(monkeypatch):
    """A bounds check is a read-back (a wait for the GPU): gather and its backward's scatter read one
    index, checked once while its memory is unchanged. Any write to it (in place, a copy in, a fused
    result stored into it) makes the next use check again, and fail as torch does."""
    import torch

    rt = pyfront.webgpu._backend().runtime
    reads = []
    read = rt.driver.read_buffer
    monkeypatch.setattr(rt.driver, "read_buffer", lambda *a: reads.append(1) or read(*a))
    x = pyfront.randn(4, 5, device=GPU, requires_grad=True)
    writes = [lambda i: i.fill_(7), lambda i: i.add_(6), lambda i: i.__setitem__((0, 0), 9),
              lambda i: i.copy_(pyfront.full((4, 2), 5)), lambda i: i.mul_(1).add_(5)]
    for write in writes:
        idx = pyfront.tensor([[0, 4], [1, 3], [2, 2], [4, 0]], device=GPU)
        reads.clear()
        x.grad = None
        x.gather(1, idx).sum().backward()
        x.gather(1, idx)
        assert len(reads) == 1  # gather's check; the backward's scatter and the second gather: none
        write(idx)
        t_idx = torch.tensor(idx.tolist())
        with pytest.raises(RuntimeError) as theirs:
            torch.randn(4, 5).gather(1, t_idx)
        with pytest.raises(RuntimeError, match=re.escape(str(theirs.value))):
            x.gather(1, idx)

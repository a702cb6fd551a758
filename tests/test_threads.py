"""Per-thread state: grad mode and inference mode belong to a thread, as in PyTorch; the webgpu
runtime (one command encoder, parameter ring and buffer pool) is safe to use from two threads.

Interleavings are forced with barriers, never with sleeps: one thread is inside ``no_grad`` exactly
while the other records a graph.
"""
from __future__ import annotations

import sys
import threading

import numpy as np
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _run_threads(*targets):
    """Run each target in its own thread; re-raise the first exception one of them raised."""
    errors = []

    def guard(fn):
        try:
            fn()
        except BaseException as e:  # noqa: BLE001  (handed to the test's thread)
            errors.append(e)

    threads = [threading.Thread(target=guard, args=(fn,)) for fn in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive(), "a thread hung"
    if errors:
        raise errors[0]


def _modes_seen(lib):
    """What each thread sees of grad mode while the other holds a switch (the same script for both
    libraries, so torch is the oracle)."""
    seen = {}
    barrier = threading.Barrier(2, timeout=60)
    x = lib.ones(2, requires_grad=True)

    def holder():
        seen["holder start"] = lib.is_grad_enabled()
        for name, switch in (("no_grad", lib.no_grad), ("inference_mode", lib.inference_mode)):
            with switch():
                barrier.wait()  # the other thread works while this one is inside the switch
                barrier.wait()
                seen[f"holder in {name}"] = lib.is_grad_enabled()
        lib.set_grad_enabled(False)  # the function form changes this thread only
        barrier.wait()
        barrier.wait()
        seen["holder after set_grad_enabled(False)"] = lib.is_grad_enabled()

    def other():
        for name in ("no_grad", "inference_mode", "set_grad_enabled"):
            barrier.wait()
            y = x * 2
            seen[f"other while {name}"] = (lib.is_grad_enabled(), lib.is_inference_mode_enabled(),
                                           y.requires_grad, y.grad_fn is not None)
            barrier.wait()

    _run_threads(holder, other)
    with lib.no_grad():  # a new thread starts with grad mode on, whatever its parent's mode
        _run_threads(lambda: seen.setdefault("new thread under parent's no_grad", lib.is_grad_enabled()))
    return seen


def test_grad_modes_are_per_thread_as_in_torch():
    assert _modes_seen(pyfront) == _modes_seen(torch)


def _data(device, seed):
    rng = np.random.default_rng(seed)
    x = pyfront.tensor(rng.standard_normal((16, 6)).astype("float32"), device=device)
    y = pyfront.tensor(rng.standard_normal((16, 1)).astype("float32"), device=device)
    return x, y


class _Run:
    """One small training run: a model, its optimiser and data, stepped one step at a time."""

    def __init__(self, device, seed):
        pyfront.manual_seed(seed)
        nn = pyfront.nn
        self.model = nn.Sequential(nn.Linear(6, 12), nn.Tanh(), nn.Linear(12, 1)).to(device)
        self.opt = pyfront.optim.Adam(self.model.parameters(), lr=0.05)
        self.x, self.y = _data(device, seed)
        self.losses, self.evals = [], []

    def train_step(self):
        self.opt.zero_grad()
        loss = pyfront.nn.functional.mse_loss(self.model(self.x), self.y)
        loss.backward()
        self.opt.step()
        self.losses.append(loss.item())

    def evaluate(self):  # called inside no_grad
        out = self.model(self.x)
        assert out.grad_fn is None
        self.evals.append(out.sum().item())

    def result(self):
        return self.losses, self.evals, [p.detach().tolist() for p in self.model.parameters()]


STEPS = 4


def _sequential(device):
    results = []
    for seed in (1, 2):
        run = _Run(device, seed)
        for _ in range(STEPS):
            run.train_step()
            with pyfront.no_grad():
                run.evaluate()
        results.append(run.result())
    return results


@pytest.mark.parametrize("device", DEVICES)
def test_two_threads_train_as_the_same_runs_one_after_another(device):
    runs = [_Run(device, 1), _Run(device, 2)]
    barrier = threading.Barrier(2, timeout=120)

    def worker(me):
        run = runs[me]
        for _ in range(STEPS):
            for turn in (0, 1):
                if turn == me:
                    barrier.wait()  # the other thread is inside no_grad now
                    run.train_step()
                    barrier.wait()
                else:
                    with pyfront.no_grad():
                        barrier.wait()
                        barrier.wait()
            with pyfront.no_grad():
                run.evaluate()

    _run_threads(lambda: worker(0), lambda: worker(1))
    assert [r.result() for r in runs] == _sequential(device)


@requires_webgpu
def test_two_threads_launching_webgpu_kernels_at_once():
    """Thousands of small dispatches from two threads, switching threads as often as Python can:
    each thread's results equal the same work done alone."""
    def work(seed, out):
        x, _ = _data("webgpu", seed)
        acc = x
        for i in range(150):
            acc = (acc * 0.5 + x * (i % 7)).tanh() - x.relu() * 0.25
        out.append(acc.tolist())

    alone = [[], []]
    work(3, alone[0])
    work(4, alone[1])
    together = [[], []]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        _run_threads(lambda: work(3, together[0]), lambda: work(4, together[1]))
    finally:
        sys.setswitchinterval(interval)
    assert together == alone


@requires_webgpu
def test_a_buffer_freed_in_another_thread_while_the_lock_is_held_does_not_wait():
    """wgpu resolves a read-back in its own thread while the reading thread holds the runtime's lock
    and waits for it; a garbage collection there frees buffers. Freeing must not wait for the lock
    (it did, and the suite hung in a read-back)."""
    from pyfront.backends import get_backend

    pool = get_backend(pyfront.device("webgpu")).runtime.pool
    doomed = [pyfront.ones(1000, device="webgpu")]
    in_use = pool.in_use
    freed = threading.Event()

    def free_it():  # another thread lets the last reference go while this one holds the lock
        doomed.clear()
        freed.set()

    with pool.lock:
        helper = threading.Thread(target=free_it)
        helper.start()
        assert freed.wait(timeout=60), "freeing a buffer waited for the lock another thread held"
        helper.join()
    # the next holder of the lock takes the queued buffer in (a fill this large takes memory at once; a
    # small one stays an expression)
    kept = pyfront.ones(1000, device="webgpu")
    assert pool.in_use == in_use and kept.sum().item() == 1000  # the freed buffer is back in the pool

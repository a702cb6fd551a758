"""The distributed pieces real training scripts use: DistributedSampler (torch's exact index order for a
seed and epoch, padding, drop_last, torch's errors), torch.distributed.group.WORLD and new_group, and
torch.multiprocessing.spawn / start_processes (fn(i, *args), ProcessContext.join, a child's exception
raised in the parent as torch raises it)."""
import multiprocessing
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as tmp
from torch.utils.data.distributed import DistributedSampler as TorchSampler

import pyfront
import pyfront.distributed as dist
import pyfront.multiprocessing as pmp
from pyfront.utils.data import DataLoader
from pyfront.utils.data.distributed import DistributedSampler

import spawn_targets


def _draw(cls, n, replicas, rank, shuffle, drop_last, epoch, seed):
    try:
        sampler = cls(range(n), num_replicas=replicas, rank=rank, shuffle=shuffle, seed=seed,
                      drop_last=drop_last)
        sampler.set_epoch(epoch)
        return list(sampler), len(sampler)
    except Exception as e:
        return type(e), str(e)


def test_every_replica_draws_torchs_indices():
    cases = [(n, r, rank, shuffle, drop, epoch, seed) for n in (0, 1, 2, 5, 7, 10, 33, 100, 1000)
             for r in (1, 2, 3, 4, 8) for rank in range(r) for shuffle in (False, True)
             for drop in (False, True) for epoch in (0, 1, 5) for seed in (0, 7, 2 ** 32 + 3)]
    wrong = [c for c in cases if _draw(DistributedSampler, *c) != _draw(TorchSampler, *c)]
    assert not wrong, f"{len(wrong)} of {len(cases)} differ: {wrong[:5]}"
    assert _draw(DistributedSampler, 10, 2, 0, True, False, 0, 0) != _draw(DistributedSampler, 10, 2, 0, True,
                                                                            False, 1, 0)  # epochs differ


@pytest.mark.parametrize("kw", [{}, {"num_replicas": 2}, {"rank": 0}, {"num_replicas": 2, "rank": 2},
                                {"num_replicas": 2, "rank": -1}])
def test_errors_are_torchs(kw):
    with pytest.raises(ValueError) as theirs:
        TorchSampler(range(4), **kw)
    with pytest.raises(ValueError) as ours:
        DistributedSampler(range(4), **kw)
    assert str(ours.value) == str(theirs.value)


def test_the_sampler_is_exported_where_torchs_is():
    assert pyfront.utils.data.DistributedSampler is DistributedSampler
    assert issubclass(DistributedSampler, pyfront.utils.data.Sampler)


def test_a_loader_over_a_replica_gives_torchs_batches():
    def batches(lib, sampler_cls, rank):
        data = lib.utils.data.TensorDataset(lib.arange(11))
        sampler = sampler_cls(data, num_replicas=3, rank=rank, seed=3)
        sampler.set_epoch(2)
        return [b[0].tolist() for b in lib.utils.data.DataLoader(data, batch_size=2, sampler=sampler)]
    for rank in range(3):
        assert batches(pyfront, DistributedSampler, rank) == batches(torch, TorchSampler, rank)


def test_group_world_and_new_group_as_torch_without_a_process_group():
    assert dist.group.WORLD is None and torch.distributed.group.WORLD is None
    assert dist.GroupMember.WORLD is None and dist.GroupMember.NON_GROUP_MEMBER == -100
    with pytest.raises(ValueError) as theirs:
        torch.distributed.new_group()
    with pytest.raises(ValueError) as ours:
        dist.new_group()
    assert str(ours.value) == str(theirs.value)


def test_spawn_runs_fn_with_each_index_and_its_args():
    queue = multiprocessing.get_context("spawn").SimpleQueue()
    assert pmp.spawn(spawn_targets.put_square, args=(queue, 10), nprocs=2) is None
    assert sorted(queue.get() for _ in range(2)) == [(0, 100), (1, 121)]
    context = pmp.start_processes(spawn_targets.put_square, args=(queue, 1), nprocs=1, join=False,
                                  start_method="fork")
    assert isinstance(context, pmp.ProcessContext) and len(context.pids()) == 1
    while not context.join():
        pass
    assert queue.get() == (0, 1)


def _failure(lib, fn, args=(), start_method="fork"):
    with pytest.raises(Exception) as info:  # torch.multiprocessing has no ProcessException name
        lib.start_processes(fn, args=args, nprocs=2, start_method=start_method)
    return info.value


def test_a_childs_exception_is_raised_as_torchs():
    theirs, ours = _failure(tmp, spawn_targets.raise_in_one), _failure(pmp, spawn_targets.raise_in_one)
    assert type(ours).__name__ == type(theirs).__name__ == "ProcessRaisedException"
    assert ours.error_index == theirs.error_index == 1
    head = "\n\n-- Process 1 terminated with the following error:\nTraceback (most recent call last):\n"
    assert str(ours).startswith(head) and str(theirs).startswith(head)
    assert str(ours).splitlines()[-1] == str(theirs).splitlines()[-1] == "ValueError: boom in process 1"
    back = pickle.loads(pickle.dumps(ours))
    assert (type(back), str(back), back.error_index) == (type(ours), str(ours), 1)
    assert back.error_pid == ours.error_pid


def test_a_childs_exit_code_is_raised_as_torchs():
    theirs, ours = _failure(tmp, spawn_targets.exit_with, (3,)), _failure(pmp, spawn_targets.exit_with, (3,))
    assert type(ours).__name__ == type(theirs).__name__ == "ProcessExitedException"
    # both children exit with 3: which one is seen first is a race, in torch too
    for e in (ours, theirs):
        assert e.error_index in (0, 1) and str(e) == f"process {e.error_index} terminated with exit code 3"
    assert ours.exit_code == 3


def test_spawn_with_another_start_method_warns_as_torch():
    with pytest.warns(FutureWarning, match="This method only supports start_method=spawn"):
        pmp.spawn(spawn_targets.exit_with, args=(0,), nprocs=0, start_method="fork")


def test_a_spawned_loader_worker_takes_a_dataset_holding_a_function():
    data = spawn_targets.Squashed(6)
    loader = DataLoader(data, batch_size=3, num_workers=1, multiprocessing_context="spawn",
                        sampler=DistributedSampler(data, num_replicas=2, rank=1, shuffle=False))
    assert [b.tolist() for b in loader] == [pyfront.nn.functional.gelu(data.x[1::2]).tolist()]


def test_the_sampler_needs_no_numpy():
    # the browser build has no NumPy; the order is torch's there too
    script = ("import sys; sys.modules['numpy'] = None\n"
              "from pyfront.utils.data import DistributedSampler\n"
              "s = DistributedSampler(range(10), num_replicas=2, rank=1, seed=4)\n"
              "s.set_epoch(1)\nprint(list(s))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(pyfront.__file__).parents[1])})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(_draw(TorchSampler, 10, 2, 1, True, False, 1, 4)[0])

"""A DataLoader worker computes on one intra-op thread, as torch's workers (torch.set_num_threads(1) at their
start, before worker_init_fn): get_num_threads() inside a worker answers 1 in both, 4 after an init_fn that
sets 4 (pyfront's workers answered the parent's count)."""
import functools
import importlib

import torch

import pyfront


class _Threads:
    def __init__(self, L):
        self.L = L

    def __len__(self):
        return 2

    def __getitem__(self, i):
        return self.L.get_num_threads()


def _set_four(lib_name, worker_id):
    importlib.import_module(lib_name).set_num_threads(4)


def _seen(L, init_fn=None):
    loader = L.utils.data.DataLoader(_Threads(L), batch_size=None, num_workers=1, worker_init_fn=init_fn)
    return [int(n) for n in loader]


def test_workers_compute_on_one_thread_as_torchs():
    before = pyfront.get_num_threads()
    assert _seen(pyfront) == _seen(torch) == [1, 1]
    for L in (torch, pyfront):
        assert _seen(L, functools.partial(_set_four, L.__name__)) == [4, 4]
    assert pyfront.get_num_threads() == before  # the main process's count untouched

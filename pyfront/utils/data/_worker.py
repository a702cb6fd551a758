"""What runs inside a DataLoader worker process: fetching, seeding, and the message loop.

Each worker reads its tasks from a pipe that the main process writes synchronously (a Queue's feeder
thread may already be gone when a garbage-collected iterator sends its stop message) and puts
``(task index, batch)`` on the shared result queue. Batches travel pickled; pyfront tensors pickle as
their bytes, dtype and shape and arrive as cpu tensors.
"""
from __future__ import annotations

import os
import random
import sys
import traceback
from dataclasses import dataclass

from ... import random as _random
from ...process import set_num_threads

MP_STATUS_CHECK_INTERVAL = 5.0  # seconds between checks that the other side is still alive


@dataclass(frozen=True)
class WorkerInfo:
    """Returned by ``get_worker_info()`` inside a worker: its id, the worker count, its seed and its
    own copy of the dataset."""
    id: int
    num_workers: int
    seed: int
    dataset: object


_worker_info: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """This worker's ``WorkerInfo``, or None in the main process."""
    return _worker_info


class MapFetcher:
    """Fetches a batch of a map-style dataset (through ``__getitems__`` when it has one)."""

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool):
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn

    def fetch(self, index):
        if not self.auto_collation:
            return self.collate_fn(self.dataset[index])
        getitems = getattr(self.dataset, "__getitems__", None)
        data = getitems(index) if getitems else [self.dataset[i] for i in index]
        return self.collate_fn(data)


class IterableFetcher:
    """Pulls the next samples of an iterable dataset; raises StopIteration when it is exhausted."""

    def __init__(self, dataset, auto_collation: bool, collate_fn, drop_last: bool):
        self.auto_collation, self.collate_fn, self.drop_last = auto_collation, collate_fn, drop_last
        self.it = iter(dataset)
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if not self.auto_collation:
            return self.collate_fn(next(self.it))
        data = []
        for _ in index:
            try:
                data.append(next(self.it))
            except StopIteration:
                self.ended = True
                break
        if not data or (self.drop_last and len(data) < len(index)):
            raise StopIteration
        return self.collate_fn(data)


class KeyErrorMessage(str):
    """KeyError repr()s its argument; this keeps a multi-line message readable."""

    def __repr__(self):
        return self


class ExceptionWrapper:
    """An exception raised in a worker, carried to the main process and raised there with the
    worker's traceback in its message."""

    def __init__(self, where: str):
        exc_type, exc, tb = sys.exc_info()
        self.exc_type = exc_type
        self.exc_msg = "".join(traceback.format_exception(exc_type, exc, tb))
        self.where = where

    def reraise(self):
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        try:
            exception = self.exc_type(msg)
        except Exception:  # an exception type that does not take one message argument
            raise RuntimeError(msg) from None
        raise exception


@dataclass(frozen=True)
class IterableDatasetStopIteration:
    """Sent by a worker whose copy of an iterable dataset is exhausted."""
    worker_id: int


@dataclass(frozen=True)
class ResumeIteration:
    """Sent to persistent workers at the start of a new epoch; they echo it back."""


def _seed_worker(base_seed: int, worker_id: int) -> int:
    seed = base_seed + worker_id
    random.seed(seed)
    _random.manual_seed(seed)
    np = sys.modules.get("numpy")
    if np is not None:  # NumPy's global RNG too, so workers do not repeat each other's augmentations
        np.random.seed([worker_id, base_seed & 0xFFFFFFFF, base_seed >> 32])
    return seed


def worker_loop(fetcher_cls, dataset, index_pipe, data_queue, done_event, auto_collation, collate_fn,
                drop_last, base_seed, init_fn, worker_id, num_workers) -> None:
    """The body of a worker process: fetch the batches asked for until told to stop."""
    global _worker_info
    try:
        set_num_threads(1)  # as torch's workers: one intra-op thread each (init_fn may change it)
        seed = _seed_worker(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        init_error = fetcher = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = fetcher_cls(dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            init_error = ExceptionWrapper(f"in DataLoader worker process {worker_id}")
        iteration_end = False
        parent = os.getppid()
        while os.getppid() == parent:  # a reparented worker has lost its main process: stop
            try:
                if not index_pipe.poll(MP_STATUS_CHECK_INTERVAL):
                    continue
                r = index_pipe.recv()
            except (EOFError, OSError):  # the main process closed its end: nothing more will come
                break
            if isinstance(r, ResumeIteration):
                data_queue.put((r, None))
                iteration_end = False
                fetcher = fetcher_cls(dataset, auto_collation, collate_fn, drop_last)
                continue
            if r is None:  # the main process is shutting us down
                break
            if done_event.is_set() or iteration_end:
                continue
            idx, index = r
            if init_error is not None:
                data, init_error = init_error, None
            else:
                try:
                    data = fetcher.fetch(index)
                except StopIteration:
                    if fetcher_cls is not IterableFetcher:
                        data = ExceptionWrapper(f"in DataLoader worker process {worker_id}")
                    else:
                        data = IterableDatasetStopIteration(worker_id)
                        iteration_end = True
                except Exception:
                    data = ExceptionWrapper(f"in DataLoader worker process {worker_id}")
            data_queue.put((idx, data))
            del data, idx, index, r  # do not hold the last batch while waiting for the next request
    except KeyboardInterrupt:  # the main process handles Ctrl-C; exit quietly
        pass
    if done_event.is_set():
        data_queue.cancel_join_thread()
        data_queue.close()

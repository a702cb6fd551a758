"""pyfront.utils.data against torch.utils.data: datasets, samplers, collation and the DataLoader, each
scenario run side by side in both libraries.

Random orders come from different generators (Philox vs Mersenne Twister), so shuffled runs are
compared by structure (sizes, types, shapes, dtypes, being a permutation), everything else exactly.
"""
import collections
import pickle
import sys
import warnings

import numpy as np
import pytest
import torch

import pyfront
from pyfront.utils import data as pdata

LIBS = (torch, pyfront)
Pair = collections.namedtuple("Pair", "x y")


def data_of(lib):
    return torch.utils.data if lib is torch else pdata


def plain(obj):
    """A library-neutral description of a batch: containers by kind, tensors by shape, dtype and values."""
    if isinstance(obj, (torch.Tensor, pyfront.Tensor)):
        return ("tensor", tuple(obj.shape), str(obj.dtype).split(".")[-1], obj.tolist())
    if isinstance(obj, dict):
        return ("dict", {k: plain(v) for k, v in obj.items()})
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return (type(obj).__name__, [plain(v) for v in obj])
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, [plain(v) for v in obj])
    return obj


def outcome(fn, *args, **kwargs):
    """(\"ok\", plain result) or (\"error\", exception type name, message)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ("ok", plain(fn(*args, **kwargs)))
    except Exception as e:  # noqa: BLE001 -- the exception is the thing compared
        return ("error", type(e).__name__, str(e))


def same(scenario):
    """Run ``scenario(lib)`` in both libraries and require the same outcome."""
    want, got = outcome(scenario, torch), outcome(scenario, pyfront)
    assert got == want
    return got


# -- datasets -------------------------------------------------------------------------------------------
def test_tensor_dataset():
    def scenario(lib):
        ds = data_of(lib).TensorDataset(lib.arange(12.0).reshape(6, 2), lib.arange(6))
        return [len(ds), ds[0], ds[-1], ds[1:3], ds[[0, 4]]]
    same(scenario)
    same(lambda lib: data_of(lib).TensorDataset(lib.zeros(3), lib.zeros(4)))


@pytest.mark.parametrize("idx", [0, 2, 3, 6, -1, -7, -8, 7])
def test_concat_dataset(idx):
    def scenario(lib):
        d = data_of(lib)
        ds = d.TensorDataset(lib.arange(3)) + d.TensorDataset(lib.arange(10, 14))
        cat = d.ConcatDataset([ds, d.TensorDataset(lib.arange(20, 20))])
        return [len(ds), ds.cumulative_sizes, cat.cumulative_sizes, ds[idx]]
    same(scenario)


def test_concat_and_chain_errors():
    same(lambda lib: data_of(lib).ConcatDataset([]))
    same(lambda lib: data_of(lib).ConcatDataset([Stream(lib, 3)]))
    same(lambda lib: list(data_of(lib).ChainDataset([Stream(lib, 3), [1, 2]])))


def test_chain_dataset():
    def scenario(lib):
        d = data_of(lib)

        class Count(d.IterableDataset):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(self.n))

            def __len__(self):
                return self.n
        chained = Count(2) + Count(3)
        return [list(chained), len(chained), type(chained).__name__]
    same(scenario)


def test_subset_and_stack_dataset():
    def scenario(lib):
        d = data_of(lib)
        base = d.TensorDataset(lib.arange(10))
        sub = d.Subset(base, [7, 2, 5])
        stacked = d.StackDataset(a=lib.arange(3), b=["x", "y", "z"])
        return [len(sub), sub[0], sub[-1], sub.__getitems__([2, 0]), len(stacked), stacked[1],
                d.StackDataset([1, 2], [3, 4])[0]]
    same(scenario)
    same(lambda lib: data_of(lib).StackDataset([1], a=[2]))
    same(lambda lib: data_of(lib).StackDataset())
    same(lambda lib: data_of(lib).StackDataset([1], [2, 3]))


def test_subset_subclass_must_override_getitems():
    def scenario(lib):
        d = data_of(lib)

        class Doubled(d.Subset):
            def __getitem__(self, i):
                return 2 * super().__getitem__(i)
        return Doubled([1, 2], [0])
    assert same(scenario)[:2] == ("error", "NotImplementedError")


@pytest.mark.parametrize("lengths", [[3, 7], [0.3, 0.7], [0.3, 0.3, 0.4], [0.5, 0.5], [10, 0], [0.01, 0.99],
                                     [4, 4], [1.2, -0.2], [0.5, 0.6]])
def test_random_split_sizes(lengths):
    def scenario(lib):
        parts = data_of(lib).random_split(range(10), lengths, generator=lib.Generator().manual_seed(1))
        return [len(p) for p in parts]
    same(scenario)


def test_random_split_partitions_and_is_seeded():
    parts = pdata.random_split(range(30), [0.3, 0.3, 0.4], generator=pyfront.Generator().manual_seed(3))
    items = [x for p in parts for x in p]
    assert sorted(items) == list(range(30)) and items != list(range(30))
    again = pdata.random_split(range(30), [0.3, 0.3, 0.4], generator=pyfront.Generator().manual_seed(3))
    assert [list(p) for p in again] == [list(p) for p in parts]
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        pdata.random_split(range(2), [0.9, 0.1])


# -- samplers -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("n,bs,drop", [(10, 3, False), (10, 3, True), (9, 3, True), (2, 5, False),
                                        (2, 5, True), (0, 2, False), (7, 1, True)])
def test_batch_sampler(n, bs, drop):
    def scenario(lib):
        d = data_of(lib)
        sampler = d.BatchSampler(d.SequentialSampler(range(n)), bs, drop)
        return [list(sampler), len(sampler)]
    same(scenario)


@pytest.mark.parametrize("kwargs", [dict(batch_size=0, drop_last=False),
                                    dict(batch_size=True, drop_last=False),
                                    dict(batch_size=2.0, drop_last=False),
                                    dict(batch_size=2, drop_last=1)])
def test_batch_sampler_errors(kwargs):
    same(lambda lib: data_of(lib).BatchSampler(range(4), **kwargs))


@pytest.mark.parametrize("kwargs", [dict(replacement=1), dict(num_samples=0), dict(num_samples=2.5)])
def test_random_sampler_errors(kwargs):
    same(lambda lib: data_of(lib).RandomSampler(range(4), **kwargs))


@pytest.mark.parametrize("args", [([1.0, 2.0], 0), ([1.0, 2.0], True), ([1.0, 2.0], 2, 1), ([[1.0]], 1)])
def test_weighted_sampler_errors(args):
    same(lambda lib: data_of(lib).WeightedRandomSampler(*args))


@pytest.mark.parametrize("replacement,num_samples", [(False, None), (False, 25), (False, 3), (True, None),
                                                     (True, 70)])
def test_random_sampler(replacement, num_samples):
    def draw(seed):
        gen = pyfront.Generator().manual_seed(seed)
        return list(pdata.RandomSampler(range(10), replacement, num_samples, generator=gen))
    out = draw(0)
    assert len(out) == len(torch.utils.data.RandomSampler(range(10), replacement, num_samples))
    assert all(isinstance(i, int) and 0 <= i < 10 for i in out)
    if not replacement:  # whole permutations, then a part of one
        for start in range(0, len(out) - len(out) % 10, 10):
            assert sorted(out[start:start + 10]) == list(range(10))
        assert len(set(out[len(out) - len(out) % 10:])) == len(out) % 10
    assert draw(0) == out and draw(1) != out


def test_unseeded_random_sampler_follows_the_default_generator():
    sampler = pdata.RandomSampler(range(50))
    pyfront.manual_seed(5)
    first = list(sampler)
    assert list(sampler) != first  # a new order every pass
    pyfront.manual_seed(5)
    assert list(sampler) == first


def test_subset_and_weighted_samplers():
    gen = pyfront.Generator().manual_seed(0)
    out = list(pdata.SubsetRandomSampler([5, 7, 9, 11], generator=gen))
    assert sorted(out) == [5, 7, 9, 11] and len(pdata.SubsetRandomSampler([1, 2])) == 2
    weighted = pdata.WeightedRandomSampler([0.0, 1.0, 3.0, 0.0], 200, generator=gen)
    picks = list(weighted)
    assert len(picks) == len(weighted) == 200 and set(picks) == {1, 2}
    assert 110 < picks.count(2) < 190  # expected 150
    unique = list(pdata.WeightedRandomSampler([1.0, 1.0, 1.0, 1.0], 4, replacement=False, generator=gen))
    assert sorted(unique) == [0, 1, 2, 3]


# -- collation --------------------------------------------------------------------------------------------
def _batches(lib):
    return {
        "tensors": [lib.ones(2, 3), lib.zeros(2, 3)],
        "ints": [1, 2, 3], "floats": [1.5, 2.0], "bools": [True, False],
        "strings": ["a", "b"], "bytes": [b"x", b"y"],
        "numpy": [np.arange(6, dtype=np.float32).reshape(2, 3), np.ones((2, 3), np.float32)],
        "numpy_int16": [np.arange(3, dtype=np.int16)] * 2,
        "numpy_scalars": [np.float32(1.5), np.float32(2.5)], "numpy_int_scalars": [np.int32(3), np.int32(4)],
        "numpy_bool_scalars": [np.bool_(True), np.bool_(False)], "numpy_float64": [np.float64(1.0)],
        "tuples": [(lib.ones(2), 1, "a"), (lib.zeros(2), 2, "b")],
        "lists": [[1, 2.0], [3, 4.0]],
        "dicts": [{"x": lib.ones(1), "y": 1, "s": "a"}, {"x": lib.zeros(1), "y": 2, "s": "b"}],
        "ordered": [collections.OrderedDict(a=1), collections.OrderedDict(a=2)],
        "namedtuples": [Pair(1, 2.0), Pair(3, 4.0)],
        "nested": [{"p": Pair(lib.ones(2), [1, 2])}, {"p": Pair(lib.zeros(2), [3, 4])}],
        "int_tensors": [lib.tensor([1, 2]), lib.tensor([3, 4])],
        "zero_d": [lib.tensor(1.0), lib.tensor(2.0)],
        "ragged_lists": [[1, 2], [3]], "unequal_tensors": [lib.ones(2), lib.ones(3)],
        "objects": [object(), object()], "numpy_strings": [np.array(["a"]), np.array(["b"])],
        "empty": [],
    }


@pytest.mark.parametrize("kind", list(_batches(torch)))
def test_default_collate(kind):
    def scenario(lib):
        out = data_of(lib).default_collate(_batches(lib)[kind])
        return out if kind != "objects" else None
    result = same(scenario)
    if kind == "unequal_tensors":
        assert result[0] == "error"
    elif kind in ("tensors", "numpy", "tuples", "dicts"):
        assert result[0] == "ok"


@pytest.mark.parametrize("kind", ["numpy", "numpy_scalars", "tuples", "dicts", "namedtuples", "strings"])
def test_default_convert(kind):
    same(lambda lib: [data_of(lib).default_convert(x) for x in _batches(lib)[kind]])


# -- the DataLoader ----------------------------------------------------------------------------------------
class Squares:
    """A map-style dataset of (i, i * i as a tensor, a string) samples; plain class, no Dataset base."""

    def __init__(self, lib, n):
        self.lib, self.n = lib, n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        return i, self.lib.tensor([float(i * i), 1.0]), f"s{i}"

    def __len__(self):
        return self.n


class Failing:
    def __getitem__(self, i):
        if i == 5:
            raise ValueError(f"bad sample {i}")
        return i

    def __len__(self):
        return 8


@pytest.mark.parametrize("n,bs,drop", [(10, 3, False), (10, 3, True), (10, 5, True), (4, 8, False),
                                        (4, 8, True), (0, 3, False), (10, None, False)])
def test_loader_batches(n, bs, drop):
    def scenario(lib):
        loader = data_of(lib).DataLoader(Squares(lib, n), batch_size=bs, drop_last=drop)
        return [len(loader), list(loader)]
    same(scenario)


@pytest.mark.parametrize("drop", [False, True])
def test_shuffled_loader_is_a_permutation(drop):
    ds = pdata.TensorDataset(pyfront.arange(23), pyfront.arange(23.0) * 2)
    loader = pdata.DataLoader(ds, batch_size=5, shuffle=True, drop_last=drop)
    seen = []
    for x, y in loader:
        assert x.dtype == pyfront.int64 and y.dtype == pyfront.float32 and tuple(y.shape) == (len(x),)
        assert (y == x * 2).all()
        seen += x.tolist()
    sizes = [5] * 4 + ([] if drop else [3])
    assert len(loader) == len(sizes) and len(seen) == sum(sizes)
    assert len(set(seen)) == len(seen) and seen != sorted(seen)
    if not drop:
        assert sorted(seen) == list(range(23))
    again = [x.tolist() for x, _ in loader]
    assert [i for b in again for i in b] != seen  # reshuffled each epoch


def test_generator_fixes_the_order():
    def epoch(seed):
        gen = pyfront.Generator().manual_seed(seed)
        loader = pdata.DataLoader(range(20), batch_size=4, shuffle=True, generator=gen)
        return [b.tolist() for b in loader]
    assert epoch(3) == epoch(3) and epoch(3) != epoch(4)


def test_custom_collate_sampler_and_batch_sampler():
    def scenario(lib):
        d = data_of(lib)
        ds = Squares(lib, 7)
        by_sampler = list(d.DataLoader(ds, batch_size=2, sampler=[6, 0, 3]))
        by_batches = list(d.DataLoader(ds, batch_sampler=[[1, 2], [5], [0, 6, 4]]))
        custom = list(d.DataLoader(ds, batch_size=3, collate_fn=lambda b: [s[0] for s in b]))
        unbatched = list(d.DataLoader(ds, batch_size=None, sampler=[2, 4]))
        loader = d.DataLoader(ds, batch_sampler=d.BatchSampler(d.SequentialSampler(ds), 3, True))
        return [by_sampler, by_batches, custom, unbatched, len(loader), loader.batch_size, loader.drop_last]
    same(scenario)


def test_tensor_dataset_with_batched_indices():
    # the fast idiom for tensor data: a BatchSampler as the sampler, no automatic batching
    def scenario(lib):
        d = data_of(lib)
        ds = d.TensorDataset(lib.arange(14.0).reshape(7, 2), lib.arange(7))
        batches = d.BatchSampler(d.SequentialSampler(ds), 3, False)
        return list(d.DataLoader(ds, sampler=batches, batch_size=None))
    same(scenario)


class _Stream:
    """0..n-1, split between workers by ``get_worker_info`` (each library's own)."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = self.data.get_worker_info()
        if info is None:
            return iter(range(self.n))
        return iter(range(info.id, self.n, info.num_workers))

    def __len__(self):
        return self.n


class TorchStream(_Stream, torch.utils.data.IterableDataset):
    data = torch.utils.data


class PyfrontStream(_Stream, pdata.IterableDataset):
    data = pdata


def Stream(lib, n):  # noqa: N802 -- a class per library, chosen like a constructor
    return TorchStream(n) if lib is torch else PyfrontStream(n)


@pytest.mark.parametrize("workers", [0, 2])
@pytest.mark.parametrize("bs,drop", [(3, False), (3, True), (None, False)])
def test_iterable_dataset(workers, bs, drop):
    def scenario(lib):
        loader = data_of(lib).DataLoader(Stream(lib, 11), batch_size=bs, drop_last=drop, num_workers=workers)
        return [len(loader), list(loader)]
    same(scenario)


def test_iterable_dataset_longer_than_its_len_warns():
    class Liar(pdata.IterableDataset):
        def __iter__(self):
            return iter(range(5))

        def __len__(self):
            return 2
    loader = pdata.DataLoader(Liar(), batch_size=None)
    assert len(loader) == 2
    with pytest.warns(UserWarning, match="was reported to be 2"):
        assert len(list(loader)) == 5


@pytest.mark.parametrize("kwargs", [
    dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=2), dict(num_workers=1, prefetch_factor=-1),
    dict(persistent_workers=True), dict(shuffle=True, sampler=[0, 1]),
    dict(batch_sampler=[[0]], batch_size=2),
    dict(batch_sampler=[[0]], shuffle=True), dict(batch_sampler=[[0]], sampler=[0]),
    dict(batch_sampler=[[0]], drop_last=True), dict(batch_size=None, drop_last=True),
    dict(multiprocessing_context="fork"), dict(num_workers=1, multiprocessing_context="nope"),
    dict(num_workers=1, multiprocessing_context=3), dict(batch_size=0), dict(batch_size=-2),
    dict(drop_last=None),
])
def test_loader_option_errors(kwargs):
    same(lambda lib: data_of(lib).DataLoader(Squares(lib, 4), **kwargs))


@pytest.mark.parametrize("kwargs", [dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])])
def test_iterable_dataset_option_errors(kwargs):
    def scenario(lib):
        return data_of(lib).DataLoader(Stream(lib, 3), **kwargs)
    result = same(scenario)
    assert result[:2] == ("error", "ValueError")


def test_loader_attributes_are_frozen():
    for attr in ("batch_size", "sampler", "dataset", "drop_last"):
        same(lambda lib, attr=attr: setattr(data_of(lib).DataLoader(Squares(lib, 4)), attr, 2))
    loader = pdata.DataLoader(Squares(pyfront, 4))
    loader.num_workers = 0  # not frozen in PyTorch either
    assert loader.prefetch_factor is None
    assert pdata.DataLoader(Squares(pyfront, 4), num_workers=1).prefetch_factor == 2


def test_timeout_needs_workers():
    same(lambda lib: iter(data_of(lib).DataLoader(Squares(lib, 4), timeout=1)))


# -- worker processes ----------------------------------------------------------------------------------------
def _record_worker(worker_id):
    info = pdata.get_worker_info()
    assert info.id == worker_id and info.num_workers == 2
    info.dataset.tag = f"w{worker_id}"


class Tagged(pdata.Dataset):
    tag = "main"

    def __getitem__(self, i):
        info = pdata.get_worker_info()
        return {"i": i, "tag": self.tag, "worker": -1 if info is None else info.id,
                "rand": pyfront.rand(()).item(), "image": pyfront.full((2, 2), float(i))}

    def __len__(self):
        return 12


@pytest.mark.parametrize("in_order", [True, False])
def test_workers_give_the_same_batches(in_order):
    ds = pdata.TensorDataset(pyfront.arange(40.0).reshape(20, 2), pyfront.arange(20))
    gen = lambda: pyfront.Generator().manual_seed(7)  # noqa: E731
    serial = [plain(b) for b in pdata.DataLoader(ds, batch_size=3, shuffle=True, generator=gen())]
    loader = pdata.DataLoader(ds, batch_size=3, shuffle=True, generator=gen(), num_workers=2,
                              in_order=in_order, prefetch_factor=3)
    parallel = [plain(b) for b in loader]
    if in_order:
        assert parallel == serial
    else:
        assert sorted(map(repr, parallel)) == sorted(map(repr, serial))


def test_workers_match_torch_in_order():
    def scenario(lib):
        return list(data_of(lib).DataLoader(Squares(lib, 9), batch_size=2, num_workers=2))
    same(scenario)


def test_worker_info_init_fn_and_seeds():
    loader = pdata.DataLoader(Tagged(), batch_size=2, num_workers=2, worker_init_fn=_record_worker)
    batches = list(loader)
    assert [b["worker"].tolist() for b in batches] == [[0, 0], [1, 1]] * 3  # round robin, in order
    assert [b["tag"] for b in batches] == [["w0", "w0"], ["w1", "w1"]] * 3
    assert batches[0]["image"].shape == (2, 2, 2) and batches[0]["image"].dtype == pyfront.float32
    first = [b["rand"].tolist() for b in batches]
    assert first[0] != first[1]  # workers are seeded differently
    assert Tagged.tag == "main" and pdata.get_worker_info() is None


def test_worker_errors_are_reraised():
    def scenario(lib):
        it = iter(data_of(lib).DataLoader(Failing(), batch_size=2, num_workers=2))
        try:
            return list(it)
        except ValueError as e:
            assert "bad sample 5" in str(e)  # the worker's traceback travels in the message
            raise ValueError(str(e).splitlines()[0]) from None
        finally:
            # now, not when the traceback cycle is collected: torch's workers then take 5 s each to stop
            it._shutdown_workers()
    assert same(scenario) == ("error", "ValueError", "Caught ValueError in DataLoader worker process 0.")


def test_persistent_workers_serve_several_epochs():
    loader = pdata.DataLoader(Squares(pyfront, 7), batch_size=3, num_workers=2, persistent_workers=True)
    first = [plain(b) for b in loader]
    it = iter(loader)
    next(it)  # an epoch abandoned half way must not leak into the next one
    assert [plain(b) for b in loader] == first
    serial = pdata.DataLoader(Squares(pyfront, 7), batch_size=3)
    assert [plain(b) for b in loader] == [plain(b) for b in serial]
    assert iter(loader) is loader._iterator
    loader._iterator._shutdown_workers()
    assert not any(w.is_alive() for w in loader._iterator._workers)


class Slow(pdata.Dataset):
    def __getitem__(self, i):
        import time
        time.sleep(1)
        return i

    def __len__(self):
        return 2


def test_worker_timeout():
    with pytest.raises(RuntimeError, match="DataLoader timed out after 0.2 seconds"):
        list(pdata.DataLoader(Slow(), num_workers=1, timeout=0.2))


def test_spawned_workers_receive_and_return_tensors():
    # spawn pickles the dataset (pyfront tensors inside) to each worker: Python 3.14's default
    # forkserver, macOS and Windows start workers this way
    ds = pdata.TensorDataset(pyfront.arange(12.0).reshape(6, 2), pyfront.arange(6))
    loader = pdata.DataLoader(ds, batch_size=4, num_workers=2, multiprocessing_context="spawn")
    assert [plain(b) for b in loader] == [plain(b) for b in pdata.DataLoader(ds, batch_size=4)]


def test_workers_prefetch():
    it = iter(pdata.DataLoader(Squares(pyfront, 50), num_workers=2, prefetch_factor=3))
    assert it._send_idx == 6 and it._tasks_outstanding == 6  # sent before the first batch is asked for
    next(it)
    assert it._send_idx == 7
    it._shutdown_workers()


def test_abandoned_iterator_stops_its_workers():
    it = iter(pdata.DataLoader(Squares(pyfront, 50), num_workers=2))
    next(it)
    workers = it._workers
    del it
    for w in workers:
        w.join(timeout=10)
    assert not any(w.is_alive() for w in workers)


def test_no_processes_fallback(monkeypatch):
    from pyfront.utils.data import dataloader
    monkeypatch.setattr(sys, "platform", "emscripten")
    monkeypatch.setattr(dataloader, "_warned_no_processes", False)
    ds = Squares(pyfront, 5)
    with pytest.warns(UserWarning, match="cannot start worker processes"):
        batches = [plain(b) for b in pdata.DataLoader(ds, batch_size=2, num_workers=3, timeout=5)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # only once
        again = [plain(b) for b in pdata.DataLoader(ds, batch_size=2, num_workers=3, persistent_workers=True)]
    assert batches == again == [plain(b) for b in pdata.DataLoader(ds, batch_size=2)]


def test_tensors_pickle_as_cpu_leaves():
    x = pyfront.arange(12.0).reshape(3, 4).t()[1:]  # a strided view: its strides and offset, as torch's
    y = pickle.loads(pickle.dumps(x))
    assert y.tolist() == x.tolist() and (y.stride(), y.storage_offset()) == ((1, 4), 1) and y.dtype == x.dtype
    w = pyfront.ones(2, requires_grad=True)
    z = pickle.loads(pickle.dumps(w * 2))
    assert z.requires_grad and z.is_leaf and z.grad_fn is None
    for dtype in (pyfront.bool, pyfront.uint8, pyfront.int64, pyfront.float64, pyfront.float16):
        t = pyfront.tensor([[1, 0], [1, 1]], dtype=dtype)
        assert pickle.loads(pickle.dumps(t)).tolist() == t.tolist()
        assert pickle.loads(pickle.dumps(t)).dtype == dtype


def test_iterable_dataset_out_of_order():
    loader = pdata.DataLoader(Stream(pyfront, 11), batch_size=2, num_workers=2, in_order=False)
    values = [v for batch in loader for v in batch.tolist()]
    assert sorted(values) == list(range(11))

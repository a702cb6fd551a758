"""Which of equal elements torch's CPU sorting kernels put where: sort(stable=False)/argsort, topk, kthvalue
and mode.

torch leaves the order among ties unspecified, but its CPU kernels are deterministic: sort (stable=False) and
mode run libstdc++'s std::sort over (value, index) pairs compared by value; topk runs std::partial_sort when
``k * 64 <= n``, else std::nth_element and std::sort of the first k - 1; kthvalue runs ATen's own quickselect
(quick_select_template). Scripts see that order (nn.utils.prune removes one of tied weights by topk), so these
are those algorithms, step for step, on each row's ranks (integers: NaN the largest, all NaNs one rank, -0.0
equal to 0.0, as the kernels' comparators). Where it can, a step is done on whole arrays: std::sort's closing
insertion sort is a stable sort of what its partitions leave, and a Hoare partition is its swap pairs.
Only rows with ties run the steps: without ties every algorithm gives the one sorted order. Past
``EMULATED_MAX`` elements in such rows the steps would cost seconds, and the stable order is kept.
"""
from __future__ import annotations

import numpy as np

# How much the steps may compute in one call, counted as (row length + ROW_COST) per row with ties: they run
# in Python (~2 us an element, ~100 us a row), so past this a call keeps the stable order (the lowest index
# first among equals), where the steps would cost seconds and torch takes milliseconds (a 1M-element float32
# sort holds ties, and so does a batch of rounded scores)
EMULATED_MAX, ROW_COST = 1 << 14, 64
THRESHOLD = 16  # libstdc++'s _S_threshold: std::sort leaves segments this short to its insertion sort


def _lg(n: int) -> int:
    return n.bit_length() - 1


# -- libstdc++'s heap (stl_heap.h) on a list ``a`` compared by ``a[i] < a[j]`` (the keys order them) --------
def _push_heap(a, first, hole, top, value):
    parent = (hole - 1) // 2
    while hole > top and a[first + parent] < value:
        a[first + hole] = a[first + parent]
        hole, parent = parent, (parent - 1) // 2
    a[first + hole] = value


def _adjust_heap(a, first, hole, length, value):
    top, child = hole, hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if a[first + child] < a[first + child - 1]:
            child -= 1
        a[first + hole] = a[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        a[first + hole] = a[first + child - 1]
        hole = child - 1
    _push_heap(a, first, hole, top, value)


def _pop_heap(a, first, last, result):
    value, a[result] = a[result], a[first]
    _adjust_heap(a, first, 0, last - first, value)


def _make_heap(a, first, last):
    length = last - first
    if length < 2:
        return
    for parent in range((length - 2) // 2, -1, -1):
        _adjust_heap(a, first, parent, length, a[first + parent])


def _heap_select(a, first, middle, last):
    _make_heap(a, first, middle)
    for i in range(middle, last):
        if a[i] < a[first]:
            _pop_heap(a, first, middle, i)


def _sort_heap(a, first, last):
    while last - first > 1:
        last -= 1
        _pop_heap(a, first, last, last)


def _insertion_sort(a, first, last):
    for i in range(first + 1, last):
        value, j = a[i], i
        while j > first and value < a[j - 1]:
            a[j] = a[j - 1]
            j -= 1
        a[j] = value


# -- the partition step, on whole arrays ------------------------------------------------------------
def _move_median_to_first(k, result, a, b, c):
    ra, rb, rc = (int(k[i]) >> _SHIFT for i in (a, b, c))
    if ra < rb:
        pick = b if rb < rc else c if ra < rc else a
    else:
        pick = a if ra < rc else c if rb < rc else b
    k[[result, pick]] = k[[pick, result]]


def _partition_pivot(k, first, last):
    """libstdc++'s __unguarded_partition_pivot on ``k[first:last]`` in place: the cut. Its Hoare loop swaps
    the i-th element from the left not below the pivot with the i-th from the right not above it, until they
    cross; the left scan then stops at the next such element or at the last one swapped."""
    _move_median_to_first(k, first, first + 1, first + (last - first) // 2, last - 1)
    ranks = k[first:last] >> _SHIFT
    pivot = ranks[0]
    left = np.flatnonzero(ranks[1:] >= pivot) + first + 1
    right = np.flatnonzero(ranks <= pivot)[::-1] + first
    n = min(len(left), len(right))
    m = int(np.argmin(left[:n] < right[:n])) if n and not (left[:n] < right[:n]).all() else n
    k[left[:m]], k[right[:m]] = k[right[:m]], k[left[:m]].copy()
    stops = ([left[m]] if m < len(left) else []) + ([right[m - 1]] if m else [])
    return int(min(stops))


def _partition_pivot_list(r, keys, first, last):
    """``_partition_pivot`` on lists (ranks ``r``, ``keys`` moved with them), element by element: faster
    than whole arrays on short segments."""
    a, b, c = first + 1, first + (last - first) // 2, last - 1
    if r[a] < r[b]:
        pick = b if r[b] < r[c] else c if r[a] < r[c] else a
    else:
        pick = a if r[a] < r[c] else c if r[b] < r[c] else b
    r[first], r[pick], keys[first], keys[pick] = r[pick], r[first], keys[pick], keys[first]
    lo, hi, pivot = first + 1, last, r[first]
    while True:
        while r[lo] < pivot:
            lo += 1
        hi -= 1
        while pivot < r[hi]:
            hi -= 1
        if lo >= hi:
            return lo
        r[lo], r[hi], keys[lo], keys[hi] = r[hi], r[lo], keys[hi], keys[lo]
        lo += 1


def _heapsort(k, first, last):
    """std::partial_sort(first, last, last), introsort's way out past its depth limit."""
    seg = _ranked(k[first:last])
    _heap_select(seg, 0, len(seg), len(seg))
    _sort_heap(seg, 0, len(seg))
    k[first:last] = [p.key for p in seg]


_SHORT = 2048  # segments this short are partitioned element by element


def _introsort_loop(k, first, last, depth):
    if last - first <= _SHORT:
        keys = k[first:last].tolist()
        r = [v >> _SHIFT for v in keys]
        _introsort_list(r, keys, 0, len(keys), depth)
        k[first:last] = keys
        return
    while last - first > THRESHOLD:
        if depth == 0:
            return _heapsort(k, first, last)
        depth -= 1
        cut = _partition_pivot(k, first, last)
        _introsort_loop(k, cut, last, depth)
        last = cut


def _introsort_list(r, keys, first, last, depth):
    while last - first > THRESHOLD:
        if depth == 0:
            seg = np.array(keys, dtype=np.int64)
            _heapsort(seg, first, last)
            keys[first:last] = seg[first:last].tolist()
            r[first:last] = [v >> _SHIFT for v in keys[first:last]]
            return
        depth -= 1
        cut = _partition_pivot_list(r, keys, first, last)
        _introsort_list(r, keys, cut, last, depth)
        last = cut


def std_sort(k, first=0, last=None):
    """libstdc++'s std::sort of ``k[first:last]`` (keys carrying their index in the low bits), in place."""
    last = len(k) if last is None else last
    if last - first < 2:
        return
    _introsort_loop(k, first, last, 2 * _lg(last - first))
    # the closing insertion sort moves an element only past larger ones: a stable sort of what is left
    k[first:last] = k[first:last][np.argsort(k[first:last] >> _SHIFT, kind="stable")]


def _nth_element(k, nth, last):
    """libstdc++'s std::nth_element (introselect) of ``k[:last]`` at ``nth``, in place."""
    first, depth = 0, 2 * _lg(last)
    while last - first > 3:
        if depth == 0:
            seg = _ranked(k)
            _heap_select(seg, first, nth + 1, last)
            seg[first], seg[nth] = seg[nth], seg[first]
            k[:] = [p.key for p in seg]
            return
        depth -= 1
        cut = _partition_pivot(k, first, last)
        if cut <= nth:
            first = cut
        else:
            last = cut
    seg = _ranked(k[first:last])
    _insertion_sort(seg, 0, len(seg))
    k[first:last] = [p.key for p in seg]


def _quick_select(rank, idx, k):
    """ATen's quick_select_template (SortingUtils.h) with kthvalue's comparator, in place on lists."""
    def swap(i, j):
        rank[i], rank[j] = rank[j], rank[i]
        idx[i], idx[j] = idx[j], idx[i]
    lo, hi = 0, len(rank) - 1
    while True:
        if hi <= lo:
            return
        if hi == lo + 1:
            if rank[lo] > rank[hi]:
                swap(lo, hi)
            return
        swap(lo + (hi - lo) // 2, lo + 1)
        if rank[lo + 1] > rank[hi]:
            swap(lo + 1, hi)
        if rank[lo] > rank[hi]:
            swap(lo, hi)
        if rank[lo + 1] > rank[lo]:
            swap(lo + 1, lo)
        i, j, piv = lo + 1, hi, rank[lo]
        while True:
            i += 1
            while piv > rank[i]:
                i += 1
            j -= 1
            while rank[j] > piv:
                j -= 1
            if j < i:
                break
            swap(i, j)
        swap(lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


# -- rows ------------------------------------------------------------------------------------------
_SHIFT = 32  # a key is rank << 32 | index: every comparison reads the rank (key >> 32), the index rides along


def _ranks(row, descending):
    """Each element's rank in the kernels' order (NaN last ascending, first descending; NaNs equal)."""
    _, inverse = np.unique(row, return_inverse=True, equal_nan=True)
    inverse = inverse.reshape(-1).astype(np.int64)
    return inverse.max() - inverse if descending else inverse


def _has_ties(ranks) -> bool:
    return len(np.unique(ranks)) < len(ranks)


def sort_row(row, descending):
    """The order std::sort leaves a row in (torch's sort with stable=False, and mode's)."""
    ranks = _ranks(row, descending)
    if not _has_ties(ranks):
        return np.argsort(ranks, kind="stable")
    keys = (ranks << _SHIFT) | np.arange(len(ranks))
    std_sort(keys)
    return keys & ((1 << _SHIFT) - 1)


def topk_row(row, k, largest, sorted_):
    """The k indices torch's topk_impl_loop (TopKImpl.h) returns for a row, in its order."""
    n = len(row)
    ranks = _ranks(row, largest)
    if not _has_ties(ranks) and (sorted_ or k * 64 <= n):  # unsorted nth_element has its own order
        return np.argsort(ranks, kind="stable")[:k]
    keys = ((ranks << _SHIFT) | np.arange(n)).astype(np.int64)
    if k == 0:
        return keys[:0]
    if k * 64 <= n:  # std::partial_sort
        a = _ranked(keys)
        _heap_select(a, 0, k, n)
        _sort_heap(a, 0, k)
        return np.array([p.key for p in a[:k]], dtype=np.int64) & ((1 << _SHIFT) - 1)
    _nth_element(keys, k - 1, n)
    if sorted_:
        std_sort(keys, 0, k - 1)
    return keys[:k] & ((1 << _SHIFT) - 1)


class _Ranked:
    """A key compared by its rank alone, as the kernels compare (value, index) pairs by value."""

    __slots__ = ("key", "rank")

    def __init__(self, key):
        self.key, self.rank = key, key >> _SHIFT

    def __lt__(self, other):
        return self.rank < other.rank


def _ranked(keys):
    return [_Ranked(int(v)) for v in keys]


def signed_zero_median(flat, nth, value):
    """The element torch's whole-tensor median and nanmedian give, std::nth_element's at ``nth`` of ``flat``
    (their clone, in memory order; NaN the largest, -0.0 equal to 0.0), where ``value``, the median by a sort,
    is a zero among zeros of both signs: which of them it leaves there (elsewhere ``value`` is that element,
    and past EMULATED_MAX elements the sort's is kept)."""
    if value != 0 or len(flat) > EMULATED_MAX or flat.dtype.kind != "f":
        return value
    zeros = np.signbit(flat[flat == 0])
    if zeros.all() or not zeros.any():
        return value
    keys = ((_ranks(flat, False) << _SHIFT) | np.arange(len(flat))).astype(np.int64)
    _nth_element(keys, nth, len(keys))
    return flat[int(keys[nth]) & ((1 << _SHIFT) - 1)]


def kthvalue_row(row, k):
    """The index torch's kthvalue (quick_select_template) picks for the k-th smallest (k from 1)."""
    ranks = _ranks(row, False)
    if not _has_ties(ranks):
        return np.argsort(ranks, kind="stable")[k - 1:k]
    r, idx = ranks.tolist(), list(range(len(ranks)))
    _quick_select(r, idx, k - 1)
    return np.array(idx[k - 1:k], dtype=np.int64)


def _stable(flat, descending):
    """Each row's stable order (rows of a 2-d array): NaN last ascending, first descending, as the kernels;
    and which rows hold two equal elements (two NaNs, -0.0 and 0.0 among them). A row without is in its one
    sorted order, which NumPy's quicker unstable argsort gives (its values sorted first, to find the ties,
    is a tenth of a stable argsort's time); only the rows with ties are sorted stably."""
    def quick(rows):
        order = np.argsort(rows, axis=-1)
        return order[:, ::-1] if descending else order  # (ascending reversed: NaN, the largest, first)

    tied = _tied(flat)
    return _by_rows(flat, tied, quick, lambda rows: _stable_sort(rows, descending), flat.shape[-1]), tied


def _stable_part(flat, lo, hi, descending):
    """Places [lo, hi) of ``_stable``'s order of each row, and its rows with ties: a row without by NumPy's
    partition at ``hi`` and a sort of the elements before it (torch's topk too takes a partial sort), so
    the rest of the row is never ordered."""
    n = flat.shape[-1]

    def partial(rows):
        if hi == 0:
            return np.zeros((len(rows), 0), dtype=np.int64)
        if hi - lo == 1 and not descending:  # one place (kthvalue's): the partition's own
            return np.argpartition(rows, lo, axis=-1)[:, lo:hi]
        # the hi first of the order: a descending one's at the end of the ascending partition
        cut = n - hi if descending else hi - 1
        part = np.argpartition(rows, cut, axis=-1)
        part = part[:, cut:] if descending else part[:, :hi]
        sub = np.argsort(np.take_along_axis(rows, part, -1), axis=-1)
        return np.take_along_axis(part, (sub[:, ::-1] if descending else sub)[:, lo:hi], -1)

    tied = _tied(flat)
    return _by_rows(flat, tied, partial, lambda rows: _stable_sort(rows, descending)[:, lo:hi], hi - lo), tied


def _by_rows(flat, tied, untied_order, tied_order, width):
    """Each row's order: ``untied_order`` of the rows without ties, ``tied_order`` of those with, each
    function run on its own rows only."""
    if not tied.any():
        return untied_order(flat)
    if tied.all():
        return tied_order(flat)
    order = np.empty((len(flat), width), dtype=np.int64)
    order[~tied] = untied_order(flat[~tied])
    order[tied] = tied_order(flat[tied])
    return order


def _stable_sort(flat, descending):
    # a stable descending order (ties keep their input order, NaN first) from a stable ascending sort of
    # the reversed rows, without negating (which would wrap unsigned and bool values)
    if not descending:
        return np.argsort(flat, axis=-1, kind="stable")
    return flat.shape[-1] - 1 - np.argsort(flat[:, ::-1], axis=-1, kind="stable")[:, ::-1]


def _tied(flat):
    """Which rows of ``flat`` hold two equal elements, NaNs equal to each other: integer rows of fewer
    distinct values than elements (labels, counts) by their range alone, the others by their sorted values."""
    n = flat.shape[-1]
    if flat.dtype.kind in "iu" and n > 1 and len(flat):
        # (in uint64 the difference wraps to the exact one, an int64's would overflow)
        spread = flat.max(-1).astype(np.uint64) - flat.min(-1).astype(np.uint64)
        if (spread < n - 1).all():
            return np.ones(len(flat), dtype=bool)
    ordered = np.sort(flat, axis=-1)
    tied = (ordered[:, 1:] == ordered[:, :-1])
    if ordered.dtype.kind == "f":
        tied |= np.isnan(ordered[:, 1:]) & np.isnan(ordered[:, :-1])
    return tied.any(-1)


def stable_argsort(x, dim, descending):
    """The stable order along ``dim`` of an array of at least one dim (NumPy's argsort with kind="stable";
    descending: NaN first, equal elements in their order), the quicker way of ``_stable``."""
    moved = np.moveaxis(x, dim, -1)
    order, _ = _stable(moved.reshape(-1, moved.shape[-1]), descending)
    return np.moveaxis(order.reshape(moved.shape), -1, dim)


def torch_order(x, dim, how, k=0, descending=False, sorted_=True):
    """Indices along ``dim`` of ``x`` in torch's CPU order: ``how`` is "sort", "topk" or "kthvalue"
    (``descending``: sort's direction, topk's ``largest``). Every row is first put in its stable order at once
    (topk's and kthvalue's places of it by a partition); only the rows where two elements compare equal run
    their kernel's algorithm."""
    if x.ndim == 0:
        return np.zeros((), dtype=np.int64)
    moved = np.moveaxis(x, dim, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    n = flat.shape[-1]
    if how == "kthvalue":
        descending = False
    if how == "sort":
        order, tied = _stable(flat, descending)
        row = lambda r: sort_row(r, descending)  # noqa: E731
    elif how == "topk":
        order, tied = _stable_part(flat, 0, k, descending)
        row = lambda r: topk_row(r, k, descending, sorted_)  # noqa: E731
        if k and not sorted_ and k * 64 > n:  # nth_element leaves its own order even without ties
            tied[:] = True
    else:
        order, tied = _stable_part(flat, k - 1, k, descending)
        row = lambda r: kthvalue_row(r, k)  # noqa: E731
    order = order.astype(np.int64, copy=True)
    rows = np.flatnonzero(tied)
    if len(rows) * (n + ROW_COST) <= EMULATED_MAX:  # past it, the stable order (see EMULATED_MAX)
        for i in rows:
            order[i] = row(flat[i])
    return np.moveaxis(order.reshape(*moved.shape[:-1], order.shape[-1]), -1, dim)

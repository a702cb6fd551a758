"""The order torch's CPU mode kernel leaves a row holding NaN in.

mode runs libstdc++'s std::sort over (value, index) pairs compared by ``value < value``. With a NaN that is no
strict weak order (a NaN is neither below nor above anything), so the whole-array shortcuts of tie_order.py,
which rank NaN last, do not hold: here are the algorithm's steps element by element, with Python's float
``<`` (false against a NaN, as C++'s). Only rows with a NaN come here; a step that would read past the row
in C++ (undefined there) stops at its end.
"""
from __future__ import annotations

from .tie_order import THRESHOLD, _heap_select, _lg, _sort_heap


class _Pair:
    """A (value, index) pair compared by value alone, as the kernel's comparator (for libstdc++'s heap)."""

    __slots__ = ("value", "index")

    def __init__(self, value, index):
        self.value, self.index = value, index

    def __lt__(self, other):
        return self.value < other.value


def nan_row_order(row: list) -> list:
    """The indices of ``row`` (a list of floats) in the order std::sort leaves its pairs."""
    v, idx = list(row), list(range(len(row)))
    n = len(v)

    def swap(i, j):
        v[i], v[j], idx[i], idx[j] = v[j], v[i], idx[j], idx[i]

    def partition(first, last):  # __unguarded_partition_pivot: the median of three moved first, then Hoare
        a, b, c = first + 1, first + (last - first) // 2, last - 1
        if v[a] < v[b]:
            pick = b if v[b] < v[c] else c if v[a] < v[c] else a
        else:
            pick = a if v[a] < v[c] else c if v[b] < v[c] else b
        swap(first, pick)
        lo, hi = first + 1, last
        while True:
            while lo < last - 1 and v[lo] < v[first]:
                lo += 1
            hi -= 1
            while hi > first and v[first] < v[hi]:
                hi -= 1
            if lo >= hi:
                return lo
            swap(lo, hi)
            lo += 1

    def introsort(first, last, depth):
        while last - first > THRESHOLD:
            if depth == 0:  # std::partial_sort of the segment
                seg = [_Pair(v[i], idx[i]) for i in range(first, last)]
                _heap_select(seg, 0, len(seg), len(seg))
                _sort_heap(seg, 0, len(seg))
                v[first:last], idx[first:last] = [p.value for p in seg], [p.index for p in seg]
                return
            depth -= 1
            cut = partition(first, last)
            introsort(cut, last, depth)
            last = cut

    def insert(i, first, guarded):  # __insertion_sort's step (guarded) or __unguarded_linear_insert
        value, index = v[i], idx[i]
        if guarded and value < v[first]:  # below the first: the whole prefix moves up one
            v[first + 1:i + 1], idx[first + 1:i + 1] = v[first:i], idx[first:i]
            v[first], idx[first] = value, index
            return
        j = i
        while j > 0 and value < v[j - 1]:
            v[j], idx[j] = v[j - 1], idx[j - 1]
            j -= 1
        v[j], idx[j] = value, index

    if n > 1:
        introsort(0, n, 2 * _lg(n))
    for i in range(1, n):  # __final_insertion_sort: guarded over the first THRESHOLD, unguarded after
        insert(i, 0, i < THRESHOLD)
    return idx

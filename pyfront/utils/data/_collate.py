"""Collation: a list of samples -> one batch, exactly as ``torch.utils.data.default_collate``.

Tensors are stacked, Python ints/bools/floats become int64/bool/float64 tensors, NumPy arrays and
scalars become tensors of their dtype, strings and bytes stay a list, and dicts, namedtuples, tuples
and lists are collated field by field. NumPy is optional: its types are only handled once NumPy has
been imported (a batch cannot hold NumPy values before that).
"""
from __future__ import annotations

import collections.abc
import copy
import re
import sys
from collections.abc import Callable

from ... import dtypes as dt
from ...ops.composite.shaping import stack
from ...ops.creation import as_tensor, tensor
from ...tensor import Tensor

__all__ = ["collate", "default_collate", "default_convert", "default_collate_fn_map"]

_NP_STR_OBJ = re.compile(r"[SaUO]")  # NumPy dtype codes of strings, bytes and objects: not collatable

default_collate_err_msg_format = ("default_collate: batch must contain tensors, numpy arrays, numbers, "
                                  "dicts or lists; found {}")


def _is_numpy(obj) -> bool:
    kind = type(obj)
    return kind.__module__ == "numpy" and kind.__name__ not in ("str_", "string_")


def default_convert(data):
    """Turn NumPy arrays and scalars inside ``data`` into tensors; used when batching is off."""
    kind = type(data)
    if isinstance(data, Tensor):
        return data
    if _is_numpy(data):
        if kind.__name__ == "ndarray" and _NP_STR_OBJ.search(data.dtype.str) is not None:
            return data
        return as_tensor(data)
    if isinstance(data, collections.abc.Mapping):
        try:
            if isinstance(data, collections.abc.MutableMapping):
                clone = copy.copy(data)
                clone.update({key: default_convert(data[key]) for key in data})
                return clone
            return kind({key: default_convert(data[key]) for key in data})
        except TypeError:  # a mapping type that cannot be rebuilt from a dict
            return {key: default_convert(data[key]) for key in data}
    if isinstance(data, tuple) and hasattr(data, "_fields"):  # namedtuple
        return kind(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]  # PyTorch returns a list here, for compatibility
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        try:
            if isinstance(data, collections.abc.MutableSequence):
                clone = copy.copy(data)
                for i, d in enumerate(data):
                    clone[i] = default_convert(d)
                return clone
            return kind([default_convert(d) for d in data])
        except TypeError:
            return [default_convert(d) for d in data]
    return data


def collate(batch, *, collate_fn_map: dict[type | tuple[type, ...], Callable] | None = None):
    """Collate ``batch`` with the per-type functions of ``collate_fn_map``, recursing into containers."""
    elem = batch[0]
    kind = type(elem)
    if collate_fn_map is not None:
        if kind in collate_fn_map:
            return collate_fn_map[kind](batch, collate_fn_map=collate_fn_map)
        for key in collate_fn_map:
            if isinstance(elem, key):
                return collate_fn_map[key](batch, collate_fn_map=collate_fn_map)
    if isinstance(elem, collections.abc.Mapping):
        fields = {key: collate([d[key] for d in batch], collate_fn_map=collate_fn_map) for key in elem}
        try:
            if isinstance(elem, collections.abc.MutableMapping):
                clone = copy.copy(elem)
                clone.update(fields)
                return clone
            return kind(fields)
        except TypeError:
            return fields
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # namedtuple
        return kind(*(collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)))
    if isinstance(elem, collections.abc.Sequence):
        size = len(elem)
        if not all(len(e) == size for e in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [collate(samples, collate_fn_map=collate_fn_map) for samples in zip(*batch)]
        if isinstance(elem, tuple):
            return columns  # a list, as in PyTorch
        try:
            if isinstance(elem, collections.abc.MutableSequence):
                clone = copy.copy(elem)
                clone[:] = columns
                return clone
            return kind(columns)
        except TypeError:
            return columns
    raise TypeError(default_collate_err_msg_format.format(kind))


def collate_tensor_fn(batch, *, collate_fn_map=None):
    return stack(batch, 0)


def collate_numpy_array_fn(batch, *, collate_fn_map=None):
    elem = batch[0]
    if _NP_STR_OBJ.search(elem.dtype.str) is not None:
        raise TypeError(default_collate_err_msg_format.format(elem.dtype))
    return collate([as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)


def collate_numpy_scalar_fn(batch, *, collate_fn_map=None):
    # one tensor per scalar keeps each NumPy dtype (a list of them would be re-inferred from Python values)
    return collate_tensor_fn([as_tensor(b) for b in batch])


def collate_float_fn(batch, *, collate_fn_map=None):
    return tensor(batch, dtype=dt.float64)


def collate_int_fn(batch, *, collate_fn_map=None):
    return tensor(batch)


def collate_str_fn(batch, *, collate_fn_map=None):
    return batch


default_collate_fn_map: dict[type | tuple[type, ...], Callable] = {
    Tensor: collate_tensor_fn, float: collate_float_fn, int: collate_int_fn, str: collate_str_fn,
    bytes: collate_str_fn,
}


def _add_numpy_types() -> None:
    np = sys.modules.get("numpy")
    if np is not None and np.ndarray not in default_collate_fn_map:
        default_collate_fn_map[np.ndarray] = collate_numpy_array_fn
        default_collate_fn_map[(np.bool_, np.number, np.object_)] = collate_numpy_scalar_fn


def default_collate(batch):
    """Stack a list of samples into a batch: tensors gain a leading batch dimension, containers keep
    their structure (tuples become lists, as in PyTorch)."""
    _add_numpy_types()
    return collate(batch, collate_fn_map=default_collate_fn_map)

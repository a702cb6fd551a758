"""The named-tuple results of max/min/sort/topk/median, printed as ``torch.return_types.max(...)``."""
from __future__ import annotations


class _ReturnType(tuple):
    """A tuple with named fields; unpacks, indexes and compares like the tuple it is."""

    _fields: tuple = ()

    def __new__(cls, *values):
        if len(values) != len(cls._fields):
            raise TypeError(f"torch.return_types.{cls.__name__} takes {len(cls._fields)} values, "
                            f"got {len(values)}")
        return tuple.__new__(cls, values)

    @property
    def n_fields(self) -> int:
        return len(self._fields)

    def __getnewargs__(self):  # pickle and copy rebuild it through __new__
        return tuple(self)

    def __repr__(self) -> str:
        body = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__


def _make(name: str, fields=("values", "indices")) -> type:
    def getter(i):
        return property(lambda self: tuple.__getitem__(self, i))
    namespace = {"_fields": fields, **{f: getter(i) for i, f in enumerate(fields)}}
    return type(name, (_ReturnType,), namespace)


max = _make("max")
min = _make("min")
sort = _make("sort")
topk = _make("topk")
median = _make("median")
cummax = _make("cummax")
cummin = _make("cummin")

__all__ = ["max", "min", "sort", "topk", "median"]

"""``nn.factory_kwargs``: the factory arguments a module's ``**kwargs`` carry, checked, as torch's."""
from __future__ import annotations

_FACTORY_KEYS = ("device", "dtype", "memory_format")


def factory_kwargs(kwargs):
    """The ``device``/``dtype``/``memory_format`` of ``kwargs`` as one dict for a factory call, merged with
    the dict under its ``factory_kwargs`` key (for a module whose own argument shadows a factory one),
    as ``torch.nn.factory_kwargs``.

    Args:
        kwargs (dict or None): a module constructor's keyword arguments.

    Returns:
        a new dict (None gives an empty one).

    Raises:
        TypeError: another key, or one key both in ``kwargs`` and in its ``factory_kwargs`` (torch's texts).
    """
    if kwargs is None:
        return {}
    unknown = kwargs.keys() - {*_FACTORY_KEYS, "factory_kwargs"}
    if unknown:
        raise TypeError(f"unexpected kwargs {unknown}")
    merged = dict(kwargs.get("factory_kwargs", {}))
    for key in _FACTORY_KEYS:
        if key in kwargs:
            if key in merged:
                raise TypeError(f"{key} specified twice, in **kwargs and in factory_kwargs")
            merged[key] = kwargs[key]
    return merged

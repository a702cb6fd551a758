"""``torch.torch_version``: ``TorchVersion``, the ``str`` that ``torch.__version__`` is, which compares as a
version (with another string, or a tuple or list such as ``(2, 0)``), not character by character; a text
that is no version compares as a plain string, as torch's. PEP 440's ordering (packaging's) for release,
pre-, post-, dev- and local parts."""
from __future__ import annotations

import operator
import re

__all__ = ["TorchVersion", "InvalidVersion"]

_PATTERN = re.compile(
    r"v?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?P<pre_n>\d*))?"
    r"(?:-(?P<post_implicit>\d+)|[-_.]?(?P<post>post|rev|r)[-_.]?(?P<post_n>\d*))?"
    r"(?:[-_.]?(?P<dev>dev)[-_.]?(?P<dev_n>\d*))?"
    r"(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?", re.IGNORECASE)
_PRE_RANK = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}
_INF = float("inf")


class InvalidVersion(ValueError):
    """A text that is not a PEP 440 version."""


def _key(text: str) -> tuple:
    """packaging's sort key of version ``text``."""
    m = _PATTERN.fullmatch(text.strip())
    if m is None:
        raise InvalidVersion(f"Invalid version: {text!r}")
    release = tuple(int(p) for p in m["release"].split("."))
    while len(release) > 1 and release[-1] == 0:  # 2.0 == 2
        release = release[:-1]
    post = m["post_implicit"] or (m["post_n"] or "0" if m["post"] else None)
    dev = (m["dev_n"] or "0") if m["dev"] else None
    if m["pre"]:
        pre = (_PRE_RANK[m["pre"].lower()], int(m["pre_n"] or 0))
    else:  # a dev release of a final version sorts before its pre-releases
        pre = (-_INF, 0) if post is None and dev is not None else (_INF, 0)
    local = () if m["local"] is None else tuple((int(p), "") if p.isdigit() else (-_INF, p.lower())
                                                 for p in re.split(r"[-_.]", m["local"]))
    return (release, pre, -_INF if post is None else int(post), _INF if dev is None else int(dev),
            ((-_INF, ""),) if m["local"] is None else local)


def _as_text(other) -> str:
    if isinstance(other, str):
        return other
    if isinstance(other, (tuple, list)):
        return ".".join(str(item) for item in other)
    raise InvalidVersion(other)


class TorchVersion(str):
    """A version string that compares as a version: ``TorchVersion("2.1.0") >= (2, 0)``."""

    def _compare(self, other, op, name: str):
        try:
            return op(_key(self), _key(_as_text(other)))
        except InvalidVersion:
            return getattr(str, name)(self, other)

    def __gt__(self, other):
        return self._compare(other, operator.gt, "__gt__")

    def __lt__(self, other):
        return self._compare(other, operator.lt, "__lt__")

    def __ge__(self, other):
        return self._compare(other, operator.ge, "__ge__")

    def __le__(self, other):
        return self._compare(other, operator.le, "__le__")

    def __eq__(self, other):
        return self._compare(other, operator.eq, "__eq__")

    __hash__ = str.__hash__

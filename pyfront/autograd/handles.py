"""What hook registrations return: ``remove()`` undoes the registration, as leaving a ``with`` block does
(torch.utils.hooks.RemovableHandle)."""
from __future__ import annotations


class Removable:
    """A handle usable as a context manager: its block's end calls the subclass's ``remove()``."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

"""``torch._dynamo.exc``: the errors ``torch.compile`` raises before compiling anything."""
from __future__ import annotations


class TorchDynamoException(RuntimeError):
    """The base of torch._dynamo's errors (a RuntimeError)."""


class InvalidBackend(TorchDynamoException):
    """A ``backend`` name torch has no compiler registered for (torch.compile(model, backend="x"))."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Invalid backend: {name!r}, see `torch._dynamo.list_backends()` for available "
                         "backends.")

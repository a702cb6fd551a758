"""``pyfront.cpu``: as ``torch.cpu`` (its ``amp`` spelling of autocast, and the device queries)."""
from __future__ import annotations

from . import amp  # noqa: F401


def is_available() -> bool:
    return True


def device_count() -> int:
    return 1


def synchronize(device=None) -> None:
    """The cpu runs each op when it is called: nothing to wait for."""


def current_device() -> str:
    """"cpu", as ``torch.cpu.current_device`` (for device-agnostic code)."""
    return "cpu"


def set_device(device) -> None:
    """The cpu is one device: nothing to select."""


def is_initialized() -> bool:
    return True


class Stream:
    """``torch.cpu.Stream``: the cpu runs ops in order on the calling thread, so a stream orders nothing;
    it exists, as torch's, for device-agnostic code."""

    def __init__(self, priority: int = -1) -> None:
        pass

    def wait_stream(self, stream) -> None:
        pass

    def record_event(self) -> None:
        pass

    def wait_event(self, event) -> None:
        pass


class Event:
    """``torch.cpu.Event``: always complete (each op has run when it returns)."""

    def query(self) -> bool:
        return True

    def record(self, stream=None) -> None:
        pass

    def synchronize(self) -> None:
        pass

    def wait(self, stream=None) -> None:
        pass


_default_stream = _current_stream = Stream()


class StreamContext:
    """``with torch.cpu.stream(s):``: ``current_stream()`` is ``s`` inside (None selects nothing)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.prev_stream = _default_stream

    def __enter__(self):
        global _current_stream
        if self.stream is not None:
            self.prev_stream, _current_stream = _current_stream, self.stream

    def __exit__(self, *exc) -> None:
        global _current_stream
        if self.stream is not None:
            _current_stream = self.prev_stream


def stream(stream) -> StreamContext:
    return StreamContext(stream)


def current_stream(device=None) -> Stream:
    return _current_stream

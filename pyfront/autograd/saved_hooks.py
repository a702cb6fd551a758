"""``torch.autograd.graph.saved_tensors_hooks`` and its kin: a pair of functions every tensor saved for
backward passes through while the context is open (``pack`` when the op saves it, ``unpack`` each time the
backward or a ``grad_fn._saved_*`` read needs it back), as torch's SavedVariable calls them.

The pairs stack per thread, as torch keeps them in thread-local state; only the innermost pair applies."""
from __future__ import annotations

import contextlib
import threading

_LOCAL = threading.local()
# how many pairs are open on all threads: every saved tensor asks, and almost always none is
OPEN = [0]


def _stack() -> list:
    got = getattr(_LOCAL, "stack", None)
    if got is None:
        got = _LOCAL.stack = []
    return got


def current_hooks():
    """The innermost (pack, unpack) pair open on this thread, or None."""
    if not OPEN[0]:
        return None
    stack = getattr(_LOCAL, "stack", None)
    return stack[-1] if stack else None


def _refuse_if_disabled():
    message = getattr(_LOCAL, "disabled", None)
    if message is not None:
        raise RuntimeError(message)


class saved_tensors_hooks:
    """Within this context every tensor an op saves for backward is stored as ``pack_hook(tensor)``
    and read back as ``unpack_hook(packed)``, which must return a tensor."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        _refuse_if_disabled()
        _stack().append((self.pack_hook, self.unpack_hook))
        OPEN[0] += 1

    def __exit__(self, *args):
        _stack().pop()
        OPEN[0] -= 1


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors are kept on the cpu (pinned when asked, where that means anything) and moved back
    to their own device when the backward reads them."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def keep_on_host(tensor):
            # a cpu tensor is kept as it is (torch keeps it without a copy where it need not pin)
            return tensor.device, tensor.cpu()

        def move_back(saved):
            home, host_copy = saved
            return host_copy.to(home, non_blocking=pin_memory)

        super().__init__(keep_on_host, move_back)


@contextlib.contextmanager
def disable_saved_tensors_hooks(error_message: str):
    """Within this context, opening ``saved_tensors_hooks`` raises RuntimeError(error_message); it
    cannot be entered while a pair is open (it nests in itself)."""
    if current_hooks() is not None:
        raise RuntimeError(error_message)
    before, _LOCAL.disabled = getattr(_LOCAL, "disabled", None), error_message
    try:
        yield
    finally:
        _LOCAL.disabled = before

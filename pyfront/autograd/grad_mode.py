"""Grad-mode switches: no_grad, enable_grad, set_grad_enabled, inference_mode.

As in PyTorch, the modes are per thread: a ``no_grad`` block in one thread leaves autograd on in
the others, and every new thread starts with grad mode on and inference mode off.
"""
from __future__ import annotations

import functools
import threading


class _ThreadState(threading.local):
    def __init__(self):
        # whether ops record a graph, the one flag every op reads: grad mode, outside inference mode
        self.enabled = True
        self.inference = False  # inference mode: what is made in it is an inference tensor
        # grad mode inside inference mode, where nothing is recorded (enable_grad or not, as PyTorch's)
        # and ``enabled`` stays False: what is_grad_enabled() says there
        self.grad = False
        # torch.func transforms running on this thread (all of them, and the vmaps among them): what the
        # refusals torch makes inside a transform read (Tensor.item, backward, requires_grad_, ...)
        self.transforms = 0
        self.vmaps = 0
        self.vmap_innermost = False  # the innermost transform running is a vmap (not grad, vjp, ...)
        self.vmap_sizes = []  # the batch size of each vmap running, outermost first
        # torch's checkpoint_valid: False while a backward that runs toward chosen inputs only (autograd.grad,
        # backward(inputs=)) runs on this thread, and in any backward nested in one
        self.checkpoint_valid = True


_state = _ThreadState()

# torch's texts for what it refuses inside a transform (functorch's C++ checks)
IN_TRANSFORM = {
    "backward": "backward() called inside a functorch transform. This is not supported, please use "
                "functorch.grad or functorch.vjp instead or call backward() outside of functorch transforms.",
    "requires_grad_": "You are attempting to call Tensor.requires_grad_() (or perhaps using "
                      "torch.autograd.functional.* APIs) inside of a function being transformed by a "
                      "functorch transform. This is unsupported, please attempt to use the functorch "
                      "transforms (e.g. grad, vjp, jacrev, jacfwd, hessian) or call requires_grad_() outside "
                      "of a function being transformed instead.",
    "item": "vmap: It looks like you're calling .item() on a Tensor. We don't support vmap over calling "
            ".item() on a Tensor, please try to rewrite what you're doing with other operations. If error is "
            "occurring somewhere inside PyTorch internals, please file a bug report.",
    # .item() or bool() of a vmapped tensor that an autodiff transform inside the vmap wraps
    "item_or_flow": "vmap: It looks like you're either (1) calling .item() on a Tensor or (2) attempting to "
                    "use a Tensor in some data-dependent control flow or (3) encountering this error in "
                    "PyTorch internals. For (1): we don't support vmap over calling .item() on a Tensor, "
                    "please try to rewrite what you're doing with other operations. For (2): we don't "
                    "support data-dependent control flow in vmap yet, please file an issue at "
                    "https://github.com/pytorch/pytorch/issues . For (3): please file an issue.",
    "bool": "vmap: It looks like you're attempting to use a Tensor in some data-dependent control flow. We "
            "don't support that yet, please file an issue at https://github.com/pytorch/pytorch/issues .",
    "tolist": "Cannot access data pointer of Tensor that doesn't have storage",
    "nonzero": "vmap: We do not support batching operators that can output dynamic shape. Attempted to vmap "
               "over aten::nonzero. Please file an issue at https://github.com/pytorch/pytorch/issues if you "
               "need this feature.",
    "mask": "vmap: We do not support batching operators that can support dynamic shape. Attempting to batch "
            "over indexing with a boolean mask.",
}

# inference_mode blocks open in any thread: while there are none, a tensor made per op need not read its
# thread's state (a thread-local read costs as much as a Python call). Counted under a lock: two threads
# entering at once must not lose a count
_inference_blocks = [0]
_inference_lock = threading.Lock()
# vmaps running in any thread: while there are none, an op need not look for batched inputs (Tensor._batched)
_vmap_blocks = [0]


def is_grad_enabled() -> bool:
    return _state.grad if _state.inference else _state.enabled


def _swap_grad(mode: bool) -> bool:
    """Set grad mode to ``mode``; returns the previous one."""
    state = _state
    if state.inference:
        prev, state.grad = state.grad, mode
    else:
        prev, state.enabled = state.enabled, mode
    return prev


def is_inference_mode_enabled() -> bool:
    return _state.inference


class _GradModeContext:
    """Base of the switches; usable as a context manager and as a decorator, like PyTorch's."""

    mode = True

    # _swap_grad inline: no_grad() wraps every optimizer step and evaluation batch
    def __enter__(self):
        state = _state
        if state.inference:
            self._prev, state.grad = state.grad, self.mode
        else:
            self._prev, state.enabled = state.enabled, self.mode

    def __exit__(self, *exc):
        state = _state
        if state.inference:  # blocks nest: the inference mode is the one __enter__ saw
            state.grad = self._prev
        else:
            state.enabled = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradModeContext):
    """Disable gradient recording inside the block."""

    mode = False


class enable_grad(_GradModeContext):
    """Enable gradient recording inside the block."""

    mode = True


class inference_mode(_GradModeContext):
    """Inference mode: no graph is recorded (even under ``enable_grad``) and every tensor made is an
    inference tensor (``Tensor.is_inference``), which outside the mode refuses in-place updates,
    ``requires_grad`` and being saved for backward, as PyTorch's; ``inference_mode(False)`` leaves
    the mode and turns grad mode back on, as PyTorch's does."""

    def __init__(self, mode: bool = True):
        self.inference = bool(mode)
        self.mode = not mode

    def __enter__(self):
        state = _state
        self._prev = (state.enabled, state.inference, state.grad)
        if self.inference:
            with _inference_lock:
                _inference_blocks[0] += 1
        state.inference, state.grad = self.inference, self.mode
        state.enabled = self.mode and not self.inference

    def __exit__(self, *exc):
        _state.enabled, _state.inference, _state.grad = self._prev
        if self.inference:
            with _inference_lock:
                _inference_blocks[0] -= 1
        return False

    def __call__(self, fn):
        if not callable(fn):
            raise TypeError("inference_mode expects a callable")
        inference = self.inference

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(inference):
                return fn(*args, **kwargs)
        return wrapper


class set_grad_enabled(_GradModeContext):
    """Set grad mode now; restore the previous mode when used as a context manager."""

    def __init__(self, mode: bool):
        self.mode = bool(mode)
        self._prev = _swap_grad(self.mode)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _swap_grad(self._prev)
        return False


def not_differentiable(name: str, **args) -> None:
    """PyTorch's refusal of an argument that requires grad where its op ``name`` has no derivative for it
    (a loss's class weights, batch norm's running stats); like PyTorch, only while grad mode is on."""
    for arg, t in args.items():
        if t is not None and t.requires_grad and is_grad_enabled():
            raise RuntimeError(f"The function '{name}' is not differentiable with respect to argument "
                               f"'{arg}'. This input cannot have requires_grad True.")


def is_multithreading_enabled() -> bool:
    """Whether backward may run on several threads: torch's default, True (pyfront runs it on the calling
    thread whatever the answer, which changes no result)."""
    return _multithreading[0]


def is_view_replay_enabled() -> bool:
    return False  # torch's default: views are rebuilt by as_strided, not replayed


_multithreading = [True]


class set_multithreading_enabled:
    """Sets what ``is_multithreading_enabled`` answers, from the call to the end of the ``with`` block."""

    def __init__(self, mode: bool) -> None:
        self.prev, _multithreading[0] = _multithreading[0], bool(mode)

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        _multithreading[0] = self.prev

    def clone(self):
        return set_multithreading_enabled(_multithreading[0])

"""Random state: a counter-based Philox4x32-10 stream per Generator.

A Generator is (seed, offset); every draw takes the next words of its stream, so a seed gives the
same numbers on every backend (each backend implements the same Philox).
"""
from __future__ import annotations

import contextlib
import threading
import time

from .device import as_device


# torch's (CPU build's) refusal of a generator for a device type it has no generator for
_NO_GENERATOR = {
    "cuda": "Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend into two "
            "shared libraries: a CPU library and a CUDA library; this error has occurred because you are "
            "trying to use some CUDA functionality, but the CUDA library has not been loaded by the dynamic "
            "linker for some reason.  The CUDA library MUST be loaded, EVEN IF you don't directly use any "
            "symbols from the CUDA library! One common culprit is a lack of -Wl,--no-as-needed in your link "
            "arguments; many dynamic linkers will delete dynamic library dependencies if you don't depend on "
            "any of their symbols.  You can check if this has occurred by using ldd on your binary to see if "
            "there is a dependency on *_cuda.so library.",
    "mps": "Cannot execute getNewGenerator() without MPS backend.",
    "xpu": "Cannot get XPU generator without ATen_xpu library.",
    "meta": "META device type not an accelerator.",
}


class Generator:
    """A source of random numbers, as ``torch.Generator``: on the cpu (any index: torch's cpu generator has
    none) or webgpu (``cuda`` under ``--cuda-as webgpu``); another device type is torch's RuntimeError."""

    def __init__(self, device="cpu"):
        device = as_device(device)
        if device.type in _NO_GENERATOR:
            raise RuntimeError(_NO_GENERATOR[device.type])
        self.device = as_device("cpu") if device.type == "cpu" else device
        self._seed = 67280421310721  # PyTorch's default seed
        self._offset = 0

    def manual_seed(self, seed):
        seed = int(seed)
        if seed < -(1 << 63) or seed >= (1 << 64):
            raise ValueError("Overflow when unpacking long long")
        self._seed, self._offset = seed & 0xFFFFFFFFFFFFFFFF, 0
        return self

    def seed(self) -> int:
        self.manual_seed(time.time_ns() & 0xFFFFFFFFFFFF)
        return self._seed

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self):
        from .ops.creation import tensor
        from .dtypes import uint8
        return tensor(list(self._seed.to_bytes(8, "little") + self._offset.to_bytes(8, "little")),
                      dtype=uint8)

    def set_state(self, state):
        raw = bytes(state.tolist())
        if len(raw) != 16:
            raise RuntimeError(f"Expected a state of 16 bytes, got {len(raw)}")
        self._seed = int.from_bytes(raw[:8], "little")
        self._offset = int.from_bytes(raw[8:], "little")
        return self

    def _take(self, n_words: int):
        """Reserve ``n_words`` of the stream; returns (seed, offset of the first word)."""
        for level in getattr(VMAP_LEVELS, "stack", ()):  # vmap's randomness= sees every draw (func/vmap.py)
            level.on_draw(self)
        start = self._offset
        self._offset += n_words
        return self._seed, start


default_generator = Generator()
VMAP_LEVELS = threading.local()  # the vmap calls running on this thread, innermost last


def draw_device(generator):
    """Where the data utilities' index draws (shuffles, samples, seeds) run: on their generator's device, the
    cpu's default generator without one, never on the default device a script set (webgpu's randint covers
    32 bits only; the draws become Python ints anyway)."""
    return (generator if generator is not None else default_generator).device


def manual_seed(seed):
    """Seed the default generator, as ``torch.manual_seed``."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):  # torch's keyword name: set_rng_state(new_state=...)
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices", device_type=None):
    """Run the block on a fork of the random state, as ``torch.random.fork_rng``: the draws inside it
    leave the default generator where it was. One generator serves every pyfront device, so
    ``devices`` and ``device_type`` change nothing; ``enabled=False`` forks nothing."""
    if not enabled:
        yield
        return
    state = default_generator.get_state()
    try:
        yield
    finally:
        default_generator.set_state(state)

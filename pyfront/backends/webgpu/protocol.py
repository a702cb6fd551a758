"""The driver protocol: the few GPU calls the WebGPU backend needs, with no wgpu-py types above it.

Two drivers implement it: ``NativeDriver`` (wgpu-py: Vulkan, Metal, DX12, in driver.py) and
``BrowserDriver`` (the browser's ``navigator.gpu`` through pyodide.ffi, in browser.py). Here is
what they share: the limits and features asked for, usage flags and errors; the native driver
records through the ``Recorder`` (the browser's records a command list for bridge.js instead).
Handles (buffers, pipelines, bind groups) are opaque to the code above; everything is recorded
into one pending compute pass until ``submit``.
"""

from __future__ import annotations

# WebGPU's default limits, what a browser gives unless asked for more. We ask for what we use.
# the wgpu-py release pyfront is tested with: pyproject.toml's [gpu] extra pins the same (a test checks)
WGPU_PIN = "wgpu==0.32.*"

WANTED_LIMITS = (
    "max-storage-buffer-binding-size",
    "max-buffer-size",
    "max-storage-buffers-per-shader-stage",
    "max-compute-workgroup-storage-size",
    "max-compute-invocations-per-workgroup",
    "max-compute-workgroup-size-x",
    "max-compute-workgroup-size-y",
    "max-compute-workgroups-per-dimension",
    "max-uniform-buffer-binding-size",
)
OPTIONAL_FEATURES = ("shader-f16", "timestamp-query")

STORAGE, UNIFORM, COPY_SRC, COPY_DST, MAP_READ = 0x80, 0x40, 0x04, 0x08, 0x01
STAGING_POOLED = 16 << 20  # read-back staging buffers up to this size are kept for reuse, by size class


class DriverError(RuntimeError):
    pass


def lost_error(cause) -> RuntimeError:
    """The error of a lost GPU device (driver reset, GPU removed, device destroyed): a plain
    RuntimeError (DESIGN.md: no pyfront class name in a traceback) in the shape of torch's sticky CUDA
    error, which a GPU reset gives (``CUDA error: unspecified launch failure`` and its note that the
    error may surface at a later call, as a lost WebGPU device does: dispatches are queued). Unlike
    CUDA's it is not sticky: the next webgpu operation opens a new device. ``is_lost_error`` tells it
    apart from other RuntimeErrors, by a marker."""
    error = RuntimeError(
        f"WebGPU error: the WebGPU device was lost ({cause})\n"
        "WebGPU errors might be asynchronously reported at some other API call, so the stacktrace below "
        "might be incorrect.\nTensors that lived on the device are gone; pyfront opens a new device on "
        "the next webgpu operation: recreate or reload them."
    )
    error.webgpu_device_lost = True
    return error


def is_lost_error(error: BaseException) -> bool:
    """Whether ``error`` is ``lost_error``'s (raised already, so not to be wrapped again)."""
    return getattr(error, "webgpu_device_lost", False)


def is_lost(error: Exception) -> bool:
    return "device is lost" in str(error).lower() or "device lost" in str(error).lower()


class Recorder:
    """Recording shared by the drivers: one command encoder and one open compute pass collect every
    dispatch until ``submit``; pipeline and bind-group state already set in the pass is not set
    again (each call crosses into the driver). A driver supplies the calls in its own spelling
    (``_new_encoder``, ``_begin_pass``, ``_set_pipeline``, ``_set_bind_group``, ``_dispatch``,
    ``_copy``, ``_submit``)."""

    lost_reason = None  # why the device was lost, where the driver is told (the browser is)

    def __init__(self):
        self._encoder = self._pass = None
        self._bound = (None, None, None)
        self.submitted = False  # whether anything was submitted since the driver last waited

    def dispatch(self, pipeline, bind_group, params_offset: int, x: int, y: int = 1):
        if self._pass is None:
            if self._encoder is None:
                self._encoder = self._new_encoder()
            self._pass = self._begin_pass(self._encoder)
            self._bound = (None, None, None)
        last_pipeline, last_group, last_offset = self._bound
        if pipeline is not last_pipeline:
            self._set_pipeline(self._pass, pipeline)
        if bind_group is not last_group or params_offset != last_offset:
            self._set_bind_group(self._pass, bind_group, params_offset)
        self._bound = (pipeline, bind_group, params_offset)
        self._dispatch(self._pass, x, y)

    def copy(self, src, src_offset, dst, dst_offset, size):
        self._end_pass()
        if self._encoder is None:
            self._encoder = self._new_encoder()
        self._copy(self._encoder, src, src_offset, dst, dst_offset, size)

    def _end_pass(self):
        if self._pass is not None:
            self._pass.end()
            self._pass = None

    def submit(self):
        self._end_pass()
        encoder, self._encoder = self._encoder, None  # never kept where finishing it failed
        if encoder is not None:
            self._submit(encoder)
            self.submitted = True


class StagedReads:
    """Read-backs through MAP_READ staging buffers kept by power-of-two size class (at most one per
    class is in use at once, since reads hold the runtime's lock: the pool stays under 32 MiB). A
    fresh buffer per read (wgpu-py's ``queue.read_buffer``) costs a create and a destroy each time,
    and a training loop reads its loss every step. The driver sets ``self._staging = {}`` and
    supplies ``create_buffer``, ``copy`` and ``submit``."""

    def _stage_read(self, buf, offset, size):
        """A staging buffer holding ``size`` bytes of ``buf`` from ``offset`` once the queue is done:
        the copy joins the commands recorded so far, and one submit sends them all."""
        size_class = max(256, 1 << (size - 1).bit_length())
        free = self._staging.get(size_class)
        staging = free.pop() if free else self.create_buffer(size_class, MAP_READ | COPY_DST)
        self.copy(buf, offset, staging, 0, size)
        self.submit()
        return staging, size_class

    def _unstage(self, staging, size_class, mapped_ok):
        """Back to the pool once read and unmapped; a buffer whose map failed (its state unknown) or
        a large one is let go."""
        if mapped_ok and size_class <= STAGING_POOLED:
            self._staging.setdefault(size_class, []).append(staging)
        else:
            staging.destroy()

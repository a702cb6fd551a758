"""The native driver: the driver protocol (protocol.py) over wgpu-py (Vulkan, Metal, DX12)."""

from __future__ import annotations

import contextlib
import os
import tempfile

from .protocol import (COPY_DST, COPY_SRC, OPTIONAL_FEATURES, lost_error, WANTED_LIMITS, WGPU_PIN,  # noqa: F401
                       DriverError, Recorder, StagedReads)


class NativeDriver(Recorder, StagedReads):
    """wgpu-py. Adapter choice: ``PYFRONT_ADAPTER`` (a substring of the adapter's name or backend)
    picks one; otherwise a discrete GPU, then an integrated one, then a CPU renderer."""

    def __init__(self):
        import wgpu  # only the native driver imports wgpu-py

        self._wgpu = wgpu
        with _wayland_runtime_dir():
            adapters = wgpu.gpu.enumerate_adapters_sync()
        if not adapters:
            raise DriverError(
                "no WebGPU adapter found (is a Vulkan, Metal or DX12 driver installed? On "
                "Debian: apt-get install mesa-vulkan-drivers)"
            )
        self.adapter = _choose(adapters, os.environ.get("PYFRONT_ADAPTER"))
        limits = self.adapter.limits
        self.limits = {k: limits[k] for k in WANTED_LIMITS if k in limits}
        self.features = {f for f in OPTIONAL_FEATURES if f in self.adapter.features}
        self.device = self.adapter.request_device_sync(
            required_features=sorted(self.features), required_limits=dict(self.limits)
        )
        self.queue = self.device.queue
        # wgpu-py's device poll, waiting in this thread (in the release WGPU_PIN names; None elsewhere)
        self._poll_wait = getattr(self.device, "_poll_wait", None)
        self.lost = False
        self._fence = None  # a 4-byte buffer whose read-back waits for the queue (made on first wait)
        self._staging = {}  # size class -> free MAP_READ buffers
        super().__init__()
        info = self.adapter.info
        self.name = f"{info.get('device') or info.get('vendor')} / {info.get('backend_type')}"
        self.backend_type, self.adapter_type = info.get("backend_type"), info.get("adapter_type")
        self.software = self.adapter_type == "CPU"  # lavapipe, SwiftShader, WARP: a CPU renderer
        self.chosen_by_user = bool(os.environ.get("PYFRONT_ADAPTER"))
        self.wgsl_subgroups = False  # naga (wgpu-native) rejects `enable subgroups;`

    # -- memory --------------------------------------------------------------------------------
    def create_buffer(self, size: int, usage: int):
        return self.device.create_buffer(size=size, usage=usage)

    def destroy_buffer(self, buf):
        buf.destroy()

    def write_buffer(self, buf, offset: int, data):
        self.queue.write_buffer(buf, offset, data)

    def read_buffer(self, buf, offset: int, size: int) -> bytes:
        """``size`` bytes of ``buf`` from ``offset`` (both multiples of 4): copied, with everything
        recorded before, into a pooled staging buffer in one submit, then mapped while this thread
        waits in wgpu-native's device poll. (wgpu-py's ``queue.read_buffer`` makes and destroys a
        staging buffer each time and waits for the map through its poll thread: ~300 µs a read on
        lavapipe, against ~85.)"""
        staging, size_class = self._stage_read(buf, offset, size)
        ok = False
        try:
            # READ_NOSYNC: no empty submit before the map (wgpu-py's own read_buffer's mode; the
            # copy was just submitted)
            mapped = staging.map_async("READ_NOSYNC", 0, size)
            if self._poll_wait is not None:
                self._poll_wait()
            mapped.sync_wait()  # its callback may have run in wgpu-py's poll thread: wait for that
            data = bytes(staging.read_mapped(0, size, copy=False))
            staging.unmap()
            ok = True
        finally:
            self._unstage(staging, size_class, ok)
        return data

    def read_buffer_async(self, buf, offset: int, size: int):
        """``read_buffer``'s awaitable (the browser driver's shape): natively the read is done at once,
        as wgpu-py's blocking read is fine here."""
        return _ready(self.read_buffer(buf, offset, size))

    # -- pipelines ---------------------------------------------------------------------------
    def compile(self, wgsl: str, n_read: int, n_write: int):
        """A pipeline whose bindings are n_read read-only storage buffers, n_write writable ones and
        one uniform (the parameters) with a dynamic offset. Returns (pipeline, layout)."""
        wgpu = self._wgpu
        kinds = ["read-only-storage"] * n_read + ["storage"] * n_write
        entries = [
            {"binding": i, "visibility": wgpu.ShaderStage.COMPUTE, "buffer": {"type": k}}
            for i, k in enumerate(kinds)
        ]
        entries.append(
            {
                "binding": len(kinds),
                "visibility": wgpu.ShaderStage.COMPUTE,
                "buffer": {"type": "uniform", "has_dynamic_offset": True},
            }
        )
        layout = self.device.create_bind_group_layout(entries=entries)
        module = self.device.create_shader_module(code=wgsl)
        pipeline = self.device.create_compute_pipeline(
            layout=self.device.create_pipeline_layout(bind_group_layouts=[layout]),
            compute={"module": module, "entry_point": "main"},
        )
        return pipeline, layout

    def bind_group(self, layout, buffers):
        """``buffers``: (buffer, offset, size) per binding, in binding order (parameters last)."""
        entries = [
            {"binding": i, "resource": {"buffer": b, "offset": o, "size": n}}
            for i, (b, o, n) in enumerate(buffers)
        ]
        return self.device.create_bind_group(layout=layout, entries=entries)

    # -- recording: the wgpu-py spelling of the calls Recorder makes --------------------------------
    def _new_encoder(self):
        return self.device.create_command_encoder()

    @staticmethod
    def _begin_pass(encoder):
        return encoder.begin_compute_pass()

    @staticmethod
    def _set_pipeline(compute_pass, pipeline):
        compute_pass.set_pipeline(pipeline)

    @staticmethod
    def _set_bind_group(compute_pass, group, params_offset):
        compute_pass.set_bind_group(0, group, [params_offset])

    @staticmethod
    def _dispatch(compute_pass, x, y):
        compute_pass.dispatch_workgroups(x, y, 1)

    def _copy(self, encoder, src, src_offset, dst, dst_offset, size):
        if src._device is not self.device:  # an old tensor's, from a device lost since: its copy would
            # leave the open encoder invalid, and every later command of the new device with it
            raise lost_error("an operand's memory was on the device that was lost")
        encoder.copy_buffer_to_buffer(src, src_offset, dst, dst_offset, size)

    def _submit(self, encoder):
        self.queue.submit([encoder.finish()])

    def wait(self):
        """Block until the GPU has finished everything submitted: wgpu-native's device poll, waiting in
        this thread. (A 4-byte read-back waits as well, but makes a buffer, a copy and a submit, and
        hands the map's wait to wgpu-py's poll thread and back: 100-200 µs of each synchronize.)"""
        self.submit()
        if not self.submitted:
            # Nothing went to the device since the last wait, so nothing has told whether it is still
            # there: ask, as torch.cuda.synchronize() reports a device error however idle the stream
            # was. A lost device refuses a buffer ("Parent device is lost", which the runtime turns
            # into its lost-device error); wgpu-py never runs its device-lost callback on destroy(),
            # and an empty queue submit on a lost device aborts the process. ~9 µs, idle syncs only.
            self.device.create_buffer(size=4, usage=COPY_DST).destroy()
        self.submitted = False
        if self._poll_wait is not None:
            self._poll_wait()
            return
        if self._fence is None:
            self._fence = self.create_buffer(4, COPY_SRC | COPY_DST)
        self.queue.read_buffer(self._fence, 0, 4)

    async def wait_async(self):
        self.wait()


async def _ready(value):
    return value


@contextlib.contextmanager
def _wayland_runtime_dir():
    """Give the loader a private XDG_RUNTIME_DIR while it enumerates adapters, when the user's is
    unset or not an absolute directory (a headless machine, a container).

    libwayland-client, probed by the Vulkan loader's and EGL's window-system code, prints
    "error: XDG_RUNTIME_DIR is invalid or not set" for each probe although compute needs no display.
    An empty private directory has no display socket, so the probe fails quietly; the user's
    environment is restored right after (the device itself does not read it)."""
    old = os.environ.get("XDG_RUNTIME_DIR")
    if old and os.path.isabs(old) and os.path.isdir(old):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="pyfront-xdg-") as private:
        os.environ["XDG_RUNTIME_DIR"] = private
        try:
            yield
        finally:
            if old is None:
                del os.environ["XDG_RUNTIME_DIR"]
            else:
                os.environ["XDG_RUNTIME_DIR"] = old


def _choose(adapters, wanted):
    def describe(a):
        i = a.info
        return f"{i.get('device')} ({i.get('adapter_type')}, {i.get('backend_type')})"

    if wanted:
        for a in adapters:
            if wanted.lower() in describe(a).lower():
                return a
        raise DriverError(
            f"PYFRONT_ADAPTER={wanted!r} matches none of the adapters found: "
            + "; ".join(describe(a) for a in adapters)
        )
    rank = {"DiscreteGPU": 0, "IntegratedGPU": 1, "VirtualGPU": 2, "CPU": 3}
    return min(adapters, key=lambda a: rank.get(a.info.get("adapter_type"), 4))

"""The driver protocol over the browser's ``navigator.gpu``, through pyodide.ffi (Pyodide only).

Asynchronous WebGPU calls (adapter, device, mapAsync) block through JSPI (``run_sync``), which
works when Python was entered with ``runPythonAsync``; each blocking read has an ``_async`` twin.
"""

from __future__ import annotations

import js  # noqa: F401  (Pyodide's bridge to the JavaScript global scope)
from pyodide.ffi import create_proxy, run_sync, to_js

from .protocol import COPY_DST, MAP_READ, OPTIONAL_FEATURES, WANTED_LIMITS, DriverError, Recorder

COMPUTE_STAGE = 4  # GPUShaderStage.COMPUTE


def _js(obj):
    return to_js(obj, dict_converter=js.Object.fromEntries)


def _camel(name: str) -> str:
    head, *rest = name.split("-")
    return head + "".join(p.capitalize() for p in rest)


def can_block() -> bool:
    """Whether synchronous read-backs can wait for the GPU here (JSPI available)."""
    try:
        from pyodide.ffi import can_run_sync

        return can_run_sync()
    except ImportError:
        return False


def blocking(awaitable, twin: str):
    if not can_block():
        raise RuntimeError(
            f"this browser cannot wait for the GPU synchronously (no JSPI, or Python was not "
            f"entered with runPythonAsync); use the async twin: await {twin}"
        )
    return run_sync(awaitable)


_OPEN_TWIN = "pyfront.webgpu.init_async()"


def _gpu():
    gpu = getattr(js.navigator, "gpu", None)
    if gpu is None:
        raise DriverError("this browser has no WebGPU (navigator.gpu is missing)")
    return gpu


def _request_adapter():
    return _gpu().requestAdapter(_js({"powerPreference": "high-performance"}))


def _checked(adapter):
    if not adapter:  # JS null
        raise DriverError("navigator.gpu.requestAdapter() found no adapter")
    return adapter


def _limits(adapter) -> dict:
    return {
        k: int(getattr(adapter.limits, _camel(k)))
        for k in WANTED_LIMITS
        if getattr(adapter.limits, _camel(k), None) is not None
    }


def _features(adapter) -> set:
    return {f for f in OPTIONAL_FEATURES if adapter.features.has(f)}


def _device_descriptor(limits: dict, features: set):
    return _js(
        {"requiredFeatures": sorted(features), "requiredLimits": {_camel(k): v for k, v in limits.items()}}
    )


class BrowserDriver(Recorder):
    def __init__(self, adapter=None, device=None):
        super().__init__()
        if adapter is None:
            adapter = _checked(blocking(_request_adapter(), _OPEN_TWIN))
        self.adapter = adapter
        self.limits, self.features = _limits(adapter), _features(adapter)
        if device is None:
            device = blocking(
                adapter.requestDevice(_device_descriptor(self.limits, self.features)), _OPEN_TWIN
            )
        self.device = device
        self.queue = device.queue
        self.lost_reason = None  # set when the browser reports the device lost; the runtime then raises
        self._on_lost = create_proxy(lambda info: setattr(self, "lost_reason", str(info.message) or "lost"))
        device.lost.then(self._on_lost)
        info = getattr(adapter, "info", None)
        parts = [
            str(getattr(info, key, "") or "") for key in ("vendor", "architecture", "device", "description")
        ]
        self.name = " ".join(p for p in parts if p) or "WebGPU"
        self.software = "swiftshader" in self.name.lower()

    @classmethod
    async def create_async(cls):
        """Open the adapter and device without blocking (pages without JSPI)."""
        adapter = _checked(await _request_adapter())
        return cls(
            adapter, await adapter.requestDevice(_device_descriptor(_limits(adapter), _features(adapter)))
        )

    # -- memory --------------------------------------------------------------------------------
    def create_buffer(self, size: int, usage: int):
        return self.device.createBuffer(_js({"size": size, "usage": usage}))

    def destroy_buffer(self, buf):
        buf.destroy()

    def write_buffer(self, buf, offset: int, data):
        self.queue.writeBuffer(buf, offset, to_js(memoryview(data)))

    def _stage_read(self, buf, offset, size):
        staging = self.create_buffer(size, MAP_READ | COPY_DST)
        self.copy(buf, offset, staging, 0, size)
        self.submit()
        return staging

    @staticmethod
    def _take(staging) -> bytes:
        data = js.Uint8Array.new(staging.getMappedRange()).to_bytes()
        staging.unmap()
        staging.destroy()
        return data

    def read_buffer(self, buf, offset: int, size: int) -> bytes:
        staging = self._stage_read(buf, offset, size)
        blocking(staging.mapAsync(1), "tensor.item_async() / tolist_async()")
        return self._take(staging)

    async def read_buffer_async(self, buf, offset: int, size: int) -> bytes:
        staging = self._stage_read(buf, offset, size)
        await staging.mapAsync(1)
        return self._take(staging)

    # -- pipelines -----------------------------------------------------------------------------
    def compile(self, wgsl: str, n_read: int, n_write: int):
        kinds = ["read-only-storage"] * n_read + ["storage"] * n_write
        entries = [
            {"binding": i, "visibility": COMPUTE_STAGE, "buffer": {"type": k}} for i, k in enumerate(kinds)
        ]
        entries.append(
            {
                "binding": len(kinds),
                "visibility": COMPUTE_STAGE,
                "buffer": {"type": "uniform", "hasDynamicOffset": True},
            }
        )
        self.device.pushErrorScope("validation")
        layout = self.device.createBindGroupLayout(_js({"entries": entries}))
        module = self.device.createShaderModule(_js({"code": wgsl}))
        pipeline = self.device.createComputePipeline(
            _js(
                {
                    "layout": self.device.createPipelineLayout(_js({"bindGroupLayouts": [layout]})),
                    "compute": {"module": module, "entryPoint": "main"},
                }
            )
        )
        if can_block():  # surface a shader error here rather than as a silent no-op later
            error = run_sync(self.device.popErrorScope())
            if error is not None and getattr(error, "message", None) is not None:  # JS null: no error
                raise DriverError(f"WGSL pipeline rejected: {error.message}")
        else:
            self.device.popErrorScope()
        return pipeline, layout

    def bind_group(self, layout, buffers):
        entries = [
            {"binding": i, "resource": {"buffer": b, "offset": o, "size": n}}
            for i, (b, o, n) in enumerate(buffers)
        ]
        return self.device.createBindGroup(_js({"layout": layout, "entries": entries}))

    # -- recording: the JavaScript spelling of the calls Recorder makes ----------------------------
    def _new_encoder(self):
        return self.device.createCommandEncoder()

    @staticmethod
    def _begin_pass(encoder):
        return encoder.beginComputePass()

    @staticmethod
    def _set_pipeline(compute_pass, pipeline):
        compute_pass.setPipeline(pipeline)

    @staticmethod
    def _set_bind_group(compute_pass, group, params_offset):
        compute_pass.setBindGroup(0, group, to_js([params_offset]))

    @staticmethod
    def _dispatch(compute_pass, x, y):
        compute_pass.dispatchWorkgroups(x, y, 1)

    @staticmethod
    def _copy(encoder, src, src_offset, dst, dst_offset, size):
        encoder.copyBufferToBuffer(src, src_offset, dst, dst_offset, size)

    def _submit(self, encoder):
        self.queue.submit(to_js([encoder.finish()]))

    def wait(self):
        self.submit()
        blocking(self.queue.onSubmittedWorkDone(), "pyfront.webgpu.synchronize_async()")

    async def wait_async(self):
        self.submit()
        await self.queue.onSubmittedWorkDone()

"""The driver protocol over the browser's ``navigator.gpu``, through pyodide.ffi (Pyodide only).

Asynchronous WebGPU calls (adapter, device, mapAsync) block through JSPI (``run_sync``), which
works when Python was entered with ``runPythonAsync``; each blocking read has an ``_async`` twin.
"""

from __future__ import annotations

import os
from array import array

import js  # noqa: F401  (Pyodide's bridge to the JavaScript global scope)
from pyodide.ffi import create_proxy, run_sync, to_js

from .protocol import OPTIONAL_FEATURES, WANTED_LIMITS, DriverError, StagedReads

COMPUTE_STAGE = 4  # GPUShaderStage.COMPUTE
DISPATCH, COPY = 0.0, 1.0  # the command list's records, as bridge.js reads them


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


def _bridge():
    """bridge.js's functions: the page's worker imported it already; elsewhere it is run here."""
    if getattr(js, "pyfrontBridge", None) is None:
        with open(os.path.join(os.path.dirname(__file__), "bridge.js"), encoding="utf-8") as f:
            js.Function(f.read())()
    return js.pyfrontBridge


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


class BrowserDriver(StagedReads):
    """Records a flush's commands in Python (``dispatch``, ``copy``) as a flat list of numbers that
    bridge.js encodes and submits in one call: each crossing into JavaScript costs more than the
    GPU command it carries (137 us an op, where the native driver's Recorder makes the calls
    directly), so a pass crosses once, not once per call."""

    def __init__(self, adapter=None, device=None):
        self._bridge = _bridge()
        self._objects, self._index, self._commands = [], {}, array("d")
        self._staging = {}  # size class -> free MAP_READ buffers
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

    def read_buffer(self, buf, offset: int, size: int) -> bytes:
        """``size`` bytes of ``buf`` from ``offset``: the copy into a pooled staging buffer goes with
        everything recorded before, in one submit (one crossing into JavaScript), then the map."""
        staging, size_class = self._stage_read(buf, offset, size)
        ok = False
        try:
            data = blocking(self._bridge.read(staging, size), "tensor.item_async() / tolist_async()")
            ok = True
        finally:
            self._unstage(staging, size_class, ok)
        return data.to_bytes()

    def read_buffer_async(self, buf, offset: int, size: int):
        """``read_buffer``'s awaitable: the copy is recorded and submitted now (so the caller's
        parameters are written and its dispatches sent before anything else runs), the map awaited."""
        staging, size_class = self._stage_read(buf, offset, size)
        return self._mapped(staging, size_class, size)

    async def _mapped(self, staging, size_class, size) -> bytes:
        ok = False
        try:
            data = await self._bridge.read(staging, size)
            ok = True
        finally:
            self._unstage(staging, size_class, ok)
        return data.to_bytes()

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
        ranges = array("d", [v for _, offset, size in buffers for v in (offset, size)])
        return self._bridge.bindGroup(self.device, layout, to_js([b for b, _, _ in buffers]),
                                      to_js(memoryview(ranges)))

    # -- recording: a command list, encoded by bridge.js at submit --------------------------------
    def _ref(self, obj) -> int:
        """The index of a GPU object in this flush's table (which keeps it alive until submit)."""
        i = self._index.get(id(obj))
        if i is None:
            i = self._index[id(obj)] = len(self._objects)
            self._objects.append(obj)
        return i

    def dispatch(self, pipeline, bind_group, params_offset: int, x: int, y: int = 1):
        # the lookups of _ref inlined: this runs once per op, and a call costs microseconds in Pyodide
        index = self._index
        p, g = index.get(id(pipeline)), index.get(id(bind_group))
        if p is None:
            p = self._ref(pipeline)
        if g is None:
            g = self._ref(bind_group)
        self._commands.extend((DISPATCH, p, g, params_offset, x, y))

    def copy(self, src, src_offset, dst, dst_offset, size):
        self._commands.extend((COPY, self._ref(src), src_offset, self._ref(dst), dst_offset, size))

    def submit(self):
        if self._commands:
            objects, commands = self._objects, self._commands
            self._objects, self._index, self._commands = [], {}, array("d")
            self._bridge.submit(self.device, self.queue, to_js(objects), to_js(memoryview(commands)))

    def wait(self):
        self.submit()
        blocking(self.queue.onSubmittedWorkDone(), "pyfront.webgpu.synchronize_async()")

    async def wait_async(self):
        self.submit()
        await self.queue.onSubmittedWorkDone()

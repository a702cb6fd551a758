"""The WebGPU backend: every op as a WGSL compute shader (shaders/), through a small driver."""
from __future__ import annotations

import math

from ... import dtypes as dt
from ...device import device as Device
from ..base import Backend, nest
from ..storage import Storage, dense
from . import layout
from .protocol import WGPU_PIN
from .kernels import (  # noqa: F401  (importing a kernels module registers its launchers)
    LAUNCHERS, fft, foreach, indexing, matmul, nn, norm, random, reduce, scan, shaping, softmax, sort)
from .kernels import complex as cx
from .kernels.elementwise import plan, run_elementwise, scalar_value
from .runtime import Runtime
from .strides import TooManyDims
from . import fusion


class WebGPUBackend(Backend):
    name = "webgpu"

    def __init__(self, driver):
        self.driver = driver
        self.runtime = Runtime(driver)
        self.device = Device("webgpu", 0)
        self.has_f16 = "shader-f16" in driver.features
        # a fused kernel binds its inputs and its output as storage buffers
        buffers = driver.limits.get("max-storage-buffers-per-shader-stage", 8)
        self.max_leaves = min(buffers - 1, fusion.MAX_LEAVES)

    # -- memory -------------------------------------------------------------------------------
    def _check_dtype(self, dtype):
        layout.wgsl_type(dtype)  # float64 and bfloat16 are refused here, with a message naming .float()
        if dtype is dt.float16 and not self.has_f16:
            raise TypeError("this WebGPU adapter has no 'shader-f16' feature, so it cannot hold float16 "
                            "tensors; use .float()")

    def allocate(self, numel: int, dtype) -> Storage:
        self._check_dtype(dtype)
        # bindings must be multiples of 4 bytes (an odd count of f16 values is padded)
        lanes = numel * layout.gpu_itemsize(dtype)
        nbytes = max((lanes + 3) & ~3, 4)
        return Storage(self.runtime.pool.take(nbytes), self.device, nbytes, lanes=lanes)

    def reinterpret(self, storage, dtype, as_dtype):
        """A storage over ``storage``'s buffer (of ``dtype``) read as ``as_dtype``: only between the dtypes
        whose lanes hold their true bits (float32, int32, float16); int64, int16, int8, uint8 and bool live
        in 32-bit lanes of another width than theirs, whose bytes are not the ones torch would reinterpret.
        A pending fused result is computed first: a chain that inlined it would convert its values, not
        reread its bits. Both storages are exported, as the NumPy backend's."""
        self._check_dtype(as_dtype)
        for d in (dtype, as_dtype):
            if d.name not in layout.TRUE_BITS:
                raise TypeError(f"pyfront keeps {d.name} in 32-bit lanes on webgpu, so a {dtype.name} "
                                f"tensor's bits cannot be viewed as {as_dtype.name} there; view them on the "
                                f"cpu (t.cpu().view(torch.{as_dtype.name}))")
        data = storage.data
        if isinstance(data, fusion.Pending):
            data.realize()
        storage.exported = True
        return Storage(data, self.device, storage.nbytes, exported=True, lanes=storage.lanes)

    def binding(self, x):
        """(buffer, byte offset, byte size) covering everything layout ``x`` may touch."""
        return (x.storage.data, 0, x.storage.nbytes)

    def _upload(self, raw: bytes, dtype):
        storage = self.allocate(len(raw) // layout.gpu_itemsize(dtype), dtype)
        if raw:
            self.runtime.upload(storage.data, raw if len(raw) % 4 == 0 else raw + b"\0" * (4 - len(raw) % 4))
        return storage

    def from_list(self, flat, dtype):
        self._check_dtype(dtype)
        return self._upload(layout.values_to_gpu(flat, dtype), dtype)

    def from_bytes(self, raw, dtype):
        self._check_dtype(dtype)
        return self._upload(layout.host_to_gpu(bytes(raw), dtype), dtype)

    def _readable(self, x):
        """(buffer, byte offset, byte size) of ``x``'s values, dense and in order.

        A contiguous view (e.g. a narrow of dim 0) is read in place from its offset, which must be
        4-aligned; anything else is first copied into a fresh buffer (contiguous() keeps the offset).
        """
        itemsize = layout.gpu_itemsize(x.dtype)
        if not x.contiguous or x.offset * itemsize % 4:
            x = self._dense_copy(x)
        return x.storage.data, x.offset * itemsize, x.numel() * itemsize

    def _dense_copy(self, x):
        copy = dense(self.allocate(x.numel(), x.dtype), x.shape, x.dtype)
        run_elementwise(self, "a", [x], copy)
        return copy

    # reads are whole 4-byte words (an odd count of f16 values has a padding half)
    def _contiguous_bytes(self, t) -> bytes:
        buf, offset, size = self._readable(t)
        return self.runtime.read(buf, offset, (size + 3) & ~3)[:size] if size else b""

    async def _contiguous_bytes_async(self, t) -> bytes:
        buf, offset, size = self._readable(t)
        return (await self.runtime.read_async(buf, offset, (size + 3) & ~3))[:size] if size else b""

    def to_bytes(self, t) -> bytes:
        return layout.gpu_to_host(self._contiguous_bytes(t), t.dtype)

    async def to_bytes_async(self, t) -> bytes:
        return layout.gpu_to_host(await self._contiguous_bytes_async(t), t.dtype)

    def to_list(self, t):
        return nest(layout.gpu_to_values(self._contiguous_bytes(t), t.dtype), t.shape)

    async def to_list_async(self, t):
        return nest(layout.gpu_to_values(await self._contiguous_bytes_async(t), t.dtype), t.shape)

    # -- compute ------------------------------------------------------------------------------
    def run(self, op, inputs, attrs, out_meta):
        launch = LAUNCHERS.get(op.name)
        if launch is not None:
            if cx.check_kernel(op, attrs, inputs, out_meta):
                return cx.paired(self, launch, op, inputs, attrs, out_meta)
            try:
                storages = launch(self, op, inputs, attrs, out_meta)
            except TooManyDims:
                storages = self._launch_dense(launch, op, inputs, attrs, out_meta)
            return [self._wrapped(st, meta) for st, meta in zip(storages, out_meta)]
        if op.kind != "elementwise" or op.wgsl is None:
            for _, dtype in out_meta:  # a result webgpu cannot hold (rfft's, eig's complex): refused as
                self._check_dtype(dtype)  # such, with the way out, as every complex tensor there is
            raise RuntimeError(f'"{op.name}" has no WebGPU kernel yet; move the tensors to the cpu device')
        (shape, dtype), = out_meta
        expr, scalars, bool_expr, widen = plan(op, [t.dtype for t in inputs], attrs, dtype)
        return [self._elementwise(shape, dtype, inputs, expr, scalars, bool_expr, widen)]

    def _launch_dense(self, launch, op, inputs, attrs, out_meta):
        """``op`` again on dense copies of its strided inputs: a layout of many dims that do not merge
        (torch indexes up to 25) is past a kernel's parameters, its copy merges to fewer."""
        dense_inputs = [x if x is None or x.is_contiguous() else self._dense_copy(x) for x in inputs]
        try:
            return launch(self, op, dense_inputs, attrs, out_meta)
        except TooManyDims as e:  # (DESIGN.md: a builtin type in a traceback)
            raise RuntimeError(str(e)) from None

    def plan(self, op, dtype, out_dtypes, attrs=None):
        """An elementwise op's kernel expression, its scalars and its output's checks are settled
        here, once per (op, dtype, attributes): a call makes its pending result and no more."""
        if len(out_dtypes) != 1 or op.name in LAUNCHERS or op.kind != "elementwise" or op.wgsl is None:
            return super().plan(op, dtype, out_dtypes, attrs)
        attrs = attrs or {}
        out_dtype = out_dtypes[0]
        expr, scalars, bool_expr, widen = plan(op, (dtype,), attrs, out_dtype)
        self._check_dtype(out_dtype)
        for ty, value in scalars:  # a number the kernel cannot carry fails at its op, not at a later read
            scalar_value(ty, value)
        itemsize, device, pending = layout.gpu_itemsize(out_dtype), self.device, fusion.pending

        def planned(inputs, shape, out=None):  # a result pending in its own buffer: ``out`` unused
            if fusion.ENABLED and len(shape) <= fusion.MAX_DIMS and 0 not in shape:  # fusion.fusable
                lanes = math.prod(shape) * itemsize
                nbytes = max((lanes + 3) & ~3, 4)
                data = pending(self, shape, nbytes, out_dtype, inputs, expr, scalars, bool_expr, widen)
                return [Storage(data, device, nbytes, lanes=lanes)]
            return self.run(op, inputs, attrs, [(shape, out_dtype)])

        return planned

    def _elementwise(self, shape, dtype, inputs, expr, scalars=(), bool_expr=False, widen=False):
        """A new storage of ``expr`` over ``inputs``: pending until something needs its memory
        (fusion.py), or computed now where fusion is off."""
        if fusion.fusable(shape):
            self._check_dtype(dtype)
            for ty, value in scalars:  # a number the kernel cannot carry fails here, not at a later read
                scalar_value(ty, value)
            lanes = math.prod(shape) * layout.gpu_itemsize(dtype)
            nbytes = max((lanes + 3) & ~3, 4)
            data = fusion.pending(self, shape, nbytes, dtype, inputs, expr, scalars, bool_expr, widen)
            return Storage(data, self.device, nbytes, lanes=lanes)
        storage = self.allocate(math.prod(shape), dtype)
        run_elementwise(self, expr, inputs, dense(storage, shape, dtype), bool_expr, scalars, widen)
        return storage

    def _wrapped(self, storage, meta):
        """A kernel's output of a narrow integer dtype, wrapped to its width (the elementwise
        template wraps on store; other kernels' sums and products may leave the range)."""
        shape, dtype = meta[0], meta[1]
        if not layout.is_narrow(dtype):
            return storage
        wrapped = self.allocate(math.prod(shape), dtype)
        run_elementwise(self, "a", [dense(storage, shape, dtype)], dense(wrapped, shape, dtype))
        return wrapped

    def write(self, dst, src):
        if src.storage is dst.storage:  # `x[i] *= 2`: one dispatch cannot read and write one buffer
            if src[1:4] == dst[1:4]:  # the very elements it would write (``b.copy_(b)``): nothing to do
                return
            src = self._dense_copy(src)
        elif fusion.write_into(self, dst, src):
            return
        run_elementwise(self, "a", [src], dst)

    # the numbers are kernel parameters (s0, s1), so every fill and range shares one pipeline per dtype
    def full(self, shape, value, dtype):
        self._check_dtype(dtype)  # float64's and bfloat16's one message
        if dtype is dt.bool_:
            value = bool(value)
        if dtype is dt.complex64:  # its two parts, two parameters
            value = complex(value)
            return self._elementwise(shape, dtype, [], "vec2<f32>(s0, s1)", [("f32", value.real),
                                                                              ("f32", value.imag)])
        return self._elementwise(shape, dtype, [], "s0", [(layout.wgsl_type(dtype), value)])

    def arange(self, start, step, n, dtype):
        storage = self.allocate(n, dtype)
        t = dense(storage, (n,), dtype)
        if dtype is dt.float16:  # as torch's CPU kernel, a vector of 16 at a time (backends/vector_range.py)
            expr = ("select(f16(fused_f32(f32(i % 16u), s1, f32(f16(fused_f32(s1, f32(i - i % 16u), s0))))), "
                    "f16(fused_f32(s1, f32(i), s0)), i >= s2 - s2 % 32u)")
            scalars = [("f32", float(start)), ("f32", float(step)), ("u32", n)]
        elif dtype.is_floating_point:  # computed in f32 from the index (torch's CPU kernel: in double)
            expr, scalars = "s0 + s1 * f32(i)", [("f32", float(start)), ("f32", float(step))]
        else:
            expr, scalars = "s0 + s1 * i32(i)", [("i32", int(start)), ("i32", int(step))]
        run_elementwise(self, expr, [], t, scalars=scalars)
        return storage

    # -- multi-tensor optimizer steps (kernels/foreach.py) ----------------------------------------
    def foreach_sgd(self, params, grads, bufs, lr, momentum, dampening, weight_decay, nesterov, maximize):
        if momentum == 0:
            return self._foreach("sgd_plain", [grads, params],
                                 {"lr": lr, "weight_decay": weight_decay, "maximize": int(maximize)})
        return self._foreach("sgd", [grads, params, bufs],
                             {"lr": lr, "momentum": momentum, "one_minus_dampening": 1 - dampening,
                              "weight_decay": weight_decay, "nesterov": int(nesterov),
                              "maximize": int(maximize)})

    def foreach_adam(self, tensors, hyper, amsgrad):
        return self._foreach("adam_amsgrad" if amsgrad else "adam", tensors, hyper)

    def _foreach(self, kind, tensors, hyper):
        every = [t for ts in tensors for t in ts]
        # one dispatch binds each buffer once: tensors that share memory take the op-by-op step
        if not (all(t.dtype is dt.float32 and t.contiguous for t in every)
                and len({id(t.storage) for t in every}) == len(every)):
            return False
        foreach.foreach_update(self, kind, tensors, hyper)
        return True

    def random(self, kind, n, dtype, seed, offset, a, b):
        from .kernels.random import philox
        return philox(self, kind, n, dtype, seed, offset, a, b)

    def synchronize(self):
        self.runtime.synchronize()

    async def synchronize_async(self):
        await self.runtime.synchronize_async()


def open_driver():
    """The driver for this platform: the browser's navigator.gpu under Pyodide, wgpu-py elsewhere."""
    import sys

    if sys.platform == "emscripten":
        from .browser import BrowserDriver

        return BrowserDriver()
    try:
        import wgpu  # noqa: F401
    except ImportError as e:
        raise RuntimeError(
            f'the webgpu device needs the wgpu package: pip install "{WGPU_PIN}" '
            '(or pip install "pyfront[gpu]")'
        ) from e
    from .driver import NativeDriver

    return NativeDriver()

"""The CPU backend: NumPy arrays, and the reference every other backend is tested against."""

from __future__ import annotations

import contextvars
import functools
import math

import numpy as np

from ..device import CPU
from ..dtypes import (FLOAT8, HALVES, STORED, bfloat16, check_storable, float8_to_float32, half_array,
                      numpy_dtype, round_float32)
from ..shape import extent
from . import host_blas
from .base import Backend, nest
from .scaled_add import fused_lerp, fused_multiply_add, scaled_add
from .storage import Storage
from .vector_range import arange_values


_new = object.__new__
_NP_DTYPES = {d.name: np.dtype(d.np_name) for d in STORED if d is not bfloat16 and d not in FLOAT8}
# the dtypes torch's CPU kernels compute in float32 and round once into (float8's always, whatever the rule)
_NARROW = frozenset(HALVES + FLOAT8)
_FLOAT8 = {d.name: d for d in FLOAT8}


def _np(dtype) -> np.dtype:
    """The NumPy dtype that holds ``dtype``: every storage of this backend is made through here, so
    bfloat16's (ml_dtypes, imported on first use) is looked up before any array of it is made."""
    found = _NP_DTYPES.get(dtype.name)
    if found is None:
        check_storable(dtype)  # complex32: no storage
        found = _NP_DTYPES[dtype.name] = numpy_dtype(np, dtype)
    return found


try:  # NumPy 2's errstate is a context variable: setting it to a ready value costs ~0.1 us, where
    # entering np.errstate builds that value anew each time (~4 us, more than a 1,000-element add)
    from numpy._core._ufunc_config import _extobj_contextvar as _ERRSTATE
    from numpy._core.umath import _make_extobj
    _IGNORE = _make_extobj(all="ignore")
except ImportError:  # another NumPy: its own errstate behind the same two calls, slower
    class _ErrstateVar:
        def set(self, _):
            state = np.errstate(all="ignore")
            state.__enter__()
            return state

        def reset(self, state):
            state.__exit__(None, None, None)

    _ERRSTATE, _IGNORE = _ErrstateVar(), None

    class _quiet_context:  # noqa: N801 (stands in for the function below)
        @staticmethod
        def run(fn, *args):
            with np.errstate(all="ignore"):
                return fn(*args)
else:
    def _quiet_context():
        """A Context of pyfront's own whose NumPy errstate is "ignore": ``ctx.run(rule, ...)`` is one C
        call, where setting and resetting the errstate variable is two, each building a new context."""
        ctx = contextvars.Context()
        ctx.run(_ERRSTATE.set, _IGNORE)
        return ctx


# The planned ops' Contexts. A Context is entered by one thread at a time, and not again inside itself
# (a finalizer running an op mid-rule), so each run takes one from here and puts it back after: list
# pop and append are atomic. One lost to an error is made anew.
_QUIET: list = []


def _out_of_memory(e) -> RuntimeError:
    """NumPy's MemoryError as torch's allocator words it."""
    nbytes = math.prod(getattr(e, "shape", ())) * getattr(getattr(e, "dtype", None), "itemsize", 0)
    return RuntimeError(f"[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't "
                        f"allocate memory: you tried to allocate {nbytes} bytes. Error code 12 "
                        f"(Cannot allocate memory)")


class _AsTorch:
    """NumPy's faults as PyTorch's CPU has them.

    inf/nan results are values in PyTorch, not warnings: every NumPy computation runs under an
    errstate. A warnings filter would not do: a user's own ``catch_warnings`` or
    ``simplefilter("error")`` replaces it, and the user's own NumPy code keeps its settings.
    An allocation that fails is torch's RuntimeError, not NumPy's MemoryError. A class, not a
    generator context manager: it runs around every op, and contextlib's machinery costs as much
    (``run``, the hottest, makes the same two calls inline).
    """

    __slots__ = ("_token",)

    def __enter__(self):
        self._token = _ERRSTATE.set(_IGNORE)

    def __exit__(self, kind, e, tb):
        _ERRSTATE.reset(self._token)
        if kind is not None and issubclass(kind, MemoryError):
            raise _out_of_memory(e) from None
        return False


_as_torch = _AsTorch


def _is_float8(d) -> bool:
    """Whether NumPy dtype ``d`` is one of ml_dtypes' float8s, the 1-byte floats (kind 'V', e5m2's 'f'), read
    from its fields: NumPy's ``dtype.name`` is Python code of its own, ~6x a small add."""
    return d.itemsize == 1 and d.kind in "fV"


def _widened(arr, up: bool):
    """A float16/bfloat16 operand in float32 where the rule wants it (``up``), a float8 one always (exactly,
    with torch's NaN bits: ml_dtypes' arithmetic would round its own way)."""
    if _is_float8(arr.dtype):
        return float8_to_float32(np, arr)
    return arr.astype(np.float32) if up else arr


_NO_OVERFLOW = 2 ** 59  # a stride in items below which its bytes fit NumPy's int64 at any item size


class _Memory:
    """``nbytes`` of ``array``'s memory from its first element on, as one flat writable byte array reads them
    (NumPy's array interface; this object, that array's base, keeps ``array`` and so the memory alive)."""
    def __init__(self, array, nbytes: int):
        self.array = array
        self.__array_interface__ = {"shape": (nbytes,), "typestr": "|u1", "version": 3,
                                    "data": (array.__array_interface__["data"][0], False)}


def _storage(flat) -> Storage:
    return Storage(flat, CPU, flat.nbytes)


# A multi-tensor optimizer step runs its passes (one ufunc per op of the single-tensor step) chunk by
# chunk: a chunk's operands and temporaries stay in the core's L2 cache from one pass to the next, where
# a whole weight (an MLP's 1.6 MB, four arrays of it) went out to L3 and back each pass (SGD momentum:
# 0.70 -> 0.51 ms for 784-512-512-10). Elementwise, so the same numbers.
_CHUNK_BYTES = 1 << 18
# From this many elements a chunk's momentum (buf.mul_(momentum).add_(g)) is one BLAS axpby pass, below it
# NumPy's two ufuncs: a call costs about two ufuncs' overhead more (its checks, ctypes), a pass over the
# chunk less (measured: two ufuncs ahead to 16k float32 elements, axpby ahead from 32k, 0.93x at 64k)
_FUSED_MOMENTUM = 1 << 15


def _chunks(arrays: list):
    """The same flat slice of each of ``arrays`` (one shape; None stays None), chunk by chunk; the
    arrays whole where one is not row-major (a flat view of it would be a copy) or one chunk holds them."""
    first = arrays[0]
    step = _CHUNK_BYTES // first.itemsize
    if first.size <= step or not all(a is None or a.flags.c_contiguous and a.shape == first.shape
                                     for a in arrays):
        yield arrays
        return
    flat = [a.reshape(-1) if a is not None else None for a in arrays]
    for i in range(0, first.size, step):
        yield [a[i:i + step] if a is not None else None for a in flat]


class NumpyBackend(Backend):
    """Beyond the contract, NumPy's own ways in and out: ``from_array``, ``wrap`` and ``array``."""

    name = "numpy"

    # -- upload / download --------------------------------------------------------------------
    def from_array(self, arr, dtype):
        """A contiguous copy of ``arr`` (any array-like) as a storage of ``dtype``."""
        with _as_torch():  # nan/inf cast to an integer dtype
            if dtype in _NARROW:  # float64 rounds to float32 first, as torch makes Half, BFloat16, Float8
                return _storage(half_array(np, arr, dtype).reshape(-1))
            flat = np.array(arr, dtype=_np(dtype), copy=True, order="C").reshape(-1)
        return _storage(flat)

    def from_list(self, flat, dtype):
        with _as_torch():
            if dtype in _NARROW:
                return _storage(half_array(np, flat, dtype).reshape(-1))
            return _storage(np.array(flat, dtype=_np(dtype)).reshape(-1))

    def reinterpret(self, storage, dtype, as_dtype):
        """A storage over ``storage``'s memory (of ``dtype``) read as ``as_dtype`` (a complex array's float
        pairs, float32's bits as int32, ...); a tail too short for one wider element is left out. Both are
        exported: an in-place op may not swap either's memory for a result's."""
        storage.exported = True
        data, want = storage.data, _np(as_dtype)
        whole = data.nbytes // want.itemsize * want.itemsize
        flat = (data if whole == data.nbytes else data.view(np.uint8)[:whole]).view(want)
        return Storage(flat, CPU, flat.nbytes, exported=True)

    def wrap(self, arr):
        """Adopt ``arr``'s memory without copying (from_numpy): a storage over it from its first element to
        its last, which ``arr``'s strides (non-negative multiples of its item size) address from offset 0.
        The caller's array keeps seeing the memory, so the storage is exported. A read-only array's memory
        is adopted writable, as torch adopts it (after its warning): a write through the tensor changes it."""
        if arr.flags.c_contiguous and arr.flags.writeable:
            flat = arr.reshape(-1)
        else:
            size = arr.itemsize
            reach = extent(arr.shape, [st // size for st in arr.strides])
            flat = np.asarray(_Memory(arr, reach * size)).view(arr.dtype)
        return Storage(flat, CPU, flat.nbytes, exported=True)

    def array(self, x):
        """A NumPy view of layout ``x`` (no copy)."""
        data = x[0].data
        # the commonest case, by index (this runs for every operand): a whole storage, held flat. Not an
        # empty one, whose shape may be one NumPy can't hold, (2**61, 0)
        if x[6] and len(data):
            return data if len(x[1]) == 1 else data.reshape(x[1])
        _, shape, strides, offset, _, _, _ = x
        n = math.prod(shape)
        if n == 0:  # no element to view; the strides (torch allows any int64) address nothing
            return np.empty(_representable(shape, data.itemsize), data.dtype)
        size = data.itemsize
        if n * size >= 2 ** 63:  # a broadcast view (stride 0) may be this large; NumPy can't hold it
            raise RuntimeError(f"Storage size calculation overflowed with sizes={list(shape)}")
        # a dimension of size 1 never steps: its stride is kept (torch's numpy() shows it) unless it (any
        # int64 in torch) would overflow NumPy's bytes
        strides = [s * size if n > 1 or s < _NO_OVERFLOW else 0 for n, s in zip(shape, strides)]
        # NumPy's own constructor over the flat storage: as_strided makes the same view through Python
        # (an interface dict, a dummy object), ~15x the cost, for every transposed matmul operand
        return np.ndarray(shape, data.dtype, data, offset * size, strides)

    def to_list(self, x):
        if 0 in x.shape:  # built here: its shape may be one NumPy can't hold, (2**61, 0) or (0, 2**62)
            return nest([], x.shape)
        arr = self.array(x)
        return (float8_to_float32(np, arr) if _is_float8(arr.dtype) else arr).tolist()

    def to_bytes(self, x) -> bytes:
        return np.ascontiguousarray(self.array(x)).tobytes()

    def from_bytes(self, buf, dtype):
        return _storage(np.frombuffer(bytearray(buf), dtype=_np(dtype)))

    # -- compute ------------------------------------------------------------------------------
    def run(self, op, inputs, attrs, out_meta):
        for shape, _ in out_meta:
            if 0 not in shape:
                break
        else:  # no element to compute: nothing runs
            return [_storage(np.empty(0, _np(dtype))) for _, dtype in out_meta]
        # float16 and bfloat16 compute in float32 and are rounded once into the output, as torch's CPU
        # kernels do (NumPy's float16 cumsum and matmul would round every partial result); a takes_halves
        # rule rounds where torch's kernel does (ops/half_cpu.py)
        up = op.takes_halves is False
        arrays = [self.array(t) if t.dtype not in _NARROW else _widened(self.array(t), up) for t in inputs]
        token = _ERRSTATE.set(_IGNORE)  # what _as_torch does, inline: this runs for every op
        try:
            result = op.numpy(np, *arrays, **attrs)
            if type(result) is not tuple:
                result = (result,)
            return [self._stored(op, r, shape, _np(dtype), arrays, inputs)
                    for r, (shape, dtype) in zip(result, out_meta)]
        except MemoryError as e:
            raise _out_of_memory(e) from None
        finally:
            _ERRSTATE.reset(token)

    def _stored(self, op, r, shape, want, arrays, inputs) -> Storage:
        """NumPy's result ``r`` as the storage of an output of ``shape`` and NumPy dtype ``want`` (called
        under run's errstate)."""
        if type(r) is not np.ndarray or r.dtype is not want and r.dtype != want:
            # a float8 by torch's rounding (float8.py), not ml_dtypes' own
            r = half_array(np, r, _FLOAT8[want.name]) if _is_float8(want) else np.asarray(r, dtype=want)
        if r.shape != shape and r.shape != tuple(shape):
            self._wrong_shape(op, r, shape, arrays, inputs)
        r = r.ravel()  # a view where r is contiguous, else a row-major copy
        return Storage(r, CPU, r.nbytes)

    def plan_reduction(self, op, dtype, out_dtype, attrs, shape):
        if dtype in _NARROW:  # float16, bfloat16 and float8 compute in float32: run does it
            return super().plan_reduction(op, dtype, out_dtype, attrs, shape)
        want, array, stored = _np(out_dtype), self.array, self._stored
        call = functools.partial(op.numpy, np, **attrs)
        shape = tuple(shape)

        def planned(x):
            data = x[0].data  # array(x)'s commonest case inline: a whole storage (not an empty one)
            arr = (data if len(x[1]) == 1 else data.reshape(x[1])) if x[6] and len(data) else array(x)
            try:  # as the elementwise plan: a quiet Context of this thread's alone while it runs
                quiet = _QUIET.pop()
            except IndexError:
                quiet = _quiet_context()
            try:
                r = quiet.run(call, arr)
            except MemoryError as e:
                raise _out_of_memory(e) from None
            _QUIET.append(quiet)
            if type(r) is tuple:  # a rule may give its one output as a 1-tuple, as run allows
                (r,) = r
            if type(r) is not np.ndarray:  # a whole reduction's NumPy scalar: its 0-d array, no cast
                r = np.asarray(r)
            # the commonest result, of the output's dtype and shape: stored row-major (a view where
            # contiguous), as _stored does, without a second errstate and frame
            if r.dtype is want and r.shape == shape:
                r = r.ravel()
                st = _new(Storage)  # Storage(r, CPU, r.nbytes) without the frame of its __init__
                st.data, st.device, st.nbytes, st.version, st.sharers, st.exported = (
                    r, CPU, r.nbytes, 0, None, False)
                return st
            with _as_torch():  # a cast to the output dtype may meet a nan
                return stored(op, r, shape, want, (arr,), (x,))

        return planned

    def plan_product(self, op, dtype, attrs):
        """``run`` for a matrix product ``op`` (mm, bmm, addmm) of ``dtype`` operands giving one output of
        their dtype and a non-empty ``shape``, as a function of the operands' Layouts and that shape
        returning its storage (ops/dispatch.py's ``product``); None for float16 and bfloat16, which ``run``
        computes in float32."""
        if dtype in _NARROW:
            return None
        want, array, stored = _np(dtype), self.array, self._stored
        call = functools.partial(op.numpy, np, **attrs)

        def planned(layouts, shape):
            # array(x)'s commonest case inline, as plan_reduction's: a whole storage (not an empty one)
            arrays = []
            for x in layouts:
                data = x[0].data
                arrays.append(data.reshape(x[1]) if x[6] and len(data) else array(x))
            try:  # as the elementwise plan: a quiet Context of this thread's alone while it runs
                quiet = _QUIET.pop()
            except IndexError:
                quiet = _quiet_context()
            try:
                r = quiet.run(call, *arrays)
            except MemoryError as e:
                raise _out_of_memory(e) from None
            _QUIET.append(quiet)
            # the commonest result, NumPy's fresh row-major product of the output's dtype: stored as it is
            if type(r) is np.ndarray and r.dtype is want and r.shape == shape:
                r = r.ravel()
                st = _new(Storage)  # Storage(r, CPU, r.nbytes) without the frame of its __init__
                st.data, st.device, st.nbytes, st.version, st.sharers, st.exported = (
                    r, CPU, r.nbytes, 0, None, False)
                return st
            with _as_torch():
                return stored(op, r, shape, want, arrays, layouts)

        return planned

    def plan(self, op, dtype, out_dtypes, attrs=None):
        if dtype in _NARROW or len(out_dtypes) != 1:  # float16 and bfloat16 compute in float32: run does it
            return super().plan(op, dtype, out_dtypes, attrs)
        want, array, run = _np(out_dtypes[0]), self.array, self.run
        attrs = attrs or {}
        # the rule as a function of the arrays alone, bound once: the ufunc itself where the rule is one
        ufunc = getattr(op.numpy, "ufunc", None)
        if ufunc and dtype.kind == "c" and getattr(op.numpy, "complex", False):
            ufunc = None  # (a rule of its own for complex numbers: add's and sub's, torch's complex kernel)
        call = getattr(np, ufunc) if ufunc and not attrs else functools.partial(op.numpy, np, **attrs)
        meta, itemsize = out_dtypes[0], want.itemsize
        # a ufunc whose loop for ``dtype`` operands gives ``want`` makes, from flat operands, a fresh
        # contiguous array of it: the output as stored, taken without asking NumPy about it (each NumPy
        # attribute costs as much as a Python call)
        trusted = bool(ufunc) and not attrs and _gives(call, _np(dtype), want)

        def planned(inputs, shape, out=None):
            if out is not None and trusted and 0 not in shape:
                return into(inputs, shape, out)
            # whole storages (Layout.whole, by index) of the output's shape, or a number's 0-d one beside
            # them, are computed flat, as they are stored: a pointwise rule never sees the shape, so no
            # view is made of an input and NumPy's result is the storage as it comes
            two = len(inputs) == 2  # most ops
            if two:
                x, y = inputs
                a, b = x[0].data, y[0].data
                flat = x[6] and y[6]
                if flat and x[1] != y[1]:
                    # a 0-d operand (a number's) goes in 0-d: NumPy takes it as a number, where it would
                    # broadcast one element in one dimension at twice the cost
                    if not y[1]:
                        b = b.reshape(())
                    elif not x[1]:
                        a = a.reshape(())
                    else:
                        flat = False
            else:
                x = inputs[0]
                flat = len(inputs) == 1 and x[6]
                if flat:
                    a = x[0].data
            if not flat:
                if 0 in shape:  # nothing to compute, and no view to make of an input NumPy can't hold
                    return run(op, inputs, attrs, [(shape, meta)])
                arrays = [*map(array, inputs)]
            try:  # a Context that silences NumPy (see _QUIET), this thread's alone while it runs
                quiet = _QUIET.pop()
            except IndexError:
                quiet = _quiet_context()
            try:  # the operands spelled out: a call with *arrays costs a tenth of a 1,000-element add
                if flat:
                    r = quiet.run(call, a, b) if two else quiet.run(call, a)
                else:
                    r = quiet.run(call, *arrays)
            except MemoryError as e:
                raise _out_of_memory(e) from None
            _QUIET.append(quiet)
            if flat:
                # the commonest case, an array of the output's dtype that owns its memory (its base, where
                # NumPy keeps what a view reads): contiguous, so kept as it is. Flat, the rule's result has
                # the flat operands' one dimension (pointwise), so its length alone is asked. Each NumPy
                # attribute costs as much as a Python call: a trusted ufunc's result is not asked at all
                size = len(r)
                if trusted or type(r) is np.ndarray and r.dtype is want and r.base is None and size == (
                        len(a) if not two or x[1] else len(b)):
                    # Storage(r, CPU, nbytes) without the frame of its __init__: the same fields
                    st = _new(Storage)
                    st.data, st.device, st.nbytes, st.version, st.sharers, st.exported = (
                        r, CPU, size * itemsize, 0, None, False)
                    return [st]
                # the rare results: computed again on the shaped arrays, so that _stored's checks see
                # what they expect
                arrays, r = [*map(array, inputs)], None
            elif type(r) is np.ndarray and r.dtype is want and r.shape == shape:
                if r.base is not None or r.ndim != 1:
                    r = r.ravel()  # as _stored: a view where r is contiguous, a row-major copy where not
                return [Storage(r, CPU, r.nbytes)]
            with _as_torch():  # a cast to the output dtype may meet a nan
                if r is None:
                    r = call(*arrays)
                if type(r) is tuple:  # a rule may give its one output as a 1-tuple, as run allows
                    (r,) = r
                return [self._stored(op, r, shape, want, arrays, inputs)]

        def into(inputs, shape, out):
            """The ufunc's result written into ``out`` (NumPy's ``out=``, as torch's in-place kernels write
            self): no new memory, and the cache lines already hold what an in-place op reads. Whole
            storages of one shape (or a number's 0-d one beside them) go flat, as ``planned`` does."""
            x = inputs[0]
            data = out[0].data
            if out[6] and x[6] and x[1] == shape and (len(inputs) == 1 or inputs[1][6] and (
                    inputs[1][1] == shape or not inputs[1][1])):
                arrays = [t[0].data if t[1] else t[0].data.reshape(()) for t in inputs]
            else:
                arrays, data = [*map(array, inputs)], array(out)
            try:
                quiet = _QUIET.pop()
            except IndexError:
                quiet = _quiet_context()
            quiet.run(call, *arrays, out=data)
            _QUIET.append(quiet)
            return [out[0]]

        return planned

    @staticmethod
    def _wrong_shape(op, r, shape, arrays, inputs):
        if any(a.shape != t.shape for a, t in zip(arrays, inputs)):  # computed on a stand-in
            raise RuntimeError(f"{op.name}: a result of shape {list(shape)} from an empty input "
                               "this large can't be allocated")
        raise AssertionError(f"{op.name}: NumPy gave shape {r.shape}, rule says {shape}")

    def scaled_add_into(self, dst, other, alpha):
        if dst.dtype.name not in ("float32", "float64"):  # (16-bit floats: another rounding, in float32)
            return False
        a = self.array(dst)
        with _as_torch():
            scaled_add(np, a, self.array(other), alpha, out=a)
        return True

    def lerp_into(self, dst, end, weight):
        if dst.dtype.name not in ("float32", "float64"):  # (16-bit floats: in float32, then rounded)
            return False
        a = self.array(dst)
        with _as_torch():
            fused_lerp(np, a, self.array(end), a.dtype.type(weight), out=a)  # (torch's opmath weight)
        return True

    def foreach_sgd(self, params, grads, bufs, lr, momentum, dampening, weight_decay, nesterov, maximize):
        # in place, the single-tensor step's ops each with torch's rounding: every add with an alpha one
        # fused multiply-add (scaled_add: OpenBLAS's axpby on these row-major chunks), buf.mul_ one product
        # (where BLAS threads each call (MKL), an array goes whole: its chunks would each start and join
        # the pool, and the two cores' caches hold what one core's could not)
        pieces = (lambda arrays: (arrays,)) if host_blas.threaded() else _chunks
        with _as_torch():
            for layouts in zip(params, grads, bufs):
                for p, g, b in pieces([self.array(a) if a is not None else None for a in layouts]):
                    self._sgd_chunk(p, g, b, lr, momentum, dampening, weight_decay, nesterov, maximize)
        return True

    @staticmethod
    def _sgd_chunk(p, g, b, lr, momentum, dampening, weight_decay, nesterov, maximize):
        """foreach_sgd's step on one chunk (the arrays' same slice: it stays in the cache between the
        step's passes, each a pass over memory where the arrays are whole)."""
        own = False  # whether g is a temporary of this step (may be written)
        if maximize:
            g, own = np.negative(g, out=np.empty_like(g)), True  # (an array when 0-d too)
        if weight_decay != 0:
            g, own = scaled_add(np, g, p, weight_decay, out=g if own else None), True
        if b is not None:  # buf.mul_(momentum).add_(g, alpha=1 - dampening): in one pass where BLAS can
            if b.size < _FUSED_MOMENTUM or not host_blas.axpby(1 - dampening, g, momentum, b):
                b *= b.dtype.type(momentum)
                scaled_add(np, b, g, 1 - dampening, out=b)
            if nesterov:
                g = scaled_add(np, g, b, momentum, out=g if own else None)
            else:
                g = b
        scaled_add(np, p, g, -lr, out=p)

    def foreach_adam(self, tensors, hyper, amsgrad):
        # in place, one NumPy ufunc per op of optim.Adam's single-tensor step (lerp_, mul_, addcmul_,
        # sqrt, /, add, addcdiv_), each with that step's rounding; float16 rounds per op in float32 there
        dtype = tensors[0][0].dtype
        if dtype.name not in ("float32", "float64") or any(x.dtype is not dtype for t in tensors for x in t):
            return False
        s, h = _np(dtype).type, hyper  # the scalars as the tensor's dtype, as pyfront's 0-d operands are
        with _as_torch():
            for layouts in zip(*tensors):
                for g, p, m, v, *top in _chunks([self.array(a) for a in layouts]):
                    if h["maximize"]:
                        g = -g
                    if h["weight_decay"] != 0:
                        if h["decoupled"]:
                            p *= s(h["decay"])
                        else:  # torch's add(alpha=): one rounding
                            g = scaled_add(np, g, p, h["weight_decay"])
                    w = s(h["one_minus_beta1"])  # lerp_: m + w * (g - m), one fma for |w| < 0.5 (BLAS)
                    if not (abs(w) < 0.5 and host_blas.axpy(float(w), g - m, m)):
                        m[...] = fused_lerp(np, m, g, np.full((), w, m.dtype))
                    v *= s(h["beta2"])
                    v[...] = fused_multiply_add(np, g * s(h["one_minus_beta2"]), g, v)  # addcmul_: one fma
                    if amsgrad:
                        top = top[0]
                        np.maximum(top, v, out=top)
                    else:
                        top = v
                    # addcdiv_'s order, as torch's kernel: (value * exp_avg) / denom
                    p += m * s(-h["step_size"]) / (np.sqrt(top) / s(h["bias_correction2_sqrt"]) + s(h["eps"]))
        return True

    def write(self, dst, src):
        with _as_torch():  # NumPy copies where src and dst overlap
            self.array(dst)[...] = self.array(src)

    def full(self, shape, value, dtype):
        with _as_torch():
            if dtype in _NARROW:
                value = half_array(np, value, dtype)
            elif dtype.kind == "f" and type(value) is int:  # NumPy would round the int through a double
                value = round_float32(value) if dtype.itemsize == 4 else float(value)
            return _storage(np.full(math.prod(shape), value, dtype=_np(dtype)))

    def arange(self, start, step, n, dtype):
        with _as_torch():  # the result first, as random's
            out = np.empty(n, _np(dtype))
        if dtype.is_floating_point:
            out[...] = arange_values(np, start, step, n, dtype.name)
            return _storage(out)
        with _as_torch():
            # int64 steps wrapped to the width as torch's C cast (int8 from 0 by 500: 0, -12)
            steps = np.arange(n, dtype=np.int64)
            np.copyto(out, start + step * steps, casting="unsafe")
        return _storage(out)

    def random(self, kind, n, dtype, seed, offset, a, b):
        """``n`` values from the Philox stream of ``seed`` at word ``offset``.

        uniform: [a, b); normal: mean a, std b (Box-Muller, two words a value); randint: [a, b).
        """
        with _as_torch():  # the result first: what cannot be held fails as torch's allocator, at its size
            out = np.empty(n, _np(dtype))
        # a piece at a time: its words and temporaries stay in cache and are reused, where a large tensor's
        # are fresh memory each (page faults cost more than the arithmetic); each piece is the stream's own
        per = 2 if kind == "normal" else 1  # words a value
        step = _RANDOM_WORDS // per
        for start in range(0, n, step):
            piece = out[start:start + step]
            np.copyto(piece, _random_values(kind, len(piece), seed, offset + per * start, a, b), casting="unsafe")
        return _storage(out)


_RANDOM_WORDS = 65536  # Philox words a piece (measured best: a normal piece's 32768 float64 temporaries)


def _random_values(kind, n, seed, offset, a, b):
    """NumpyBackend.random's ``n`` (> 0) values as float64 (int64 for randint), from word ``offset`` on."""
    if kind == "normal":
        w = philox_words(2 * n, seed, offset).reshape(-1, 2)
        u1 = ((w[:, 0] >> 8).astype(np.float64) + 1.0) / 16777216.0  # (0, 1]
        u2 = (w[:, 1] >> 8).astype(np.float64) / 16777216.0
        return a + b * np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
    if kind == "uniform":
        u = (philox_words(n, seed, offset) >> 8).astype(np.float64) / 16777216.0
        return a + (b - a) * u
    return a + philox_words(n, seed, offset).astype(np.int64) % (b - a)


def _gives(ufunc, dtype, want) -> bool:
    """Whether NumPy's ``ufunc`` (one output) on operands of ``dtype`` gives ``want``."""
    try:
        return ufunc.nout == 1 and ufunc.resolve_dtypes((dtype,) * ufunc.nin + (None,))[-1] is want
    except (TypeError, ValueError, AttributeError):  # no loop for dtype: the checked path says why
        return False


def _representable(shape, itemsize: int) -> tuple:
    """``shape`` of a tensor with no element, or a stand-in NumPy can hold: NumPy refuses a shape whose
    non-zero dimensions multiply past 2**63 bytes even with a zero among them, which torch accepts
    (``(2**61, 0)``). Its largest dimensions become 1 until it fits; having no element, it holds the
    same values, and a reduction over those dimensions gives the same result."""
    shape = list(shape)
    while math.prod(n for n in shape if n) * itemsize >= 2 ** 63:
        shape[shape.index(max(shape))] = 1
    return tuple(shape)


_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = 0x9E3779B9, 0xBB67AE85
_LOW, _HIGH = np.uint64(0xFFFFFFFF), np.uint64(32)


def philox_words(n, seed, offset):
    """Philox4x32-10 (Salmon et al. 2011): counter = word index // 4, key = the 64-bit seed."""
    first = offset // 4
    blocks = (offset + n + 3) // 4 - first
    # the four counter words held in 64-bit lanes (the products need them), every round written in place:
    # new temporaries and 32-bit round trips each round cost twice the arithmetic
    c0 = np.arange(first, first + blocks, dtype=np.uint64)
    c1 = c0 >> _HIGH
    c0 &= _LOW
    c2, c3 = np.zeros(blocks, np.uint64), np.zeros(blocks, np.uint64)
    p0, p1 = np.empty_like(c0), np.empty_like(c0)
    k0, k1 = seed & 0xFFFFFFFF, (seed >> 32) & 0xFFFFFFFF
    for _ in range(10):
        np.multiply(c0, _M0, out=p0)
        np.multiply(c2, _M1, out=p1)
        # c0, c1, c2, c3 = hi(p1) ^ c1 ^ k0, lo(p1), hi(p0) ^ c3 ^ k1, lo(p0) (c2 is free once p1 is made)
        np.right_shift(p1, _HIGH, out=c2)
        np.bitwise_xor(c2, c1, out=c2)
        np.bitwise_xor(c2, np.uint64(k0), out=c0)
        np.bitwise_and(p1, _LOW, out=c1)
        np.right_shift(p0, _HIGH, out=c2)
        np.bitwise_xor(c2, c3, out=c2)
        np.bitwise_xor(c2, np.uint64(k1), out=c2)
        np.bitwise_and(p0, _LOW, out=c3)
        k0, k1 = (k0 + _W0) & 0xFFFFFFFF, (k1 + _W1) & 0xFFFFFFFF
    words = np.empty((blocks, 4), np.uint32)
    for j, c in enumerate((c0, c1, c2, c3)):
        words[:, j] = c
    start = offset - first * 4
    return words.reshape(-1)[start : start + n]

"""The backend contract: what every device's backend provides, and all the layers above may call.

A backend works on Storages (flat memory it allocates) and Layouts (how a tensor reads one); it
never sees a Tensor. Operations return new Storages; the tensor side wraps them.
"""
from __future__ import annotations

import math
from abc import ABC, abstractmethod

from .storage import Layout, Storage


class Backend(ABC):
    name: str

    # -- upload -------------------------------------------------------------------------------
    @abstractmethod
    def from_list(self, flat: list, dtype) -> Storage:
        """A storage holding the Python numbers ``flat`` as ``dtype``."""

    @abstractmethod
    def from_bytes(self, raw, dtype) -> Storage:
        """A storage holding ``raw``: ``dtype``'s values, little-endian, at its true width."""

    # -- download (the async twins await the device instead of blocking; a host backend's
    # values are ready, so by default they answer at once) -------------------------------------
    @abstractmethod
    def to_list(self, x: Layout):
        """The values ``x`` reads, as nested lists (a number for a 0-d layout)."""

    @abstractmethod
    def to_bytes(self, x: Layout) -> bytes:
        """The values ``x`` reads, dense in row-major order, as ``from_bytes`` takes them."""

    async def to_list_async(self, x: Layout):
        return self.to_list(x)

    async def to_bytes_async(self, x: Layout) -> bytes:
        return self.to_bytes(x)

    # -- compute ------------------------------------------------------------------------------
    @abstractmethod
    def run(self, op, inputs: list, attrs: dict, out_meta) -> list:
        """Run registry op ``op`` on ``inputs`` (Layouts); ``out_meta`` is its (shape, dtype) per
        output. Returns one new contiguous Storage per output."""

    def plan(self, op, dtype, out_dtypes, attrs=None):
        """``run`` for an elementwise ``op`` with ``attrs`` (mostly none) on inputs of ``dtype``, as a
        function of (inputs, shape, out=None) returning the storages; a backend may settle here, once, what
        depends only on the dtypes (ops/dispatch.py keeps one plan per op, dtype, attributes and
        device type). ``out``: a Layout of the output's shape and dtype (an in-place op's own tensor) the
        backend may compute the result into, returning its storage then; a new one where it does not."""
        attrs = attrs or {}
        return lambda inputs, shape, out=None: self.run(op, inputs, attrs, [(shape, d) for d in out_dtypes])

    def plan_product(self, op, dtype, attrs):
        """``run`` for a matrix product ``op`` (mm, bmm, addmm) of ``dtype`` operands, as a function of their
        Layouts (a list) and the output's shape returning its storage (ops/dispatch.py's ``product``); None
        where the backend has no such plan (the product then takes ``run``, as every other op)."""
        return None

    def plan_reduction(self, op, dtype, out_dtype, attrs, shape):
        """``run`` for a reduction ``op`` with ``attrs`` on one input of ``dtype`` giving one output of
        ``shape`` (not empty) and ``out_dtype``, as a function of the input's Layout returning its
        storage (ops/dispatch.py's ``reduce`` keeps one per op, dtype, input shape and attributes)."""
        meta = [(shape, out_dtype)]
        return lambda x: self.run(op, [x], attrs, meta)[0]

    @abstractmethod
    def write(self, dst: Layout, src: Layout) -> None:
        """Copy ``src`` (``dst``'s dtype, a shape that broadcasts to ``dst``'s) into the memory of
        ``dst``, which may be any strided region; ``src`` may overlap it."""

    def reinterpret(self, storage: Storage, dtype, as_dtype) -> Storage:
        """A storage over the memory of ``storage`` (of ``dtype``) that reads its bytes as ``as_dtype``
        (``Tensor.view(dtype)``, ``view_as_real``); by default a backend has no such reading."""
        raise RuntimeError(f"the {self.name} backend cannot read a {dtype.name} tensor's memory as "
                           f"{as_dtype.name}")

    @abstractmethod
    def full(self, shape, value, dtype) -> Storage:
        """A contiguous storage of ``shape`` filled with ``value``."""

    @abstractmethod
    def arange(self, start, step, n: int, dtype) -> Storage:
        """``start + step * i`` for i in range(n)."""

    @abstractmethod
    def random(self, kind: str, n: int, dtype, seed: int, offset: int, a, b) -> Storage:
        """``n`` values of the Philox stream of ``seed`` from word ``offset``: "uniform" in [a, b),
        "normal" with mean a and std b, "randint" in [a, b); the same numbers on every backend."""

    def scaled_add_into(self, dst: Layout, other: Layout, alpha) -> bool:
        """``dst + alpha * other`` (``other`` of ``dst``'s dtype, a shape that broadcasts to ``dst``'s, its
        memory apart from ``dst``'s or exactly ``dst``'s) written into ``dst``'s memory, rounded once as
        torch's ``add_(other, alpha=)``; False where this backend has no such kernel (the caller computes
        the sum apart and writes it)."""
        return False

    def lerp_into(self, dst: Layout, end: Layout, weight) -> bool:
        """``dst.lerp_(end, weight)`` by a number (torch's two fused forms, the weight in ``dst``'s dtype)
        written into ``dst``'s memory (``end`` as in ``scaled_add_into``); False where this backend has no
        such kernel (the caller computes the lerp apart and writes it)."""
        return False

    # -- optional multi-tensor (foreach) kernels: False where a backend has none, and the caller
    # then runs the same update op by op -------------------------------------------------------
    def foreach_sgd(self, params: list, grads: list, bufs: list, lr, momentum, dampening, weight_decay,
                    nesterov: bool, maximize: bool) -> bool:
        """SGD's update of every ``params[i]`` (and momentum buffer ``bufs[i]``, a list of None when
        ``momentum`` is 0) in place from ``grads[i]``, all dense Layouts of one floating dtype, with
        the numbers of ``optim.SGD``'s op-by-op step (each scalar in that dtype, one rounding per op)."""
        return False

    def synchronize(self) -> None:  # noqa: B027 (a host backend has nothing to wait for)
        """Wait until all queued work is done (a host backend runs each op to the end)."""

    async def synchronize_async(self) -> None:
        self.synchronize()

    def foreach_adam(self, tensors: list, hyper: dict, amsgrad: bool) -> bool:
        """Adam's (and AdamW's) update in place over ``tensors`` = [grads, params, exp_avgs,
        exp_avg_sqs(, max_exp_avg_sqs)], lists of Layouts of one step count, with the numbers of
        ``optim.Adam``'s op-by-op step; ``hyper``: see webgpu/kernels/foreach.py. False where this
        backend has no such kernel for them (the caller runs the op-by-op step)."""
        return False


def nest(values: list, shape) -> list:
    """Flat row-major ``values`` as nested lists of ``shape`` (a number for 0-d), as ``tolist()``."""
    shape = tuple(shape)
    if 0 in shape:  # no values to cut: the dimensions before the first 0 nest empty lists
        outer = shape[:shape.index(0)]
        if math.prod(outer) >= 2 ** 32:
            raise RuntimeError(f"tolist(): a tensor of shape {list(shape)} needs more nested lists than "
                               "memory holds")
        return _empty(outer)
    for n in reversed(shape[1:]):
        values = [values[i:i + n] for i in range(0, len(values), n)]
    return values if shape else values[0]


def _empty(dims):
    return [_empty(dims[1:]) for _ in range(dims[0])] if dims else []

"""Bind the op functions to Tensor: methods, operators, and the in-place ``op_`` twins.

A function becomes a method when its module lists it in ``METHODS`` below; every in-place twin
is its out-of-place op followed by ``Tensor._assign`` (see tensor.py).
"""

from __future__ import annotations

from .. import dtypes as dt
from ..autograd.graph import SEQUENCE
from ..tensor import Tensor
from . import composite, conversion, creation, primitives, views
from .common import promote_args
from .primitives import elementwise as ew

# the modules whose METHODS become Tensor methods and whose INPLACE names get an ``op_`` twin
FAMILIES = (*primitives.FAMILIES, *composite.FAMILIES, views)


def bind_family(module, names: str):
    for name in names.split():
        setattr(Tensor, name, getattr(module, name))


def _inplace(fn):
    def method(self, *args, **kwargs):
        since = SEQUENCE[0]
        return self._assign(fn(self, *args, **kwargs), since)

    method.__name__ = fn.__name__ + "_"
    return method


def _reflected(fn):
    def method(self, other):
        return fn(promote_args((other, self))[0], self)

    return method


def _fill_(self, value):
    from .creation import full

    if isinstance(value, Tensor):
        if value.dim() != 0:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value.dim()} dimensions."
            )
        return self._assign(value.to(self.dtype).expand(self.shape))
    return self._assign(full(self.shape, value, dtype=self.dtype, device=self.device))


def _copy_(self, src, non_blocking=False):
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'other' (position 1) must be Tensor, not {type(src).__name__}")
    return self._assign(src.to(device=self.device).to(self.dtype))


def _random_(name):
    def method(self, a=None, b=None, *, generator=None):
        if name == "uniform_":
            a, b = 0.0 if a is None else a, 1.0 if b is None else b
            fresh = creation._random("uniform", self.shape, self.dtype, self.device, generator, a, b)
        else:
            a, b = 0.0 if a is None else a, 1.0 if b is None else b
            fresh = creation._random("normal", self.shape, self.dtype, self.device, generator, a, b)
        return self._assign(fresh)

    method.__name__ = name
    return method


def _new(fn):
    def method(self, *size, dtype=None, device=None, requires_grad=False, **_):
        return fn(
            *size,
            dtype=dtype or self.dtype,
            device=device if device is not None else self.device,
            requires_grad=requires_grad,
        )

    return method


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, **_):
    return creation.full(
        size,
        fill_value,
        dtype=dtype or self.dtype,
        device=device if device is not None else self.device,
        requires_grad=requires_grad,
    )


def _new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
    return creation.tensor(
        data,
        dtype=dtype or self.dtype,
        device=device if device is not None else self.device,
        requires_grad=requires_grad,
    )


def bind_all():
    for module in FAMILIES:
        bind_family(module, module.METHODS)
    for name, fn in conversion.METHODS.items():
        setattr(Tensor, name, fn)
    for module in FAMILIES:
        for name in module.INPLACE.split():
            setattr(Tensor, name + "_", _inplace(getattr(Tensor, name)))
    ops = {
        "add": ew.add,
        "sub": ew.sub,
        "mul": ew.mul,
        "truediv": ew.div,
        "floordiv": ew.floor_divide,
        "mod": ew.remainder,
        "pow": ew.pow,
        "and": ew.bitwise_and,
        "or": ew.bitwise_or,
        "xor": ew.bitwise_xor,
    }
    for name, fn in ops.items():
        setattr(Tensor, f"__{name}__", fn)
        setattr(Tensor, f"__r{name}__", _reflected(fn))
        setattr(Tensor, f"__i{name}__", _inplace(fn))
    # as torch: ``2 * t`` is ``t * 2`` and ``2 / t`` is ``t.reciprocal() * 2``, so the number stays the
    # scalar ``other`` of a mul (it keeps float32 precision with float16, see promote_args)
    Tensor.__rmul__ = lambda self, other: ew.mul(self, other)
    Tensor.__rtruediv__ = lambda self, other: ew.mul(ew.reciprocal(self), other)
    for name, fn in {"eq": ew.eq, "ne": ew.ne, "lt": ew.lt, "le": ew.le, "gt": ew.gt, "ge": ew.ge}.items():
        setattr(Tensor, f"__{name}__", fn)
    Tensor.__neg__ = ew.negative
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = ew.abs
    Tensor.__invert__ = ew.bitwise_not
    Tensor.__hash__ = lambda self: id(self)
    Tensor.fill_ = _fill_
    Tensor.zero_ = lambda self: _fill_(self, 0)
    Tensor.copy_ = _copy_
    Tensor.uniform_ = _random_("uniform_")
    Tensor.normal_ = _random_("normal_")
    Tensor.new_zeros = _new(creation.zeros)
    Tensor.new_ones = _new(creation.ones)
    Tensor.new_empty = _new(creation.empty)
    Tensor.new_full = _new_full
    Tensor.new_tensor = _new_tensor
    Tensor.T = property(lambda self: self.permute(tuple(range(self.dim() - 1, -1, -1))))
    Tensor.mT = property(lambda self: self.transpose(-2, -1))
    Tensor.H = property(lambda self: self.T)
    Tensor.mH = property(lambda self: self.mT)
    Tensor.is_nonzero = lambda self: bool(self)


__all__ = ["bind_all", "dt"]

"""The in-place samplers: ``t.uniform_()``, ``normal_``, ``random_``, ``bernoulli_``, ``exponential_``,
``geometric_``, ``log_normal_``, ``cauchy_``, with PyTorch's signatures and argument checks.

Every one draws from the Philox stream of its generator (creation._random): uniform, normal and
integer draws come from the backend; the others are the inverse CDF of a uniform draw.
"""
from __future__ import annotations

import functools
import math

from .. import _warnings
from .. import dtypes as dt
from ..autograd.function import zero_derivative
from ..autograd.grad_mode import _state as _grad
from ..tensor import Tensor
from . import creation
from .creation import _num
from .argcheck import _accepts, invalid_combination, must_be
from .primitives import elementwise as ew

_MANTISSA = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}  # integers exact up to 2**digits


def _autograd_first(fill):
    """A random fill that refuses a leaf (or a view of one) that requires grad before it reads its arguments,
    as torch's autograd layer does."""
    @functools.wraps(fill)
    def checked(self, *args, **kwargs):
        self._check_autograd_first()
        return fill(self, *args, **kwargs)
    return checked


def _filled(self, value, grad_fn, p=None):
    """``self`` holding the draws ``value``: where self (or a tensor ``p``) is in a graph, torch records the
    fill as a node whose gradient is zero (a leaf that requires grad is refused by ``_assign``)."""
    if _grad.enabled and (self.requires_grad or isinstance(p, Tensor) and p.requires_grad):
        value = zero_derivative(value, (self, p) if isinstance(p, Tensor) else self, grad_fn)
    return self._assign(value)


def _draw(self, kind, a, b, generator, dtype=None):
    return creation._random(kind, self.shape, dtype or self.dtype, self.device, generator, a, b)


def _unit(self, generator):
    """Uniform [0, 1) in self's dtype when floating (float32 otherwise)."""
    dtype = self.dtype if self.dtype.is_floating_point else dt.float32
    return _draw(self, "uniform", 0.0, 1.0, generator, dtype)


def _continuous(self, name):
    if not self.dtype.is_floating_point:
        spelled = dt.cpp_name(self.dtype) if name == "Cauchy" else dt.scalar_name(self.dtype)
        raise RuntimeError(f"{name} distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {spelled}")
    _float_kernel(self, f"{name.lower()}_cpu")  # (float8: its kernel has none)


def _float_kernel(self, kernel):
    creation._check_float(kernel, self.dtype)


def _parts(self):
    """A float tensor for a complex ``self``'s real and imaginary parts (torch's view_as_real of it) to be
    drawn into; refused first where self's elements overlap, as torch's fill of that view."""
    self._check_no_overlap()
    return self.new_empty((*self.shape, 2), dtype=self.dtype.to_real())


def _as_complex(parts):
    from .composite.complex_numbers import view_as_complex
    return view_as_complex(parts)


@_autograd_first
def uniform_(self, *args, generator=None, **kwargs):
    """Fill with U[from, to); ``uniform_(from=0, to=1)``."""
    lo, hi = _from_to(self, "uniform_", args, kwargs, 0.0, 1.0, generator)
    if self.dtype.is_complex:  # torch's: its real and imaginary parts, each U[from, to), bounds checked first
        _check_uniform_bounds(self.dtype.to_real(), lo, hi)
        parts = uniform_(_parts(self), lo, hi, generator=generator)
        return _filled(self, _as_complex(parts), "UniformBackward0")
    _float_kernel(self, "check_uniform_bounds")
    _check_uniform_bounds(self.dtype, lo, hi)
    return _filled(self, _draw(self, "uniform", float(lo), float(hi), generator), "UniformBackward0")


def _check_uniform_bounds(dtype, lo, hi):
    """torch's check_uniform_bounds: both bounds within the float ``dtype``'s range, from <= to."""
    limit = dt.finfo(dtype).max
    for name, v in (("from", lo), ("to", hi)):
        if not -limit <= v <= limit:
            raise RuntimeError(f"{name} is out of bounds for {dt.cpp_name(dtype)}")
    if lo > hi:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={_num(lo)} > "
                           f"to={_num(hi)}")


@_autograd_first
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill with N(mean, std**2)."""
    if not std >= 0:  # (nan too)
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_num(std)}")
    if self.dtype.is_complex:  # torch's: its real and imaginary parts, each of std / sqrt(2)
        parts = normal_(_parts(self), mean, std / math.sqrt(2), generator=generator)
        return _filled(self, _as_complex(parts), "NormalBackward0")
    _float_kernel(self, "normal_kernel_cpu")
    return _filled(self, _draw(self, "normal", float(mean), float(std), generator), "NormalBackward0")


@_autograd_first
def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
    """Fill with exp(N(mean, std**2))."""
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={_num(std)}")
    self._check_no_overlap()  # (before its kernel's dtype, as torch's: not normal_'s or uniform_'s)
    _float_kernel(self, "log_normal_cpu")
    draws = ew.exp(_draw(self, "normal", float(mean), float(std), generator))
    return _filled(self, draws, "LogNormalBackward0")


@_autograd_first
def exponential_(self, lambd=1.0, *, generator=None):
    """Fill with Exp(lambd): -log(1 - U) / lambd."""
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_num(lambd)}")
    self._check_no_overlap()  # (before its dtype, as torch's: not cauchy_'s)
    _continuous(self, "Exponential")
    return _filled(self, -ew.log1p(-_unit(self, generator)) / lambd, "ExponentialBackward0")


@_autograd_first
def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
    """Fill with Cauchy(median, sigma): median + sigma * tan(pi * (U - 1/2))."""
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={_num(sigma)}")
    _continuous(self, "Cauchy")
    return _filled(self, median + sigma * ew.tan(math.pi * (_unit(self, generator) - 0.5)), "CauchyBackward0")


@_autograd_first
def geometric_(self, p=None, *, generator=None):
    """Fill with the number of Bernoulli(p) trials up to the first success (1, 2, ...)."""
    if p is None:
        raise TypeError('geometric_() missing 1 required positional arguments: "p"')
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={_num(p)}")
    self._check_no_overlap()  # (before its kernel's dtype, as torch's)
    creation.check_kernel_dtype("geometric_cpu", self.dtype)
    u = 1.0 - _unit(self, generator)  # (0, 1]
    return _filled(self, (ew.floor(ew.log(u) / math.log1p(-p)) + 1).to(self.dtype), "GeometricBackward0")


@_autograd_first
def bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 1 where a uniform draw falls below ``p`` (a number or a tensor broadcast to self)."""
    if isinstance(p, Tensor):
        self._check_no_overlap()  # (before its kernel's dtype and p's range, as torch's)
        creation.check_kernel_dtype("bernoulli_tensor_cpu_self_", self.dtype)
        if not p.dtype.is_floating_point:
            kind = dt.scalar_name(p.dtype)
            raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for '{kind}'")
        p = p.to(self.device).expand(self.shape)
        if p.numel() and not p.is_meta and not bool(((p >= 0) & (p <= 1)).all()):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this "
                               "error message be improved?  If so, please report an enhancement request to "
                               "PyTorch.)")
    elif not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_num(p)}")
    else:
        self._check_no_overlap()
        creation.check_kernel_dtype("bernoulli_scalar_cpu_", self.dtype)
    # torch's node: BernoulliBackward1 for a tensor p (an input of the node), 2 for a number
    name = "BernoulliBackward1" if isinstance(p, Tensor) else "BernoulliBackward2"
    return _filled(self, (_unit(self, generator) < p).to(self.dtype), name, p)


@_autograd_first
def random_(self, *args, generator=None, **kwargs):
    """Fill with integers from [from, to - 1]: ``random_()`` (the dtype's whole exact range),
    ``random_(to)``, ``random_(from, to)`` (``to=None``: up to the dtype's maximum)."""
    lo, hi = _from_to(self, "random_", args, kwargs, 0, None, generator, ints=True)
    self._check_no_overlap()  # (before the bounds' and the kernel's checks, as torch's)
    if hi is not None and lo >= hi:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={lo} >= to={hi}")
    if not (args or kwargs):  # torch's kernel of the dtype's whole range
        creation.check_kernel_dtype("random_kernel_cpu", self.dtype)
    elif self.dtype.is_complex:
        raise RuntimeError("check_random_bounds handles only integral, floating-point and boolean types")
    else:
        creation.check_kernel_dtype("random_update_from_to", self.dtype)
    name = self.dtype.name
    if self.dtype.is_floating_point:
        top = 1 << _MANTISSA[name]
        last = top if hi is None else hi - 1
        for what, v in (("from", lo), ("to - 1", last)):
            if abs(v) > top:
                digits = _MANTISSA[name]
                _warnings.warn(f"{what} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                               f"limitations {dt.cpp_name(self.dtype)} can support discrete uniform "
                               f"distribution only within this range. This warning will become an error in "
                               f"version 1.7 release, please fix the code in advance")
    else:
        info = dt.iinfo(self.dtype)
        last = info.max if hi is None else hi - 1
        for what, v in (("from", lo), ("to - 1", last)):
            if not info.min <= v <= info.max:
                raise RuntimeError(f"{what} is out of bounds for {dt.cpp_name(self.dtype)}")
    form = 0 if len(args) == 2 or "from" in kwargs else 1 if args or kwargs else 2  # torch's overloads
    return _filled(self, _integers(self, lo, last - lo + 1, generator), f"RandomBackward{form}")


def _integers(self, lo, span, generator):
    """``lo + k`` for k uniform in [0, span): one Philox word each while span fits 32 bits, else two."""
    if span <= 1 << 32:
        return _draw(self, "randint", lo, lo + span, generator, dt.int64).to(self.dtype)
    words = [_draw(self, "randint", 0, 1 << 32, generator, dt.int64) for _ in range(2)]
    k = words[0] * (1 << 32) + words[1]  # 64 random bits (wrapping int64)
    k = ew.bitwise_and(k, (1 << 63) - 1) if span >= 1 << 63 else ew.remainder(k, span)
    return (k + lo).to(self.dtype)


def _from_to(self, name, args, kwargs, lo, hi, generator, ints=False):
    """(from, to) of ``name(from, to)`` or ``name(from=, to=)``, checked as PyTorch's parser does."""
    given = dict(kwargs)
    if len(args) > 2:
        raise TypeError(f"{name}() takes 2 positional arguments but {len(args)} were given")
    for k in kwargs:
        if k not in ("from", "to"):
            raise TypeError(f"{name}() got an unexpected keyword argument '{k}'")
    values = dict(zip(("to",) if ints and len(args) == 1 and not kwargs else ("from", "to"), args))
    for k in kwargs:
        if k in values:
            raise TypeError(f"{name}() got multiple values for argument '{k}'")
    values.update(kwargs)
    for key, v in values.items():
        if v is None and ints and key == "to":  # (random_'s ``int? to``)
            continue
        if not _accepts("int" if ints else "float", v):
            if ints:  # random_'s three overloads
                raise invalid_combination(name, args, given, method=True)
            position = None if key in kwargs else next((i + 1 for i, a in enumerate(args) if a is v), None)
            raise must_be(name, key, "float", v, position)
        values[key] = _number(v, ints)
    return values.get("from", lo), values.get("to", hi)


def _number(v, ints: bool):
    """A number argument as torch's parser reads it: a 0-d tensor (Graham's RandomResizedCrop passes
    ``log_ratio[0]``) as its value."""
    if not isinstance(v, Tensor):
        return v
    if v.dtype.is_complex:
        raise RuntimeError("value cannot be converted to type double without overflow")
    return int(v.item()) if ints else float(v.item())


METHODS = {f.__name__: f for f in (uniform_, normal_, log_normal_, exponential_, cauchy_, geometric_,
                                   bernoulli_, random_)}

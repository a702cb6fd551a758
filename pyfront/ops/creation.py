"""Creation ops: from Python data or NumPy, constant fills, ranges and random tensors."""

from __future__ import annotations

import math

from .. import dtypes as dt
from ..backends import get_backend
from ..device import as_device, factory_device
from ..random import default_generator
from ..shape import infer_size
from ..tensor import Tensor, _kind_name
from .common import check_fits


def _size(size, name="zeros"):
    if not size:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if (
        len(size) == 1
        and isinstance(size[0], (tuple, list))
        or (len(size) == 1 and hasattr(size[0], "_fields"))
    ):
        size = size[0]
    out = []
    for n in size:
        if isinstance(n, Tensor):
            n = n.item()
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"expected a sequence of integers or a single integer, got '{n}'")
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(size)}")
        out.append(n)
    return tuple(out)


_INT_GRAD = "Only Tensors of floating point and complex dtype can require gradients"


def _finish(storage, shape, dtype, requires_grad):
    t = Tensor._make(storage, shape, dtype)
    if requires_grad:
        t._set_requires_grad(True, _INT_GRAD)
    return t


def _is_array(data) -> bool:
    return hasattr(data, "__array_interface__") and hasattr(data, "dtype") and not isinstance(data, Tensor)


def _flatten(data):
    """Nested sequences -> (flat list, shape, inferred dtype); PyTorch's ragged-list errors."""
    if isinstance(data, Tensor):
        return data.reshape(-1).tolist(), tuple(data.shape), data.dtype
    if isinstance(data, (list, tuple)):
        if not data:
            return [], (0,), None
        parts = [_flatten(x) for x in data]
        shape0 = parts[0][1]
        for p in parts:
            if p[1] != shape0:
                dim = 1 + next((j for j in range(min(len(p[1]), len(shape0))) if p[1][j] != shape0[j]), 0)
                want = shape0[dim - 1] if dim - 1 < len(shape0) else 0
                got = p[1][dim - 1] if dim - 1 < len(p[1]) else 0
                raise ValueError(f"expected sequence of length {want} at dim {dim} (got {got})")
        flat = [v for p in parts for v in p[0]]
        kinds = [p[2] for p in parts if p[2] is not None]
        d = None
        for k in kinds:
            d = k if d is None else dt.promote_types(d, k)
        return flat, (len(data),) + shape0, d
    if _is_array(data):
        return _flatten(data.tolist())
    if hasattr(data, "item") and not isinstance(data, (int, float, bool)):
        data = data.item()  # NumPy scalars
    if isinstance(data, bool):
        return [data], (), dt.bool_
    if isinstance(data, int):
        return [data], (), dt.int64
    if isinstance(data, float):
        return [data], (), dt.get_default_dtype()
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor copied from ``data`` (nested lists, numbers, NumPy arrays, tensors)."""
    device = factory_device(device)
    if isinstance(data, Tensor):
        out = data.detach().clone()
        out = out.to(device=device, dtype=dtype or out.dtype)
        return out._set_requires_grad(True, _INT_GRAD) if requires_grad else out
    if _is_array(data):
        src_dtype = dt.from_numpy_name(data.dtype.name)
        dtype = dtype or src_dtype
        storage = get_backend(as_device("cpu")).from_array(data, dtype)
        out = Tensor._make(storage, tuple(data.shape), dtype).to(device)
        return out._set_requires_grad(True, _INT_GRAD) if requires_grad else out
    flat, shape, inferred = _flatten(data)
    dtype = dtype or inferred or dt.get_default_dtype()
    if dtype.kind == "i":
        info = _INT_RANGE[dtype.name]
        for v in flat:  # before truncating: int8's 127.5 overflows, as in torch
            if not info[0] <= v <= info[1]:
                raise RuntimeError(f"value cannot be converted to type {dtype.name} without overflow")
    if dtype.kind == "i" and any(isinstance(v, float) for v in flat):
        flat = [int(v) for v in flat]
    storage = get_backend(device).from_list(flat, dtype)
    return _finish(storage, shape, dtype, requires_grad)


_INT_RANGE = {
    "uint8": (0, 255),
    "int8": (-128, 127),
    "int16": (-(1 << 15), (1 << 15) - 1),
    "int32": (-(1 << 31), (1 << 31) - 1),
    "int64": (-(1 << 63), (1 << 63) - 1),
}


def as_tensor(data, dtype=None, device=None):
    """``data`` itself when it already is a tensor of that dtype and device, else a tensor of it."""
    if isinstance(data, Tensor):
        return data.to(device=device if device is not None else data.device, dtype=dtype or data.dtype)
    if (
        _is_array(data)
        and factory_device(device).type == "cpu"
        and (dtype is None or dtype.np_name == data.dtype.name)
    ):
        return from_numpy(data)
    return tensor(data, dtype=dtype, device=device)


def from_numpy(ndarray):
    """A tensor sharing memory with a C-contiguous ``ndarray`` (other layouts are copied)."""
    if not _is_array(ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    dtype = dt.from_numpy_name(ndarray.dtype.name)
    backend = get_backend(as_device("cpu"))
    if ndarray.flags["C_CONTIGUOUS"] and ndarray.flags["WRITEABLE"]:
        storage, dtype = backend.wrap(ndarray)
    else:
        storage = backend.from_array(ndarray, dtype)
    return Tensor._make(storage, tuple(ndarray.shape), dtype)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, **_):
    size = _size((size,) if isinstance(size, int) else (tuple(size),))
    if dtype is None:
        dtype = fill_value.dtype if isinstance(fill_value, Tensor) else dt.scalar_dtype(fill_value)
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    elif not (dtype is dt.float16 and math.prod(size) == 1):  # torch's one-element fill skips the check
        check_fits(fill_value, dtype)
    storage = get_backend(factory_device(device)).full(size, fill_value, dtype)
    return _finish(storage, size, dtype, requires_grad)


def zeros(*size, dtype=None, device=None, requires_grad=False, **_):
    return full(
        _size(size, "zeros"),
        0,
        dtype=dtype or dt.get_default_dtype(),
        device=device,
        requires_grad=requires_grad,
    )


def ones(*size, dtype=None, device=None, requires_grad=False, **_):
    return full(
        _size(size, "ones"),
        1,
        dtype=dtype or dt.get_default_dtype(),
        device=device,
        requires_grad=requires_grad,
    )


def empty(*size, dtype=None, device=None, requires_grad=False, **_):
    return zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def _like(fn):
    def like(input, *args, dtype=None, device=None, requires_grad=False, **kw):
        return fn(
            input.shape,
            *args,
            dtype=dtype or input.dtype,
            device=device if device is not None else input.device,
            requires_grad=requires_grad,
        )

    like.__name__ = fn.__name__ + "_like"
    return like


zeros_like, ones_like, empty_like = _like(zeros), _like(ones), _like(empty)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False, **_):
    return full(
        input.shape,
        fill_value,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
        requires_grad=requires_grad,
    )


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    start, end, step = vals
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        dtype = dt.get_default_dtype() if any(isinstance(v, float) for v in vals) else dt.int64
    _no_bool("arange", dtype)
    n = max(math.ceil((end - start) / step), 0)
    storage = get_backend(factory_device(device)).arange(start, step, n, dtype)
    return _finish(storage, (n,), dtype, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False):
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtype or dt.get_default_dtype()
    _no_bool("linspace", dtype)
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    check_fits(start, dtype)
    check_fits(end, dtype)
    step = (end - start) / (steps - 1) if steps > 1 else 0.0
    # PyTorch fills the second half from the end so that the last value is exactly ``end``
    half = steps // 2 if steps > 1 else steps
    vals = [start + step * i if i < half else end - step * (steps - 1 - i) for i in range(steps)]
    if dtype.kind == "i":
        vals = [int(v) for v in vals]
    return tensor(vals, dtype=dtype, device=device, requires_grad=requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False):
    _no_bool("logspace", dtype or dt.get_default_dtype())
    exps = linspace(start, end, steps, dtype=dt.float64)
    return tensor(
        [base**e for e in exps.tolist()],
        dtype=dtype or dt.get_default_dtype(),
        device=device,
        requires_grad=requires_grad,
    )


def _no_bool(name, dtype):
    if dtype is dt.bool_:  # PyTorch's CPU kernels for ranges have no bool version
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for 'Bool'")


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False):
    m = n if m is None else m
    if n < 0 or m < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n if n < 0 else m}")
    out = zeros(n, m, dtype=dtype, device=device)
    if n and m:
        out.diagonal().fill_(1)
    return out.requires_grad_(True) if requires_grad else out


# -- random ---------------------------------------------------------------------------------
def _random(kind, size, dtype, device, generator, a, b, requires_grad=False):
    gen = generator or default_generator
    n = math.prod(size)
    seed, offset = gen._take(2 * n if kind == "normal" else n)
    storage = get_backend(factory_device(device)).random(kind, n, dtype, seed, offset, a, b)
    return _finish(storage, size, dtype, requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, **_):
    dtype = dtype or dt.get_default_dtype()
    _check_float("rand", dtype)
    return _random("uniform", _size(size, "rand"), dtype, device, generator, 0.0, 1.0, requires_grad)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, **_):
    dtype = dtype or dt.get_default_dtype()
    _check_float("randn", dtype)
    return _random("normal", _size(size, "randn"), dtype, device, generator, 0.0, 1.0, requires_grad)


def _check_float(name, dtype):
    if not dtype.is_floating_point:
        raise RuntimeError(f"\"{name}\" not implemented for '{_dt_name(dtype)}'")


def _dt_name(dtype):
    return {
        "int64": "Long",
        "int32": "Int",
        "int16": "Short",
        "int8": "Char",
        "uint8": "Byte",
        "bool": "Bool",
    }.get(dtype.name, dtype.name)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    if size is None and high is not None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if high is None:
        low, high = 0, low
    if size is None:
        raise TypeError('randint() missing 1 required positional arguments: "size"')
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    return _random(
        "randint", _size((tuple(size),)), dtype or dt.int64, device, generator, int(low), int(high)
    )


def randint_like(input, low=0, high=None, *, dtype=None, device=None):
    if high is None:
        low, high = 0, low
    return randint(
        low,
        high,
        input.shape,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
    )


def rand_like(input, *, dtype=None, device=None, requires_grad=False, **_):
    return rand(
        input.shape,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
        requires_grad=requires_grad,
    )


def randn_like(input, *, dtype=None, device=None, requires_grad=False, **_):
    return randn(
        input.shape,
        dtype=dtype or input.dtype,
        device=device if device is not None else input.device,
        requires_grad=requires_grad,
    )


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    keys = _random("randint", (n,), dt.int64, "cpu", generator, 0, 1 << 31).tolist()
    order = sorted(range(n), key=lambda i: (keys[i], i))
    return tensor(order, dtype=dtype or dt.int64, device=device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Samples of N(mean, std); mean/std may be tensors (broadcast) or numbers with ``size``."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        like = mean if isinstance(mean, Tensor) else std
        from ..shape import broadcast_shapes

        shape = broadcast_shapes(*(t.shape for t in (mean, std) if isinstance(t, Tensor)))
        z = randn(shape, generator=generator, dtype=like.dtype, device=like.device)
        return (z * std + mean).detach()
    if size is None:
        raise TypeError('normal() missing 1 required positional arguments: "size"')
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    dtype = dtype or dt.get_default_dtype()
    return _random(
        "normal", _size((tuple(size),)), dtype, device, generator, float(mean), float(std), requires_grad
    )


def bernoulli(input, p=None, *, generator=None):
    """0/1 draws with probabilities ``input`` (or the number ``p``), in input's dtype."""
    from .sampling import bernoulli_

    return bernoulli_(empty_like(input), input if p is None else p, generator=generator)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    """Draw category indices with probabilities proportional to the rows of ``input``."""
    if input.dim() not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_kind_name(input.dtype)}")
    if not isinstance(num_samples, int) or isinstance(num_samples, bool):
        raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, not "
                        f"{type(num_samples).__name__}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = input.shape[-1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
    if n_cat > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    rows = input.reshape(-1, n_cat).tolist()
    for row in rows:
        if not all(math.isfinite(v) and v >= 0 for v in row):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if math.fsum(row) <= 0:
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    out = []
    for row in rows:
        w = list(row)
        picks = []
        for _ in range(num_samples):
            total = math.fsum(w)
            if total <= 0:  # without replacement, past the positive categories: torch takes the zero ones
                k = next(i for i in range(n_cat) if i not in picks)
            else:
                u = rand((), generator=generator, dtype=dt.float64).item() * total
                acc, k = 0.0, max(i for i, v in enumerate(w) if v > 0)
                for i, v in enumerate(w):
                    acc += v
                    if u < acc:
                        k = i
                        break
            picks.append(k)
            if not replacement:
                w[k] = 0.0
        out.append(picks)
    res = tensor(out, dtype=dt.int64, device=input.device).reshape(len(rows), num_samples)
    return res if input.dim() > 1 else res.reshape(num_samples)


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False):
    return full((), s, dtype=dtype or dt.get_default_dtype(), device=device, requires_grad=requires_grad)


__all__ = ["infer_size"]

"""``torch._foreach_*``: one op over lists of tensors, as torch's multi-tensor functions.

They are private in torch but user code calls them (an EMA of the weights with ``_foreach_lerp_``,
``_foreach_mul_`` for weight decay, ``_foreach_norm`` for gradient norms). Here each one runs the
tensor op it is named for on every index: list arguments are taken index by index (tensor lists and
scalar lists, a 1-D tensor of scalars too), anything else is shared. The out-of-place forms return a
tuple (autograd flows through the per-tensor ops); the in-place forms change the tensors of ``self``.
Arguments bind as torch's parser binds them, by its overloads' names (``_foreach_mul_(ps, scalar=d)``,
``_foreach_lerp_(ps, tensors1=qs, weight=w)``, as timm's EMA calls them), and a call that fits none of
them gets its TypeError. Refuses, with torch's RuntimeError texts, an empty list and lists of different
lengths.
"""
from __future__ import annotations

import functools
from numbers import Number

from .tensor import Tensor

_UNARY = ("abs acos asin atan ceil cos cosh erf erfc exp expm1 floor frac lgamma log log10 log1p log2 neg "
          "reciprocal round rsqrt sigmoid sign sin sinh sqrt tan tanh trunc").split()
_BINARY = "add sub mul div pow clamp_max clamp_min maximum minimum lerp addcmul addcdiv".split()
# ops whose tensor method has no in-place form: the result is copied back
_NO_INPLACE_METHOD = {"maximum", "minimum"}


def _check(self, lists, scalars) -> int:
    if not self:
        raise RuntimeError("Tensor list must have at least one tensor.")
    for other in lists:
        if len(other) != len(self):
            raise RuntimeError(f"Tensor lists must have the same number of tensors, got {len(self)} and "
                               f"{len(other)}")
    for other in scalars:
        if len(other) != len(self):
            raise RuntimeError("Tensor list must have same number of elements as scalar list.")
    return len(self)


def _per_index(self, args, kwargs):
    """The arguments for each index: lists split, a 1-D tensor of scalars too, others shared."""
    def split(a, scalar_tensor_ok):
        if isinstance(a, (list, tuple)):
            return list(a)
        if scalar_tensor_ok and isinstance(a, Tensor) and a.dim() == 1:
            return a.tolist()
        return None

    args = list(args)
    # addcmul/addcdiv take their per-tensor values as a list or a 1-D tensor in the last place
    split_args = [split(a, i == 2) for i, a in enumerate(args)]
    split_kw = {k: split(v, False) for k, v in kwargs.items()}  # (keyword-only: alpha)
    lists = [s for a, s in zip(args + list(kwargs.values()), split_args + list(split_kw.values()))
             if s is not None and (not s or isinstance(s[0], Tensor))]
    scalars = [s for s in split_args + list(split_kw.values()) if s is not None and s and
               not isinstance(s[0], Tensor)]
    return [([a if s is None else s[i] for a, s in zip(args, split_args)],
             {k: v if split_kw[k] is None else split_kw[k][i] for k, v in kwargs.items()})
            for i in range(_check(self, lists, scalars))]


def _fits(ptype: str, value) -> bool:
    """Whether torch's parser takes ``value`` for a parameter of the printed type ``ptype``."""
    if ptype.startswith("tuple of "):
        kind = Tensor if ptype == "tuple of Tensors" else Number
        return isinstance(value, (list, tuple)) and all(isinstance(v, kind) for v in value)
    if ptype == "Tensor":
        return isinstance(value, Tensor)
    # a Number: a Python number, or a 0-d tensor that does not require grad
    return isinstance(value, Number) or (isinstance(value, Tensor) and value.dim() == 0
                                         and not value.requires_grad)


def _parameters(option: str):
    """(type, name, has a default, keyword only) of each parameter of one printed overload."""
    keyword_only = False
    for part in option[1:-1].split(", "):
        if part == "*":
            keyword_only = True
            continue
        declared, default, _ = part.partition(" = ")
        ptype, _, pname = declared.rpartition(" ")
        yield ptype, pname, bool(default), keyword_only


@functools.cache
def _signatures(name: str):
    """Each overload of ``torch._foreach_<name>`` as (its parameters, the positional ones, all their names),
    parsed once (a bind per call would re-read torch's printed overloads); None for an op with one signature."""
    from .ops.overloads import OVERLOADS
    options = OVERLOADS.get(f"_foreach_{name}")
    if options is None:
        return None
    signatures = []
    for option in options:
        params = tuple(_parameters(option))
        signatures.append((params, tuple(p for p in params if not p[3]), frozenset(p[1] for p in params)))
    return tuple(signatures)


def _by_name(signature, args, kwargs):
    """{name: value} of ``args``/``kwargs`` bound to one of ``_signatures`` by position and name,
    regardless of type; None where their count or names do not fit."""
    params, positional, names = signature
    if len(args) > len(positional) or kwargs and (any(p[1] in kwargs for p in positional[:len(args)])
                                                  or any(k not in names for k in kwargs)):
        return None
    bound = {**dict(zip((p[1] for p in positional), args)), **kwargs}
    return None if any(p[1] not in bound and not p[2] for p in params) else bound


def _as_torch_binds(name: str, args, kwargs):
    """(positional, keyword) arguments of ``torch._foreach_<name>``, ``self`` first, as the first of its
    overloads that they fit binds them; torch's TypeError where they fit none (naming the argument where
    their count and names fit one alone). Ops with one signature take them as given."""
    signatures = _signatures(name)
    if signatures is None:
        return args, kwargs
    plausible = []  # (torch's: the overloads that take this many arguments)
    for signature in signatures:
        params = signature[0]
        bound = _by_name(signature, args, kwargs)
        # (the last parameters first: the overloads differ there, and all share ``self``'s long list)
        if bound is not None and all(_fits(p[0], bound[p[1]]) for p in reversed(params) if p[1] in bound):
            return ([bound[p[1]] for p in params if not p[3] and p[1] in bound],
                    {p[1]: bound[p[1]] for p in params if p[3] and p[1] in bound})
        if sum(not p[2] for p in params) <= len(args) + len(kwargs) <= len(params):
            plausible.append((params, bound))
    from .ops.argcheck import invalid_combination, must_be
    if len(plausible) == 1 and plausible[0][1] is not None:  # its words name the argument of a wrong type
        params, bound = plausible[0]
        i, p = next((i, p) for i, p in enumerate(params) if p[1] in bound and not _fits(p[0], bound[p[1]]))
        raise must_be(f"_foreach_{name}", p[1], p[0], bound[p[1]], i + 1 if i < len(args) else None)
    raise invalid_combination(f"_foreach_{name}", args, kwargs)


# torch's kernels for a number: maximum's and minimum's are clamp_min's and clamp_max's
_WITH_A_NUMBER = {"maximum": "clamp_min", "minimum": "clamp_max"}


def _call(t, name, args, kwargs):
    # addcmul/addcdiv: the foreach form takes the value (or per-tensor scalars) positionally, the
    # tensor method only as the keyword ``value``
    if name.rstrip("_") in ("addcmul", "addcdiv"):
        args, kwargs = list(args), dict(kwargs)
        if len(args) == 3:
            kwargs["value"] = args.pop()
    return getattr(t, name)(*args, **kwargs)


def _out_of_place(name):
    def run(*args, **kwargs):
        (self, *args), kwargs = _as_torch_binds(name, args, kwargs)
        if name == "pow" and not isinstance(self, (list, tuple)):  # _foreach_pow(scalar, tensors)
            base, exps = self, args[0]
            _check(exps, [], [])
            return tuple(base ** t for t in exps)
        return tuple(_call(t, _WITH_A_NUMBER[name] if name in _WITH_A_NUMBER and not isinstance(a[0], Tensor)
                           else name, a, k) for t, (a, k) in zip(self, _per_index(self, args, kwargs)))
    run.__name__ = f"_foreach_{name}"
    return run


def _in_place(name):
    def run(*args, **kwargs):
        (self, *args), kwargs = _as_torch_binds(name + "_", args, kwargs)
        for t, (a, k) in zip(self, _per_index(self, args, kwargs)):
            if name in _WITH_A_NUMBER and not isinstance(a[0], Tensor):
                _call(t, _WITH_A_NUMBER[name] + "_", a, k)
            elif name in _NO_INPLACE_METHOD:
                t.copy_(getattr(t, name)(*a, **k))
            else:
                _call(t, name + "_", a, k)
        return self
    run.__name__ = f"_foreach_{name}_"
    return run


def _foreach_norm(self, ord=2, dtype=None):
    from .linalg import vector_norm
    _check(self, [], [])
    return tuple(vector_norm(t, ord, dtype=dtype) for t in self)


def _foreach_max(self):
    _check(self, [], [])
    return tuple(t.max() for t in self)


def _foreach_clone(self, *, memory_format=None):
    from .ops.memory_formats import memory_format_arg
    memory_format_arg("_foreach_clone", memory_format)
    _check(self, [], [])
    return tuple(t.clone(memory_format=memory_format) for t in self)


def _foreach_mm(self, mat2):
    return tuple(t.mm(m) for t, ((m,), _) in zip(self, _per_index(self, (mat2,), {})))


def _foreach_copy_(self, src, non_blocking=False):
    for t, ((s,), _) in zip(self, _per_index(self, (src,), {})):
        t.copy_(s)
    return self


def _foreach_zero_(self):
    _check(self, [], [])
    for t in self:
        t.zero_()
    return self


def install(namespace: dict) -> None:
    """Bind every ``_foreach_*`` function into ``namespace`` (the package's)."""
    for name in _UNARY + _BINARY:
        namespace[f"_foreach_{name}"] = _out_of_place(name)
        namespace[f"_foreach_{name}_"] = _in_place(name)
    for fn in (_foreach_norm, _foreach_max, _foreach_clone, _foreach_mm, _foreach_copy_, _foreach_zero_):
        namespace[fn.__name__] = fn

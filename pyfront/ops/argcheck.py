"""Wrong-typed arguments to public functions: PyTorch's TypeError and text, checked in one place.

PyTorch parses every call of a C++ function against its signatures, so a string where a Tensor
or a dtype goes is a TypeError naming the function and argument. pyfront's functions are Python;
``install`` wraps the public ones that take an ``input`` Tensor first or a ``dtype`` keyword
with the same checks, so no AttributeError from deep inside an op reaches a user.

When one signature fits the number of arguments, PyTorch names the argument ("sum(): argument
'dtype' must be torch.dtype, not str"); when several do, it lists the argument types it got
("sum() received an invalid combination of arguments - got (Tensor, dtype=str), but expected
one of: ..." with its overloads, as torch prints them: ops/overloads.py).
"""
from __future__ import annotations

import functools
import inspect
import operator
import re
from numbers import Number

from .. import dtypes as dt
from ..device import device
from ..overrides import AWARE, ON, PASS, intercept
from ..random import Generator
from ..shape import LONG_LONG_MAX, LONG_LONG_MIN, check_long_long, index_like, reads_as_int, single_int_list
from ..tensor import Tensor
from . import sparse_seam
from .arity import ARITY
from .signatures import F_BUILTINS, F_FORWARDS, SIGNATURES

# builtin types are dtypes in torch's signatures
_PY_DTYPES = {float: dt.float64, int: dt.int64, bool: dt.bool_}

# functions with several signatures that differ in the type of the first argument (a Number
# ``self`` overload, a Tensor-or-Scalar one): a bad first argument lists the types given
_OVERLOADED_INPUT = {
    "all", "any", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
    "bitwise_right_shift", "clamp", "clip", "floor_divide", "index_fill", "lerp", "masked_fill",
    "conv1d", "conv2d", "conv3d", "pow", "remainder", "repeat_interleave", "scatter", "std",
    "std_mean", "var", "var_mean", "where", "eq", "ne", "lt", "le", "gt", "ge", "fmod",
    "bucketize", "searchsorted", "copysign", "float_power", "tensor_split", "quantile", "nanquantile",
    "histogram", "xlogy", "isin", "special_xlogy", "special_xlog1py", "special_zeta", "true_divide",
}
# functions with several signatures for their size/range arguments: a bad dtype lists the types
_OVERLOADED_DTYPE = {
    "arange", "rand", "randn", "randint", "eye", "linspace", "logspace", "normal", "randperm",
    "rand_like", "randn_like", "randint_like", "to",
}
# reductions whose dim-less form is a second signature
_DIM_OVERLOADS = {"sum", "mean", "prod", "nansum"}
# the C++ function (and its argument, with position) that PyTorch's Python wrapper hands the input to
_ATEN = {
    "F.logsigmoid": "log_sigmoid", "F.cross_entropy": "cross_entropy_loss", "F.nll_loss": "nll_loss_nd",
    "F.fold": "col2im", "F.unfold": "im2col", "F.multilabel_soft_margin_loss": "log_sigmoid",
    "F.embedding": ("embedding", "indices", 2), "F.one_hot": ("one_hot", "input", 1), "unique": "_unique2",
    "F.grid_sample": "grid_sampler",
}
# PyTorch functions written in Python, which touch an attribute of a bad input first
_PYTHON_LEVEL = {
    "norm": "layout", **{f"F.{k}": v for k, v in {
        "adaptive_avg_pool2d": "size", "adaptive_max_pool2d": "size", "binary_cross_entropy": "size",
        "binary_cross_entropy_with_logits": "size", "glu": "dim", "group_norm": "dim", "huber_loss": "size",
        "instance_norm": "size", "interpolate": "dim", "l1_loss": "size", "log_softmax": "log_softmax",
        "margin_ranking_loss": "dim", "mse_loss": "size", "normalize": "norm", "sigmoid": "sigmoid",
        "smooth_l1_loss": "size", "softmax": "softmax", "softsign": "abs", "tanh": "tanh",
        "tanhshrink": "tanh", "multi_head_attention_forward": "dim", "embedding_bag": "dim",
        "affine_grid": "is_floating_point", "adaptive_avg_pool3d": "size", "adaptive_max_pool3d": "size",
        "gaussian_nll_loss": "size", "triplet_margin_with_distance_loss": "ndim",
        "local_response_norm": "dim", "lp_pool1d": "pow", "lp_pool2d": "pow", "lp_pool3d": "pow",
        "max_unpool1d": "size", "max_unpool2d": "size", "max_unpool3d": "size"}.items()},
}
_NUMPY_NAMES = (("dim", "axis"), ("keepdim", "keepdims"))
_TENSOR_FIRST = ("input", "input1", "x1", "query", "anchor", "condition", "tensor", "sorted_sequence",
                 "theta")


def typename(value) -> str:
    """The type name PyTorch's argument parser prints."""
    if isinstance(value, Tensor):
        return "Tensor"
    for cls, name in ((dt.dtype, "torch.dtype"), (device, "torch.device"), (Generator, "torch.Generator")):
        if isinstance(value, cls):
            return name
    cls = type(value)
    # CPython's tp_name: a class written in Python is its bare name, a C type names its module
    if cls.__module__ == "builtins" or cls.__flags__ & (1 << 9):  # Py_TPFLAGS_HEAPTYPE
        return cls.__name__
    return f"{cls.__module__}.{cls.__qualname__}"


def invalid_combination(name: str, args, kwargs, method: bool = False) -> TypeError:
    """PyTorch's error when no signature of ``name`` fits; ``args`` exclude a method's self. Its text
    lists torch's overloads (ops/overloads.py) as torch's format_invalid_args does: under each whose
    argument count the call has, why it did not match (the wrong keywords, or the types, marked)."""
    from .overloads import OVERLOADS  # (read on an error only)
    # PyTorch lists the keywords last-given first (its map's order)
    kwargs = dict(reversed(kwargs.items()))
    text = f"{name}() received an invalid combination of arguments - got {_arg_desc(args, kwargs)}"
    options = OVERLOADS.get(("Tensor." if method else "") + name)
    if options is None:
        return TypeError(text)
    if len(options) == 1:  # the others hidden (deprecated forms): the one shown, the types given marked
        params = [_option_param(part) for part in options[0][1:-1].split(", ")]
        names = {_option_name(part) for part in options[0][1:-1].split(", ")}
        if unknown := [k for k in kwargs if k not in names]:  # (torch's text ends there)
            return TypeError(f"{name}() received an invalid combination of arguments - got unrecognized "
                             f"keyword arguments: {', '.join(unknown)}")
        if len(args) + len(kwargs) == len(params):
            got = _marked_desc(params, "..." in options[0], args, kwargs)
        else:
            got = _arg_desc(args, kwargs)
        return TypeError(f"{name}() received an invalid combination of arguments - got {got}, but expected "
                         f"{options[0]}")
    text += ", but expected one of:\n"
    for option in options:
        text += f" * {option}\n"
        params = [_option_param(part) for part in option[1:-1].split(", ")]
        variadic = "..." in option
        n = len(args) + len(kwargs)
        if not (n == len(params) or variadic and n > len(params)):
            continue
        names = [p[1] for p in params[max(len(params) - len(kwargs), 0):]]
        wrong = [k for k in kwargs if k not in names]
        if wrong:
            text += f"      didn't match because some of the keywords were incorrect: {', '.join(wrong)}\n"
        else:
            text += ("      didn't match because some of the arguments have invalid types: "
                     f"{_marked_desc(params, variadic, args, kwargs)}\n")
    return TypeError(text)


# torch's functions and Tensor methods written in Python (torch/functional.py, torch/_tensor.py): a call
# leaving an argument out gets Python's own words there, as from pyfront's
_WRITTEN_IN_PYTHON = frozenset((
    "atleast_1d atleast_2d atleast_3d block_diag broadcast_shapes broadcast_tensors cartesian_prod cdist "
    "chain_matmul einsum istft lu meshgrid norm pca_lowrank split stft svd_lowrank tensordot unique "
    "unique_consecutive unravel_index backward dim_order eig index is_shared lstsq module_load "
    "register_hook register_post_accumulate_grad_hook reinforce resize resize_as share_memory_ solve "
    "storage storage_type symeig to_sparse_coo unflatten").split())


# Python's words for a call its binding refused by the count of its positional arguments or a keyword
# (Python's words, also where keywords were given: "but 4 positional arguments (and 1 keyword-only argument)")
_TOO_MANY = re.compile(r"\(\) takes (?:from \d+ to )?\d+ positional arguments? but \d+ "
                       r"(?:positional arguments? \(and \d+ keyword-only arguments?\) )?(?:was|were) given$")
_UNKNOWN_KEYWORD = re.compile(r"\(\) got an unexpected keyword argument '(\w+)'$")


def arity_error(key: str, args, kwargs, error: TypeError) -> TypeError | None:
    """torch's TypeError for a call of ``key`` ("torch.add", "F.relu", "Tensor.sin"; ``args`` a method's
    with self) that Python's ``error`` refused for too many positional arguments or an unknown keyword
    (``torch_refusal``); None where it is no such refusal. On the failure path only: pyfront's inner names
    never reach the user."""
    text = str(error)
    too_many, unknown = _TOO_MANY.search(text), _UNKNOWN_KEYWORD.search(text)
    if not (too_many or unknown and unknown[1] in kwargs):
        return None
    return torch_refusal(key, args, kwargs, unknown[1] if unknown else None)


def torch_refusal(key: str, args, kwargs, unknown: str | None = None) -> TypeError | None:
    """torch's TypeError for a call of ``key`` given too many positional arguments, or the unknown keyword
    ``unknown``, as torch words it (ops/arity.py): its parser's count, an argument left out or the invalid
    combination, CPython's for a C function of no argument, or Python's own under torch's name; None where
    torch would take that count (or has no such function)."""
    entry = ARITY.get(key)
    if entry is None:
        return None
    style, shown, fewest, most, left_out, required, spelled_out = entry
    n = len(args) - left_out
    if spelled_out and n and index_like(args[left_out]):  # torch.ones(2, 3, 4): its ints, any count of them
        return None
    if style == "combination":
        method = key.startswith("Tensor.")
        return _several_refuse(shown, args[method:], kwargs, method)
    if style in ("none", "one"):  # CPython's METH_NOARGS and METH_O functions: their keywords refused first
        if kwargs:
            return TypeError(f"{shown}() takes no keyword arguments")
        takes = "no arguments" if style == "none" else "exactly one argument"
        return TypeError(f"{shown}() takes {takes} ({n} given)") if n != (style == "one") else None
    if style == "python" and unknown:  # (Python's order: a keyword before the count)
        return TypeError(f"{shown}() got an unexpected keyword argument '{unknown}'")
    if n > most:
        return _takes(shown, fewest, most, n)
    if unknown is None:  # (torch takes that many)
        return None
    # torch's parser names an argument left out before an unknown keyword (Python's own, the keyword)
    if missing := [name for name in (required or ())[n:] if name not in kwargs]:
        return _missing(shown, missing)
    return TypeError(f"{shown}() got an unexpected keyword argument '{unknown}'")


@functools.cache  # (read past the fast path only: its overloads are parsed on the first such call)
def _most_positional(key: str, keywords: bool = False) -> int:
    """The most positional arguments (a method's self among them) torch takes in a call of ``key`` (with
    ``keywords``: and keyword arguments too): more are refused by their count before any argument's type
    (its parser's order, and Python's)."""
    entry = ARITY.get(key)
    if entry is None:
        return 1 << 30
    style, _, _, most, left_out = entry[:5]  # (torch_refusal itself answers for ints spelled out)
    if style == "combination":
        options = _overloads().get(("Tensor." if key.startswith("Tensor.") else "") + entry[1], ())
        spelled_out = not keywords and any(_ints_spelled_out(option) for option in options)
        if not options or spelled_out or any("..." in option for option in options):
            return 1 << 30
        # (torch's parser also takes the deprecated forms its messages hide: x.add_(-lr, grad), and beta and
        # alpha before a product's operands: torch.addmm(beta, M, alpha, a, b))
        from .common import SCALAR_FIRST, SCALARS_FIRST

        op = entry[1].removesuffix("_")
        hidden = 1 if op in SCALAR_FIRST else 2 if op in SCALARS_FIRST else 0  # (their scalars before)
        return max(_option_counts(option)[2] for option in options) + key.startswith("Tensor.") + hidden
    return left_out + {"none": 0, "one": 1}.get(style, most)


def _missing(name: str, missing: list) -> TypeError:
    """torch's parser's words for required arguments left out: its "s" for one alone."""
    plural = "s" * (len(missing) == 1)
    return TypeError(f"{name}() missing {len(missing)} required positional argument{plural}: "
                     + ", ".join(f'"{m}"' for m in missing))


def _takes(name: str, fewest: int, most: int, n: int) -> TypeError:
    """torch's (and Python's) words for ``n`` positional arguments where ``name`` takes at most ``most``."""
    if fewest != most:
        return TypeError(f"{name}() takes from {fewest} to {most} positional arguments but {n} were given")
    return TypeError(f"{name}() takes {most} positional argument{'s' * (most != 1)} but {n} "
                     f"{'was' if n == 1 else 'were'} given")


def _several_refuse(name: str, args, kwargs, method: bool) -> TypeError:
    """torch's parser's error for a call of ``name``, which has several signatures, that gives too many
    positional arguments or an unknown keyword (``args`` without a method's self): where one of the
    signatures it lists takes that many arguments in all, that one's words; else the invalid combination."""
    options = _overloads().get(("Tensor." if method else "") + name, ())
    n = len(args) + len(kwargs)
    plausible = [counts for counts in map(_option_counts, options) if counts[0] <= n <= counts[1]]
    if len(plausible) == 1:
        fewest, _, positional, names, required = plausible[0]
        if len(args) > positional:
            return _takes(name, fewest, positional, len(args))
        if missing := [r for r in required[len(args):] if r not in kwargs]:
            return _missing(name, missing)
        if unknown := next((k for k in kwargs if k not in names), None):
            return TypeError(f"{name}() got an unexpected keyword argument '{unknown}'")
    return invalid_combination(name, args, kwargs, method)


def _option_counts(option: str) -> tuple[int, int, int, set, list]:
    """(fewest arguments, most, most positional, names, the required ones' names) of one signature as torch
    prints it."""
    parts = [part for part in option[1:-1].split(", ") if part]
    params = [part for part in parts if part != "*"]
    positional = parts.index("*") if "*" in parts else len(parts)
    required = [_option_name(part) for part in params if " = " not in part]
    return len(required), len(params), positional, {_option_name(part) for part in params}, required


def _ints_spelled_out(option: str) -> bool:
    """Whether torch's parser reads ints spelled out for one signature (x.view(2, 3), x.squeeze(0, 1)): its
    one positional parameter is an int list (its allow_varargs_intlist), so any count of ints may come, in a
    call without keywords (x.view(3, 2, dtype=None) is refused)."""
    return option.startswith("(tuple of ints ") and _option_counts(option)[2] == 1


def _option_name(part: str) -> str:
    """The name of one printed parameter ("Number alpha = 1": alpha)."""
    return part.partition(" = ")[0].rpartition(" ")[2]


def missing_argument(name: str, fn, args, kwargs, error: TypeError, method: bool = False,
                     prefix: str = "torch.") -> TypeError:
    """torch's TypeError for a call of ``name`` that leaves out a required argument, where Python's own
    ``error`` says so of ``fn``'s signature, or gives too many or an unknown keyword (``arity_error``;
    ``prefix`` keys a function's name there); else ``error`` (raised inside). torch's parser words it: the
    invalid combination where it has several signatures (ops/overloads.py), else every required argument
    from the first missing one on, its "s" only for one. On the failure path only."""
    if (refused := arity_error(("Tensor." if method else prefix) + name, args, kwargs, error)) is not None:
        return refused
    text = str(error)
    # (Python's words end in a quoted name: 'input'; torch's parser's in "input", already given)
    if " required " not in text or not text.endswith("'") or name in _WRITTEN_IN_PYTHON:
        return error
    try:
        params = [p for p in inspect.signature(fn).parameters.values()
                  if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    except (TypeError, ValueError):
        return error
    # (a keyword-only one too: torch's parser calls every argument positional here)
    first = next((i for i, p in enumerate(params) if p.default is p.empty and p.name not in kwargs
                  and (i >= len(args) or p.kind is p.KEYWORD_ONLY)), None)
    if first is None:  # the call binds: an inner call raised it, or the function itself of an argument
        # that torch requires though pyfront's signature defaults it (scatter's src, or its value)
        named = text[text.rfind("'", 0, -1) + 1:-1]
        first = next((i for i, p in enumerate(params) if p.name == named and p.name not in kwargs
                      and i >= len(args)), None)
        if first is None:
            return error
    if ("Tensor." if method else "") + name in _overloads():
        return invalid_combination(name, args[1:] if method else args, kwargs, method)
    missing = [p.name for p in params[first:] if p.default is p.empty]
    # (torch's binding's names where pyfront's differ, linalg_cholesky's "input" for A: ops/arity.py's)
    required = (ARITY.get(("Tensor." if method else prefix) + name) or (None,) * 6)[5]
    if required and len(required) == first + len(missing) and not kwargs:
        missing = list(required[first:])
    return _missing(name, missing)


def call_worded(name: str, fn, error: TypeError, kwargs, method: bool) -> TypeError:
    """torch's words for a TypeError about one argument that ``fn`` raised in its function form's, which
    name ``fn`` (atan2 for arctan2) and count the input as position 1 whatever the call: torch's parser
    names the function or method called (``arctan2_()``), no position for an argument given by keyword,
    and for a method counts positions after self. ``error`` itself where it is no such message (a method's
    own words, an inner call's)."""
    text = str(error)
    head, sep, rest = text.partition("(): argument '")
    if not sep or head not in (name, name.rstrip("_"), getattr(inspect.unwrap(fn), "__name__", None)):
        return error
    arg, sep, tail = rest.partition("' (position ")
    number, close, tail = tail.partition(")")
    if not (sep and close and number.isdigit()):
        return error if head == name else TypeError(f"{name}{text[len(head):]}")
    if arg in kwargs:
        return TypeError(f"{name}(): argument '{arg}'{tail}")
    position = int(number)
    if method:
        try:
            params = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            return error
        # its place in the method's signature (self is 0) where it is positional; else the function's count
        # less the input's (a keyword-only one beside *args, flip's dims: the message's own count)
        if arg in params and params[arg].kind is not inspect.Parameter.KEYWORD_ONLY:
            position = list(params).index(arg)
        elif head != name:
            position -= 1
    if head == name and position == int(number):
        return error
    return TypeError(f"{name}(): argument '{arg}' (position {position}){tail}")


# torch's Python functions that Python's own words ("... got an unexpected keyword argument 'out'") name
# otherwise: the function an alias binds (F.threshold is _threshold), or the one a boolean_dispatch picks by
# a flag given by keyword or at its position, (flag, position, if true, if false), nested for unique's two
_DISPATCHED = {
    "F.threshold": "_threshold",
    **{f"F.{kind}max_pool{n}d": ("return_indices", at, f"{kind}max_pool{n}d_with_indices",
                                  f"_{kind}max_pool{n}d")
       for kind, at, dims in (("", 6, "123"), ("adaptive_", 2, "123"), ("fractional_", 4, "23"))
       for n in dims},
    "unique": ("return_inverse", 2, ("return_counts", 3, "_return_inverse_and_counts", "_return_inverse"),
               ("return_counts", 3, "_return_counts", "_return_output")),
    "unique_consecutive": ("return_inverse", 2, (
        "return_counts", 1, "_consecutive_return_inverse_and_counts", "_consecutive_return_inverse"),
        ("return_counts", 1, "_consecutive_return_counts", "_consecutive_return_output")),
}


def keyword_worded(key: str, name: str, error: TypeError, args, kwargs) -> TypeError:
    """torch's words for Python's refusal of a keyword (``out=`` to a function without one): the name of
    the Python function of torch's that refuses it (``_max_pool2d``), else ``name`` (a binding's: isnan's,
    where pyfront's refusing function is the method Tensor.isnan). ``error`` itself where it is no such
    refusal."""
    head, sep, tail = str(error).partition("() got an unexpected keyword argument ")
    if not sep or " " in head:
        return error
    torchs = _DISPATCHED.get(key, name)
    while isinstance(torchs, tuple):
        flag, at, if_true, if_false = torchs
        torchs = if_true if (kwargs[flag] if flag in kwargs else at < len(args) and args[at]) else if_false
    return error if head == torchs else TypeError(f"{torchs}{sep}{tail}")


def _overloads() -> dict:
    from .overloads import OVERLOADS  # (read on an error only)
    return OVERLOADS


def _arg_desc(args, kwargs) -> str:
    """torch's list of the types given: "(Tensor, int, dim=float)", a trailing ", " after keywords alone."""
    parts = [typename(a) for a in args] + [f"{k}={typename(v)}" for k, v in kwargs.items()]
    return "(" + ", ".join(parts) + (", " if kwargs and not args else "") + ")"


def _option_param(part: str) -> tuple[str, str]:
    """(type, name) of one printed parameter as torch's _parseOption splits it: at its last space (so a
    defaulted one's "name" is its default, and "()" has one parameter, of an empty type)."""
    cut = part.rfind(" ")
    if cut < 0:
        return part, part
    return part[:cut - 4 * ("..." in part)], part[cut + 1:]


def _marked_desc(params, variadic: bool, args, kwargs) -> str:
    """The types given, each that its parameter's type does not name between "!"s (colours on a terminal)."""
    import os
    bad, good = ("\33[31;1m", "\33[32;1m") if os.isatty(1) and os.isatty(2) else ("!", "")
    bad_end, good_end = ("\33[0m", "\33[0m") if bad != "!" else ("!", "")
    parts = []
    for i in range(len(args) + len(kwargs)):
        keyword = i >= len(args)
        value = kwargs.get(params[i][1]) if keyword else args[i]
        ptype = params[i][0] if i < len(params) else params[-1][0] if variadic else None
        shown = typename(value)
        ok = ptype is not None and (shown in ("int", "long", "float") if ptype == "float"
                                    else shown in ("int", "long") if ptype == "int" else shown == ptype)
        if isinstance(value, (tuple, list)):
            one = isinstance(value, tuple) and len(value) == 1
            inner = ", ".join(typename(v) for v in value) + ("," if one else "")
            shown += f" of ({inner})" if isinstance(value, tuple) else f" of [{inner}]"
        parts.append((good if ok else bad) + (f"{params[i][1]}=" if keyword else "") + shown
                     + (good_end if ok else bad_end))
    return "(" + ", ".join(parts) + (", " if kwargs and not args else "") + ")"


def must_be(name: str, arg: str, expected: str, value, position: int | None = None) -> TypeError:
    where = f" (position {position})" if position is not None else ""
    return TypeError(f"{name}(): argument '{arg}'{where} must be {expected}, not {typename(value)}")


def bool_flags(name: str, **flags) -> None:
    """torch's parser takes only a bool for each of ``flags``, keywords of its binding ``name`` (its words
    then name no position): an int or None there is its TypeError, where pyfront's function would read the
    value's truth (x.nonzero(as_tuple=1), torch.unique(x, sorted=None))."""
    for flag, v in flags.items():
        if not isinstance(v, bool):  # (not NumPy's bool, as _accepts)
            raise must_be(name, flag, "bool", v)


def as_dtype(value, name: str = ""):
    """``value`` as a dtype (a dtype, or Python's float/int/bool as torch reads them), or None."""
    if value is None or isinstance(value, dt.dtype):
        return value
    if value in _PY_DTYPES:
        return _PY_DTYPES[value]
    raise must_be(name, "dtype", "torch.dtype", value)


def _bad_input(key: str, name: str, first: str, x, args, kwargs) -> Exception:
    if key in _PYTHON_LEVEL:
        return AttributeError(f"'{typename(x)}' object has no attribute '{_PYTHON_LEVEL[key]}'")
    if key == "F.softmin":
        return TypeError(f"bad operand type for unary -: '{typename(x)}'")
    aten = _ATEN.get(key, name)
    if isinstance(aten, tuple):
        return must_be(*aten[:2], "Tensor", x, aten[2])
    # div's rounding_mode is in one of its overloads only: given it, torch's parser tries several
    if aten in _OVERLOADED_INPUT or (aten == "div" and "rounding_mode" in kwargs):
        return invalid_combination(aten, args, kwargs)
    return must_be(aten, first, "Tensor", x, 1)


def _bad_flag(key: str, name: str, method: bool, flag: str, i: int, args, kwargs) -> None:
    """torch's TypeError for None (or another non-bool, where torch types it bool) given to the bool
    ``flag`` (parameter ``i`` of pyfront's ``key``): its parser's, where torch's signatures are in the table
    (and none if they take None, sort's ``stable``), else the one it gives for a single signature."""
    position = None if i >= len(args) else i + (not method)
    given = kwargs.get(flag) if position is None else args[i]
    if (key, flag) in _FLAG_TARGETS:
        name, flag, position = _FLAG_TARGETS[key, flag]
        if name == "_unique2" and (args[4] if len(args) > 4 else kwargs.get("dim")) is not None:
            name = "unique_dim"  # (torch's unique hands a dim's call to that binding)
    elif name in SIGNATURES:
        parse(name, _signatures(name, method), args, kwargs, method)
        return
    raise must_be(name, flag, "bool", given, position)


def _bad_int(name: str, method: bool, arg: str, i: int, args, kwargs) -> None:
    """torch's TypeError for a bool given to ``arg`` (parameter ``i`` of pyfront's ``name``), where torch
    takes an int (or ints, or a Tensor): its parser's message, naming the argument where one signature
    fits (x.polygamma(True): torch's signature puts n first, its method takes it after self)."""
    sigs = _signatures(name, method)
    if len(sigs) == 1:
        p = next((p for p in sigs[0] if p.name == arg), None) or sigs[0][i]
        given = i < len(args)
        raise must_be(name, p.name, _SHOWN[p.type], args[i] if given else kwargs[arg],
                      i + (not method) if given else None)
    parse(name, sigs, args, kwargs, method)


# (function, flag) -> the binding torch's message names, its name for the flag and the position it gives:
# torch's Python-level functions hand the flag on (by keyword, or positionally: norm, and the F functions
# here, whose other flags torch reads by truth); nonzero's stub types as_tuple Any
_FLAG_TARGETS = {
    **{("unique", f): ("_unique2", f, None) for f in ("sorted", "return_inverse", "return_counts")},
    ("norm", "keepdim"): ("linalg_vector_norm", "keepdim", 4),
    ("nonzero", "as_tuple"): ("nonzero", "as_tuple", None),
    ("F.dropout", "training"): ("dropout", "train", 3),
    ("F.alpha_dropout", "training"): ("alpha_dropout", "train", 3),
    ("F.embedding", "scale_grad_by_freq"): ("embedding", "scale_grad_by_freq", 4),
    ("F.embedding", "sparse"): ("embedding", "sparse", 5),
    ("F.embedding_bag", "scale_grad_by_freq"): ("embedding_bag", "scale_grad_by_freq", 4),
    ("F.embedding_bag", "sparse"): ("embedding_bag", "sparse", 6),
    ("F.kl_div", "log_target"): ("kl_div", "log_target", None),
    ("F.poisson_nll_loss", "log_input"): ("poisson_nll_loss", "log_input", 3),
    ("F.poisson_nll_loss", "full"): ("poisson_nll_loss", "full", 4),
    ("F.triplet_margin_loss", "swap"): ("triplet_margin_loss", "swap", 7),
}


# flags torch takes None for: its factories' requires_grad (not requires_grad_'s, nor tensor()'s), and
# backward's (read in Python)
_NONE_TAKEN = frozenset(("requires_grad", "create_graph", "retain_graph"))


_ABSENT = object()
_SUSPECT = frozenset((type(None), bool))  # (the loops below judge them)


def _param_kinds(name: str) -> tuple[set, set, set, set]:
    """The parameters of ``name`` that every torch signature having them types bool, those that none of
    its signatures takes None for, and those (by name, and by position after the input) where every
    signature takes an int, ints or a Tensor only: a bool is refused there (one pass over the signatures)."""
    types, takes, at = {}, {}, {}
    for text in SIGNATURES[name]:
        sig = _signature(text)
        for i, p in enumerate(sig):
            types.setdefault(p.name, set()).add(p.type)
            takes[p.name] = takes.get(p.name, False) or p.none
            if i and sig[0].type == "Tensor" and not p.kw_only:
                at.setdefault(i, set()).add(p.type)

    def no_bool(t):
        return t <= _NO_BOOL and t & _INTS
    return ({n for n, t in types.items() if t == {"bool"}}, {n for n, none in takes.items() if not none},
            {n for n, t in types.items() if no_bool(t)}, {i for i, t in at.items() if no_bool(t)})


_INTS = frozenset(("int", "int[]", "int[1]"))
_NO_BOOL = _INTS | {"Tensor"}


def _bad_other(y) -> bool:
    """Whether ``y`` is neither a Tensor nor a number torch reads (a NumPy scalar is one)."""
    if isinstance(y, (Tensor, Number)):
        return False
    return not (type(y).__module__ == "numpy" and type(y).__name__ != "ndarray")


_SAMPLERS = frozenset(
    "uniform_ normal_ log_normal_ exponential_ cauchy_ geometric_ bernoulli_ random_".split())


# Tensor methods torch writes in Python (torch/_tensor.py): a call's fault is Python's, not its parser's
_PY_METHODS = frozenset({"istft", "stft"})


def _parse_on_failure(name: str, method: bool, prefix: str, params):
    """For the reductions and other functions of a ``dim`` that torch parses but pyfront does not parse
    per call (methods, the hot reductions: _FLAGS_ONLY), a parse once the call failed: where it fits
    none of torch's signatures (a float or bool dim), torch's TypeError instead of pyfront's own. Where it
    fits a method's one int list by its ints spelled out (x.tile(np.int64(2)), x.squeeze(np.array(1))),
    the arguments to call again with, that list packed."""
    # an in-place method (x.cumsum_) is parsed as its function's signatures, under its own name (not the
    # samplers: theirs are their own, parsed before their call, sampling.py)
    key = name.rstrip("_") if method and name not in SIGNATURES else name
    if prefix or key not in SIGNATURES or not (name in _FLAGS_ONLY or method) or name in _SAMPLERS \
            or method and name in _PY_METHODS:
        return None
    sigs = _signatures(key, method)

    def on_failure(args, kwargs):
        try:
            parse(name, sigs, args, kwargs, method)
        except TypeError as e:
            raise e from None
        except Exception:  # noqa: BLE001 - the call's own error stands (x.cumsum(0, dim=None): Python's)
            return None
        # (not where another signature takes the call as given: x.hsplit(2**63) is its sections' overflow)
        if method and any(_spelled_out(sig, args) for sig in sigs) and not any(
                not _spelled_out(sig, args) and _fits(name, sig, args, kwargs) for sig in sigs):
            return (args[0], tuple(args[1:]))
        return None
    return on_failure


def _fits(name: str, sig: _Signature, args, kwargs) -> bool:
    """Whether a method's call fits ``sig`` as its arguments are given (an int it cannot unpack: no)."""
    try:
        return _match(name, sig, args, kwargs, False, True)
    except (TypeError, ValueError):
        return False


def _signatures(name: str, method: bool) -> list:
    """torch's signatures of ``name``; a method's with self first, wherever its function's input stands
    (x.polygamma_(n) is polygamma(n, x))."""
    sigs = [_signature(text) for text in SIGNATURES[name]]
    # (a method has no out_dtype overload: x.mm(y, torch.float32) is refused by its count)
    if not method:
        return sigs
    return [_self_first(sig) for sig in sigs if not any(p.name == "out_dtype" for p in sig)]


def _self_first(sig: _Signature) -> _Signature:
    """``sig`` with its input Tensor moved first, as its method takes it (as self)."""
    if not sig or sig[0].type == "Tensor":
        return sig
    found = next((p for p in sig if p.type == "Tensor" and p.name in ("input", "self")), None)
    return sig if found is None else _Signature([found] + [p for p in sig if p is not found])


def _spelled_out(sig: _Signature, args) -> bool:
    """Whether a method's call gives the one int list of ``sig`` as ints spelled out (args: self first)."""
    return (sig.positional == 2 and sig[1].type in ("int[]", "int[1]") and len(args) > 1
            and not _accepts(sig[1].type, args[1]) and index_like(args[1]))


def _int_args(name: str, method: bool, params) -> tuple:
    """(position, name, None taken) of each parameter of pyfront's ``name`` (``params``: its Python
    signature) that a torch signature types ``int`` (or ``int[1]``), by name, or by position where torch
    names it otherwise (hsplit's indices_or_sections is its sections), but a dim: the ints torch's parser
    reads (_ints_read). A dim needs no read here: pyfront's dims refuse another type and one out of range,
    and only then look at its size (shape.normalize_dim), so the hot reductions and views pay nothing."""
    ints, at, named = {}, {}, set()
    for sig in _signatures(name, method) if name in SIGNATURES else ():
        for i, p in enumerate(sig):
            named.add(p.name)
            if p.type in ("int", "int[1]") and "dim" not in p.name:
                ints[p.name] = ints.get(p.name, False) or p.none
                if not p.kw_only:
                    at[i] = at.get(i, False) or p.none
    return tuple((i if p.kind is p.POSITIONAL_OR_KEYWORD else 1 << 30, p.name,
                  ints[p.name] if p.name in ints else at[i])
                 for i, p in enumerate(params) if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                 and (p.name in ints or p.name not in named and i in at and "dim" not in p.name
                      and p.kind is p.POSITIONAL_OR_KEYWORD))


def _ints_read(fn, name: str, method: bool, at: tuple):
    """``fn`` reading the values given to the int arguments ``at`` (_int_args) of torch's ``name`` as its
    parser does: a Python int is read as a C long long (outside int64: its ValueError, once the call's
    types fit a signature); any other value (a float, a NumPy float, a string, a tensor) is parsed against
    torch's signatures, which name it where none takes it (pyfront's ops read ``1.0`` as an int). An int
    costs a type test and a range test; the functions and methods without such an argument pay nothing
    (add, matmul, relu, the reductions)."""
    def refused(args, kwargs):
        parse(name, _signatures(name, method), args, kwargs, method)

    @functools.wraps(fn)
    def read(*args, **kwargs):
        for i, arg, none in at:
            v = args[i] if i < len(args) else kwargs.get(arg, _ABSENT)
            if type(v) is int:
                if not LONG_LONG_MIN <= v <= LONG_LONG_MAX:
                    refused(args, kwargs)  # (a wrong type elsewhere is named first)
                    check_long_long(v)
            elif v is not _ABSENT and not (v is None and none) and not reads_as_int(v):
                refused(args, kwargs)
                if not isinstance(v, (Tensor, list, tuple)) and _symint_index(v):  # a SymInt's: its int
                    args, kwargs = _replaced(args, kwargs, i, arg, operator.index(v))
        return fn(*args, **kwargs)
    return read


def _replaced(args: tuple, kwargs: dict, i: int, arg: str, v) -> tuple:
    """(args, kwargs) with the argument at position ``i`` (or keyword ``arg`` past them) set to ``v``."""
    if i < len(args):
        return (*args[:i], v, *args[i + 1:]), kwargs
    return args, {**kwargs, arg: v}


def _checked(fn, name: str, method: bool, prefix: str, shown_name: str | None = None):
    params = list(inspect.signature(fn).parameters.values())
    first = params[0].name if params else None
    tensor_first = not method and first in _TENSOR_FIRST
    takes_dtype = any(p.name == "dtype" for p in params)
    # torch's argument parser takes NumPy's names for these (x.sum(axis=1, keepdims=True))
    aliases = {a: n for n, a in _NUMPY_NAMES if any(p.name == n for p in params)}
    # a required ``other`` (add, mul, maximum, x.add_, ...): None, a str or a list there was read as
    # a number (NaN on cpu; on webgpu a tensor that failed at its first read), where torch refuses it
    other_at = None if prefix else next(
        (i for i, p in enumerate(params) if i and p.name in ("other", "exponent") and p.default is p.empty
         and p.kind is p.POSITIONAL_OR_KEYWORD), None)
    other = params[other_at].name if other_at is not None else None
    # a bool flag (keepdim, descending, ...) given None was read as False, where torch's parser refuses it
    # (torch's F functions read theirs by truth, but those they hand to a binding: _FLAG_TARGETS)
    flags = {} if name.startswith("_") else {  # (pyfront's own methods, _assign, ... are not checked)
        p.name: i for i, p in enumerate(params) if isinstance(p.default, bool)
        and (p.name not in _NONE_TAKEN or (shown_name or name) in ("requires_grad_", "tensor"))
        and (not prefix or (prefix + name, p.name) in _FLAG_TARGETS)}
    # pyfront's "not given" is None for some parameters none of torch's signatures takes None for
    # (x.prod(dim=None), x.std(unbiased=None)), and some read a None given (x.logsumexp(None)): such a None
    # given is judged by those signatures; only where a None is given (a test or two on the fast path).
    # A function parsed per call (_parsed) needs no look: its parse refuses the None
    known = (shown_name or name) in SIGNATURES
    bools, refused, int_named, int_at = _param_kinds(shown_name or name) if known else ((), (), (), ())
    nones = {} if prefix or _parsed_per_call(name, method, prefix) else {
        p.name: i for i, p in enumerate(params) if i and p.name in refused and p.name not in flags
        and (p.default is None or p.default is p.empty)}
    # and the flags torch's signatures type bool take a bool only (x.argmax(0, keepdim=2), x.std(0, 2)):
    # a None-default one among them (std's unbiased) is a flag too
    flags.update({f: nones.pop(f) for f in bools & nones.keys()})
    typed = {f for f in flags if (prefix + name, f) not in _FLAG_TARGETS and f in bools
             or (shown_name or name) == "requires_grad_"}  # (a method torch types bool; not in the table)
    # a bool where torch's int goes (x.diff(True), x.topk(True)) was read as the int; torch's parser refuses
    # it (not a dim's: pyfront's dims refuse a bool, and the failed call is parsed)
    ints = {} if prefix or _parsed_per_call(name, method, prefix) else {
        p.name: i for i, p in enumerate(params) if i and "dim" not in p.name and p.kind is not p.KEYWORD_ONLY
        and (p.name in int_named or i in int_at and p.kind is p.POSITIONAL_OR_KEYWORD)}  # (not a *sizes)
    on_failure = _parse_on_failure(shown_name or name, method, prefix, params)
    if int_args := () if prefix or name.startswith("_") else _int_args(name, method, params):
        fn = _ints_read(fn, name, method, int_args)
    if (not tensor_first and not takes_dtype and not aliases and other_at is None and not flags
            and not nones and not ints and on_failure is None):
        return fn
    key = prefix + name
    shown_name = shown_name or name

    # the commonest call, tensors where tensors go and no keywords, takes one test (torch.add(a, b))
    # (and no positional argument reaching a flag, which may be None: x.sum(1, None))
    last = other_at if other_at is not None else 0
    head = 0 if tensor_first else last
    # the first positions a None or a bool may be given to where torch refuses it: the fast path looks at
    # the first three (x.prod(1), x.index_select(0, i), x.narrow(0, 1, 2)), a test each where the call
    # reaches it, and leaves a call reaching a fourth to the loops below
    at_1, at_2, at_3, at_4 = (*sorted({*nones.values(), *ints.values()}), *(1 << 30,) * 4)[:4]
    first_int = min(ints.values(), default=0)
    most = min(min(flags.values(), default=1 << 30), at_4)
    checks = {**flags, **nones}
    first_check = min(checks.values(), default=0)
    # torch's F functions are Python, but those bound to C++ (F.conv2d is torch.conv2d): Python's words
    # for an argument left out, as pyfront's own
    python_level = bool(prefix) and name not in F_BUILTINS
    # (a call past the fast path with more positional arguments than torch takes: refused by their count)
    arity_key = ("Tensor." if method else prefix or "torch.") + shown_name

    @functools.wraps(fn)
    def checked(*args, **kwargs):
        # (where this is the public function, it asks for __torch_function__ overrides itself, overrides.py)
        if ON[0] and (result := intercept(checked, args, kwargs)) is not PASS:
            return result
        try:  # (free where nothing is raised)
            if not kwargs and last < (n := len(args)) <= most and type(args[head]) is Tensor \
                    and type(args[last]) is Tensor and (
                        n <= at_1 or type(args[at_1]) not in _SUSPECT and (
                            n <= at_2 or type(args[at_2]) not in _SUSPECT and (
                                n <= at_3 or type(args[at_3]) not in _SUSPECT))):
                try:  # (free in CPython 3.11+ where nothing is raised)
                    return fn(*args)
                except Exception:
                    # a float dim: x.sum(0.0)
                    if on_failure is not None and (again := on_failure(args, kwargs)):
                        return fn(*again)
                    raise
            if len(args) > _most_positional(arity_key, bool(kwargs)) and (
                    refused := torch_refusal(arity_key, args, kwargs)) is not None:
                raise refused
            if other_at is not None and (len(args) > other_at or other in kwargs):
                y = args[other_at] if len(args) > other_at else kwargs[other]
                if _bad_other(y):
                    if isinstance(y, sparse_seam.TYPES):
                        return sparse_seam.call(prefix + shown_name, args, kwargs)
                    if name in _OVERLOADED_INPUT:
                        raise invalid_combination(shown_name, args[1:] if method else args, kwargs, method)
                    raise must_be(shown_name, other, "Tensor", y, other_at if method else other_at + 1)
            if checks and (kwargs or len(args) > first_check):
                for flag, i in checks.items():
                    v = kwargs.get(flag, _ABSENT) if i >= len(args) else args[i]
                    if v is None or type(v) is not bool and v is not _ABSENT and flag in typed:
                        _bad_flag(key, shown_name, method, flag, i, args, kwargs)
            if ints and (kwargs or len(args) > first_int):
                for flag, i in ints.items():
                    if type(kwargs.get(flag) if i >= len(args) else args[i]) is bool:
                        _bad_int(shown_name, method, flag, i, args, kwargs)
            if kwargs:  # (this wraps every public function: a call without keywords skips their checks)
                # a bool is an int to Python, never a dim to torch (std/var read a positional one as unbiased)
                if type(kwargs.get("dim")) is bool and shown_name in SIGNATURES:
                    parse(shown_name, _signatures(shown_name, method), args, kwargs, method)
                for alias in aliases.keys() & kwargs.keys():
                    if aliases[alias] in kwargs:
                        raise TypeError(f"{name}() received an invalid combination of arguments")
                    kwargs[aliases[alias]] = kwargs.pop(alias)
            if tensor_first:
                x = args[0] if args else kwargs.get(first)
                if not isinstance(x, (Tensor, Number)) and (args or first in kwargs):
                    if isinstance(x, sparse_seam.TYPES):
                        return sparse_seam.call(prefix + shown_name, args, kwargs)
                    raise _bad_input(key, name, first, x, args, kwargs)
            if not kwargs:
                if on_failure is None:
                    return fn(*args)
                try:
                    return fn(*args)
                except Exception:
                    if again := on_failure(args, kwargs):
                        return fn(*again)
                    raise
            d = kwargs.get("dtype")
            if d is not None and not isinstance(d, dt.dtype):
                if not (isinstance(d, type) and d in _PY_DTYPES):
                    if known:  # torch's parser judges the whole call first: a keyword it lacks, one left out
                        parse(shown_name, _signatures(shown_name, method), args, kwargs, method)
                    shown = args[1:] if method else args
                    dimless = name in _DIM_OVERLOADS and len(args) < 2 and "dim" not in kwargs
                    if name in _OVERLOADED_DTYPE or dimless:
                        raise invalid_combination(name, shown, kwargs, method)
                    raise must_be(name, "dtype", "torch.dtype", d)
                kwargs["dtype"] = _PY_DTYPES[d]
            if on_failure is None:
                return fn(*args, **kwargs)
            try:
                return fn(*args, **kwargs)
            except Exception:
                if again := on_failure(args, kwargs):
                    return fn(*again, **kwargs)
                raise
        except TypeError as e:
            if (result := intercept(checked, args, kwargs)) is not PASS:  # (a duck type's first call)
                return result
            # (a torch function's own refusal of a keyword, ops/arity.py; else, and where torch dispatches
            # on a flag to one of its Python functions, the name of the one refusing it)
            if kwargs and not prefix and key not in _DISPATCHED and (
                    refused := arity_error(arity_key, args, kwargs, e)) is not None:
                raise refused from None
            if kwargs and not method and (
                    worded := keyword_worded(key, shown_name, e, args, kwargs)) is not e:
                raise worded from None
            # (torch's Python F functions hand a keyword on to their binding by position: theirs kept)
            if (worded := call_worded(shown_name, fn, e, {} if prefix else kwargs, method)) is not e:
                raise worded from None
            # (a parser's words already given stand: its count of positional arguments comes first)
            if not method and "(): argument '" not in str(e) and not _TOO_MANY.search(str(e)) and \
                    (refusal := _not_a_tensor(key, name, params, args, kwargs, e)) is not None:
                raise refusal from None
            if python_level:
                if (refused := arity_error(key, args, kwargs, e)) is None:
                    raise
                raise refused from None
            if (torchs := missing_argument(shown_name, fn, args, kwargs, e, method, prefix or "torch.")) is e:
                raise
            raise torchs from None
        # (pyfront's function read a tensor attribute of a number, or looked for a tensor among numbers; or
        # refused something else first, which torch's parser, or its Python function's first look at the
        # tensors, comes before: tensordot(t, 1, ...)'s dims, smooth_l1_loss(1, t, beta=-1)'s beta)
        except (AttributeError, StopIteration, RuntimeError, ValueError, IndexError) as e:
            if (result := intercept(checked, args, kwargs)) is not PASS:
                return result
            if method or (refusal := _not_a_tensor(key, name, params, args, kwargs, e)) is None:
                raise
            # (torch's Python functions check more before their binding parses: only their first reads come
            # before an error of pyfront's own)
            if python_level and not isinstance(e, (AttributeError, StopIteration)) \
                    and not isinstance(refusal, AttributeError):
                raise
            raise refusal from None

    AWARE.add(checked)
    return checked


# the names torch's functions give their tensor operands (never a size, a padding or a number's; nor
# ``other``, where torch's parser takes a number for a Tensor: add, div, eq, ...)
_OPERANDS = frozenset((
    "input", "target", "x1", "x2", "input1", "input2", "anchor", "positive", "negative", "tensor1", "tensor2",
    "condition", "weight", "pos_weight", "bias", "theta", "grid", "query", "key", "indices", "mat1", "mat2",
    "batch1", "batch2", "vec", "mat", "vec1", "vec2"))


# the functions whose Tensor arguments torch's parser takes a number for (its should_allow_numbers_as_tensors)
_NUMBERS_AS_TENSORS = frozenset(("add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide",
                                 "floor_divide"))


# the operands besides the input that torch's Python functions read an attribute of, before their binding
# sees them (l1_loss's weight.size() != input.size())
# (their target.size() != input.size() first)
_PYTHON_READS = {**{(f"F.{loss}", operand): "size" for loss in ("l1_loss", "mse_loss", "huber_loss",
                                                                "binary_cross_entropy")
                    for operand in ("target", "weight")},
                 ("F.embedding_bag", "weight"): "dtype", ("F.embedding_bag", "per_sample_weights"): "size"}


def _not_a_tensor(key: str, name: str, params, args, kwargs, error: Exception) -> Exception | None:
    """torch's error for a call that gave a Python number where its function takes only a Tensor, which
    torch's parser (or its Python function's first look at the tensors) refuses before any other check; None
    where no argument is such. Asked only once pyfront's function has failed (reading a tensor attribute of
    the number, or a check of its own that comes later in torch). Other non-Tensors (None, a str, a list)
    are the input checks' above."""
    aten = _ATEN.get(key, name)
    binding = aten[0] if isinstance(aten, tuple) else aten
    if binding in _NUMBERS_AS_TENSORS:
        return None
    sigs = [_signature(text) for text in SIGNATURES.get(binding, ())]
    for i, p in enumerate(params):
        given = i < len(args)
        v = args[i] if given else kwargs.get(p.name)
        if not given and p.name not in kwargs:
            continue
        if (read := _PYTHON_READS.get((key, p.name))) is not None and not isinstance(v, Tensor) \
                and (v is not None or p.default is p.empty):  # (a None weight is none given)
            return AttributeError(f"'{typename(v)}' object has no attribute '{read}'")
        if type(v) not in (int, float, bool, complex) or p.name not in _OPERANDS:
            continue
        if sigs:  # the binding's own parameter of that name, a Tensor in every signature having it
            found = [(j, q) for sig in sigs for j, q in enumerate(sig) if q.name == p.name]
            if not found or any(q.type != "Tensor" for _, q in found):
                continue
            position = found[0][0] + 1
        elif p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD and (i == 0 or binding == name):
            position = i + 1  # a required operand (the input alone where torch hands it to another binding)
        else:
            continue
        if key == "F.softmin":  # torch's -input takes a number (-True is -1): softmax is the attribute read
            return AttributeError(f"'{typename(-v)}' object has no attribute 'softmax'")
        # its Python reads the input's attribute (or compares the target's with it); the others it hands on
        # to its binding (where it reads no other attribute of theirs first)
        if key in _PYTHON_LEVEL:
            # (margin_ranking_loss compares all three's dims)
            if i == 0 or p.name == "target" or key == "F.margin_ranking_loss":
                return AttributeError(f"'{typename(v)}' object has no attribute '{_PYTHON_LEVEL[key]}'")
            if not sigs:
                return None
        if i == 0 and isinstance(aten, tuple):
            return must_be(*aten[:2], "Tensor", v, aten[2])
        if binding in _OVERLOADED_INPUT:  # a number may fit another of its signatures: only on a failed read
            return invalid_combination(binding, args, kwargs) if isinstance(error, AttributeError) else None
        # (torch's Python F functions hand a keyword on to their binding by position)
        return must_be(binding, p.name, "Tensor", v, position if given or key != name else None)
    return None


# -- calls parsed against torch's signatures (ops/signatures.py), as its Python argument parser ---------
# the types torch's parser names in its messages
_SHOWN = {"Tensor": "Tensor", "int": "int", "float": "float", "Scalar": "Number", "bool": "bool",
          "int[]": "tuple of ints", "int[1]": "tuple of ints", "float[]": "tuple of floats",
          "Tensor[]": "tuple of Tensors", "ScalarType": "torch.dtype", "str": "str", "Dimname": "name",
          "Dimname[]": "tuple of names", "Scalar[]": "tuple of Scalars", "Generator": "torch.Generator"}


class _Param:
    """One parameter of a signature: ``Tensor? weight=None`` -> type, name, None allowed, has a default."""
    __slots__ = ("type", "name", "none", "default", "kw_only", "symint")

    def __init__(self, text: str, kw_only: bool):
        decl, _, default = text.partition("=")
        ptype, self.name = decl.split()
        self.type = ptype.rstrip("?")
        # a SymInt is an int to every check and message here; torch's parser takes any index there too
        self.symint = self.type.startswith("SymInt")
        if self.symint:
            self.type = self.type.replace("SymInt", "int")
        self.none = ptype.endswith("?") or default in ("None", "()")  # an empty list default takes None too
        self.default, self.kw_only = bool(default), kw_only


class _Signature(list):
    """A signature's parameters, with the counts torch's parser compares a call with (found once)."""

    def __init__(self, params):
        super().__init__(params)
        self.positional = sum(not p.kw_only for p in params)
        self.required = sum(not p.default for p in params)


def _signature(text: str) -> _Signature:
    params, kw_only = [], False
    for part in text.split(", "):
        if part == "*":
            kw_only = True
        else:
            params.append(_Param(part, kw_only))
    return _Signature(params)




def _element_type(ptype: str, v) -> str | None:
    """None where ``v`` is an element of a list argument of ``ptype``, else the name of its type."""
    ok = index_like(v) if ptype.startswith("int") else isinstance(v, Number) and not isinstance(v, complex)
    return None if ok else typename(v)


def _accepts(ptype: str, v, symint: bool = False) -> bool:
    if ptype == "Tensor":  # a sparse tensor is one too (the function then takes it or refuses it)
        return isinstance(v, Tensor) or isinstance(v, sparse_seam.TYPES)
    if ptype == "int":
        return reads_as_int(v)
    if ptype in ("float", "Scalar"):
        if isinstance(v, Tensor):
            return v.dim() == 0 and not v.requires_grad
        return not _bad_other(v) and (ptype == "Scalar" or not isinstance(v, complex))  # NumPy scalars too
    if ptype == "bool":  # not NumPy's bool: torch 2.13's parser refuses it ("must be bool, not numpy.bool")
        return isinstance(v, bool)
    if ptype == "str":
        return isinstance(v, str)
    if ptype == "ScalarType":
        return isinstance(v, dt.dtype) or isinstance(v, type) and v in _PY_DTYPES
    if ptype == "Tensor[]":  # sparse tensors among them too (torch.cat's own sparse refusals follow)
        return isinstance(v, (list, tuple)) and all(isinstance(a, (Tensor, *sparse_seam.TYPES)) for a in v)
    if ptype in ("int[]", "int[1]"):
        if ptype == "int[1]" and not isinstance(v, (list, tuple)):
            return single_int_list(v, symint) is not None
        # torch's parser looks at the first element only: the others fail later, as they unpack
        return isinstance(v, (list, tuple)) and (not v or index_like(v[0]))
    if ptype == "float[]":
        return isinstance(v, (list, tuple)) and all(_element_type(ptype, a) is None for a in v)
    if ptype == "Scalar[]":  # numbers only (complex and NumPy's too), no 0-d tensor
        return isinstance(v, (list, tuple)) and all(not isinstance(a, Tensor) and _accepts("Scalar", a)
                                                    for a in v)
    if ptype == "Generator":
        return isinstance(v, Generator)
    return True  # layouts, devices, names: pyfront's own checks


def _symint_index(v) -> bool:
    """Whether torch's parser takes ``v``, no int to ``_accepts``, where a ``SymInt`` goes: an object whose
    ``__index__`` works (a 0-d integer NumPy array), no bool and no tensor (their checks are an int's)."""
    if isinstance(v, (bool, Tensor)):
        return False
    try:
        operator.index(v)
    except TypeError:
        return False
    return True


def _unpack_ints(name: str, arg: str, v) -> None:
    """torch's error for an element of an int list that its unpacking refuses, the first in order: after
    the first element (whose type the match looked at), one that is no int (a bool is one there); any
    Python int outside int64, read as a C long long (its text goes on with a C++ backtrace: the first
    line)."""
    for j, a in enumerate(v, 1):
        if type(a) is int:
            if not LONG_LONG_MIN <= a <= LONG_LONG_MAX:
                raise TypeError(f"{name}(): argument '{arg}' failed to unpack the object at pos {j} with "
                                'error "Overflow when unpacking long long')
        elif j > 1 and not (index_like(a) or isinstance(a, bool)):
            raise TypeError(f"{name}(): argument '{arg}' failed to unpack the object at pos {j} with error "
                            f'"type must be tuple of ints,but got {typename(a)}"')


def _match(name: str, sig: _Signature, args, kwargs, raise_: bool, method: bool = False) -> bool:
    """Whether the call fits ``sig``; ``raise_``: where it does not, torch's TypeError for it (a method's
    ``args`` start with self, which its positions do not count)."""
    positional, required = sig.positional, sig.required
    if method and _spelled_out(sig, args):  # a method of one int list takes its ints spelled out, from an
        # int first (x.permute(1, 0)); torch's parser reads a bool after the first as an int
        # (x.reshape(6, True))
        args = (args[0], (args[1], *(int(a) if isinstance(a, bool) else a for a in args[2:])))
    if len(args) > positional:
        if not raise_:
            return False
        # (a method's counts leave self out)
        positional, required, args = positional - method, required - method, args[method:]
        if required != positional:
            raise TypeError(f"{name}() takes from {required} to {positional} positional arguments but "
                            f"{len(args)} were given")
        raise TypeError(f"{name}() takes {positional} positional argument{'s' * (positional != 1)} but "
                        f"{len(args)} {'was' if len(args) == 1 else 'were'} given")
    used, lists = 0, []
    for i, p in enumerate(sig):
        keyword = i >= len(args)
        if keyword:
            key = p.name if p.name in kwargs else dict(_NUMPY_NAMES).get(p.name)
            if key not in kwargs:
                if p.default:
                    continue
                if raise_:  # torch names every required one from here, its "s" only for one (its text)
                    missing = [q.name for q in sig[i:] if not q.default]
                    raise TypeError(f"{name}() missing {len(missing)} required positional argument"
                                    f"{'s' * (len(missing) == 1)}: " + ", ".join(f'"{m}"' for m in missing))
                return False
            v = kwargs[key]
            used += 1
        else:
            v = args[i]
        if (v is None and p.none) or _accepts(p.type, v, p.symint) or p.symint and _symint_index(v):
            if p.type in _INTS and (type(v) is int or p.type != "int" and isinstance(v, (list, tuple))):
                lists.append((p.name, v))
            continue
        if p.type == "Tensor[]" and isinstance(v, (list, tuple)):  # torch's parser raises here whenever it
            bad = next(j for j, a in enumerate(v) if not isinstance(a, Tensor))  # tries the signature
            raise TypeError(f"expected Tensor as element {bad} in argument {i}, but got {typename(v[bad])}")
        if not raise_:
            return False
        shown = _SHOWN.get(p.type, p.type)
        if keyword:
            raise TypeError(f"{name}(): argument '{p.name}' must be {shown}, not {typename(v)}")
        bad = (next((j for j, a in enumerate(v) if _element_type(p.type, a)), None)
               if p.type.endswith("]") and isinstance(v, (list, tuple)) else None)
        if bad is not None:
            raise TypeError(f"{name}(): argument '{p.name}' (position {i + 1 - method}) must be {shown}, but "
                            f"found element of type {typename(v[bad])} at pos {bad}")
        raise TypeError(f"{name}(): argument '{p.name}' (position {i + 1 - method}) must be {shown}, "
                        f"not {typename(v)}")
    if used < len(kwargs):
        if raise_:
            names = {p.name for p in sig} | {a for n, a in _NUMPY_NAMES if any(p.name == n for p in sig)}
            extra = next((k for k in kwargs if k not in names), None)
            if extra is None:  # a keyword naming an argument given by position: renorm(x, 2, 0, 1, dim=0)
                given = {p.name for p in sig[:len(args)]}
                twice = next(k for k in kwargs if {a: n for n, a in _NUMPY_NAMES}.get(k, k) in given)
                raise TypeError(f"{name}() got multiple values for argument '{twice}'")
            raise TypeError(f"{name}() got an unexpected keyword argument '{extra}'")
        return False
    for arg, v in lists:  # torch unpacks the ints of the signature it chose, once the call fits one
        if type(v) is int:
            check_long_long(v)
        else:
            _unpack_ints(name, arg, v)
    return True


def parse(name: str, sigs: list, args, kwargs, method: bool = False) -> None:
    """Raise torch's TypeError where the call fits none of ``sigs``, as torch's argument parser: one
    signature, or one that takes this many arguments, names the argument; else the types given."""
    if len(sigs) == 1:
        _match(name, sigs[0], args, kwargs, True, method)
        return
    if any(_match(name, sig, args, kwargs, False, method) for sig in sigs):
        return
    n = len(args) + len(kwargs)
    # (a method's signatures have no out=; a product's deprecated beta-first forms, addmm(beta, M, a, b),
    # are taken but never named in an error)
    from .common import SCALARS_FIRST
    hides = name.removesuffix("_") in SCALARS_FIRST
    plausible = [sig for sig in sigs if sig.required <= n <= len(sig) - (method and sig[-1].name == "out")
                 and not (hides and any(p.name == "beta" and not p.kw_only for p in sig))]
    if len(plausible) == 1:
        _match(name, plausible[0], args, kwargs, True, method)
    if ("Tensor." if method else "") + name not in _overloads():
        # torch's parser lists none (x.mm has one signature where torch.mm has two): the first one's words
        _match(name, sigs[0], args, kwargs, True, method)
    raise invalid_combination(name, args[1:] if method else args, kwargs, method)


def _type_fits(p: _Param, cls) -> bool:
    """Whether ``_accepts`` takes every value of type ``cls`` for ``p`` (False: some, or none); ``cls`` a
    tuple: a list or tuple's type and its elements' (``_kind``), which an int list takes where all are ints."""
    if type(cls) is tuple:
        return p.type in ("int[]", "int[1]") and all(e is int for e in cls[1:])
    if cls is type(None):
        return p.none
    ptype = p.type
    if ptype == "Tensor":
        return issubclass(cls, Tensor) or issubclass(cls, sparse_seam.TYPES)
    if ptype == "int":
        return cls is int
    if ptype in ("float", "Scalar"):
        return cls in (int, float, bool) or ptype == "Scalar" and cls is complex
    if ptype == "bool":
        return cls is bool
    if ptype == "str":
        return cls is str
    if ptype == "ScalarType":
        return issubclass(cls, dt.dtype)
    if ptype == "int[1]" and cls is int:  # one int where one goes (a reduction's dim): read as an int is
        return True
    return ptype not in _LISTS  # a list's elements are values; the other types _accepts does not check


_LISTS = ("Tensor[]", "int[]", "int[1]", "float[]", "Scalar[]")


def _types_fit(sig: _Signature, types: tuple, keywords: dict) -> bool:
    """Whether every call whose arguments have ``types`` and whose keywords' values have the types
    ``keywords`` (by name) fits ``sig``, whatever their values: what ``_match`` asks, by type."""
    if len(types) > sig.positional:
        return False
    used = 0
    for i, p in enumerate(sig):
        if i < len(types):
            cls = types[i]
        else:
            key = p.name if p.name in keywords else dict(_NUMPY_NAMES).get(p.name)
            if key not in keywords:
                if p.default:
                    continue
                return False
            cls = keywords[key]
            used += 1
        if not _type_fits(p, cls):
            return False
    return used == len(keywords)


def _parsed(fn, name: str):
    sigs = [_signature(text) for text in SIGNATURES[name]]
    # the argument types of calls that fit a signature whatever their values: such a call (most, once
    # a program runs) is one look-up, where the parse costs a microsecond or two; a new combination,
    # or one whose fit depends on the values (a list, a 0-d tensor for a number), is parsed
    fits = set()

    @functools.wraps(fn)
    def parsed(*args, **kwargs):
        key = _type_key(args, kwargs)
        if key not in fits:
            parse(name, sigs, args, kwargs)
            keywords = {k: type(v) for k, v in kwargs.items()}
            if any(_types_fit(sig, tuple(map(type, args)), keywords) for sig in sigs):
                _remember(fits, key)
        return fn(*args, **kwargs)

    return parsed


def _kind(v):
    """``v``'s type, or for a list or tuple its type and its elements' kinds (by which an int list fits); an
    int beyond a C long long is its own kind, which fits nothing (torch's parser refuses it unpacking)."""
    cls = type(v)
    if cls is int:
        return cls if LONG_LONG_MIN <= v <= LONG_LONG_MAX else v
    return (cls, *map(_kind, v)) if isinstance(v, (tuple, list)) else cls


def _type_key(args, kwargs) -> tuple:
    """The types of a call's arguments (and its keywords', by name): a key of the calls that fit."""
    key = tuple(map(type, args))
    return (key, *kwargs, *map(type, kwargs.values())) if kwargs else key


def _remember(fits: set, key) -> None:
    if len(fits) >= 256:  # bounded: a few combinations per function in any program
        fits.clear()
    fits.add(key)


# the reductions and dim ops on every step's path: their signatures are read for a None flag (_bad_flag)
# and once a call failed (_parse_on_failure), never parsed per call (issue 13's per-op cost)
_FLAGS_ONLY = {"sum", "prod", "amax", "amin", "any", "all", "argmax", "argmin", "softmax", "log_softmax",
               "squeeze", "unbind", "cat", "concat", "stack", "transpose", "unsqueeze", "permute"}


def _parsed_per_call(name: str, method: bool, prefix: str) -> bool:
    """Whether ``install`` parses each call of ``name`` against torch's signatures (_parsed)."""
    return not method and not prefix and name in SIGNATURES and name not in _FLAGS_ONLY


def parse_out_call(name: str, args, kwargs) -> None:
    """torch's parse of a call of ``name`` with ``out=`` (in ``kwargs``), for the functions parsed per call:
    the out= wrapper (ops/outarg.py) is outside that parse, which would see the call without it."""
    if _parsed_per_call(name, False, ""):
        parse(name, _signatures(name, False), args, kwargs)


def out_refused(fn, name: str, args, kwargs, out, results: int | None = None,
                error: TypeError | None = None) -> TypeError:
    """torch's parser's TypeError for a call of ``name`` (``fn``) given an ``out`` it cannot take: no Tensor,
    a list where one Tensor goes, one Tensor or another count (``results``: the call's, where it ran) where
    a tuple goes; or, with ``error`` (what the call without out raised), a call refused for its other
    arguments, where torch's words count out among them. Its signatures' words where the table has them;
    for a function of one signature, an argument left out first, then out's type; else the invalid
    combination. On the failure path only: the table's functions are parsed per call, and adding one would
    cost each of its calls."""
    from . import return_types  # (read on an error only)

    given = {**kwargs, "out": out}
    # a function whose out is a torch.return_types tuple (its table types that out "Tensor", as the stub)
    several = hasattr(return_types, name) if results is None else results > 1
    if several and isinstance(out, (tuple, list)) and all(isinstance(o, Tensor) for o in out) and results:
        return TypeError(f"expected tuple of {results} elements but got {len(out)}")
    if name in SIGNATURES and not several:
        parse(name, _signatures(name, False), args, given)  # (raises: it fits none)
    if name in _overloads():
        refused = _several_refuse(name, args, given, False)
        n = len(args) + len(given)
        # (where one of its signatures takes that many arguments, its parser names the one it cannot take)
        if "invalid combination" not in str(refused) or sum(
                low <= n <= high for low, high, *_ in map(_option_counts, _overloads()[name])) != 1:
            return refused
    try:
        inspect.signature(fn).bind(*args, **kwargs)
    except TypeError:
        try:  # (Python's own words, which the binding's lack: refused before the body runs)
            fn(*args, **kwargs)
        except TypeError as e:
            return missing_argument(name, fn, args, kwargs, e)
    if error is not None:
        return error
    return must_be(name, "out", "tuple of Tensors" if several else "Tensor", out)


def _python_level(fn, checked):
    """A method torch writes in Python over its binding (``Tensor.unflatten``): a call its Python signature
    refuses is Python's own TypeError ("Tensor.unflatten() missing 1 required positional argument"), worded
    by the interpreter from ``fn``'s ``__qualname__``; any other call is ``checked`` as the binding parses."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def method(*args, **kwargs):
        try:
            signature.bind(*args, **kwargs)
        except TypeError:
            return fn(*args, **kwargs)  # raises it
        return checked(*args, **kwargs)
    return method


def install(namespace, names, method: bool = False, prefix: str = "") -> None:
    """Wrap the functions ``names`` of ``namespace`` (a module's dict, or a class for methods)
    with PyTorch's argument checks, in place. ``prefix`` ("F.") keys the tables above; a torch-level
    function with a signature in ops/signatures.py is parsed against it first."""
    for name in names:
        fn = namespace.get(name) if isinstance(namespace, dict) else getattr(namespace, name, None)
        if not inspect.isfunction(fn):
            continue
        given = fn
        if prefix == "F." and name in F_FORWARDS:  # inside the input check, which torch's Python makes first
            fn = _f_forwarded(fn, name)
        wrapped = _checked(fn, name.rstrip("_") if method else name, method, prefix, name)
        if _parsed_per_call(name, method, prefix):
            wrapped = _parsed(wrapped, name)
        if prefix == "F." and name in F_BUILTINS:
            wrapped = _f_builtin(wrapped, name)
        if getattr(given, "python_level", False):
            wrapped = _python_level(given, wrapped)
        if wrapped is given and (method and _may_miss(fn, name) or _arity_worded(fn, name, method, prefix)):
            wrapped = _missing_worded(fn, name, method, prefix or "torch.")
        if wrapped is given:
            continue
        if isinstance(namespace, dict):
            namespace[name] = wrapped
        else:
            setattr(namespace, name, wrapped)


# methods no check wraps that every training step calls (the optimizers' updates, gradient clipping): a
# call leaving an argument out keeps Python's words, where a wrapper for torch's would cost each call
_PER_STEP_METHODS = frozenset(
    "addcmul addcmul_ addcdiv addcdiv_ clamp_min clamp_min_ clamp_max clamp_max_".split())


def _may_miss(fn, name: str) -> bool:
    """Whether method ``fn`` has a required argument besides self that torch's parser would name (never a
    private one: torch words no call of pyfront's internals, and _view/_assign run on every view and
    write)."""
    if name.startswith("_") or name in _PER_STEP_METHODS or name in _WRITTEN_IN_PYTHON:
        return False
    params = list(inspect.signature(fn).parameters.values())[1:]
    return any(p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)


def _arity_worded(fn, name: str, method: bool, prefix: str) -> bool:
    """Whether ``fn``, no check wrapping it, needs a wrapper for torch's words for a call with too many
    arguments or an unknown keyword (ops/arity.py): not an elementwise op's planned entry (``per_op``: issue
    13's per-op cost), nor a per-step method, nor one of torch's Python functions worded as Python's."""
    key = ("Tensor." if method else prefix or "torch.") + name
    return key in ARITY and not getattr(fn, "per_op", False) and name not in _PER_STEP_METHODS and \
        not (method and name in _PER_STEP_QUERIES)


# the Tensor methods pyfront's own layers call on every training step (nn.Linear, cross_entropy, the
# autograd engine's clone of a leaf's gradient, the optimizers): no wrapper for their refused calls' words
_PER_STEP_QUERIES = frozenset("size dim numel item detach t view reshape contiguous is_contiguous clone to "
                              "zero_ detach_ fill_ float is_floating_point is_complex element_size backward"
                              .split())


def _missing_worded(fn, name: str, method: bool = True, prefix: str = "torch."):
    """``fn`` with torch's words for an argument left out, too many or an unknown keyword
    (``missing_argument``)."""
    @functools.wraps(fn)
    def worded(*args, **kwargs):
        try:  # (free where nothing is raised)
            return fn(*args, **kwargs)
        except TypeError as e:
            if method and (worded := call_worded(name, fn, e, kwargs, True)) is not e:
                raise worded from None
            if (torchs := missing_argument(name, fn, args, kwargs, e, method, prefix)) is e:
                raise
            raise torchs from None
    return worded


# torch.nn.functional's functions that run on every training step: their valid calls pay nothing for
# the check (a parse costs microseconds); a call that fails anywhere is parsed then, for torch's error
_PER_STEP = {"linear", "conv1d", "conv2d", "conv3d"}


def _f_builtin(fn, name: str):
    """``fn`` checked against the signature of the C++ function torch's F.``name`` is."""
    key = F_BUILTINS[name]
    shown, sigs = key.removeprefix("_nn."), [_signature(text) for text in SIGNATURES[key]]
    if name not in _PER_STEP:
        @functools.wraps(fn)
        def parsed(*args, **kwargs):
            parse(shown, sigs, args, kwargs)
            return fn(*args, **kwargs)
        return parsed

    @functools.wraps(fn)
    def parsed_on_failure(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception:
            try:
                parse(shown, sigs, args, kwargs)
            except TypeError as e:
                raise e from None
            raise
    return parsed_on_failure


# F functions whose Python reads input.size() before the C++ call, when this argument is true
_SIZE_FIRST = {"batch_norm": "training", "instance_norm": "use_input_stats"}


def _f_forwarded(fn, name: str):
    """``fn`` checked as torch's Python F.``name`` hands its arguments on to a C++ function."""
    params = inspect.signature(fn).parameters
    defaults = {n: p.default for n, p in params.items() if p.default is not p.empty}
    targets = [(key.removeprefix("_nn."), [_signature(text) for text in SIGNATURES[key]])
               for key in F_FORWARDS[name]]
    size_first = _SIZE_FIRST.get(name)
    required = {n for n, p in params.items() if p.default is p.empty and p.kind is p.POSITIONAL_OR_KEYWORD}
    positional = sum(p.kind is p.POSITIONAL_OR_KEYWORD for p in params.values())
    any_keyword = any(p.kind is p.VAR_KEYWORD for p in params.values())
    # the argument types of calls whose handed-on arguments fit the one target whatever their values, as
    # _parsed keeps them: such a call (a layer's, every step) is one look-up, not a parse; a function whose
    # target depends on a flag's value (return_indices, inplace) is parsed per call
    fits = set() if len(targets) == 1 else None

    @functools.wraps(fn)
    def forwarded(*args, **kwargs):
        if fits is not None:  # (a list's elements' types too: a shape, layer_norm's, is given every call)
            key = (*map(_kind, args), *kwargs, *map(_kind, kwargs.values()))
            if key in fits:
                return fn(*args, **kwargs)
        # too many arguments or an unknown keyword: Python's refusal of torch's Python function comes first
        if len(args) > positional or not any_keyword and not kwargs.keys() <= params.keys():
            return fn(*args, **kwargs)  # (raises it, which argcheck words as torch's)
        given = {**defaults, **dict(zip(params, args)), **kwargs}
        if size_first and given.get(size_first) and not isinstance(given.get("input"), Tensor):
            if not required <= given.keys():  # an argument left out: Python's words first, as torch's
                return fn(*args, **kwargs)
            raise AttributeError(f"'{typename(given.get('input'))}' object has no attribute 'size'")
        shown, sigs = targets[-1] if given.get("return_indices") or given.get("inplace") else targets[0]
        handed = _handed_on(sigs[0], given)
        try:
            parse(shown, sigs, handed, {})
        except TypeError:
            if not required <= given.keys():  # (as above)
                return fn(*args, **kwargs)
            raise
        if fits is not None and any(_types_fit(sig, tuple(map(_kind, handed)), {}) for sig in sigs):
            _remember(fits, key)
        return fn(*args, **kwargs)
    return forwarded


def _handed_on(sig: _Signature, given: dict) -> list:
    """The positional arguments of ``sig`` as torch's Python code passes them (a flag the Python
    function lacks, cudnn_enabled, as True)."""
    out = []
    for p in sig:
        if p.name not in given:
            if p.type != "bool":
                break
            out.append(True)
            continue
        out.append(given[p.name])
    return out

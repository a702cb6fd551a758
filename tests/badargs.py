"""Wrong arguments, generated: every argument of a valid call replaced by values of the wrong kind.

A function's valid calls (its bases) are the op table's samples (the first, and each later one
that passes an argument no earlier one did) or, for functions the op table cannot run, the rows
of ``EXTRA`` below. Each argument of a base, and each parameter of pyfront's signature the base
leaves out, is replaced in turn by the values of ``wrong_values`` for its kind: None, a string, a
list, a float where an int goes, negative sizes, zero, nan/inf, a bool, a tensor of another
dtype or shape. torch is the oracle of every call: its exception (type and text) or its value.
"""
from __future__ import annotations

import inspect
import math
import warnings
from dataclasses import dataclass, replace

import numpy as np
import torch

import pyfront
from optable import _resolve, assert_same, build, entries, torch_text, warns_as
from pyfront.ops.samples import T, s


@dataclass(frozen=True)
class D:
    """A dtype argument, by name (torch's or pyfront's object)."""
    name: str


# parameters this test leaves alone: out= has its own tests (test_out.py), the placement ones name no data
SKIPPED = {"out", "device", "layout", "pin_memory", "memory_format", "generator", "requires_grad"}
# functions whose results are random: their shapes and dtypes are compared, not their values
RANDOM = {"dropout", "dropout_", "alpha_dropout", "alpha_dropout_", "feature_alpha_dropout",
          "feature_alpha_dropout_", "rrelu", "rrelu_", "nn.functional.dropout", "nn.functional.alpha_dropout",
          "nn.functional.rrelu", "nn.functional.dropout1d", "nn.functional.dropout2d",
          "nn.functional.dropout3d", "nn.functional.feature_alpha_dropout", "empty_strided"}

_I = dict(dtype="int64")
# valid calls of the functions the op table does not run: name -> list of (args, kwargs)
EXTRA = {
    "range": [s(0, 3), s(0.5, 3.5, 0.5), s(0, 4, 2, dtype=D("int64"))],
    "arange": [s(0, 3), s(0.5, 3.5, 0.5)],
    "linspace": [s(0, 1, 5)],
    "logspace": [s(0, 1, 5, 2.0)],
    "full": [s((2, 3), 1.5), s((2,), 7, dtype=D("uint8"))],
    "hann_window": [s(5), s(4, False)], "hamming_window": [s(5, True, 0.5, 0.4)],
    "blackman_window": [s(5), s(5, dtype=D("float16")), s(6, dtype=D("float64"))],
    "bartlett_window": [s(5)], "kaiser_window": [s(5, True, 8.0)],
    "empty_strided": [s((2, 3), (3, 1))],
    "tril_indices": [s(3, 4, 1)], "triu_indices": [s(3, 4, -1)],
    "unravel_index": [s(T((3,), low=0, high=12, **_I), (3, 4))],
    "broadcast_shapes": [s((2, 1), (3,))],
    "hsplit": [s(T((4, 6)), 3)], "vsplit": [s(T((4, 3)), 2)], "dsplit": [s(T((2, 2, 4)), [1])],
    "trapz": [s(T((3, 4)), T((3, 4)), dim=1), s(T((3, 4)), dx=0.5)],
    "matrix_power": [s(T((3, 3)), 2)], "matrix_exp": [s(T((3, 3)))],
    "row_stack": [s([T((2,)), T((2,))])],
    "adjoint": [s(T((2, 3)))],
    "set_num_threads": [s(1)],
    "set_flush_denormal": [s(False)],
    "is_same_size": [s(T((2, 3)), T((2, 3)))], "is_signed": [s(T((2,)))], "get_device": [s(T((2,)))],
    "dropout": [s(T((3, 4)), 0.5, False)], "dropout_": [s(T((3, 4)), 0.0, True)],
    "alpha_dropout": [s(T((3, 4)), 0.5, False)], "feature_alpha_dropout": [s(T((2, 3, 4)), 0.5, False)],
    "selu": [s(T((3, 4)))], "celu": [s(T((3, 4)), 0.7)], "threshold": [s(T((3, 4)), 0.1, 20.0)],
    "layer_norm": [s(T((2, 3, 4)), [3, 4], T((3, 4)), T((3, 4)), 1e-5, False)],
    "group_norm": [s(T((2, 4, 3)), 2, T((4,)), T((4,)), 1e-5, True)],
    "batch_norm": [s(T((4, 3, 2)), T((3,)), T((3,)), T((3,)), T((3,), low=0.5, high=2), True, 0.1, 1e-5,
                     False)],
    "instance_norm": [s(T((2, 3, 5)), T((3,)), T((3,)), None, None, True, 0.1, 1e-5, False)],
    "embedding": [s(T((5, 3)), T((2, 2), low=0, high=5, **_I))],
    "max_pool1d": [s(T((1, 2, 9)), 3, 1, 1, 1, True)], "max_pool2d": [s(T((1, 2, 6, 6)), 3, 2, 1)],
    "max_pool1d_with_indices": [s(T((1, 2, 9)), 2)], "adaptive_max_pool1d": [s(T((1, 2, 9)), 4)],
    "constant_pad_nd": [s(T((2, 3)), [1, 2, 0, 1], 1.5)],
    "kl_div": [s(T((3, 4)), T((3, 4), low=0.1, high=1), 1)],
    "margin_ranking_loss": [s(T((5,)), T((5,)), T((5,)), 0.5, 1)],
    "hinge_embedding_loss": [s(T((5,)), T((5,)), 0.5, 0)],
    "triplet_margin_loss": [s(T((3, 4)), T((3, 4)), T((3, 4)), 1.0, 2.0, 1e-6, False, 1)],
    "poisson_nll_loss": [s(T((3, 4)), T((3, 4), low=0, high=3), True, False, 1e-8, 1)],
    "binary_cross_entropy_with_logits": [s(T((3, 4)), T((3, 4), low=0, high=1), T((4,)), T((4,)), 1)],
    "cosine_embedding_loss": [s(T((4, 5)), T((4, 5)), T((4,), low=-1, high=1, **_I), 0.2, 1)],
    "native_layer_norm": [s(T((2, 3, 4)), [3, 4], T((3, 4)), T((3, 4)), 1e-5)],
    "rrelu": [s(T((3, 4)), 0.1, 0.3, False)],
    "channel_shuffle": [s(T((2, 6, 2)), 3)], "native_channel_shuffle": [s(T((1, 4, 3, 2)), 2)],
    "pdist": [s(T((5, 3)), 2.0)],
    "alpha_dropout_": [s(T((3, 4)), 0.3, False)], "feature_alpha_dropout_": [s(T((2, 3, 4)), 0.3, False)],
    "celu_": [s(T((3, 4)), 0.7)], "selu_": [s(T((3, 4)))], "threshold_": [s(T((3, 4)), 0.1, 20.0)],
    "rrelu_": [s(T((3, 4)), 0.1, 0.3, False)], "fix": [s(T((3, 4)))], "isreal": [s(T((3, 4)))],
    "positive": [s(T((3, 4)))], "hardshrink": [s(T((3, 4)), 0.7)],
    "conv1d": [s(T((2, 3, 7)), T((4, 3, 3)), T((4,)), 2, 1)],
    "conv2d": [s(T((1, 2, 5, 5)), T((3, 2, 3, 3)), None, 1, 1, 1, 1)],
    "conv_transpose1d": [s(T((1, 2, 5)), T((2, 3, 3)), None, 2, 1, 1)],
    "conv_transpose2d": [s(T((1, 2, 4, 4)), T((2, 3, 3, 3)))],
    "bilinear": [s(T((4, 3)), T((4, 2)), T((5, 3, 2)), T((5,)))],
    "pixel_shuffle": [s(T((1, 8, 2, 3)), 2)], "pixel_unshuffle": [s(T((1, 2, 4, 6)), 2)],
    "cosine_similarity": [s(T((4, 5)), T((4, 5)), 1, 1e-8)],
    "pairwise_distance": [s(T((4, 5)), T((4, 5)), 3.0, 1e-6, True)],
    "prelu": [s(T((2, 3, 4)), T((3,)))], "avg_pool1d": [s(T((1, 2, 9)), 3, 2, 1, True, False)],
    "adaptive_avg_pool1d": [s(T((1, 2, 9)), 4)], "rms_norm": [s(T((2, 3, 4)), [4], T((4,)), 1e-5)],
    "nn.functional.dropout": [s(T((3, 4)), 0.5, False)], "nn.functional.alpha_dropout": [s(T((3, 4)), 0.5)],
    "nn.functional.rrelu": [s(T((3, 4)), 0.1, 0.3, False)],
}


def _kind(v) -> str:
    if isinstance(v, T):
        return "tensor"
    if isinstance(v, D):
        return "dtype"
    if isinstance(v, (list, tuple)):
        if v and all(isinstance(a, T) for a in v):
            return "tensors"
        return "ints" if all(isinstance(a, int) and not isinstance(a, bool) for a in v) else "list"
    for cls in (bool, int, float, str):
        if isinstance(v, cls):
            return cls.__name__
    return "optional" if v is None else "other"


def wrong_values(v) -> dict:
    """Wrong replacements for the argument ``v`` of a valid call, by label."""
    kind = _kind(v)
    common = {"none": None, "str": "x"}
    nums = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
    if kind == "tensor":
        other = {"float32": "int64", "bool": "int64"}.get(v.dtype, "float32")
        return {**common, "list": [1.0, 2.0], "float": 1.5, "bool": True, "int": 2,
                f"tensor_{other}": replace(v, dtype=other, low=None, high=None),
                "tensor_bool": replace(v, dtype="bool"), "tensor_0d": T((), v.dtype),
                "tensor_extra_dim": replace(v, shape=(*v.shape, 2), layout="contiguous"),
                "tensor_empty": T((0,), v.dtype)}
    if kind == "tensors":
        return {**common, "tensor": v[0], "list_with_none": [v[0], None], "list_with_str": [v[0], "x"],
                "empty": []}
    if kind == "int":
        return {**common, "list": [1], "float": 1.5, "int_float": float(v), "-1": -1, "-100": -100, "0": 0,
                "100": 100, **nums, "bool": True, "tensor_int": T((), "int64"), "tensor_float": T(())}
    if kind == "float":
        return {**common, "list": [0.5], "-1.0": -1.0, "0.0": 0.0, "1.5": 1.5, "100.0": 100.0, **nums,
                "bool": True, "int": 2, "tensor": T(()), "tensor_1d": T((2,))}
    if kind == "bool":
        return {**common, "int": 1, "2": 2, "float": 0.5, "list": [True], "tensor": T((), "bool")}
    if kind == "str":
        return {"none": None, "int": 1, "bogus": "bogus", "empty": ""}
    if kind in ("ints", "list"):
        return {**common, "float": 1.5, "empty": (), "negative": (-1,) * max(len(v), 1),
                "float_items": tuple(float(a) if isinstance(a, int) else a for a in v) or (1.5,),
                "str_items": ("x",) * max(len(v), 1), "nan": math.nan}
    if kind == "dtype":
        return {"str": "float32", "int": 3, "none": None}
    # a parameter the base leaves at its default of None: a tensor-or-number-or-size
    return {"str": "x", "list": [1.0, 2.0], "float": 1.5, "-1": -1, "bool": True, "nan": math.nan,
            "tensor_0d": T(()), "tensor_2d_int": T((2, 2), "int64")}


def _default_kind_value(p):
    """The value whose wrong replacements a parameter left out gets: its default."""
    if p.default is p.empty:
        return None
    return p.default if not isinstance(p.default, (pyfront.dtype,)) else D(str(p.default).split(".")[1])


def _lib_value(v, lib, i):
    if isinstance(v, D):
        return getattr(lib, v.name)
    if isinstance(v, (list, tuple)) and any(isinstance(a, (T, D)) for a in v):
        return type(v)(_lib_value(a, lib, i) for a in v)
    return v


def _build(v, domain, rng, device):
    """(pyfront value, torch value) of a sample value: tensors built without autograd (in-place
    functions run on them), also inside lists."""
    if isinstance(v, T):
        p, t = build(replace(v, grad=False), domain, rng, device)[:2]
        return p, t
    if isinstance(v, (list, tuple)) and any(isinstance(a, T) for a in v):
        pairs = [_build(a, domain, rng, device) for a in v]
        return type(v)(a for a, _ in pairs), type(v)(b for _, b in pairs)
    return _lib_value(v, pyfront, 0), _lib_value(v, torch, 1)


def _norm(value):
    """A result in a comparable form (tensors stay, for assert_same)."""
    if isinstance(value, (torch.Size, pyfront.Size)):
        return ("Size", tuple(value))
    if isinstance(value, (pyfront.dtype, torch.dtype)):
        return str(value)
    return value


def _outcome(fn, args, kwargs):
    try:
        return "ok", _norm(fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - the exception is the outcome compared
        return type(e), torch_text(e)


def _same_value(p, t, random):
    if isinstance(t, (tuple, list)) and not isinstance(t, torch.Size):
        if not isinstance(p, (tuple, list)) or len(p) != len(t):
            return f"{type(p).__name__} where torch returns {type(t).__name__}"
        return next((m for m in (_same_value(a, b, random) for a, b in zip(p, t)) if m), None)
    if isinstance(t, torch.Tensor):
        if not isinstance(p, pyfront.Tensor):
            return f"{type(p).__name__} where torch returns a Tensor"
        if random:
            p_meta, t_meta = (tuple(p.shape), str(p.dtype)), (tuple(t.shape), str(t.dtype))
            return None if p_meta == t_meta else f"{p_meta} where torch returns {t_meta}"
        try:
            assert_same(p, t, signed_zeros=True)
        except AssertionError as e:
            return str(e).split("\n")[0]
        return None
    same = p == t or (isinstance(t, float) and isinstance(p, float) and math.isnan(t) and math.isnan(p))
    return None if same and type(p) is type(t) else f"{p!r} where torch returns {t!r}"


def compare(name, args, kwargs, domain, device="cpu"):
    """None where pyfront's outcome of the call is torch's, else what differs."""
    rng = np.random.default_rng(0)
    built = [_build(a, domain, rng, device) for a in args]
    kw = {k: _build(v, domain, rng, device) for k, v in kwargs.items()}
    with warnings.catch_warnings(record=True) as t_warned:
        warnings.simplefilter("always")
        expected = _outcome(_resolve(torch, name), [b[1] for b in built], {k: v[1] for k, v in kw.items()})
    try:
        with warns_as(t_warned):
            got = _outcome(_resolve(pyfront, name), [b[0] for b in built], {k: v[0] for k, v in kw.items()})
    except AssertionError as e:  # a warning torch gives and pyfront does not
        return str(e)
    except Warning as w:  # a warning pyfront gives and torch does not
        return f"warns {type(w).__name__}: {w}"
    if expected[0] != "ok" or got[0] != "ok":
        if got == expected:
            return None
        def show(outcome):
            kind = "returns" if outcome[0] == "ok" else outcome[0].__name__
            return f"{kind} {str(outcome[1])[:160]!r}"
        return f"{show(got)} where torch {show(expected)}"
    return _same_value(got[1], expected[1], name in RANDOM)


def bases(names=None):
    """name -> (valid calls, domain) for the op table's entries and EXTRA's rows."""
    out = {}
    for _, torch_name, samples, domain, _ in entries(edge=False):
        if torch_name.startswith("Tensor.") or (names is not None and torch_name not in names):
            continue
        chosen, seen = [], set()
        for args, kwargs in samples:
            new = {*range(len(args)), *kwargs} - seen
            if new:
                chosen.append((args, kwargs))
                seen |= new
        out.setdefault(torch_name, (chosen, domain))
    for name, rows in EXTRA.items():
        if names is None or name in names:
            out[name] = (rows, (None, None))
    return out


def cases(name, rows):
    """(label, args, kwargs) of every wrong call derived from ``rows``, the valid calls of ``name``."""
    try:
        params = list(inspect.signature(_resolve(pyfront, name)).parameters.values())
    except (TypeError, ValueError):
        params = []
    out = {}
    for k, (args, kwargs) in enumerate(rows):
        out[f"valid#{k}"] = (args, kwargs)  # the valid call itself: its value must be torch's too
        if params and params[0].kind == params[0].VAR_POSITIONAL and args:
            out.setdefault("*tensors=one_list", ([list(args)], kwargs))  # f([a, b]) for f(a, b)
            out.setdefault("*tensors=one_tuple", ((tuple(args),), kwargs))
        for i, a in enumerate(args):
            named = i < len(params) and params[i].kind != params[i].VAR_POSITIONAL
            pname = params[i].name if named else f"#{i}"
            if pname in SKIPPED:
                continue
            for label, w in wrong_values(a).items():
                out.setdefault(f"{pname}={label}", (tuple(args[:i]) + (w,) + tuple(args[i + 1:]), kwargs))
        for k, a in kwargs.items():
            if k in SKIPPED:
                continue
            for label, w in wrong_values(a).items():
                out.setdefault(f"{k}={label}", (args, {**kwargs, k: w}))
        given = {p.name for p in params[:len(args)]} | set(kwargs)
        for p in params:
            if p.name in given | SKIPPED or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.POSITIONAL_ONLY):
                continue
            for label, w in wrong_values(_default_kind_value(p)).items():
                out.setdefault(f"{p.name}={label}", (args, {**kwargs, p.name: w}))
    return out


def scope() -> set:
    """The functions added last stop (the arrays, statistics and elementary composites, the
    factories, process settings and torch-level functional aliases) and the special functions."""
    import pyfront.functional_aliases as aliases
    from pyfront import process
    from pyfront.ops import factories
    from pyfront.ops.composite import arrays, elementary, statistics
    from pyfront.ops.registry import OPS

    def own(module):
        return {n for n, v in vars(module).items()
                if inspect.isfunction(v) and not n.startswith("_") and v.__module__ == module.__name__}
    names = set().union(*(m.__all__ for m in (arrays, statistics, elementary)), aliases.SAME,
                        own(aliases), own(process), own(factories))
    special = ("asinh acosh atanh sinc erfc erfinv lgamma digamma polygamma i0 special.i1 special.i0e "
               "special.i1e logit special.entr xlogy special.xlog1py hypot logaddexp logaddexp2 nextafter "
               "gcd lcm").split()
    names |= {op.torch_name for op in OPS.values() if op.torch_name in special}
    return names | {"range", "arange", "linspace", "logspace", "full"}

"""Ints past int64 or a C int where torch reads an int: its parser's overflow (a C long long), its own int64
or C int arithmetic wrapping (a slice's or arange's count, a padded size, a transposed convolution's stride),
or its result's bytes refused before anything is computed, each in torch's words."""
from __future__ import annotations

import itertools
import warnings

import torch

import pyfront

HUGE = (2 ** 63 - 1, 2 ** 63, -2 ** 63 - 1, 2 ** 64)
C_INT = (2 ** 31, 2 ** 32, -2 ** 31 - 1)  # (only where no tensor of that many elements is made)


def _conv_t(nd):
    return lambda L, v: getattr(L.nn.functional, f"conv_transpose{nd}d")(
        L.zeros((1, 1) + (4,) * nd), L.zeros((1, 1) + (2,) * nd), stride=(v,) + (1,) * (nd - 1))


def _interpolate(mode, nd):
    return lambda L, v: L.nn.functional.interpolate(L.zeros((1, 1) + (4,) * nd), size=(v,) + (2,) * (nd - 1),
                                                    mode=mode)


# what reads the int -> (the call, the values given it)
CALLS = {
    "x[::v]": (lambda L, v: L.zeros(4)[::v], HUGE + C_INT[:2]),
    "x[1::v]": (lambda L, v: L.zeros(4, 3)[1::v], HUGE),
    "x.t()[:, ::v]": (lambda L, v: L.zeros(4, 3).t()[:, ::v], HUGE + (2 ** 62,)),
    "x[v:]": (lambda L, v: L.zeros(4)[v:], HUGE),
    "split": (lambda L, v: L.zeros(4).split(v), HUGE + C_INT),
    "chunk": (lambda L, v: L.zeros(4).chunk(v), HUGE + C_INT),
    "unfold(size)": (lambda L, v: L.zeros(4).unfold(0, v, 1), HUGE + C_INT),
    "unfold(step)": (lambda L, v: L.zeros(4).unfold(0, 2, v), HUGE + C_INT),
    "randint(high)": (lambda L, v: L.randint(v, (2,)), HUGE),
    "randint(low, low + 5)": (lambda L, v: L.randint(v, v + 5, (2,)), HUGE),
    "multinomial": (lambda L, v: L.ones(4).multinomial(v), HUGE + C_INT),
    "manual_seed": (lambda L, v: L.Generator().manual_seed(v).initial_seed(), HUGE),
    "arange(v)": (lambda L, v: L.arange(v), HUGE[1:]),
    "arange(v, v + 2)": (lambda L, v: L.arange(v, v + 2), HUGE),
    "arange(0, 10, v)": (lambda L, v: L.arange(0, 10, v), HUGE),
    "linspace": (lambda L, v: L.linspace(0, 1, v), HUGE),
    "logspace": (lambda L, v: L.logspace(0, 1, v), HUGE),
    "one_hot": (lambda L, v: L.nn.functional.one_hot(L.tensor([0, 1]), v), HUGE),
    "pad": (lambda L, v: L.nn.functional.pad(L.zeros(4), (v, 0)), HUGE + (2 ** 62,)),
    "pad(0, 0, v, 1)": (lambda L, v: L.nn.functional.pad(L.zeros(3, 4), (0, 0, v, 1)), HUGE),
    **{f"pad(value) {d}": (lambda L, v, d=d: L.nn.functional.pad(L.zeros(2, dtype=getattr(L, d)), (1, 0),
                                                                  value=v).tolist(), HUGE + C_INT)
       for d in ("bool", "int64", "int32", "float32")},
    **{f"conv_transpose{nd}d(stride)": (_conv_t(nd), (2 ** 63 - 1,) + C_INT[:2]) for nd in (1, 2, 3)},
    **{f"interpolate {mode} {nd}d": (_interpolate(mode, nd), HUGE + (-1,)) for mode, nd in (
        ("nearest", 1), ("nearest-exact", 2), ("linear", 1), ("bilinear", 2), ("bicubic", 2),
        ("trilinear", 3))},
}


def _outcome(f, lib, v):
    """The result's shape and dtype (or a plain value), or the error (its first line: torch's parser goes on
    with a C++ backtrace), and the warnings given."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            r = f(lib, v)
        except Exception as e:
            r = f"{type(e).__name__}: {(str(e).splitlines() or [''])[0]}"
        else:
            if isinstance(r, (tuple, list)) and r and hasattr(r[0], "shape"):
                r = [tuple(t.shape) for t in r]
            elif hasattr(r, "shape"):
                r = (tuple(r.shape), tuple(r.stride()), str(r.dtype).split(".")[-1])
    return r, [str(w.message) for w in caught]


def test_huge_ints_as_torch():
    found = {}
    for (name, (f, values)) in CALLS.items():
        for v in values:
            theirs, ours = _outcome(f, torch, v), _outcome(f, pyfront, v)
            if ours != theirs:
                found[name, v] = (ours, theirs)
    assert not found, "\n".join(f"{k}: {o} vs torch {t}" for k, (o, t) in itertools.islice(found.items(), 8))


def _raised(call):
    try:
        call()
        return "computed"
    except Exception as e:  # noqa: BLE001 (the outcome compared is torch's exception)
        return f"{type(e).__name__}: {e}"


def test_adaptive_pools_refuse_a_result_too_large_before_computing():
    """An output size whose result overflows int64 (the average pools' element count, every pool's bytes):
    torch's words at once, where pyfront computed windows for hours (interpolate's area mode too)."""
    outcomes = {}
    for L in (torch, pyfront):
        F = L.nn.functional
        for nd, v in itertools.product((1, 2, 3), (2 ** 31, 2 ** 40, 2 ** 62)):
            if nd == 1 and v < 2 ** 62:  # (torch computes these, or asks the allocator)
                continue
            x, size = L.ones((1, 2) + (4,) * nd), (v,) * nd
            for name, call in (("avg", getattr(F, f"adaptive_avg_pool{nd}d")),
                               ("max", getattr(F, f"adaptive_max_pool{nd}d")),
                               ("area", lambda x, s: F.interpolate(x, size=s, mode="area"))):
                outcomes.setdefault((nd, v, name), []).append(_raised(lambda: call(x, size)))
        # one huge dim: a result no machine holds (a terabyte or more), refused by the allocator first
        for name, call in (("avg 2x1", lambda: F.adaptive_avg_pool2d(L.ones(1, 1, 4, 4), (2 ** 40, 1))),
                           ("max 1x2", lambda: F.adaptive_max_pool2d(L.ones(1, 1, 4, 4), (1, 2 ** 40))),
                           ("avg 1d", lambda: F.adaptive_avg_pool1d(L.ones(1, 1, 4), 2 ** 40)),
                           ("area", lambda: F.interpolate(L.ones(1, 1, 4, 4), size=(2 ** 40, 1), mode="area"))):
            outcomes.setdefault(name, []).append(_raised(call))
    assert {k: o for k, o in outcomes.items() if o[0] != o[1]} == {}


def test_arange_int64_float_bounds_past_int64():
    """An int64 arange's float bounds checked as torch converts them (against int64's limits as doubles:
    1e19 refused, 2.0**63 passing on to the size check), where only int bounds were."""
    cases = [(0, 1e19, 1e18), (-1e19, 0, 1e18), (0.0, 9.3e18, 1e18), (0, 9.2e18, 1e18), (0.0, 2.0 ** 63, 1e18),
             (-2.0 ** 63, 0, 2e18), (0, 5.5, 1.5)]
    def outcomes(L):
        return [_raised(lambda: L.arange(*c, dtype=L.int64)[:2].tolist()) for c in cases]

    assert outcomes(pyfront) == outcomes(torch)


# torch's SymInt reads an int below -2**62 as a symbolic size: a size, stride or padding list holding one is
# refused where the op is registered (that place named), before any check of the op's own
SYMBOLIC = (-2 ** 63, -2 ** 62 - 1, -2 ** 62)
SYMBOLIC_CALLS = {
    **{name: (lambda L, v, name=name: getattr(L, name)(v))
       for name in ("empty", "ones", "rand", "randn", "zeros")},
    "full": lambda L, v: L.full((v,), 1.0),
    "randint(high)": lambda L, v: L.randint(3, (v,)),
    "randint(low, high)": lambda L, v: L.randint(0, 3, (v,)),
    "empty_strided(size)": lambda L, v: L.empty_strided((v,), (1,)),
    "empty_strided(stride)": lambda L, v: L.empty_strided((2,), (v,)),
    **{f"x.{name}": (lambda L, v, name=name: getattr(L.ones(1, 1, 5), name)(v))
       for name in ("new_empty", "new_zeros", "new_ones", "view", "reshape", "resize_", "roll")},
    "x.new_full": lambda L, v: L.ones(2).new_full((v,), 1),
    "x.view(v, 5)": lambda L, v: L.ones(1, 1, 5).view(v, 5),
    "x.expand": lambda L, v: L.ones(1, 1, 5).expand(v, 1, 5),
    "x.repeat": lambda L, v: L.ones(1, 1, 5).repeat(v, 1, 1),
    "x.repeat(-v, 5)": lambda L, v: L.ones(1, 2).repeat(-v, 5),
    "tile": lambda L, v: L.tile(L.ones(1, 1, 5), (v,)),
    "x.as_strided(stride)": lambda L, v: L.ones(5).as_strided((1,), (v,)),
    "x.as_strided(size)": lambda L, v: L.ones(5).as_strided((v,), (1,)),
    "constant_pad_nd": lambda L, v: L.constant_pad_nd(L.ones(1, 1, 5), (v, 0)),
    **{f"pad({mode})": (lambda L, v, mode=mode: L.nn.functional.pad(L.ones(1, 1, 5), (0, v), mode=mode))
       for mode in ("constant", "reflect", "replicate", "circular")},
    **{f"conv1d({arg})": (lambda L, v, arg=arg: L.nn.functional.conv1d(L.ones(1, 1, 5), L.ones(1, 1, 2),
                                                                     **{arg: v}))
       for arg in ("stride", "padding", "dilation")},
    "conv3d(padding)": lambda L, v: L.nn.functional.conv3d(L.ones(1, 1, 3, 3, 3), L.ones(1, 1, 2, 2, 2),
                                                           padding=(0, 0, v)),
    "conv_transpose2d(output_padding)": lambda L, v: L.nn.functional.conv_transpose2d(
        L.ones(1, 1, 5, 5), L.ones(1, 1, 2, 2), stride=2, output_padding=(v, 0)),
}


def test_symbolic_sizes_as_torch():
    found = {}
    for (name, f), v in itertools.product(SYMBOLIC_CALLS.items(), SYMBOLIC):
        theirs, ours = _outcome(f, torch, v), _outcome(f, pyfront, v)
        if ours != theirs:
            found[name, v] = (ours, theirs)
    assert not found, "\n".join(f"{k}: {o} vs torch {t}" for k, (o, t) in itertools.islice(found.items(), 8))


# a double out of an integer dtype's range, as torch's kernels' C++ cast gives it on x86 (a C int first below
# 64 bits), and C's pow past the double range
RANGE_VALUES = {
    "linspace int64 to 2**63-1": lambda L: L.linspace(0, 2 ** 63 - 1, 3, dtype=L.int64),
    "linspace int64 of 2**63-1": lambda L: L.linspace(2 ** 63 - 1, 2 ** 63 - 1, 4, dtype=L.int64),
    "linspace int64 over int64": lambda L: L.linspace(-2 ** 63, 2 ** 63 - 1, 5, dtype=L.int64),
    **{f"logspace {d} to {end} base {base}": (lambda L, d=d, end=end, base=base: L.logspace(
        0, end, 5, base=base, dtype=getattr(L, d)))
       for d in ("int64", "int32", "int16", "int8", "uint8", "float16", "float32", "float64")
       for end in (3, 40, 400, 2 ** 63 - 1) for base in (10.0, -2.0)},
    "logspace base nan int32": lambda L: L.logspace(0, 1, 5, base=math.nan, dtype=L.int32),
}


def _listed(f, lib):
    """``f(lib)``'s values as a list's text (a NaN equal to a NaN), or the error it raises."""
    try:
        return str(f(lib).tolist())
    except Exception as e:  # noqa: BLE001 (the outcome compared is torch's exception)
        return f"{type(e).__name__}: {e}"


def test_range_values_past_their_dtype():
    found = {name: (ours, theirs) for name, f in RANGE_VALUES.items()
             if (ours := _listed(f, pyfront)) != (theirs := _listed(f, torch))}
    assert not found, list(found.items())[:5]


def test_results_counted_before_they_are_made():
    """A result whose element count or bytes overflow is torch's refusal at once (eye's count, histc's
    bins + 1 edges, diag_embed's whole result, the triangles' counted sizes), where pyfront built part of it
    first or named other sizes; and the triangles' indices as torch's at small sizes."""
    calls = {
        "eye(2**40, 2**40)": lambda L: L.eye(2 ** 40, 2 ** 40), "eye(2**62)": lambda L: L.eye(2 ** 62),
        "eye(2**62, 1)": lambda L: L.eye(2 ** 62, 1),
        "eye(2**32, 2**31) uint8": lambda L: L.eye(2 ** 32, 2 ** 31, dtype=L.uint8),
        "histc(bins=2**62)": lambda L: L.histc(L.ones(3), bins=2 ** 62),
        "histc(bins=2**63-1)": lambda L: L.histc(L.ones(3), bins=2 ** 63 - 1),
        "histc(bins=2**62, min > max)": lambda L: L.histc(L.ones(3), bins=2 ** 62, min=3, max=1),
        "diag_embed(offset=2**31)": lambda L: L.diag_embed(L.ones(2, 3), offset=2 ** 31),
        "diag_embed(offset=2**31, dims 0 and 2)": lambda L: L.diag_embed(L.ones(2, 3), 2 ** 31, 0, 2),
        "diag(offset=-2**62)": lambda L: L.diag(L.ones(3), -2 ** 62),
        "diagflat(offset=2**62)": lambda L: L.diagflat(L.ones(3), 2 ** 62),
        "triu_indices(2**31, 2**31)": lambda L: L.triu_indices(2 ** 31, 2 ** 31),
        "tril_indices(3, 2**31, -2**62)": lambda L: L.tril_indices(3, 2 ** 31, -2 ** 62),
        "triu_indices(2**40, 2**40, 5)": lambda L: L.triu_indices(2 ** 40, 2 ** 40, 5),
        **{f"{name}({r}, {c}, {off})": (lambda L, name=name, r=r, c=c, off=off: getattr(L, name)(r, c, off))
           for name in ("tril_indices", "triu_indices") for r in (0, 1, 3, 5) for c in (0, 2, 4, 7)
           for off in (-9, -3, -1, 0, 1, 3, 8)},
    }
    found = {name: (ours, theirs) for name, f in calls.items()
             if (ours := _listed(f, pyfront)) != (theirs := _listed(f, torch))}
    assert not found, list(found.items())[:5]


def test_more_views_than_memory_refused_at_once():
    """torch.tensor_split into 2**31 sections: torch's vector of them is its allocator's refusal where the
    machine cannot hold them (its answer depends on the memory, so only pyfront's is asserted: at once, where
    its tuple took minutes to a MemoryError)."""
    assert _raised(lambda: pyfront.tensor_split(pyfront.ones(3), 2 ** 40)) == "RuntimeError: std::bad_alloc"
    assert len(pyfront.tensor_split(pyfront.ones(3), 1000)) == 1000

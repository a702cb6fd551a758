"""Special-function primitives: inverse hyperbolics, erfc/erfinv, the gamma family, Bessel i0/i1,
nextafter, gcd/lcm. One registry entry each, as in elementwise.py.

NumPy has no special functions and scipy is not a dependency, so the cpu rules compute in float64
(libm.py's vectorized forms of Python's ``math`` where it has the function, else a standard series,
cited at each) and round once to the input's dtype, as torch's float32 kernels do. The GPU expressions
are the float32 functions of shaders/elementwise_lib.wgsl. Gradients are torch's
(tools/autograd/derivatives.yaml).
"""

from __future__ import annotations

import math

from ... import dtypes as dt
from ...shape import reads_as_int
from ...tensor import Tensor
from ..dispatch import apply
from ..common import promote_pair
from ..memory_formats import iterated
from ..registry import OPS, OpDef, register
from ..shell import refuse_kernel
from .elementwise import (FLOAT, SAME, _check_tensor_args, _infer, _libm, _nan_in_nan_out, binary, shapes_first,
                          unary, where)
from .. import samples
from ...backends.scaled_add import fused_lerp, fused_multiply_add


def _f64(fn):
    """A float64 NumPy rule ``fn(np, x)``, its result rounded once to ``x``'s dtype."""
    def rule(np, *xs, **attrs):
        return fn(np, *(x.astype(np.float64) for x in xs), **attrs).astype(xs[0].dtype)
    return rule


def _own(fn):
    """A NumPy rule ``fn(np, x)`` computed as torch's scalar kernel computes it: in float64 for float64, in
    float32 for the other dtypes (16-bit ones through float32), its result in ``x``'s dtype. (zeta computes
    in float64 whatever the dtype: there torch's float32 results are nearer the float64 ones rounded.)"""
    def rule(np, x, **attrs):
        work = np.float64 if x.dtype == np.float64 else np.float32
        with np.errstate(all="ignore"):
            return fn(np, x.astype(work), **attrs).astype(x.dtype)
    return rule


_PSI_10 = 2.25175258906672110764  # digamma(10), where the recurrence lands for integer x
# Cephes' psi coefficients of the asymptotic tail, in 1/x^2 (Bernoulli numbers B_2k / 2k)
_PSI_TAIL = (8.33333333333333333333e-2, -2.10927960927960927961e-2, 7.57575757575757575758e-3,
             -4.16666666666666666667e-3, 3.96825396825396825397e-3, -8.33333333333333333333e-3,
             8.33333333333333333333e-2)


def _digamma_np(np, x):
    """Cephes' psi as torch's scalar kernel runs it, in ``x``'s precision (float32 or float64): below 0 the
    reflection digamma(1 - x) - pi / tan(pi r) with r the signed fractional part of x (that term in float64,
    then rounded), above it the recurrence up to 10 (exactly 10: digamma(10)), then the asymptotic series
    (its polynomial one fused multiply-add a step, as the compiler contracts it), with the C library's log
    and tan (libm.c_float, libm.from_c). Measured on 65,000 values: 0 differ from torch's, where the float64
    computation rounded once differed in half of the float32 ones, NumPy's tan and log in 119 float64 ones."""
    from . import libm
    work = x.dtype.type
    neg = x < 0
    frac = x - np.trunc(x)  # exact
    cot = (np.pi / libm.from_c("tan", np.pi * frac.astype(np.float64), neg)).astype(work)
    z = np.where(neg, 1 - x, x)
    acc = np.zeros_like(z)
    while (z < 10).any():
        small = z < 10
        acc = np.where(small, acc - 1 / np.where(small, z, 1), acc)
        z = np.where(small, z + 1, z)
    w = 1 / (z * z)
    poly = np.full_like(z, _PSI_TAIL[0])
    for c in _PSI_TAIL[1:]:
        poly = fused_multiply_add(np, poly, w, np.full_like(z, c))
    tail = np.where(z < 1e17, w * poly, 0)
    log = libm.c_float("log", z) if work is np.float32 else libm.from_c("log", z)
    out = np.where(z == 10, acc + work(_PSI_10), acc + log - work(0.5) / z - tail)
    out = np.where(neg, out - cot, out)
    out = np.where(neg & (x == np.trunc(x)), np.nan, out)  # poles and -inf
    return np.where(x == 0, np.copysign(np.inf, -x), out)


def _trigamma_np(np, x):
    """torch's trigamma, in ``x``'s precision: the reflection below 0.5 (through sin(pi x) itself, the C
    library's: at a negative integer finite, not inf), six recurrence steps, then three terms of A&S
    6.4.12, their nested products fused multiply-adds (as the compiler contracts them). float32 elements:
    60 of 9,000 differed from torch's where the bracket was summed in float64, 1,634 before that."""
    from . import libm
    work = x.dtype.type
    pi = work(np.pi)
    low = x < 0.5
    s = libm.c_float("sin", pi * x) if work is np.float32 else libm.from_c("sin", pi * x)
    acc = np.where(low, -(pi * pi) / (s * s), 0).astype(work)
    z = np.where(low, 1 - x, x)
    for _ in range(6):
        acc = acc + 1 / (z * z)
        z = z + 1
    w = 1 / (z * z)
    bracket = fused_multiply_add(np, -w, np.full_like(w, 1 / 42), np.full_like(w, 1 / 30))
    bracket = fused_multiply_add(np, -w, bracket, np.full_like(w, 1 / 6))
    series = fused_multiply_add(np, w, bracket, 1 + 1 / (2 * z))
    acc = acc + series / z
    return np.where(low, -acc, acc)


# B_2k / (2k)! denominators of the Euler-Maclaurin tail of Cephes' zeta
_ZETA_DEN = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
             -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
             1.8152105401943546773e17, -7.1661652561756670113e18)


def _zeta_np(np, s, q):
    """Hurwitz zeta(s, q), integer s >= 2, as Cephes in ``q``'s precision: a direct sum while q + i <= 9 (or
    fewer than 9 terms), then Euler-Maclaurin; each element stops where its next term is below the
    precision's epsilon of the sum, as torch's."""
    work = q.dtype.type
    eps = work(np.finfo(q.dtype).epsneg)  # Cephes' MACHEP: 2^-53 in float64, 2^-24 in float32
    s = work(s)
    pole = (q <= 0) & (q == np.floor(q))  # -inf too: the sum would never reach 9
    done = pole.copy()
    total = q ** -s
    a, b = q.copy(), np.zeros_like(q)
    i = 0
    while True:
        going = ((a <= 9) | (i < 9)) & ~done
        if not going.any():
            break
        a = np.where(going, a + 1, a)
        b = np.where(going, a ** -s, b)
        total = np.where(going, total + b, total)
        done |= going & (-eps * total < b) & (b < eps * total)
        i += 1
    w = a
    total = np.where(done, total, total + b * w / (s - 1) - work(0.5) * b)
    fac, k = np.ones_like(q), work(0)
    for den in _ZETA_DEN:
        fac = fac * (s + k)
        b = b / w
        t = fac * b / work(den)
        total = np.where(done, total, total + t)
        done |= np.abs(t / total) < eps
        k += 1
        fac = fac * (s + k)
        b = b / w
        k += 1
    return np.where(pole, np.inf, total)


def _polygamma_np(np, x, n):
    if n == 0:
        return _digamma_np(np, x)
    if n == 1:
        return _trigamma_np(np, x)
    # as torch's: (-1)^(n+1) n! zeta(n + 1, x) (its exp(lgamma(n + 1)) is n! exactly); in float64 for every
    # dtype: torch's float32 results are those rounded (a float32 sum is hundreds of ulp off near a pole)
    sign = -1 if n % 2 == 0 else 1
    return (sign * math.factorial(n) * _zeta_np(np, n + 1, x.astype(np.float64))).astype(x.dtype)


def _erfinv_np(np, y):
    """Giles' single-precision approximation, then Newton steps in float64: on erf(x) - y for |y| < 0.5;
    in the tails, where erf is flat (an ulp of erf near 1 is many of x's: 7% at 1 - 2^-53), on
    log(erfc(|x|) / (1 - |y|)), whose target 1 - |y| is exact (Sterbenz), erfc(|x|) known to an ulp of
    itself, and which is near linear in x^2 (Newton on erfc itself crawls: Giles' guess is 12% off
    at 1 - 2^-53, far outside the float32 range it is made for)."""
    from . import libm
    shape, y = y.shape, y.reshape(-1)
    with np.errstate(all="ignore"):
        ay = np.abs(y)
        centre = np.flatnonzero(ay < 0.5)
        tail = np.flatnonzero((ay >= 0.5) & (ay < 1))
        w = -np.log((1 - y) * (1 + y))
        c = w - 2.5
        p = np.polyval([2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                        -0.00125372503, -0.00417768164, 0.246640727, 1.50140941], c)
        t = np.sqrt(w) - 3
        q = np.polyval([-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                        -0.0076224613, 0.00943887047, 1.00167406, 2.83297682], t)
        x = np.where(w < 5, p, q) * y
        xc, yc = x[centre], y[centre]
        xt, target = np.abs(x[tail]), 1 - ay[tail]
        slope = 2 / math.sqrt(math.pi)  # of erf, -erfc's: 2/sqrt(pi) exp(-x^2)
        for _ in range(3):
            xc -= (libm.erf(xc) - yc) / (slope * np.exp(-xc * xc))
        for _ in range(4):  # from 1 - |y| = 2^-53 the errors are 4e-2, 2e-4, 2e-9, 0
            e = libm.erfc(xt)
            xt += np.log(e / target) * e / (slope * np.exp(-xt * xt))
        x[centre] = xc
        x[tail] = np.copysign(xt, y[tail])
        x = np.where(np.abs(y) == 1, y * np.inf, x)
        x = np.where(np.isnan(y), y, x)  # a NaN passes as it is, its sign too (torch's)
        return np.where(np.abs(y) > 1, np.nan, x).reshape(shape)


def _bessel_np(np, x, order, scaled=False):
    """I0 or I1: the power series sum (x/2)^(2k+order) / (k! (k+order)!) up to |x| = 30, beyond it the
    asymptotic series e^x / sqrt(2 pi x) sum_k (-1)^k prod_j (4 order^2 - (2j - 1)^2) / (k! (8x)^k)
    (A&S 9.7.1), written as exp(x) * series / sqrt(x) so that +-inf gives NaN, as torch's Cephes form."""
    with np.errstate(all="ignore"):
        ax = np.abs(x)
        small = np.where(ax <= 30, ax, 0.0)
        total = _bessel_power_series(np, small, order)
        if scaled:
            total = total * np.exp(-small)
        far = ~(ax <= 30)  # (NaN too)
        asym = np.zeros_like(ax)
        if far.any():
            asym[far] = _bessel_asymptotic(np, ax[far], order, scaled)
        out = np.where(ax <= 30, total, asym)
        return np.where(x < 0, -out, out) if order else out


def _bessel_power_series(np, small, order):
    """sum (small/2)^(2k+order) / (k! (k+order)!) for k < 130, in that order of additions. The loop stops
    once no later term can change any total: every term is 0, or below a quarter of its total's ulp
    (< total 2^-54, which rounds away) while the terms at least halve from there on (tested every 4th term:
    the terms after that one add nothing either)."""
    quarter_square = (small / 2) ** 2
    term = (small / 2) ** order / math.factorial(order)
    total = term.copy()
    for k in range(1, 130):
        term = term * quarter_square / (k * (k + order))
        total = total + term
        if k % 4:
            continue
        halving = quarter_square <= (k + 1) * (k + 1 + order) / 2
        if np.all((term == 0) | ((term < total * 2.0 ** -54) & halving)):
            break
    return total


def _bessel_asymptotic(np, ax, order, scaled):
    """A&S 9.7.1's asymptotic series (40 terms) for |x| past 30 (NaN and inf too)."""
    big = np.where(ax > 30, ax, 31.0)
    mu = 4.0 * order * order
    t = np.ones_like(ax)
    series = t.copy()
    for k in range(1, 40):
        t = t * -(mu - (2 * k - 1) ** 2) / (k * 8 * big)
        series = series + t
    return (1 if scaled else np.exp(ax)) * series / np.sqrt(2 * np.pi * ax)


# -- inverse hyperbolic functions --------------------------------------------------------------------
asinh = unary("asinh", lambda np, x: np.arcsinh(x), lambda c, g: (g * (c.inputs[0] ** 2 + 1).rsqrt(),),
              out=FLOAT, save=(0,), wgsl="T(asinh_f32(f32(a)))")
acosh = unary("acosh", lambda np, x: np.arccosh(x), lambda c, g: (g * (c.inputs[0] ** 2 - 1).rsqrt(),),
              out=FLOAT, save=(0,), domain=(1.1, 4.0), wgsl="T(acosh_f32(f32(a)))")
atanh = unary("atanh", lambda np, x: np.arctanh(x), lambda c, g: (g / (1 - c.inputs[0] ** 2),),
              out=FLOAT, save=(0,), domain=(-0.9, 0.9),
              wgsl="T(atanh_f32(f32(a)))")
arcsinh, arccosh, arctanh = asinh, acosh, atanh

def _sinc_vjp(c, g):
    # torch's sinc_backward: grad * (pi x cos(pi x) - sin(pi x)) / (x x pi), and 0 wherever x x pi is 0:
    # at 0, and where it underflows (|x| < 1e-23 in float32), whatever the grad (inf too)
    x = c.inputs[0]
    px, sq = x * math.pi, x * x * math.pi
    return (where(sq == 0, 0.0, g * ((px * px.cos() - px.sin()) / sq)),)


def _sinc_np(np, x):
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 1.0, np.sin(np.pi * safe) / (np.pi * safe))


# in the input's dtype, as torch: sin(pi x) of the rounded pi x
sinc = unary("sinc", _sinc_np, _sinc_vjp, out=FLOAT, save=(0,),
             wgsl="select(T(sin_f32(f32(T(3.141592653589793) * a))) / (T(3.141592653589793) * a), T(1), "
                  "a == T(0))")

# -- error functions ---------------------------------------------------------------------------------
erfc = unary("erfc", _libm("erfc"),
             lambda c, g: ((-2 / math.sqrt(math.pi)) * (-(c.inputs[0] ** 2)).exp() * g,),
             out=FLOAT, save=(0,), wgsl="T(erfc_f32(f32(a)))")
erfinv = unary("erfinv", _f64(_erfinv_np),
               # from the input, as torch's node saves it (not the result: writing that fails no backward)
               lambda c, g: ((0.5 * math.sqrt(math.pi)) * (c.inputs[0].erfinv() ** 2).exp() * g,),
               out=FLOAT, save=(0,), domain=(-0.95, 0.95),
               wgsl="select(T(erfinv_f32(f32(a))), a, a == T(0))")  # erfinv(-0) is -0

# -- the gamma family --------------------------------------------------------------------------------
lgamma = unary("lgamma", _libm("lgamma"), lambda c, g: (g * digamma(c.inputs[0]),),
               out=FLOAT, save=(0,), wgsl="T(lgamma_f32(f32(a)))")
digamma = unary("digamma", _own(_digamma_np), lambda c, g: (g * polygamma(1, c.inputs[0]),),
                out=FLOAT, save=(0,), wgsl="T(digamma_f32(f32(a)))")


def _polygamma_wgsl(attrs, ctype):
    return _nan_in_nan_out("T(polygamma_f32(f32(s0), f32(a)))", "is_nan_f32(f32(a))")["f"], (attrs["n"],)


_polygamma = register(OpDef(
    "polygamma", "elementwise", _infer(SAME), _own(_polygamma_np),
    lambda c, g: (g * polygamma(c.attrs["n"] + 1, c.inputs[0]),), save=(0,), torch_name="polygamma",
    samples=samples.polygamma, wgsl=_polygamma_wgsl, extra={"dtype_rule": FLOAT}))


def polygamma(n, input):
    """The ``n``-th derivative of digamma, as ``torch.polygamma`` (``Tensor.polygamma(n)``)."""
    if not reads_as_int(n):  # (a bool, a float, a 0-d ndarray: the public wrapper parses for torch's text)
        raise TypeError(f"polygamma(): argument 'n' must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    # torch's kernel by the order: digamma's, trigamma's, then its own (none for float8 or complex numbers)
    if input.dtype in dt.FLOAT8 or input.dtype.is_complex:
        refuse_kernel({0: "digamma", 1: "trigamma"}.get(int(n), "polygamma"), input.dtype)
    if not input.dtype.is_floating_point:
        input = input.to(dt.get_default_dtype())
    return apply(_polygamma, input, n=int(n))


def _polygamma_method(self, n):
    return polygamma(n, self)


AS_METHOD = {"polygamma": _polygamma_method}


# -- modified Bessel functions -----------------------------------------------------------------------
def _cephes_overflow(fn):
    """torch's float32 I0 and I1 are Cephes' exp(x) * series / sqrt(x): exp overflows past 88.7, though
    the result itself would be below float32's largest up to about 91; inf there, as torch's."""
    def rule(np, x):
        r = fn(np, x)
        if x.dtype == np.float32:
            big = np.isfinite(x) & (np.abs(x) > 88.72284)  # inf and nan keep their own answer
            r = np.where(big, np.copysign(np.float32(np.inf), r), r).astype(np.float32)
        return r
    return rule


i0 = unary("i0", _cephes_overflow(_f64(lambda np, x: _bessel_np(np, x, 0))),
           lambda c, g: (g * special_i1(c.inputs[0]),),
           out=FLOAT, save=(0,), wgsl="T(bessel_i0_f32(f32(a), false))")


def _tiny(x):
    """torch's i1_backward and i1e_backward: |x| <= eps (NaN too) takes the limit 0.5 at 0; (mask, safe x)."""
    eps = dt.finfo(x.dtype).eps
    tiny = ~(x.abs() > eps)
    return tiny, where(tiny, eps, x)


def _i1_vjp(c, g):
    tiny, x = _tiny(c.inputs[0])
    return (g * where(tiny, 0.5, i0(x) - c.out / x),)


special_i1 = unary("special_i1", _cephes_overflow(_f64(lambda np, x: _bessel_np(np, x, 1))), _i1_vjp,
                   out=FLOAT, save=(0,),
                   save_output=True, torch_name="special.i1", backward_name="SpecialI1Backward0",
                   wgsl="select(T(bessel_i1_f32(f32(a), false)), T(0), a == T(0))")  # i1(-0) is +0
# exp(-|x|) i0(x), exp(-|x|) i1(x): torch's gradients i1e - sgn(x) i0e and i0e - i1e (sgn(x) + 1 / x)
special_i0e = unary("special_i0e", _f64(lambda np, x: _bessel_np(np, x, 0, scaled=True)),
                    lambda c, g: (g * (special_i1e(c.inputs[0]) - c.inputs[0].sign() * c.out),),
                    out=FLOAT, save=(0,), save_output=True, torch_name="special.i0e",
                    backward_name="SpecialI0EBackward0", wgsl="T(bessel_i0_f32(f32(a), true))")


def _i1e_vjp(c, g):
    tiny, x = _tiny(c.inputs[0])
    return (g * where(tiny, 0.5, special_i0e(x) - c.out * (x.sign() + 1 / x)),)


special_i1e = unary("special_i1e", _f64(lambda np, x: _bessel_np(np, x, 1, scaled=True)), _i1e_vjp,
                    out=FLOAT, save=(0,), save_output=True, torch_name="special.i1e",
                    backward_name="SpecialI1EBackward0",
                    wgsl="select(T(bessel_i1_f32(f32(a), true)), T(0), a == T(0))")

# -- logit and entropy --------------------------------------------------------------------------------
def _logit_np(np, x, eps):
    """torch's kernel in ``x``'s dtype: no clamp for a negative eps; else x < eps ? eps : (x > 1 - eps ? 1 -
    eps : x) with eps and 1 - eps that dtype's numbers (float32's 1 - 1e-6 is 0.99999899: logit 13.8023, not
    13.8155), so a NaN eps clamps nothing and eps > 0.5 sends every x to one end; the clamp and p / (1 - p)
    round in the dtype (16-bit ones at each step), the log is taken in float64 and rounded once."""
    one = x.dtype.type(1)
    p = x
    if eps is not None and not eps < 0:
        lo = x.dtype.type(eps)
        hi = one - lo
        p = np.where(x < lo, lo, np.where(x > hi, hi, x)).astype(x.dtype)
    with np.errstate(all="ignore"):
        return np.log((p / (one - p)).astype(np.float64)).astype(x.dtype)


def _logit_vjp(c, g):
    # torch's logit_backward: 0 outside [eps, 1 - eps] with an eps, NaN outside [0, 1] without
    x, eps = c.inputs[0], c.attrs["eps"]
    lo, hi, outside = (0.0, 1.0, math.nan) if eps is None or eps < 0 else (eps, 1 - eps, 0.0)
    d = x * (1 - x)
    # laid out as torch's kernel over (grad_output, self); +inf at -0, as torch
    return (iterated(where((x < lo) | (x > hi), outside, g / where(d == 0, 0.0, d)), g, x),)


def _logit_wgsl(attrs, ctype):
    eps = attrs["eps"]  # a negative s0: no clamping
    return ("T(logit_f32(f32(a), f32(s0)))", (-1.0 if eps is None else eps,))


_logit = register(OpDef(
    "logit", "elementwise", _infer(SAME), _logit_np, _logit_vjp, save=(0,), torch_name="logit",
    samples=samples.logit, wgsl=_logit_wgsl, extra={"dtype_rule": FLOAT}, takes_halves=True))


def logit(input, eps=None):
    """``log(p / (1 - p))``, ``p`` clamped to ``[eps, 1 - eps]`` when ``eps`` is given, as ``torch.logit``."""
    if input.dtype.is_complex:
        refuse_kernel("logit_cpu", input.dtype)
    if not input.dtype.is_floating_point:
        input = input.to(dt.get_default_dtype())
    return apply(_logit, input, eps=None if eps is None else float(eps))


def _entr_np(np, x):
    """torch's kernel in ``x``'s dtype: ``-x * log(x)`` with the log rounded to the dtype before the product
    (taken in float64 here), 0 at 0, -inf below, NaN kept."""
    with np.errstate(all="ignore"):
        logs = np.log(np.where(x > 0, x, 1).astype(np.float64)).astype(x.dtype)
        return np.where(x > 0, -x * logs, np.where(x == 0, 0, np.where(x < 0, -np.inf, x))).astype(x.dtype)


special_entr = unary(
    "special_entr", _entr_np,
    lambda c, g: (g * -(1 + c.inputs[0].log()),), out=FLOAT, save=(0,), torch_name="special.entr",
    backward_name="SpecialEntrBackward0",
    wgsl="select(select(T(-f32(a) * log_f32(f32(a))), T(0), a == T(0)), T(f32_from_bits(0xff800000u)), "
         "a < T(0))", takes_halves=True)


# -- binary float functions ---------------------------------------------------------------------------
def _xlogy_np(np, x, y, log):
    """torch's float16 kernel rounds the logarithm to float16 (the function of a Half is a Half), then
    rounds the product once: float16 comes here as itself (takes_halves)."""
    with np.errstate(all="ignore"):
        if x.dtype == np.float16:
            logs = log(y.astype(np.float32)).astype(np.float16).astype(np.float32)
            return np.where((x == 0) & ~np.isnan(y), 0, x.astype(np.float32) * logs).astype(x.dtype)
        return np.where((x == 0) & ~np.isnan(y), 0, x * log(y)).astype(x.dtype)


def _scalar_overload(prefix):
    """torch's node by overload: Tensor-Tensor 0, Scalar-Tensor 1, Tensor-Scalar 2."""
    def name(inputs, attrs):
        return prefix + ("1" if inputs[0]._wrapped_number else "2" if inputs[1]._wrapped_number else "0")
    return name


def _xlog_vjp(fn, shift):
    # torch: self: fn(grad, other), 0 where self is 0 and other + shift <= 0;
    # other: grad * self / (other + shift). self's a masked_fill: a contiguous clone of fn(grad, other)
    def vjp(c, g):
        x, y = c.inputs
        y1 = y + shift if shift else y  # y + 0 would turn -0 into +0, the gradient's inf its sign
        return iterated(where((x == 0) & (y1 <= 0), 0.0, fn(g, y))), g * x / y1
    return vjp


xlogy = binary("xlogy", lambda np, x, y: _xlogy_np(np, x, y, np.log), _xlog_vjp(lambda g, y: xlogy(g, y), 0),
               out=FLOAT, save=(0, 1), grad_fn=_scalar_overload("XlogyBackward"), domain=(0.1, None),
               wgsl="select(a * T(log_f32(f32(b))), T(0), a == T(0))",  # a NaN b is NaN (binary's NaN test)
               takes_halves=True)
special_xlog1py = binary(
    "special_xlog1py", lambda np, x, y: _xlogy_np(np, x, y, np.log1p),
    _xlog_vjp(lambda g, y: special_xlog1py(g, y), 1),
    out=FLOAT, save=(0, 1), torch_name="special.xlog1py", backward_name="SpecialXlog1PyBackward0",
    grad_fn=_scalar_overload("SpecialXlog1PyBackward"), domain=(0.1, None),
    wgsl="select(a * T(log1p_c_f32(f32(b))), T(0), a == T(0))", takes_halves=True)


def _both_tensors(input, other):
    """The dtype torch's kernel sees, as a one-tuple: none unless both are Tensors (torch parses the
    arguments first, then promotes them)."""
    return (dt.result_type(input, other),) if isinstance(input, Tensor) and isinstance(other, Tensor) else ()


def _float_only(name, fn, complex_ok=False):
    """``fn`` refusing integer and bool operands (and complex ones unless ``complex_ok``), as torch's
    float-only kernel ``name``."""
    def checked(input, other):
        for t in _both_tensors(input, other):  # a number: binary's own TypeError, in torch's words
            if not (t.is_floating_point or complex_ok and t.is_complex):
                shapes_first(input, other)
                raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt.scalar_name(t)}'")
        return fn(input, other)

    checked.__name__, checked.__doc__ = fn.__name__, fn.__doc__
    return checked


hypot = _float_only("hypot", binary(
    "hypot", lambda np, x, y: np.hypot(x, y),
    lambda c, g: tuple(g * c.inputs[i] / c.out if c.needs_input_grad[i] else None for i in (0, 1)),
    save=(0, 1), save_output=True, saved_for={0: (0,), 1: (1,)},  # each its own gradient's, as torch's
    scalars="none", nan_safe=True, wgsl="T(hypot_f32(f32(a), f32(b)))"))


def _logaddexp_np(np, x, y, base):
    with np.errstate(all="ignore"):
        if x.dtype.kind == "c":
            return _complex_logaddexp(np, x, y)
        return np.logaddexp(x, y) if base == "e" else np.logaddexp2(x, y)


def _complex_logaddexp(np, x, y):
    """torch's complex logaddexp (its _log_add_exp_helper): max + log1p(exp(min - max)), min and max by the
    real part; a NaN part anywhere gives nan+nanj; equal infinite real parts: -inf gives min itself,
    +inf log(exp(min) + exp(max))."""
    first = x.real < y.real
    lo, hi = np.where(first, x, y), np.where(first, y, x)
    out = np.log1p(np.exp(lo - hi)) + hi
    infinite = ~np.isfinite(lo.real) & (lo.real == hi.real)
    out = np.where(infinite, np.where(lo.real < 0, lo, np.log(np.exp(lo) + np.exp(hi))), out)
    nan = np.array(complex(np.nan, np.nan), x.dtype)
    return np.where(np.isnan(x) | np.isnan(y), nan, out).astype(x.dtype)


def _logaddexp_vjp(pow_):
    # torch: grad / (1 + exp(other - self)) and grad / (1 + exp(self - other)) (base 2 for logaddexp2)
    def vjp(c, g):
        x, y = c.inputs
        return g / (1 + pow_(y - x)), g / (1 + pow_(x - y))
    return vjp


logaddexp = _float_only("logaddexp", binary(
    "logaddexp", lambda np, x, y: _logaddexp_np(np, x, y, "e"), _logaddexp_vjp(lambda d: d.exp()),
    save=(0, 1), scalars="none", wgsl="T(logaddexp_f32(f32(a), f32(b), false))"), complex_ok=True)
logaddexp2 = _float_only("logaddexp2", binary(
    "logaddexp2", lambda np, x, y: _logaddexp_np(np, x, y, "2"), _logaddexp_vjp(lambda d: d.exp2()),
    save=(0, 1), scalars="none", wgsl="T(logaddexp_f32(f32(a), f32(b), true))"))


# -- floating-point bits and integer arithmetic ------------------------------------------------------
def _nextafter_vjp(c, g):
    x, y = c.inputs  # as torch: the gradient passes to self where it moved, never to other
    # (x and y are kept for self's gradient alone: None where only other's is computed)
    return where(x == y, 0.0, g) if c.needs_input_grad[0] else None, g.new_zeros(g.shape)


def _nextafter_np(np, x, y):
    """y where x == y (0 towards -0 is -0); a NaN operand is the result with its sign bit, torch's
    float16 kernel taking x's first, its others y's."""
    r = np.where(x == y, y, np.nextafter(x, y))
    first, second = (x, y) if x.dtype == np.float16 else (y, x)
    return np.where(np.isnan(first), first, np.where(np.isnan(second), second, r))


_nextafter = binary(
    "nextafter", _nextafter_np, _nextafter_vjp, save=(0, 1), scalars="none",
    saved_for={0: (0,), 1: (0,)},  # read by self's gradient alone (other's is zero), as torch's
    wgsl=lambda attrs, ctype: f"T(nextafter_{'f16_in_f32' if ctype == 'f16' else 'f32'}(f32(a), f32(b)))",
    takes_halves=True)  # the next float16, not float32's


def nextafter(input, other):
    """The next float after ``input`` towards ``other``, as ``torch.nextafter``."""
    for t in _both_tensors(input, other):
        if not t.is_floating_point:
            shapes_first(input, other)
            raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{dt.scalar_name(t)}'")
    return _nextafter(input, other)


def _gcd_np(np, x, y, shift=0):
    """torch's Euclid in the dtype's own arithmetic: the absolute value of the dtype's minimum wraps to
    itself, and the remainders take the dividend's sign, so gcd(-128, 6) is -2 in int8, not 2."""
    with np.errstate(all="ignore"):
        # (broadcast first: where every a is 0 the loop ends at once, and |y| alone has y's shape)
        a, b = (np.array(v) for v in np.broadcast_arrays(np.abs(x), np.abs(y)))
        # Euclid on 64-bit integers ends within 93 steps (Lame); the bound also ends a float operand's
        # NaN remainders, which the primitive may meet below gcd's own dtype check (its planned path)
        for _ in range(100):
            going = a != 0
            if not going.any():
                break
            a, b = np.where(going, np.fmod(b, np.where(going, a, 1)), a), np.where(going, a, b)
        return b


def _lcm_np(np, x, y, shift=0):
    """|x / gcd * y| in C's arithmetic (int8/int16/uint8 promoted to int, wrapping), 0 where the gcd is 0, as
    torch's."""
    with np.errstate(all="ignore"):
        dtype, wide = x.dtype, np.promote_types(x.dtype, np.int32)
        g = _gcd_np(np, x, y).astype(wide)
        x, y = x.astype(wide), y.astype(wide)
        safe = np.where(g == 0, 1, g)
        quotient = (x - np.fmod(x, safe)) // safe  # exact: C's truncating division
        return np.where(g == 0, 0, np.abs(quotient * y)).astype(dtype)


# an int8/int16 value shifted to the top of its 32-bit lane: its Euclid steps (and its minimum's wrapping
# absolute value) are then those of its own width (shaders/elementwise_lib.wgsl's gcd_i32); a parameter
_LANE_SHIFT = {"int8": 24, "int16": 16}


def _integer_binary(name, np_fn, wgsl_fn):
    binary(name, np_fn, scalars="none",
           wgsl=lambda attrs, ctype: (f"T({wgsl_fn}(i32(a), i32(b), u32(s0)))", (attrs["shift"],)))
    op = OPS[name]

    def fn(input, other):
        _check_tensor_args(name, input, other, "none")
        for t in _both_tensors(input, other):
            if t.is_floating_point or t is dt.bool_ or t.is_complex:
                shapes_first(input, other)
                raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt.scalar_name(t)}'")
        x, y = promote_pair(input, other)
        return apply(op, x, y, shift=_LANE_SHIFT.get(x.dtype.name, 0))

    fn.__name__ = name
    fn.__doc__ = f"Elementwise ``{name}`` with broadcasting and type promotion, as ``torch.{name}``."
    return fn


gcd = _integer_binary("gcd", _gcd_np, "gcd_i32")
lcm = _integer_binary("lcm", _lcm_np, "lcm_i32")


METHODS = ("asinh acosh atanh arcsinh arccosh arctanh erfc erfinv lgamma digamma polygamma i0 nextafter gcd "
           "lcm "
           "xlogy hypot logaddexp logaddexp2 logit sinc")
INPLACE = METHODS.replace(" logaddexp logaddexp2", "")
__all__ = METHODS.split()


# -- lerp's kernel ------------------------------------------------------------------------------------
# internal (torch_name None): lerp's composite gives it three tensors of one dtype (a number weight as a
# 0-d one) inside its Formula, which differentiates it; lerp's tests cover it
lerp_kernel = register(OpDef(
    "lerp_kernel", "elementwise", _infer(SAME), fused_lerp, None, arity=3, torch_name=None,
    # (end - (end - input) * (1 - weight) as -(end - input): input - end would be +0 where torch's is -0)
    wgsl="T(select(fused_f32(-(f32(b) - f32(a)), 1.0 - f32(c), f32(b)), "
         "fused_f32(f32(c), f32(b) - f32(a), f32(a)), abs(f32(c)) < 0.5))"))


# -- a * b + c rounded once -----------------------------------------------------------------------------
# internal (torch_name None): addcmul's composite gives it value * tensor1, tensor2 and input of float32 or
# float64 inside its Formula (torch's kernel is one fused multiply-add there: measured); addcmul's tests
# cover it
fused_multiply_add_kernel = register(OpDef(
    "fused_multiply_add_kernel", "elementwise", _infer(SAME),
    lambda np, a, b, c: fused_multiply_add(np, np.asarray(a), np.asarray(b), c), None, arity=3,
    torch_name=None, wgsl="T(fused_f32(f32(a), f32(b), f32(c)))"))

"""Vectorized float64 NumPy forms of the scalar functions the cpu rules of erf, erfc and lgamma used to
call once per element (``math.erf``, ``math.erfc``, ``math.lgamma``), which cost ~1 us of Python each.

erf and erfc follow Sun's FDLIBM s_erf.c (version 1.3, 95/01/18), the algorithm of glibc's ``erf`` that
``math.erf`` calls: its rational approximations on [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35) and
[1/0.35, 28), with its published coefficients. lgamma follows CPython's own ``math.lgamma``
(Modules/mathmodule.c: Lanczos' approximation with g = 6.0247..., N = 13, as in Boost, and the
reflection formula below 0). Each is computed on the elements of its own branch only. Float32 results
round these float64 values once, as the per-element rule did.

NumPy code, imported at the first call: pyfront imports without NumPy (the browser build).
"""
from __future__ import annotations

import functools

import numpy as np

# Elements per piece: a piece's float64 temporaries (128 KiB) stay in cache and are reused, where those of
# a whole large array are fresh memory each (page faults cost more than the arithmetic). A branch's
# elements are gathered by index (_at), 4x faster than by a boolean mask on random signs.
_PIECE = 16384


def _at(mask):
    """The indices where a 1-d mask is true (np.flatnonzero, in one call)."""
    return mask.nonzero()[0]


def _by_pieces(fn):
    """``fn`` (of a 1-d float64 array) on any array, as float64, a piece at a time."""
    @functools.wraps(fn)
    def run(x):
        x = np.asarray(x, np.float64)
        flat = x.reshape(-1)
        if flat.size <= _PIECE:
            return fn(flat).reshape(x.shape)
        out = np.empty_like(flat)
        for start in range(0, flat.size, _PIECE):
            out[start:start + _PIECE] = fn(flat[start:start + _PIECE])
        return out.reshape(x.shape)
    return run


# FDLIBM s_erf.c: erx = (float)0.84506291151, erf(x) ~ x + x * pp(x^2) / qq(x^2) on [0, 0.84375)
_ERX = 8.45062911510467529297e-01
_EFX = 1.28379167095512586316e-01  # 2/sqrt(pi) - 1, the slope below 2^-28
_EFX8 = 1.02703333676410069053e+00  # 8 efx: below 2^-1015 erf is (8x + efx8 x) / 8, 8x keeps the digits
_PP = (-2.37630166566501626084e-05, -5.77027029648944159157e-03, -2.84817495755985104766e-02,
       -3.25042107247001499370e-01, 1.28379167095512558561e-01)
_QQ = (-3.96022827877536812320e-06, 1.32494738004321644526e-04, 5.08130628187576562776e-03,
       6.50222499887672944485e-02, 3.97917223959155352819e-01, 1.0)
# erf(1 + s) - erx ~ pa(s) / qa(s) on [0.84375, 1.25)
_PA = (-2.16637559486879084300e-03, 3.54783043256182359371e-02, -1.10894694282396677476e-01,
       3.18346619901161753674e-01, -3.72207876035701323847e-01, 4.14856118683748331666e-01,
       -2.36211856075265944077e-03)
_QA = (1.19844998467991074170e-02, 1.36370839120290507362e-02, 1.26171219808761642112e-01,
       7.18286544141962662868e-02, 5.40397917702171048937e-01, 1.06420880400844228286e-01, 1.0)
# x erfc(x) exp(x^2) ~ exp(-0.5625 + R(1/x^2) / S(1/x^2)) on [1.25, 1/0.35) (ra, sa), [1/0.35, 28) (rb, sb)
_RA = (-9.81432934416914548592e+00, -8.12874355063065934246e+01, -1.84605092906711035994e+02,
       -1.62396669462573470355e+02, -6.23753324503260060396e+01, -1.05586262253232909814e+01,
       -6.93858572707181764372e-01, -9.86494403484714822705e-03)
_SA = (-6.04244152148580987438e-02, 6.57024977031928170135e+00, 1.08635005541779435134e+02,
       4.29008140027567833386e+02, 6.45387271733267880336e+02, 4.34565877475229228821e+02,
       1.37657754143519042600e+02, 1.96512716674392571292e+01, 1.0)
_RB = (-4.83519191608651397019e+02, -1.02509513161107724954e+03, -6.37566443368389627722e+02,
       -1.60636384855821916062e+02, -1.77579549177547519889e+01, -7.99283237680523006574e-01,
       -9.86494292470009928597e-03)
_SB = (-2.24409524465858183362e+01, 4.74528541206955367215e+02, 2.55305040643316442583e+03,
       3.19985821950859553908e+03, 1.53672958608443695994e+03, 3.25792512996573918826e+02,
       3.03380607434824582924e+01, 1.0)


def _poly(coefs, z, divide=False):
    """Horner's rule, highest power first (CPython's lanczos_sum); ``divide``: a polynomial in 1/z."""
    r = np.full_like(z, coefs[0])
    for c in coefs[1:]:
        if divide:
            r /= z
        else:
            r *= z
        r += c
    return r


def _stacked(*polys):
    """Polynomials (highest power first) as the rows of one (k, n, 1) array, lowest power first, the
    shorter ones padded with zeros at the top (c + z 0 and z^k 0 add nothing): all are evaluated by the
    same calls, which is most of the cost for small arrays."""
    n = max(map(len, polys))
    n += n % 2
    return np.array([list(c[::-1]) + [0.0] * (n - len(c)) for c in polys])[:, :, None]


_PPQQ, _PAQA, _TAIL = _stacked(_PP, _QQ), _stacked(_PA, _QA), _stacked(_RA, _SA, _RB, _SB)


def _pairs(c, z):
    """Polynomials in z (the rows of ``_stacked``'s array) in glibc's order of FDLIBM's: (c0 + z c1) +
    z^2 (c2 + z c3) + z^4 (c4 + z c5) + ..., with z^4 = z^2 z^2, z^6 = z^4 z^2, z^8 = z^4 z^4. Rounded as
    glibc rounds, the results are math.erf's and math.erfc's to the last bit (Horner's order is within an
    ulp, 4 in erfc's cancellation on [0.84375, 1.25)). In place: a fresh array costs more than its
    arithmetic."""
    total = z * c[:, 1]
    total += c[:, 0]
    z2 = zk = z * z
    term = np.empty_like(total)
    for k in range(1, c.shape[1] // 2):
        if k == 2:
            z4 = zk = z2 * z2
        elif k == 3:
            zk = z4 * z2
        elif k == 4:
            zk = z4 * z4
        np.multiply(z, c[:, 2 * k + 1], out=term)
        term += c[:, 2 * k]
        term *= zk
        total += term
    return total


def _ratio(pq, z):
    num, den = _pairs(pq, z)
    num /= den
    return num


def _erfc_tail(ax, split):
    """erfc(|x|) for 1.25 <= |x| < 28: exp(-z^2 - 0.5625) exp((z - x)(z + x) + R/S) / x, where z is x with
    the low 32 bits of its mantissa cleared, so that z^2 is exact. ``split``: where FDLIBM's test of the
    high word (erf's 0x4006DB6E, erfc's 0x4006DB6D, both ~1/0.35) moves from (ra, sa) to (rb, sb)."""
    s = ax * ax
    np.divide(1.0, s, out=s)
    ra, sa, rb, sb = _pairs(_TAIL, s)
    ra /= sa
    rb /= sb
    rs = np.where(ax < split, ra, rb)
    z = (ax.view(np.uint64) & np.uint64(0xFFFFFFFF00000000)).view(np.float64)
    head = z * z  # exp(-z z - 0.5625)
    np.negative(head, out=head)
    head -= 0.5625
    np.exp(head, out=head)
    rest = z - ax  # exp((z - x)(z + x) + R/S)
    z += ax
    rest *= z
    rest += rs
    np.exp(rest, out=rest)
    head *= rest
    head /= ax
    return head


def _nan_kept(out, x):
    """``out`` with a NaN input as it is where x has one, its sign too (C's and torch's)."""
    nan = _at(np.isnan(x))
    if nan.size:
        out[nan] = x[nan]
    return out


@_by_pieces
def erf(x):
    """erf of a float64 array, within an ulp of ``math.erf``: NaN stays NaN, erf(+-inf) is +-1."""
    ax = np.abs(x)
    out = _nan_kept(np.copysign(1.0, x), x)  # |x| >= 6 (inf too): +-1
    small = _at(ax < 0.84375)
    if small.size:
        v = x[small]
        y = _ratio(_PPQQ, v * v)
        y *= v
        y += v  # x + x pp/qq
        tiny = _at(np.abs(v) < 2.0 ** -28)
        if tiny.size:  # erf = x + efx x; below 2^-1015 (8x + efx8 x) / 8 keeps the subnormals' digits
            t = v[tiny]
            y[tiny] = np.where(np.abs(t) < 2.0 ** -1015, 0.125 * (8.0 * t + _EFX8 * t), t + _EFX * t)
        out[small] = y
    mid = _at((ax >= 0.84375) & (ax < 1.25))
    if mid.size:
        v = x[mid]
        y = _ratio(_PAQA, np.abs(v) - 1.0)
        y += _ERX
        out[mid] = np.copysign(y, v)
    tail = _at((ax >= 1.25) & (ax < 6.0))
    if tail.size:
        v = x[tail]
        r = _erfc_tail(np.abs(v), 2.8571434020996094)
        np.subtract(1.0, r, out=r)
        out[tail] = np.copysign(r, v)
    return out


@_by_pieces
def erfc(x):
    """erfc of a float64 array, within an ulp of ``math.erfc``: erfc(-inf) is 2, erfc(inf) 0, NaN NaN."""
    ax = np.abs(x)
    out = np.copysign(1.0, x)  # x >= 28 underflows to 0, x <= -6 is 2 to the last bit
    _nan_kept(np.subtract(1.0, out, out=out), x)
    small = _at(ax < 0.84375)
    if small.size:
        v = x[small]
        r = _ratio(_PPQQ, v * v)
        r *= v
        # below 1/4 one minus erf; above, 0.5 - ((x - 0.5) + x y) keeps the digits the subtraction would lose
        out[small] = np.where(v < 0.25, 1.0 - (v + r), 0.5 - ((v - 0.5) + r))
    mid = _at((ax >= 0.84375) & (ax < 1.25))
    if mid.size:
        v = x[mid]
        pq = _ratio(_PAQA, np.abs(v) - 1.0)
        out[mid] = np.where(v > 0, (1.0 - _ERX) - pq, 1.0 + (_ERX + pq))
    tail = _at((ax >= 1.25) & (ax < 28.0) & ((x > 0) | (ax < 6.0)))
    if tail.size:
        v = x[tail]
        r = _erfc_tail(np.abs(v), 2.8571414947509766)
        out[tail] = np.where(v > 0, r, 2.0 - r)
    return out


# CPython's lanczos_num_coeffs / lanczos_den_coeffs (lowest power first); the denominator is
# x (x + 1) ... (x + 11)
_LANCZOS_G = 6.024680040776729583740234375
_LANCZOS_NUM = (23531376880.410759688572007674451636754734846804940,
                42919803642.649098768957899047001988850926355848959,
                35711959237.355668049440185451547166705960488635843,
                17921034426.037209699919755754458931112671403265390,
                6039542586.3520280050642916443072979210699388420708,
                1439720407.3117216736632230727949123939715485786772,
                248874557.86205415651146038641322942321632125127801,
                31426415.585400194380614231628318205362874684987640,
                2876370.6289353724412254090516208496135991145378768,
                186056.26539522349504029498971604569928220784236328,
                8071.6720023658162106380029022722506138218516325024,
                210.82427775157934587250973392071336271166969580291,
                2.5066282746310002701649081771338373386264310793408)
_LANCZOS_DEN = (0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0, 13339535.0,
                2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0)


def _lanczos_sum(a):
    """The rational function of CPython's lanczos_sum: in a below 5, in 1/a from 5 on (no overflow)."""
    out = np.empty_like(a)
    below = a < 5.0
    above = _at(~below)
    below = _at(below)
    if below.size:
        y = a[below]
        out[below] = _poly(_LANCZOS_NUM[::-1], y) / _poly(_LANCZOS_DEN[::-1], y)
    if above.size:  # Horner's rule in 1/a, dividing by a at each step as CPython does
        y = a[above]
        out[above] = _poly(_LANCZOS_NUM, y, divide=True) / _poly(_LANCZOS_DEN, y, divide=True)
    return out


def _abs_sinpi(a):
    """|sin(pi a)| for a > 0 as CPython's m_sinpi: a reduced mod 2 to y, then by n/2 (n = round(2 y)) to
    t = y - n/2 in [-1/4, 1/4] (exactly: Sterbenz), whose sine or cosine it is, exact at (half-)integers."""
    y = np.fmod(a, 2.0)
    n = np.round(2.0 * y)
    t = np.pi * (y - 0.5 * n)
    return np.abs(np.where(n % 2 == 0, np.sin(t), np.cos(t)))


@_by_pieces
def lgamma(x):
    """log|Gamma(x)| of a float64 array, as ``math.lgamma``, and C's lgamma where that raises: +inf at the
    poles (0 and the negative integers) and at +-inf, NaN stays NaN, +inf where the result overflows."""
    ax = np.abs(x)
    todo = np.isfinite(x) & (ax >= 1e-20) & ~((x == np.floor(x)) & (x <= 2.0))
    out = np.full_like(x, np.inf)  # poles, +-inf
    _nan_kept(out, x)
    out[(x == 1.0) | (x == 2.0)] = 0.0
    tiny = _at((ax < 1e-20) & (x != 0))
    if tiny.size:
        out[tiny] = -np.log(ax[tiny])
    todo = _at(todo)
    if todo.size:
        a = ax[todo]
        with np.errstate(over="ignore"):  # lgamma past ~2.5e305 overflows to inf, as C's
            r = np.log(_lanczos_sum(a))
            r -= _LANCZOS_G
            t = a + _LANCZOS_G  # (a - 0.5) (log(a + g - 0.5) - 1)
            t -= 0.5
            np.log(t, out=t)
            t -= 1.0
            t *= a - 0.5
            r += t
        neg = _at(x[todo] < 0)  # the reflection: Gamma(x) Gamma(-x) = -pi / (x sin(pi x))
        if neg.size:
            an = a[neg]
            r[neg] = np.log(np.pi) - np.log(_abs_sinpi(an)) - np.log(an) - r[neg]
        out[todo] = r
    return out

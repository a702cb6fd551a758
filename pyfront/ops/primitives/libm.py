"""Vectorized float64 NumPy forms of the scalar functions the cpu rules of erf, erfc and lgamma used to
call once per element (``math.erf``, ``math.erfc``, ``math.lgamma``), which cost ~1 us of Python each.

erf and erfc follow Sun's FDLIBM s_erf.c (version 1.3, 95/01/18), the algorithm of glibc's ``erf`` that
``math.erf`` calls: its rational approximations on [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35) and
[1/0.35, 28), with its published coefficients. lgamma of x > 0 follows FDLIBM e_lgamma_r.c (1.3,
95/01/18), which glibc's ``lgamma`` (torch's) runs there: approximations around its zeros 1 and 2 and
its minimum, a rational one on [2, 3) that the recurrence carries to 8, Stirling's series beyond, to an
ulp of torch (math.lgamma's Lanczos sum, which it replaced, was 14 ulp off at 1.5 and lost every digit
next to 1 and 2). Below 0 it keeps CPython's reflection formula (glibc uses another method on (-28, -2),
up to 10 ulp away beside the poles). Each is computed on the elements of its own branch only. Float32
results round these float64 values once, as the per-element rule did (to the same bits: the float64
changes are below float32's rounding).

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


def _high(word):
    """The float64 whose high 32 bits are ``word``, low ones 0: where FDLIBM's tests of the high word
    (ix >= word) put a branch boundary."""
    return float(np.array([word << 32], np.uint64).view(np.float64)[0])


# (0, 2): below _LG_LOW (~0.9) via a + 1; near 2 (y = 2 - x) from ~0.73 (+ 1) or ~1.73, near the minimum
# from ~0.23 (+ 1) or ~1.23, near 1 below
_LG_LOW, _LG_NEAR2, _LG_NEARMIN = _high(0x3FECCCCD), (_high(0x3FE76944), _high(0x3FFBB4C3)), (
    _high(0x3FCDA661), _high(0x3FF3B4C4))

# FDLIBM e_lgamma_r.c's coefficients; _poly's tables highest power first, _LG_T and _LG_A lowest first.
# lgamma(tc + z) ~ tf + z^2 t(z) (lowest power first, in the three strands of w = z^3) around the minimum
# tc on [1.23, 1.73]; tt is tf's tail
_LG_TC, _LG_TF, _LG_TT = 1.46163214496836224576e+00, -1.21486290535849611461e-01, -3.63867699703950536541e-18
_LG_T = (
    4.83836122723810047042e-01, -1.47587722994593911752e-01, 6.46249402391333854778e-02,
    -3.27885410759859649565e-02, 1.79706750811820387126e-02, -1.03142241298341437450e-02,
    6.10053870246291332635e-03, -3.68452016781138256760e-03, 2.25964780900612472250e-03,
    -1.40346469989232843813e-03, 8.81081882437654011382e-04, -5.38595305356740546715e-04,
    3.15632070903625950361e-04, -3.12754168375120860518e-04, 3.35529192635519073543e-04)
# lgamma(2 - y) (or lgamma(1 - y) + log) ~ y a-even(y^2) + y^2 a-odd(y^2) - y / 2, y = 2 - x on [1.73, 2]
_LG_A = (7.72156649015328655494e-02, 3.22467033424113591611e-01, 6.73523010531292681824e-02,
         2.05808084325167332806e-02, 7.38555086081402883957e-03, 2.89051383673415629091e-03,
         1.19270763183362067845e-03, 5.10069792153511336608e-04, 2.20862790713908385557e-04,
         1.08011567247583939954e-04, 2.52144565451257326939e-05, 4.48640949618915160150e-05)
# lgamma(1 + y) ~ -y / 2 + y u(y) / v(y) on [0.9, 1.23]
_LG_U = (1.33810918536787660377e-02, 2.28963728064692451092e-01, 9.77717527963372745603e-01,
         1.45492250137234768737e+00, 6.32827064025093366517e-01, -7.72156649015328655494e-02)
_LG_V = (3.21709242282423911810e-03, 1.04222645593369134254e-01, 7.69285150456672783825e-01,
         2.12848976379893395361e+00, 2.45597793713041134822e+00, 1.0)
# lgamma(2 + y) ~ y / 2 + y s(y) / r(y) for y = x - floor(x) in [0, 1), x in [2, 8), plus log((x-1)...(y+2))
_LG_S = (3.19475326584100867617e-05, 1.84028451407337715652e-03, 2.66422703033638609560e-02,
         1.46350472652464452805e-01, 3.25778796408930981787e-01, 2.14982415960608852501e-01,
         -7.72156649015328655494e-02)
_LG_R = (7.32668430744625636189e-06, 7.77942496381893596434e-04, 1.86459191715652901344e-02,
         1.71933865632803078993e-01, 7.21935547567138069525e-01, 1.39200533467621045958e+00, 1.0)
# lgamma(x) - (x - 1/2)(log(x) - 1) ~ w(1/x) (odd powers past w0) for 8 <= x < 2^58
_LG_W = (-1.63092934096575273989e-03, 8.36339918996282139126e-04, -5.95187557450339963135e-04,
         7.93650558643019558500e-04, -2.77777777728775536470e-03, 8.33333333333329678849e-02)
_LG_W0 = 4.18938533204672725052e-01


def _lgamma_below_2(a):
    """lgamma on (0, 2) (a not 1): FDLIBM's three approximations, around 2 (y = 2 - a), around the
    minimum tc (y = a - tc) and around 1 (y = a - 1), below 0.9 for a + 1 less log(a). Each one is
    accurate relative to itself near its zero, where the Lanczos sum loses the digits (lgamma(1 - 2^-53)
    was 2.2e-16 for 6.4e-17)."""
    low = a < _LG_LOW  # below ~0.9: lgamma(a) = lgamma(a + 1) - log(a)
    r = np.where(low, -np.log(a), 0.0)
    out = np.empty_like(a)
    near2 = np.where(low, a >= _LG_NEAR2[0], a >= _LG_NEAR2[1])
    nearmin = ~near2 & np.where(low, a >= _LG_NEARMIN[0], a >= _LG_NEARMIN[1])
    near1 = ~(near2 | nearmin)
    i = _at(near2)
    if i.size:
        v = np.where(low[i], 1.0 - a[i], 2.0 - a[i])
        z = v * v
        p = v * _poly(_LG_A[-2::-2], z) + z * _poly(_LG_A[::-2], z)
        out[i] = r[i] + (p - 0.5 * v)
    i = _at(nearmin)
    if i.size:
        v = np.where(low[i], a[i] - (_LG_TC - 1.0), a[i] - _LG_TC)
        z = v * v
        w = z * v
        p1, p2, p3 = (_poly(_LG_T[k::3][::-1], w) for k in range(3))
        p = z * p1 - (_LG_TT - w * (p2 + v * p3))
        out[i] = r[i] + (_LG_TF + p)
    i = _at(near1)
    if i.size:
        v = np.where(low[i], a[i], a[i] - 1.0)
        out[i] = r[i] + (-0.5 * v + v * _poly(_LG_U, v) / _poly(_LG_V, v))
    return out


def _lgamma_fdlibm(a):
    """lgamma of a > 0 (not 1 or 2, not below 1e-20) as FDLIBM's __ieee754_lgamma_r."""
    out = np.empty_like(a)
    i = _at(a < 2.0)
    if i.size:
        out[i] = _lgamma_below_2(a[i])
    i = _at((a >= 2.0) & (a < 8.0))
    if i.size:  # lgamma(n + y) = lgamma(2 + y) + log((y + 2) (y + 3) ... (y + n - 1))
        v = a[i]
        n = np.floor(v)
        y = v - n
        r = 0.5 * y + y * _poly(_LG_S, y) / _poly(_LG_R, y)
        z = np.ones_like(v)
        for k in range(6, 1, -1):  # FDLIBM's fall-through order: (y + 6) first, down to (y + 2)
            np.multiply(z, np.where(n > k, y + k, 1.0), out=z)
        out[i] = np.where(n >= 3.0, r + np.log(z), r)
    i = _at(a >= 8.0)
    if i.size:
        with np.errstate(over="ignore"):
            v = a[i]
            t = np.log(v)
            z = 1.0 / v
            w = _LG_W0 + z * _poly(_LG_W, z * z)
            r = np.where(v < 2.0 ** 58, (v - 0.5) * (t - 1.0) + w, v * (t - 1.0))
            # torch's is inf from where x log(x) overflows (2.5563481638716906e305 is its last finite
            # x), though lgamma is finite a little further
            r[np.isinf(v * t)] = np.inf
            out[i] = r
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
    """log|Gamma(x)| of a float64 array, as torch's (FDLIBM above 0, to an ulp; the reflection below):
    +inf at the poles (0 and the negative integers) and at +-inf, NaN stays NaN, +inf where the result
    overflows."""
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
        r = _lgamma_fdlibm(a)
        neg = _at(x[todo] < 0)  # the reflection: Gamma(x) Gamma(-x) = -pi / (x sin(pi x))
        if neg.size:
            an = a[neg]
            r[neg] = np.log(np.pi) - np.log(_abs_sinpi(an)) - np.log(an) - r[neg]
        out[todo] = r
    return out


# Where the C library's float function (glibc 2.36's logf, sinf) rounds otherwise than the float64 value
# rounded once, that value lay this near a float32 midpoint (within 1 - 2 * margin ulp of it; measured on
# 100,000 random values each: logf 14 cases, all within 0.001 ulp; sinf 1,335, within 0.12 ulp)
_C_FLOAT_MARGIN = {"log": 0.49, "sin": 0.43}


@functools.cache
def _c_float(name):
    """The C library's float function ``<name>f`` (what torch's float kernels call as ``std::<name>`` of
    a float), or None where ctypes or the library is missing (the browser): then the float64 value
    rounded once stands in."""
    try:
        import ctypes
        import ctypes.util
        fn = getattr(ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6"), name + "f")
    except (ImportError, OSError, AttributeError, TypeError):
        return None
    fn.restype, fn.argtypes = ctypes.c_float, [ctypes.c_float]
    return fn


def c_float(name, x):
    """``<name>f`` (log or sin) of a float32 array, as the C library's float function rounds it: the
    float64 value rounded once, but for the elements near a float32 midpoint (_C_FLOAT_MARGIN: ~2% of
    logs, ~14% of sines), asked of the C function itself, one call each."""
    wide = getattr(np, name)(x.astype(np.float64))
    out = wide.astype(np.float32)
    fn = _c_float(name)
    if fn is not None and out.size:
        gap = np.abs(wide - out.astype(np.float64)) / np.abs(np.spacing(out)).astype(np.float64)
        flat_x, flat_out = x.reshape(-1), out.reshape(-1)
        for i in _at((gap > _C_FLOAT_MARGIN[name]).reshape(-1)):
            flat_out[i] = fn(float(flat_x[i]))
    return out


def from_c(name, x, where=None):
    """``math.<name>`` (the C library's double function, which torch's scalar float64 kernels call) of a
    float64 array at the elements ``where`` is true (all where None; 0 at the others): NumPy's own
    vectorized tan, sin and log differ from the C library's in the last bit on ~0.1-0.5% of values.
    Infinite and NaN inputs and results are NumPy's (math raises where the C function gives them)."""
    import math
    with np.errstate(all="ignore"):
        out = getattr(np, name)(x) if where is None else np.where(where, getattr(np, name)(x), 0)
    at = _at((np.isfinite(out) & (True if where is None else where)).reshape(-1))
    if at.size:
        out.reshape(-1)[at] = np.frompyfunc(getattr(math, name), 1, 1)(x.reshape(-1)[at]).astype(np.float64)
    return out

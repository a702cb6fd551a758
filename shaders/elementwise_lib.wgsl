// Helper functions for elementwise expressions (included by elementwise.wgsl).
// PyTorch's semantics where WGSL's built-ins differ: pow of negative bases, Python-style
// integer floor division and remainder, erf (no built-in), NaN-propagating max/min and clamp.

// Vulkan lets a driver's built-ins be far off (atan: 4096 ulp; Mesa's asin was 4e-4 relative) and
// its log, exp and tanh are bounded in absolute error only, so near 0 they lose every digit (lavapipe:
// tanh(1e-12) = 3e-8, log(1 + 1e-7) 19% off). The functions below keep float32's relative accuracy
// (a few ulp) on their whole range, as torch's libm does, from exp, log and sqrt away from 1 only.

fn erf_f32(x: f32) -> f32 {
    let a = abs(x);
    if (a < 0.5) {
        // Maclaurin series, 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)): the terms fall by 4x or more
        let z = x * x;
        let p = 1.0 + z * (-0.33333334 + z * (0.1 + z * (-0.023809524 + z * (0.0046296297
                + z * (-0.00075757575 + z * 0.00010683761)))));
        return 1.1283792 * x * p;  // -0 stays -0
    }
    // Abramowitz & Stegun 7.1.26: absolute error under 1.5e-7, where erf >= 0.52
    let t = 1.0 / (1.0 + 0.3275911 * a);
    let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                  + 0.254829592) * t * exp(-a * a);
    return select(y, -y, x < 0.0);
}

// Cephes' expf: x = n ln2 + r, |r| <= ln2 / 2 (ln2 in two parts, so n ln2 is exact), a degree-7
// polynomial for exp(r), scaled by 2^n. The built-in exp(x) is exp2(x log2(e)), whose rounding of the
// product grows with |x| (31 ulp at x = 86)
fn exp_f32(x: f32) -> f32 {
    if (x > 88.8) {
        return f32_from_bits(0x7f800000u);
    }
    if (x < -104.0) {
        return 0.0;
    }
    let n = round(x * 1.442695);
    let r = (x - n * 0.693359375) + n * 2.12194440e-4;
    let p = (((((1.9875691500e-4 * r + 1.3981999507e-3) * r + 8.3334519073e-3) * r + 4.1665795894e-2) * r
             + 1.6666665459e-1) * r + 5.0000001201e-1) * (r * r) + r + 1.0;
    return ldexp(p, i32(n));
}

fn expm1_f32(x: f32) -> f32 {
    if (abs(x) < 0.35) {
        // Taylor series to x^9 / 9!: under half an ulp beyond it; -0 stays -0
        let p = 1.0 + x * (0.5 + x * (0.16666667 + x * (0.041666668 + x * (0.008333334
                + x * (0.0013888889 + x * (0.0001984127 + x * (0.0000248016 + x * 0.0000027557319)))))));
        return x * p;
    }
    return exp_f32(x) - 1.0;  // |exp(x) - 1| >= 0.29: the subtraction keeps exp's relative accuracy
}

fn log1p_f32(x: f32) -> f32 {
    if (abs(x) < 0.25) {
        // log1p(x) = 2 atanh(s), s = x / (2 + x), |s| < 1/7: 2 (s + s^3/3 + ... + s^11/11)
        let s = x / (2.0 + x);
        let z = s * s;
        return 2.0 * s * (1.0 + z * (0.33333334 + z * (0.2 + z * (0.14285715 + z * (0.11111111
                + z * 0.09090909)))));
    }
    if (is_inf_f32(x) && x > 0.0) {
        return x;
    }
    if (x <= -1.0) {
        return log_special_f32(1.0 + x);  // 1 + x is exact here: 0 exactly at x = -1
    }
    let u = 1.0 + x;  // u is exact to half an ulp of x; the ratio corrects log(u) for its rounding
    return log(u) * (x / (u - 1.0));  // the ratio first: log(u) * x overflowed past 3.8e36
}

// log near 1 by log1p (x - 1 is exact there): the built-in's error is absolute, so log(1 + 1e-7) lost
// every digit; elsewhere the built-in, whose error is relative
// Vulkan leaves log of 0 and of a negative number undefined (SwiftShader's is not NaN): torch's -inf and
// NaN are given here
fn log_special_f32(x: f32) -> f32 {
    return select(f32_from_bits(0x7fc00000u), f32_from_bits(0xff800000u), x == 0.0);
}

fn log_f32(x: f32) -> f32 {
    if (x <= 0.0) {
        return log_special_f32(x);
    }
    return select(log(x), log1p_f32(x - 1.0), abs(x - 1.0) < 0.25);
}

fn log2_f32(x: f32) -> f32 {
    if (x <= 0.0) {
        return log_special_f32(x);
    }
    return select(log2(x), log1p_f32(x - 1.0) * 1.442695, abs(x - 1.0) < 0.25);
}

// sqrt and 1 / sqrt with torch's NaN below 0 (Vulkan leaves them undefined there); -0 stays -0 and
// 1 / sqrt(-0) is -inf, as IEEE
fn sqrt_f32(x: f32) -> f32 {
    return select(sqrt(x), f32_from_bits(0x7fc00000u), x < 0.0);
}

fn rsqrt_f32(x: f32) -> f32 {
    if (x == 0.0) {
        return select(f32_from_bits(0x7f800000u), f32_from_bits(0xff800000u), sign_bit_f32(x));
    }
    return select(inverseSqrt(x), f32_from_bits(0x7fc00000u), x < 0.0);
}

// the inverse hyperbolic functions through log1p, relative near 0 (the built-ins lost 5000 ulp at 1e-4)
fn asinh_f32(x: f32) -> f32 {
    let a = abs(x);
    var r: f32;
    if (a > 1e18) {
        r = log_f32(a) + 0.6931472;  // asinh(a) = log(2a) where a^2 + 1 rounds to a^2 (and overflows)
    } else {
        r = log1p_f32(a + a * a / (1.0 + sqrt(1.0 + a * a)));
    }
    return select(r, -r, sign_bit_f32(x));  // -0 stays -0
}

fn acosh_f32(x: f32) -> f32 {
    if (!(x >= 1.0)) {
        return f32_from_bits(0x7fc00000u);
    }
    if (x > 1e18) {
        return log_f32(x) + 0.6931472;
    }
    let t = x - 1.0;  // exact near 1, where the answer is small
    return log1p_f32(t + sqrt(t * (x + 1.0)));
}

fn atanh_f32(x: f32) -> f32 {
    let a = abs(x);
    if (!(a <= 1.0)) {
        return f32_from_bits(0x7fc00000u);
    }
    let r = 0.5 * log1p_f32(2.0 * a / (1.0 - a));  // a = 1: log1p(inf) = inf
    return select(r, -r, sign_bit_f32(x));
}

// erfc with a relative error under 1.2e-7 everywhere (Numerical Recipes' erfcc, a Chebyshev fit of
// exp(z^2) erfc(z)): 1 - erf(x) lost every digit past x = 4 (erfc(4.6) gave 0, torch 9.9e-11)
fn erfc_f32(x: f32) -> f32 {
    let z = abs(x);
    if (z > 10.1) {
        return select(0.0, 2.0, x < 0.0);  // below float32's smallest (and no inf - inf in the split)
    }
    let t = 1.0 / (1.0 + 0.5 * z);
    // z^2 = hi + lo exactly (Dekker's split of z into 12-bit halves): exp(-z^2) takes the rounding of
    // z^2 as a relative error of z^2 times it (40 ulp at z = 9) unless lo is kept apart
    let c = 4097.0 * z;
    let zh = c - (c - z);
    let zl = z - zh;
    let hi = z * z;
    let lo = ((zh * zh - hi) + 2.0 * zh * zl) + zl * zl;
    let r = t * exp_f32(-hi - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277))))))))) * (1.0 - lo);
    return select(r, 2.0 - r, x < 0.0);
}

fn tanh_f32(x: f32) -> f32 {
    let a = abs(x);
    if (a > 9.1) {
        return select(1.0, -1.0, x < 0.0);  // tanh(9.1) rounds to 1 in float32
    }
    let u = expm1_f32(2.0 * a);
    let t = u / (u + 2.0);
    return select(t, -t, sign_bit_f32(x));  // -0 stays -0
}

fn sinh_f32(x: f32) -> f32 {
    let a = abs(x);
    var s: f32;
    if (a < 1.0) {
        let u = expm1_f32(a);
        s = 0.5 * (u + u / (u + 1.0));
    } else {
        s = cosh_f32(a) - 1.0 / exp_f32(a);  // (e^a + e^-a) / 2 - e^-a
    }
    return select(s, -s, sign_bit_f32(x));
}

fn cosh_f32(x: f32) -> f32 {
    let a = abs(x);
    if (a > 89.0) {
        return f32_from_bits(0x7f800000u);  // torch's (SLEEF's) bound, though cosh(89.4) is finite
    }
    let e = exp_f32(0.5 * a);  // (0.5 e) e reaches 3.4e38 where exp(a) itself has overflowed
    return (0.5 * e) * e + 0.5 / (e * e);
}

// Cephes' atanf: reduced to |x| <= tan(pi/8), then an odd polynomial; about 2 ulp over float32
fn atan_f32(x: f32) -> f32 {
    var a = abs(x);
    var base = 0.0;
    if (a > 2.4142137) {
        base = 1.5707964;
        a = -1.0 / a;
    } else if (a > 0.41421357) {
        base = 0.7853982;
        a = (a - 1.0) / (a + 1.0);
    }
    let z = a * a;
    let r = base + ((((0.0805374449538 * z - 0.138776856032) * z + 0.199777106478) * z - 0.333329491539)
                    * z * a + a);
    return select(r, -r, sign_bit_f32(x));  // -0 stays -0, NaN stays NaN
}

fn asin_f32(x: f32) -> f32 {
    if (!(abs(x) <= 1.0)) {  // Vulkan leaves the root of a negative number undefined
        return f32_from_bits(0x7fc00000u);
    }
    // (1 - x)(1 + x), not 1 - x^2: exact enough near |x| = 1 (where the ratio is +-inf: +-pi/2)
    return atan_f32(x / sqrt((1.0 - x) * (1.0 + x)));
}

fn acos_f32(x: f32) -> f32 {
    if (!(abs(x) <= 1.0)) {
        return f32_from_bits(0x7fc00000u);
    }
    // 2 atan(sqrt((1 - x) / (1 + x))): no pi/2 - asin(x), which cancels near x = 1
    return 2.0 * atan_f32(sqrt((1.0 - x) / (1.0 + x)));
}

fn pow_f32(x: f32, y: f32) -> f32 {
    // C's pow special cases (as PyTorch), then exact products for small integral exponents: WGSL's
    // pow is exp2(y * log2(x)), a few ulp off where the result is exact (5 ** 2 gave 24.999998)
    if (y == 0.0 || x == 1.0) {
        return 1.0;  // even for a NaN operand, as PyTorch
    }
    if (is_nan_f32(x) || is_nan_f32(y)) {
        return f32_from_bits(0x7fc00000u);
    }
    let inf = f32_from_bits(0x7f800000u);
    let ax = abs(x);
    if (is_inf_f32(y)) {
        if (ax == 1.0) {
            return 1.0;  // (-1) ** +-inf
        }
        return select(0.0, inf, (ax > 1.0) == (y > 0.0));
    }
    let integral = y == floor(y);
    if (integral && abs(y) <= 128.0) {
        return powi_f32(x, i32(y));  // the sign of a negative (or -0) base comes with the products
    }
    if (!integral && x < 0.0 && !is_inf_f32(x)) {
        return f32_from_bits(0x7fc00000u);  // NaN, as PyTorch
    }
    var r: f32;
    if (ax == 0.0 || is_inf_f32(ax)) {
        r = select(0.0, inf, (ax == 0.0) == (y < 0.0));
    } else if (y == 0.5) {
        r = sqrt(ax);  // correctly rounded, as PyTorch's sqrt for ** 0.5
    } else if (y == -0.5) {
        r = 1.0 / sqrt(ax);
    } else if (abs(y) <= 128.0) {
        let n = round(y);
        let p = powi_f32(ax, i32(n));
        r = select(p * pow(ax, y - n), pow(ax, y), is_inf_f32(p) || p == 0.0);
    } else {
        r = pow(ax, y);
    }
    // an odd integral exponent keeps the sign of a negative base (-0 and -inf included)
    let negative = (bitcast<u32>(x) >> 31u) == 1u;
    return select(r, -r, negative && integral && abs(y % 2.0) == 1.0);
}

fn powi_f32(x: f32, n: i32) -> f32 {
    // binary exponentiation: x * x and x * x * x as PyTorch computes ** 2 and ** 3, 1 / (x ** n) for
    // n < 0 as its ** -1 and ** -2; exact wherever the result is representable
    var result = 1.0;
    var base = x;
    var e = abs(n);
    loop {
        if ((e & 1i) == 1i) { result = result * base; }
        e = e >> 1u;
        if (e == 0i) { break; }
        base = base * base;
    }
    return select(result, 1.0 / result, n < 0i);
}

fn pow_i32(x: i32, y: i32) -> i32 {
    if (y < 0i) {
        // PyTorch's integer pow: 1 and -1 keep their magnitude under a negative exponent, the rest is 0
        return select(select(0i, 1i, x == 1i), select(-1i, 1i, (y & 1i) == 0i), x == -1i);
    }
    var result = 1i;
    var base = x;
    var e = y;
    loop {
        if (e <= 0i) { break; }
        if ((e & 1i) == 1i) { result = result * base; }
        base = base * base;
        e = e >> 1u;
    }
    return result;
}

fn floordiv_i32(a: i32, b: i32) -> i32 {
    let q = a / b;
    return select(q, q - 1i, (a % b != 0i) && ((a < 0i) != (b < 0i)));
}

fn remainder_i32(a: i32, b: i32) -> i32 {
    let r = a % b;
    return select(r, r + b, (r != 0i) && ((r < 0i) != (b < 0i)));
}

fn is_nan_f32(x: f32) -> bool {
    // bit test: comparisons may be optimised on the assumption that NaN never occurs
    return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u;
}

fn is_inf_f32(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u;
}

fn clamp_f32(x: f32, lo: f32, hi: f32) -> f32 {
    // PyTorch's min(max(x, lo), hi): NaN in x or in either bound gives NaN (WGSL's max, min and
    // clamp may return the other operand); x equal to a bound is kept, so -0.0 stays -0.0
    if (is_nan_f32(x) || is_nan_f32(lo) || is_nan_f32(hi)) {
        return f32_from_bits(0x7fc00000u);
    }
    let m = select(x, lo, x < lo);
    return select(m, hi, m > hi);
}

// fmod, remainder and floor division of floats as PyTorch computes them (through fmod), so that
// infinities give what PyTorch gives: fmod(x, inf) = x, remainder(-1, inf) = inf, inf // 2 = nan.
// C's fmod, exact as C's is (the result is always representable): |a| is reduced by |b| scaled by
// powers of two into |a|'s binade, each subtraction exact (Sterbenz: t <= r < 2t), at most one step per
// binade between them. a - b * trunc(a / b) rounds twice: fmod(2**40, 1.5) gave 0, not 1
fn fmod_f32(a: f32, b: f32) -> f32 {
    let y = abs(b);
    if (is_nan_f32(a) || is_nan_f32(b) || is_inf_f32(a) || y == 0.0) {
        return f32_from_bits(0x7fc00000u);
    }
    var r = abs(a);
    if (r < y) {
        return a;  // b infinite too
    }
    let mantissa = frexp(y).fract;
    loop {
        if (r < y) {
            break;
        }
        var t = ldexp(mantissa, frexp(r).exp);  // y scaled into r's binade
        if (t > r) {
            t = t * 0.5;
        }
        r = r - t;
    }
    return select(r, -r, sign_bit_f32(a));  // a zero result keeps a's sign, as C's fmod
}

fn remainder_f32(a: f32, b: f32) -> f32 {
    let m = fmod_f32(a, b);
    return select(m, m + b, m != 0.0 && ((b < 0.0) != (m < 0.0)));
}

fn floordiv_f32(a: f32, b: f32) -> f32 {
    if (b == 0.0) {
        return a / b;
    }
    let m = fmod_f32(a, b);
    var d = (a - m) / b;
    if (m != 0.0 && ((b < 0.0) != (m < 0.0))) {
        d = d - 1.0;
    }
    if (d == 0.0) {
        return signed_zero_f32(a / b);  // zero with the quotient's sign
    }
    let f = floor(d);
    return select(f, f + 1.0, d - f > 0.5);
}

// a zero with x's sign, by its bits (0.0 * x may be folded to +0)
fn signed_zero_f32(x: f32) -> f32 {
    return bitcast<f32>(bitcast<u32>(x) & 0x80000000u);
}

fn sign_bit_f32(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x80000000u) != 0u;
}

// WGSL leaves atan2(0, 0) undefined; C gives +-0 for x = +0 and +-pi for x = -0
fn atan2_f32(y: f32, x: f32) -> f32 {
    // any zero y, as C: y itself (its sign kept) for x >= +0, +-pi for x <= -0
    if (y == 0.0) {
        return select(y, select(3.1415927, -3.1415927, sign_bit_f32(y)), sign_bit_f32(x));
    }
    return atan2(y, x);
}

// -- special functions (float32 accuracy; the cpu rules in ops/primitives/special.py are float64) --

// sin(pi * x) up to its sign, through x's distance to the nearest integer: exact near a pole, where
// sin of the product pi * x would lose every digit
fn sinpi_f32(x: f32) -> f32 {
    return sin(3.1415927 * (x - round(x)));
}

// log|Gamma(x)|: Lanczos (g = 7, 9 terms, as in Numerical Recipes) for x >= 0.5, the reflection
// Gamma(x) Gamma(1 - x) = pi / sin(pi x) below; poles (0, -1, ...) and +-inf give inf, as C's lgamma
fn lgamma_f32(x: f32) -> f32 {
    let inf = f32_from_bits(0x7f800000u);
    if (is_inf_f32(x) || (x <= 0.0 && x == floor(x))) {
        return inf;
    }
    var z = x;
    var reflect = 0.0;
    if (x < 0.5) {
        reflect = log(3.1415927 / abs(sinpi_f32(x)));
        z = 1.0 - x;
    }
    z = z - 1.0;
    var s = 0.99999999999980993 + 676.5203681218851 / (z + 1.0) - 1259.1392167224028 / (z + 2.0)
        + 771.32342877765313 / (z + 3.0) - 176.61502916214059 / (z + 4.0) + 12.507343278686905 / (z + 5.0)
        - 0.13857109526572012 / (z + 6.0) + 9.9843695780195716e-6 / (z + 7.0)
        + 1.5056327351493116e-7 / (z + 8.0);
    let t = z + 7.5;
    let g = 0.91893853320467274 + (z + 0.5) * log(t) - t + log(s);
    return select(g, reflect - g, x < 0.5);
}

// digamma: the reflection psi(x) = psi(1 - x) - pi / tan(pi x) below 0, the recurrence
// psi(x) = psi(x + 1) - 1 / x up to x >= 10 (at most 10 steps), then the asymptotic series
// (Abramowitz & Stegun 6.3.18). psi(+-0) is -+inf, negative integers and -inf give NaN, as torch
fn digamma_f32(x0: f32) -> f32 {
    if (x0 == 0.0) {
        return select(f32_from_bits(0xff800000u), f32_from_bits(0x7f800000u), sign_bit_f32(x0));
    }
    if (x0 < 0.0 && x0 == floor(x0)) {
        return f32_from_bits(0x7fc00000u);
    }
    var x = x0;
    var r = 0.0;
    if (x < 0.0) {
        r = -3.1415927 / tan(3.1415927 * (x - trunc(x)));  // the signed fraction, exact near a pole
        x = 1.0 - x;
    }
    for (var i = 0; i < 10; i = i + 1) {
        if (x >= 10.0) {
            break;
        }
        r = r - 1.0 / x;
        x = x + 1.0;
    }
    let z = 1.0 / (x * x);
    let tail = z * (1.0 / 12.0 - z * (1.0 / 120.0 - z * (1.0 / 252.0 - z * (1.0 / 240.0 - z / 132.0))));
    return r + log(x) - 0.5 / x - tail;
}

// trigamma: the reflection psi1(x) + psi1(1 - x) = pi^2 / sin^2(pi x) below 0.5, six recurrence
// steps, then the asymptotic series (A&S 6.4.12)
fn trigamma_f32(x0: f32) -> f32 {
    var x = x0;
    var r = 0.0;
    var sgn = 1.0;
    if (x < 0.5) {
        sgn = -1.0;
        let s = sin(3.1415927 * x);  // as torch's: finite at a negative integer (sin(pi * -1) is not 0)
        r = -(3.1415927 * 3.1415927) / (s * s);
        x = 1.0 - x;
    }
    for (var i = 0; i < 6; i = i + 1) {
        r = r + 1.0 / (x * x);
        x = x + 1.0;
    }
    let z = 1.0 / (x * x);
    r = r + (1.0 + 1.0 / (2.0 * x) + z * (1.0 / 6.0 - z * (1.0 / 30.0 - z / 42.0))) / x;
    return sgn * r;
}

// Hurwitz zeta(s, q) for an integer s >= 2: Cephes' zeta, a direct sum while q + i <= 9 (at most 64
// terms: below q = -55 it is cut short) and the Euler-Maclaurin tail
fn zeta_f32(s: f32, q: f32) -> f32 {
    if (q <= 0.0 && q == floor(q)) {
        return f32_from_bits(0x7f800000u);
    }
    var a = q;
    var sum = pow_f32(q, -s);
    var b = 0.0;
    for (var i = 0; i < 64; i = i + 1) {
        if (i >= 9 && a > 9.0) {
            break;
        }
        a = a + 1.0;
        b = pow_f32(a, -s);
        sum = sum + b;
    }
    let w = a;
    sum = sum + b * w / (s - 1.0) - 0.5 * b;
    var fac = 1.0;
    var k = 0.0;
    // B_2k / (2k)! denominators of the Euler-Maclaurin terms
    var den = array<f32, 8>(12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
                            7.47242496e10, -2.950130727918164224e12);
    for (var i = 0; i < 8; i = i + 1) {
        fac = fac * (s + k);
        b = b / w;
        sum = sum + fac * b / den[i];
        k = k + 1.0;
        fac = fac * (s + k);
        b = b / w;
        k = k + 1.0;
    }
    return sum;
}

// polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 2; digamma and trigamma for 0 and 1
fn polygamma_f32(n: f32, x: f32) -> f32 {
    if (n == 0.0) {
        return digamma_f32(x);
    }
    if (n == 1.0) {
        return trigamma_f32(x);
    }
    var fact = 1.0;
    for (var i = 2.0; i <= n && i < 40.0; i = i + 1.0) {
        fact = fact * i;
    }
    return select(-1.0, 1.0, (u32(n) & 1u) == 1u) * fact * zeta_f32(n + 1.0, x);
}

// erfinv: Giles, "Approximating the erfinv function" (GPU Computing Gems, 2010), single precision;
// +-1 give +-inf and |x| > 1 NaN
fn erfinv_f32(x: f32) -> f32 {
    if (abs(x) > 1.0) {
        return f32_from_bits(0x7fc00000u);
    }
    if (abs(x) == 1.0) {
        return x * f32_from_bits(0x7f800000u);
    }
    var w = -log((1.0 - x) * (1.0 + x));
    var p: f32;
    if (w < 5.0) {
        w = w - 2.5;
        p = 2.81022636e-08;
        p = 3.43273939e-07 + p * w;
        p = -3.5233877e-06 + p * w;
        p = -4.39150654e-06 + p * w;
        p = 0.00021858087 + p * w;
        p = -0.00125372503 + p * w;
        p = -0.00417768164 + p * w;
        p = 0.246640727 + p * w;
        p = 1.50140941 + p * w;
    } else {
        w = sqrt(w) - 3.0;
        p = -0.000200214257;
        p = 0.000100950558 + p * w;
        p = 0.00134934322 + p * w;
        p = -0.00367342844 + p * w;
        p = 0.00573950773 + p * w;
        p = -0.0076224613 + p * w;
        p = 0.00943887047 + p * w;
        p = 1.00167406 + p * w;
        p = 2.83297682 + p * w;
    }
    return p * x;
}

// modified Bessel functions of the first kind, orders 0 and 1: Abramowitz & Stegun 9.8.1-9.8.4
// (relative error under 2e-7); ``scaled``: times exp(-|x|) (i0e, i1e). i0(+-inf) is NaN, as torch's
// (exp(x) / sqrt(x)), i0e(+-inf) 0
fn bessel_i0_f32(x: f32, scaled: bool) -> f32 {
    let ax = abs(x);
    if (ax < 3.75) {
        let t = (x / 3.75) * (x / 3.75);
        return select(1.0, exp_f32(-ax), scaled) * (1.0 + t * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768
            + t * 0.0045813))))));
    }
    let t = 3.75 / ax;
    return select(exp_f32(ax), 1.0, scaled) * (0.39894228 + t * (0.01328592 + t * (0.00225319 + t * (-0.00157565 + t * (0.00916281
        + t * (-0.02057706 + t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))))) / sqrt(ax);
}

fn bessel_i1_f32(x: f32, scaled: bool) -> f32 {
    let ax = abs(x);
    if (ax < 3.75) {
        let t = (x / 3.75) * (x / 3.75);
        return select(1.0, exp_f32(-ax), scaled) * x * (0.5 + t * (0.87890594 + t * (0.51498869 + t * (0.15084934 + t * (0.02658733
            + t * (0.00301532 + t * 0.00032411))))));
    }
    let t = 3.75 / ax;
    let v = select(exp_f32(ax), 1.0, scaled) * (0.39894228 + t * (-0.03988024 + t * (-0.00362018 + t * (0.00163801 + t * (-0.01031555
        + t * (0.02282967 + t * (-0.02895312 + t * (0.01787654 - t * 0.00420059)))))))) / sqrt(ax);
    return select(v, -v, x < 0.0);
}

// the float next to a towards b, by its bits (C's nextafter; from +-0 the smallest subnormal)
fn nextafter_f32(a: f32, b: f32) -> f32 {
    if (is_nan_f32(a) || is_nan_f32(b)) {
        return f32_from_bits(0x7fc00000u);
    }
    if (a == b) {
        return b;
    }
    if (a == 0.0) {
        return bitcast<f32>(select(1u, 0x80000001u, b < 0.0));
    }
    let u = bitcast<u32>(a);
    return bitcast<f32>(select(u - 1u, u + 1u, (a < b) == (a > 0.0)));
}

// Euclid's algorithm: at most 47 steps for 32-bit operands (consecutive Fibonacci numbers are the worst)
fn gcd_i32(x: i32, y: i32) -> i32 {
    var a = abs(x);
    var b = abs(y);
    for (var i = 0; i < 48; i = i + 1) {
        if (b == 0i) {
            break;
        }
        let r = a % b;
        a = b;
        b = r;
    }
    return a;
}

fn lcm_i32(x: i32, y: i32) -> i32 {
    let g = gcd_i32(x, y);
    return select(abs((x / g) * y), 0i, g == 0i);
}

// C's hypot: an infinite operand gives inf even with a NaN other; scaled by the larger so no square
// overflows or underflows
fn hypot_f32(a: f32, b: f32) -> f32 {
    if (is_inf_f32(a) || is_inf_f32(b)) {
        return f32_from_bits(0x7f800000u);
    }
    if (is_nan_f32(a) || is_nan_f32(b)) {
        return f32_from_bits(0x7fc00000u);
    }
    let x = abs(a);
    let y = abs(b);
    let m = select(y, x, x > y);
    if (m == 0.0) {
        return 0.0;
    }
    let p = x / m;
    let q = y / m;
    return m * sqrt(p * p + q * q);
}

// log(e^a + e^b) (k = 1) or log2(2^a + 2^b) (k = 1 / ln 2): the larger plus log1p(exp(-|a - b|)),
// scaled by k; equal infinities give themselves, as torch (their difference would be NaN)
fn logaddexp_f32(a: f32, b: f32, k: f32) -> f32 {
    if (a == b && is_inf_f32(a)) {
        return a;
    }
    let m = select(b, a, a > b);
    let e = exp(-abs(a - b) / k);
    let l = select(log(1.0 + e) * e / ((1.0 + e) - 1.0), e, (1.0 + e) == 1.0);  // log1p(e)
    return m + k * l;
}

// logit with p clamped to [eps, 1 - eps] where eps >= 0 (a negative eps: none)
fn logit_f32(x: f32, eps: f32) -> f32 {
    var p = x;
    if (eps >= 0.0) {  // torch's order: x < eps ? eps : (x > 1 - eps ? 1 - eps : x), also for eps > 0.5
        p = select(select(x, 1.0 - eps, x > 1.0 - eps), eps, x < eps);
    }
    return log_f32(p / (1.0 - p));  // NaN outside [0, 1], as torch's (the built-in's is undefined there)
}


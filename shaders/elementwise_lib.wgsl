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
    // 1 - erfc, whose relative error (1.2e-7) is an absolute one on erf here: the result rounds as torch's
    // erf. Abramowitz & Stegun 7.1.26's absolute 1.5e-7 made 1 + erf(x) (gelu) 7000 ulp off below x = -4
    let y = 1.0 - erfc_f32(a);
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

// 2^x as 2^n exp((x - n) ln 2), x - n exact: the built-in was 2 ulp off
fn exp2_f32(x: f32) -> f32 {
    if (is_nan_f32(x)) {
        return x;
    }
    if (x >= 128.0) {
        return f32_from_bits(0x7f800000u);
    }
    if (x < -150.0) {
        return 0.0;
    }
    let n = round(x);
    return ldexp(exp_f32((x - n) * 0.6931472), i32(n));
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
    // u is exact to half an ulp of x; the ratio corrects log(u) for its rounding where the driver keeps
    // (1 + x) - 1 (lavapipe folds it to x: 2.2 ulp without it, from x = 0.25 up)
    let u = 1.0 + x;
    return log(u) * (x / (u - 1.0));  // the ratio first: log(u) * x overflowed past 3.8e36
}

// C's log1p, which keeps a subnormal x (x - x^2 / 2 rounds to x below 1e-10), as torch's xlog1py (std::log1p)
// has it; log1p_f32's x / (2 + x) loses it to 0, as torch's own log1p kernel (Sleef's) does
fn log1p_c_f32(x: f32) -> f32 {
    return select(log1p_f32(x), x, abs(x) < 1e-10);
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
    if (x < 1.17549435e-38) {
        return log_subnormal_f32(x) * 0.6931472;
    }
    return select(log(x), log1p_f32(x - 1.0), abs(x - 1.0) < 0.25);
}

fn log2_f32(x: f32) -> f32 {
    if (x <= 0.0) {
        return log_special_f32(x);
    }
    if (x < 1.17549435e-38) {
        return log_subnormal_f32(x);
    }
    return select(log2(x), log1p_f32(x - 1.0) * 1.442695, abs(x - 1.0) < 0.25);
}

// log2 of a positive subnormal, from the normal x 2^24 (exact): lavapipe's built-in reads a subnormal's
// exponent field alone (log(1e-45) was log(2^-127) = -88.03, torch's -103.28)
fn log_subnormal_f32(x: f32) -> f32 {
    return log2(x * 16777216.0) - 24.0;
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

// erfc with a relative error of a few ulp everywhere: 1 - erf(x) lost every digit past x = 4 (erfc(4.6) gave
// 0, torch 9.9e-11). Below 1.75 Numerical Recipes' erfcc (a Chebyshev fit of exp(z^2) erfc(z), 1.2e-7
// relative); from 1.75, where that fit's error grew to 31 ulp (z = 7.6), the continued fraction
// erfc(z) = exp(-z^2) / sqrt(pi) / (z + (1/2) / (z + 1 / (z + (3/2) / (z + ...)))) (Abramowitz & Stegun
// 7.1.14), 20 terms deep: 1.2e-8 relative at 1.75, less beyond
fn erfc_f32(x: f32) -> f32 {
    let z = abs(x);
    if (z > 10.1) {
        return select(0.0, 2.0, x < 0.0);  // below float32's smallest (and no inf - inf in the split)
    }
    // z^2 = hi + lo exactly: exp(-z^2) takes the rounding of z^2 as a relative error of z^2 times it (40
    // ulp at z = 9) unless lo is kept apart
    let sq = two_prod_f32(z, z);
    let hi = sq.x;
    let lo = sq.y;
    var r: f32;
    if (z >= 1.75) {
        var t = z;
        for (var n = 20; n > 0; n = n - 1) {
            t = z + (0.5 * f32(n)) / t;
        }
        r = exp_f32(-hi) * (1.0 - lo) * (0.5641896 / t);
    } else {
        let t = 1.0 / (1.0 + 0.5 * z);
        r = t * exp_f32(-hi - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
            + t * (-0.82215223 + t * 0.17087277))))))))) * (1.0 - lo);
    }
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

// -- sin, cos, tan for every float32 --
// WGSL bounds no error outside [-pi, pi] and lavapipe's reduction is lost past about 1e7 (sin(3e38) gave -1,
// torch 0.875). x is reduced exactly, as in Payne & Hanek's method ("Radian reduction for trigonometric
// functions", 1983; fdlibm's __kernel_rem_pio2 and Cephes' sinf use the same idea): x = m 2^(e - 23) with
// an integer m < 2^24, and only the 96 bits of 2/pi that can reach x 2/pi mod 4 are multiplied by m, in
// 32-bit words. The residual keeps 70 bits, more than float32's closest approach of x to a multiple of
// pi/2 needs (about 2^-30 of x's ulp).

// 2/pi's first 224 bits after 32 zero bits (the zeros let an x below 2^25 use the same window)
fn two_over_pi_word(i: u32) -> u32 {
    var words = array<u32, 8>(0u, 0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u, 0x3c439041u,
                              0xfe5163abu);
    return words[i];
}

// the 32 bits of the table from bit 32 i + sh (a shift by 32 or more is undefined in SPIR-V: none here)
fn shifted_word(i: u32, sh: u32) -> u32 {
    return (two_over_pi_word(i) << sh) | ((two_over_pi_word(i + 1u) >> 1u) >> (31u - sh));
}

// the high word of the 64-bit product a * b (the low word is a * b itself, as u32 wraps)
fn mul_hi_u32(a: u32, b: u32) -> u32 {
    let al = a & 0xffffu;
    let ah = a >> 16u;
    let bl = b & 0xffffu;
    let bh = b >> 16u;
    let u = ah * bl;
    let v = al * bh;
    let mid = ((al * bl) >> 16u) + (u & 0xffffu) + (v & 0xffffu);
    return ah * bh + (u >> 16u) + (v >> 16u) + (mid >> 16u);
}

// a and b's product as a float plus its rounding error: Dekker's two-product, 12-bit halves whose partial
// products are exact. Not the fma built-in: Vulkan lets it be unfused, and lavapipe's is (its error was 0)
fn two_prod_f32(a: f32, b: f32) -> vec2<f32> {
    let p = a * b;
    let ca = 4097.0 * a;
    let ah = ca - (ca - a);
    let al = a - ah;
    let cb = 4097.0 * b;
    let bh = cb - (cb - b);
    let bl = b - bh;
    return vec2<f32>(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
}

// x itself, through a test the compiler cannot decide (one NaN pattern swapped for another): an
// optimiser that rewrites float sums algebraically (lavapipe's: s - (s - p) to p) cannot see through it
fn kept_f32(x: f32) -> f32 {
    let u = bitcast<u32>(x);
    return bitcast<f32>(select(u, u ^ 1u, u == 0x7fc00001u));
}

// a * b + c rounded once, as a CPU's fused multiply-add (torch's vectors use one) where the built-in may
// be unfused (lavapipe's is). The operands are cut into 12-bit halves by masking their bits (not by
// Dekker's arithmetic, which a driver contracting a product into a sum breaks), so the four partial
// products are exact whatever the driver fuses; they join c through Knuth's two-sum (its steps kept from
// algebraic rewriting by kept_f32; the last addition can still round twice, rarely). Where that
// overflows, the same at half scale, doubled (exact for terms this large), so a c that cancels the
// product still counts (lerp(0, 3.4e38, -1) is -3.4e38, not -inf); where even that overflows, the plain
// sum, with an infinite c kept against a product that overflowed (the fused inf + -3.4e38 * 2.5 is inf,
// the plain one NaN); where the result is below 2^-100, fused_tiny_f32; where it is zero, the plain sum
// too (the sum is then exact, and its sign of zero is the fused one's: -0 * 0.5 + -0 is -0, where the
// error terms' +0 would make it +0). Its twin for
// the cpu device's doubles: fma in pyfront/backends/vector_range.py (Veltkamp's split there: NumPy
// contracts nothing)
fn fused_f32(a: f32, b: f32, c: f32) -> f32 {
    let r = fused_parts_f32(a, b, c);
    if (finite_nonzero_f32(r) && abs(r) >= 7.888609e-31) {
        return r;
    }
    if (finite_f32(r)) {
        return fused_tiny_f32(a, b, c, r);
    }
    let half = 2.0 * fused_parts_f32(0.5 * a, b, 0.5 * c);
    if (finite_nonzero_f32(half)) {
        return half;
    }
    return select(a * b + c, c, is_inf_f32(c) && finite_f32(a) && finite_f32(b));
}


// fused_f32 where its result r is below 2^-100 or 0: a subnormal operand's 12-bit halves are not exact
// (1e-45 * -0.5 rounded to 0, where the fused -7e-46 + 0 rounds to -0), so the smaller factor and c go 2^64
// up first and the result comes down once (its one rounding, and its sign of zero, as the fused one's)
fn fused_tiny_f32(a: f32, b: f32, c: f32, r: f32) -> f32 {
    if (abs(c) < 5.421010862427522e-20) {
        let up = 18446744073709551616.0;
        let a_smaller = abs(a) <= abs(b);
        let s = fused_parts_f32(select(a, a * up, a_smaller), select(b * up, b, a_smaller), c * up);
        if (finite_nonzero_f32(s)) {
            return s * 5.421010862427522e-20;
        }
        if (c == 0.0 && a != 0.0 && b != 0.0) {
            // a product below 2^-150 even so (1e-45 * -1e-45): the fused sum is it, a zero of its sign
            return bitcast<f32>((bitcast<u32>(a) ^ bitcast<u32>(b)) & 0x80000000u);
        }
    }
    return select(a * b + c, r, r != 0.0);  // an exact 0: the plain sum's sign of zero (see fused_f32)
}

fn finite_nonzero_f32(x: f32) -> bool {
    return ((bitcast<u32>(x) & 0x7fffffffu) - 1u) < 0x7f7fffffu;
}

// fused_f32's exact parts: r where it is finite and not 0
fn fused_parts_f32(a: f32, b: f32, c: f32) -> f32 {
    let ah = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
    let bh = bitcast<f32>(bitcast<u32>(b) & 0xfffff000u);
    let al = a - ah;
    let bl = b - bh;
    let p = ah * bh;
    let s = kept_f32(p + c);
    let bv = kept_f32(s - p);
    let err = (p - kept_f32(s - bv)) + (c - bv);  // p + c == s + err exactly
    return s + (((ah * bl + al * bh) + al * bl) + err);
}

// x = (4k + q) pi/2 + r, |r| <= pi/4: (r as a float and its low part, q). NaN and +-inf give NaN
fn trig_reduce_f32(x: f32) -> vec3<f32> {
    let a = abs(x);
    if (a <= 0.7853981) {
        return vec3<f32>(x, 0.0, 0.0);
    }
    if (is_nan_f32(x) || is_inf_f32(x)) {
        return vec3<f32>(f32_from_bits(0x7fc00000u), 0.0, 0.0);
    }
    let bits = bitcast<u32>(a);
    let m = (bits & 0x7fffffu) | 0x800000u;
    // x 2/pi = m 2^(e - 23) 2/pi: the bits of 2/pi before position e + 7 (of the padded table) give
    // multiples of 4, those past the 96 from there less than m 2^-94 <= 2^-70
    let s = (bits >> 23u) - 120u;  // e + 7, at least 6 here (a > pi/4)
    let i = s >> 5u;
    let sh = s & 31u;
    let w0 = shifted_word(i, sh);
    let w1 = shifted_word(i + 1u, sh);
    let w2 = shifted_word(i + 2u, sh);
    // bits 0..95 of m * w (the fixed point x 2/pi mod 4, 94 bits after the point), rounded at the point
    let p0 = m * w2;
    let l1 = m * w1;
    let p1 = l1 + mul_hi_u32(m, w2);
    let p2 = m * w0 + mul_hi_u32(m, w1) + select(0u, 1u, p1 < l1) + (1u << 29u);
    let q = p2 >> 30u;
    // the residual's magnitude, a 94-bit fraction in three words (h, g, f), and its sign
    var h = (p2 & 0x3fffffffu) - (1u << 29u);  // two's complement in the top word
    var g = p1;
    var f = p0;
    let negative = (h >> 31u) == 1u;
    if (negative) {
        f = ~f + 1u;
        g = ~g + select(0u, 1u, f == 0u);
        h = ~h + select(0u, 1u, f == 0u && g == 0u);
    }
    // normalise (h, g) so h's top bit is set: at most two word shifts, as the residual is above 2^-64
    var shift = 0;
    for (var k = 0; k < 2; k = k + 1) {
        if (h == 0u) {
            h = g;
            g = f;
            f = 0u;
            shift = shift + 32;
        }
    }
    let lz = min(countLeadingZeros(h), 31u);
    h = (h << lz) | ((g >> 1u) >> (31u - lz));
    g = (g << lz) | ((f >> 1u) >> (31u - lz));
    // the fraction (h 2^-32 + g 2^-64) 2^(2 - shift - lz) as a float and its low part, then times pi/2 as
    // two floats (pi/2 = 1.5707964 - 4.3711388e-8)
    let e = 2 - shift - i32(lz);
    let fh = ldexp(f32(h >> 8u) * 5.9604645e-8, e);
    let fl = ldexp((f32(h & 0xffu) + f32(g) * 2.3283064e-10) * 2.3283064e-10, e);
    let t = two_prod_f32(fh, 1.5707964);
    var r = t.x;
    var rl = t.y + (fh * -4.3711388e-8 + fl * 1.5707964);
    var quadrant = q;
    if (negative) {
        r = -r;
        rl = -rl;
    }
    if (x < 0.0) {
        r = -r;
        rl = -rl;
        quadrant = (4u - q) & 3u;
    }
    return vec3<f32>(r, rl, f32(quadrant));
}

// sin(r + rl) and cos(r + rl) for |r| <= pi/4: Cephes' sinf/cosf polynomials (single precision, about
// 1 ulp there), and rl's first-order term; sin(-0) is -0
fn sincos_kernel_f32(r: f32, rl: f32) -> vec2<f32> {
    let z = r * r;
    let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
    let c = (1.0 - 0.5 * z) + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
    return vec2<f32>(select(s + rl * c, r, r == 0.0), c - rl * r);
}

fn sin_f32(x: f32) -> f32 {
    let t = trig_reduce_f32(x);
    let sc = sincos_kernel_f32(t.x, t.y);
    let q = u32(t.z);
    let v = select(sc.x, sc.y, (q & 1u) == 1u);
    return select(v, -v, q >= 2u);
}

fn cos_f32(x: f32) -> f32 {
    let t = trig_reduce_f32(x);
    let sc = sincos_kernel_f32(t.x, t.y);
    let q = u32(t.z);
    let v = select(sc.y, sc.x, (q & 1u) == 1u);
    return select(v, -v, q == 1u || q == 2u);
}

fn tan_f32(x: f32) -> f32 {
    let t = trig_reduce_f32(x);
    let sc = sincos_kernel_f32(t.x, t.y);
    return select(sc.x / sc.y, -sc.y / sc.x, (u32(t.z) & 1u) == 1u);
}

fn pow_f32(x: f32, y: f32) -> f32 {
    // C's pow special cases (as PyTorch), products for the exponents PyTorch computes by products, then
    // 2^(y log2 x) with log2 x and the product in two floats (pow_positive_f32)
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
    if (integral && abs(y) <= 3.0) {
        return powi_f32(x, i32(y));  // the sign of a negative (or -0) base comes with the products
    }
    if (!integral && x < 0.0 && !is_inf_f32(x)) {
        return f32_from_bits(0x7fc00000u);  // NaN, as PyTorch
    }
    var r: f32;
    if (ax == 0.0 || is_inf_f32(ax)) {
        r = select(0.0, inf, (ax == 0.0) == (y < 0.0));
    } else if (ax == 1.0) {
        r = 1.0;  // pow_positive_f32's products of a huge y overflowed ((-1) ** 3.4e38 was NaN)
    } else if (y == 0.5) {
        r = sqrt(ax);  // correctly rounded, as PyTorch's sqrt for ** 0.5
    } else if (y == -0.5) {
        r = 1.0 / sqrt(ax);
    } else {
        r = pow_positive_f32(ax, y);
        // a base of b significant bits has an exact n-th power by products where n b <= 24 (3 ** 4 = 81,
        // 1.5 ** 4 = 5.0625, where the logarithm's may be an ulp off), and its reciprocal is correctly
        // rounded
        let bits = 24u - countTrailingZeros((bitcast<u32>(ax) & 0x7fffffu) | 0x800000u);
        if (integral && abs(y) * f32(bits) <= 24.0) {
            let p = powi_f32(ax, i32(abs(y)));
            r = select(p, 1.0 / p, y < 0.0);
        }
    }
    // an odd integral exponent keeps the sign of a negative base (-0 and -inf included)
    let negative = (bitcast<u32>(x) >> 31u) == 1u;
    return select(r, -r, negative && integral && abs(y % 2.0) == 1.0);
}

// x^y for a positive normal x and finite y, within about an ulp: WGSL's pow is exp2(y * log2(x)) in
// float32, whose rounding of the product is an error of up to 150 ulp of the exponent (x ** 2.5 was 11
// ulp off, 0.73 ** 140.2 22). log2 x = k + log2 m (m in [sqrt(1/2), sqrt(2))) with ln m = 2 atanh(s),
// s = (m - 1) / (m + 1) kept to 2^-40 in two floats (fdlibm's e_pow.c does the same in doubles), the
// products y k and y log2 m exact in two floats (two_prod_f32), then 2^n exp(f ln 2).
// Every correction here is a product's error or an exact difference, never a constant added and taken
// away: the drivers reassociate constants (lavapipe folds (m + 1) - 1 to m)
fn pow_positive_f32(x: f32, y: f32) -> f32 {
    let fr = frexp(x);
    var m = fr.fract;
    var k = fr.exp;
    if (m < 0.70710677) {
        m = m * 2.0;
        k = k - 1;
    }
    // s = a / (2 + a), a = m - 1 exact; the residual a - s (2 + a) = (a - 2 s) - s a, where a - 2 s and
    // its difference with s a are exact (each pair within a factor 2: Sterbenz)
    let a = m - 1.0;
    let sh = a / (2.0 + a);
    let q = two_prod_f32(sh, a);
    let sl = (((a - 2.0 * sh) - q.x) - q.y) / (2.0 + a);
    // ln m = 2 s + 2 s^3 / 3 + ... (|s| <= 0.172: the tail below 2^-40 of ln m after s^15)
    let z = sh * sh;
    let tail = sh * z * (0.6666667 + z * (0.4 + z * (0.2857143 + z * (0.22222222 + z * (0.18181818
               + z * (0.15384616 + z * 0.13333334))))));
    let lh = 2.0 * sh;
    let ll = 2.0 * sl + tail;
    // log2 m = ln m * log2(e), log2(e) = 1.442695 + 1.925963e-8
    let g = two_prod_f32(lh, 1.442695);
    let gl = g.y + (lh * 1.925963e-8 + ll * 1.442695);
    // y log2 x = y k + y log2 m: each product in two floats, each split at its nearest integer
    let p1 = two_prod_f32(y, f32(k));
    let p2 = two_prod_f32(y, g.x);
    let th = p1.x + p2.x;
    if (th >= 128.5) {
        return f32_from_bits(0x7f800000u);
    }
    if (th < -151.0) {
        return 0.0;
    }
    let n1 = round(p1.x);
    let n2 = round(p2.x);
    let f = ((p1.x - n1) + (p2.x - n2)) + (p1.y + p2.y + y * gl);
    return ldexp(exp_f32(f * 0.6931472), i32(n1) + i32(n2));
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

fn finite_f32(x: f32) -> bool {
    return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
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
    var r: f32;
    if (y < 1.17549435e-38) {
        // frexp of a subnormal is wrong on lavapipe (1e-45 % 1e-45 was -2.9e-39): reduce by the normal
        // y 2^24 first (a multiple of y, so the remainder mod y is kept), then scale the rest by 2^24 (exact)
        let m = fmod_normal_f32(abs(a), y * 16777216.0);
        r = fmod_normal_f32(m * 16777216.0, y * 16777216.0) * 5.9604645e-8;
    } else {
        r = fmod_normal_f32(abs(a), y);
    }
    return select(r, -r, sign_bit_f32(a));  // a zero result keeps a's sign, as C's fmod
}

// fmod of r >= 0 by a normal y > 0, by subtracting y scaled into r's binade (each step exact)
fn fmod_normal_f32(x: f32, y: f32) -> f32 {
    var r = x;
    if (r < y) {
        return r;  // y infinite too
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
    return r;
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

// atan2 through atan_f32 of |y / x| (the built-in was 174 ulp off at y / x = 2e-16: Vulkan lets it be
// 4096), in C's quadrants: pi - t with pi in two parts (3.1415927 - 8.742278e-8) where x < 0 or x = -0.
// WGSL leaves atan2(0, 0) undefined; C gives +-0 for x = +0 and +-pi for x = -0
fn atan2_f32(y: f32, x: f32) -> f32 {
    if (is_nan_f32(x) || is_nan_f32(y)) {
        return f32_from_bits(0x7fc00000u);
    }
    // any zero y, as C: y itself (its sign kept) for x >= +0, +-pi for x <= -0
    if (y == 0.0) {
        return select(y, select(3.1415927, -3.1415927, sign_bit_f32(y)), sign_bit_f32(x));
    }
    var t: f32;
    if (is_inf_f32(x) && is_inf_f32(y)) {
        t = 0.7853982;  // pi/4, and 3 pi/4 below
    } else {
        t = atan_f32(abs(y / x));  // an overflowing ratio gives pi/2, an underflowing one 0, as C
    }
    if (sign_bit_f32(x)) {
        t = (3.1415927 - t) - 8.742278e-8;
    }
    return select(t, -t, sign_bit_f32(y));
}

// -- special functions (float32 accuracy; the cpu rules in ops/primitives/special.py are float64) --

// sin(pi * x) up to its sign, through x's distance to the nearest integer: exact near a pole, where
// sin of the product pi * x would lose every digit
fn sinpi_f32(x: f32) -> f32 {
    return sin_f32(3.1415927 * (x - round(x)));
}

// log Gamma(1 + e) and log Gamma(2 + e) for |e| <= 1/2 by their Taylor series (Abramowitz & Stegun 6.1.33:
// -gamma e + sum_k>=2 (-1)^k zeta(k) / k e^k, and with zeta(k) - 1 and 1 - gamma around 2; coefficients
// from mpmath). Relative near the zeros at 1 and 2, where the Lanczos sum's absolute 5e-7 was thousands of
// ulp (lgamma(1 - 6e-8) gave 4.8e-7, torch 3.4e-8)
fn lgamma1p_f32(e: f32) -> f32 {
    var c = array<f32, 26>(-0.577215672, 0.822467029, -0.400685638, 0.270580798, -0.207385555, 0.169557184,
        -0.144049898, 0.125509664, -0.111334264, 0.100099459, -0.0909540206, 0.0833538398, -0.0769325197,
        0.0714329481, -0.0666687042, 0.0625009537, -0.0588239804, 0.0555557683, -0.0526316799, 0.0500000492,
        -0.0476190709, 0.045454558, -0.0434782654, 0.0416666679, -0.0400000028, 0.0384615399);
    var p = 0.0;
    for (var k = 25; k >= 0; k = k - 1) {
        p = p * e + c[k];
    }
    return select(p * e, 0.0, e == 0.0);  // lgamma(1) and lgamma(2) are +0
}

fn lgamma2p_f32(e: f32) -> f32 {
    var c = array<f32, 16>(0.422784328, 0.322467029, -0.0673523024, 0.0205808077, -0.007385551, 0.00289051025,
        -0.0011927539, 0.000509669539, -0.000223154755, 9.94575094e-05, -4.4926237e-05, 2.0507212e-05,
        -9.43948817e-06, 4.37486688e-06, -2.03921581e-06, 9.55141218e-07);
    var p = 0.0;
    for (var k = 15; k >= 0; k = k - 1) {
        p = p * e + c[k];
    }
    return select(p * e, 0.0, e == 0.0);  // lgamma(1) and lgamma(2) are +0
}

// log|Gamma(x)| for x > 0: the series around 1 below 1.5 (lgamma(x) = lgamma(1 + x) - log(x) below 1/2),
// around 2 below 2.5, up to 8 the recurrence Gamma(x) = (x - 1) ... (x - k) Gamma(x - k) down to [1.5, 2.5)
// (each x - j exact, the product's rounding relative), from 8 Stirling's series to 1 / x^5 (A&S 6.1.41)
fn lgamma_positive_f32(x: f32) -> f32 {
    if (x < 0.5) {
        return lgamma1p_f32(x) - log_f32(x);
    }
    if (x < 1.5) {
        return lgamma1p_f32(x - 1.0);
    }
    if (x < 8.0) {
        var y = x;
        var prod = 1.0;
        for (var k = 0; k < 6; k = k + 1) {
            if (y < 2.5) {
                break;
            }
            y = y - 1.0;
            prod = prod * y;
        }
        return lgamma2p_f32(y - 2.0) + log_f32(prod);
    }
    let w = 1.0 / x;
    let z = w * w;
    // (x - 1/2) log x - x + log(2 pi) / 2 + 1 / (12 x) - 1 / (360 x^3) + 1 / (1260 x^5); overflows to inf
    // past 4e36, as torch's
    return (x - 0.5) * (log_f32(x) - 1.0) + (0.41893853 + w * (0.083333333 - z * (0.0027777778
           - z * 0.00079365079)));
}

// log|Gamma(x)|; below 1/2 the reflection Gamma(x) Gamma(1 - x) = pi / sin(pi x). Poles (0, -1, ...) and
// +-inf give inf, as C's lgamma
fn lgamma_f32(x: f32) -> f32 {
    if (is_inf_f32(x) || (x <= 0.0 && x == floor(x))) {
        return f32_from_bits(0x7f800000u);
    }
    if (x < 0.0) {
        return log_f32(3.1415927 / abs(sinpi_f32(x))) - lgamma_positive_f32(1.0 - x);
    }
    return lgamma_positive_f32(x);
}

// digamma as torch's calc_digamma (Cephes' psi): the reflection psi(x) = psi(1 - x) - pi cot(pi x) below 0,
// the recurrence psi(x) = psi(x + 1) - 1 / x up to x >= 10 (at most 10 steps), psi(10) itself, then the
// asymptotic series (Cephes' coefficients, B_2k / 2k). psi(+-0) is -+inf, negative integers and -inf NaN.
// Below 0 the two terms cancel near psi's zeros: torch's float32 result is itself 1000 ulp off there
fn digamma_f32(x0: f32) -> f32 {
    if (x0 == 0.0) {
        return select(f32_from_bits(0xff800000u), f32_from_bits(0x7f800000u), sign_bit_f32(x0));
    }
    if (x0 < 0.0 && x0 == floor(x0)) {
        return f32_from_bits(0x7fc00000u);
    }
    var x = x0;
    var reflection = 0.0;
    if (x < 0.0) {
        reflection = 3.1415927 * cot_pi_f32(x);
        x = 1.0 - x;
    }
    var r = 0.0;
    for (var i = 0; i < 10; i = i + 1) {
        if (x >= 10.0) {
            break;
        }
        r = r - 1.0 / x;
        x = x + 1.0;
    }
    if (x == 10.0) {
        return (r + 2.2517526) - reflection;
    }
    let z = 1.0 / (x * x);
    let tail = z * ((((((0.083333333 * z - 0.021092796) * z + 0.0075757576) * z - 0.0041666667) * z
                      + 0.003968254) * z - 0.0083333333) * z + 0.083333333);
    return (r + log_f32(x) - 0.5 / x - tail) - reflection;
}

// trigamma: the reflection psi1(x) + psi1(1 - x) = pi^2 / sin^2(pi x) below 0.5, six recurrence
// steps, then the asymptotic series (A&S 6.4.12)
fn trigamma_f32(x0: f32) -> f32 {
    var x = x0;
    var r = 0.0;
    var sgn = 1.0;
    if (x < 0.5) {
        sgn = -1.0;
        let s = sin_f32(3.1415927 * x);  // as torch's: finite at a negative integer (sin(pi * -1) is not 0)
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
    if (x < 0.0 && x != floor(x)) {
        // the reflection psi_n(x) = (-1)^n psi_n(1 - x) - pi^(n+1) P_n(cot(pi x)), where the n-th derivative
        // of cot(pi x) is pi^n P_n(cot(pi x)), P_0(c) = c, P_k+1(c) = -(1 + c^2) P_k'(c): the zeta sum runs
        // from x up to 9 term by term, which at x = -73.5 was cut short (it gave -0.00018, torch 2.19)
        var p: array<f32, 42>;
        p[1] = 1.0;
        let m = min(u32(n), 39u);
        for (var k = 0u; k < m; k = k + 1u) {
            var q: array<f32, 42>;  // -(1 + c^2) times the derivative, degree k + 2
            for (var j = 0u; j <= k + 2u; j = j + 1u) {
                let d = select(0.0, f32(j + 1u) * p[j + 1u], j + 1u <= k + 1u);
                let d2 = select(0.0, f32(j - 1u) * p[max(j, 1u) - 1u], j >= 2u);  // no index below 0
                q[j] = -(d + d2);
            }
            p = q;
        }
        let c = cot_pi_f32(x);
        var v = 0.0;
        for (var j = i32(m) + 1; j >= 0; j = j - 1) {
            v = v * c + p[j];
        }
        var pi_power = 3.1415927;
        for (var k = 0u; k < m; k = k + 1u) {
            pi_power = pi_power * 3.1415927;
        }
        return select(-1.0, 1.0, (m & 1u) == 0u) * polygamma_zeta_f32(n, 1.0 - x) - pi_power * v;
    }
    return polygamma_zeta_f32(n, x);
}

fn polygamma_zeta_f32(n: f32, x: f32) -> f32 {
    var fact = 1.0;
    for (var i = 2.0; i <= n && i < 40.0; i = i + 1.0) {
        fact = fact * i;
    }
    return select(-1.0, 1.0, (u32(n) & 1u) == 1u) * fact * zeta_f32(n + 1.0, x);
}

// cot(pi x) through x's distance s to the nearest integer (cot has period 1), exact near a pole; pi s in
// two floats, its low part l taken in by cot(t + l) = cot(t) - (1 + cot(t)^2) l: cot(pi / 2) is 0, not
// the 4.4e-8 of the rounded pi / 2, which polygamma's P_n multiplied by n! pi^(n+1)
fn cot_pi_f32(x: f32) -> f32 {
    let s = x - round(x);
    let t = two_prod_f32(s, 3.1415927);
    let c = cos_f32(t.x) / sin_f32(t.x);
    let l = t.y + s * -8.742278e-8;
    return c - (l + c * (c * l));  // not (1 + c^2) l: c^2 overflows near a pole (x = -1e-30)
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
    if (is_nan_f32(a) || is_nan_f32(b)) {  // a NaN operand itself, its sign kept (b's first, as torch's)
        return select(a, b, is_nan_f32(b));
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

// nextafter of two float16 values held in f32 (the lib is shared by shaders without f16): the float16
// neighbour is a power-of-two step away, one binade smaller going down from a power of two
fn nextafter_f16_in_f32(a: f32, b: f32) -> f32 {
    if (is_nan_f32(a) || is_nan_f32(b)) {  // a NaN operand itself, a's first (torch's float16 kernel)
        return select(b, a, is_nan_f32(a));
    }
    if (a == b) {
        return b;
    }
    if (a == 0.0) {
        return select(5.9604645e-8, -5.9604645e-8, b < 0.0);  // float16's smallest subnormal
    }
    if (abs(a) > 65504.0) {
        return select(65504.0, -65504.0, a < 0.0);  // from an infinity: float16's largest
    }
    let u = bitcast<u32>(a);
    let away = (a < b) == (a > 0.0);
    let e = i32((u >> 23u) & 0xffu) - 127;
    let p = select(e - 10, e - 11, !away && (u & 0x7fffffu) == 0u);
    let m = abs(a) + select(-1.0, 1.0, away) * ldexp(1.0, max(p, -24));
    return select(m, -m, a < 0.0);
}

// Euclid's algorithm: at most 47 steps for 32-bit operands (consecutive Fibonacci numbers are the worst).
// int8/int16 operands come shifted to the top of the lane (``shift`` 24, 16): then abs() of their minimum
// wraps to itself and each remainder keeps the dividend's sign, as in torch's own-width arithmetic
fn gcd_i32(x: i32, y: i32, shift: u32) -> i32 {
    var a = abs(x << shift);
    var b = abs(y << shift);
    for (var i = 0; i < 48; i = i + 1) {
        if (b == 0i) {
            break;
        }
        let r = a % b;
        a = b;
        b = r;
    }
    return a >> shift;
}

// the gcd of the operand width, the product in 32 bits (C promotes int8/int16 to int), wrapped when stored
fn lcm_i32(x: i32, y: i32, shift: u32) -> i32 {
    let g = gcd_i32(x, y, shift);
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

// log(e^a + e^b), or log2(2^a + 2^b) for base2: the larger plus log1p(exp(-|a - b|)); equal infinities
// give themselves, as torch (their difference would be NaN)
fn logaddexp_f32(a: f32, b: f32, base2: bool) -> f32 {
    if (a == b && is_inf_f32(a)) {
        return a;
    }
    let m = select(b, a, a > b);
    // the accurate exp and log1p (the built-in exp's error is absolute: its exp(-13) was 3% off)
    if (!base2) {
        return m + log1p_f32(exp_f32(-abs(a - b)));
    }
    // torch's vectorized logaddexp2 fuses m + log1p(2^-|a - b|) / ln 2 (a multiply-add): where the sum
    // cancels (a near b near -1) only the exact product keeps its digits
    let p = two_prod_f32(log1p_f32(exp2_f32(-abs(a - b))), 1.442695);
    return (m + p.x) + p.y;
}

// logit with p clamped to [eps, 1 - eps] where eps >= 0 (a negative eps: none)
fn logit_f32(x: f32, eps: f32) -> f32 {
    var p = x;
    if (eps >= 0.0) {  // torch's order: x < eps ? eps : (x > 1 - eps ? 1 - eps : x), also for eps > 0.5
        p = select(select(x, 1.0 - eps, x > 1.0 - eps), eps, x < eps);
    }
    return log_f32(p / (1.0 - p));  // NaN outside [0, 1], as torch's (the built-in's is undefined there)
}


//!include complex_lib.wgsl

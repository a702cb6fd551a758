// complex64 helpers for elementwise expressions (included by elementwise_lib.wgsl): a complex number is
// a vec2<f32> (real, imaginary), the float32 pair torch.view_as_real shows (its product, cmul, and truth,
// nonzero_c64, are in common.wgsl, for the scans' and reductions' folds too). The formulas are torch's CPU
// kernels' (ATen's Vectorized<c10::complex<float>>), so the values agree to float32 rounding.

// (a + bi) / (c + di) by Smith's algorithm, as c10::complex's operator/ (torch's complex div and reciprocal
// kernels) and NumPy's: the ratio of the divisor's smaller part to its larger first, so c^2 + d^2 never
// overflows or underflows; a zero divisor gives a / 0 and b / 0 (inf + infj, or NaN for 0 / 0), as there
fn cdiv(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    // NaN told by its bits first: compilers fold the comparisons below as if it could not occur
    let nan = f32_from_bits(0x7fc00000u);
    if (cnan(b)) {
        return vec2<f32>(nan, nan);
    }
    let abs_c = abs(b.x);
    let abs_d = abs(b.y);
    if (abs_c == 0.0 && abs_d == 0.0) {
        return vec2<f32>(a.x / abs_c, a.y / abs_d);
    }
    if (cnan(a)) {
        return vec2<f32>(nan, nan);
    }
    if (abs_c >= abs_d) {
        let rat = b.y / b.x;
        let scl = 1.0 / (b.x + b.y * rat);
        return vec2<f32>((a.x + a.y * rat) * scl, (a.y - a.x * rat) * scl);
    }
    let rat = b.x / b.y;
    let scl = 1.0 / (b.y + b.x * rat);
    return vec2<f32>((a.x * rat + a.y) * scl, (a.y * rat - a.x) * scl);
}

// exp(x) (cos y + i sin y), with the float32 functions above (accurate where the built-ins are not), and
// C's values (Annex G, torch's std::exp) where a part is not finite: e^-inf is 0 whatever y (0 + 0j), a
// real exponent stays real (exp(inf + 0j) is inf + 0j), e^inf with y infinite or NaN is inf + nanj
fn cexp(a: vec2<f32>) -> vec2<f32> {
    let y_finite = !is_nan_f32(a.y) && !is_inf_f32(a.y);
    if (is_inf_f32(a.x) && !y_finite) {
        return select(vec2<f32>(a.x, f32_from_bits(0x7fc00000u)), vec2<f32>(0.0, 0.0), a.x < 0.0);
    }
    let r = exp_f32(a.x);
    if (a.y == 0.0) {
        return vec2<f32>(r, a.y);
    }
    return vec2<f32>(r * cos_f32(a.y), r * sin_f32(a.y));
}

// log|z| + i arg z
fn clog(a: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(log_f32(hypot_f32(a.x, a.y)), atan2_f32(a.y, a.x));
}

fn cnan(a: vec2<f32>) -> bool {
    return is_nan_f32(a.x) || is_nan_f32(a.y);
}

fn cinf(a: vec2<f32>) -> bool {
    return is_inf_f32(a.x) || is_inf_f32(a.y);
}

// the principal square root: sqrt((|z| + |x|) / 2) on the side of x, the other part from it (no
// cancellation either way); sqrt(0 +- 0j) keeps the imaginary part's sign, and an infinite imaginary part
// gives inf + that, whatever x (C's csqrt, torch's)
fn csqrt(a: vec2<f32>) -> vec2<f32> {
    if (a.x == 0.0 && a.y == 0.0) {
        return vec2<f32>(0.0, a.y);
    }
    if (is_inf_f32(a.y)) {
        return vec2<f32>(f32_from_bits(0x7f800000u), a.y);
    }
    let t = sqrt_f32((hypot_f32(a.x, a.y) + abs(a.x)) * 0.5);
    if (a.x >= 0.0) {
        return vec2<f32>(t, a.y / (2.0 * t));
    }
    return vec2<f32>(abs(a.y) / (2.0 * t), select(t, -t, sign_bit_f32(a.y)));
}

// a ** b as torch's complex pow, C's cpow: exp(b log a) with C's complex product (its number exponents 0,
// 1, +-0.5, -1 and 2 take their own ops before the kernel: ops/primitives/elementwise.py's pow)
fn cpow(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    return cexp(cmul_c99(b, clog(a)));
}

// z * w as C's complex product (Annex G, libgcc's __mulsc3): where both parts of the plain product are NaN
// but an operand or a partial product is infinite, the infinity is recovered (the NumPy rule's
// _c99_product): the infinite operand's parts boxed to +-1 and +-0, the other's NaNs to +-0
fn cmul_c99(z: vec2<f32>, w: vec2<f32>) -> vec2<f32> {
    let p = cmul(z, w);
    if (!is_nan_f32(p.x) || !is_nan_f32(p.y)) {
        return p;
    }
    var a = z.x;
    var b = z.y;
    var c = w.x;
    var d = w.y;
    let z_inf = is_inf_f32(a) || is_inf_f32(b);
    let w_inf = is_inf_f32(c) || is_inf_f32(d);
    let partial_inf = is_inf_f32(a * c) || is_inf_f32(b * d) || is_inf_f32(a * d) || is_inf_f32(b * c);
    if (!z_inf && !w_inf && !partial_inf) {
        return p;
    }
    if (z_inf) {
        a = signed_unit(is_inf_f32(a), a);
        b = signed_unit(is_inf_f32(b), b);
        c = select(c, signed_unit(false, c), is_nan_f32(c));
        d = select(d, signed_unit(false, d), is_nan_f32(d));
    }
    if (w_inf) {
        c = signed_unit(is_inf_f32(c), c);
        d = signed_unit(is_inf_f32(d), d);
        a = select(a, signed_unit(false, a), is_nan_f32(a));
        b = select(b, signed_unit(false, b), is_nan_f32(b));
    }
    if (!z_inf && !w_inf) {
        a = select(a, signed_unit(false, a), is_nan_f32(a));
        b = select(b, signed_unit(false, b), is_nan_f32(b));
        c = select(c, signed_unit(false, c), is_nan_f32(c));
        d = select(d, signed_unit(false, d), is_nan_f32(d));
    }
    let inf = f32_from_bits(0x7f800000u);
    return vec2<f32>(inf * (a * c - b * d), inf * (a * d + b * c));
}

// +-1 (one) or +-0 with the sign of x
fn signed_unit(one: bool, x: f32) -> f32 {
    let m = select(0.0, 1.0, one);
    return select(m, -m, sign_bit_f32(x));
}

// sin z = -i sinh(iz), cos z = cosh(iz): C's identities, so their special values are csinh's and ccosh's,
// but for sin's infinite imaginary part beside a NaN real one, +inf as glibc's csin gives it
fn csin(a: vec2<f32>) -> vec2<f32> {
    let t = csinh(vec2<f32>(-a.y, a.x));
    return vec2<f32>(t.y, select(-t.x, abs(t.x), is_nan_f32(t.y)));
}

fn ccos(a: vec2<f32>) -> vec2<f32> {
    return ccosh(vec2<f32>(-a.y, a.x));
}

// sinh(x + iy) = sinh x cos y + i cosh x sin y; cosh(x + iy) = cosh x cos y + i sinh x sin y (a real
// argument's imaginary part stays its zero, where sinh x overflows too); past finite parts C's values
// (Annex G, glibc's, torch's std::sinh and std::cosh): an infinite x gives +-inf cis y (inf + nanj where y
// is not finite), a zero x with y not finite 0 + nanj (cosh: nan + 0j), NaN elsewhere
fn csinh(a: vec2<f32>) -> vec2<f32> {
    let nan = f32_from_bits(0x7fc00000u);
    if (finite_f32(a.x) && a.y == 0.0) {
        return vec2<f32>(sinh_f32(a.x), a.y);
    }
    if (finite_f32(a.x) && finite_f32(a.y)) {
        return vec2<f32>(sinh_f32(a.x) * cos_f32(a.y), cosh_f32(a.x) * sin_f32(a.y));
    }
    if (is_inf_f32(a.x)) {
        if (a.y == 0.0) {
            return a;
        }
        if (finite_f32(a.y)) {
            return vec2<f32>(a.x * cos_f32(a.y), abs(a.x) * sin_f32(a.y));
        }
        return vec2<f32>(abs(a.x), nan);
    }
    if (a.x == 0.0 && !is_nan_f32(a.x)) {
        return vec2<f32>(a.x, nan);
    }
    if (a.y == 0.0 && !is_nan_f32(a.y)) {
        return vec2<f32>(nan, a.y);
    }
    return vec2<f32>(nan, nan);
}

fn ccosh(a: vec2<f32>) -> vec2<f32> {
    let nan = f32_from_bits(0x7fc00000u);
    if (finite_f32(a.x) && a.y == 0.0) {
        return vec2<f32>(cosh_f32(a.x), select(a.y, -a.y, a.x < 0.0));
    }
    if (finite_f32(a.x) && finite_f32(a.y)) {
        return vec2<f32>(cosh_f32(a.x) * cos_f32(a.y), sinh_f32(a.x) * sin_f32(a.y));
    }
    if (is_inf_f32(a.x)) {
        if (a.y == 0.0) {
            return vec2<f32>(abs(a.x), select(a.y, -a.y, a.x < 0.0));
        }
        if (finite_f32(a.y)) {
            return vec2<f32>(abs(a.x) * cos_f32(a.y), a.x * sin_f32(a.y));
        }
        return vec2<f32>(abs(a.x), nan);
    }
    if ((a.x == 0.0 && !is_nan_f32(a.x)) || (a.y == 0.0 && !is_nan_f32(a.y))) {
        return vec2<f32>(nan, 0.0);
    }
    return vec2<f32>(nan, nan);
}

// tanh(x + iy) = (sinh 2x + i sin 2y) / (cosh 2x + cos 2y); past |x| = 10 the real part is +-1 to float32
// and the imaginary part 2 sin 2y e^-2|x| (the quotient would overflow to inf / inf); C's values past finite
// parts: +-1 + 0j for an infinite x, 0 + nanj for a zero x with y not finite, NaN elsewhere
fn ctanh(a: vec2<f32>) -> vec2<f32> {
    let nan = f32_from_bits(0x7fc00000u);
    if (is_inf_f32(a.x)) {
        let zero = select(0.0, 0.0 * sin_f32(2.0 * a.y), finite_f32(a.y));  // (its sign: sin 2y's)
        return vec2<f32>(select(1.0, -1.0, a.x < 0.0), zero);
    }
    if (!finite_f32(a.x) || !finite_f32(a.y)) {
        if (a.x == 0.0 && !is_nan_f32(a.x)) {
            return vec2<f32>(a.x, nan);
        }
        if (a.y == 0.0 && !is_nan_f32(a.y)) {
            return vec2<f32>(nan, a.y);
        }
        return vec2<f32>(nan, nan);
    }
    if (abs(a.x) > 10.0) {
        let im = 4.0 * sin_f32(a.y) * cos_f32(a.y) * exp_f32(-2.0 * abs(a.x));
        return vec2<f32>(select(1.0, -1.0, a.x < 0.0), im);
    }
    let d = cosh_f32(2.0 * a.x) + cos_f32(2.0 * a.y);
    return vec2<f32>(sinh_f32(2.0 * a.x) / d, sin_f32(2.0 * a.y) / d);
}

// tan z = -i tanh(i z)
fn ctan(a: vec2<f32>) -> vec2<f32> {
    let t = ctanh(vec2<f32>(-a.y, a.x));
    return vec2<f32>(t.y, -t.x);
}

// exp(i pi t), the DFT's twiddle, for |t| <= 2: t is reduced to the nearest quarter turn first, so the turns'
// own points (1, i, -1, -i) are exact and the rest are a cosine and a sine of |r| <= pi / 4
fn cispi(t: f32) -> vec2<f32> {
    let q = round(2.0 * t);
    let r = 3.1415927 * (t - 0.5 * q);
    let c = cos_f32(r);
    let s = sin_f32(r);
    switch (i32(q) & 3) {
        case 1: {
            return vec2<f32>(-s, c);
        }
        case 2: {
            return vec2<f32>(-c, -s);
        }
        case 3: {
            return vec2<f32>(s, -c);
        }
        default: {
            return vec2<f32>(c, s);
        }
    }
}

// exp(z) - 1 and log(1 + z) without the cancellation near 0: expm1(x) cos y - 2 sin^2(y / 2) + i e^x sin y,
// and log|1 + z| as log1p(2x + x^2 + y^2) / 2 + i atan2(y, 1 + x)
fn cexpm1(a: vec2<f32>) -> vec2<f32> {
    let h = sin_f32(0.5 * a.y);
    return vec2<f32>(expm1_f32(a.x) * cos_f32(a.y) - 2.0 * h * h, exp_f32(a.x) * sin_f32(a.y));
}

fn clog1p(a: vec2<f32>) -> vec2<f32> {
    if (cnan(a)) {  // (torch's: NaN in both parts, where log's C rules would keep an infinite one)
        return vec2<f32>(f32_from_bits(0x7fc00000u), f32_from_bits(0x7fc00000u));
    }
    if (abs(a.x) > 0.5 || abs(a.y) > 0.5) {  // (no cancellation to avoid; x^2 + 2x could overflow)
        return clog(a + vec2<f32>(1.0, 0.0));
    }
    return vec2<f32>(0.5 * log1p_f32(a.x * (2.0 + a.x) + a.y * a.y), atan2_f32(a.y, 1.0 + a.x));
}

// complex64 helpers for elementwise expressions (included by elementwise_lib.wgsl): a complex number is
// a vec2<f32> (real, imaginary), the float32 pair torch.view_as_real shows. The formulas are torch's CPU
// kernels' (ATen's Vectorized<c10::complex<float>>), so the values agree to float32 rounding.

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

// Both operands scaled by 1 / max(|c|, |d|) first, as torch's vector kernel: no overflow of c^2 + d^2
// for parts past 1e19, no underflow below 1e-19. A zero divisor gives NaN parts, as torch's.
fn cdiv(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    let scale = max(abs(b.x), abs(b.y));
    let a2 = a / scale;
    let b2 = b / scale;
    let denom = b2.x * b2.x + b2.y * b2.y;
    return vec2<f32>(a2.x * b2.x + a2.y * b2.y, a2.y * b2.x - a2.x * b2.y) / denom;
}

// exp(x) (cos y + i sin y), with the float32 functions above (accurate where the built-ins are not)
fn cexp(a: vec2<f32>) -> vec2<f32> {
    let r = exp_f32(a.x);
    if (a.y == 0.0) {  // a real exponent stays real (exp(inf + 0j) is inf + 0j, not inf + nanj)
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

fn ctruth(a: vec2<f32>) -> bool {
    return nonzero_f32(a.x) || nonzero_f32(a.y);
}

// the principal square root: sqrt((|z| + |x|) / 2) on the side of x, the other part from it (no
// cancellation either way); sqrt(0 +- 0j) keeps the imaginary part's sign
fn csqrt(a: vec2<f32>) -> vec2<f32> {
    if (a.x == 0.0 && a.y == 0.0) {
        return vec2<f32>(0.0, a.y);
    }
    let t = sqrt_f32((hypot_f32(a.x, a.y) + abs(a.x)) * 0.5);
    if (a.x >= 0.0) {
        return vec2<f32>(t, a.y / (2.0 * t));
    }
    return vec2<f32>(abs(a.y) / (2.0 * t), select(t, -t, sign_bit_f32(a.y)));
}

// a ** b: torch's kernel squares for an exponent of 2 (a product, exact as mul's), else exp(b log a);
// 0 ** b is 1 for b = 0 and 0 for a positive real part
fn cpow(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    if (b.x == 2.0 && b.y == 0.0) {
        return cmul(a, a);
    }
    if (a.x == 0.0 && a.y == 0.0) {
        if (b.x == 0.0 && b.y == 0.0) {
            return vec2<f32>(1.0, 0.0);
        }
        if (b.x > 0.0) {
            return vec2<f32>(0.0, 0.0);
        }
    }
    return cexp(cmul(b, clog(a)));
}

// sin(x + iy) = sin x cosh y + i cos x sinh y; cos(x + iy) = cos x cosh y - i sin x sinh y
fn csin(a: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(sin_f32(a.x) * cosh_f32(a.y), cos_f32(a.x) * sinh_f32(a.y));
}

fn ccos(a: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(cos_f32(a.x) * cosh_f32(a.y), -(sin_f32(a.x) * sinh_f32(a.y)));
}

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

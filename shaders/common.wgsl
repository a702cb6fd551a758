// Shared by every kernel. A kernel declares its parameters once, by name, in `struct Params`
// (bound as the uniform `params`); the loader (runtime.py, ParamLayout) reads that declaration and
// packs the values Python passes by name, refusing a missing or unknown one. Field types: u32, i32,
// f32, vec4<u32>, array<vec4<u32>, N> (WGSL lays uniform arrays out in 16-byte steps, so a list of
// words is read as params.x[i / 4u][i % 4u]) and structs of those.
// Constants from Python (runtime.py), never copied: WORKGROUP invocations per workgroup, MAX_DIMS.
const WORKGROUP: u32 = ${WORKGROUP}u;
const MAX_DIMS: u32 = ${MAX_DIMS}u;

// An f32 from its bits. A function call is not a constant expression, so infinities and NaN made
// this way are not rejected at compile time (Tint refuses bitcast<f32>(0x7f800000u) as a constant).
fn f32_from_bits(bits: u32) -> f32 {
    return bitcast<f32>(bits);
}

// A float's truth value, as torch's: every bit but the sign, so NaN (either sign) and subnormals are
// true and only +-0 false, whatever the driver does with compares (Naga's != is ordered: false for
// NaN) or subnormals (a flushing driver says a subnormal == 0). Python: layout.truth.
fn nonzero_f32(x: f32) -> bool {
    return (bitcast<u32>(x) << 1u) != 0u;
}

// a complex64's (vec2<f32>: real, imaginary) truth value: either part's
fn nonzero_c64(z: vec2<f32>) -> bool {
    return nonzero_f32(z.x) || nonzero_f32(z.y);
}

// the product of two complex64 numbers, as torch's kernels form it: (ac - bd) + (ad + bc)i
fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
    return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x);
}

// A float converted to an integer as torch's x86 CPU casts one (cvttss2si): toward zero, with NaN, +-inf
// and everything outside [-2^31, 2^31) giving -2^31, where WGSL's i32(f32) saturates (and leaves NaN to the
// driver). Tested on the bits, which no driver reorders. Narrow integers wrap the result (layout._WRAP), as
// torch's casts through int32 do. Python: kernels/elementwise.plan.
fn float_to_int(x: f32) -> i32 {
    if ((bitcast<u32>(x) & 0x7fffffffu) >= 0x4f000000u) {  // |x| >= 2^31, inf, NaN
        return bitcast<i32>(0x80000000u);
    }
    return i32(x);
}

// The flat invocation index of a 1D problem folded into a 2D grid of workgroups (see the runtime).
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>) -> u32 {
    return gid.x + gid.y * nwg.x * WORKGROUP;
}

// Shared by every kernel: the parameter block and how to read it.
// The parameters uniform holds 64 u32 words; each kernel's header says what word k means.
// Kernels read word k with P(k) and a float parameter with PF(k) (bits of an f32).
struct Params {
    words: array<vec4<u32>, 16>,
}

fn P(k: u32) -> u32 {
    return params.words[k / 4u][k % 4u];
}

fn PF(k: u32) -> f32 {
    return bitcast<f32>(P(k));
}

fn PI(k: u32) -> i32 {
    return bitcast<i32>(P(k));
}

// An f32 from its bits. A function call is not a constant expression, so infinities and NaN made
// this way are not rejected at compile time (Tint refuses bitcast<f32>(0x7f800000u) as a constant).
fn f32_from_bits(bits: u32) -> f32 {
    return bitcast<f32>(bits);
}

// The flat invocation index of a 1D problem folded into a 2D grid of workgroups (see the runtime).
fn flat_index(gid: vec3<u32>, nwg: vec3<u32>, wg_size: u32) -> u32 {
    return gid.x + gid.y * nwg.x * wg_size;
}

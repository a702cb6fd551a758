// Random numbers from the Philox4x32-10 stream (counter = word index / 4, key = the 64-bit seed),
// identical to the NumPy backend's, so a seed gives the same tensor on every device.
// Placeholders: enable, out_type, convert (turns word(s) w0/w1 into one value), bound_type (f32, or
//   i32 for randint).
// Bindings: 0 output, 1 parameters.
${enable}
//!include common.wgsl
struct Params {
    count: u32,
    seed_low: u32,
    seed_high: u32,
    first_low: u32,  // the stream's first word
    first_high: u32,
    words: u32,  // per value: 1 or 2
    a: ${bound_type},
    b: ${bound_type},
    span: u32,  // b - a as u32 (randint's range)
}
@group(0) @binding(0) var<storage, read_write> out: array<${out_type}>;
@group(0) @binding(1) var<uniform> params: Params;

fn mulhilo(a: u32, b: u32) -> vec2<u32> {
    // 32x32 -> 64-bit product as (hi, lo) from 16-bit halves: WGSL has no 64-bit integers
    let a_lo = a & 0xffffu; let a_hi = a >> 16u;
    let b_lo = b & 0xffffu; let b_hi = b >> 16u;
    let ll = a_lo * b_lo; let lh = a_lo * b_hi; let hl = a_hi * b_lo; let hh = a_hi * b_hi;
    let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
    let lo = (ll & 0xffffu) | (mid << 16u);
    let hi = hh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u);
    return vec2<u32>(hi, lo);
}

fn philox_block(counter: vec2<u32>) -> vec4<u32> {
    var c = vec4<u32>(counter.x, counter.y, 0u, 0u);
    var k = vec2<u32>(params.seed_low, params.seed_high);
    for (var r = 0u; r < 10u; r++) {
        let p0 = mulhilo(0xD2511F53u, c.x);
        let p1 = mulhilo(0xCD9E8D57u, c.z);
        c = vec4<u32>(p1.x ^ c.y ^ k.x, p1.y, p0.x ^ c.w ^ k.y, p0.y);
        k = k + vec2<u32>(0x9E3779B9u, 0xBB67AE85u);
    }
    return c;
}

fn word(index: u32) -> u32 {
    // the stream's word number (first word + index), as a 64-bit (hi, lo) pair
    let lo = params.first_low + index;
    let hi = params.first_high + select(0u, 1u, lo < index);
    let block = philox_block(vec2<u32>((lo >> 2u) | (hi << 30u), hi >> 2u));
    return block[lo & 3u];
}

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.count) {
        return;
    }
    let w0 = word(i * params.words);
    let w1 = word(i * params.words + 1u);
    out[i] = ${convert};
}

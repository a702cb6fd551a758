// Random numbers from the Philox4x32-10 stream (counter = word index / 4, key = the 64-bit seed),
// identical to the NumPy backend's, so a seed gives the same tensor on every device.
// Placeholders: enable out_type convert (turns word(s) w0/w1 into one value).
// Bindings: 0 output, 1 parameters.
// Parameters: [0] count, [1] seed low, [2] seed high, [3] first word (low), [4] first word (high),
//   [5] words per value (1 or 2), [6] a (f32 bits or i32), [7] b, [8] b - a as u32 (randint range).
${enable}
//!include common.wgsl
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
    var k = vec2<u32>(P(1u), P(2u));
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
    let lo = P(3u) + index;
    let hi = P(4u) + select(0u, 1u, lo < index);
    let block = philox_block(vec2<u32>((lo >> 2u) | (hi << 30u), hi >> 2u));
    return block[lo & 3u];
}

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg, 256u);
    if (i >= P(0u)) {
        return;
    }
    let w0 = word(i * P(5u));
    let w1 = word(i * P(5u) + 1u);
    out[i] = ${convert};
}

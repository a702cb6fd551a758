// im2col (F.unfold): out[n, c*kh*kw + i*kw + j, oy*OW + ox] = input[n, c, oy*sh - ph + i*dh,
// ox*sw - pw + j*dw], or 0 where that falls in the padding. One thread per output element.
// Placeholders: enable, ty (the element type).
// Bindings: 0 input (strided), 1 output (contiguous), 2 parameters.
// Parameters: [0] numel, [1] C, [2] H, [3] W, [4] kh, [5] kw, [6] dh, [7] dw, [8] ph, [9] pw, [10] sh,
//   [11] sw, [12] OH, [13] OW, [14] input offset, [15..18] input strides (n, c, h, w).
${enable}
//!include common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${ty}>;
@group(0) @binding(1) var<storage, read_write> out: array<${ty}>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let o = flat_index(gid, nwg, 256u);
    if (o >= P(0u)) {
        return;
    }
    let kh = P(4u);
    let kw = P(5u);
    let windows = P(12u) * P(13u);
    let rows = P(1u) * kh * kw;
    let l = o % windows;
    let r = (o / windows) % rows;
    let n = o / (windows * rows);
    let c = r / (kh * kw);
    let i = (r / kw) % kh;
    let j = r % kw;
    let y = i32((l / P(13u)) * P(10u) + i * P(6u)) - i32(P(8u));
    let x = i32((l % P(13u)) * P(11u) + j * P(7u)) - i32(P(9u));
    var value = ${ty}(0);
    if (y >= 0i && y < i32(P(2u)) && x >= 0i && x < i32(P(3u))) {
        value = inp[P(14u) + n * P(15u) + c * P(16u) + u32(y) * P(17u) + u32(x) * P(18u)];
    }
    out[o] = value;
}

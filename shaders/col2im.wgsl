// col2im (F.fold): each output pixel sums the column entries that im2col would have read from it.
// A gather, so no atomics: pixel (n, c, y, x) takes, for every kernel offset (i, j) whose window
// position ((y + ph - i*dh) / sh, (x + pw - j*dw) / sw) is whole and in range, that column entry.
// One dispatch covers the kernel offsets r = i * kw + j in [18] .. [19] (at most the launcher's
// KERNEL_CHUNK, so no invocation's work grows with the kernel), adding to what earlier ones wrote.
// Placeholders: enable, ty (the element type).
// Bindings: 0 columns (strided, (N, C*kh*kw, L)), 1 output (contiguous (N, C, H, W)), 2 parameters.
// Parameters: [0] numel, [1] C, [2] H, [3] W, [4] kh, [5] kw, [6] dh, [7] dw, [8] ph, [9] pw, [10] sh,
//   [11] sw, [12] OH, [13] OW, [14] columns offset, [15..17] column strides (n, row, l),
//   [18] first kernel offset of this dispatch, [19] its end (<= kh * kw).
${enable}
//!include common.wgsl
@group(0) @binding(0) var<storage, read> cols: array<${ty}>;
@group(0) @binding(1) var<storage, read_write> out: array<${ty}>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let o = flat_index(gid, nwg, 256u);
    if (o >= P(0u)) {
        return;
    }
    let w = P(3u);
    let h = P(2u);
    let x = i32(o % w) + i32(P(9u));
    let y = i32((o / w) % h) + i32(P(8u));
    let c = (o / (w * h)) % P(1u);
    let n = o / (w * h * P(1u));
    let kh = P(4u);
    let kw = P(5u);
    var acc = ${ty}(0);
    for (var r = P(18u); r < P(19u); r++) {
        let i = r / kw;
        let j = r % kw;
        let yy = y - i32(i * P(6u));
        let xx = x - i32(j * P(7u));
        if (yy < 0i || yy % i32(P(10u)) != 0i || yy / i32(P(10u)) >= i32(P(12u))) {
            continue;
        }
        if (xx < 0i || xx % i32(P(11u)) != 0i || xx / i32(P(11u)) >= i32(P(13u))) {
            continue;
        }
        let l = u32(yy / i32(P(10u))) * P(13u) + u32(xx / i32(P(11u)));
        acc += cols[P(14u) + n * P(15u) + (c * kh * kw + r) * P(16u) + l * P(17u)];
    }
    if (P(18u) == 0u) {
        out[o] = acc;
    } else {
        out[o] += acc;
    }
}

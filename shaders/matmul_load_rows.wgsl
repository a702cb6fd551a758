// Tile loader for matmul.wgsl where operand X is contiguous along its rows (M for A, N for B: a
// row-major B, or a transposed A): each thread reads vec4s of 4 consecutive rows at one k,
// each exactly one vec4 of the k-major tile.
// Placeholders: x (operand binding name: a or b, also its Params field), acc_type, rows (the
//   Params field of the operand's row count: m or n).
fn load_${x}(batch: u32, r0: u32, k0: u32, t: u32) {
    let op = params.${x};
    let base = op.offset + batch * op.batch_stride;
    for (var e = t; e < TILE * STEP / 4u; e += WORKGROUP) {
        let rr = (e % ROW4) * 4u;
        let kk = e / ROW4;
        var v = vec4<${acc_type}>();
        // the row count is a multiple of 4 here, so the vec4 is wholly inside or wholly outside
        if (r0 + rr < params.${rows} && k0 + kk < params.k) {
            v = vec4<${acc_type}>(${x}[(base + r0 + rr + (k0 + kk) * op.k_stride) / 4u]);
        }
        tile_${x}[kk * ROW4 + rr / 4u] = v;
    }
}

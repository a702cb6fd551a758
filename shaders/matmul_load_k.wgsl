// Tile loader for matmul.wgsl where operand X is contiguous along K: each thread reads vec4s
// of 4 consecutive k and scatters each down a column of the k-major tile.
// Placeholders: x (operand binding name: a or b, also its Params field), acc_type, rows (the
//   Params field of the operand's row count: m or n).
fn load_${x}(batch: u32, r0: u32, k0: u32, t: u32) {
    let op = params.${x};
    let base = op.offset + batch * op.batch_stride;
    for (var e = t; e < TILE * STEP / 4u; e += WORKGROUP) {
        let r = e / (STEP / 4u);
        let kk = (e % (STEP / 4u)) * 4u;
        var v = vec4<${acc_type}>();
        // K is a multiple of 4 here, so the vec4 is wholly inside or wholly outside
        if (r0 + r < params.${rows} && k0 + kk < params.k) {
            v = vec4<${acc_type}>(${x}[(base + (r0 + r) * op.row_stride + k0 + kk) / 4u]);
        }
        let col = r / 4u;
        let lane = r % 4u;
        tile_${x}[kk * ROW4 + col][lane] = v.x;
        tile_${x}[(kk + 1u) * ROW4 + col][lane] = v.y;
        tile_${x}[(kk + 2u) * ROW4 + col][lane] = v.z;
        tile_${x}[(kk + 3u) * ROW4 + col][lane] = v.w;
    }
}

// Tile loader for matmul.wgsl for any strides: each thread reads single elements (consecutive
// threads take consecutive rows, which is coalesced for the common row-contiguous operand).
// Placeholders: x (operand binding name: a or b, also its Params field), acc_type, rows (the
//   Params field of the operand's row count: m or n).
fn load_${x}(batch: u32, r0: u32, k0: u32, t: u32) {
    let op = params.${x};
    let base = op.offset + batch * op.batch_stride;
    for (var e = t; e < TILE * STEP; e += WORKGROUP) {
        let r = e % TILE;
        let kk = e / TILE;
        var v = ${acc_type}();
        if (r0 + r < params.${rows} && k0 + kk < params.k) {
            v = ${acc_type}(${x}[base + (r0 + r) * op.row_stride + (k0 + kk) * op.k_stride]);
        }
        tile_${x}[kk * ROW4 + r / 4u][r % 4u] = v;
    }
}

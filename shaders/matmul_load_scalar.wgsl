// Tile loader for matmul.wgsl for any strides: each thread reads single elements (consecutive
// threads take consecutive rows, which is coalesced for the common row-contiguous operand).
// Placeholders: x (operand binding name: a or b), acc_type, rows (parameter word of the operand's
//   row count: M or N), word (its first parameter word: offset, batch stride, row stride, K stride).
fn load_${x}(batch: u32, r0: u32, k0: u32, t: u32) {
    let base = P(${word}u) + batch * P(${word}u + 1u);
    for (var e = t; e < TILE * STEP; e += 256u) {
        let r = e % TILE;
        let kk = e / TILE;
        var v = ${acc_type}();
        if (r0 + r < P(${rows}u) && k0 + kk < P(2u)) {
            v = ${acc_type}(${x}[base + (r0 + r) * P(${word}u + 2u) + (k0 + kk) * P(${word}u + 3u)]);
        }
        tile_${x}[kk * ROW4 + r / 4u][r % 4u] = v;
    }
}

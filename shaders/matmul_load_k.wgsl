// Tile loader for matmul.wgsl where operand X is contiguous along K: each thread reads vec4s
// of 4 consecutive k and scatters each down a column of the k-major tile.
// Placeholders: x (operand binding name: a or b), acc_type, rows (parameter word of the operand's
//   row count: M or N), word (its first parameter word: offset, batch stride, row stride, K stride).
fn load_${x}(batch: u32, r0: u32, k0: u32, t: u32) {
    let base = P(${word}u) + batch * P(${word}u + 1u);
    for (var e = t; e < TILE * STEP / 4u; e += 256u) {
        let r = e / (STEP / 4u);
        let kk = (e % (STEP / 4u)) * 4u;
        var v = vec4<${acc_type}>();
        // K is a multiple of 4 here, so the vec4 is wholly inside or wholly outside
        if (r0 + r < P(${rows}u) && k0 + kk < P(2u)) {
            v = vec4<${acc_type}>(${x}[(base + (r0 + r) * P(${word}u + 2u) + k0 + kk) / 4u]);
        }
        let col = r / 4u;
        let lane = r % 4u;
        tile_${x}[kk * ROW4 + col][lane] = v.x;
        tile_${x}[(kk + 1u) * ROW4 + col][lane] = v.y;
        tile_${x}[(kk + 2u) * ROW4 + col][lane] = v.z;
        tile_${x}[(kk + 3u) * ROW4 + col][lane] = v.w;
    }
}

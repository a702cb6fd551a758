// Shared by the indexing kernels: where element i of an iteration shape reads and writes.
// Two sides: the "indexed" side (x of index/gather, the output of index_put/scatter) whose
// address takes the index values, and the "plain" side (the output of index/gather, the values
// of index_put/scatter) addressed by the coordinates alone. The index tensors are one
// contiguous i32 array of k rows of N, the k-th row read at position p (from the coordinates).
// Needs a binding named idx (array<i32>) and params.
// Parameters: [0] numel, [1] N, [2] k, [3] ndim, [4] indexed-side offset, [5] plain-side offset;
//   dim d at 6 + 4d: size, indexed stride, plain stride, p stride;
//   index j at 6 + 4 ndim + 2j: indexed stride, size of the dim it indexes.
struct Located {
    indexed: u32,
    plain: u32,
    ok: bool,  // every index in range (negative ones count from the end)
}

fn locate(i: u32) -> Located {
    let nd = P(3u);
    var rest = i;
    var indexed = P(4u);
    var plain = P(5u);
    var p = 0u;
    for (var d = i32(nd) - 1i; d >= 0i; d--) {
        let base = 6u + 4u * u32(d);
        let size = P(base);
        let c = rest % size;
        rest = rest / size;
        indexed += c * P(base + 1u);
        plain += c * P(base + 2u);
        p += c * P(base + 3u);
    }
    var ok = true;
    for (var j = 0u; j < P(2u); j++) {
        let base = 6u + 4u * nd + 2u * j;
        let size = PI(base + 1u);
        var v = idx[j * P(1u) + p];
        if (v < 0i) {
            v += size;
        }
        ok = ok && v >= 0i && v < size;
        indexed += u32(v) * P(base);
    }
    return Located(indexed, plain, ok);
}

// Shared by the indexing kernels: where element i of an iteration shape reads and writes.
// Two sides: the "indexed" side (x of index/gather, the output of index_put/scatter) whose
// address takes the index values, and the "plain" side (the output of index/gather, the values
// of index_put/scatter) addressed by the coordinates alone. The index tensors are one
// contiguous i32 array of k rows of N, the k-th row read at position p (from the coordinates).
// Needs a binding named idx (array<i32>). Placeholders: index_vecs (vec4s of index_strides and
// index_sizes: room for 4 * index_vecs index rows).
struct Params {
    numel: u32,
    n: u32,  // elements per index row
    k: u32,  // index rows
    ndim: u32,  // dims of the iteration shape, <= MAX_DIMS
    indexed_offset: u32,
    plain_offset: u32,
    dims: array<vec4<u32>, ${MAX_DIMS}>,  // per dim: size, indexed stride, plain stride, p stride
    index_strides: array<vec4<u32>, ${index_vecs}>,  // per index row j: the indexed side's stride
    index_sizes: array<vec4<u32>, ${index_vecs}>,  // and the size of the dim it indexes
}

struct Located {
    indexed: u32,
    plain: u32,
    ok: bool,  // every index in range (negative ones count from the end)
}

fn locate(i: u32) -> Located {
    var rest = i;
    var indexed = params.indexed_offset;
    var plain = params.plain_offset;
    var p = 0u;
    for (var d = i32(params.ndim) - 1i; d >= 0i; d--) {
        let dim = params.dims[d];
        let c = rest % dim.x;
        rest = rest / dim.x;
        indexed += c * dim.y;
        plain += c * dim.z;
        p += c * dim.w;
    }
    var ok = true;
    for (var j = 0u; j < params.k; j++) {
        let size = i32(params.index_sizes[j / 4u][j % 4u]);
        var v = idx[j * params.n + p];
        if (v < 0i) {
            v += size;
        }
        ok = ok && v >= 0i && v < size;
        indexed += u32(v) * params.index_strides[j / 4u][j % 4u];
    }
    return Located(indexed, plain, ok);
}

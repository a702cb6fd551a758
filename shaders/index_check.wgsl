// Bounds check of index tensors before an indexing op: the smallest key of an out-of-range
// index, key = p * k + j for the p-th element of index row j (PyTorch reports the first bad index
// in element order, then row order). The launcher reads the key back (a sync point).
// Placeholders: index_vecs (as index_map.wgsl).
// Bindings: 0 indices (i32, k rows of N, contiguous), 1 result (one atomic i32, preset to
//   i32 max), 2 parameters.
//!include common.wgsl
struct Params {
    count: u32,  // k * n
    n: u32,  // elements per index row
    k: u32,  // index rows
    negative_ok: u32,  // 1 when negative indices count from the end
    sizes: array<vec4<u32>, ${index_vecs}>,  // per index row j: the size of the dim it indexes
}
@group(0) @binding(0) var<storage, read> idx: array<i32>;
@group(0) @binding(1) var<storage, read_write> result: array<atomic<i32>>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat_index(gid, nwg);
    if (e >= params.count) {
        return;
    }
    let j = e / params.n;
    let p = e % params.n;
    let size = i32(params.sizes[j / 4u][j % 4u]);
    let low = select(0i, -size, params.negative_ok == 1u);
    let v = idx[e];
    if (v < low || v >= size) {
        atomicMin(&result[0], i32(p * params.k + j));
    }
}

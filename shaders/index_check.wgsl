// Bounds check of index tensors before an indexing op: the smallest key of an out-of-range
// index, key = p * k + j for the p-th element of index row j (PyTorch reports the first bad index
// in element order, then row order). The launcher reads the key back (a sync point).
// Placeholders: none.
// Bindings: 0 indices (i32, k rows of N, contiguous), 1 result (one atomic i32, preset to
//   i32 max), 2 parameters.
// Parameters: [0] k * N, [1] N, [2] k, [3] 1 when negative indices count from the end,
//   [4 + j] the size of the dim row j indexes.
//!include common.wgsl
@group(0) @binding(0) var<storage, read> idx: array<i32>;
@group(0) @binding(1) var<storage, read_write> result: array<atomic<i32>>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let e = flat_index(gid, nwg, 256u);
    if (e >= P(0u)) {
        return;
    }
    let j = e / P(1u);
    let p = e % P(1u);
    let size = PI(4u + j);
    let low = select(0i, -size, P(3u) == 1u);
    let v = idx[e];
    if (v < low || v >= size) {
        atomicMin(&result[0], i32(p * P(2u) + j));
    }
}

// nonzero, pass 3 of 3: each non-zero element writes its coordinates to row (its block's first row
// + its rank inside the block), so the rows come out in row-major order, as NumPy's argwhere.
// Placeholders: enable, type (the input's), dim_vecs (nonzero_common.wgsl).
// Bindings: 0 input, 1 ends (u32 per block: the inclusive scan of the counts), 2 output (i32, rows
//   of o coordinates), 3 parameters.
// Parameters: struct Params of nonzero_common.wgsl.
${enable}
//!include common.wgsl
@group(0) @binding(0) var<storage, read> x: array<${type}>;
@group(0) @binding(1) var<storage, read> ends: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<i32>;
@group(0) @binding(3) var<uniform> params: Params;
//!include nonzero_common.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let w = wid.x + wid.y * nwg.x;
    let i = w * WORKGROUP + lid.x;
    let flag = is_set(i);
    scan_block(lid.x, flag);
    let o = params.o;
    // scan[WORKGROUP - 1u]: the block's count
    let row = ends[min(w, params.blocks - 1u)] - scan[WORKGROUP - 1u] + scan[lid.x] - 1u;
    if (flag == 0u || w >= params.blocks || row >= params.rows) {
        return;
    }
    var rest = i;
    for (var d = i32(o) - 1i; d >= 0i; d--) {
        let size = params.sizes[d / 4i][d % 4i];
        out[row * o + u32(d)] = i32(rest % size);
        rest = rest / size;
    }
}

// nonzero, pass 1 of 3: the number of non-zero elements in each block of WORKGROUP.
// Placeholders: enable, type (the input's), dim_vecs (nonzero_common.wgsl).
// Bindings: 0 input, 1 counts (u32 per block), 2 parameters.
// Parameters: struct Params of nonzero_common.wgsl.
${enable}
//!include common.wgsl
@group(0) @binding(0) var<storage, read> x: array<${type}>;
@group(0) @binding(1) var<storage, read_write> counts: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;
//!include nonzero_common.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let w = wid.x + wid.y * nwg.x;
    scan_block(lid.x, is_set(w * WORKGROUP + lid.x));
    if (lid.x == WORKGROUP - 1u && w < params.blocks) {
        counts[w] = scan[WORKGROUP - 1u];
    }
}

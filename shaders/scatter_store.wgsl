// Second pass of an overwriting scatter (index_put, scatter, put_along): the element that won
// its target in scatter_claim.wgsl writes out[indexed] = src[plain].
// Placeholders: enable, type, index_vecs (index_map.wgsl).
// Bindings: 0 src, 1 indices (i32, contiguous), 2 winner (i32 per target), 3 output, 4 parameters.
// Parameters: struct Params of index_map.wgsl.
${enable}
//!include common.wgsl
@group(0) @binding(0) var<storage, read> src: array<${type}>;
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read> winner: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<${type}>;
@group(0) @binding(4) var<uniform> params: Params;
//!include index_map.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.numel) {
        return;
    }
    let at = locate(i);
    if (at.ok && winner[at.indexed] == i32(i)) {
        out[at.indexed] = src[at.plain];
    }
}

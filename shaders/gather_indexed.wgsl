// index, gather, take_along: out[plain] = src[indexed] (see index_map.wgsl); an index still out of
// range after the launcher's check (never, for checked ops) reads as 0 instead of out of bounds.
// Placeholders: enable, type, index_vecs (index_map.wgsl).
// Bindings: 0 src, 1 indices (i32, contiguous), 2 output, 3 parameters.
// Parameters: struct Params of index_map.wgsl.
${enable}
//!include common.wgsl
@group(0) @binding(0) var<storage, read> src: array<${type}>;
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@group(0) @binding(3) var<uniform> params: Params;
//!include index_map.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.numel) {
        return;
    }
    let at = locate(i);
    var v = ${type}(0);
    if (at.ok) {
        v = src[at.indexed];
    }
    out[at.plain] = v;
}

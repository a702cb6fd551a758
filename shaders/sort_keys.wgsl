// First pass of the multi-pass argsort for rows longer than SORT_BLOCK: each row's keys and
// indices, padded to a power of two, into scratch buffers (see sort_common.wgsl for placeholders).
// Bindings: 0 input, 1 keys, 2 indices (both rows x padded length), 3 parameters.
// Parameters: sort_row_params.wgsl.
//!include sort_common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> all_keys: array<u32>;
@group(0) @binding(2) var<storage, read_write> all_ids: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;
//!include sort_row_params.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let g = flat_index(gid, nwg);
    let size = params.size;
    let m = g / size;
    if (m >= params.rows.m) {
        return;
    }
    let t = g % size;
    all_keys[g] = 0xffffffffu;
    all_ids[g] = 0xffffffffu;
    if (t < params.rows.n) {
        all_keys[g] = sort_key(inp[row_offsets(m).x + t * params.rows.in_stride], params.descending == 1u);
        all_ids[g] = t;
    }
}

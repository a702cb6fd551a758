// Multi-pass argsort: bitonic stages first .. last within each block of SORT_BLOCK elements of the
// scratch keys and indices, in workgroup memory (the first pass sorts blocks, later ones finish
// a merge stage once its steps fit in a block). See sort_common.wgsl for placeholders.
// Bindings: 0 keys, 1 indices (both rows x padded length), 2 parameters.
//!include sort_common.wgsl
struct Params {
    blocks: u32,  // of all rows together
    size: u32,  // the padded row length
    first: u32,  // stage
    last: u32,
}
@group(0) @binding(0) var<storage, read_write> all_keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> all_ids: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let block = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let live = block < params.blocks;
    let start = block * SORT_BLOCK;
    for (var t = lid.x; t < SORT_BLOCK; t += WORKGROUP) {
        if (live) {
            keys[t] = all_keys[start + t];
            ids[t] = all_ids[start + t];
        }
    }
    workgroupBarrier();
    bitonic(lid.x, SORT_BLOCK, start % params.size, params.first, params.last);
    for (var t = lid.x; t < SORT_BLOCK; t += WORKGROUP) {
        if (live) {
            all_keys[start + t] = keys[t];
            all_ids[start + t] = ids[t];
        }
    }
}

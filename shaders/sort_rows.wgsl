// argsort of rows of up to SORT_BLOCK elements, one workgroup per row: the row's keys
// and indices, padded to a power of two, are sorted in workgroup memory, then the indices written
// (see sort_common.wgsl for placeholders).
// Bindings: 0 input, 1 output (i32 indices, contiguous), 2 parameters.
// Parameters: sort_row_params.wgsl.
//!include sort_common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<uniform> params: Params;
//!include sort_row_params.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let live = m < params.rows.m;
    let n = params.rows.n;
    let size = params.size;
    var base = vec2<u32>(0u, 0u);
    if (live) {
        base = row_offsets(m);
    }
    for (var t = lid.x; t < size; t += WORKGROUP) {
        let real = live && t < n;
        keys[t] = 0xffffffffu;
        ids[t] = 0xffffffffu;
        if (real) {
            keys[t] = sort_key(inp[base.x + t * params.rows.in_stride], params.descending == 1u);
            ids[t] = t;
        }
    }
    workgroupBarrier();
    bitonic(lid.x, size, 0u, 2u, size);
    if (live) {
        for (var t = lid.x; t < n; t += WORKGROUP) {
            out[base.y + t * params.rows.out_stride] = i32(ids[t]);
        }
    }
}

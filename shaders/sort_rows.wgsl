// argsort of rows of up to SORT_BLOCK elements, one workgroup of 256 per row: the row's keys
// and indices, padded to a power of two, are sorted in workgroup memory, then the indices written
// (see sort_common.wgsl for placeholders).
// Bindings: 0 input, 1 output (i32 indices, contiguous), 2 parameters.
// Parameters: as scan_rows.wgsl; [6] 1 for descending, else 0; [7] the padded row length.
//!include sort_common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<uniform> params: Params;
//!include scan_rows.wgsl

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let live = m < P(0u);
    let n = P(1u);
    let size = P(7u);
    var base = vec2<u32>(0u, 0u);
    if (live) {
        base = row_offsets(m);
    }
    for (var t = lid.x; t < size; t += 256u) {
        let real = live && t < n;
        keys[t] = 0xffffffffu;
        ids[t] = 0xffffffffu;
        if (real) {
            keys[t] = sort_key(inp[base.x + t * P(3u)], P(6u) == 1u);
            ids[t] = t;
        }
    }
    workgroupBarrier();
    bitonic(lid.x, size, 0u, 2u, size);
    if (live) {
        for (var t = lid.x; t < n; t += 256u) {
            out[base.y + t * P(4u)] = i32(ids[t]);
        }
    }
}

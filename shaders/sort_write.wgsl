// Multi-pass argsort, last pass: the sorted indices of each row (the first N of its padded
// length) into the output. See sort_common.wgsl for placeholders.
// Bindings: 0 indices (rows x padded length), 1 output (i32, contiguous), 2 parameters.
// Parameters: sort_row_params.wgsl.
//!include sort_common.wgsl
@group(0) @binding(0) var<storage, read> all_ids: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<uniform> params: Params;
//!include sort_row_params.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let g = flat_index(gid, nwg);
    let n = params.rows.n;
    let m = g / n;
    if (m >= params.rows.m) {
        return;
    }
    let t = g % n;
    out[row_offsets(m).y + t * params.rows.out_stride] = i32(all_ids[m * params.size + t]);
}

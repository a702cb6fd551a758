// Softmax, one thread per row: for short rows (see softmax_common.wgsl for placeholders,
// bindings and parameters).
//!include softmax_common.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = flat_index(gid, nwg);
    if (m >= params.rows.m) {
        return;
    }
    let base = row_offsets(m);
    let n = params.rows.n;
    var row_max = neg_inf();
    for (var j = 0u; j < n; j++) {
        row_max = nan_max(row_max, load(base, j));
    }
    var total = 0.0;
    for (var j = 0u; j < n; j++) {
        total += exp_f32(load(base, j) - row_max);
    }
    for (var j = 0u; j < n; j++) {
        store(base, j, load(base, j), row_max, total);
    }
}

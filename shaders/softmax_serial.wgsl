// Softmax, one thread per row: for short rows (see softmax_common.wgsl for placeholders,
// bindings and parameters).
//!include softmax_common.wgsl

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = flat_index(gid, nwg, 256u);
    if (m >= P(0u)) {
        return;
    }
    let base = row_offsets(m);
    let n = P(1u);
    var row_max = neg_inf();
    for (var j = 0u; j < n; j++) {
        row_max = nan_max(row_max, load(base, j));
    }
    var total = 0.0;
    for (var j = 0u; j < n; j++) {
        total += exp(load(base, j) - row_max);
    }
    for (var j = 0u; j < n; j++) {
        store(base, j, load(base, j), row_max, total);
    }
}

// Scan, one thread per row: for short rows (see scan_common.wgsl for placeholders, bindings and
// parameters).
//!include scan_common.wgsl

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = flat_index(gid, nwg, 256u);
    if (m >= P(0u)) {
        return;
    }
    let base = row_offsets(m);
    var acc: ${acc_type} = ${identity};
    for (var j = 0u; j < P(1u); j++) {
        acc = combine(acc, load(base, j));
        store(base, j, acc);
    }
}

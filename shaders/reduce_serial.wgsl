// Reduction, one thread per output element: for outputs that each fold only a few elements
// (see reduce_common.wgsl for placeholders, bindings and parameters).
//!include reduce_common.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = flat_index(gid, nwg);
    if (m >= params.m) {
        return;
    }
    let base = base_offset(m);
    var acc: ${acc_type} = ${identity};
    for (var j = 0u; j < params.n; j++) {
        acc = combine(acc, load(base + reduced_offset(j), j));
    }
    out[m] = ${finish};
}

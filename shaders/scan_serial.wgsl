// Scan, one thread per row: for short rows (see scan_common.wgsl for placeholders and parameters).
// Bindings: 0 input, 1 output (contiguous), 2 parameters.
//!include scan_common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> out: array<${in_type}>;
@group(0) @binding(2) var<uniform> params: Params;

struct Params {
    rows: Rows,
    reverse: u32,
}

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = flat_index(gid, nwg);
    if (m >= params.rows.m) {
        return;
    }
    let base = row_offsets(m);
    var acc: ${acc_type} = ${identity};
    for (var j = 0u; j < params.rows.n; j++) {
        acc = combine(acc, load(base, j));
        store(base, j, acc);
    }
}

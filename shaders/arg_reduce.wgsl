// argmax / argmin: one thread per output element scans its reduced elements; the first extreme
// wins, and NaN counts as the extreme (as in PyTorch).
// Placeholders: enable, in_type, better (a bool expression of v and best: v replaces best), nk, nr.
// Bindings: 0 input, 1 output (i32 indices, contiguous), 2 parameters.
// Parameters: as reduce_common.wgsl.
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> out: array<i32>;
@group(0) @binding(2) var<uniform> params: Params;

//!include reduce_index.wgsl

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = flat_index(gid, nwg, 256u);
    if (m >= P(0u)) {
        return;
    }
    let base = base_offset(m);
    var best = inp[base];
    var index = 0u;
    for (var j = 1u; j < P(1u); j++) {
        let v = inp[base + reduced_offset(j)];
        if (${better}) {
            best = v;
            index = j;
        }
    }
    out[m] = i32(index);
}

// Reduction, one workgroup of WORKGROUP threads per output chunk: each thread folds a strided
// share of the chunk, then a tree reduction in workgroup memory. The parameter chunks splits each
// output's elements into that many chunks written side by side (out[m * chunks + g]), which a
// second pass folds; long per-thread loops are slow on every GPU (and lavapipe stops them). See
// reduce_common.wgsl for the placeholders and bindings, reduce_index.wgsl for the parameters.
//!include reduce_common.wgsl

var<workgroup> partial: array<${acc_type}, WORKGROUP>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let n = params.n;
    let chunks = params.chunks;
    let o = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let m = o / chunks;
    let live = m < params.m;
    let chunk = (n + chunks - 1u) / chunks;
    let start = (o % chunks) * chunk;
    let stop = min(n, start + chunk);
    var acc: ${acc_type} = ${identity};
    if (live) {
        let base = base_offset(m);
        for (var j = start + lid.x; j < stop; j += WORKGROUP) {
            acc = combine(acc, load(base + reduced_offset(j), j));
        }
    }
    partial[lid.x] = acc;
    workgroupBarrier();
    for (var stride = WORKGROUP / 2u; stride > 0u; stride = stride / 2u) {
        if (lid.x < stride) {
            partial[lid.x] = combine(partial[lid.x], partial[lid.x + stride]);
        }
        workgroupBarrier();
    }
    if (live && lid.x == 0u) {
        acc = partial[0];
        out[o] = ${finish};
    }
}

// Softmax, one workgroup of WORKGROUP threads per row: a tree reduction for the row maximum, another
// for the sum of exp(x - max), then every thread writes its share (see softmax_common.wgsl for
// placeholders, bindings and parameters).
//!include softmax_common.wgsl

var<workgroup> partial: array<f32, WORKGROUP>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let live = m < params.rows.m;
    let n = params.rows.n;
    var base = vec2<u32>(0u, 0u);
    var acc = neg_inf();
    if (live) {
        base = row_offsets(m);
        for (var j = lid.x; j < n; j += WORKGROUP) {
            acc = nan_max(acc, load(base, j));
        }
    }
    partial[lid.x] = acc;
    workgroupBarrier();
    for (var stride = WORKGROUP / 2u; stride > 0u; stride = stride / 2u) {
        if (lid.x < stride) {
            partial[lid.x] = nan_max(partial[lid.x], partial[lid.x + stride]);
        }
        workgroupBarrier();
    }
    let row_max = partial[0];
    workgroupBarrier();  // everyone has read the maximum before partial is reused
    acc = 0.0;
    if (live) {
        for (var j = lid.x; j < n; j += WORKGROUP) {
            acc += exp_f32(load(base, j) - row_max);
        }
    }
    partial[lid.x] = acc;
    workgroupBarrier();
    for (var stride = WORKGROUP / 2u; stride > 0u; stride = stride / 2u) {
        if (lid.x < stride) {
            partial[lid.x] += partial[lid.x + stride];
        }
        workgroupBarrier();
    }
    let total = partial[0];
    if (live) {
        for (var j = lid.x; j < n; j += WORKGROUP) {
            store(base, j, load(base, j), row_max, total);
        }
    }
}

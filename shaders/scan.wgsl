// Scan, one workgroup of 256 threads per row: each thread folds one contiguous segment of the row,
// a scan of the 256 segment totals in workgroup memory gives each segment's carry-in, then each
// thread rescans its segment from that carry (see scan_common.wgsl for placeholders, bindings and
// parameters). Elements are combined in row order, as a sequential scan does.
//!include scan_common.wgsl

var<workgroup> totals: array<${acc_type}, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let live = m < P(0u);
    let n = P(1u);
    let seg = (n + 255u) / 256u;
    let start = min(lid.x * seg, n);
    let end = min(start + seg, n);
    var base = vec2<u32>(0u, 0u);
    var acc: ${acc_type} = ${identity};
    if (live) {
        base = row_offsets(m);
        for (var j = start; j < end; j++) {
            acc = combine(acc, load(base, j));
        }
    }
    totals[lid.x] = acc;
    workgroupBarrier();
    // inclusive Hillis-Steele scan of the totals: read, wait, write, wait
    for (var step = 1u; step < 256u; step = step * 2u) {
        var earlier: ${acc_type} = ${identity};
        if (lid.x >= step) {
            earlier = totals[lid.x - step];
        }
        workgroupBarrier();
        totals[lid.x] = combine(earlier, totals[lid.x]);
        workgroupBarrier();
    }
    if (live) {
        acc = ${identity};
        if (lid.x > 0u) {
            acc = totals[lid.x - 1u];
        }
        for (var j = start; j < end; j++) {
            acc = combine(acc, load(base, j));
            store(base, j, acc);
        }
    }
}

// Scan in blocks of BLOCK elements of a row (in scan order), one workgroup of 256 threads per
// block: each thread folds its segment of SEGMENT elements, a scan of the 256 segment totals in
// workgroup memory gives each segment's carry-in, then each thread rescans its segment from that
// carry. Elements are combined in row order, as a sequential scan does, and no invocation's work
// grows with the row (lavapipe silently stops a loop after 65,535 iterations). A row of several
// blocks takes three passes: [33] = 0 writes each block's total to carries; the launcher scans
// those; [33] = 1 then starts block b from the scanned total of block b - 1 and writes the output.
// See scan_common.wgsl for placeholders.
// Bindings: 0 input, 1 carries (acc_type, rows x blocks), 2 output (contiguous), 3 parameters.
// Parameters: as scan_common.wgsl; [32] blocks per row, [33] the pass (0: block totals, 1: output).
//!include scan_common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> carries: array<${acc_type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${in_type}>;
@group(0) @binding(3) var<uniform> params: Params;

const SEGMENT = 16u;  // elements per thread
const BLOCK = 4096u;  // 256 * SEGMENT, as BLOCK in kernels/scan.py

var<workgroup> totals: array<${acc_type}, 256>;

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let g = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let blocks = P(32u);
    let m = g / blocks;
    let block = g % blocks;
    let live = m < P(0u);
    let n = P(1u);
    let start = min(block * BLOCK + lid.x * SEGMENT, n);
    let end = min(start + SEGMENT, n);
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
    if (!live) {
        return;
    }
    if (P(33u) == 0u) {
        if (lid.x == 255u) {
            carries[g] = totals[255];
        }
        return;
    }
    acc = ${identity};
    if (block > 0u) {
        acc = carries[g - 1u];
    }
    if (lid.x > 0u) {
        acc = combine(acc, totals[lid.x - 1u]);
    }
    for (var j = start; j < end; j++) {
        acc = combine(acc, load(base, j));
        store(base, j, acc);
    }
}

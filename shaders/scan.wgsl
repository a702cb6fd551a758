// Scan in blocks of BLOCK elements of a row (in scan order), one workgroup of WORKGROUP threads per
// block: each thread folds its segment of SEGMENT elements, a scan of the WORKGROUP segment totals in
// workgroup memory gives each segment's carry-in, then each thread rescans its segment from that
// carry. Elements are combined in row order, as a sequential scan does, and no invocation's work
// grows with the row (lavapipe silently stops a loop after 65,535 iterations). A row of several
// blocks takes three passes: phase 0 writes each block's total to carries; the launcher scans
// those; phase 1 then starts block b from the scanned total of block b - 1 and writes the output.
// Placeholders: as scan_common.wgsl, and SEGMENT, BLOCK (from kernels/scan.py).
// Bindings: 0 input, 1 carries (acc_type, rows x blocks), 2 output (contiguous), 3 parameters.
//!include scan_common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> carries: array<${acc_type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${in_type}>;
@group(0) @binding(3) var<uniform> params: Params;

struct Params {
    rows: Rows,
    reverse: u32,
    blocks: u32,  // per row
    phase: u32,  // 0: block totals, 1: output
}

const SEGMENT: u32 = ${SEGMENT}u;  // elements per thread
const BLOCK: u32 = ${BLOCK}u;  // WORKGROUP * SEGMENT

var<workgroup> totals: array<${acc_type}, WORKGROUP>;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let g = wid.x + wid.y * nwg.x;  // the same in the whole workgroup, so the barriers are uniform
    let blocks = params.blocks;
    let m = g / blocks;
    let block = g % blocks;
    let live = m < params.rows.m;
    let n = params.rows.n;
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
    for (var step = 1u; step < WORKGROUP; step = step * 2u) {
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
    if (params.phase == 0u) {
        if (lid.x == WORKGROUP - 1u) {
            carries[g] = totals[WORKGROUP - 1u];
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

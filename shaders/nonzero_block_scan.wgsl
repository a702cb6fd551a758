// Shared by the nonzero kernels: an inclusive prefix sum across a workgroup (Hillis-Steele).
// Placeholders: none.
var<workgroup> scan: array<u32, WORKGROUP>;

// The inclusive prefix sum of v over the workgroup lands in scan[]; every invocation must call it.
fn scan_block(lid: u32, v: u32) {
    scan[lid] = v;
    workgroupBarrier();
    for (var s = 1u; s < WORKGROUP; s *= 2u) {
        var add = 0u;
        if (lid >= s) {
            add = scan[lid - s];
        }
        workgroupBarrier();
        scan[lid] += add;
        workgroupBarrier();
    }
}

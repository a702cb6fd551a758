// nonzero, pass 2 of 3: the block counts become exclusive prefix sums (each block's first output
// row), in place, by one workgroup walking the blocks 256 at a time.
// Placeholders: none.
// Bindings: 0 counts (u32 per block, read and written), 1 parameters.
// Parameters: [0] number of blocks.
//!include common.wgsl
@group(0) @binding(0) var<storage, read_write> counts: array<u32>;
@group(0) @binding(1) var<uniform> params: Params;

//!include nonzero_block_scan.wgsl

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
    let n = P(0u);
    var carry = 0u;
    for (var base = 0u; base < n; base += 256u) {
        let j = base + lid.x;
        var v = 0u;
        if (j < n) {
            v = counts[j];
        }
        scan_block(lid.x, v);
        if (j < n) {
            counts[j] = carry + scan[lid.x] - v;
        }
        carry += scan[255];
        workgroupBarrier();
    }
}

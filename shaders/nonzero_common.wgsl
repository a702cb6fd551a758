// Shared by the nonzero kernels: whether logical element i of the strided input is non-zero.
// Placeholders: type (the input's). Needs a binding named x and params; workgroups of 256
// elements, numbered w, each ranking its elements with scan_block.
// Parameters: [0] numel, [1] number of 256-element blocks, [2] r (dims read), [3] input offset,
//   [4 .. 4+r) read sizes, [4+r .. 4+2r) read strides (the input's dims, merged where they
//   can be), [4+2r] o (the input's own ndim), [5+2r .. 5+2r+o) its sizes, [5+2r+o] rows of out.
fn is_set(i: u32) -> u32 {
    if (i >= P(0u)) {
        return 0u;
    }
    let r = P(2u);
    var rest = i;
    var offset = P(3u);
    for (var d = i32(r) - 1i; d >= 0i; d--) {
        let size = P(4u + u32(d));
        offset += (rest % size) * P(4u + r + u32(d));
        rest = rest / size;
    }
    return select(0u, 1u, x[offset] != ${type}(0));
}

//!include nonzero_block_scan.wgsl

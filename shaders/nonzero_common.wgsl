// Shared by the nonzero kernels: whether logical element i of the strided input is non-zero.
// Placeholders: type (the input's), truth (layout.truth of x[offset]), dim_vecs (vec4s of each
// list of dims: room for 4 * dim_vecs).
// Needs a binding named x; workgroups of WORKGROUP elements, numbered w, each ranking its elements
// with scan_block.
struct Params {
    numel: u32,
    blocks: u32,  // of WORKGROUP elements
    r: u32,  // dims read: the input's, merged where they can be
    offset: u32,  // the input's
    o: u32,  // the input's own ndim
    rows: u32,  // rows of the output
    read_sizes: array<vec4<u32>, ${dim_vecs}>,  // [d / 4][d % 4] for d < r
    read_strides: array<vec4<u32>, ${dim_vecs}>,
    sizes: array<vec4<u32>, ${dim_vecs}>,  // the input's own sizes, d < o
}

fn is_set(i: u32) -> u32 {
    if (i >= params.numel) {
        return 0u;
    }
    var rest = i;
    var offset = params.offset;
    for (var d = i32(params.r) - 1i; d >= 0i; d--) {
        let size = params.read_sizes[d / 4i][d % 4i];
        offset += (rest % size) * params.read_strides[d / 4i][d % 4i];
        rest = rest / size;
    }
    return select(0u, 1u, ${truth});  // layout.truth of x[offset]
}

//!include nonzero_block_scan.wgsl

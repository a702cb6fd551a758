// Rows along one dim (shared by the scan, softmax and sort kernels): row m of a strided input and
// of its output; element j of a row sits j row strides further on.
// Parameters: [0] M rows, [1] N elements per row, [2] input offset, [3] input row stride,
//   [4] output row stride, [5] nk kept dims (<= 8), [6], [7] the kernel's own;
//   [8 ..) kept sizes, [16 ..) their input strides, [24 ..) their output strides (output offset 0).

// (input offset, output offset) of row m's first element
fn row_offsets(m: u32) -> vec2<u32> {
    var rest = m;
    var off = vec2<u32>(P(2u), 0u);
    for (var d = i32(P(5u)) - 1i; d >= 0i; d--) {
        let size = P(8u + u32(d));
        let coord = rest % size;
        rest = rest / size;
        off += coord * vec2<u32>(P(16u + u32(d)), P(24u + u32(d)));
    }
    return off;
}

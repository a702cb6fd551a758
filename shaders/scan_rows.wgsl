// Rows along one dim (shared by the scan, softmax and sort kernels): row m of a strided input and
// of its output; element j of a row sits j row strides further on. A kernel using it has a field
// `rows: Rows` in its Params (kernels/scan.py, row_params).
struct Rows {
    m: u32,  // rows
    n: u32,  // elements per row
    offset: u32,  // the input's (the output's is 0)
    in_stride: u32,  // the input's stride along a row
    out_stride: u32,  // the output's
    nk: u32,  // kept dims, <= MAX_DIMS
    dims: array<vec4<u32>, ${MAX_DIMS}>,  // per kept dim: size, input stride, output stride
}

// (input offset, output offset) of row m's first element
fn row_offsets(m: u32) -> vec2<u32> {
    var rest = m;
    var off = vec2<u32>(params.rows.offset, 0u);
    for (var d = i32(params.rows.nk) - 1i; d >= 0i; d--) {
        let dim = params.rows.dims[d];
        let coord = rest % dim.x;
        rest = rest / dim.x;
        off += coord * dim.yz;
    }
    return off;
}

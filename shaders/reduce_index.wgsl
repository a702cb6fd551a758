// Parameters and offsets for reductions (included by reduce_common.wgsl and arg_reduce.wgsl):
// output m's first element, and the j-th reduced element relative to it.
// Placeholders: nk / nr (kept / reduced dim counts, each >= 1), kept_vecs / reduced_vecs (the vec4s
//   holding nk / nr words), fused_params (more fields: a fused input's, or empty).
struct Params {
    m: u32,  // outputs
    n: u32,  // elements (arg_reduce: candidates) per output
    offset: u32,  // the input's
    chunks: u32,  // chunks per output (reduce.wgsl: partial folds, arg_reduce.wgsl: winners; 1 = whole)
    kept_sizes: array<vec4<u32>, ${kept_vecs}>,  // dim d at [d / 4][d % 4]
    kept_strides: array<vec4<u32>, ${kept_vecs}>,
    reduced_sizes: array<vec4<u32>, ${reduced_vecs}>,
    reduced_strides: array<vec4<u32>, ${reduced_vecs}>,
${fused_params}
}

fn base_offset(m: u32) -> u32 {
    var rest = m;
    var off = params.offset;
    for (var d = ${nk}i - 1i; d >= 0i; d--) {
        let size = params.kept_sizes[d / 4i][d % 4i];
        off += (rest % size) * params.kept_strides[d / 4i][d % 4i];
        rest = rest / size;
    }
    return off;
}

fn reduced_offset(j: u32) -> u32 {
    var rest = j;
    var off = 0u;
    for (var d = ${nr}i - 1i; d >= 0i; d--) {
        let size = params.reduced_sizes[d / 4i][d % 4i];
        off += (rest % size) * params.reduced_strides[d / 4i][d % 4i];
        rest = rest / size;
    }
    return off;
}

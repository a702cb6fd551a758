// Offsets for reductions (included by reduce_common.wgsl and arg_reduce.wgsl): output m's first
// element, and the j-th reduced element relative to it. Parameters as reduce_common.wgsl.
fn base_offset(m: u32) -> u32 {
    var rest = m;
    var off = P(2u);
    for (var d = ${nk}i - 1i; d >= 0i; d--) {
        let size = P(4u + u32(d));
        off += (rest % size) * P(4u + ${nk}u + u32(d));
        rest = rest / size;
    }
    return off;
}

fn reduced_offset(j: u32) -> u32 {
    var rest = j;
    var off = 0u;
    for (var d = ${nr}i - 1i; d >= 0i; d--) {
        let size = P(4u + 2u * ${nk}u + u32(d));
        off += (rest % size) * P(4u + 2u * ${nk}u + ${nr}u + u32(d));
        rest = rest / size;
    }
    return off;
}


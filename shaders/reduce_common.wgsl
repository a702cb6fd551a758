// Shared by reduce.wgsl and reduce_serial.wgsl: a reduction over some dims of a strided input,
// out[m] = fold of the reduced elements of output m.
// Placeholders: enable, in_type, out_type, acc_type, identity (acc_type value), combine (an
//   expression of acc and v, both acc_type), finish (an expression of acc giving out_type), and
//   those of reduce_index.wgsl (which declares the parameters).
//   input: the input's bindings (from 0) and any functions ``load`` calls; load: an expression of i,
//   the input's element at logical index i as acc_type (and of j, its place in its output's fold: the
//   row-major index over the reduced dims) (a buffer read, or a pending elementwise
//   chain computed in place: fusion.py); out_binding: the binding after the input's.
// Bindings: the input's, then the output (contiguous), then the parameters.
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl
${input}
@group(0) @binding(${out_binding}) var<storage, read_write> out: array<${out_type}>;
@group(0) @binding(${params_binding}) var<uniform> params: Params;

fn load(i: u32, j: u32) -> ${acc_type} {
    return ${load};
}

fn combine(acc: ${acc_type}, v: ${acc_type}) -> ${acc_type} {
    return ${combine};
}
//!include reduce_index.wgsl

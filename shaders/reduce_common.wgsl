// Shared by reduce.wgsl and reduce_serial.wgsl: a reduction over some dims of a strided input,
// out[m] = fold of the reduced elements of output m.
// Placeholders: enable, in_type, out_type, acc_type, identity (acc_type value), combine (an
//   expression of acc and v, both acc_type), finish (an expression of acc giving out_type), and
//   those of reduce_index.wgsl (which declares the parameters).
// Bindings: 0 input, 1 output (contiguous), 2 parameters.
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read_write> out: array<${out_type}>;
@group(0) @binding(2) var<uniform> params: Params;

fn combine(acc: ${acc_type}, v: ${acc_type}) -> ${acc_type} {
    return ${combine};
}
//!include reduce_index.wgsl

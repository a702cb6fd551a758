// Elementwise op: out[i] = EXPR(a, b, c) over strided (broadcast, transposed) inputs, written to a
// strided output (a fresh contiguous tensor, or a view for in-place writes).
// Placeholders: enable, bindings (input/output declarations), ndim, size_vecs (vec4s holding ndim
//   sizes), stride_vecs (max(ndim, 1)), scalar_params (the expression's numbers s0, s1, ...: numbers are
//   parameters, never shader text), params_binding, loads (let a = in0[offsets[1]]; ...; let s0 = ...),
//   store (the expression converted to the output type).
// Bindings: inputs 0..n-1, output n, parameters n+1.
${enable}
//!include common.wgsl
struct Params {
    numel: u32,
    sizes: array<vec4<u32>, ${size_vecs}>,  // dim d's size at [d / 4][d % 4]
    offsets: vec4<u32>,  // element offset of each port: 0 the output, 1.. the inputs
    strides: array<vec4<u32>, ${stride_vecs}>,  // along dim d, the stride of each port
${scalar_params}}
${bindings}
@group(0) @binding(${params_binding}) var<uniform> params: Params;
//!include elementwise_lib.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.numel) {
        return;
    }
    var offsets = params.offsets;
    var rest = i;
    for (var d = ${ndim}i - 1i; d >= 0i; d--) {
        let size = params.sizes[u32(d) / 4u][u32(d) % 4u];
        offsets += (rest % size) * params.strides[d];
        rest = rest / size;
    }
${loads}
    out[offsets[0]] = ${store};
}

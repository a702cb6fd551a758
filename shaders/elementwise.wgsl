// Elementwise op: out[i] = EXPR(a, b, c) over strided (broadcast, transposed) inputs, written to a
// strided output (a fresh contiguous tensor, or a view for in-place writes).
// Placeholders: enable bindings (input/output declarations), ndim, n_ports (output +
//   inputs), params_binding, loads (let a = in0[offsets[1]]; ... and let s0 = PF(60u); ...),
//   store (the expression converted to the output type).
// Bindings: inputs 0..n-1, output n, parameters n+1.
// Parameters: [0] numel, [1 .. 1+ndim) sizes; then for port p (0 = output, 1.. = inputs) at
//   base = 1 + ndim + p * (ndim + 1): [base] element offset, [base+1 .. base+1+ndim) strides;
//   [60 .. 64) the expression's scalars s0..s3 (numbers are parameters, never shader text).
${enable}
//!include common.wgsl
${bindings}
@group(0) @binding(${params_binding}) var<uniform> params: Params;
//!include elementwise_lib.wgsl

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg, 256u);
    if (i >= P(0u)) {
        return;
    }
    var offsets: array<u32, ${n_ports}>;
    for (var p = 0u; p < ${n_ports}u; p++) {
        offsets[p] = P(1u + ${ndim}u + p * (${ndim}u + 1u));
    }
    var rest = i;
    for (var d = ${ndim}i - 1i; d >= 0i; d--) {
        let size = P(1u + u32(d));
        let coord = rest % size;
        rest = rest / size;
        for (var p = 0u; p < ${n_ports}u; p++) {
            offsets[p] += coord * P(2u + ${ndim}u + p * (${ndim}u + 1u) + u32(d));
        }
    }
${loads}
    out[offsets[0]] = ${store};
}

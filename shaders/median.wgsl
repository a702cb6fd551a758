// The lower median of a sorted row, by one invocation: the element at (N - 1) / 2 of the sort order, or
// NaN when the greatest element is NaN (it sorts last).
// Placeholders: enable, type, is_nan (a bool expression of v: type).
// Bindings: 0 input (the contiguous row), 1 its ascending argsort (i32), 2 output (one element),
//   3 parameters.
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl
struct Params {
    n: u32,  // > 0
    offset: u32,  // the input's
}
@group(0) @binding(0) var<storage, read> inp: array<${type}>;
@group(0) @binding(1) var<storage, read> order: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<${type}>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_index) t: u32) {
    if (t != 0u) {
        return;
    }
    let n = params.n;
    let v = inp[params.offset + u32(order[n - 1u])];
    out[0] = select(inp[params.offset + u32(order[(n - 1u) / 2u])], v, ${is_nan});
}

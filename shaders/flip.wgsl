// flip: out[i] = inp at the mirrored coordinates of output element i along the flipped dims.
// The output is contiguous; the input is read through its strides (no negative strides needed:
// a flipped coordinate is size - 1 - coordinate).
// Placeholders: enable, ty (element type), ndim (dims after merging, >= 1).
// Bindings: 0 input, 1 output (contiguous), 2 parameters.
// Parameters: [0] numel, [1] input offset, [2] flipped dims as a bit mask (bit d = dim d),
//   [3 .. 3+ndim) sizes, [3+ndim .. 3+2 ndim) input strides.
${enable}
//!include common.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${ty}>;
@group(0) @binding(1) var<storage, read_write> out: array<${ty}>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg, 256u);
    if (i >= P(0u)) {
        return;
    }
    let mask = P(2u);
    var rest = i;
    var at = P(1u);
    for (var d = ${ndim}i - 1i; d >= 0i; d--) {
        let size = P(3u + u32(d));
        var coord = rest % size;
        rest = rest / size;
        if ((mask & (1u << u32(d))) != 0u) {
            coord = size - 1u - coord;
        }
        at += coord * P(3u + ${ndim}u + u32(d));
    }
    out[i] = inp[at];
}

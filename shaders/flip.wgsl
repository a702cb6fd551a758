// flip: out[i] = inp at the mirrored coordinates of output element i along the flipped dims.
// The output is contiguous; the input is read through its strides (no negative strides needed:
// a flipped coordinate is size - 1 - coordinate).
// Placeholders: enable, ty (element type), ndim (dims after merging, >= 1).
// Bindings: 0 input, 1 output (contiguous), 2 parameters.
${enable}
//!include common.wgsl
struct Params {
    numel: u32,
    offset: u32,  // the input's
    flipped: u32,  // bit d set: dim d is mirrored
    dims: array<vec4<u32>, ${ndim}>,  // per dim: size, input stride
}
@group(0) @binding(0) var<storage, read> inp: array<${ty}>;
@group(0) @binding(1) var<storage, read_write> out: array<${ty}>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.numel) {
        return;
    }
    let mask = params.flipped;
    var rest = i;
    var at = params.offset;
    for (var d = ${ndim}i - 1i; d >= 0i; d--) {
        let size = params.dims[d].x;
        var coord = rest % size;
        rest = rest / size;
        if ((mask & (1u << u32(d))) != 0u) {
            coord = size - 1u - coord;
        }
        at += coord * params.dims[d].y;
    }
    out[i] = inp[at];
}

// zero_sign: a whole tensor's max()/min() (float32) that is a zero takes the sign torch's CPU kernel
// leaves it: the sign bit the zero_key fold chose (reduce.py's _ZERO_KEY), the low bit of key[0].
// Any other result (a nonzero or NaN) stays as it is.
// Placeholders: none.
// Bindings: 0 key (u32, the fold's one result), 1 out (the one float32 result, read and written),
//   2 parameters.
//!include common.wgsl
struct Params {
    numel: u32,  // 1
}
@group(0) @binding(0) var<storage, read> key: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    if (flat_index(gid, nwg) >= params.numel) {
        return;
    }
    if (out[0] == 0.0) {
        out[0] = bitcast<f32>((key[0] & 1u) << 31u);
    }
}

// The full spectrum of length n that a half spectrum of ``bins`` (row-major rows of complex64) stands for:
// bin k is the half's k where k < bins, else the conjugate of its n - k (0 past both), with the imaginary
// parts of bin 0 and (n even) bin n / 2 dropped, as NumPy's and torch's c2r read them. Its inverse
// transform is real: c2r's values.
// Placeholders: none of its own. Bindings: 0 input, 1 output, 2 parameters.
//!include common.wgsl
struct Params {
    numel: u32,  // rows * n
    n: u32,
    bins: u32,
}
@group(0) @binding(0) var<storage, read> inp: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.numel) {
        return;
    }
    let n = params.n;
    let bins = params.bins;
    let row = (i / n) * bins;
    let k = i % n;
    var v = vec2<f32>(0.0, 0.0);
    if (k < bins) {
        v = inp[row + k];
    } else if (n - k < bins) {
        let mirrored = inp[row + n - k];
        v = vec2<f32>(mirrored.x, -mirrored.y);
    }
    if (k == 0u || 2u * k == n) {
        v.y = 0.0;
    }
    out[i] = v;
}

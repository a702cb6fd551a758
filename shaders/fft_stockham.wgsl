// One radix-2 stage of a Stockham FFT (Govindaraju et al., "High Performance Discrete Fourier Transforms
// on Graphics Processors", 2008) over rows of n = 2^p complex64 numbers (vec2<f32>: real, imaginary):
// log2(n) dispatches, each invocation one butterfly, so no invocation's work grows with n. Each stage
// reads one buffer and writes the other; after the last, every row is its transform in natural order.
// Placeholders: none of its own. Bindings: 0 input, 1 output, 2 parameters.
//!include common.wgsl
//!include elementwise_lib.wgsl
struct Params {
    numel: u32,  // butterflies: rows * n / 2
    n: u32,
    ns: u32,  // the length of the transforms this stage combines in pairs: 1, 2, 4, ..., n / 2
    direction: f32,  // -1 forward, 1 inverse
    scale: f32,  // applied by the last stage (1 elsewhere): the norm's
}
@group(0) @binding(0) var<storage, read> inp: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> out: array<vec2<f32>>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let t = flat_index(gid, nwg);
    if (t >= params.numel) {
        return;
    }
    let halfn = params.n / 2u;
    let base = (t / halfn) * params.n;
    let j = t % halfn;
    let ns = params.ns;
    let k = j % ns;
    let a0 = inp[base + j];
    // the twiddle exp(-+i pi k / ns): k / ns is exact (ns is a power of two)
    let a1 = cmul(inp[base + j + halfn], cispi(params.direction * f32(k) / f32(ns)));
    let at = base + (j / ns) * ns * 2u + k;
    out[at] = (a0 + a1) * params.scale;
    out[at + ns] = (a0 - a1) * params.scale;
}

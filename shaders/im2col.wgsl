// im2col (F.unfold): out[n, c*kh*kw + i*kw + j, oy*OW + ox] = input[n, c, oy*sh - ph + i*dh,
// ox*sw - pw + j*dw], or 0 where that falls in the padding. One thread per output element.
// Placeholders: enable, ty (the element type).
// Bindings: 0 input (strided), 1 output (contiguous), 2 parameters.
${enable}
//!include common.wgsl
struct Params {
    numel: u32,
    c: u32,  // the image's channels, height and width
    h: u32,
    w: u32,
    kh: u32,  // kernel size
    kw: u32,
    dh: u32,  // dilation
    dw: u32,
    ph: u32,  // padding
    pw: u32,
    sh: u32,  // stride
    sw: u32,
    oh: u32,  // windows along the height and the width
    ow: u32,
    offset: u32,  // the input's
    strides: vec4<u32>,  // the input's, along (n, c, h, w)
}
@group(0) @binding(0) var<storage, read> inp: array<${ty}>;
@group(0) @binding(1) var<storage, read_write> out: array<${ty}>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let o = flat_index(gid, nwg);
    if (o >= params.numel) {
        return;
    }
    let kh = params.kh;
    let kw = params.kw;
    let windows = params.oh * params.ow;
    let rows = params.c * kh * kw;
    let l = o % windows;
    let r = (o / windows) % rows;
    let n = o / (windows * rows);
    let c = r / (kh * kw);
    let i = (r / kw) % kh;
    let j = r % kw;
    let y = i32((l / params.ow) * params.sh + i * params.dh) - i32(params.ph);
    let x = i32((l % params.ow) * params.sw + j * params.dw) - i32(params.pw);
    var value = ${ty}(0);
    if (y >= 0i && y < i32(params.h) && x >= 0i && x < i32(params.w)) {
        let st = params.strides;
        value = inp[params.offset + n * st.x + c * st.y + u32(y) * st.z + u32(x) * st.w];
    }
    out[o] = value;
}

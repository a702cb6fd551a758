// col2im (F.fold): each output pixel sums the column entries that im2col would have read from it.
// A gather, so no atomics: pixel (n, c, y, x) takes, for every kernel offset (i, j) whose window
// position ((y + ph - i*dh) / sh, (x + pw - j*dw) / sw) is whole and in range, that column entry.
// One dispatch covers the kernel offsets r = i * kw + j in first .. end (at most the launcher's
// KERNEL_CHUNK, so no invocation's work grows with the kernel), adding to what earlier ones wrote.
// Placeholders: enable, ty (the element type).
// Bindings: 0 columns (strided, (N, C*kh*kw, L)), 1 output (contiguous (N, C, H, W)), 2 parameters.
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
    offset: u32,  // the columns'
    strides: vec4<u32>,  // the columns', along (n, row, l)
    first: u32,  // kernel offset of this dispatch
    end: u32,  // <= kh * kw
}
@group(0) @binding(0) var<storage, read> cols: array<${ty}>;
@group(0) @binding(1) var<storage, read_write> out: array<${ty}>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let o = flat_index(gid, nwg);
    if (o >= params.numel) {
        return;
    }
    let w = params.w;
    let h = params.h;
    let x = i32(o % w) + i32(params.pw);
    let y = i32((o / w) % h) + i32(params.ph);
    let c = (o / (w * h)) % params.c;
    let n = o / (w * h * params.c);
    let kh = params.kh;
    let kw = params.kw;
    let sh = i32(params.sh);
    let sw = i32(params.sw);
    let st = params.strides;
    var acc = ${ty}(0);
    for (var r = params.first; r < params.end; r++) {
        let i = r / kw;
        let j = r % kw;
        let yy = y - i32(i * params.dh);
        let xx = x - i32(j * params.dw);
        if (yy < 0i || yy % sh != 0i || yy / sh >= i32(params.oh)) {
            continue;
        }
        if (xx < 0i || xx % sw != 0i || xx / sw >= i32(params.ow)) {
            continue;
        }
        let l = u32(yy / sh) * params.ow + u32(xx / sw);
        acc += cols[params.offset + n * st.x + (c * kh * kw + r) * st.y + l * st.z];
    }
    if (params.first == 0u) {
        out[o] = acc;
    } else {
        out[o] += acc;
    }
}

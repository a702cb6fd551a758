// Shared by softmax.wgsl and softmax_serial.wgsl: softmax or log_softmax along one dim, fused:
// the row maximum, the sum of exp(x - max) and the write happen in one kernel, in float32.
// Placeholders: enable, type (input and output).
// Bindings: 0 input, 1 output (contiguous), 2 parameters.
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${type}>;
@group(0) @binding(1) var<storage, read_write> out: array<${type}>;
@group(0) @binding(2) var<uniform> params: Params;
//!include scan_rows.wgsl

struct Params {
    rows: Rows,
    log: u32,  // 1 for log_softmax, else 0
}

fn neg_inf() -> f32 {
    return f32_from_bits(0xff800000u);
}

// NaN wins, so a row with a NaN turns all NaN (WGSL's max may drop a NaN)
fn nan_max(a: f32, b: f32) -> f32 {
    return select(max(a, b), a + b, is_nan_f32(a) || is_nan_f32(b));
}

fn load(base: vec2<u32>, j: u32) -> f32 {
    return f32(inp[base.x + j * params.rows.in_stride]);
}

// the result for x from the row maximum and the sum of exp(x - maximum)
fn store(base: vec2<u32>, j: u32, x: f32, row_max: f32, total: f32) {
    let shifted = x - row_max;
    let y = select(exp_f32(shifted) / total, shifted - log1p_f32(total - 1.0), params.log == 1u);
    out[base.y + j * params.rows.out_stride] = ${type}(y);
}

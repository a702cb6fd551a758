// Shared by scan.wgsl and scan_serial.wgsl: cumulative sum or product along one dim. Each kernel
// declares its bindings: inp (the input) and out (the contiguous output, of in_type).
// Placeholders: enable, in_type (also the output's), acc_type, identity (acc_type value),
//   combine (an expression of acc and v, both acc_type).
// Parameters: each kernel declares them, with at least rows (scan_rows.wgsl) and reverse (1 to scan
//   from the end of each row, else 0).
${enable}
//!include common.wgsl
//!include scan_rows.wgsl

fn combine(acc: ${acc_type}, v: ${acc_type}) -> ${acc_type} {
    return ${combine};
}

// the j-th element in scan order of the row at offsets ``base``
fn position(j: u32) -> u32 {
    return select(j, params.rows.n - 1u - j, params.reverse == 1u);
}

fn load(base: vec2<u32>, j: u32) -> ${acc_type} {
    return ${acc_type}(inp[base.x + position(j) * params.rows.in_stride]);
}

fn store(base: vec2<u32>, j: u32, acc: ${acc_type}) {
    out[base.y + position(j) * params.rows.out_stride] = ${in_type}(acc);
}

// The parameters of the sorts of whole rows (sort_rows, sort_keys, sort_write).
//!include scan_rows.wgsl

struct Params {
    rows: Rows,
    descending: u32,  // 1 for descending, else 0
    size: u32,  // the padded row length: a power of two
}

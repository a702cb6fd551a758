// Shared by the sort kernels: sort keys, and a bitonic sort network in workgroup memory.
// Elements sort by (key, index): the key is a u32 whose unsigned order is the value order (NaN
// greatest, -0 equal to 0, bit-inverted for descending), and the index breaks ties, so the sort
// is stable; padding (key and index 0xffffffff) sorts after every element.
// Placeholders: enable, in_type, key (an expression of v: in_type giving its ascending u32 key),
//   SORT_BLOCK (from kernels/sort.py).
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl

const SORT_BLOCK: u32 = ${SORT_BLOCK}u;  // elements sorted in workgroup memory
var<workgroup> keys: array<u32, SORT_BLOCK>;
var<workgroup> ids: array<u32, SORT_BLOCK>;

fn float_key(x: f32) -> u32 {
    if (is_nan_f32(x)) {
        return 0xffffffffu;
    }
    let bits = select(bitcast<u32>(x), 0u, x == 0.0);  // -0 sorts with 0
    return select(bits | 0x80000000u, ~bits, (bits & 0x80000000u) != 0u);
}

fn sort_key(v: ${in_type}, descending: bool) -> u32 {
    let key = ${key};
    return select(key, ~key, descending);
}

// whether element (ka, ia) sorts before element (kb, ib)
fn before(ka: u32, ia: u32, kb: u32, ib: u32) -> bool {
    return ka < kb || (ka == kb && ia < ib);
}

// One compare-exchange of the pair (i, i + j) in stage k; ``origin`` + i is element i's position in
// its row, whose bit k picks the direction (ascending when 0) as the bitonic network requires.
fn exchange(i: u32, j: u32, k: u32, origin: u32) {
    let l = i + j;
    let ascending = ((origin + i) & k) == 0u;
    if (before(keys[l], ids[l], keys[i], ids[i]) == ascending) {
        let key = keys[i];
        let id = ids[i];
        keys[i] = keys[l];
        ids[i] = ids[l];
        keys[l] = key;
        ids[l] = id;
    }
}

// Bitonic stages k = k_first .. k_last (powers of two) over the first ``size`` (a power of two,
// <= SORT_BLOCK) elements in workgroup memory, steps j from min(k, size) / 2 down to 1. Called in
// uniform control flow by the whole workgroup.
fn bitonic(lid: u32, size: u32, origin: u32, k_first: u32, k_last: u32) {
    for (var k = k_first; k <= k_last; k = k * 2u) {
        for (var j = min(k, size) / 2u; j > 0u; j = j / 2u) {
            for (var t = lid; t < size / 2u; t += WORKGROUP) {
                exchange(2u * j * (t / j) + t % j, j, k, origin);
            }
            workgroupBarrier();
        }
    }
}

// A reducing scatter (index_put with accumulate, scatter_reduce): out[indexed] = combine(out[indexed],
// src[plain]) for every element, duplicates included, with atomics: the native ones for i32/u32
// add, max and min, else a compare-and-swap loop on the 32-bit word that holds the element (for
// float16, the word holding two halves).
// Placeholders: enable, src_type, word_type (i32 or u32), update (statements that fold the
//   value v into element t of out; update_lib.wgsl's functions do the float ones), index_vecs
//   (index_map.wgsl).
// Bindings: 0 src, 1 indices (i32, contiguous), 2 output (atomic words), 3 parameters.
// Parameters: struct Params of index_map.wgsl.
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl
@group(0) @binding(0) var<storage, read> src: array<${src_type}>;
@group(0) @binding(1) var<storage, read> idx: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<atomic<${word_type}>>;
@group(0) @binding(3) var<uniform> params: Params;
//!include index_map.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.numel) {
        return;
    }
    let at = locate(i);
    if (!at.ok) {
        return;
    }
    let t = at.indexed;
    let v = src[at.plain];
${update}
}

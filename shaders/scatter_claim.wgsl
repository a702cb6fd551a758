// First pass of a scatter that overwrites: every target remembers the last source element
// (in row-major order) that writes it, so duplicates resolve as in NumPy and PyTorch's cpu
// kernels (the last write wins); the targets left at -1 are not written at all.
// Placeholders: index_vecs (index_map.wgsl).
// Bindings: 0 indices (i32, contiguous), 1 winner (atomic i32 per target, preset to -1),
//   2 parameters.
// Parameters: struct Params of index_map.wgsl (the plain side is unused).
//!include common.wgsl
@group(0) @binding(0) var<storage, read> idx: array<i32>;
@group(0) @binding(1) var<storage, read_write> winner: array<atomic<i32>>;
@group(0) @binding(2) var<uniform> params: Params;
//!include index_map.wgsl

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let i = flat_index(gid, nwg);
    if (i >= params.numel) {
        return;
    }
    let at = locate(i);
    if (at.ok) {
        atomicMax(&winner[at.indexed], i32(i));
    }
}

// Multi-pass argsort: one bitonic step (stage k, distance j >= SORT_BLOCK) over the scratch
// keys and indices in global memory, one thread per compared pair. See sort_common.wgsl for
// placeholders.
// Bindings: 0 keys, 1 indices (both rows x padded length), 2 parameters.
//!include sort_common.wgsl
struct Params {
    rows: u32,
    size: u32,  // the padded row length
    k: u32,  // stage
    j: u32,  // distance
}
@group(0) @binding(0) var<storage, read_write> all_keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> all_ids: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let pair = flat_index(gid, nwg);
    let half = params.size / 2u;
    let row = pair / half;
    if (row >= params.rows) {
        return;
    }
    let t = pair % half;
    let k = params.k;
    let j = params.j;
    let i = 2u * j * (t / j) + t % j;  // position in the row; its partner is j further
    let a = row * params.size + i;
    let b = a + j;
    if (before(all_keys[b], all_ids[b], all_keys[a], all_ids[a]) == ((i & k) == 0u)) {
        let key = all_keys[a];
        let id = all_ids[a];
        all_keys[a] = all_keys[b];
        all_ids[a] = all_ids[b];
        all_keys[b] = key;
        all_ids[b] = id;
    }
}

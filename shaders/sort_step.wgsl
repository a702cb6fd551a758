// Multi-pass argsort: one bitonic step (stage [32], distance [33] >= SORT_BLOCK) over the scratch
// keys and indices in global memory, one thread per compared pair. See sort_common.wgsl for
// placeholders.
// Bindings: 0 keys, 1 indices (both rows x padded length), 2 parameters.
// Parameters: as sort_rows.wgsl; [32] stage k, [33] distance j.
//!include sort_common.wgsl
@group(0) @binding(0) var<storage, read_write> all_keys: array<u32>;
@group(0) @binding(1) var<storage, read_write> all_ids: array<u32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let pair = flat_index(gid, nwg, 256u);
    let half = P(7u) / 2u;
    let row = pair / half;
    if (row >= P(0u)) {
        return;
    }
    let t = pair % half;
    let k = P(32u);
    let j = P(33u);
    let i = 2u * j * (t / j) + t % j;  // position in the row; its partner is j further
    let a = row * P(7u) + i;
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

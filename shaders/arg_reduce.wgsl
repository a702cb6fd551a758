// argmax / argmin, in passes: each thread scans one chunk of at most CHUNK candidates of an output
// and writes the index of its best one; the first extreme wins, and NaN counts as the extreme (as
// in PyTorch). The first pass's candidates are the reduced elements themselves; a later pass's are
// the winners of the previous one (in chunk order, so the first extreme still wins). The passes
// keep the work of one invocation bounded (lavapipe silently stops a loop after 65,535 iterations).
// Placeholders: enable, in_type, better (a bool expression of v and best: v replaces best),
//   candidate (an expression of m and c: the reduced index of candidate c of output m), CHUNK (from
//   kernels/reduce.py), and those of reduce_index.wgsl (which declares the parameters: n counts
//   candidates, chunks = ceil(n / CHUNK) per output).
// Bindings: 0 input, 1 the previous pass's winners (i32, m x n; unused by the first pass),
//   2 output (i32 reduced indices, m x chunks), 3 parameters.
${enable}
//!include common.wgsl
//!include elementwise_lib.wgsl
@group(0) @binding(0) var<storage, read> inp: array<${in_type}>;
@group(0) @binding(1) var<storage, read> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> out: array<i32>;
@group(0) @binding(3) var<uniform> params: Params;

const CHUNK: u32 = ${CHUNK}u;

//!include reduce_index.wgsl

fn candidate(m: u32, c: u32) -> u32 {
    return ${candidate};
}

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
    let o = flat_index(gid, nwg);
    let chunks = params.chunks;
    if (o >= params.m * chunks) {
        return;
    }
    let m = o / chunks;
    let start = (o % chunks) * CHUNK;
    let stop = min(params.n, start + CHUNK);
    let base = base_offset(m);
    var index = candidate(m, start);
    var best = inp[base + reduced_offset(index)];
    for (var c = start + 1u; c < stop; c++) {
        let j = candidate(m, c);
        let v = inp[base + reduced_offset(j)];
        if (${better}) {
            best = v;
            index = j;
        }
    }
    out[o] = i32(index);
}

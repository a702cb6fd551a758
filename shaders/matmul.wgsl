// Batched matrix product out[b] = A[b] @ B[b], register-blocked: one workgroup of WORKGROUP threads
// computes a TILE x TILE output tile, each thread a 4x4 block of it held in registers. Per step of STEP
// along K, both operand tiles are staged in workgroup memory (k-major, as vec4 over rows) by the
// tile loaders (matmul_load_*.wgsl), so the inner loop is 16 x (two vec4 reads + four vec4 FMAs).
// Operands are read through their strides (a transposed or batch-broadcast operand costs no copy)
// and every load and store is bounds-checked, so any M, N, K (K = 0 too: the tile is zeros) work.
// One dispatch covers the K range k_first .. k_end (at most the launcher's K_CHUNK, so the work of one
// invocation stays bounded: lavapipe silently stops a loop after 65,535 iterations, other drivers
// have watchdogs); a range that does not start at 0 adds to what the earlier ranges wrote.
// Placeholders: enable, a_type / b_type (binding element types: a scalar, or vec4 of it where
//   that operand is loaded four elements at a time), out_type, acc_type (f32 for floats, i32 or
//   u32 for integers), load_a / load_b (the tile loaders' text, each a specialised
//   matmul_load_*.wgsl), TILE and STEP (from kernels/matmul.py).
// Bindings: 0 A, 1 B, 2 output (contiguous, batch x M x N), 3 parameters.
${enable}
//!include common.wgsl
// All offsets and strides in elements; a vec4 operand's are multiples of 4.
struct Operand {
    offset: u32,
    batch_stride: u32,
    row_stride: u32,  // along M for A, along N for B
    k_stride: u32,
}

struct Params {
    m: u32,
    n: u32,
    k: u32,
    tiles_n: u32,
    tiles_m: u32,
    batch: u32,
    k_first: u32,  // of this dispatch, a multiple of STEP
    k_end: u32,  // <= k
    a: Operand,
    b: Operand,
}
@group(0) @binding(0) var<storage, read> a: array<${a_type}>;
@group(0) @binding(1) var<storage, read> b: array<${b_type}>;
@group(0) @binding(2) var<storage, read_write> out: array<${out_type}>;
@group(0) @binding(3) var<uniform> params: Params;

const TILE: u32 = ${TILE}u;  // output tile edge, rows and columns: (TILE / 4)^2 = WORKGROUP threads
const STEP: u32 = ${STEP}u;  // K per stage
const ROW4: u32 = TILE / 4u;  // vec4s per tile row

// tile_x[k * ROW4 + r / 4][r % 4] = X[r0 + r, k0 + k], zero outside the matrix
var<workgroup> tile_a: array<vec4<${acc_type}>, STEP * ROW4>;
var<workgroup> tile_b: array<vec4<${acc_type}>, STEP * ROW4>;

${load_a}
${load_b}

@compute @workgroup_size(WORKGROUP)
fn main(@builtin(local_invocation_index) t: u32, @builtin(workgroup_id) wid: vec3<u32>,
        @builtin(num_workgroups) nwg: vec3<u32>) {
    let m = params.m;
    let n = params.n;
    let tiles_n = params.tiles_n;
    let tiles_per_batch = tiles_n * params.tiles_m;
    // the workgroup index is uniform, so the early return keeps the barriers in uniform control flow
    let group = wid.x + wid.y * nwg.x;
    if (group >= tiles_per_batch * params.batch) {
        return;
    }
    let batch = group / tiles_per_batch;
    let m0 = (group % tiles_per_batch) / tiles_n * TILE;
    let n0 = (group % tiles_n) * TILE;
    let ty = t / ROW4;   // this thread's rows: m0 + 4 ty .. + 4
    let tx = t % ROW4;   // and columns: n0 + 4 tx .. + 4

    var acc: array<vec4<${acc_type}>, 4>;
    for (var k0 = params.k_first; k0 < params.k_end; k0 += STEP) {
        load_a(batch, m0, k0, t);
        load_b(batch, n0, k0, t);
        workgroupBarrier();
        for (var kk = 0u; kk < STEP; kk++) {
            let av = tile_a[kk * ROW4 + ty];
            let bv = tile_b[kk * ROW4 + tx];
            acc[0] += av.x * bv;
            acc[1] += av.y * bv;
            acc[2] += av.z * bv;
            acc[3] += av.w * bv;
        }
        workgroupBarrier();
    }

    let col = n0 + tx * 4u;
    for (var i = 0u; i < 4u; i++) {
        let row = m0 + ty * 4u + i;
        if (row >= m) {
            break;
        }
        let base = (batch * m + row) * n + col;
        for (var j = 0u; j < 4u; j++) {
            if (col + j < n) {
                if (params.k_first == 0u) {
                    out[base + j] = ${out_type}(acc[i][j]);
                } else {
                    out[base + j] += ${out_type}(acc[i][j]);
                }
            }
        }
    }
}

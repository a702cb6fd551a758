"""Multi-tensor optimizer steps (PyTorch's foreach path): one dispatch updates a whole chunk of a
param group in place, where the single-tensor path runs several elementwise kernels per parameter.

Each thread owns one element of the chunk's concatenated parameters; a chunk holds as many
parameters as the device binds storage buffers (and the parameters hold offsets). The text depends
only on the kind and the chunk's length; the hyperparameters are kernel parameters. The formulas
are the single-tensor step's (optim/sgd.py, optim/adam.py), each op rounding to float32 as there.
"""
from __future__ import annotations

import functools

from ..runtime import specialise_text

# kind -> (the state tensors it updates besides the param, the update of element k of tensor j)
# every add with an alpha of the step (torch's CPU rounds each once: a fused multiply-add) through
# fused_f32, which rounds once on every driver (WGSL's fma may be unfused, lavapipe's is); buf's product
# rounds alone first, as buf.mul_
_SGD = """
    var g = G[k];
    if (params.maximize != 0u) { g = -g; }
    if (params.weight_decay != 0.0) { g = fused_f32(params.weight_decay, P[k], g); }
    let b = fused_f32(params.one_minus_dampening, g, kept_f32(B0[k] * params.momentum));
    B0[k] = b;
    P[k] = fused_f32(-params.lr, select(b, fused_f32(params.momentum, b, g), params.nesterov != 0u), P[k]);"""
_ADAM = """
    var g = G[k];
    if (params.maximize != 0u) { g = -g; }
    var p = P[k];
    if (params.weight_decay != 0.0) {
        if (params.decoupled != 0u) {
            p = p * params.decay;
        } else {
            g = fused_f32(params.weight_decay, p, g);
        }
    }
    let m = fused_f32(params.one_minus_beta1, g - B0[k], B0[k]);  // lerp, weight < 0.5 (torch's form, fused)
    let v = fused_f32(params.one_minus_beta2 * g, g, kept_f32(B1[k] * params.beta2));  // addcmul_: one fma
    B0[k] = m;
    B1[k] = v;
    var top = v;
    AMSGRAD
    // addcdiv_'s order, as torch's kernel: (value * exp_avg) / denom, added
    P[k] = p + kept_f32(-params.step_size * m) / (sqrt(top) / params.bias_correction2_sqrt + params.eps);"""
_SGD_PLAIN = """
    var g = G[k];
    if (params.maximize != 0u) { g = -g; }
    if (params.weight_decay != 0.0) { g = fused_f32(params.weight_decay, P[k], g); }
    P[k] = fused_f32(-params.lr, g, P[k]);"""
KINDS = {
    "sgd_plain": (0, _SGD_PLAIN, "lr: f32, weight_decay: f32, maximize: u32"),
    "sgd": (1, _SGD, "lr: f32, momentum: f32, one_minus_dampening: f32, weight_decay: f32, nesterov: u32, "
            "maximize: u32"),
    "adam": (2, _ADAM.replace("AMSGRAD", ""), _ADAM_PARAMS := (
        "step_size: f32, beta2: f32, one_minus_beta1: f32, one_minus_beta2: f32, bias_correction2_sqrt: f32, "
        "eps: f32, weight_decay: f32, decay: f32, decoupled: u32, maximize: u32")),
    "adam_amsgrad": (3, _ADAM.replace("AMSGRAD", "top = max(B2[k], v);\n    B2[k] = top;"), _ADAM_PARAMS),
}
MAX_CHUNK = 8  # parameters per dispatch at most (their offsets fill the kernel's parameters)


def chunk_size(backend, kind) -> int:
    """Parameters per dispatch: each binds its grad, itself and its state tensors."""
    per = 2 + KINDS[kind][0]
    return max(1, min(MAX_CHUNK, backend.driver.limits.get("max-storage-buffers-per-shader-stage", 8) // per))


@functools.lru_cache(maxsize=64)
def _source(kind, n) -> str:
    states, body, hyper = KINDS[kind]
    roles = ["P", *[f"B{s}" for s in range(states)]]
    ports = 1 + len(roles)  # the grad, then the written tensors
    lines = [
        "//!include common.wgsl",
        "//!include elementwise_lib.wgsl",
        "struct Params {",
        f"    ends: array<vec4<u32>, {-(-n // 4)}>,",  # the concatenated index where tensor j ends
        f"    offsets: array<vec4<u32>, {-(-n * ports // 4)}>,",  # element offset of tensor j's port r
        *[f"    {field.strip()}," for field in hyper.split(",")],
        "}",
        *[f"@group(0) @binding({j}) var<storage, read> G{j}: array<f32>;" for j in range(n)],
        *[f"@group(0) @binding({n + r * n + j}) var<storage, read_write> {role}{j}: array<f32>;"
          for r, role in enumerate(roles) for j in range(n)],
        f"@group(0) @binding({n * ports}) var<uniform> params: Params;",
        "fn word(a: u32) -> u32 {",
        "    return params.offsets[a / 4u][a % 4u];",
        "}",
        "@compute @workgroup_size(WORKGROUP)",
        "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
        "    let i = flat_index(gid, nwg);",
        f"    if (i >= params.ends[{(n - 1) // 4}][{(n - 1) % 4}]) {{",
        "        return;",
        "    }",
    ]
    for j in range(n):
        start = "0u" if j == 0 else f"params.ends[{(j - 1) // 4}][{(j - 1) % 4}]"
        test = "if" if j == 0 else "} else if"
        lines.append(f"    {test} (i < params.ends[{j // 4}][{j % 4}]) {{")
        lines.append(f"    let e = i - {start};")
        text = body.replace("G[k]", f"G{j}[word({j * ports}u) + e]")
        for r, role in enumerate(roles):
            text = text.replace(f"{role}[k]", f"{role}{j}[word({j * ports + 1 + r}u) + e]")
        lines.append(text)
    lines.append("    }")
    lines.append("}")
    return specialise_text("\n".join(lines))


def foreach_update(backend, kind, tensors, hyper):
    """Update ``tensors`` (lists of Layouts, all float32 and contiguous: grads, params, then each
    state) in place, a chunk of parameters per dispatch."""
    grads, *written = tensors
    size = chunk_size(backend, kind)
    for lo in range(0, len(grads), size):
        chunk = range(lo, min(lo + size, len(grads)))
        ends, offsets, total = [], [], 0
        for j in chunk:
            total += grads[j].numel()
            ends.append(total)
            offsets += [grads[j].offset, *(w[j].offset for w in written)]
        reads = [backend.binding(grads[j]) for j in chunk]
        writes = [backend.binding(w[j]) for w in written for j in chunk]
        backend.runtime.launch(_source(kind, len(chunk)), reads, writes,
                               {"ends": ends, "offsets": offsets, **hyper}, total)

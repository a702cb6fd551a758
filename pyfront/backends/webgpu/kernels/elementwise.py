"""The elementwise template: one generated kernel per (expression, dtypes, rank).

Numbers never enter the shader text (each distinct text compiles a pipeline): an expression reads
its scalars as ``s0`` .. ``s3``, passed at dispatch time in the parameter words ``SCALAR_WORD..``.
"""

from __future__ import annotations

import functools

from ..layout import I32_MAX, I32_MIN, _RANGE_ERROR, store_expr, wgsl_type
from ..runtime import PARAM_WORDS, f16_bits, f32_bits, specialise
from ..strides import MAX_DIMS, broadcast_strides, coalesce

NAMES = "abc"
MAX_SCALARS = 4
SCALAR_WORD = PARAM_WORDS - MAX_SCALARS  # after the sizes and strides of 3 inputs + output at MAX_DIMS
_LOAD = {  # a scalar parameter word as a WGSL value
    "f32": "PF({k}u)",
    "f16": "f16(unpack2x16float(P({k}u)).x)",  # exact: the word holds the f16 bits
    "i32": "PI({k}u)",
    "u32": "P({k}u)",
}


def expression(op, attrs, ctype: str) -> tuple[str, tuple]:
    """(the op's WGSL expression for compute type ``ctype``, its scalars). ``op.wgsl`` is a string,
    a dict by scalar kind ("f", "i", "u"), or a function of (attrs, ctype) returning either of
    those or (expression, scalar values): the expression reads them as s0, s1, ... of ``ctype``."""
    expr, scalars = op.wgsl, ()
    if callable(expr):
        expr = expr(attrs, ctype)
        if isinstance(expr, tuple):
            expr, scalars = expr
    if isinstance(expr, dict):
        kind = ctype[0]
        expr = expr.get(kind, expr.get("*"))
        if expr is None:
            raise RuntimeError(f'"{op.name}" is not implemented on webgpu for {ctype} tensors')
    return expr.replace("T(", f"{ctype}("), tuple((ctype, v) for v in scalars)


def scalar_word(ty: str, value) -> int:
    """The parameter word carrying ``value`` as WGSL type ``ty`` (read back by ``_LOAD``)."""
    if ty == "f32":
        return f32_bits(float(value))
    if ty == "f16":
        return f16_bits(float(value))
    if ty == "i32" and not I32_MIN <= int(value) <= I32_MAX:
        raise RuntimeError(_RANGE_ERROR)
    return int(value) & 0xFFFFFFFF


@functools.lru_cache(maxsize=256)  # the generated text is also the runtime's pipeline key
def _source(source_expr, types, out_dtype, ndim, bool_expr, scalar_types, widen_f16=False):
    out_type = wgsl_type(out_dtype)
    n = len(types)
    bindings = [
        f"@group(0) @binding({i}) var<storage, read> in{i}: array<{ty}>;" for i, ty in enumerate(types)
    ]
    bindings.append(f"@group(0) @binding({n}) var<storage, read_write> out: array<{out_type}>;")
    loads = "\n".join(
        [f"    let {NAMES[i]} = {_widened(ty, widen_f16)}(in{i}[offsets[{i + 1}]]);"
         for i, ty in enumerate(types)]
        + [f"    let s{k} = {_LOAD[ty].format(k=SCALAR_WORD + k)};" for k, ty in enumerate(scalar_types)]
    )
    store = f"select(0u, 1u, {source_expr})" if bool_expr else store_expr(source_expr, out_dtype)
    uses_f16 = "f16" in (*types, out_type, *scalar_types)
    return specialise(
        "elementwise.wgsl",
        enable="enable f16;" if uses_f16 else "",
        bindings="\n".join(bindings),
        ndim=ndim,
        n_ports=n + 1,
        params_binding=n + 1,
        loads=loads,
        store=store,
    )


def _widened(ty, widen_f16):
    return "f32" if widen_f16 and ty == "f16" else ""


def run_elementwise(backend, source_expr, inputs, out, bool_expr=False, scalars=(), widen_f16=False):
    """Evaluate ``source_expr`` (over a, b, c and s0, s1, ...) for every element of tensor ``out``
    (any strides). ``scalars``: (WGSL type, Python number) per s0, s1, ...; ``widen_f16``: float16
    inputs are read as f32."""
    shape = tuple(out.shape)
    numel = out.numel()
    if numel == 0:
        return
    if all(t._shape == shape and t.is_contiguous() for t in inputs) and out.is_contiguous():
        shape, ports = (numel,), [(1,)] * (len(inputs) + 1)  # the common case: flat and aligned
    else:
        ports = [out._strides] + [broadcast_strides(t, shape) for t in inputs]
        shape, ports = coalesce(shape, ports)
    if len(shape) > MAX_DIMS:
        raise RuntimeError(
            f"webgpu elementwise kernels index at most {MAX_DIMS} dimensions after merging "
            f"contiguous ones; got {len(shape)}: make the operands contiguous first"
        )
    types = tuple(wgsl_type(t.dtype) for t in inputs)
    source = _source(source_expr, types, out.dtype, len(shape), bool_expr, tuple(ty for ty, _ in scalars),
                     widen_f16)
    params = [numel, *shape]
    offsets = [out._offset] + [t._offset for t in inputs]
    for off, strides in zip(offsets, ports):
        params += [off, *strides]
    if scalars:
        if len(scalars) > MAX_SCALARS:
            raise ValueError(f"an elementwise kernel takes at most {MAX_SCALARS} scalars")
        params += [0] * (SCALAR_WORD - len(params)) + [scalar_word(ty, v) for ty, v in scalars]
    reads = [backend.binding(t) for t in inputs]
    backend.runtime.launch(source, reads, [backend.binding(out)], params, numel)


def launch_op(backend, op, inputs, attrs, out):
    ctype = wgsl_type(inputs[0].dtype) if inputs else wgsl_type(out.dtype)
    if op.name == "where":
        ctype = wgsl_type(inputs[1].dtype)
    # float16 computes in f32 and rounds once on the store, as torch's CPU kernels do (its opmath);
    # so a float32 scalar operand (see ops/common.promote_args) keeps its value
    widen = ctype == "f16" or any(t.dtype.name == "float16" for t in inputs)
    if ctype == "f16":
        ctype = "f32"
    expr, scalars = expression(op, attrs, ctype)
    bool_expr = op.extra.get("dtype_rule") == "bool" or (op.name == "to_copy" and out.dtype.kind == "b")
    if op.name == "to_copy" and out.dtype.kind == "b":
        expr = f"a != {ctype}(0)"
    run_elementwise(backend, expr, inputs, out, bool_expr, scalars, widen)

"""The elementwise template: one generated kernel per (expression, dtypes, rank).

Numbers never enter the shader text (each distinct text compiles a pipeline): an expression reads
its scalars as ``s0`` .. ``s3``, fields of the kernel's parameters passed at dispatch time.
"""

from __future__ import annotations

import functools
import math

from ....dtypes import round_float32
from ..layout import I32_MAX, I32_MIN, _RANGE_ERROR, store_expr, truth, wgsl_type
from ..runtime import f16_bits, specialise
from ..strides import MAX_DIMS, broadcast_strides, coalesce, peel
from . import complex as cx

NAMES = "abc"
SCALARS = ("s0", "s1", "s2", "s3")
# a scalar of each WGSL type: its parameter field's type, and how the kernel reads it (a float16
# travels as its bits in a u32: uniform fields are 32-bit here)
_SCALAR_FIELD = {"f32": ("f32", "params.{s}"), "f16": ("u32", "f16(unpack2x16float(params.{s}).x)"),
                 "i32": ("i32", "params.{s}"), "u32": ("u32", "params.{s}")}
_PAD = [(0,) * (4 - ports) for ports in range(5)]  # a vec4 of ports after the last one
_FLAT = [(1,) * (inputs + 1) for inputs in range(4)]  # one dim, every port's stride 1


def expression(op, attrs, ctype: str) -> tuple[str, tuple]:
    """(the op's WGSL expression for compute type ``ctype``, its scalars). ``op.wgsl`` is a string,
    a dict by scalar kind ("f", "i", "u"), or a function of (attrs, ctype) returning either of
    those or (expression, scalar values): the expression reads them as s0, s1, ... of ``ctype``."""
    expr, scalars = op.wgsl, ()
    if ctype == cx.COMPLEX:
        return cx.expression(op)
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


def scalar_value(ty: str, value):
    """The parameter value carrying ``value`` as WGSL type ``ty`` (read back as _SCALAR_FIELD says)."""
    if ty == "f32":  # an int rounds to float32 once, as torch's int64 to float (not through a double)
        return round_float32(value) if type(value) is int else float(value)
    if ty == "f16":
        return f16_bits(float(value))
    if ty == "i32" and not I32_MIN <= int(value) <= I32_MAX:
        raise RuntimeError(_RANGE_ERROR)
    return int(value) & 0xFFFFFFFF if ty == "u32" else int(value)


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
        + [f"    let {s} = {_SCALAR_FIELD[ty][1].format(s=s)};" for s, ty in zip(SCALARS, scalar_types)]
    )
    scalar_params = "".join(f"    {s}: {_SCALAR_FIELD[ty][0]},\n" for s, ty in zip(SCALARS, scalar_types))
    store = f"select(0u, 1u, {source_expr})" if bool_expr else store_expr(source_expr, out_dtype)
    uses_f16 = "f16" in (*types, out_type, *scalar_types)
    return specialise(
        "elementwise.wgsl",
        enable="enable f16;" if uses_f16 else "",
        bindings="\n".join(bindings),
        ndim=ndim,
        size_vecs=max(1, -(-ndim // 4)),
        stride_vecs=max(1, ndim),
        scalar_params=scalar_params,
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
    offsets = [out.offset] + [t.offset for t in inputs]
    blocks = ()
    if all(t.shape == shape and t.is_contiguous() for t in inputs) and out.is_contiguous():
        shape, strides = (numel,), _FLAT[len(inputs)]  # the common case: flat and aligned
    else:
        ports = [out.strides] + [broadcast_strides(t, shape) for t in inputs]
        shape, ports = coalesce(shape, ports)
        if len(shape) > MAX_DIMS:  # (rare) the smallest dims looped over here, a dispatch per block
            shape, ports, blocks = peel(shape, ports)
            numel = math.prod(shape)
        # the strides dim by dim, each dim's a vec4 over the ports
        strides = [s for along_d in zip(*ports) for s in along_d + _PAD[len(ports)]]
    types = tuple(wgsl_type(t.dtype) for t in inputs)
    source = _source(source_expr, types, out.dtype, len(shape), bool_expr, tuple(ty for ty, _ in scalars),
                     widen_f16)
    params = {"numel": numel, "sizes": shape, "offsets": offsets, "strides": strides}
    if scalars:
        if len(scalars) > len(SCALARS):
            raise ValueError(f"an elementwise kernel takes at most {len(SCALARS)} scalars")
        params.update(zip(SCALARS, [scalar_value(ty, v) for ty, v in scalars]))
    reads, writes = [backend.binding(t) for t in inputs], [backend.binding(out)]
    if not blocks:
        backend.runtime.launch(source, reads, writes, params, numel)
    for block in blocks:
        params["offsets"] = [o + d for o, d in zip(offsets, block)]
        backend.runtime.launch(source, reads, writes, params, numel)


def plan(op, dtypes, attrs, out_dtype):
    """How elementwise ``op`` computes on inputs of ``dtypes`` (inputs of one dtype: it once):
    (WGSL expression, scalars, bool_expr, widen_f16), as run_elementwise takes them."""
    # where(cond, x, y) computes in its values' type
    ctype = wgsl_type(dtypes[-1] if op.name == "where" else dtypes[0]) if dtypes else wgsl_type(out_dtype)
    # float16 computes in f32 and rounds once on the store, as torch's CPU kernels do (its opmath);
    # so a float32 scalar operand (see ops/common.promote_args) keeps its value. An op whose float16
    # kernel rounds inside (takes_halves: xlogy's logarithm, nextafter's step) computes in f16
    native = op.takes_halves and ctype == "f16" and all(d.name == "float16" for d in dtypes)
    widen = not native and (ctype == "f16" or any(d.name == "float16" for d in dtypes))
    if ctype == "f16" and not native:
        ctype = "f32"
    if op.name == "to_copy" and cx.COMPLEX in (ctype, wgsl_type(out_dtype)):
        return (*cx.cast(ctype, out_dtype), out_dtype.kind == "b", widen)
    expr, scalars = expression(op, attrs, ctype)
    bool_expr = op.extra.get("dtype_rule") == "bool" or (op.name == "to_copy" and out_dtype.kind == "b")
    if op.name == "to_copy" and out_dtype.kind == "b":
        expr = truth("a", ctype)
    elif op.name == "to_copy" and ctype == "f32" and out_dtype.kind in "iu":
        expr = "float_to_int(a)"  # torch's CPU values for NaN, inf and out-of-range floats (common.wgsl)
    return expr, scalars, bool_expr, widen

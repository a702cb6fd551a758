"""The elementwise template: one generated kernel per (expression, dtypes, rank)."""

from __future__ import annotations

from ..layout import store_expr, wgsl_type
from ..runtime import specialise
from ..strides import MAX_DIMS, broadcast_strides, coalesce

NAMES = "abc"


def expression(op, attrs, ctype: str) -> str:
    """The op's WGSL expression for compute type ``ctype``: a string, a dict by scalar kind
    ("f", "i", "u") or a function of (attrs, ctype)."""
    expr = op.wgsl
    if callable(expr):
        expr = expr(attrs, ctype)
    if isinstance(expr, dict):
        kind = ctype[0]
        expr = expr.get(kind, expr.get("*"))
        if expr is None:
            raise RuntimeError(f'"{op.name}" is not implemented on webgpu for {ctype} tensors')
    return expr.replace("T(", f"{ctype}(")


_SOURCES: dict = {}


def _source(source_expr, types, out_dtype, ndim, bool_expr):
    out_type = wgsl_type(out_dtype)
    n = len(types)
    bindings = [
        f"@group(0) @binding({i}) var<storage, read> in{i}: array<{ty}>;" for i, ty in enumerate(types)
    ]
    bindings.append(f"@group(0) @binding({n}) var<storage, read_write> out: array<{out_type}>;")
    loads = "\n".join(f"    let {NAMES[i]} = in{i}[offsets[{i + 1}]];" for i in range(n))
    store = f"select(0u, 1u, {source_expr})" if bool_expr else store_expr(source_expr, out_dtype)
    uses_f16 = "f16" in types or out_type == "f16"
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


def run_elementwise(backend, source_expr, inputs, out, bool_expr=False):
    """Evaluate ``source_expr`` (over a, b, c) for every element of tensor ``out`` (any strides)."""
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
    key = (source_expr, types, out.dtype, len(shape), bool_expr)
    source = _SOURCES.get(key)
    if source is None:
        source = _SOURCES[key] = _source(source_expr, types, out.dtype, len(shape), bool_expr)
    params = [numel, *shape]
    offsets = [out._offset] + [t._offset for t in inputs]
    for off, strides in zip(offsets, ports):
        params += [off, *strides]
    reads = [backend.binding(t) for t in inputs]
    backend.runtime.launch(source, reads, [backend.binding(out)], params, numel)


def launch_op(backend, op, inputs, attrs, out):
    ctype = wgsl_type(inputs[0].dtype) if inputs else wgsl_type(out.dtype)
    if op.name == "where":
        ctype = wgsl_type(inputs[1].dtype)
    expr = expression(op, attrs, ctype)
    bool_expr = op.extra.get("dtype_rule") == "bool" or (op.name == "to_copy" and out.dtype.kind == "b")
    if op.name == "to_copy" and out.dtype.kind == "b":
        expr = f"a != {ctype}(0)"
    run_elementwise(backend, expr, inputs, out, bool_expr)

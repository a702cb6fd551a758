"""Lazy elementwise fusion: an elementwise result stays a pending expression until something needs
its memory; then one generated kernel computes the whole chain (DESIGN.md: "later, inside the
backend only").

A pending storage's ``data`` is a ``Pending``, which stands in for its GPUBuffer and computes it
on first use. All memory traffic goes through the runtime (launch, read, upload), which realizes a
pending buffer before using it, and, before anything writes a buffer, realizes every pending
expression that reads it: an expression sees the values its inputs had at the time of the op.

Each op of a chain keeps its own store (a narrow integer wraps, a float16 rounds, a bool is 0/1
exactly as its own kernel would store it), so fused and unfused results are the same numbers.
Numbers stay kernel parameters: the generated text depends only on the chain's ops, dtypes and
rank, and the runtime's pipeline cache bounds it. ``PYFRONT_FUSION=0`` (or ``fusion.ENABLED =
False``) runs every op as its own dispatch.
"""
from __future__ import annotations

import functools
import math
import os
import weakref
from collections import namedtuple

from ...shape import contiguous_strides
from .layout import WGSL_TYPE, store_expr, wgsl_type
from .runtime import PARAM_BYTES, specialise_text
from .strides import broadcast_strides, coalesce
from .kernels.elementwise import _SCALAR_FIELD, scalar_value

ENABLED = os.environ.get("PYFRONT_FUSION", "1") != "0"
MAX_NODES = 12  # ops in one chain: beyond it the inputs are computed first
MAX_SCALARS = 12
MAX_DIMS = 4  # a higher rank runs unfused (the parameters of a fused kernel grow with rank x ports)
LAZY_BYTES = 256  # the smallest buffer: a constant this small takes its memory when it is first needed
MAX_LEAVES = 7  # inputs of one chain at most (its kernel binds them and its output as storage buffers)


class Leaf(namedtuple("Leaf", "buffer nbytes offset strides dtype key hid")):
    """An input in memory: the buffer as it was at the time of the op, read at ``offset`` with
    ``strides`` over the chain's shape; ``key`` tells equal readings apart, ``hid`` is the runtime's
    key for the memory. Made by ``new_leaf``: a tuple, as two are made per op."""

    __slots__ = ()


def new_leaf(buffer, nbytes, offset, strides, dtype) -> Leaf:
    return _new_tuple(Leaf, (buffer, nbytes, offset, strides, dtype, (id(buffer), offset, strides, dtype),
                             id(buffer.handle)))


_new_tuple = tuple.__new__


class Node:
    """One op of a chain: its WGSL expression over a, b, c (its args) and s0, s1, ... (scalars)."""

    __slots__ = ("expr", "bool_expr", "widen", "dtype", "args", "scalars", "count", "leaves", "n_scalars",
                 "owner")

    def __init__(self, expr, bool_expr, widen, dtype, args, scalars):
        self.expr, self.bool_expr, self.widen, self.dtype = expr, bool_expr, widen, dtype
        self.owner = None  # a weak reference to the Pending this node computes, if any
        self.args, self.scalars = args, scalars
        count, n_scalars = 1, len(scalars)
        # every Leaf of the chain, once, by key (in the order the kernel binds them)
        self.leaves = leaves = {}
        for a in args:
            if a.__class__ is Leaf:
                if a.key not in leaves:
                    leaves[a.key] = a
            else:
                count += a.count
                n_scalars += a.n_scalars
                leaves.update(a.leaves)
        self.count, self.n_scalars = count, n_scalars


class Pending:
    """The buffer of an elementwise result not computed yet (``handle`` and ``size`` compute it).
    A small constant's (a number's, a fill's up to ``LAZY_BYTES``) memory is taken only when something
    needs it (``buffer`` is None until then): chains inline a constant, so a cached number (ops.common's
    0-d tensors, a new one per step where the number changes) never holds a buffer, nor takes from the
    pool one a training step's results would take (which made every step's bind groups new)."""

    __slots__ = ("backend", "node", "shape", "nbytes", "buffer", "__weakref__")

    def __init__(self, backend, node, shape, buffer, nbytes):
        self.backend, self.node, self.shape, self.buffer, self.nbytes = backend, node, shape, buffer, nbytes

    def realize(self):
        if self.node is not None:
            with self.backend.runtime.lock:
                node, self.node = self.node, None  # the inputs are let go once it is computed
                unrealized = self.backend.runtime.unrealized
                unrealized.pop(id(self), None)
                if node is not None:
                    try:
                        if self.buffer is None:
                            self.buffer = self.backend.runtime.pool.take_held(self.nbytes)
                        _launch(self.backend, node, self.shape, (self.buffer, 0, self.nbytes),
                                extras=_extra_outputs(self.backend, node, self.shape))
                    except BaseException:
                        self.node = node  # not computed: a later use tries again
                        unrealized[id(self)] = weakref.ref(self)
                        raise
        return self.buffer

    @property
    def handle(self):
        return self.realize().handle

    @property
    def size(self):
        return self.realize().size


def fusable(shape) -> bool:
    return ENABLED and len(shape) <= MAX_DIMS and 0 not in shape


def pending(backend, shape, nbytes, dtype, inputs, expr, scalars=(), bool_expr=False, widen=False):
    """The memory of a ``shape`` result of ``expr`` over Layouts ``inputs`` (as run_elementwise
    takes them), ``nbytes`` of it, not computed yet: a ``Pending`` that inlines the inputs that are
    themselves pending results of the same shape, or constants. The caller has checked that the
    kernel can carry ``scalars`` (kernels.elementwise.scalar_value). This runs for every elementwise
    op: the commonest cases are spelled out inline."""
    runtime = backend.runtime
    with runtime.lock:
        args = []
        for t in inputs:
            data = t[0].data
            if data.__class__ is Pending and data.node is not None:
                # a whole pending result of this shape is inlined (_arg's commonest case)
                whole = t[5] and not t[3] and t[1] == shape and t[1] == data.shape
                args.append(data.node if whole else _arg(t, shape, True))
            else:  # in memory: read as it is now (_arg's case, without its calls)
                strides = t[2] if t[1] == shape and 1 not in shape else broadcast_strides(t, shape)
                args.append(new_leaf(data, t[0].nbytes, t[3], strides, t[4]))
        node = Node(expr, bool_expr, widen, dtype, args, scalars)
        while (node.count > MAX_NODES or node.n_scalars > MAX_SCALARS or len(node.leaves) > backend.max_leaves
               or (len(shape) > _ALWAYS_FITS_DIMS
                   and _param_bytes(len(node.leaves), len(shape), node.n_scalars) > PARAM_BYTES)):
            # too big for one kernel: the largest inlined input is computed first
            big = max((i for i, a in enumerate(args) if isinstance(a, Node)),
                      key=lambda i: args[i].count)
            args[big] = _arg(inputs[big], shape, False)
            node = Node(expr, bool_expr, widen, dtype, args, scalars)
        # the memory is taken now (an allocation fails at the op, as it would unfused); a small constant's
        # when it is first needed (see Pending)
        buffer = runtime.pool.take_held(nbytes) if node.leaves or nbytes > LAZY_BYTES else None
        result = Pending(backend, node, shape, buffer, nbytes)
        ref = node.owner = weakref.ref(result)
        # synchronize() computes it, as it waits for all queued work (dead entries go in bulk, as readers');
        # not a small constant: it reads no memory, so when it is computed changes nothing (see Pending)
        if buffer is not None:
            unrealized = runtime.unrealized
            unrealized[id(result)] = ref
            if len(unrealized) >= runtime.unrealized_bound:
                runtime.drop_dead_unrealized()
        readers = runtime.readers
        for leaf in node.leaves.values():  # a write to any of these realizes the result first
            refs = readers.get(leaf.hid)
            if refs is None:
                readers[leaf.hid] = [ref]
                continue
            refs.append(ref)
            n = len(refs)
            if n >= 64 and not n & (n - 1):  # a buffer read by many and never written: drop the dead
                refs[:] = [r for r in refs if r() is not None]
        return result


def _arg(t, shape, inline):
    """The node of pending input ``t`` where it can be inlined; else ``t`` as a Leaf."""
    data = t.storage.data
    if isinstance(data, Pending) and data.node is not None:
        # a constant (a fill) reads no memory, so any layout of it reads the same value
        # else only a reading of the whole result as it was made (not a view: its leaves' strides
        # are over the result's own shape)
        whole = t.contiguous and t.offset == 0 and tuple(t.shape) == tuple(data.shape)
        if inline and (not data.node.leaves or (whole and t.shape == shape)):
            return data.node
        if inline and whole:  # broadcast to the chain's shape: each element recomputes its value
            return _broadcast(data.node, tuple(data.shape), tuple(shape))
        data.realize()
    return new_leaf(data, t.storage.nbytes, t.offset, broadcast_strides(t, shape), t.dtype)


def _broadcast(node, small, big):
    """A copy of chain ``node`` (over shape ``small``) that reads its leaves broadcast to ``big``."""
    lead = len(big) - len(small)

    def copy(n):
        args = [copy(a) if isinstance(a, Node) else
                new_leaf(a.buffer, a.nbytes, a.offset, (0,) * lead + tuple(
                    0 if m == 1 else st for m, st in zip(small, a.strides)), a.dtype) for a in n.args]
        return Node(n.expr, n.bool_expr, n.widen, n.dtype, args, n.scalars)
    return copy(node)


def _param_bytes(leaves, ndim, n_scalars) -> int:
    vecs = -(-(leaves + 1) // 4)
    return 16 + 16 * max(1, -(-ndim // 4)) + 16 * vecs + 16 * max(1, ndim) * vecs + 4 * n_scalars


# the parameters of any chain of at most this rank fit in PARAM_BYTES (within MAX_SCALARS and
# MAX_LEAVES): pending() works out their size only for a higher rank
_ALWAYS_FITS_DIMS = max((d for d in range(MAX_DIMS + 1)
                         if _param_bytes(MAX_LEAVES, d, MAX_SCALARS) <= PARAM_BYTES), default=-1)


def write_into(backend, dst, src) -> bool:
    """Compute pending ``src`` (the same shape and dtype) straight into the memory of ``dst``, if it
    can: a write that would otherwise compute ``src`` and copy it is one dispatch. Not where ``src``
    reads ``dst``'s memory (a dispatch cannot bind one buffer to read and to write). Afterwards
    ``src`` is a copy of ``dst`` not yet taken. False where it cannot (the caller copies)."""
    data = src.storage.data
    # the chain computes over its own shape: a reshaped view of it (same memory, other shape) is copied
    if not (ENABLED and isinstance(data, Pending) and data.node is not None and src.contiguous
            and src.offset == 0 and src.shape == dst.shape == tuple(data.shape) and fusable(dst.shape)):
        return False
    runtime = backend.runtime
    with runtime.lock:
        node, target = data.node, dst.storage.data
        if node is None:
            return False
        handle = target.handle
        # one dispatch cannot bind a buffer both to read and to write (WebGPU's usage rule)
        if any(leaf.hid == id(handle) for leaf in node.leaves.values()):
            return False
        _launch(backend, node, dst.shape, (target, 0, dst.storage.nbytes), dst.strides, dst.offset)
        data.node = Node("a", False, False, dst.dtype,
                         [new_leaf(target, dst.storage.nbytes, dst.offset, dst.strides, dst.dtype)], ())
        runtime.readers.setdefault(id(handle), []).append(weakref.ref(data))
    return True


def _postorder(node, out):
    """The chain's nodes in the order its kernel computes them (v0, v1, ...: inputs first)."""
    for a in node.args:
        if isinstance(a, Node):
            _postorder(a, out)
    out.append(node)
    return out


def _extra_outputs(backend, node, shape) -> list:
    """The pending results still wanted (alive, not computed) that ``node``'s chain computes along
    the way: its kernel stores them too (``buf.mul_(m).add_(g); p.sub_(lr * buf)`` is one dispatch,
    not one per result). [(value index, Pending)] while the kernel's storage buffers allow."""
    if node.count == 1:
        return ()
    extras, room = [], backend.max_leaves - len(node.leaves)
    for i, n in enumerate(_postorder(node, [])[:-1]):
        p = n.owner() if n.owner is not None else None
        # (not a constant: anything recomputes it for free, and its memory may not be taken yet)
        if len(extras) < room and p is not None and p.node is n and n.leaves \
                and tuple(p.shape) == tuple(shape) and all(p is not q for _, q in extras):
            extras.append((i, p))
    return extras


def _launch(backend, node, shape, out_port, out_strides=None, out_offset=0, extras=()):
    shape = tuple(shape)
    dense = contiguous_strides(shape)
    flat = out_strides is None or tuple(out_strides) == dense
    # what the kernel needs of each leaf, in one loop (a comprehension apiece is a call apiece)
    index, types, offsets, reads = {}, [], [out_offset], []
    for i, leaf in enumerate(node.leaves.values()):
        index[leaf.key] = i
        types.append(WGSL_TYPE[leaf.dtype.name])
        offsets.append(leaf.offset)
        reads.append((leaf.buffer, 0, leaf.nbytes))
        flat = flat and leaf.strides == dense
    scalars = []
    key = _key(node, index, scalars)
    numel = math.prod(shape)
    if flat:  # the commonest case: every port reads element i at its offset + i, one dim
        dims, strides = (numel,), _FLAT[len(reads)]
    else:
        ports = [dense if out_strides is None else tuple(out_strides)]
        ports += [leaf.strides for leaf in node.leaves.values()]
        dims, ports = coalesce(shape, ports)
        vecs = -(-len(ports) // 4)
        pad = [0] * (4 * vecs - len(ports))
        strides = [s for along_d in zip(*ports) for s in (*along_d, *pad)]
    writes = [out_port]
    if extras:
        writes += [(p.buffer, 0, p.nbytes) for _, p in extras]
    source = _source(key, tuple(types), len(dims), tuple([i for i, _ in extras]) if extras else ())
    params = {"numel": numel, "sizes": dims, "offsets": offsets, "strides": strides}
    if scalars:
        params.update((f"s{i}", scalar_value(ty, v)) for i, (ty, v) in enumerate(scalars))
    backend.runtime.launch(source, reads, writes, params, numel)
    for _, p in extras:  # computed: they let their inputs go, as realize() does
        p.node = None
        backend.runtime.unrealized.pop(id(p), None)


# the strides of one dim where every port (the output, then ``leaves`` inputs) reads element i at i
_FLAT = [(1,) * (leaves + 1) + (0,) * (-(leaves + 1) % 4) for leaves in range(MAX_LEAVES + 1)]


def _key(node, index, scalars) -> tuple:
    """The structure of the chain (what the shader text depends on); collects its scalars in order."""
    args = []  # a loop, not a generator: this runs for each node of each chain launched
    for a in node.args:
        args.append(index[a.key] if a.__class__ is Leaf else _key(a, index, scalars))
    first, types = len(scalars), ()
    if node.scalars:
        scalars.extend(node.scalars)
        types = tuple([ty for ty, _ in node.scalars])
    return (node.expr, node.bool_expr, node.widen, node.dtype, tuple(args), first, types)


@functools.lru_cache(maxsize=256)  # the text is also the runtime's pipeline key
def _source(key, leaf_types, ndim, extras=()) -> str:
    """The kernel of chain ``key``; ``extras``: indices of values it also stores (out1, out2, ...),
    each contiguous like the result."""
    n = len(leaf_types)
    vecs = -(-(n + 1) // 4)
    functions, body, result, fields, uses_f16, types = _chain(key, leaf_types, "params")
    port = [f"o{p // 4}[{p % 4}]" for p in range(n + 1)]
    lines = [
        "enable f16;" if uses_f16 else "",
        "//!include common.wgsl",
        "struct Params {",
        "    numel: u32,",
        *_fields(ndim, vecs, fields),
        "}",
        *_bindings(leaf_types),
        f"@group(0) @binding({n}) var<storage, read_write> out: array<{wgsl_type(key[3])}>;",
        *[f"@group(0) @binding({n + 1 + j}) var<storage, read_write> out{j + 1}: array<{types[v]}>;"
          for j, v in enumerate(extras)],
        f"@group(0) @binding({n + 1 + len(extras)}) var<uniform> params: Params;",
        "//!include elementwise_lib.wgsl",
        *functions,
        "@compute @workgroup_size(WORKGROUP)",
        "fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {",
        "    let i = flat_index(gid, nwg);",
        "    if (i >= params.numel) {",
        "        return;",
        "    }",
        *_offsets(ndim, vecs, "params"),
        *[f"    let l{j} = in{j}[{port[j + 1]}];" for j in range(n)],
        *body,
        f"    out[{port[0]}] = {result};",
        *[f"    out{j + 1}[{port[0]}] = v{v};" for j, v in enumerate(extras)],
        "}",
    ]
    return specialise_text("\n".join(lines))


def _fields(ndim, vecs, scalar_fields) -> list:
    """The parameter fields of a chain over ``vecs`` vec4s of ports (sizes, offsets, strides, scalars)."""
    return [f"    sizes: array<vec4<u32>, {max(1, -(-ndim // 4))}>,",
            f"    offsets: array<vec4<u32>, {vecs}>,",
            f"    strides: array<vec4<u32>, {max(1, ndim) * vecs}>,",
            *scalar_fields]


def _bindings(leaf_types) -> list:
    return [f"@group(0) @binding({i}) var<storage, read> in{i}: array<{ty}>;"
            for i, ty in enumerate(leaf_types)]


def _offsets(ndim, vecs, params) -> list:
    """WGSL setting o0, o1, ... (each a vec4 of ports) to the ports' offsets of element ``i``."""
    return [
        *[f"    var o{v} = {params}.offsets[{v}];" for v in range(vecs)],
        "    var rest = i;",
        f"    for (var d = {ndim}i - 1i; d >= 0i; d--) {{",
        f"        let size = {params}.sizes[u32(d) / 4u][u32(d) % 4u];",
        "        let r = rest % size;",
        *[f"        o{v} += r * {params}.strides[u32(d) * {vecs}u + {v}u];" for v in range(vecs)],
        "        rest = rest / size;",
        "    }",
    ]


def _chain(key, leaf_types, params):
    """The chain's WGSL: (functions f0, f1, ...; body lines computing v0, v1, ... from leaf values l0,
    l1, ...; the result's name; its scalar parameter fields; whether it needs f16; the WGSL type of
    each v), its scalars read from struct ``params``."""
    functions, body, uses_f16, value_types = [], [], "f16" in leaf_types, []
    scalar_types = {}  # s0, s1, ... of the whole chain

    def emit(k):
        nonlocal uses_f16
        expr, bool_expr, widen, dtype, args, first, types = k
        arg_params, values = [], []
        for name, a in zip("abc", args):
            ty = leaf_types[a] if isinstance(a, int) else wgsl_type(a[3])
            value = f"l{a}" if isinstance(a, int) else emit(a)
            wide = "f32" if widen and ty == "f16" else ty
            arg_params.append(f"{name}: {wide}")
            values.append(f"{wide}({value})")
        for j, ty in enumerate(types):
            arg_params.append(f"s{j}: {ty}")
            values.append(_SCALAR_FIELD[ty][1].replace("params.", f"{params}.").format(s=f"s{first + j}"))
            scalar_types[first + j] = ty
        out_type = wgsl_type(dtype)
        uses_f16 = uses_f16 or "f16" in (out_type, *types)
        store = f"select(0u, 1u, {expr})" if bool_expr else store_expr(expr, dtype)
        f = len(functions)
        value_types.append(out_type)
        functions.append(f"fn f{f}({', '.join(arg_params)}) -> {out_type} {{\n    return {store};\n}}")
        body.append(f"    let v{f} = f{f}({', '.join(values)});")
        return f"v{f}"

    result = emit(key)
    fields = [f"    s{i}: {_SCALAR_FIELD[ty][0]}," for i, ty in sorted(scalar_types.items())]
    return functions, body, result, fields, uses_f16, value_types


def reduce_input(backend, x, reserved: int):
    """How a reduction reads ``x`` where it is the whole of a pending result: the chain computed in
    its loads (no dispatch of its own), as (leaf bindings, WGSL of the input: bindings, a struct
    Fused and ``fn chain(i)``, whether it needs f16, the Fused parameters). None where ``x`` is in
    memory, or another reading of it, or the chain's parameters do not fit beside the reduction's
    ``reserved`` bytes."""
    data = x.storage.data
    if not (ENABLED and isinstance(data, Pending) and x.contiguous and x.offset == 0
            and tuple(data.shape) == tuple(x.shape) and fusable(x.shape)):
        return None
    with backend.runtime.lock:
        node = data.node
        if node is None or len(node.leaves) > backend.max_leaves or \
                reserved + _param_bytes(len(node.leaves), len(x.shape), node.n_scalars) > PARAM_BYTES:
            return None
        leaves = list(node.leaves.values())
        index = {leaf.key: i for i, leaf in enumerate(leaves)}
        scalars = []
        key = _key(node, index, scalars)
        ports = [contiguous_strides(tuple(x.shape)), *[leaf.strides for leaf in leaves]]
        dims, ports = coalesce(tuple(x.shape), ports)
        vecs = -(-len(ports) // 4)
        text, uses_f16 = _chain_function(key, tuple(wgsl_type(leaf.dtype) for leaf in leaves), len(dims))
        pad = [0] * (4 * vecs - len(ports))
        params = {"sizes": dims, "offsets": [0] + [leaf.offset for leaf in leaves],
                  "strides": [s for along_d in zip(*ports) for s in (*along_d, *pad)]}
        params.update((f"s{i}", scalar_value(ty, v)) for i, (ty, v) in enumerate(scalars))
        return [(leaf.buffer, 0, leaf.nbytes) for leaf in leaves], text, uses_f16, params


@functools.lru_cache(maxsize=256)
def _chain_function(key, leaf_types, ndim):
    """The chain as ``fn chain(i: u32)``: its result's element at logical index ``i``, its leaves
    bound from 0, its parameters in ``struct Fused`` (the field ``params.fused``); and whether the
    kernel must enable f16."""
    n = len(leaf_types)
    vecs = -(-(n + 1) // 4)
    functions, body, result, fields, uses_f16, _ = _chain(key, leaf_types, "params.fused")
    port = [f"o{p // 4}[{p % 4}]" for p in range(n + 1)]
    return "\n".join([
        "struct Fused {",
        *_fields(ndim, vecs, fields),
        "}",
        *_bindings(leaf_types),
        *functions,
        f"fn chain(i: u32) -> {wgsl_type(key[3])} {{",
        *_offsets(ndim, vecs, "params.fused"),
        *[f"    let l{j} = in{j}[{port[j + 1]}];" for j in range(n)],
        *body,
        f"    return {result};",
        "}",
    ]), uses_f16

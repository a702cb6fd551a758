"""torch's ``grad_fn._saved_<name>`` attributes: what a node saved for backward, under the names torch's
derivative formulas give them (``_saved_self``, ``_saved_other``, ``_saved_result``, ``_saved_dim``, ...).

Properties of Node, one per name torch's signatures have (``install``; not a ``__getattr__``, which would
slow every attribute read of every node), each found only when read: nothing is made or stored per node.
An OpNode shows its saved inputs under its op's argument names (``OpDef.extra["saved_names"]``, else the
Tensor arguments of torch's signature, else an elementwise op's ``self, other``), its saved output as
``result`` (``result0``, ``result1``, ... for more), and the attributes its op takes under a name torch's
signature has (not a dim: torch keeps it as given, pyfront's op normalised). A node a composite presents
as torch's (``graph.present_as``) shows only what it declares (``saved_names`` on a Function's ctx), never
its last step's own inputs under the wrong names.
"""
from __future__ import annotations

_NAMES: dict = {}  # op name -> (its inputs' names, {attribute name: its schema type})

# Where the names above are not torch's node's: node name -> (the names of what pyfront saves, in order: its
# saved inputs in OpDef.save's order, then its outputs, None where torch's node does not save that one; the
# attributes it shows, None: those torch's signature has). Torch's node may save what pyfront's does not
# (``_saved_self`` of gather, whose gradient pyfront makes from self's shape): that is not shown.
_DECLARED = {
    "PowBackward0": (("self", "exponent", None), None),  # pow(Tensor, Scalar) saves no result
    "PowBackward1": (("self", "exponent", "result"), None),
    "PowBackward2": (("self", "exponent", "result"), None),
    "FrexpBackward0": ((None, "exponent"), None),
    "NllLossBackward0": (("self", "target"), ()),
    "SumBackward0": ((), ()),  # the overloads without dim or keepdim
    "ProdBackward0": (("self", "result"), ()),
    "RoundBackward1": ((), ()),  # round(decimals=d): a zero gradient, nothing kept
}

# torch's nodes that keep their input's shape (``_saved_self_sym_sizes``) to shape its gradient: the shape,
# reductions to a sum, and indexing ones; a pyfront node of one of these names has that shape as its first
# input's (a number kept after backward frees the tensors, as torch's)
_SAVE_SELF_SIZES = frozenset(
    "SumBackward0 SumBackward1 ExpandBackward0 ViewBackward0 UnsafeViewBackward0 SqueezeBackward0 "
    "SqueezeBackward1 SqueezeBackward2 SqueezeBackward3 SqueezeBackward4 SqueezeBackward5 SelectBackward0 "
    "SliceBackward0 IndexBackward0 DiagonalBackward0 UnfoldBackward0 SplitBackward0 "
    "SplitWithSizesBackward0 UnsafeSplitBackward0 UnsafeSplitWithSizesBackward0".split())

# torch's matrix-product nodes keep each matrix's sizes and strides (``_saved_mat2_sym_strides``, ...) beside
# it: node name -> its two matrices' names (the node's last two inputs)
_MATRICES = {"MmBackward0": ("self", "mat2"), "AddmmBackward0": ("mat1", "mat2")}


def _arguments(op) -> tuple:
    """(inputs' names, {attribute: schema type}) of ``op`` as torch's schema names them (``input`` is
    ``self``): declared (``OpDef.extra["saved_names"]``), read off torch's signature, or an elementwise
    op's ``self, other``."""
    known = _NAMES.get(op.name)
    if known is not None:
        return known
    from ..ops.signatures import SIGNATURES
    tensors, others = None, {}
    for sig in SIGNATURES.get(op.torch_name or "", ()):
        params = [p.strip() for p in sig.split(",") if p.strip() and p.strip() != "*"]
        typed = [(p.split()[0], p.split("=")[0].split()[-1]) for p in params]
        found = tuple("self" if n == "input" else n for t, n in typed if t.startswith("Tensor"))
        if tensors is None and len(found) >= op.arity:
            tensors = found
        others.update((n, t) for t, n in typed if not t.startswith("Tensor"))
    default = ("self", "other", "third") if op.kind == "elementwise" else ("self",)
    known = _NAMES[op.name] = (op.extra.get("saved_names") or tensors or default, others)
    return known


def install(cls) -> None:
    """Give ``cls`` a ``_saved_<name>`` property for every argument name in torch's signatures, and the
    results': each reads what a node has under that name, else is an AttributeError, as torch's."""
    from ..ops.signatures import SIGNATURES
    # (index_put's accumulate: the signature table holds its method form, Tensor.index_put, not the op's;
    # embedding_bag's offsets and per_sample_weights: the table has no binding of it; unfold's dimension;
    # addr's vec1, addbmm's sizes; elu's input_scale, which only its aten op takes; log_sigmoid_forward's
    # buffer, an output; the FFT ops' normalization, onesided and forward; rrelu_with_noise's noise)
    names = {"result", "result0", "result1", "result2", "result3", "self_sym_sizes", "accumulate", "offsets",
             "per_sample_weights", "dimension", "vec1", "batch1_sym_argsize_0", "batch1_sym_argsize_1",
             "batch2_sym_argsize_2", "input_scale", "buffer", "normalization", "onesided", "forward", "noise"}
    names.update(f"{m}_sym_{what}" for pair in _MATRICES.values() for m in pair
                 for what in ("sizes", "strides"))
    for sigs in SIGNATURES.values():
        for sig in sigs:
            names.update(p.split("=")[0].split()[-1] for p in sig.split(",") if p.strip() not in ("", "*"))
    names.discard("input")  # torch's schema calls it self
    for name in names:
        setattr(cls, "_saved_" + name, _saved_property(name))
        setattr(cls, "_raw_saved_" + name, _raw_property(name))


def _saved_property(name):
    key = "_saved_" + name

    def get(node):
        if key in node.__dict__:  # set by a Function's forward on its ctx
            return node.__dict__[key]
        read = node._readers_of_saved().get(name)
        if read is None:
            raise AttributeError(f"'{type(node).__name__}' object has no attribute '{key}'")
        return read()

    def put(node, value):
        node.__dict__[key] = value
    return property(get, put)


def _raw_property(name):
    """``_raw_saved_<name>``: the SavedTensor a node keeps under that name (a tensor's: a number has none), as
    torch's (still there after a backward freed it, its hooks then refused)."""
    key = "_raw_saved_" + name

    def get(node):
        raw = getattr(node._readers_of_saved().get(name), "raw", None)
        if raw is None:
            raise AttributeError(f"'{type(node).__name__}' object has no attribute '{key}'")
        return raw()
    return property(get)


def as_torch_saves(value, schema_type="int[]"):
    """An attribute's value as torch's node gives it: int lists as tuples, and a negative int of an int
    schema type (a dim) as its unsigned 64-bit pattern, as torch's getters read it back."""
    if isinstance(value, list):
        value = tuple(value)
    if not schema_type.startswith(("int", "SymInt")):  # (a SymInt reads back as an int)
        return value
    if type(value) is int:
        return value + (1 << 64) if value < 0 else value
    if isinstance(value, tuple) and all(type(v) is int for v in value):
        return tuple(v + (1 << 64) if v < 0 else v for v in value)
    return value


def op_node_saved(node) -> dict:
    """``name -> thunk`` of what an OpNode shows as ``_saved_<name>``."""
    if node.presented:
        return presented_saved(node)
    if type(node).__name__ == "NotImplemented":  # torch's generic C++ node (remainder(Scalar, Tensor)): none
        return {}
    op = node.op
    inputs, attr_types = _arguments(op)
    slots, shown_attrs = _DECLARED.get(type(node).__name__, (None, None))
    slots = op.extra.get("saved_slots", slots)  # an op's own, where its node's name is another op's too
    if slots is None:
        n = node.n_outputs
        slots = tuple(inputs[i] if i < len(inputs) else None for i in op.save) + (
            tuple("result" if n == 1 else f"result{j}" for j in range(n)) if op.save_output else ())
    saved = node.saved if not node.freed else None
    n_inputs = len(op.save)
    number = op.extra.get("scalar_overload")  # torch's Scalar overload saves the number, not a tensor
    out = {name: _thunk(node, saved, k, max(k - n_inputs, 0), number) for k, name in enumerate(slots)
           if name is not None}
    if type(node).__name__ in _SAVE_SELF_SIZES:
        out["self_sym_sizes"] = lambda shape=tuple(node.input_meta[0][0]): shape
    for key, value in op.extra.get("saved_constants", {}).items():  # what an op fixes (addmm_bias: alpha 1)
        out[key] = lambda v=value: v
    for k, name in enumerate(_MATRICES.get(type(node).__name__, ())):
        at = len(node.input_meta) - 2 + k
        out[name + "_sym_sizes"] = lambda shape=tuple(node.input_meta[at][0]): shape
        # kept only where the matrix's own gradient is computed (its layout's choice): else (), as torch's
        strides = tuple(node.input_strides[at]) if node.edges[at][0] is not None else ()
        out[name + "_sym_strides"] = lambda strides=strides: strides
    for key, value in (node.attrs or {}).items():
        # not a dim: torch keeps the dim as given (-1), pyfront's op the normalised one
        if key in attr_types and (shown_attrs is None or key in shown_attrs) and "dim" not in key:
            out[key] = (lambda v=value, t=attr_types[key]: as_torch_saves(v, t))
    for key, value in (node.view_args or {}).items():  # a view's arguments as given (views._shows)
        out[key] = lambda v=value: as_torch_saves(v)
    if node.torch_saved is not None:  # what it keeps beside its own, as torch's node (graph.also_saves)
        out.update(presented_saved(node))
    return out


def presented_saved(node) -> dict:
    """``name -> thunk`` of what a composite's node keeps as torch's node saves (``Node.torch_saved``)."""
    from .graph import _FREED, FREED, FREED_LIST, FREED_SAVED, SavedList, SavedTensor
    kept = node.torch_saved
    if kept is None:
        return {}

    def read(k):
        _, s, nr = kept[k]
        if s is FREED or s is FREED_LIST:  # (a number or None stays readable after backward, as torch's)
            raise RuntimeError(_FREED)
        if type(s) is SavedList:
            return tuple(one.unpack(node, 0) for one in s)
        return s.unpack(node, nr) if type(s) is SavedTensor else s

    def raw(k):
        s = kept[k][1]
        if s is FREED_LIST:  # a freed list has no SavedTensors left to give, as torch's
            raise RuntimeError(_FREED)
        return FREED_SAVED if s is FREED else tuple(s) if type(s) is SavedList else s

    # (a None name: what a node torch records before this one saves, not shown)
    out = {}
    for k, (name, s, _) in enumerate(kept):
        if name:
            kept_tensors = s is FREED or s is FREED_LIST or type(s) in (SavedTensor, SavedList)
            out[name] = _with_raw(lambda k=k: read(k), (lambda k=k: raw(k)) if kept_tensors else None)
    return out


def _with_raw(read, raw):
    """``read`` that also answers ``_raw_saved_<name>`` through ``raw`` (None: no SavedTensor there)."""
    read.raw = raw
    return read


def function_saved(node) -> dict:
    """``name -> thunk`` for a Function's node that names its saved tensors (``ctx.saved_names``, in
    ``save_for_backward``'s order)."""
    names = node.__dict__.get("saved_names")
    if not names:
        return presented_saved(node)
    return {name: _with_raw(lambda k=k: node.saved_tensors[k], lambda k=k: node._raw_saved_tensors[k])
            for k, name in enumerate(names)}


def _thunk(node, saved, k, index, number):
    from .graph import _FREED, NONE_SAVED

    def read():
        if saved is None or node.freed:
            raise RuntimeError(_FREED)
        s = saved[k] if k < len(saved) else None
        if s is None:
            return None
        value = s.unpack(node, index)
        return value.item() if number and value._wrapped_number else value

    def raw():  # (the node keeps its SavedTensors, freed, after a backward)
        s = node.saved[k] if k < len(node.saved) else None
        return NONE_SAVED if s is None else s
    return _with_raw(read, raw)

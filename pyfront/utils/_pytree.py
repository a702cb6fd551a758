"""``torch.utils._pytree``: flatten nested tuples, lists, dicts, namedtuples and registered classes to their
leaves and back, map functions over the leaves (of one tree or of several of one structure), with key
paths. ``torch.func`` uses it to map ``in_dims``/``out_dims``/``argnums`` over arguments of any nesting;
libraries use it on batches and model outputs. ``TreeSpec``'s repr is torch's, since vmap's error messages
print it. Not here: ``treespec_dumps``/``treespec_loads`` (torch's JSON form of a spec).
"""
from __future__ import annotations

import dataclasses
import types
import warnings
from collections import OrderedDict, defaultdict, deque, namedtuple
from typing import Any, Callable

from ..ops.return_types import _ReturnType, is_return_type


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


# torch's names for the parts (typing only)
PyTree = Any
Context = Any
DumpableContext = Any
FlattenFn = Callable[[PyTree], tuple[list, Context]]
UnflattenFn = Callable[[list, Context], PyTree]
ToDumpableContextFn = Callable[[Context], DumpableContext]
FromDumpableContextFn = Callable[[DumpableContext], Context]

# class -> (flatten_fn, unflatten_fn), as register_pytree_node was given them
_REGISTERED: dict = {}


def register_pytree_node(cls, flatten_fn, unflatten_fn, *, serialized_type_name=None,
                         to_dumpable_context=None, from_dumpable_context=None,
                         flatten_with_keys_fn=None) -> None:
    """Make instances of ``cls`` pytree nodes: ``flatten_fn(x) -> (children, context)``,
    ``unflatten_fn(children, context) -> x``."""
    if cls in _REGISTERED or cls in (tuple, list, dict, OrderedDict, defaultdict, deque):
        raise ValueError(f"{cls} is already registered as pytree node.")
    _REGISTERED[cls] = (flatten_fn, unflatten_fn)
    if flatten_with_keys_fn is not None:  # (the key paths of tree_flatten_with_path and its kin)
        _WITH_KEYS[cls] = flatten_with_keys_fn


_WITH_KEYS: dict = {}  # a registered type -> its flatten_with_keys_fn


def _children(x):
    """(node type, context, children) of a container, or None for a leaf (None is a leaf, as in torch)."""
    if type(x) in _REGISTERED:
        children, context = _REGISTERED[type(x)][0](x)
        return type(x), context, list(children)
    if is_return_type(x):  # a structseq: its class is the node type, as torch's
        return type(x), None, list(x)
    if _is_namedtuple(x):  # torch's node type for every namedtuple, its class the context
        return namedtuple, type(x), list(x)
    if type(x) in (tuple, list):
        return type(x), None, list(x)
    if type(x) in (dict, OrderedDict):
        return type(x), list(x), list(x.values())
    if type(x) is defaultdict:  # (torch's context: its default factory, then its keys)
        return defaultdict, [x.default_factory, list(x)], list(x.values())
    if type(x) is deque:
        return deque, x.maxlen, list(x)
    return None


class TreeSpec:
    """The structure of a pytree: its node type, the node's context (dict keys) and the children's specs."""

    def __init__(self, type_, context, children):
        self.type, self._context, self._children = type_, context, children
        self.num_leaves = sum(c.num_leaves for c in children)
        self.num_nodes = 1 + sum(c.num_nodes for c in children)

    @property
    def num_children(self) -> int:
        return len(self._children)

    @property
    def context(self):
        return self._context

    def is_leaf(self) -> bool:
        return False

    def child(self, index: int) -> TreeSpec:
        return self._children[index]

    def children(self) -> list:
        return list(self._children)

    def unflatten(self, leaves):
        return tree_unflatten(leaves, self)

    def flatten_up_to(self, tree) -> list:
        """The subtrees of ``tree`` where this spec has its leaves."""
        return _flatten_up_to(self, tree, None)

    @property
    def children_specs(self) -> list:
        warnings.warn("`treespec.children_specs` is deprecated. Use `treespec.child(index)` to access a "
                      "single child, or `treespec.children()` to get all children.", FutureWarning,
                      stacklevel=2)
        return list(self._children)

    def __eq__(self, other) -> bool:
        return (isinstance(other, TreeSpec) and self.type is other.type and self._context == other._context
                and self._children == other._children)

    def __hash__(self):
        return id(self)

    def __repr__(self, indent: int = 0) -> str:
        ctx = self._context
        text = ""
        if self._children:
            indent += 2
            text = self._children[0].__repr__(indent) + ("," if len(self._children) > 1 else "")
            text += ",".join("\n" + " " * indent + c.__repr__(indent) for c in self._children[1:])
        return f"TreeSpec({self.type.__name__}, {ctx}, [{text}])"


PyTreeSpec = TreeSpec


class LeafSpec(TreeSpec):
    def __init__(self):
        super().__init__(object, None, [])
        self.num_leaves = 1

    def is_leaf(self) -> bool:
        return True

    def __eq__(self, other) -> bool:
        return isinstance(other, LeafSpec)

    def __hash__(self):
        return 0

    def __repr__(self, indent: int = 0) -> str:
        return "*"


_LEAF = LeafSpec()


def _node(tree, is_leaf):
    return None if is_leaf is not None and is_leaf(tree) else _children(tree)


def tree_flatten(tree, is_leaf=None):
    """``(leaves, spec)``: the leaves in order (dicts in key order) and the structure to rebuild them;
    ``is_leaf(x)`` True stops the descent at ``x``."""
    node = _node(tree, is_leaf)
    if node is None:
        return [tree], _LEAF
    leaves, specs = [], []
    for child in node[2]:
        sub, spec = tree_flatten(child, is_leaf)
        leaves += sub
        specs.append(spec)
    return leaves, TreeSpec(node[0], node[1], specs)


def tree_unflatten(leaves, spec: TreeSpec):
    """The pytree of ``spec``'s structure holding ``leaves``."""
    leaves = list(leaves)
    if len(leaves) != spec.num_leaves:
        raise ValueError(f"treespec.unflatten(leaves): `leaves` has length {len(leaves)} but the spec "
                         f"refers to a pytree that holds {spec.num_leaves} items ({spec}).")
    return _build(iter(leaves), spec)


def _build(it, spec):
    if isinstance(spec, LeafSpec):
        return next(it)
    children = [_build(it, c) for c in spec._children]
    if spec.type in _REGISTERED:
        return _REGISTERED[spec.type][1](children, spec._context)
    if spec.type in (dict, OrderedDict):
        return spec.type(zip(spec._context, children))
    if spec.type is namedtuple:
        return spec._context(*children)
    if spec.type is defaultdict:
        factory, keys = spec._context
        return defaultdict(factory, zip(keys, children))
    if spec.type is deque:
        return deque(children, maxlen=spec._context)
    return spec.type(children)


def tree_leaves(tree, is_leaf=None) -> list:
    return tree_flatten(tree, is_leaf)[0]


def tree_iter(tree, is_leaf=None):
    return iter(tree_leaves(tree, is_leaf))


def tree_structure(tree, is_leaf=None) -> TreeSpec:
    return tree_flatten(tree, is_leaf)[1]


def tree_is_leaf(tree, is_leaf=None) -> bool:
    return _node(tree, is_leaf) is None


_BUILTIN_NODES = (tuple, list, dict, OrderedDict, namedtuple, defaultdict, deque)
_DICTS = (dict, OrderedDict, defaultdict)  # (matched by their keys, in any order, one kind for another)


def _flatten_up_to(spec: TreeSpec, tree, is_leaf) -> list:
    """The subtrees of ``tree`` at the leaves of ``spec`` (``tree`` has ``spec``'s structure down to them),
    with torch's refusals: a dict matches another dict's keys in any order."""
    if isinstance(spec, LeafSpec):
        return [tree]
    node = _node(tree, is_leaf)
    node_type = None if node is None else node[0]
    dicts = spec.type in _DICTS and node_type in _DICTS
    if node_type is not spec.type and not dicts:
        kind = "Node type" if spec.type in _BUILTIN_NODES else "Type"
        raise ValueError(f"{kind} mismatch; expected {spec.type!r}, but got {node_type or type(tree)!r}.")
    if len(node[2]) != spec.num_children:
        raise ValueError(f"Node arity mismatch; expected {spec.num_children}, but got {len(node[2])}.")
    children = node[2]
    if dicts:
        keys = spec._context[1] if spec.type is defaultdict else spec._context
        missing, extra = set(keys) - set(tree), set(tree) - set(keys)
        if missing or extra:
            raise ValueError("Node keys mismatch" + (f"; missing key(s): {missing}" if missing else "")
                             + (f"; extra key(s): {extra}" if extra else "") + ".")
        children = [tree[k] for k in keys]
    elif node[1] != spec._context and spec.type is not deque:  # (torch's leaves a deque's maxlen unchecked)
        raise ValueError(f"Node context mismatch for node type {spec.type!r}; expected {spec._context!r}, "
                         f"but got {node[1]!r}." if spec.type in _BUILTIN_NODES
                         else f"Node context mismatch for custom node type {spec.type!r}.")
    return [x for child, sub in zip(children, spec._children) for x in _flatten_up_to(sub, child, is_leaf)]


def tree_map(func, tree, *rests, is_leaf=None):
    """``tree`` with ``func`` applied to each leaf (and the leaves of ``rests`` at the same places)."""
    leaves, spec = tree_flatten(tree, is_leaf)
    others = [_flatten_up_to(spec, r, is_leaf) for r in rests]
    return tree_unflatten([func(*xs) for xs in zip(leaves, *others)], spec)


def tree_map_(func, tree, *rests, is_leaf=None):
    """``func`` called on each leaf for its effect (an in-place op); ``tree`` itself returned."""
    leaves, spec = tree_flatten(tree, is_leaf)
    for xs in zip(leaves, *(_flatten_up_to(spec, r, is_leaf) for r in rests)):
        func(*xs)
    return tree


def _only(type_or_types_or_pred, func):
    """``func`` on the leaves of the given types (or that the predicate takes), the others as they are."""
    if isinstance(type_or_types_or_pred, (type, tuple, types.UnionType)):
        def wanted(x):
            return isinstance(x, type_or_types_or_pred)
    elif callable(type_or_types_or_pred):
        wanted = type_or_types_or_pred
    else:
        raise TypeError("Argument must be a type, a tuple of types, or a callable.")
    return lambda x: func(x) if wanted(x) else x


def tree_map_only(type_or_types_or_pred, /, func, tree, is_leaf=None):
    return tree_map(_only(type_or_types_or_pred, func), tree, is_leaf=is_leaf)


def tree_map_only_(type_or_types_or_pred, /, func, tree, is_leaf=None):
    return tree_map_(_only(type_or_types_or_pred, func), tree, is_leaf=is_leaf)


def tree_all(pred, tree, is_leaf=None) -> bool:
    return all(map(pred, tree_iter(tree, is_leaf)))


def tree_any(pred, tree, is_leaf=None) -> bool:
    return any(map(pred, tree_iter(tree, is_leaf)))


def tree_all_only(type_or_types, /, pred, tree, is_leaf=None) -> bool:
    return all(pred(x) for x in tree_iter(tree, is_leaf) if isinstance(x, type_or_types))


def tree_any_only(type_or_types, /, pred, tree, is_leaf=None) -> bool:
    return any(pred(x) for x in tree_iter(tree, is_leaf) if isinstance(x, type_or_types))


# -- key paths: where each leaf sits -------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class SequenceKey:
    idx: int

    def __str__(self) -> str:
        return f"[{self.idx!r}]"

    def get(self, sequence):
        return sequence[self.idx]


@dataclasses.dataclass(frozen=True)
class MappingKey:
    key: object

    def __str__(self) -> str:
        return f"[{self.key!r}]"

    def get(self, mapping):
        return mapping[self.key]


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    name: str

    def __str__(self) -> str:
        return f".{self.name}"

    def get(self, obj):
        return getattr(obj, self.name)


def _keys(tree, node) -> list:
    node_type, context, children = node
    if node_type in _WITH_KEYS:
        return [key for key, _ in _WITH_KEYS[node_type](tree)[0]]
    if node_type in _REGISTERED:
        raise ValueError(f"Did not find a flatten_with_keys_fn for type: {node_type}. Please pass a "
                         f"flatten_with_keys_fn argument to register_pytree_node.")
    if node_type is namedtuple:
        return [GetAttrKey(f) for f in context._fields]
    if node_type in (dict, OrderedDict):
        return [MappingKey(k) for k in context]
    if node_type is defaultdict:
        return [MappingKey(k) for k in context[1]]
    return [SequenceKey(i) for i in range(len(children))]


def _with_path(tree, path, is_leaf):
    node = _node(tree, is_leaf)
    if node is None:
        return [(path, tree)]
    return [item for key, child in zip(_keys(tree, node), node[2])
            for item in _with_path(child, (*path, key), is_leaf)]


def tree_flatten_with_path(tree, is_leaf=None):
    """``([(key path, leaf), ...], spec)``."""
    return _with_path(tree, (), is_leaf), tree_structure(tree, is_leaf)


def tree_leaves_with_path(tree, is_leaf=None) -> list:
    return _with_path(tree, (), is_leaf)


def tree_map_with_path(func, tree, *rests, is_leaf=None):
    """``tree`` with ``func(path, leaf, *rest_leaves)`` at each leaf."""
    pairs, spec = tree_flatten_with_path(tree, is_leaf)
    others = [_flatten_up_to(spec, r, is_leaf) for r in rests]
    return tree_unflatten([func(path, x, *xs) for (path, x), *xs in zip(pairs, *others)], spec)


def keystr(kp) -> str:
    return "".join(str(k) for k in kp)


def key_get(obj, kp):
    for k in kp:
        obj = k.get(obj)
    return obj


def is_namedtuple(obj) -> bool:
    return is_namedtuple_class(obj if isinstance(obj, type) else type(obj))


def is_namedtuple_instance(obj) -> bool:
    return is_namedtuple_class(type(obj))


def is_namedtuple_class(cls) -> bool:
    fields = getattr(cls, "_fields", None)
    return isinstance(cls, type) and issubclass(cls, tuple) and isinstance(fields, tuple)


def is_structseq(obj) -> bool:
    """A ``torch.return_types`` result (torch's structseq), or its class."""
    return is_structseq_class(obj if isinstance(obj, type) else type(obj))


def is_structseq_instance(obj) -> bool:
    return is_structseq_class(type(obj))


def is_structseq_class(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, _ReturnType)


def _broadcast_to_and_flatten(prefix, spec: TreeSpec):
    """Each leaf of a tree of structure ``spec`` paired with the leaf of ``prefix`` above it (``prefix`` is a
    tree prefix of ``spec``: ``in_dims=(0, None)`` for ``(x, {"a": y})``); None when it is not a prefix."""
    node = _children(prefix)
    if node is None:
        return [prefix] * spec.num_leaves
    node_type, context, children = node
    if node_type is not spec.type or context != spec._context or len(children) != spec.num_children:
        return None
    out = []
    for child, child_spec in zip(children, spec._children):
        sub = _broadcast_to_and_flatten(child, child_spec)
        if sub is None:
            return None
        out += sub
    return out


def treespec_pprint(spec: TreeSpec) -> str:
    """A spec as a Python-like skeleton: ``(*, [*, *])``, as torch's ``treespec_pprint``."""
    if isinstance(spec, LeafSpec):
        return "*"
    parts = [treespec_pprint(c) for c in spec._children]
    if spec.type in (dict, OrderedDict):
        return "{" + ", ".join(f"{k!r}: {p}" for k, p in zip(spec._context, parts)) + "}"
    if spec.type is list:
        return "[" + ", ".join(parts) + "]"
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"

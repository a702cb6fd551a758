"""``torch.utils._pytree``'s core: flatten nested tuples, lists, dicts and namedtuples to their leaves and
back. ``torch.func`` uses it to map ``in_dims``/``out_dims``/``argnums`` over arguments of any nesting;
``TreeSpec``'s repr is torch's, since vmap's error messages print it.
"""
from __future__ import annotations

from collections import OrderedDict

from ..ops.return_types import is_return_type


def _is_namedtuple(x) -> bool:
    """A namedtuple, or a ``torch.return_types`` result (torch's pytree keeps its type too)."""
    return isinstance(x, tuple) and (hasattr(type(x), "_fields") or is_return_type(x))


def _children(x):
    """(node type, context, children) of a container, or None for a leaf (None is a leaf, as in torch)."""
    if _is_namedtuple(x):
        return type(x), type(x), list(x)
    if type(x) in (tuple, list):
        return type(x), None, list(x)
    if type(x) in (dict, OrderedDict):
        return type(x), list(x), list(x.values())
    return None


class TreeSpec:
    """The structure of a pytree: its node type, the node's context (dict keys) and the children's specs."""

    def __init__(self, type_, context, children):
        self.type, self._context, self._children = type_, context, children
        self.num_leaves = sum(c.num_leaves for c in children)

    @property
    def num_children(self) -> int:
        return len(self._children)

    def __eq__(self, other) -> bool:
        return (isinstance(other, TreeSpec) and self.type is other.type and self._context == other._context
                and self._children == other._children)

    def __hash__(self):
        return id(self)

    def __repr__(self, indent: int = 0) -> str:
        ctx = self._context.__name__ if isinstance(self._context, type) else self._context
        text = ""
        if self._children:
            indent += 2
            text = self._children[0].__repr__(indent) + ("," if len(self._children) > 1 else "")
            text += ",".join("\n" + " " * indent + c.__repr__(indent) for c in self._children[1:])
        return f"TreeSpec({self.type.__name__}, {ctx}, [{text}])"


class LeafSpec(TreeSpec):
    def __init__(self):
        super().__init__(object, None, [])
        self.num_leaves = 1

    def __eq__(self, other) -> bool:
        return isinstance(other, LeafSpec)

    def __hash__(self):
        return 0

    def __repr__(self, indent: int = 0) -> str:
        return "*"


_LEAF = LeafSpec()


def tree_flatten(tree):
    """``(leaves, spec)``: the leaves in order (dicts in key order) and the structure to rebuild them."""
    node = _children(tree)
    if node is None:
        return [tree], _LEAF
    leaves, specs = [], []
    for child in node[2]:
        sub, spec = tree_flatten(child)
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
    if spec.type in (dict, OrderedDict):
        return spec.type(zip(spec._context, children))
    if isinstance(spec._context, type):  # a namedtuple
        return spec.type(*children)
    return spec.type(children)


def tree_leaves(tree) -> list:
    return tree_flatten(tree)[0]


def tree_map(fn, tree):
    """``tree`` with ``fn`` applied to each leaf."""
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([fn(x) for x in leaves], spec)


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

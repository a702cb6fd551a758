"""The names of a graph's nodes, for comparing pyfront's graph with torch's."""


def node_names(fn, depth=2):
    """``fn``'s name (AccumulateGrad without torch's namespace) and, ``depth`` levels down, its next
    functions' the same way (None for an input with no gradient); depth 0: the name alone."""
    if fn is None:
        return None
    name = fn.name().split("::")[-1]
    if depth == 0:
        return name
    return name, tuple(node_names(f, depth - 1) if f is not None else None for f, _ in fn.next_functions)

"""Walking a nested structure without Python's call stack: a file (or an object saved) may nest lists,
dicts or tuples thousands deep, which torch loads; a recursive walker stops at ``sys.getrecursionlimit()``.

A walker is written as a generator that yields each child it would have recursed into and is sent that
child's result back; ``drive`` keeps the suspended generators on a list of its own.
"""
from __future__ import annotations


def drive(step, first):
    """The result of generator ``first``, where each value a generator yields is a child whose result comes
    from the generator ``step(child)``, sent back to the one that yielded it."""
    stack, value = [first], None
    while True:
        try:
            child = stack[-1].send(value)
        except StopIteration as stop:
            stack.pop()
            if not stack:
                return stop.value
            value = stop.value
        else:
            stack.append(step(child))
            value = None

"""Kernel launchers: for each registry op, how its WGSL runs (which shader, which parameters).

``LAUNCHERS[op name](backend, op, inputs, attrs, out_meta) -> list of Storage``; elementwise ops
need no launcher of their own, their OpDef's ``wgsl`` expression is spliced into one template.
"""
from __future__ import annotations

LAUNCHERS: dict = {}


def launcher(*names):
    def deco(fn):
        for n in names:
            LAUNCHERS[n] = fn
        return fn
    return deco

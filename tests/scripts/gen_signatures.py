"""Write pyfront/ops/signatures.py: torch's Python-binding signatures of the functions named in it,
read from torch's own stub of its generated bindings (torch/_C/_VariableFunctions.pyi), in the
spelling torch's argument parser prints ("int", "Number", "tuple of ints", ...). Run with the
test venv (it reads torch's files); pyfront reads only the written table.

    python tests/scripts/gen_signatures.py NAME [NAME ...]   # the names to add to the table
"""
from __future__ import annotations

import ast
import pathlib
import pprint
import sys

import torch

STUB = pathlib.Path(torch.__file__).parent / "_C" / "_VariableFunctions.pyi"
TABLE = pathlib.Path(__file__).resolve().parents[2] / "pyfront" / "ops" / "signatures.py"
# the stub's annotations -> torch's schema types (a trailing "?": None is allowed)
TYPES = {
    "Tensor": "Tensor", "_int": "int", "_int | SymInt": "int", "_float": "float", "_bool": "bool",
    "Number | _complex": "Scalar", "Number": "Scalar", "_dtype": "ScalarType", "str": "str",
    "Sequence[_int | SymInt]": "int[]", "_size": "int[]", "_int | _size": "int[1]",
    "_int | SymInt | Sequence[_int | SymInt]": "int[1]", "tuple[Tensor, ...] | list[Tensor]": "Tensor[]",
    "Tensor | tuple[Tensor, ...] | list[Tensor]": "Tensor", "Sequence[_float]": "float[]",
    "Sequence[Number | _complex]": "Scalar[]", "_layout": "Layout", "DeviceLikeType": "Device",
    "Generator": "Generator", "memory_format": "MemoryFormat", "list[str | None]": "Dimname[]",
    "str | EllipsisType": "Dimname", "Sequence[str | EllipsisType | None]": "Dimname[]",
    "Tensor | Number": "Tensor", "Tensor | Number | _complex": "Tensor",
}


def _param(a, default, kw_only):
    text = ast.unparse(a.annotation)
    optional = text.endswith(" | None")
    base = TYPES[text.removesuffix(" | None")]
    d = "" if default is None else "=" + ast.unparse(default)
    return f"{base}{'?' if optional else ''} {a.arg}{d}", kw_only


def signature(fn: ast.FunctionDef) -> str:
    pos = fn.args.args
    defaults = [None] * (len(pos) - len(fn.args.defaults)) + fn.args.defaults
    parts = [_param(a, d, False)[0] for a, d in zip(pos, defaults)]
    kw = [_param(a, d, True)[0] for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults)]
    return ", ".join(parts + (["*"] + kw if kw else []))


def read(names):
    tree = ast.parse(STUB.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            sig = signature(node)
            if "Dimname" in sig:  # named-tensor overloads: pyfront has no names
                continue
            # the stub repeats some signatures with the keyword-only parameters in another order
            key = frozenset(p.split("=")[0].replace("?", "") for p in sig.split(", "))
            if key not in {frozenset(q.split("=")[0].replace("?", "") for q in s.split(", "))
                           for s in out.get(node.name, [])}:
                out.setdefault(node.name, []).append(sig)
    return out


def main(names):
    table = {}
    if TABLE.exists():
        scope = {}
        exec(compile(TABLE.read_text(), str(TABLE), "exec"), scope)
        table = scope["SIGNATURES"]
    missing = set(names) - set(read(names))
    if missing:
        sys.exit(f"not in torch's stub: {sorted(missing)}")
    table.update({k: tuple(v) for k, v in read(names).items()})
    TABLE.write_text(
        '"""torch 2.13\'s Python-binding signatures of the functions argcheck parses calls against, in\n'
        "its schema types (\"int[1]\": a single int is taken too; \"?\": None is). Written by\n"
        'tests/scripts/gen_signatures.py from torch\'s stub of its bindings; not edited by hand."""\n\n'
        f"SIGNATURES = {pprint.pformat(dict(sorted(table.items())), width=110)}\n")


if __name__ == "__main__":
    main(sys.argv[1:])

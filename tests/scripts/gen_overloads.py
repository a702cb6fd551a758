"""Write pyfront/ops/overloads.py: the overloads torch 2.13's argument parser lists after "but expected one
of:" when a call fits none of them, as it prints them, for every C++ binding (function and Tensor method)
with two or more that pyfront also has; one alone where torch's parser hides the others (a deprecated
form: "but expected (...)"), as a call missing an argument shows it. Run with the test venv (it calls
torch); pyfront reads only the written table.

    python tests/scripts/gen_overloads.py

torch prints the list of every signature it did not hide; a call with more arguments than any of them
takes fits none and names no argument, so its message lists them all.
"""
from __future__ import annotations

import pathlib
import pprint
import warnings

import torch

import pyfront

TABLE = pathlib.Path(__file__).resolve().parents[2] / "pyfront" / "ops" / "overloads.py"
_MARK = "but expected one of:\n"
_ONE = ", but expected ("


class _Nothing:
    """An argument of a type no signature takes."""


def _listed(fn, args) -> tuple[str, tuple] | None:
    """The name torch's message gives and the overloads it lists, for a call of ``fn`` that fits none."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args, *[_Nothing()] * 25)
    except TypeError as e:
        text = str(e)
        if _MARK not in text:
            if _ONE in text:  # one signature shown, others hidden: still the invalid-combination text
                return text.split("(", 1)[0], ("(" + text.split(_ONE, 1)[1],)
            return None
        return text.split("(", 1)[0], tuple(line[3:] for line in text.split(_MARK, 1)[1].split("\n")
                                            if line.startswith(" * "))
    except Exception:  # noqa: BLE001 - not parsed by torch's argument parser
        return None
    return None


def main():
    table = {}
    # (torch's namespace, the prefix of the printed name, where pyfront has it: torch.conv3d is F.conv3d)
    spaces = ((torch._C._VariableFunctions, "", (pyfront, pyfront.nn.functional)),
              (torch._C._nn, "", (pyfront.nn.functional,)),
              (torch._C._special, "special_", (pyfront.special,)),
              (torch._C._linalg, "linalg_", (pyfront.linalg,)))
    for space, prefix, ours in spaces:
        for name in dir(space):
            if name.startswith("__") or not any(hasattr(o, name.removeprefix(prefix)) for o in ours):
                continue
            found = _listed(getattr(space, name), ())
            if found:
                table.setdefault(found[0], found[1])
    for name in dir(torch.Tensor):
        if name.startswith("__") or not hasattr(pyfront.Tensor, name):
            continue
        found = _listed(getattr(torch.Tensor, name), (torch.zeros(1),))
        if found:
            table[f"Tensor.{found[0]}"] = found[1]
    TABLE.write_text(
        '"""The overloads torch 2.13\'s argument parser lists when a call fits none of them, as it prints\n'
        "them: by the function's name in its message, a Tensor method's as \"Tensor.NAME\". Written by\n"
        'tests/scripts/gen_overloads.py from torch\'s own messages; not edited by hand."""\n\n'
        f"OVERLOADS = {pprint.pformat(dict(sorted(table.items())), width=98)}\n")  # (the prefix: 12)


if __name__ == "__main__":
    main()

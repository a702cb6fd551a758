"""Write pyfront/ops/arity.py: how torch 2.13 words a call of each of its functions, Tensor methods and
torch.nn.functional functions that pyfront also has, given more positional arguments than it takes or a
keyword it lacks. Run with the test venv (it calls torch); pyfront reads only the written table.

    python tests/scripts/gen_arity.py

A call with 25 arguments too many is refused by its count before anything else, in every form torch has:
its argument parser's ("add() takes from 2 to 3 positional arguments but 27 were given", or the invalid
combination where it has several signatures), CPython's for a C function of no argument or of one
("TensorBase.sin() takes no arguments (25 given)"), and Python's own for torch's Python functions.
"""
from __future__ import annotations

import pathlib
import pprint
import re
import warnings

import torch

import pyfront

TABLE = pathlib.Path(__file__).resolve().parents[2] / "pyfront" / "ops" / "arity.py"
_EXTRA = 25
_HEADER = '''"""How torch 2.13 refuses a call of each of its functions (by "torch.NAME", "F.NAME" or
"Tensor.NAME") given too many positional arguments or an unknown keyword: (style, the name its message
gives, the fewest and most positional arguments it takes, the arguments given that its count leaves out,
for its argument parser's ("counted") ones the required arguments it names before an unknown keyword, and
whether it takes an int list spelled out: torch.ones(2, 3), any count of ints where the first is one).
Styles: "counted" (its argument parser's count), "python" (Python's words and order: a keyword first),
"none" and "one" (CPython's for a C function of no or one argument), "combination" (its parser's invalid
combination of several signatures, ops/overloads.py). Written by tests/scripts/gen_arity.py from torch's
own messages; not edited by hand."""

'''
_COUNTED = re.compile(r"^([\w.]+)\(\) takes (?:from (\d+) to )?(\d+) positional arguments? but (\d+) "
                      r"(?:was|were) given$")
_C_FUNCTION = re.compile(r"^([\w.]+)\(\) takes (no arguments|exactly one argument) \((\d+) given\)$")


class _Nothing:
    """An argument of a type no signature takes."""


def _keyword_first(fn, args) -> bool:
    """Whether torch refuses an unknown keyword before too many arguments (Python's order; its parser's is
    the other)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args, *[_Nothing()] * _EXTRA, zzz=_Nothing())
    except TypeError as e:
        return "unexpected keyword argument 'zzz'" in str(e)
    except Exception:  # noqa: BLE001 - failed otherwise
        return False
    return False


def _worded(fn, args) -> tuple | None:
    """(style, name shown, fewest, most, the arguments given that torch's count leaves out) of torch's
    message for ``fn(*args)`` with _EXTRA arguments too many; None where it takes them."""
    given = len(args) + _EXTRA
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args, *[_Nothing()] * _EXTRA)
    except TypeError as e:
        text = str(e)
        if ") received an invalid combination of arguments" in text:
            return "combination", text.split("(", 1)[0], 0, 0, 0
        if found := _COUNTED.match(text):
            name, fewest, most, counted = found.groups()
            style = "python" if _keyword_first(fn, args) else "counted"
            return style, name, int(fewest or most), int(most), given - int(counted)
        if found := _C_FUNCTION.match(text):
            name, takes, counted = found.groups()
            return ("none" if takes == "no arguments" else "one"), name, 0, 0, given - int(counted)
    except Exception:  # noqa: BLE001 - it took them, or failed otherwise
        return None
    return None


_MISSING = re.compile(r'^[\w.]+\(\) missing \d+ required positional arguments?: ((?:"\w+"(?:, )?)+)$')


def _required(fn, args) -> tuple | None:
    """The arguments torch's argument parser names as required for a call of ``fn`` that gives none of them
    (its double quotes: Python's own quote singly, and refuse an unknown keyword first); None where it names
    none."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args)
    except TypeError as e:
        if found := _MISSING.match(str(e)):
            return tuple(name.strip('"') for name in found[1].split(", "))
    except Exception:  # noqa: BLE001 - it took no arguments, or failed otherwise
        return None
    return None


def _takes_ints_spelled_out(fn, args) -> bool:
    """Whether ``fn`` takes its int list spelled out (torch.ones(1, 1, ...), x.view(1, 1, ...)): torch's
    parser then reads any count of ints, where the first is one."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(*args, *[1] * _EXTRA)
    except TypeError as e:
        return not (_COUNTED.match(str(e)) or _C_FUNCTION.match(str(e)) or "invalid combination" in str(e))
    except Exception:  # noqa: BLE001 - read them, and failed otherwise
        return True
    return True


def main():
    table = {}
    x = torch.zeros(1)
    # (torch.linalg's, torch.fft's and torch.special's keyed as their parser names them: linalg_cholesky)
    spaces = (("torch.", torch, pyfront, ()), ("F.", torch.nn.functional, pyfront.nn.functional, ()),
              ("Tensor.", torch.Tensor, pyfront.Tensor, (x,)),
              ("torch.linalg_", torch.linalg, pyfront.linalg, ()), ("torch.fft_", torch.fft, pyfront.fft, ()),
              ("torch.special_", torch.special, pyfront.special, ()))
    for key, space, ours, args in spaces:
        for name in dir(space):
            if name.startswith("_") or not hasattr(ours, name):
                continue
            fn = getattr(space, name)
            if not callable(fn) or isinstance(fn, type):
                continue
            found = _worded(fn, args)
            if found:
                table[key + name] = (*found, _required(fn, args) if found[0] == "counted" else None,
                                     _takes_ints_spelled_out(fn, args))
    TABLE.write_text(_HEADER +
        f"ARITY = {pprint.pformat(dict(sorted(table.items())), width=100)}\n")


if __name__ == "__main__":
    main()

"""Every public function pickles by reference to itself, as torch's do (``pickle.dumps(F.gelu)``).

pickle writes a function as its ``__module__`` and ``__qualname__`` and checks that they find the very
object again. Many of pyfront's public functions are made by factories (an op's fast path, a Tensor
method's in-place form, the argument checks, autocast and ``out=`` wrappers), so their names are the
factory's (``fold_unary.<locals>.entry``) or those of the function they wrap (``torch.sum`` is not
``pyfront.ops.primitives.reductions.sum``): a model holding ``self.act = F.gelu`` could not be saved
whole, nor a dataset holding one sent to a spawned DataLoader worker. ``publish`` runs once, after
``import pyfront`` has bound every public name, and gives each such function the name it is public
under, so nothing is added to a call. It also records the torch name of every public function (``HOMES``),
which ``save`` writes so that torch loads a pyfront-saved object holding one (``torch.nn.functional.gelu``,
not pyfront's file that defines it). Classes keep their own names: ``add_safe_globals`` and torch's
refusal messages name them so.
"""
from __future__ import annotations

import importlib
import sys
import types

# torch's namespaces in pyfront, in the order a function reachable from several takes its name from
NAMESPACES = ("pyfront", "pyfront.Tensor", "pyfront.nn.functional", "pyfront.linalg", "pyfront.special",
              "pyfront.nn.init", "pyfront.nn", "pyfront.nn.utils", "pyfront.autograd",
              "pyfront.autograd.functional", "pyfront.func", "pyfront.optim", "pyfront.optim.lr_scheduler",
              "pyfront.amp", "pyfront.random", "pyfront.testing", "pyfront.cuda", "pyfront.utils.data",
              "pyfront.utils.checkpoint", "pyfront.distributions", "pyfront.sparse", "pyfront.signal.windows",
              "pyfront.distributed")

# a public function -> (module, qualname) torch has it under, what save writes for it
HOMES: dict = {}


def resolves(obj) -> bool:
    """Whether pickle finds ``obj`` again at its ``__module__`` and ``__qualname__``."""
    found = sys.modules.get(getattr(obj, "__module__", None) or "")
    for part in getattr(obj, "__qualname__", "").split("."):
        found = getattr(found, part, None)
    return found is obj


def publish() -> None:
    """Name every public function of ``NAMESPACES`` where it is public, if its own names lose it."""
    from ..tensor import Tensor
    for namespace in NAMESPACES:
        if namespace == "pyfront.Tensor":
            owner, module, prefix, items = Tensor, Tensor.__module__, "Tensor.", vars(Tensor).items()
        else:
            owner = importlib.import_module(namespace)
            module, prefix, items = namespace, "", vars(owner).items()
            if hasattr(owner, "__all__"):  # not the helpers it imports (nn.init's logical_or)
                items = [(name, getattr(owner, name)) for name in owner.__all__]
        torch_module = "torch" + module[len("pyfront"):] if not prefix else "torch"
        for name, obj in items:
            if not isinstance(obj, types.FunctionType) or name.startswith("_") and not (
                    prefix and name.endswith("__")):
                continue
            if not resolves(obj):
                obj.__module__, obj.__qualname__ = module, prefix + name
            if prefix and getattr(owner, obj.__name__, None) is not obj:
                obj.__name__ = name  # a bound method pickles as getattr(tensor, __name__)
            HOMES.setdefault(obj, (torch_module, prefix + name))

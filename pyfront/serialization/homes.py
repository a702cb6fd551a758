"""Every public function pickles by reference to itself, as torch's do (``pickle.dumps(F.gelu)``).

pickle writes a function as its ``__module__`` and ``__qualname__`` and checks that they find the very
object again. Many of pyfront's public functions are made by factories (an op's fast path, a Tensor
method's in-place form, the argument checks, autocast and ``out=`` wrappers), so their names are the
factory's (``fold_unary.<locals>.entry``) or those of the function they wrap (``torch.sum`` is not
``pyfront.ops.primitives.reductions.sum``): a model holding ``self.act = F.gelu`` could not be saved
whole, nor a dataset holding one sent to a spawned DataLoader worker. ``publish`` runs once, after
``import pyfront`` has bound every public name, and gives each such function the name it is public
under, so nothing is added to a call. It also records the torch name of every public function, nn
layer, optimizer and lr scheduler (``HOMES``), which ``save`` writes, so that torch loads a whole
model, optimizer or scheduler pyfront saved (``torch.nn.functional.gelu``,
``torch.nn.modules.batchnorm.BatchNorm1d``, ``torch.optim.adamw.AdamW``, not pyfront's files that define
them) and the weights-only refusal names what torch's names.
"""
from __future__ import annotations

import importlib
import sys
import types

# torch's namespaces in pyfront, in the order a function reachable from several takes its name from
NAMESPACES = ("pyfront", "pyfront.Tensor", "pyfront.nn.functional", "pyfront.linalg", "pyfront.special",
              "pyfront.nn.init", "pyfront.nn", "pyfront.nn.utils", "pyfront.autograd",
              "pyfront.autograd.functional", "pyfront.func", "pyfront.optim", "pyfront.optim.lr_scheduler",
              "pyfront.optim.swa_utils", "pyfront.amp", "pyfront.random", "pyfront.testing", "pyfront.cuda",
              "pyfront.utils.data", "pyfront.utils.checkpoint", "pyfront.distributions", "pyfront.sparse",
              "pyfront.signal.windows", "pyfront.distributed")

# a public function or nn layer -> (module, qualname) torch has it under, what save writes for it
HOMES: dict = {}

# the nn layers pyfront defines in another file than torch (the rest: torch.nn.modules.<pyfront's file>)
_TORCH_FILES = {f"torch.nn.modules.{file}": names.split() for file, names in (
    ("batchnorm", "BatchNorm1d BatchNorm2d BatchNorm3d LazyBatchNorm1d LazyBatchNorm2d LazyBatchNorm3d "
                  "SyncBatchNorm"),
    ("instancenorm", "InstanceNorm1d InstanceNorm2d InstanceNorm3d LazyInstanceNorm1d LazyInstanceNorm2d "
                     "LazyInstanceNorm3d"),
    ("loss", "CTCLoss CosineEmbeddingLoss GaussianNLLLoss MultiLabelMarginLoss MultiMarginLoss NLLLoss2d "
             "TripletMarginWithDistanceLoss"),
    ("conv", "LazyConv1d LazyConv2d LazyConv3d LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d"),
    ("pooling", "LPPool1d LPPool2d LPPool3d MaxUnpool1d MaxUnpool2d MaxUnpool3d FractionalMaxPool2d "
                "FractionalMaxPool3d"),
    ("activation", "MultiheadAttention RReLU"), ("pixelshuffle", "PixelShuffle PixelUnshuffle"),
    ("fold", "Fold Unfold"), ("channelshuffle", "ChannelShuffle"), ("linear", "LazyLinear"),
    ("normalization", "LocalResponseNorm CrossMapLRN2d"))}
_TORCH_FILES["torch.nn.parallel.data_parallel"] = ["DataParallel"]
# the optimizers pyfront defines in another file than torch (the rest: torch.optim.<pyfront's file>)
_TORCH_FILES["torch.optim.adamw"] = ["AdamW"]
_TORCH_FILES["torch.optim"] = ["Adafactor"]  # torch's class names torch.optim, not its private file
_TORCH_FILE = {name: file for file, names in _TORCH_FILES.items() for name in names}
# classes that no namespace exports but a saved model holds (MultiheadAttention's out_proj, a parametrized
# layer's ParametrizationList): pyfront's home -> torch's
_UNEXPORTED = {
    "pyfront.nn.modules.attention.NonDynamicallyQuantizableLinear": "torch.nn.modules.linear",
    "pyfront.nn.utils.parametrize.ParametrizationList": "torch.nn.utils.parametrize",
    "pyfront.nn.utils.parametrizations._SpectralNorm": "torch.nn.utils.parametrizations",
    "pyfront.nn.utils.parametrizations._WeightNorm": "torch.nn.utils.parametrizations",
    "pyfront.nn.utils.parametrizations._Orthogonal": "torch.nn.utils.parametrizations",
    "pyfront.nn.parallel.DistributedDataParallel": "torch.nn.parallel.distributed",
    "pyfront.nn.modules.module._WrappedHook": "torch.nn.modules.module",
    "pyfront.torch_version.TorchVersion": "torch.torch_version",  # a checkpoint's {"version": __version__}
    **{f"pyfront.nn.utils.spectral_norm.{name}": "torch.nn.utils.spectral_norm"
       for name in ("SpectralNorm", "SpectralNormStateDictHook", "SpectralNormLoadStateDictPreHook")}}


def resolves(obj) -> bool:
    """Whether pickle finds ``obj`` again at its ``__module__`` and ``__qualname__``."""
    found = sys.modules.get(getattr(obj, "__module__", None) or "")
    for part in getattr(obj, "__qualname__", "").split("."):
        found = getattr(found, part, None)
    return found is obj


def publish() -> None:
    """Name every public function of ``NAMESPACES`` where it is public, if its own names lose it."""
    from ..nn import Module
    from ..optim import Optimizer
    from ..optim.lr_scheduler import LRScheduler, ReduceLROnPlateau
    from ..tensor import Tensor
    # the classes a whole model, optimizer or scheduler pickles by torch's names: their __dict__ is what
    # torch's class keeps, so torch loads what pyfront saved
    by_torch_name = (Module, Optimizer, LRScheduler, ReduceLROnPlateau)
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
            if isinstance(obj, type) and issubclass(obj, by_torch_name):
                HOMES.setdefault(obj, (_TORCH_FILE.get(name, "torch" + obj.__module__[len("pyfront"):]),
                                       obj.__qualname__))
            if not isinstance(obj, types.FunctionType) or name.startswith("_") and not (
                    prefix and name.endswith("__")):
                continue
            if not resolves(obj):
                obj.__module__, obj.__qualname__ = module, prefix + name
            if prefix and getattr(owner, obj.__name__, None) is not obj:
                obj.__name__ = name  # a bound method pickles as getattr(tensor, __name__)
            HOMES.setdefault(obj, (torch_module, prefix + name))
    from ..ops import return_types  # max()'s, topk()'s ... results: torch.return_types.max, not pyfront's file
    for name, obj in vars(return_types).items():
        if isinstance(obj, type) and issubclass(obj, return_types._ReturnType) and obj is not return_types._ReturnType:
            HOMES[obj] = ("torch.return_types", name)
    for path, torch_module in _UNEXPORTED.items():
        module, name = path.rsplit(".", 1)
        HOMES[getattr(importlib.import_module(module), name)] = (torch_module, name)
    # a function taken before pyfront.__init__ wrapped it (argument checks, autocast, out=): a layer's
    # default (TransformerEncoderLayer's activation=F.relu) holds the inner one, which torch knows by the
    # public name too
    for obj, home in list(HOMES.items()):
        while isinstance(obj, types.FunctionType) and hasattr(obj, "__wrapped__"):
            obj = obj.__wrapped__
            HOMES.setdefault(obj, home)

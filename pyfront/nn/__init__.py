"""``pyfront.nn``: modules, parameters, ``functional``, ``init`` and ``utils``, as ``torch.nn``."""

from .parameter import Buffer, Parameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import Module  # noqa: F401
from . import functional, grad, init, utils  # noqa: F401
from . import parallel  # noqa: F401
from .parallel import DataParallel  # noqa: F401
from .factory import factory_kwargs  # noqa: F401
import importlib as _importlib  # noqa: E402

# torch.nn.attention; the star import above bound this name to the submodule nn.modules.attention
attention = _importlib.import_module(__name__ + ".attention")

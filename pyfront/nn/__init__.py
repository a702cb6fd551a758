"""``pyfront.nn``: modules, parameters, ``functional``, ``init`` and ``utils``, as ``torch.nn``."""

from .parameter import Buffer, Parameter  # noqa: F401
from .modules import *  # noqa: F401,F403
from .modules import Module  # noqa: F401
from . import functional, grad, init  # noqa: F401
from . import parallel  # noqa: F401
from .parallel import DataParallel  # noqa: F401
from .factory import factory_kwargs  # noqa: F401
import importlib as _importlib  # noqa: E402

# torch.nn.attention and torch.nn.utils; the star import above bound these names to the submodules
# nn.modules.attention and nn.modules.utils
attention = _importlib.import_module(__name__ + ".attention")
utils = _importlib.import_module(__name__ + ".utils")

"""``pyfront.nn.functional``: the stateless layers, as ``torch.nn.functional``.

One submodule per family; each lists its public functions in ``__all__``.
"""
from .activation import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .loss_extra import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .pooling3d import *  # noqa: F401,F403
from .classic import *  # noqa: F401,F403
from .vision import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .sparse import *  # noqa: F401,F403
from .grid import *  # noqa: F401,F403
from .fractional import *  # noqa: F401,F403
from .conv_tbc import *  # noqa: F401,F403

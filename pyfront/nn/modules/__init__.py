"""``pyfront.nn.modules``: the layer classes, one file per family, each listing its names in ``__all__``."""

from .module import Module  # noqa: F401
from .container import *  # noqa: F401,F403
from .linear import *  # noqa: F401,F403
from .activation import *  # noqa: F401,F403
from .loss import *  # noqa: F401,F403
from .loss_extra import *  # noqa: F401,F403
from .classic import *  # noqa: F401,F403
from .cross_map_lrn import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .sparse import *  # noqa: F401,F403
from .flatten import *  # noqa: F401,F403
from .conv import *  # noqa: F401,F403
from .pooling import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403
from .upsampling import *  # noqa: F401,F403
from .rnn import *  # noqa: F401,F403
from .padding import *  # noqa: F401,F403
from .distance import *  # noqa: F401,F403
from .lazy import *  # noqa: F401,F403
from .sync_batchnorm import *  # noqa: F401,F403
from .fractional import *  # noqa: F401,F403
from .adaptive import *  # noqa: F401,F403
from . import utils  # noqa: F401  (torch.nn.modules.utils: _pair and friends, as torch imports it)

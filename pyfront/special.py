"""``torch.special``: the special functions under their SciPy-style names (aliases of pyfront's ops
where torch's are aliases too)."""
from __future__ import annotations

from .nn.functional import log_softmax, softmax  # noqa: F401
from .ops.composite.elementary import mvlgamma as multigammaln, special_ndtr as ndtr  # noqa: F401
from .ops.composite.reductions import logsumexp  # noqa: F401
from .ops.primitives.elementwise import erf, exp2, expm1, log1p, sigmoid as expit  # noqa: F401
from .ops.primitives.elementwise import round as _round
from .ops.primitives.special import (digamma, digamma as psi, erfc, erfinv, i0, lgamma as gammaln,  # noqa: F401
                                     logit, polygamma, sinc, special_entr as entr, special_i0e as i0e,
                                     special_i1 as i1, special_i1e as i1e, special_xlog1py as xlog1py, xlogy)
from .dtypes import scalar_name as _scalar_name
from .ops.primitives import special_functions as _more



def round(input, *, decimals=0):  # noqa: A001 (torch's name)
    """``torch.special.round``: torch.round with its decimals always given, so no integer kernel (torch.round
    of an integer tensor is a copy)."""
    return _round(input, decimals=decimals)


globals().update({name: getattr(_more, name) for name in _more.SPECIAL})  # bessel_j0, ..., zeta

__all__ = ["expit", "logit", "erf", "erfc", "erfinv", "ndtr", "i0", "i0e", "i1", "i1e", "entr", "xlogy",
           "xlog1py", "gammaln", "digamma", "psi", "multigammaln", "polygamma", "sinc", "round", "log1p",
           "expm1", "exp2", "softmax", "log_softmax", "logsumexp", *_more.SPECIAL]

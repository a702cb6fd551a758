"""pyfront: PyTorch's programming model on WebGPU (WGSL) and NumPy. ``import pyfront as torch``."""
from __future__ import annotations

import sys as _sys

from . import autograd
from .autograd import is_anomaly_check_nan_enabled, is_anomaly_enabled  # noqa: F401
from .autograd.anomaly_mode import set_anomaly_enabled  # noqa: F401
from .errors import AcceleratorError, OutOfMemoryError  # noqa: F401
from .autograd import (enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled, no_grad,
                       set_grad_enabled)
from .device import device, get_default_device, set_default_device
from .dtypes import complex32, complex64, complex128, complex32 as chalf, complex64 as cfloat  # noqa: F401
from .dtypes import complex128 as cdouble  # noqa: F401
from .dtypes import (bool_ as bool, bfloat16, float16, float32, float64, get_default_dtype, int8, int16,
                     int32, int64, promote_types, set_default_dtype, uint8, dtype)
from .dtypes import (float8_e4m3fn, float8_e4m3fnuz, float8_e5m2, float8_e5m2fnuz, float8_e8m0fnu,  # noqa: F401
                     uint16, uint32, uint64)
from .dtypes import float16 as half, float32 as float, float64 as double, int16 as short
from .dtypes import int32 as int, int64 as long
from .random import (Generator, default_generator, get_rng_state, initial_seed, manual_seed, seed,
                     set_rng_state)
from .shape import Size
from .tensor import Tensor
from .ops import methods as _methods
from .ops.creation import (arange, as_tensor, bernoulli, empty, empty_like, eye, from_numpy, full,
                           full_like, linspace, logspace, multinomial, normal, ones, ones_like, rand,
                           rand_like, randint, randint_like, randn, randn_like, randperm,
                           scalar_tensor, tensor, zeros, zeros_like)
from .ops.creation import _range as range  # noqa: A004  (torch.range, as torch's namespace has it)
from .ops.conversion import to_device as _to_device
from .ops.primitives.elementwise import *  # noqa: F401,F403  (each family's __all__)
from .ops.primitives.reductions import *  # noqa: F401,F403
from .ops.primitives.linalg import *  # noqa: F401,F403
from .ops.primitives.shaping import *  # noqa: F401,F403
from .ops.primitives.indexing import *  # noqa: F401,F403
from .ops.primitives.special import *  # noqa: F401,F403
from .ops.primitives.special_functions import *  # noqa: F401,F403
from .ops.composite.math import *  # noqa: F401,F403
from .ops.composite.reductions import *  # noqa: F401,F403
from .ops.composite.linalg import *  # noqa: F401,F403
from .ops.composite.shaping import *  # noqa: F401,F403
from .ops.composite.indexing import *  # noqa: F401,F403
from .ops.composite.sets import *  # noqa: F401,F403
from .ops.composite.functions import *  # noqa: F401,F403
from .ops.composite.arrays import *  # noqa: F401,F403
from .ops.composite.statistics import *  # noqa: F401,F403
from .ops.factories import *  # noqa: F401,F403
from .ops.composite.elementary import *  # noqa: F401,F403
from .ops.composite.scatters import *  # noqa: F401,F403
from .ops.composite.view_copies import *  # noqa: F401,F403
from .ops.composite.gap_functions import *  # noqa: F401,F403
from .ops.composite.complex_numbers import *  # noqa: F401,F403,A004  (torch.complex)
from .ops.composite.spectral import *  # noqa: F401,F403
from .ops.composite.fake_quantize import *  # noqa: F401,F403
from .ops.views import *  # noqa: F401,F403
from .ops.queries import *  # noqa: F401,F403
from .ops.legacy import *  # noqa: F401,F403
from .ops.count_draws import binomial, poisson  # noqa: F401
from .ops import return_types
from .dtypes import finfo, iinfo
from .printing import get_printoptions, set_printoptions
from .serialization import load, save  # noqa: E402
from .storage import TypedStorage, UntypedStorage  # noqa: E402
from .storage import (BFloat16Storage, BoolStorage, ByteStorage, CharStorage, ComplexDoubleStorage,  # noqa: E402,F401
                      ComplexFloatStorage, DoubleStorage, FloatStorage, HalfStorage, IntStorage, LongStorage,
                      ShortStorage)
from . import optim  # noqa: E402
from . import nn  # noqa: E402
from . import accelerator, cuda, hub, mps, webgpu, xpu  # noqa: E402
from . import datasets, utils  # noqa: E402
from . import __future__  # noqa: E402,F401  (torch.__future__)
from .utils.dlpack import from_dlpack  # noqa: E402
from .backends import mps as _mps  # noqa: F401  (pyfront.backends.mps)
from .backends import cuda as _cuda_flags, cudnn as _cudnn  # noqa: F401,E402  (pyfront.backends.cuda/cudnn)
from .backends import (cpu as _cpu_flags, mkl as _mkl, mkldnn as _mkldnn, nnpack as _nnpack,  # noqa: F401,E402
                       openmp as _openmp, opt_einsum as _opt_einsum,  # (pyfront.backends.cpu/mkl/...)
                       quantized as _quantized)
from . import __config__  # noqa: E402,F401  (torch.__config__)
from .accelerator import get_device_module  # noqa: E402,F401
from . import amp, cpu, profiler  # noqa: E402
from . import types  # noqa: E402,F401  (torch.types: annotations' aliases)
from .amp import GradScaler, autocast, get_autocast_dtype, is_autocast_enabled  # noqa: E402
from .amp.state import (autocast_decrement_nesting, autocast_increment_nesting, clear_autocast_cache,  # noqa: E402
                        get_autocast_cpu_dtype, get_autocast_gpu_dtype, is_autocast_cache_enabled,
                        is_autocast_cpu_enabled, set_autocast_cache_enabled, set_autocast_cpu_dtype,
                        set_autocast_cpu_enabled, set_autocast_dtype, set_autocast_enabled,
                        set_autocast_gpu_dtype)
from .flags import (are_deterministic_algorithms_enabled, get_float32_matmul_precision,  # noqa: E402
                    is_deterministic_algorithms_warn_only_enabled, set_float32_matmul_precision,
                    use_deterministic_algorithms, get_deterministic_debug_mode, set_deterministic_debug_mode,
                    is_warn_always_enabled, set_warn_always)
import math as _math  # noqa: E402

pi, e, inf, nan, newaxis = _math.pi, _math.e, _math.inf, _math.nan, None
from . import linalg  # noqa: E402
from . import distributions  # noqa: E402
from . import special  # noqa: E402
from . import fft  # noqa: E402,F401  (torch.fft)
from . import testing  # noqa: E402,F401  (torch.testing.assert_close)
from .linalg.legacy import *  # noqa: F401,F403,E402  (torch.det, torch.svd, ... and their Tensor methods)
from .linalg.lowrank import pca_lowrank, svd_lowrank  # noqa: F401,E402
from .linalg.removed import *  # noqa: F401,F403,E402  (torch.solve, torch.eig, ...: torch's removal advice)
from .process import *  # noqa: F401,F403,E402  (thread counts, set_default_tensor_type, ...)
from .old_functions import *  # noqa: F401,F403,E402  (torch.fill, torch.detach, frobenius_norm, ...)
from .functional_aliases import *  # noqa: F401,F403,E402  (torch.conv2d, torch.dropout, ...)

_methods.bind_all()
_methods.bind_torch_inplace(globals())

from .ops import argcheck as _argcheck  # noqa: E402

# PyTorch's TypeErrors for a non-Tensor input or a non-dtype dtype, on every public function
_argcheck.install(globals(), [n for n in list(globals()) if not n.startswith("_")])
_argcheck.install(Tensor, [n for n in vars(Tensor) if not n.startswith("__")], method=True)
# torch.special's, torch.fft's and torch.linalg's by the names torch's parser gives them: special_i1(),
# fft_fft(), linalg_inv()
for _space, _prefix in ((special, "special_"), (fft, "fft_"), (linalg, "linalg_")):
    _named = {_prefix + n: getattr(_space, n) for n in _space.__all__}
    _argcheck.install(_named, list(_named))
    vars(_space).update({n[len(_prefix):]: fn for n, fn in _named.items()})
_argcheck.install(nn.functional.__dict__, [n for n in vars(nn.functional) if not n.startswith("_")],
                  prefix="F.")

# autocast's casts around PyTorch's listed ops, wrapped outside the argument checks (amp/autocast_mode.py)
amp.autocast_mode.install(globals())
amp.autocast_mode.install(Tensor)
amp.autocast_mode.install(nn.functional.__dict__)
amp.autocast_mode.install(linalg.__dict__, prefix="linalg.")
amp.autocast_mode.install(fft.__dict__, prefix="fft.")

# sparse COO tensors: torch.sparse_coo_tensor, torch.sparse.*
from . import sparse  # noqa: E402
from .sparse import layout, sparse_coo, sparse_coo_tensor, strided  # noqa: E402,F401
from .sparse import (channels_last, channels_last_3d, contiguous_format, memory_format,  # noqa: E402,F401
                     preserve_format)
from . import signal  # noqa: E402,F401  (torch.signal.windows)
from . import compiler  # noqa: E402,F401  (torch.compile is the identity: eager is what it computes)
from .compiler import compile, cond  # noqa: E402,F401,A001
from . import foreach as _foreach  # noqa: E402  (torch._foreach_*: an op over lists of tensors)
_foreach.install(globals())

spmm = mm  # noqa: F405
sparse.install(globals())  # a sparse operand wherever a tensor is taken (_sparse_math.py)

# ``out=`` on the functions whose torch signature has it, outside every other wrapper (ops/outarg.py)
from .ops import outarg as _outarg  # noqa: E402

_outarg.install(globals())
_outarg.install(vars(nn.functional), _outarg.F_TAKES_OUT)
# (named in their messages as torch's parser names them: special_erf(), fft_fft())
_outarg.install(vars(special), [n for n in special.__all__ if n not in ("softmax", "log_softmax")],
                "special_")
_outarg.install(vars(fft), [n for n in fft.__all__ if not n.endswith("shift")], "fft_")  # (transforms, freqs)
_outarg.install(vars(linalg), _outarg.LINALG_TAKES_OUT)

# ``__torch_function__`` on every public function, outside every other wrapper (overrides.py); Tensor's own
# methods get dispatching twins on a subclass that dispatches
from . import overrides  # noqa: E402
from . import _C  # noqa: E402,F401  (torch._C.DisableTorchFunctionSubclass, ...)

overrides.install(_sys.modules[__name__], [n for n in list(globals()) if not n.startswith("_")], "torch.",
                  overrides.TORCH_IGNORED)
overrides.install(nn.functional, [n for n in vars(nn.functional) if not n.startswith("_")], overrides.f_name)
overrides.install(linalg, linalg.__all__, "torch.linalg.linalg_")
overrides.install(fft, fft.__all__, "torch.fft.fft_")
overrides.install(special, special.__all__, "torch.special.special_")
overrides.install_tensor()
overrides.rebind(nn.Module)  # (nn.ReLU's _fn = F.relu)

from . import version  # noqa: E402  (torch.version: cuda, hip, ... are None)
from . import torch_version  # noqa: E402
__version__ = torch_version.TorchVersion(version.__version__)  # compares as a version, as torch's
from . import func  # noqa: E402  (torch.func: grad, vjp, jvp, jacrev, jacfwd, hessian, vmap, functional_call)
from .func import vmap  # noqa: E402  (torch.vmap)
from . import _dynamo, distributed, export, jit, library  # noqa: E402,F401  (eager behind torch's compiler APIs; no process groups)

from ._build_flags import module_getattr as __getattr__  # noqa: E402  (torch.has_cuda, has_lapack, ...)

# last, once every public name is bound: each public function pickles by reference (serialization/homes.py)
from .serialization import homes as _homes  # noqa: E402

_homes.publish()

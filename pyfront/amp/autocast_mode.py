"""``autocast``: PyTorch's automatic mixed precision, per thread and per device type.

Inside ``autocast(device_type, dtype)`` the ops of PyTorch's "lower precision" list (matmul, linear,
conv, bmm, baddbmm, ...) cast their floating inputs (not float64) to ``dtype`` and the ops of its
"float32" list (losses, prod, cdist, ...) cast them to float32; every other op runs in its inputs'
dtypes. ``install`` wraps those public functions (``pyfront.*``, ``F.*``, ``Tensor`` methods) once;
an op only casts when autocast is on for the device type of its tensors, and the ops it calls run
as written, as torch's autocast kernels redispatch below the autocast key.

The lists are torch's CPU lists for ``cpu`` and its CUDA lists for ``webgpu`` (which ``cuda``
names under ``--cuda-as webgpu``), limited to functions: CUDA's float32 list also names elementwise
methods (``exp``, ``pow``, ``sum``) that pyfront's own composite ops call, so those stay as written.

On the cpu both of torch's dtypes work: bfloat16 (its default) and float16. On webgpu, float16 runs
natively where the adapter has ``shader-f16``; elsewhere autocast warns and stays in float32 (WGSL has
no bfloat16: an autocast asking for it warns and stays off, as torch's for a dtype a device lacks).
"""
from __future__ import annotations

import functools
import threading

from .. import dtypes as dt
from .._warnings import warn
from ..overrides import AWARE, ON, PASS, intercept
from ..tensor import Tensor

# torch's autocast lists (aten/src/ATen/autocast_mode.cpp), by the names pyfront's functions have
_CPU_LOWER = ("conv1d conv2d conv3d bmm mm baddbmm addmm addbmm linear matmul conv_transpose1d "
              "conv_transpose2d conv_transpose3d prelu scaled_dot_product_attention __matmul__ __rmatmul__ "
              "conv_tbc")
_CPU_FP32 = ("avg_pool3d binary_cross_entropy grid_sample polar prod quantile nanquantile stft cdist trace "
             "cholesky cholesky_inverse cholesky_solve inverse lu_solve orgqr ormqr pinverse max_pool3d "
             "max_unpool2d max_unpool3d adaptive_avg_pool3d mse_loss cosine_embedding_loss nll_loss "
             "hinge_embedding_loss poisson_nll_loss smooth_l1_loss cross_entropy l1_loss huber_loss "
             "margin_ranking_loss soft_margin_loss triplet_margin_loss multi_margin_loss ctc_loss kl_div "
             "multilabel_margin_loss binary_cross_entropy_with_logits view_as_complex geqrf qr svd "
             "triangular_solve fake_quantize_per_tensor_affine adaptive_max_pool3d fractional_max_pool2d "
             "fractional_max_pool3d " + " ".join(f"fft.{n}" for n in (
                 "fft ifft fft2 ifft2 fftn ifftn rfft irfft rfft2 irfft2 rfftn irfftn hfft ihfft".split()))
             + " " + " ".join(f"linalg.{n}" for n in (
                 "cond matrix_rank solve cholesky cholesky_ex svdvals eigvals eigvalsh inv inv_ex "
                 "householder_product tensorinv tensorsolve qr svd eig eigh lstsq".split())))
_CUDA_LOWER = ("addbmm addmm addmv addr baddbmm bmm chain_matmul multi_dot conv1d conv2d conv3d "
               "conv_transpose1d conv_transpose2d conv_transpose3d linear matmul mm mv prelu "
               "__matmul__ __rmatmul__ scaled_dot_product_attention")
_CUDA_FP32 = ("binary_cross_entropy_with_logits cosine_embedding_loss cdist cosine_similarity cross_entropy "
              "dist group_norm hinge_embedding_loss kl_div l1_loss layer_norm log_softmax "
              "margin_ranking_loss mse_loss multilabel_margin_loss multi_margin_loss nll_loss normalize "
              "pdist poisson_nll_loss smooth_l1_loss soft_margin_loss softmax softmin softplus "
              "triplet_margin_loss")
# ops torch builds from listed ones (CompositeImplicitAutograd: einsum and tensordot run bmm/mm, vecdot a
# matmul), so autocast reaches them through their parts; pyfront's call their primitives, so they are listed
_DECOMPOSED = " einsum tensordot vecdot linalg.matmul linalg.multi_dot linalg.vecdot"
# likewise on the cpu: max_unpool1d is max_unpool2d of an unsqueezed input, the _with_indices spellings the
# listed pools' own kernels
_CPU_FP32_DECOMPOSED = " max_unpool1d adaptive_max_pool3d_with_indices fractional_max_pool2d_with_indices" \
    " fractional_max_pool3d_with_indices"
# A name is the function's in pyfront's namespace (torch.X, Tensor.X, F.X), "linalg.X" or "fft.X" in those:
# torch.linalg.lu_solve is not torch.lu_solve's kernel, so the lists keep them apart
LOWER = {"cpu": set((_CPU_LOWER + _DECOMPOSED).split()), "webgpu": set((_CUDA_LOWER + _DECOMPOSED).split())}
FP32 = {"cpu": set((_CPU_FP32 + _CPU_FP32_DECOMPOSED).split()), "webgpu": set(_CUDA_FP32.split())}
# F.pad is torch's reflection_pad1d/2d or replication_pad1d/2d/3d kernel by its mode: those are in the cpu
# float32 list (reflection_pad3d and the constant and circular pads are not)
FP32_WHEN = {"cpu": {"pad": lambda input, pad, mode="constant", value=None: (
    mode == "replicate" or mode == "reflect" and len(pad) <= 4)}, "webgpu": {}}
# the cpu's "promote" list: the inputs cast to the widest floating dtype among them (cat and stack promote
# as they always do)
PROMOTE = {"cpu": {"index_copy"}, "webgpu": set()}
_DEFAULT_DTYPE = {"cpu": dt.bfloat16, "cuda": dt.float16, "webgpu": dt.float16}


class _AutocastState(threading.local):
    def __init__(self):
        self.dtype: dict = {}  # device type -> the dtype autocast casts to, while on
        self.default: dict = dict(_DEFAULT_DTYPE)
        self.inside = False  # within an autocast op: the ops it calls run as written


_state = _AutocastState()


def _kind(device_type: str) -> str:
    """The device type whose tensors an autocast for ``device_type`` affects."""
    from ..device import device
    return device(device_type).type


def is_autocast_enabled(device_type: str | None = None) -> bool:
    """Whether autocast is on for ``device_type`` (``'cuda'`` when not given, as in torch)."""
    return _kind(device_type or "cuda") in _state.dtype


def get_autocast_dtype(device_type: str):
    """The dtype autocast uses on ``device_type``: torch's defaults are bfloat16 (cpu), float16 (cuda)."""
    return _state.dtype.get(_kind(device_type)) or _state.default.get(device_type) or _state.default["cuda"]


def _check_device_type(device_type) -> None:
    """torch's refusal of a device_type that is no string (autocast, amp.custom_fwd/custom_bwd)."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")


class autocast:
    """``torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)``: a context manager
    and a decorator that runs matmul/linear/conv in ``dtype`` and losses in float32 (see module doc)."""

    def __init__(self, device_type: str, dtype=None, enabled: bool = True, cache_enabled=None):
        _check_device_type(device_type)
        self.device = device_type
        self.fast_dtype = dtype
        self._enabled = bool(enabled)
        self._cache_enabled = cache_enabled  # pyfront casts once per op call: no cache to switch

    def _target(self):
        kind = _kind(self.device)
        if kind == "cuda":  # torch's CPU build, and pyfront without --cuda-as webgpu
            warn("CUDA is not available or torch_xla is imported. Disabling autocast.")
            return None
        dtype = self.fast_dtype or _state.default.get(self.device, dt.float16)
        if kind == "cpu":
            if dtype not in dt.HALVES:
                warn("In CPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                     "CPU Autocast only supports dtypes of torch.bfloat16, torch.float16 currently.")
                return None
        elif kind == "webgpu":
            if dtype is not dt.float16:
                warn("In WebGPU autocast, but the target dtype is not supported. Disabling autocast.\n"
                     "WebGPU Autocast only supports dtype of torch.float16 currently.")
                return None
            if not _has_f16():
                warn("this WebGPU adapter has no 'shader-f16' feature, so autocast runs in float32")
                return None
        else:
            raise RuntimeError(f"User specified an unsupported autocast device_type '{self.device}'")
        return kind, dtype

    def __enter__(self):
        self._prev = dict(_state.dtype)
        target = self._target() if self._enabled else None
        kind = _kind(self.device)
        if target is None:
            _state.dtype.pop(kind, None)
        else:
            _state.dtype[target[0]] = target[1]
        return self

    def __exit__(self, *exc):
        _state.dtype = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with autocast(self.device, self.fast_dtype, self._enabled, self._cache_enabled):
                return fn(*args, **kwargs)
        return wrapper


def _has_f16() -> bool:
    from .. import webgpu
    b = webgpu._backend()
    return b is not None and b.has_f16


def _device_type(args, kwargs):
    for a in (*args, *kwargs.values()):
        if isinstance(a, Tensor):
            return a.device.type
    return None


def _cast(value, dtype):
    if isinstance(value, Tensor) and value.dtype.is_floating_point and value.dtype not in (dt.float64, dtype):
        return value.to(dtype)
    return value


def _widest_float(args, kwargs):
    """The promote policy's dtype: the widest floating dtype of the tensors given (float64 included)."""
    floats = [a.dtype for a in (*args, *kwargs.values())
              if isinstance(a, Tensor) and a.dtype.is_floating_point]
    return functools.reduce(dt.promote_types, floats) if floats else None


def _wrap(fn, name: str):
    @functools.wraps(fn)
    def op(*args, **kwargs):
        # (where this is the public function, it asks for __torch_function__ overrides itself, overrides.py)
        if ON[0] and (result := intercept(op, args, kwargs)) is not PASS:
            return result
        if not _state.dtype or _state.inside:  # the hot path: autocast off
            try:  # (free where nothing is raised)
                return fn(*args, **kwargs)
            except Exception:
                if (result := intercept(op, args, kwargs)) is PASS:
                    raise
            return result
        kind = _device_type(args, kwargs)
        if kind not in _state.dtype:
            return fn(*args, **kwargs)
        if name in LOWER[kind]:
            dtype = _state.dtype[kind]
        elif name in FP32[kind] or name in FP32_WHEN[kind] and FP32_WHEN[kind][name](*args, **kwargs):
            dtype = dt.float32
        elif name in PROMOTE[kind] and _widest_float(args, kwargs) is not None:
            dtype = _widest_float(args, kwargs)
        else:
            return fn(*args, **kwargs)
        args = tuple(_cast(a, dtype) for a in args)
        kwargs = {k: _cast(v, dtype) for k, v in kwargs.items()}
        _state.inside = True
        try:
            return fn(*args, **kwargs)
        finally:
            _state.inside = False

    op._autocast = True
    AWARE.add(op)
    return op


def install(target, prefix: str = "") -> None:
    """Wrap the functions that the lists name in ``target``: a module's dict or a class; ``prefix``
    (``"linalg."``, ``"fft."``) the namespace's, as the lists spell its names."""
    space = vars(target) if isinstance(target, type) else target
    listed = set().union(*LOWER.values(), *FP32.values(), *FP32_WHEN.values(), *PROMOTE.values())
    for qualified in listed:
        name = qualified[len(prefix):]
        if not qualified.startswith(prefix) or "." in name:
            continue
        fn = space.get(name)
        if callable(fn) and not isinstance(fn, type) and not getattr(fn, "_autocast", False):
            if isinstance(target, type):
                setattr(target, name, _wrap(fn, qualified))
            else:
                target[name] = _wrap(fn, qualified)

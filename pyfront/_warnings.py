"""Warnings attributed to the user's line, as PyTorch's are (its C++ ones name the Python caller)."""
from __future__ import annotations

import sys
import warnings


_WARNED_ONCE: set = set()
WARN_ALWAYS = [False]  # torch.set_warn_always: every time instead


def warn_once(message: str) -> None:
    """PyTorch's TORCH_WARN_ONCE: the first time in the process only; under set_warn_always each time, and
    without spending that first time (torch's once is then not reached)."""
    if WARN_ALWAYS[0]:
        warn(message)
    elif message not in _WARNED_ONCE:
        _WARNED_ONCE.add(message)
        warn(message)


# torch's warnings from its C++ (TORCH_WARN) end with where they were raised in torch 2.13's build; pyfront
# gives the same text. A part of the message (its start, or its text after the function's name) -> that
# place: one row per warning torch raises in C++
_NATIVE = "/__w/pytorch/pytorch/aten/src/ATen/native/"
_CSRC = "/__w/pytorch/pytorch/torch/csrc/"
_RAISED_IN_CPP = {
    "The use of `x.T` on tensors of dimension other than 2": _NATIVE + "TensorShape.cpp:4314",
    "Tensor.T is deprecated on 0-D tensors": _NATIVE + "TensorShape.cpp:4321",
    "Tensor.H is deprecated on 0-D tensors": _NATIVE + "TensorShape.cpp:4335",
    "Tensor.mT is deprecated on 0-D tensors": _NATIVE + "TensorShape.cpp:4373",
    "Tensor.mH is deprecated on 0-D tensors": _NATIVE + "TensorShape.cpp:4382",
    "adjoint() is deprecated on 0-D tensors": _NATIVE + "TensorShape.cpp:4390",
    "torch.meshgrid: in an upcoming release": _NATIVE + "TensorShape.cpp:4215",
    "torch.lu is deprecated": _NATIVE + "BatchLinearAlgebra.cpp:2073",
    "torch.lu_solve is deprecated": _NATIVE + "BatchLinearAlgebra.cpp:2230",
    "torch.triangular_solve is deprecated": _NATIVE + "BatchLinearAlgebra.cpp:2273",
    "torch.cholesky is deprecated": _NATIVE + "BatchLinearAlgebra.cpp:1765",
    "torch.qr is deprecated": _NATIVE + "BatchLinearAlgebra.cpp:2505",
    "torch.chain_matmul is deprecated": _NATIVE + "LinearAlgebra.cpp:1102",
    "at::frobenius_norm is deprecated": _NATIVE + "LinearAlgebra.cpp:3175",
    "at::nuclear_norm is deprecated": _NATIVE + "LinearAlgebra.cpp:3229",
    "Using torch.cross without specifying the dim arg": _NATIVE + "Cross.cpp:63",
    "Using padding='same' with even kernel lengths and odd dilation": _NATIVE + "Convolution.cpp:1101",
    "(): degrees of freedom is <= 0. Correction should be strictly less than the reduction": _NATIVE
        + "ReduceOps.cpp:1861",  # (std, var, std_mean, var_mean)
    "(): degrees of freedom is <= 0. Correction should be strictly less than the number": _NATIVE
        + "Correlation.cpp:129",  # (cov)
    "The reduce argument of torch.scatter with Tensor src": _NATIVE + "TensorAdvancedIndexing.cpp:225",
    "index_reduce() is in beta": _NATIVE + "TensorAdvancedIndexing.cpp:1523",
    "indexing with dtype torch.uint8 is now deprecated": _NATIVE + "IndexingUtils.h:37",
    "where received a uint8 condition tensor": _NATIVE + "TensorCompare.cpp:621",
    "from is out of bounds [-(2^": _NATIVE + "DistributionTemplates.h:111",
    "to - 1 is out of bounds [-(2^": _NATIVE + "DistributionTemplates.h:111",
    "The number of elements in the out tensor of shape": _NATIVE + "RangeFactories.cpp:199",
    "An output with one or more elements was resized": _NATIVE + "Resize.cpp:30",
    "The .grad attribute of a Tensor that is not a leaf": "/__w/pytorch/pytorch/build/aten/src/ATen/core/"
                                                          "TensorBody.h:493",
    "torch.set_default_tensor_type() is deprecated": _CSRC + "tensor/python_tensor.cpp:434",
    "Using a non-tuple sequence for multidimensional indexing":
        _CSRC + "autograd/python_variable_indexing.cpp:349",
    "This overload of ": _CSRC + "utils/python_arg_parser.cpp:1841",
    "The given NumPy array is not writable": _CSRC + "utils/tensor_numpy.cpp:213",
    "Converting a tensor with requires_grad=True to a scalar": _CSRC
        + "autograd/generated/python_variable_methods.cpp:822",
    "The given buffer is not writable": _CSRC + "utils/tensor_new.cpp:1556",
    "Casting complex values to real discards the imaginary part": _NATIVE + "Copy.cpp:307",
    "A window was not provided. A rectangular window will be applied,which": _NATIVE + "SpectralOps.cpp:835",
    "stft with return_complex=False is deprecated": _NATIVE + "SpectralOps.cpp:874",
    "A window was not provided. A rectangular window will be applied.Please": _NATIVE
        + "SpectralOps.cpp:1035",  # (istft's)
    "Sparse invariant checks are implicitly disabled": "/__w/pytorch/pytorch/aten/src/ATen/Context.cpp:816",
    # autocast's deprecated state functions
    "torch.set_autocast_gpu_dtype(dtype) is deprecated": _CSRC + "autograd/init.cpp:952",
    "torch.set_autocast_cpu_dtype(dtype) is deprecated": _CSRC + "autograd/init.cpp:967",
    "torch.set_autocast_cpu_enabled(enabled) is deprecated": _CSRC + "autograd/init.cpp:874",
    "torch.is_autocast_cpu_enabled() is deprecated": _CSRC + "autograd/init.cpp:883",
    "torch.get_autocast_gpu_dtype() is deprecated": _CSRC + "autograd/init.cpp:1007",
    "torch.get_autocast_cpu_dtype() is deprecated": _CSRC + "autograd/init.cpp:1016",
}


def _as_torch_prints(message: str) -> str:
    for part, place in _RAISED_IN_CPP.items():
        if part in message:
            return f"{message} (Triggered internally at {place}.)"
    return message


def warn(message: str, category: type = UserWarning) -> None:
    """``warnings.warn`` from the first frame outside pyfront, however deep the op that warns."""
    message = _as_torch_prints(message)
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("pyfront."):
        frame = frame.f_back
    if frame is None:
        warnings.warn(message, category, stacklevel=2)
        return
    glob = frame.f_globals
    module = glob.get("__name__") or "<string>"  # as warnings.warn names code exec'd without __name__
    warnings.warn_explicit(message, category, frame.f_code.co_filename, frame.f_lineno,
                           module=module, registry=glob.setdefault("__warningregistry__", {}))


def called_by_user() -> bool:
    """Whether the pyfront function that asks was called from outside pyfront (its argument-checking
    wrappers passed over): torch's warnings about how a user calls it, not pyfront's own calls."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_globals.get("__name__") == "pyfront.ops.argcheck":
        frame = frame.f_back
    return frame is None or not frame.f_globals.get("__name__", "").startswith("pyfront.")


def warn_copy_construct(call: str) -> None:
    """torch's warning when ``torch.tensor`` or ``Tensor.new_tensor`` is given a tensor."""
    warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
         f"sourceTensor.detach().clone().requires_grad_(True), rather than {call}(sourceTensor).")

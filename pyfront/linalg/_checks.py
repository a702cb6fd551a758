"""PyTorch's argument checks for ``torch.linalg``, in its order: rank, squareness, dtype."""
from __future__ import annotations

from .. import dtypes as dt
from ..dtypes import scalar_name

# the CPU kernel that refuses float16 and bfloat16 first, where it is not linalg's own low-precision check
_HALF_KERNELS = {"linalg.det": "lu_cpu", "linalg.solve": "lu_cpu", "linalg.cholesky": "cholesky_cpu",
                 "linalg.qr": "geqrf_cpu", "linalg.svd": "linalg_svd_cpu", "linalg.eigh": "linalg_eigh_cpu",
                 "linalg.eig": "linalg_eig_out_cpu", "linalg.eigvals": "linalg_eig_out_cpu"}

# the functions whose CPU kernel torch looks up before any dtype check: it refuses integers, bool, the
# halves and float8
_KERNEL_ONLY = {"linalg.eigh": "linalg_eigh_cpu", "cholesky_inverse": "cholesky_inverse_out_cpu"}


def refuse_kernelless(name: str, a) -> None:
    """torch's refusal of ``a``'s dtype by ``name``'s kernel (``_KERNEL_ONLY``), where it has none."""
    if a.dtype.kind not in "fc" or a.dtype in dt.FLOAT8 or a.dtype in dt.HALVES:
        raise NotImplementedError(f"\"{_KERNEL_ONLY[name]}\" not implemented for '{scalar_name(a.dtype)}'")


def check_matrix(name: str, a, square: bool = True, arg: str = "A") -> None:
    prefix = f"{name}: " if name else ""  # cholesky_solve's messages name no function
    if a.dim() < 2:
        raise RuntimeError(f"{prefix}The input tensor {arg} must have at least 2 dimensions.")
    if square and a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{prefix}{arg} must be batches of square matrices, but they are {a.shape[-2]} by "
                           f"{a.shape[-1]} matrices")


def check_linear_solve(name: str, b, A) -> None:
    """torch's checks of the right-hand side ``b`` and the (factored) matrix ``A`` that cholesky_solve and
    triangular_solve share (its linearSolveCheckInputs), in its order, after their ranks' own."""
    if b.device != A.device:
        raise RuntimeError(f"Expected b and A to be on the same device, but found b on {b.device} and A on "
                           f"{A.device} instead.")
    if b.dtype is not A.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{scalar_name(b.dtype)} and A of type {scalar_name(A.dtype)} instead.")
    check_matrix("", A)
    if A.shape[-1] != b.shape[-2]:
        raise RuntimeError(f"Incompatible matrix sizes for {name}: each A matrix is {A.shape[-1]} by "
                           f"{A.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")


def refuse_complex(name: str, a) -> None:
    """pyfront's refusal of a complex ``a``, which torch's ``name`` takes: its linear algebra is real but for
    eig and eigvals (README), said at the call, never torch's words for a dtype it refuses."""
    raise RuntimeError(f"{name}: pyfront's linear algebra takes real tensors only (torch.linalg.eig and "
                       f"eigvals excepted); a {scalar_name(a.dtype)} input is not implemented")


def refuse_unsolvable(kernel: str, a) -> None:
    """The refusal of a solver's CPU kernel (float and double, complex in torch) for ``a``'s dtype."""
    if a.dtype.is_complex:
        refuse_complex(kernel.removesuffix("_cpu"), a)
    if a.dtype not in (dt.float32, dt.float64):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(a.dtype)}'")


def check_float(name: str, a, low_precision: bool = True) -> None:
    """torch's refusal of an integer or bool ``a`` (and, with ``low_precision``, of a 16-bit float one)."""
    if a.dtype.is_complex:
        if name in ("linalg.eig", "linalg.eigvals"):
            return
        refuse_complex(name, a)
    if name in _KERNEL_ONLY:
        refuse_kernelless(name, a)
    if not a.dtype.is_floating_point:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{scalar_name(a.dtype)}")
    if a.dtype in dt.HALVES and low_precision:
        kernel = _HALF_KERNELS.get(name)
        if kernel:
            raise NotImplementedError(f"\"{kernel}\" not implemented for '{scalar_name(a.dtype)}'")
        raise RuntimeError(f"{name}: Low precision dtypes not supported. Got {scalar_name(a.dtype)}")


def check(name: str, a, square: bool = True) -> None:
    check_matrix(name, a, square)
    check_float(name, a)

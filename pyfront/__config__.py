"""``torch.__config__``: what this build computes with (``show()``) and its threads (``parallel_info()``),
in torch's layout, so environment reports and bug-report scripts print pyfront's facts."""
from __future__ import annotations

import os

from .backends import cpu as _cpu, host_gemm, mkl
from .process import get_num_interop_threads, get_num_threads
from .version import __version__


def show() -> str:
    """The libraries pyfront computes with, one ``  - `` line each after torch's header line."""
    lines = [f"pyfront {__version__} (pure Python: NumPy on the cpu, WGSL kernels on webgpu)",
             f"BLAS: {host_gemm.describe()}",
             f"WebGPU: {_wgpu_version()}",
             f"CPU capability usage: {_cpu.get_cpu_capability()}",
             f"Build settings: TORCH_VERSION={__version__}, USE_CUDA=0, USE_CUDNN=OFF, "
             f"USE_MKL={'ON' if mkl.is_available() else 'OFF'}, USE_MKLDNN=OFF, USE_OPENMP=OFF, "
             "USE_ROCM=OFF, USE_XPU=OFF, "]
    return "PyTorch built with:\n" + "".join(f"  - {line}\n" for line in lines)


def parallel_info() -> str:
    """The thread counts, as torch's ``parallel_info()`` lists them."""
    env = "".join(f"\t{name} : {os.environ.get(name, '[not set]')}\n"
                  for name in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"))
    return (f"ATen/Parallel:\n\tat::get_num_threads() : {get_num_threads()}\n"
            f"\tat::get_num_interop_threads() : {get_num_interop_threads()}\n"
            f"{host_gemm.describe()}\n"
            f"std::thread::hardware_concurrency() : {os.cpu_count() or 1}\n"
            f"Environment variables:\n{env}"
            "ATen parallel backend: none (each op runs on the calling thread; the BLAS threads itself)\n")


def _wgpu_version() -> str:
    try:
        import wgpu
    except ImportError:
        return "not installed (the cpu device only)"
    return f"wgpu-py {wgpu.__version__}"

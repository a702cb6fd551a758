"""``pyfront.backends.cuda``: CUDA's switches, accepted so scripts that set them run (nothing reads them).

pyfront has no CUDA device and no TF32 arithmetic: float32 matmuls are always full float32.
"""
from __future__ import annotations


class _MatmulFlags:
    allow_tf32 = False
    allow_fp16_reduced_precision_reduction = True
    allow_bf16_reduced_precision_reduction = True


matmul = _MatmulFlags()


def is_built() -> bool:
    return False

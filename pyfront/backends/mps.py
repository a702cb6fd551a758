"""``pyfront.backends.mps``: pyfront has no MPS device (it reaches Apple GPUs through WebGPU/Metal)."""


def is_available() -> bool:
    return False


def is_built() -> bool:
    return False

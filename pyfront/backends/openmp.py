"""``pyfront.backends.openmp``: pyfront's ops run on the calling thread, not on an OpenMP pool (NumPy's
BLAS threads itself), so ``is_available()`` is False."""


def is_available() -> bool:
    return False

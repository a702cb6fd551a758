"""Where a NumPy array's data starts, for the BLAS calls made through ctypes (host_gemm, host_blas).

Through the buffer protocol: about a fifth of the array interface's cost (``__array_interface__`` builds a
dict per read, ``a.ctypes`` imports a NumPy module per read), which counts where a product of small
matrices costs a few microseconds in all. The buffer protocol lends only a C-contiguous writable array:
a transposed one (a linear layer's weight.t()) lends its transpose, another strided view (a slice) its
first element as a one-element view, contiguous whatever the strides; a read-only array is read through
the array interface.
"""
from __future__ import annotations

try:
    from ctypes import addressof as _addressof, c_char as _byte
except ImportError:  # Pyodide without ctypes: no BLAS is called there
    _addressof = _byte = None

# the one-element view of the first element, by rank
_FIRST = {n: (slice(0, 1),) * n for n in range(1, 4)}


def address(a) -> int:
    """Where non-empty NumPy array ``a``'s first element lies in memory."""
    try:
        if a.flags.c_contiguous:
            return _addressof(_byte.from_buffer(a))
        if a.flags.f_contiguous:  # a transposed matrix: its transpose starts where it does
            return _addressof(_byte.from_buffer(a.T))
        first = _FIRST.get(a.ndim)
        if first is not None:
            return _addressof(_byte.from_buffer(a[first]))
    except TypeError:  # read-only
        pass
    return a.__array_interface__["data"][0]

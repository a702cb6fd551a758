"""The named-tuple results of max/min/sort/topk/median, printed as ``torch.return_types.max(...)``."""
from __future__ import annotations


class _ReturnType(tuple):
    """A tuple with named fields; unpacks, indexes and compares like the tuple it is."""

    _fields: tuple = ()

    def __new__(cls, *values):
        if len(values) != len(cls._fields):
            raise TypeError(f"torch.return_types.{cls.__name__} takes {len(cls._fields)} values, "
                            f"got {len(values)}")
        return tuple.__new__(cls, values)

    @property
    def n_fields(self) -> int:
        return len(self._fields)

    def __getnewargs__(self):  # pickle and copy rebuild it through __new__
        return tuple(self)

    def __repr__(self) -> str:
        body = ",\n".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__


def _make(name: str, fields=("values", "indices")) -> type:
    def getter(i):
        return property(lambda self: tuple.__getitem__(self, i))
    namespace = {"_fields": fields, **{f: getter(i) for i, f in enumerate(fields)}}
    return type(name, (_ReturnType,), namespace)


max = _make("max")
min = _make("min")
sort = _make("sort")
topk = _make("topk")
median = _make("median")
mode = _make("mode")
kthvalue = _make("kthvalue")
# torch.linalg's results (and the old top-level names of the same decompositions)
linalg_inv_ex = _make("linalg_inv_ex", ("inverse", "info"))
linalg_solve_ex = _make("linalg_solve_ex", ("result", "info"))
linalg_cholesky_ex = _make("linalg_cholesky_ex", ("L", "info"))
linalg_slogdet = _make("linalg_slogdet", ("sign", "logabsdet"))
slogdet = _make("slogdet", ("sign", "logabsdet"))
linalg_qr = _make("linalg_qr", ("Q", "R"))
qr = _make("qr", ("Q", "R"))
linalg_svd = _make("linalg_svd", ("U", "S", "Vh"))
svd = _make("svd", ("U", "S", "V"))
linalg_eigh = _make("linalg_eigh", ("eigenvalues", "eigenvectors"))
linalg_eig = _make("linalg_eig", ("eigenvalues", "eigenvectors"))
linalg_lstsq = _make("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
linalg_lu_factor = _make("linalg_lu_factor", ("LU", "pivots"))
linalg_lu_factor_ex = _make("linalg_lu_factor_ex", ("LU", "pivots", "info"))
_lu_with_info = _make("_lu_with_info", ("LU", "pivots", "info"))
linalg_lu = _make("linalg_lu", ("P", "L", "U"))
lu_unpack = _make("lu_unpack", ("P", "L", "U"))
geqrf = _make("geqrf", ("a", "tau"))
linalg_ldl_factor = _make("linalg_ldl_factor", ("LD", "pivots"))
linalg_ldl_factor_ex = _make("linalg_ldl_factor_ex", ("LD", "pivots", "info"))
cummax = _make("cummax")
cummin = _make("cummin")
nanmedian = _make("nanmedian")
aminmax = _make("aminmax", ("min", "max"))
histogram = _make("histogram", ("hist", "bin_edges"))
histogramdd = _make("histogramdd", ("hist", "bin_edges"))
frexp = _make("frexp", ("mantissa", "exponent"))
triangular_solve = _make("triangular_solve", ("solution", "cloned_coefficient"))

__all__ = ["max", "min", "sort", "topk", "median", "mode", "linalg_inv_ex", "linalg_solve_ex",
           "linalg_cholesky_ex", "linalg_slogdet", "slogdet", "linalg_qr", "qr", "linalg_svd", "svd",
           "linalg_eigh", "linalg_eig",
           "linalg_lstsq", "cummax", "cummin", "nanmedian", "aminmax", "histogram", "histogramdd",
           "triangular_solve",
           "linalg_lu_factor", "linalg_lu_factor_ex", "linalg_lu", "lu_unpack", "geqrf", "linalg_ldl_factor",
           "linalg_ldl_factor_ex"]

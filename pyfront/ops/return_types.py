"""The named-tuple results of max/min/sort/topk/median, printed as ``torch.return_types.max(...)``."""
from __future__ import annotations


class _ReturnType(tuple):
    """A tuple with named fields, as torch's C structseq (not a namedtuple: no ``_fields``, so
    ``default_collate`` and the like take it for the plain sequence torch's is); unpacks, indexes and
    compares like the tuple it is; its fields are read-only and it takes no other attributes."""

    __slots__ = ()
    _names: tuple = ()
    n_fields = n_sequence_fields = 0
    n_unnamed_fields = 0

    def __new__(cls, *values, **kwargs):
        # pyfront's own construction passes the values themselves; torch's is T(sequence, dict=None) (its
        # second argument a dict or None, never a result's value)
        torchs = kwargs or (len(values) == 2 and _dict_or_none(values[1]))
        if len(values) == len(cls._names) and not torchs:
            return tuple.__new__(cls, values)
        return tuple.__new__(cls, cls._from_sequence(*values, **kwargs))

    @classmethod
    def _from_sequence(cls, *args, **kwargs) -> tuple:
        """The values of ``T(sequence, dict=None)``, with the errors of torch's structseq constructor."""
        if not args and "sequence" not in kwargs:
            raise TypeError("structseq() missing required argument 'sequence' (pos 1)")
        sequence = args[0] if args else kwargs["sequence"]
        if len(args) > 1 and args[1] is not None and not isinstance(args[1], dict):
            raise TypeError("constructor requires a sequence")  # (CPython's wording for a bad dict too)
        try:
            values = tuple(sequence)
        except TypeError:
            raise TypeError("constructor requires a sequence") from None
        n = len(cls._names)
        if len(values) != n:
            raise TypeError(f"torch.return_types.{cls.__name__}() takes a {n}-sequence "
                            f"({len(values)}-sequence given)")
        return values

    def __getattr__(self, name: str):  # only for names the type lacks: torch's type name in the message
        raise AttributeError(f"'torch.return_types.{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name: str, value) -> None:
        if name in self._names:
            raise AttributeError("readonly attribute")
        self.__getattr__(name)

    def __delattr__(self, name: str) -> None:
        self.__setattr__(name, None)

    def __reduce__(self):  # pickle and copy rebuild it from its values, as torch's (T, (values,))
        return type(self), (tuple(self),)

    def __repr__(self) -> str:
        body = ",\n".join(f"{name}={value!r}" for name, value in zip(self._names, self))
        return f"torch.return_types.{type(self).__name__}(\n{body})"

    __str__ = __repr__


def _dict_or_none(x) -> bool:
    return x is None or isinstance(x, dict)


def is_return_type(x) -> bool:
    """Whether ``x`` is one of these results (torch's pytree and ``out=`` keep the type; a namedtuple check
    does not see them)."""
    return isinstance(x, _ReturnType)


def _make(name: str, fields=("values", "indices")) -> type:
    def getter(i):
        return property(lambda self: tuple.__getitem__(self, i))
    namespace = {"__slots__": (), "_names": fields, "n_fields": len(fields), "n_sequence_fields": len(fields),
                 **{f: getter(i) for i, f in enumerate(fields)}}
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

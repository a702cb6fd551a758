"""Sparse COO tensors, the basics graph code uses: ``torch.sparse_coo_tensor``, ``to_dense``,
``coalesce``, ``torch.sparse.mm`` and ``dense @ sparse`` with gradients to the dense operand and to the
values, ``dense + sparse`` (dense) and ``sparse + sparse`` (sparse).

A sparse tensor here is its ``indices`` (int64, ``(sparse_dim, nnz)``) and ``values`` (``(nnz, *dense
sizes)``): the trailing dims may be dense (a hybrid tensor, as ``Embedding(sparse=True)``'s gradient:
one sparse dim, the rows, and one dense dim). Its products are composed from dense pyfront
ops (a gather of the dense rows, a scaled ``index_add`` into the result), so autograd and every
device come for free; on webgpu that is the documented path (no sparse kernel). Unlike PyTorch's,
it is not a ``Tensor`` subclass: only the methods below exist.
"""
from __future__ import annotations

import math

from . import _warnings
from . import dtypes as dt
from .autograd import graph
from .ops.creation import tensor as _tensor, zeros
from .printing import _join_suffixes, _values_str
from .shape import normalize_dim
from .tensor import Tensor


class layout:
    """A tensor's memory layout, as ``torch.layout``: ``torch.strided`` or ``torch.sparse_coo``."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


strided = layout("strided")
sparse_coo = layout("sparse_coo")


class memory_format:
    """A dense tensor's dimension order in memory, as ``torch.memory_format``.

    Scripts pass ``torch.channels_last`` to ``Module.to``, ``Tensor.to``, ``contiguous`` and the
    ``*_like`` factories; pyfront keeps every dense tensor in the contiguous (row-major) order, so those
    arguments are taken and the values stay the same (only the speed of a layout would differ).
    """

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"torch.{self.name}"


contiguous_format = memory_format("contiguous_format")
preserve_format = memory_format("preserve_format")
channels_last = memory_format("channels_last")
channels_last_3d = memory_format("channels_last_3d")


class SparseCooTensor:
    """A sparse COO tensor: ``values[k]`` sits at ``indices[:, k]`` in ``size``, duplicates adding."""

    layout = sparse_coo
    is_sparse = True

    def __init__(self, indices: Tensor, values: Tensor, size: tuple, coalesced: bool):
        self._ind, self._val, self._size, self._coalesced = indices, values, tuple(size), coalesced

    # -- what PyTorch's sparse tensor answers --------------------------------------------------------
    @property
    def shape(self):
        from .shape import Size
        return Size(self._size)

    def size(self, dim=None):
        return self.shape if dim is None else self._size[dim]

    def dim(self) -> int:
        return len(self._size)

    ndimension = dim

    @property
    def ndim(self) -> int:
        return len(self._size)

    def numel(self) -> int:
        return math.prod(self._size)

    nelement = numel

    def __len__(self) -> int:
        if not self._size:
            raise TypeError("len() of a 0-d tensor")
        return self._size[0]

    @property
    def is_leaf(self) -> bool:
        return self._val.grad_fn is None

    @property
    def grad_fn(self):
        return self._val.grad_fn

    is_cuda = is_xpu = is_mps = is_meta = is_sparse_csr = is_quantized = False

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    def sparse_dim(self) -> int:
        return self._ind.shape[0]

    def dense_dim(self) -> int:
        return self._val.dim() - 1

    @property
    def dtype(self):
        return self._val.dtype

    @property
    def device(self):
        return self._val.device

    @property
    def requires_grad(self) -> bool:
        return self._val.requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self._val.requires_grad = flag

    @property
    def grad(self):
        """The gradient with respect to the tensor at its stored positions, as a coalesced sparse tensor
        (a duplicated position's values each have that gradient). PyTorch's torch.mm and spmm give a
        dense gradient at every position instead; torch.sparse.mm gives this one."""
        g = self._val.grad
        if g is None:
            return None
        flat = self._flat().tolist()
        first = sorted({f: k for k, f in reversed(list(enumerate(flat)))}.items())
        keep = _tensor([k for _, k in first], dtype=dt.int64, device=self.device)
        return SparseCooTensor(self._ind.index_select(1, keep), g.index_select(0, keep), self._size, True)

    def requires_grad_(self, requires_grad: bool = True):
        self._val.requires_grad_(requires_grad)
        return self

    def _nnz(self) -> int:
        return self._ind.shape[1]

    def indices(self) -> Tensor:
        if not self._coalesced:
            raise RuntimeError("Cannot get indices on an uncoalesced tensor, please call .coalesce() first")
        return self._ind

    def values(self) -> Tensor:
        if not self._coalesced:
            raise RuntimeError("Cannot get values on an uncoalesced tensor, please call .coalesce() first")
        return self._val

    def _indices(self) -> Tensor:
        """The indices as stored, coalesced or not."""
        return self._ind

    def _values(self) -> Tensor:
        """The values as stored, coalesced or not."""
        return self._val

    def is_coalesced(self) -> bool:
        return self._coalesced

    # -- conversions -------------------------------------------------------------------------------
    def _flat(self) -> Tensor:
        """The row-major position of each stored value among the sparse dims' positions."""
        sizes = self._size[:self.sparse_dim()]
        flat = zeros(self._nnz(), dtype=dt.int64, device=self.device)
        for d in range(len(sizes)):
            flat = flat + self._ind[d] * math.prod(sizes[d + 1:])
        return flat

    def coalesce(self) -> "SparseCooTensor":
        """Sorted, unique indices, duplicates summed (differentiable in the values)."""
        if self._coalesced:
            return self
        from .ops.composite.shaping import stack
        unique, where = self._flat().unique(sorted=True, return_inverse=True)
        values = zeros(unique.numel(), *self._val.shape[1:], dtype=self.dtype, device=self.device)
        values = values.index_add(0, where, self._val)
        sizes = self._size[:self.sparse_dim()]
        coords = [unique // math.prod(sizes[d + 1:]) % sizes[d] for d in range(len(sizes))]
        indices = stack(coords) if coords else unique.new_zeros(0, unique.numel())
        return SparseCooTensor(indices, values, self._size, True)

    def to_dense(self) -> Tensor:
        """The dense tensor (duplicates added), differentiable in the values."""
        out = zeros(math.prod(self._size[:self.sparse_dim()]), *self._val.shape[1:], dtype=self.dtype,
                    device=self.device)
        return out.index_add(0, self._flat(), self._val).reshape(self._size)

    def to(self, *args, **kwargs) -> "SparseCooTensor":
        return SparseCooTensor(self._ind.to(*[a for a in args if not isinstance(a, dt.dtype)],
                                                **{k: v for k, v in kwargs.items() if k != "dtype"}),
                               self._val.to(*args, **kwargs), self._size, self._coalesced)

    def cpu(self):
        return self.to("cpu")

    def detach(self):
        return SparseCooTensor(self._ind, self._val.detach(), self._size, self._coalesced)

    # what else it does (operators, arithmetic, the Tensor methods it has or refuses): _sparse_math.py

    def __repr__(self) -> str:
        def body(t, indent):  # torch's: no dtype of its own (the tensor's is said once), size when empty
            return f"[], size={tuple(t.shape)}" if t.numel() == 0 else _values_str(t.detach(), indent)
        suffixes = [f"device='{self.device}'"] if self.device.type != "cpu" else []
        suffixes += [f"size={self._size}", f"nnz={self._nnz()}"]
        if self.dtype not in (dt.get_default_dtype(), dt.int64, dt.bool_):
            suffixes.append(f"dtype={self.dtype}")
        suffixes.append("layout=torch.sparse_coo")
        if self.requires_grad:
            suffixes.append("requires_grad=True" if self._val.grad_fn is None else
                            f"grad_fn=<{type(self._val.grad_fn).__name__}>")
        body = (f"tensor(indices=tensor({body(self._ind, len('tensor(indices=tensor('))}),\n"
                f"       values=tensor({body(self._val, len('       values=tensor('))})")
        return _join_suffixes(body, suffixes, len("tensor("), force_newline=True)  # lines wrap as torch's


def _same_size(dense, sparse) -> None:
    if tuple(dense.shape) != sparse._size:
        raise RuntimeError(f"add: expected 'self' and 'other' to have same size, but self has size "
                           f"{list(dense.shape)} while other has size {list(sparse._size)} (FYI: "
                           "dense-sparse addition does not currently support broadcasting)")


_UNCHECKED = ("Sparse invariant checks are implicitly disabled. Memory errors (e.g. SEGFAULT) will occur "
              "when operating on a sparse tensor which violates the invariants, but checks incur performance "
              "overhead. To silence this warning, explicitly opt in or out. See "
              "`torch.sparse.check_sparse_tensor_invariants.__doc__` for guidance. ")


class check_sparse_tensor_invariants:
    """Whether sparse constructors check their indices (off by default, as in PyTorch), as
    ``torch.sparse.check_sparse_tensor_invariants``: a context manager, a decorator, or ``enable()`` /
    ``disable()`` / ``is_enabled()``. ``check_invariants=`` of a constructor overrides it. Unchecked,
    an index outside the size is kept as given (PyTorch's memory errors are pyfront's IndexErrors)."""

    _enabled = False  # one setting for the process, as torch's global context

    @staticmethod
    def is_enabled() -> bool:
        return check_sparse_tensor_invariants._enabled

    @staticmethod
    def enable() -> None:
        check_sparse_tensor_invariants._enabled = True

    @staticmethod
    def disable() -> None:
        check_sparse_tensor_invariants._enabled = False

    def __init__(self, enable=True):
        self.state, self.saved_state = enable, None

    def __enter__(self):
        if self.saved_state is not None:
            raise RuntimeError("This context manager instance is already activated. Use a different context "
                               "manager instance for context nesting.")
        self.saved_state = self.is_enabled()
        check_sparse_tensor_invariants._enabled = self.state

    def __exit__(self, type, value, traceback):
        check_sparse_tensor_invariants._enabled = self.saved_state
        self.saved_state = None

    def __call__(self, mth):
        def test_mth(*args, **kwargs):
            with type(self)(self.state):
                return mth(*args, **kwargs)
        return test_mth


def sparse_coo_tensor(indices, values, size=None, *, dtype=None, device=None, requires_grad=False,
                      check_invariants=None, is_coalesced=None) -> SparseCooTensor:
    """A sparse COO tensor with ``values`` at ``indices`` (``(ndim, nnz)``), as ``torch.sparse_coo_tensor``.

    ``size`` defaults to the smallest that holds every index. Raises RuntimeError as PyTorch does for
    indices that are not 2-d or not as many as the values, and, where invariants are checked
    (``check_invariants``, ``check_sparse_tensor_invariants``), for a ``size`` an index falls outside.
    """
    indices = indices if isinstance(indices, Tensor) else _tensor(indices, dtype=dt.int64)
    values = values if isinstance(values, Tensor) else _tensor(values, dtype=dtype)
    if indices.dim() == 1 and size is not None:
        raise RuntimeError("'len(size) == sparse_dim + dense_dim' is not satisfied: "
                           f"len(size) = {len(size)}, sparse_dim = {indices.shape[0]}, dense_dim = 0")
    if indices.dim() != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(indices.shape)}")
    if indices.dtype is not dt.int64:
        raise RuntimeError(f"indices must be an int64 tensor, but got {indices.dtype}")
    nnz = indices.shape[1]
    if values.dim() == 0 or values.shape[0] != nnz:
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: {nnz}, nnz "
                           f"from values: {values.shape[0] if values.dim() else 1}")
    check = check_sparse_tensor_invariants.is_enabled() if check_invariants is None else check_invariants
    if check_invariants is None and not check:
        _warnings.warn_once(_UNCHECKED)
    rows = indices.tolist()
    dense = tuple(values.shape[1:])  # the trailing dense dims, each whole in every value
    if size is None or check:
        for d, row in enumerate(rows):
            if row and min(row) < 0:
                raise RuntimeError(f"found negative index {min(row)} for dim {d}")
    if size is None:
        size = tuple(max(row) + 1 if row else 0 for row in rows) + dense
    size = tuple(size)
    if len(size) != indices.shape[0] + len(dense):
        raise RuntimeError("'len(size) == sparse_dim + dense_dim' is not satisfied: len(size) = "
                           f"{len(size)}, sparse_dim = {indices.shape[0]}, dense_dim = {len(dense)}")
    if size[indices.shape[0]:] != dense:
        raise RuntimeError(f"values has incorrect size, expected {[nnz, *size[indices.shape[0]:]]}, got "
                           f"{list(values.shape)}")
    for d, row in enumerate(rows if check else ()):
        if row and max(row) >= size[d]:
            raise RuntimeError(f"size is inconsistent with indices: for dim {d}, size is {size[d]} but found "
                               f"index {max(row)}")
    if dtype is not None:
        values = values.to(dtype)
    if device is not None:
        indices, values = indices.to(device), values.to(device)
    if requires_grad:
        values = values.detach().requires_grad_()
    return SparseCooTensor(indices, values, size, bool(is_coalesced) or nnz <= 1)


def accepting_sparse(dense_mm):
    """``dense_mm`` that also takes a sparse operand (``torch.mm``, ``torch.spmm``)."""
    def mm(mat1, mat2):
        if isinstance(mat1, SparseCooTensor):
            node = "SparseAddmmBackward0" if dense_mm is _dense_mm else "MmBackward0"  # torch.sparse.mm's
            return _sparse_mm(mat1, mat2, node)
        if isinstance(mat2, SparseCooTensor):
            return _dense_sparse_mm(mat1, mat2)
        return dense_mm(mat1, mat2)
    mm.__name__, mm.__doc__ = dense_mm.__name__, dense_mm.__doc__
    return mm


def _sparse_mm(mat1, mat2, node="MmBackward0") -> Tensor:
    """``sparse @ dense`` as ``torch.sparse.mm``: each stored value scales a row of ``mat2`` into its row
    of the result; gradients reach ``mat2`` and the values. ``node``: the grad_fn PyTorch shows."""
    since = graph.SEQUENCE[0]
    if mat1.dense_dim():
        raise RuntimeError(f"addmm: matrices expected, got {mat1.sparse_dim()}D tensor")
    if mat1.dim() != 2 or mat2.dim() != 2:
        raise RuntimeError(f"2D tensors expected, got {mat1.dim()}D and {mat2.dim()}D tensors")
    if mat1.shape[1] != mat2.shape[0]:
        raise RuntimeError(f"addmm: Argument #3 (dense): Expected dim 0 size {mat1.shape[1]}, "
                           f"got {mat2.shape[0]}")
    row, col = mat1._ind[0], mat1._ind[1]
    picked = mat2.index_select(0, col) * mat1._val.to(mat2.dtype).unsqueeze(1)
    out = zeros(mat1.shape[0], mat2.shape[1], dtype=mat2.dtype, device=mat2.device).index_add(0, row, picked)
    graph.present_as(out, node, since, [mat1._val, mat2])
    return out


def _dense_sparse_mm(mat1: Tensor, mat2: SparseCooTensor) -> Tensor:
    """``dense @ sparse`` (dense, as PyTorch's): each stored value scales a column of ``mat1`` into its
    column of the result; gradients reach ``mat1`` and the values."""
    since = graph.SEQUENCE[0]
    if mat2.dense_dim():  # torch transposes it first
        raise RuntimeError("sparse transpose: transposed dimensions must be sparse Got sparse_dim: "
                           f"{mat2.sparse_dim()}, d0: 0, d1: 1")
    if mat1.dim() != 2 or mat2.dim() != 2:
        raise RuntimeError(f"2D tensors expected, got {mat1.dim()}D and {mat2.dim()}D tensors")
    if mat1.shape[1] != mat2.shape[0]:
        # torch computes (sparse^T @ dense^T)^T and names the transposed operands
        raise RuntimeError(f"addmm: Argument #3 (dense): Expected dim 0 size {mat2.shape[0]}, "
                           f"got {mat1.shape[1]}")
    row, col = mat2._ind[0], mat2._ind[1]
    picked = mat1.index_select(1, row) * mat2._val.to(mat1.dtype)
    out = zeros(mat1.shape[0], mat2.shape[1], dtype=mat1.dtype, device=mat1.device).index_add(1, col, picked)
    graph.present_as(out, "MmBackward0", since, [mat1, mat2._val])
    return out


def _dense_mm(mat1, mat2):
    from .ops.primitives.linalg import mm as dense_mm
    return dense_mm(mat1, mat2)


mm = accepting_sparse(_dense_mm)


def sum(input, dim=None, dtype=None):  # torch.sparse.sum; nothing here means the builtin
    """Sum of a sparse COO tensor, as ``torch.sparse.sum``.

    Args:
        input (SparseCooTensor): the sparse tensor.
        dim (int or tuple of ints, optional): the dims to sum over; all of them if None.
        dtype (dtype, optional): the values are cast to it first.

    Returns a dense 0-d tensor when ``dim`` is None or names every dim, else a coalesced sparse COO
    tensor over the remaining dims (``dim=()`` coalesces). Gradients reach the values.

    Raises:
        RuntimeError: ``input`` is not sparse, or a dim appears twice.
        IndexError: a dim is out of range.
    """
    if not isinstance(input, SparseCooTensor):
        raise RuntimeError("coalesce expected sparse coordinate tensor layout but got Strided")
    values = input._val if dtype is None else input._val.to(dtype)
    if dim is None:
        return values.sum()
    since = graph.SEQUENCE[0]
    dims = [dim] if isinstance(dim, int) else list(dim)
    n = input.dim()
    dims = [normalize_dim(d, n) for d in dims]
    for d in dims:
        if dims.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    sd = input.sparse_dim()
    summed_dense = [d - sd + 1 for d in dims if d >= sd]  # a dense dim is summed in every value
    if summed_dense:
        values = values.sum(summed_dense)
    kept = [d for d in range(sd) if d not in dims]
    if not kept:  # every sparse dim summed: dense, the remaining dense dims
        out = values.sum(0)
    else:
        size = tuple(input._size[d] for d in [*kept, *range(sd, n)] if d not in dims)
        out = SparseCooTensor(input._ind[kept], values, size, False).coalesce()
    graph.present_as(out if not kept else out._val, "SparseSumBackward0", since, [input._val])
    return out


def _to_sparse(self, sparse_dim=None) -> SparseCooTensor:
    """The nonzero elements of ``self`` as a coalesced sparse COO tensor, as ``Tensor.to_sparse()``; with
    ``sparse_dim`` fewer than its dims, the trailing ones are dense (a stored value: each slice not all
    zero)."""
    if sparse_dim is not None and sparse_dim < self.dim():
        nonzero = (self != 0).reshape(*self.shape[:sparse_dim], -1).any(-1)
        indices = nonzero.nonzero().t().contiguous()
        return SparseCooTensor(indices, self[tuple(indices)], tuple(self.shape), True)
    indices = self.nonzero().t().contiguous()
    values = self[tuple(indices)] if self.dim() else self.reshape(1)[indices.reshape(-1)]
    return SparseCooTensor(indices, values, tuple(self.shape), True)


def _compressed_layout(self, *args, **kwargs):
    """``to_sparse_csr``/``csc``/``bsr``/``bsc``: pyfront's one sparse layout is COO; refused, not faked."""
    raise RuntimeError("pyfront has sparse COO tensors only (Tensor.to_sparse()); the compressed layouts "
                       "(CSR, CSC, BSR, BSC) are not implemented")


def install(namespace: dict):
    """The dense side: ``Tensor.to_sparse``, ``is_sparse`` and ``layout``; then what a sparse operand does
    anywhere a tensor is taken (_sparse_math.install, ``namespace`` pyfront's)."""
    Tensor.to_sparse = _to_sparse
    for name in ("to_sparse_csr", "to_sparse_csc", "to_sparse_bsr", "to_sparse_bsc"):
        setattr(Tensor, name, _compressed_layout)
    Tensor.to_dense = lambda self, dtype=None, *, masked_grad=None: self if dtype is None else self.to(dtype)
    if not hasattr(Tensor, "is_sparse"):
        Tensor.is_sparse = property(lambda self: False)
    Tensor.layout = property(lambda self: strided)
    from . import _sparse_math
    _sparse_math.install(namespace)


__all__ = ["SparseCooTensor", "sparse_coo_tensor", "mm", "sum", "layout", "strided", "sparse_coo"]
# (memory_format and its four values are exported from the package namespace, not torch.sparse's)

"""Tensor: storage + shape + strides + offset + dtype + device + autograd fields.

The math lives in ``pyfront.ops``; its functions are bound as methods by ``ops/methods.py``.
Here: the data model, views, in-place updates with their autograd bookkeeping, and conversions.
"""
from __future__ import annotations

import math
import sys
from collections import OrderedDict

from . import _warnings
from . import dtypes as _dt
from .autograd.grad_mode import IN_TRANSFORM, _inference_blocks, _state, is_grad_enabled
from .autograd.grad_mode import no_grad as _no_grad
from .autograd import dual as _dual
from .autograd.graph import AccumulateGrad, replace_saved, torch_saved_tensors
from .backends import get_backend
from .backends.storage import Layout, dense, is_whole, memory_of
from .shape import _STRIDES, Size, contiguous_strides, layout_kind, normalize_dim, \
    reads_as_int



def _refuse_in_transform(what, depth=2):
    """torch's refusal of ``what`` inside a torch.func transform: a read of the data (``item``, ``tolist``,
    ``bool``) inside vmap, where a function sees one value per sample, or ``backward`` / ``requires_grad_``,
    which the transforms do themselves. Only for a caller outside pyfront: pyfront's own calls (checks,
    printing, factories' ``requires_grad=True``, the transforms' inputs) are what torch does in C++, and
    vmap runs them sample by sample."""
    frame = sys._getframe(depth)
    while frame.f_globals.get("__name__") == "pyfront.ops.argcheck":  # the argument checks' wrapper
        frame = frame.f_back
    if frame.f_globals.get("__name__", "").partition(".")[0] != "pyfront":
        nested = what in ("item", "bool") and not _state.vmap_innermost
        raise RuntimeError(IN_TRANSFORM["item_or_flow" if nested else what])



class _ResolvedLayout:
    """``Tensor._layout`` of a lazy (conj, neg) view, which keeps its memory's layout as ``_raw``: the layout
    of its values, made at each read (ops/lazy_bits.py)."""

    def __get__(self, t, owner=None):
        if t is None:
            return self
        if "_raw" in t.__dict__:
            from .ops.lazy_bits import resolved
            return resolved(t)._layout
        raise AttributeError(f"'{type(t).__name__}' object has no attribute '_layout'", name="_layout", obj=t)


_SCALAR_OF_GRAPH = ("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                    "Consider using tensor.detach() first.")



def _complex_real(value: complex, cpp: str) -> float:
    """The real part of a complex tensor's item, as torch's checked conversion to the C++ type ``cpp`` reads
    it for float(t) and int(t): an error where the imaginary part is not 0 (NaN included)."""
    if value.imag != 0:
        raise RuntimeError(f"value cannot be converted to type {cpp} without overflow")
    return value.real

class Tensor:
    """A strided view over a storage, with the autograd fields PyTorch users expect."""

    __array_priority__ = 1000  # numpy_array * tensor -> Tensor.__rmul__

    def __new__(cls, *args, **kwargs):
        """The legacy constructor: ``Tensor(data)`` or ``Tensor(*sizes)``, default float dtype; ``Tensor(t)``
        aliases ``t`` whatever its dtype."""
        from .ops.legacy import construct
        return construct(cls, _dt.get_default_dtype(), args, None, kwargs, typed=False)

    # The autograd fields' values on a fresh tensor, read from the class until an instance sets its
    # own: a tensor is made per op, and most never get a history, a hook or a gradient.
    _base = _view_of_fn = _grad_fn = _grad = _accum = None
    # a view's version when its history was made: written since (by it, its base, another view or an alias),
    # its history becomes "as_strided of the base", as torch regenerates it (grad_fn)
    _view_at = 0
    # what counts this tensor's in-place writes where it is not its storage's (see _vc): a VersionCounter
    _counter = None
    # the node number (autograd.graph.SEQUENCE) when detach_() cut a history: the nodes made before it that
    # saved this tensor refuse it in backward, as torch's
    _detached_at = 0
    # how a view was made where torch forbids writing it in place (its CreationMeta): an int, output i of
    # unbind/split/chunk (a view of one: 0); "no_grad" or "inference", made with grad mode off or in inference
    # mode from a base that requires grad
    _creation = None
    _requires_grad = _retains_grad = _wrapped_number = _inference = False
    # a view of a view-leaf (base[1:] made to require grad; a view of such a view too): torch takes it of the
    # root base, which needs no gradient, and regenerates its history from there after a write
    _of_view_leaf = False
    # inside vmap, the levels (bit i: the vmap i deep) at which this is one value per sample, torch's
    # BatchedTensor: a sample's slice, or what an op computed from one (ops.dispatch.mark_batched)
    _batched = 0
    _output_nr = 0
    _hooks = _post_accumulate_hooks = ()  # an OrderedDict of its own (handle id -> hook) once one is added
    # an op's fresh result reads from its storage's start, contiguous: _make and every view set their own
    _offset, _contiguous, _odd = 0, True, False
    # torch's conjugate or negative bit ("conj", "neg"): a view whose values are that transform of the memory
    # it reads, its layout kept as ``_raw`` (ops/lazy_bits.py)
    _lazy = None
    # its forward gradient at the open dual level (autograd/dual.py), dropped when the level exits
    _tangent = None
    # what a backend reads of a lazy view: its values, made at each read (a plain tensor's own _layout, in its
    # __dict__, is found first: a non-data descriptor, where __getattr__ would slow every attribute read)
    _layout = _ResolvedLayout()

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        """The default override: ``func`` run with subclasses' dispatch off, its Tensor results made ``cls``
        (overrides.py)."""
        from .overrides import tensor_torch_function
        return tensor_torch_function(cls, func, types, args, kwargs)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        from . import overrides  # a subclass that dispatches: its methods get twins that look (overrides.py)
        overrides.subclass_defined(cls)

    @classmethod
    def _make(cls, storage, shape, dtype, strides=None, offset=0, base=None):
        t = object.__new__(cls)
        t._storage = storage
        t._shape = size = shape if type(shape) is Size else Size(shape)
        if strides is None:
            strides = _STRIDES.get(size) or contiguous_strides(size)  # the dict first: this runs per op
            t._strides, t._contiguous = strides, contiguous = strides, True
        else:
            t._strides = strides = tuple(strides)
            contiguous, odd = layout_kind(size, strides)
            t._contiguous = contiguous
            if odd:  # an op's result takes a layout of its own from this one, off the planned path
                t._odd = True
        t._offset = offset
        t.dtype = dtype
        # what a backend is given of this tensor (built once: every op on it passes it down)
        t._layout = tuple.__new__(Layout, (storage, size, strides, offset, dtype, contiguous,
                                           contiguous and is_whole(storage, size, offset, dtype)))
        if base is not None:
            t._base, t._view_of_fn = base, base._grad_fn
            t._inference = base._inference  # a view is what its base is
            counter = base._counter
            if counter is not None:  # and counts its writes with it
                t._counter = counter
            t._view_at = (counter or storage).version  # (see grad_fn)
        elif _inference_blocks[0] and _state.inference:
            t._inference = True  # made in inference mode: an inference tensor
        return t

    # -- metadata -----------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return self._shape

    @property
    def device(self):
        return self._storage.device

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def dim(self) -> int:
        return len(self._shape)

    ndimension = dim

    def size(self, dim=None):
        return self._shape if dim is None else self._shape[_dim_of_shape(dim, self.ndim, "size")]

    def stride(self, dim=None):
        return self._strides if dim is None else self._strides[_dim_of_shape(dim, self.ndim, "stride")]

    def storage_offset(self) -> int:
        return self._offset

    def numel(self) -> int:
        return math.prod(self._shape)

    nelement = numel

    def element_size(self) -> int:
        return self.dtype.itemsize

    @property
    def itemsize(self) -> int:
        return self.dtype.itemsize

    @property
    def nbytes(self) -> int:
        return self.numel() * self.dtype.itemsize

    def is_contiguous(self, *args, memory_format=...) -> bool:
        if memory_format is ... and not args:  # (unset: torch's default, contiguous_format)
            return self._contiguous
        from .ops.memory_formats import is_contiguous_in, memory_format_arg, no_positional
        no_positional("is_contiguous", args)
        memory_format_arg("is_contiguous", memory_format, none_ok=False)
        return is_contiguous_in(self, memory_format)

    def is_floating_point(self) -> bool:
        return self.dtype.is_floating_point

    def is_complex(self) -> bool:
        return self.dtype.kind == "c"

    # a complex tensor's parts are views of it (ops/composite/complex_numbers.py); a real one's real is itself
    @property
    def real(self):
        if self.dtype.kind != "c":
            return self
        from .ops.composite.complex_numbers import real
        return real(self)

    @property
    def imag(self):
        from .ops.composite.complex_numbers import imag
        return imag(self)

    def conj(self):
        if self.dtype.kind != "c":
            return self
        from .ops.composite.complex_numbers import conj
        return conj(self)

    # (resolve_conj: ops/composite/complex_numbers.py)
    def resolve_neg(self):
        return self.clone() if self._lazy == "neg" else self

    def is_conj(self) -> bool:
        return self._lazy == "conj"

    def is_neg(self) -> bool:
        return self._lazy == "neg"

    def is_signed(self) -> bool:
        return self.dtype.is_signed

    @property
    def is_cuda(self) -> bool:
        from .cuda import is_mapped  # under --cuda-as webgpu, the WebGPU device is what cuda names
        return is_mapped() and self.device.type == "webgpu"

    # device kinds and layouts a dense pyfront tensor never has: device-agnostic code asks, the answer is
    # False (not is_cuda's property: under --cuda-as webgpu that is True, and a webgpu tensor was "sparse")
    @property
    def _never(self) -> bool:
        return False

    is_xpu = is_mps = is_sparse = is_sparse_csr = is_quantized = is_mkldnn = is_nested = _never

    @property
    def is_meta(self) -> bool:
        return self.device.type == "meta"

    @property
    def is_cpu(self) -> bool:
        return self.device.type == "cpu"

    @property
    def _version(self) -> int:
        if self._inference:
            raise RuntimeError("Inference tensors do not track version counter.")
        return self._vc.version

    @property
    def _vc(self):
        """What counts this tensor's in-place writes (its ``.version``), torch's version counter: its storage,
        shared by its views and ``detach()`` aliases, or a counter of its own where torch gives a tensor a
        new one over the same memory (``.data``) or keeps its own over new memory (``x.data = y``)."""
        return self._counter or self._storage

    def _is_view(self) -> bool:
        return self._base is not None

    def data_ptr(self) -> int:
        if self._storage.data is None and self.device.type == "meta":  # no memory: torch's null pointer
            return 0
        return id(memory_of(self._storage)) + self._offset * self.dtype.itemsize

    def untyped_storage(self):
        """The whole memory under this tensor as bytes, a ``torch.UntypedStorage`` (one object for every
        view of it while the caller holds it)."""
        from .storage import untyped
        return untyped(self._storage, self.dtype)

    def storage(self):
        """The whole storage as elements of this dtype, a ``TypedStorage`` (torch deprecates it for
        ``untyped_storage()`` and warns once)."""
        from .storage import TypedStorage, _warn_typed_storage_removal
        _warn_typed_storage_removal()
        return TypedStorage(wrap_storage=self.untyped_storage(), dtype=self.dtype, _internal=True)

    def is_set_to(self, tensor) -> bool:
        """Whether ``self`` and ``tensor`` are one memory seen the same way, as ``torch.Tensor.is_set_to``:
        one storage, offset, sizes and strides (a view of other strides, or a copy, is not)."""
        if not isinstance(tensor, Tensor):
            from .ops.argcheck import must_be
            raise must_be("is_set_to", "tensor", "Tensor", tensor, 1)
        return (self._storage is tensor._storage and self._offset == tensor._offset
                and self.shape == tensor.shape and self.stride() == tensor.stride())

    def share_memory_(self):
        """Move the storage into memory other processes map too, as ``torch.Tensor.share_memory_``: a forked
        child and, through ``torch.multiprocessing``, a spawned one see this tensor's writes and it theirs.
        Nothing happens for a storage already shared. A webgpu tensor raises RuntimeError: its memory
        lives in this process's GPU device (torch shares CUDA memory through IPC handles; WebGPU has none)."""
        if self.device.type != "cpu":
            raise RuntimeError(f"pyfront cannot share a {self.device.type} tensor's memory with other "
                               "processes (WebGPU has no inter-process memory handles); share a cpu tensor")
        from .backends import shared_memory
        shared_memory.share(self._storage)
        return self

    def is_shared(self) -> bool:
        """Whether the storage is in shared memory (``share_memory_``, or received from another process)."""
        from .backends import shared_memory
        return shared_memory.is_shared(self._storage)

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of a 0-d tensor")
        return self._shape[0]

    def __hash__(self) -> int:
        return id(self)

    # -- autograd fields ----------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        # PyTorch words this check three ways: attribute, requires_grad_(), factory argument
        self._set_requires_grad(flag, "only Tensors of floating point and complex dtype can require "
                                      "gradients")

    def requires_grad_(self, requires_grad: bool = True):
        if _state.transforms:  # torch.func transforms make their own inputs differentiable
            _refuse_in_transform("requires_grad_")
        return self._set_requires_grad(requires_grad,
                                       "only Tensors of floating point dtype can require gradients")

    def _set_requires_grad(self, requires_grad, dtype_message):
        if self._grad_fn is not None and not requires_grad:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If you "
                               "want to use a computed variable in a subgraph that doesn't require "
                               "differentiation use var_no_grad = var.detach().")
        if requires_grad and self.dtype.kind not in "fc":
            raise RuntimeError(dtype_message)
        if requires_grad and self._inference and not _state.inference:
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is not "
                               "allowed.")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad_fn(self):
        base = self._base
        # (a view of a view-leaf: a write since regenerates its history from the root base as torch's, an
        # AsStridedBackward0 whose gradient goes nowhere)
        if base is not None and (base._requires_grad or self._of_view_leaf):
            if self._creation in _GRADLESS and self._vc.version != self._made_at:
                # written in place since this view was made without a graph (by it, its base or another view):
                # whether that write belongs in its history is ambiguous, so torch refuses its history
                raise RuntimeError(_gradless_view_error(
                    self, "its base or another view of its base has been modified inplace"))
            if base._grad_fn is not self._view_of_fn or self._vc.version != self._view_at:
                if self._creation is not None and self._creation not in _GRADLESS and \
                        self._vc.version != self._view_at:
                    # a view of a function that returns several (split, chunk, unbind) gets no new history
                    raise RuntimeError(_multi_view_error(
                        self, "its base or another view of its base has been modified inplace"))
                self._regenerate_view_fn()
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self):
        if self._grad is None and not self._retains_grad and not self.is_leaf:
            _warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
                "attribute won't be populated during autograd.backward(). If you indeed want the .grad field "
                "to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you "
                "access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information.")
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if type(value) is not Tensor:  # (the engine sets one per leaf per backward: no import for it)
                from .ops import sparse_seam  # a sparse COO gradient of the same size is taken, as torch's
                if not isinstance(value, (Tensor, *sparse_seam.TYPES)):
                    raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                    f"{type(value).__name__}")
            # torch's order: dtype, device, then size
            if value.dtype is not self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{_dt.cpp_name(value.dtype)}' to a tensor "
                    f"with grad_dtype '{_kind_name(self.dtype)}'. The gradient must match the tensor's "
                    "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype "
                    "attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with "
                    "caution. Diverging the dtypes of a tensor and its gradient may break downstream "
                    "systems that assume they match.")
            if value.device != self.device:
                raise RuntimeError(f"attempting to assign a gradient with device type '{value.device.type}' "
                                   f"to a tensor with device type '{self.device.type}'")
            if value.shape != self.shape:
                raise RuntimeError(f"attempting to assign a gradient of size '{list(value.shape)}' to a "
                                   f"tensor of size '{list(self.shape)}'. Please ensure that the gradient "
                                   "and the tensor are the same size")
        self._grad = value

    @property
    def output_nr(self) -> int:
        return self._output_nr

    def _edge(self):
        if not self._requires_grad:
            return (None, 0)
        fn = self._grad_fn if self._base is None else self.grad_fn  # (the property's checks: views only)
        if fn is not None:
            return (fn, self._output_nr)
        if self._creation in _GRADLESS:  # a view made without a graph: torch accumulates its gradient nowhere
            return (None, 0)
        if self._accum is None:
            self._accum = AccumulateGrad(self)
        return (self._accum, 0)

    def retain_grad(self) -> None:
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None and not self._retains_grad:
            import weakref
            self.grad_fn._own("_retain", {})[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad and self.grad_fn is not None

    def register_hook(self, hook):
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one."""
        from .autograd.handles import add_hook
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        fn = self.grad_fn
        if fn is None:
            return add_hook(self.__dict__.setdefault("_hooks", OrderedDict()), hook)
        return add_hook(fn._own("_pre_hooks", OrderedDict()), (self._output_nr, hook))

    def register_post_accumulate_grad_hook(self, hook):
        from .autograd.handles import add_hook
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        return add_hook(self.__dict__.setdefault("_post_accumulate_hooks", OrderedDict()), hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``, as ``torch.Tensor.backward``."""
        if _state.transforms:
            _refuse_in_transform("backward")
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -- views and aliases --------------------------------------------------------------------
    def _view(self, shape, strides, offset):
        # only a zero stride (expand, broadcast_to) lets a view hold more elements than its storage
        if 0 in strides and math.prod(shape) >= 2**63:
            raise RuntimeError("numel: integer multiplication overflow")
        base = self if self._base is None else self._base
        t = Tensor._make(self._storage, shape, self.dtype, strides, offset, base)
        self._storage.share(self, t)
        if base is not self and self._requires_grad and (self._of_view_leaf or self._grad_fn is None) and \
                not base._requires_grad and _state.enabled:  # (made without a graph: no view for autograd)
            t._of_view_leaf = True
        if self._batched:
            t._batched = self._batched
        counter = self._counter
        if counter is not None and counter is not base._counter:  # (a view of view_as_real's: its base's)
            t._counter, t._view_at = counter, counter.version
        if self._lazy is not None:  # a view of a conj view shows the conjugate too
            from .ops.lazy_bits import mark
            mark(t, self._lazy)
        creation = self._creation  # views of such a view inherit it (output i of unbind: 0)
        if creation is not None and creation not in _GRADLESS:
            creation = 0
        if base._requires_grad and (_state.inference or not _state.enabled) and creation != "inference":
            creation = "inference" if _state.inference else "no_grad"
        if creation is not None:
            t._creation = creation
            if creation in _GRADLESS and base._requires_grad:
                # torch's view made without a graph still requires grad (its base does) and is a leaf whose
                # gradient goes nowhere (_edge); the version it was made at shows a later write (grad_fn)
                t._requires_grad, t._made_at = True, self._vc.version
        return t

    def _alias(self):
        """Same memory and version counter, no autograd history (what detach() returns)."""
        base = self._base._alias() if self._base is not None else None
        t = Tensor._make(self._storage, self._shape, self.dtype, self._strides, self._offset, base)
        t._inference = self._inference  # an alias is what its tensor is, whatever the mode
        t._batched = self._batched
        if self._counter is not None:
            t._counter = self._counter
        if self._lazy is not None:
            from .ops.lazy_bits import mark
            mark(t, self._lazy)
        self._storage.share(self, t)
        return t

    def _reattach(self, node, output_nr):
        """An alias that stands for output ``output_nr`` of ``node`` (saved outputs in backward)."""
        t = self._alias()
        t._grad_fn, t._output_nr, t._requires_grad = node, output_nr, True
        return t

    def _regenerate_view_fn(self):
        # the base was changed in place after this view was taken: the view now reads the new
        # base, so its history is "as_strided of the base", as PyTorch regenerates it
        from .ops.views import as_strided_record
        as_strided_record(self)

    def is_inference(self) -> bool:
        """Whether this tensor was made in inference mode (or is a view of one), as
        ``Tensor.is_inference``."""
        return self._inference

    def detach(self):
        """A tensor sharing this one's memory and version counter, cut from the graph (no view, as torch)."""
        t = self._alias()
        t._base = None
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are using "
                               "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is "
                               "set as True, gradients are views of DDP buckets, and hence detach_() cannot "
                               "be called on these gradients. To fix this error, please refer to the "
                               "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        if self._grad_fn is not None:
            from .autograd.graph import SEQUENCE
            self._detached_at = SEQUENCE[0]
        self._grad_fn, self._requires_grad = None, False
        return self

    @property
    def data(self):
        """This tensor's memory without its history, with a version counter of its own (torch's: a write
        through ``.data`` fails no backward that saved this tensor)."""
        t = self._alias()
        t._base, t._counter = None, VersionCounter()
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        if self._counter is None:  # it keeps counting its writes as before, not as ``value`` counts
            old = self._storage
            self._counter = VersionCounter(old.version)
            # with the views and aliases taken of it before, which count with it still, as torch's share its
            # counter (what has its own keeps that)
            for t in old._live() if old.sharers else ():
                if t._counter is None and t is not self:
                    t._counter = self._counter
        self._storage, self._shape, self._strides = value._storage, value._shape, value._strides
        self._contiguous, self._odd = value._contiguous, value._odd
        self._offset, self.dtype, self._base = value._offset, value.dtype, value._base
        from .ops.lazy_bits import mark, raw_layout
        self.__dict__.pop("_raw", None)
        self.__dict__.pop("_lazy", None)
        self._layout, self._inference = raw_layout(value), value._inference
        if value._lazy is not None:
            mark(self, value._lazy)
        self._storage.share(value, self)

    def _set_storage(self, storage):
        """Read ``storage`` from now on (same shape, strides, offset and dtype)."""
        self._storage = storage
        key = "_raw" if self._lazy else "_layout"
        _, shape, strides, offset, dtype, contiguous, _ = getattr(self, key)
        setattr(self, key, tuple.__new__(Layout, (storage, shape, strides, offset, dtype, contiguous,
                                                  contiguous and is_whole(storage, shape, offset, dtype))))

    # -- in-place updates ---------------------------------------------------------------------
    def _assign(self, new, since=None, overlap_ok=False, vmap_name="inplace arithmetic", operands=()):
        """Make ``self`` hold ``new`` (same shape) in its own memory, and take over its history.

        Every in-place op is its out-of-place twin followed by this (but where ops/methods.py computes
        an elementwise op into self's memory, nothing recorded), so autograd sees the functional program:
        a view's base gets a node that writes the view's region.
        ``since``: the node sequence number before the out-of-place op ran (see ``_keep_saved_copies``).
        ``overlap_ok``: the few writes torch lets into a tensor with internal overlap (fill_ with a
        number, zero_, masked_fill_, index_fill_, index_put_); every other one is refused
        (``_check_no_overlap``). ``vmap_name``: the op as torch's refusal inside vmap names it (None: a
        shape error), where ``new`` is one value per sample and ``self`` is not (vmap runs sample by sample:
        each would write it; see vmap_inplace_error). ``operands``: the op's other arguments (see
        ``_operands_apart``), whose saved values are not replaced by copies.
        """
        if self._inference and not _state.inference:
            raise_inplace_on_inference()
        if new._batched & ~self._batched:
            raise RuntimeError(vmap_inplace_error(self, new, vmap_name))
        record = _state.enabled and (new._requires_grad or self._requires_grad or
                                        (self._base is not None and self._base._requires_grad))
        if record:  # autograd's checks come before the kernel's (overlap, shape), as torch's
            self._check_inplace_allowed()
        if not overlap_ok and 0 in self._strides:
            self._check_no_overlap()
        if new._shape != self._shape:
            from .shape import broadcast_shapes
            # self is torch's tensor a (copy_'s broadcast error names its size first)
            if broadcast_shapes(self._shape, new.shape) != tuple(self._shape):
                raise RuntimeError(f"output with shape {list(self._shape)} doesn't match the broadcast "
                                   f"shape {list(broadcast_shapes(self._shape, new.shape))}")
        if new.dtype is not self.dtype and not _castable(new.dtype, self.dtype):
            raise RuntimeError(f"result type {_kind_name(new.dtype)} can't be cast to the desired "
                               f"output type {_kind_name(self.dtype)}")
        if record:
            self._keep_saved_copies(new.grad_fn, since, operands)
        src = new
        # devices by identity first (each backend keeps one device object): device == is Python-level
        if (src._storage.device is not self._storage.device and src.device != self.device
                or src.dtype is not self.dtype):
            with _no_grad():  # the values only: the history is recorded from ``new`` below
                src = src.to(self.device, self.dtype)
        if self._lazy is not None:  # a conj or neg view: its memory takes the transform of the values
            from .ops.lazy_bits import write_through
            write_through(self, src)
        elif since is not None and self._can_take_storage(src):
            # nothing else can see either buffer: no copy needed. Both read the whole of one size the same
            # way (_can_take_storage). Self's Storage stays (its data_ptr, as torch's in-place ops keep it)
            # and holds src's memory from now on
            self._storage.data = src._storage.data
        else:
            get_backend(self.device).write(self._layout, src._layout)
        self._vc.version += 1
        if record:
            from .ops.views import record_view_write
            self._save_output_as_self(new)
            if self._base is None:
                if new.shape != self._shape or new.dtype is not self.dtype:
                    new = new.expand(self._shape).to(self.dtype)
                self._grad_fn, self._output_nr = new.grad_fn, new._output_nr
                self._requires_grad = new._requires_grad
            else:
                record_view_write(self, new)
        if _dual.ON[0]:  # forward AD: self's tangent is now new's
            _dual.after_write(self, new)
        return self

    def _can_take_storage(self, new) -> bool:
        """Whether ``self`` may adopt ``new``'s memory instead of copying it in: both are whole,
        contiguous and alike, and each tensor is the only one that can see its memory (no view,
        alias, Parameter, saved output, NumPy array or user holds it: ``Storage.alone``), so no
        one could tell the difference. Saves a kernel per in-place op.

        Only a caller that passes ``since`` to ``_assign`` has ``new`` fresh from the op it just
        ran; ``copy_(src)`` may be handed ``src`` itself, which its owner still reads."""
        mine, theirs = self._storage, new._storage
        return (mine is not theirs and self._base is None and new._base is None and self._offset == 0
                and new._offset == 0 and new._shape == self._shape and self._contiguous
                and new._contiguous and mine.nbytes == theirs.nbytes and not new._wrapped_number
                and mine.alone(self) and theirs.alone(new))

    def _save_output_as_self(self, new):
        """An op that saved its output (relu_, exp_, sigmoid_, ...) saved ``new``, whose values now live in
        ``self``: it keeps ``self`` (at its version now) instead, so a later in-place write into ``self``
        fails its backward as torch's does ("output 0 of Relu, is at version 2") where ``new``'s own
        untouched copy would have passed it silently."""
        if new._shape != self._shape or new.dtype is not self.dtype:
            return  # a broadcast or cast write: self does not hold new's values as saved
        fn = new.grad_fn
        for s in (*(getattr(fn, "saved", None) or ()), *torch_saved_tensors(fn)):
            if s is not None and s.is_output and s.tensor is not None and s.tensor._storage is new._storage:
                s.tensor, s.version = self._alias(), self._vc.version

    def _keep_saved_copies(self, fn, since, operands=()):
        """The nodes this in-place op recorded (numbered after ``since``) may have saved ``self``,
        which is about to be overwritten: they get a copy of its current value instead, as
        PyTorch saves "original self" for in-place ops. The tensors among ``operands`` stay saved as they
        are: where one shares ``self``'s memory (``b.mul_(b)``, ``x[0].mul_(x[1])``), the write fails its
        backward, as torch's."""
        copy, stack, seen = [], [fn], set()
        operands = {id(t) for t in operands if isinstance(t, Tensor) and t._storage is self._storage}

        def current_value():
            if not copy:
                copy.append(self.clone().detach())
            return copy[0]
        while stack:
            node = stack.pop()
            if node is None or node in seen or not hasattr(node, "replace_saved"):
                continue
            seen.add(node)
            node.replace_saved(self._storage, current_value, operands)
            if node.torch_saved:  # what it keeps as torch's one node (graph.present_as): the original too
                replace_saved(torch_saved_tensors(node), self._storage, current_value, operands)
            if since is not None:
                stack.extend(n for n, _ in node.edges if n is not None and n._seq > since)
        if copy and fn is not None:  # what a composite's node shows as torch's saved input (graph.present_as)
            fn.written_from = copy[0]

    def _operands_apart(self, args):
        """``args`` of an in-place op on ``self``, with ``self`` itself (where it is an operand too)
        replaced by a twin: the same memory, version counter and history in another object, so that
        ``_assign`` tells the written tensor, whose saved value it copies, from the operand, which stays
        saved as it is (torch's ``b.mul_(b)`` fails its backward). Returns (args, twin or None); the caller
        gives the twin self's new history after the write (``_follow``), so that the error names the op
        that wrote it."""
        if not any(a is self for a in args):
            return args, None
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        self._storage.share(self, twin)
        return tuple(twin if a is self else a for a in args), twin

    def _follow(self, written):
        """A twin (``_operands_apart``) takes the history ``written`` has after the in-place write."""
        self._grad_fn, self._output_nr, self._requires_grad = written._grad_fn, written._output_nr, \
            written._requires_grad

    def _check_no_overlap(self):
        """torch's ``assert_no_internal_overlap``: a write into a tensor where two elements share one
        memory location (a stride 0 on a dimension longer than 1, as ``expand`` makes) is refused,
        since its result would depend on the order the elements are written in."""
        if self._overlaps():
            raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers "
                               "to a single memory location. Please clone() the tensor before performing the "
                               "operation.")

    def _check_no_partial_overlap(self, inputs, full: bool = False) -> None:
        """torch's ``assert_no_partial_overlap`` between this written-to tensor and each Tensor in
        ``inputs`` (lists and tuples of them searched too); ``full``: its ``assert_no_overlap``, which
        also refuses the very same memory (index_select, gather, cat, take). A write whose result would
        depend on the order its elements are read and written is refused; the same view written in
        place (``a.add_(a)``) is not."""
        for x in inputs:
            if isinstance(x, (list, tuple)):
                self._check_no_partial_overlap(x, full)
            elif isinstance(x, Tensor) and x._storage is self._storage:
                status = _overlap_status(self, x)
                if status == "partial" or full and status == "full":
                    raise RuntimeError("unsupported operation: some elements of the input tensor and the "
                                       "written-to tensor refer to a single memory location. Please clone() "
                                       "the tensor before performing the operation.")

    def _overlaps(self) -> bool:
        return 0 in self._strides and 0 not in self._shape and any(
            st == 0 and n > 1 for n, st in zip(self._shape, self._strides))

    def _warn_expanded(self, op: str, example: str) -> None:
        """torch's warning for the writes it still lets into a tensor with internal overlap."""
        if self._overlaps():
            _warnings.warn(f"Use of {op} on expanded tensors is deprecated. Please clone() the tensor "
                           "before performing this operation. This also applies to advanced indexing e.g. "
                           f"{example}")

    def _check_autograd_first(self):
        """torch's autograd checks of an in-place op's self (a leaf, or a view of one, that requires grad),
        made before its kernel checks the arguments (a shape, a range, an index out of bounds)."""
        if self._requires_grad and _state.enabled and (self._grad_fn is None or self._base is not None):
            self._check_inplace_allowed()

    def _check_inplace_allowed(self):
        if self._creation in _GRADLESS:
            raise RuntimeError(_gradless_view_error(self, "is being modified inplace"))
        if self._creation is not None:
            raise RuntimeError(_multi_view_error(self, "is being modified inplace"))
        if self._base is None and self._requires_grad and self._grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")
        base = self._base
        # (torch asks whether the view requires grad and its root base is a leaf: a view-leaf's or its views'
        # base need not require grad)
        if base is not None and base._grad_fn is None and (base._requires_grad or self._requires_grad and (
                self._of_view_leaf or self._grad_fn is None)):
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")

    # -- conversions --------------------------------------------------------------------------
    def item(self):
        if self._batched:
            _refuse_in_transform("item")
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        # its one element sits at the offset, whatever the shape: read it as a 0-d layout (the layout's own
        # offset: a lazy view's is that of its values, made for the read)
        layout = self._layout
        backend = get_backend(self.device)
        if backend.name == "meta":
            raise RuntimeError("Tensor.item() cannot be called on meta tensors")
        return backend.to_list(layout.view((), (), layout.offset))

    def tolist(self):
        if self._batched:
            _refuse_in_transform("tolist")
        return get_backend(self.device).to_list(self._layout)

    async def tolist_async(self):
        """``tolist()`` that awaits the GPU instead of blocking (the browser's twin)."""
        return await get_backend(self.device).to_list_async(self._layout)

    async def item_async(self):
        """``item()`` that awaits the GPU instead of blocking (the browser's twin)."""
        if self.numel() != 1:
            raise RuntimeError(f"a Tensor with {self.numel()} elements cannot be converted to Scalar")
        return await self.reshape(()).tolist_async()

    def _refuse_numpy_with_grad(self) -> None:
        """torch's numpy() refuses a tensor that requires grad only where grad mode is on."""
        if self._requires_grad and is_grad_enabled():
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")

    def numpy(self, *, force: bool = False):
        # torch's order: the device, then grad (only where grad mode is on: under no_grad it reads)
        if self.device.type != "cpu":
            if not force:
                raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use "
                                "Tensor.cpu() to copy the tensor to host memory first.")
            return self.detach().cpu().numpy()
        if not force:
            self._refuse_numpy_with_grad()
        if self._lazy is not None:
            if force:
                return self.resolve_conj().resolve_neg().numpy()
            bit, way = ("conjugate", "conj") if self._lazy == "conj" else ("negative", "neg")
            raise RuntimeError(f"Can't call numpy() on Tensor that has {bit} bit set. Use "
                               f"tensor.resolve_{way}().numpy() instead.")
        if self.dtype is _dt.bfloat16 or self.dtype in _dt.FLOAT8:  # not NumPy's own: torch gives no array
            raise TypeError(f"Got unsupported ScalarType {_dt.scalar_name(self.dtype)}")
        self._storage.exported = True  # the array (and any view NumPy makes of it) shares the memory
        return get_backend(self.device).array(self._layout)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """A NumPy operator's result on a Tensor operand (``t + np.array([1, 2])``) as a cpu Tensor,
        torch's ``from_numpy`` of it, a bool array as uint8 as in torch."""
        from .ops.creation import from_numpy
        return from_numpy(array.astype("uint8") if array.dtype == bool else array)

    def __array__(self, dtype=None):
        """The array NumPy's ``np.asarray(t)`` reads: ``numpy()``'s, as torch's (its memory with its strides,
        shared; its refusals: one off the cpu, one that requires grad where grad mode is on, a conj or neg
        view), converted only where ``dtype`` differs. It takes no ``copy`` keyword, as
        torch's: NumPy copies for ``np.array(t)`` and refuses ``copy=False``."""
        arr = self.numpy()
        return arr if dtype is None else arr.astype(dtype, copy=False)

    def __bool__(self) -> bool:
        if self._batched:
            _refuse_in_transform("bool")
        if self.numel() != 1:
            many = "more than one value" if self.numel() else "no values"
            raise RuntimeError(f"Boolean value of Tensor with {many} is ambiguous")
        return bool(self.item())

    def _python_scalar(self):
        if self._batched:  # float(t), int(t): torch's item() refusal
            _refuse_in_transform("item", 3)
        if self.numel() != 1:  # torch's Python-number protocol raises ValueError, unlike item()
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self.item()

    def __float__(self) -> float:
        self._warn_scalar_of_graph()
        value = self._python_scalar()
        return float(_complex_real(value, "double") if type(value) is complex else value)

    def _warn_scalar_of_graph(self) -> None:
        """torch 2.13's float() and complex() (not int(), item()) of a tensor that requires grad, with grad
        mode on (LBFGS's float(loss) under no_grad is quiet): a warning, once in the process, before any
        conversion error."""
        if self.requires_grad and is_grad_enabled():
            _warnings.warn_once(_SCALAR_OF_GRAPH)

    def __int__(self) -> int:
        value = self._python_scalar()
        if type(value) is complex:
            real = _complex_real(value, "int64_t")
            if not -2 ** 63 <= real < 2 ** 63:  # (NaN too)
                raise RuntimeError("value cannot be converted to type int64_t without overflow")
            return int(real)
        return int(value)

    def __index__(self) -> int:
        if self.dtype.is_floating_point or self.dtype.is_complex or self.numel() != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def __complex__(self):
        self._warn_scalar_of_graph()
        return complex(self._python_scalar())

    def __format__(self, spec):
        # torch formats the number of a plain 0-d tensor that has one; anything else (a meta tensor, a
        # Parameter or other subclass) is formatted as an object: its repr, or a TypeError for a spec
        if self.dim() == 0 and type(self) is Tensor and self.device.type != "meta":
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __iter__(self):
        if self.dim() == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __reduce_ex__(self, proto):
        # plain pickle (DataLoader workers, multiprocessing queues) carries what torch's does: the whole
        # storage (each tensor its own: pickle's memo knows tensors, not storages) read with this tensor's
        # shape, strides and offset, its conj (or neg) bit, requires_grad, the attributes and the device;
        # a leaf of the same class, without its grad
        from .ops.lazy_bits import raw_layout
        from .serialization.tables import own_state
        from .storage import elements
        if self.device.type == "meta":  # no memory to carry: torch's pickle keeps the dtype and the geometry
            return _rebuild_meta, (type(self), self.dtype.name, tuple(self._shape), tuple(self._strides),
                                   self._requires_grad, own_state(self) or None)
        storage, dtype = raw_layout(self).storage, self.dtype
        raw = get_backend(self.device).to_bytes(dense(storage, (elements(storage, dtype),), dtype))
        return _rebuild_from_bytes, (type(self), raw, dtype.name, tuple(self._shape), self._requires_grad,
                                     str(self.device), self._lazy, tuple(self._strides), self._offset,
                                     own_state(self) or None)

    def __copy__(self):
        # torch's copy.copy rebuilds its pickle's parts without copying them: a new leaf over the same memory
        # (as ``.data``: strides, offset, bit, a version counter of its own), requires_grad and the user's
        # attributes (the same objects) kept, no grad
        from .serialization.tables import own_state
        new = Tensor.data.fget(self)
        new.__class__ = type(self)
        new._requires_grad = self._requires_grad
        new.__dict__.update(own_state(self))
        return new

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the "
                               "deepcopy protocol at the moment.  If you were attempting to deepcopy "
                               "a module, this may be because of a torch.nn.utils.weight_norm usage, "
                               "see https://github.com/pytorch/pytorch/pull/103001")
        if id(self) in memo:
            return memo[id(self)]
        # as torch's: the memory copied once per deepcopy (views of one storage, and views of its bits as
        # another dtype, still share the copy), read with this tensor's strides and offset; a conj (or neg)
        # view's copy holds its values, without the bit
        from copy import deepcopy
        from .ops.lazy_bits import raw_layout
        from .serialization.tables import own_state
        storage, dtype = raw_layout(self).storage, self.dtype
        copies = memo.setdefault("pyfront.storages", {})  # id -> (storage, its copy): the pair keeps the id
        if self.device.type == "meta":  # no storage to share: torch clones each (a view's gaps close up)
            with _no_grad():
                new = self.clone()
        else:
            from .backends.storage import memory_of
            memory = memory_of(storage)
            if id(memory) not in copies:  # (the memory kept in the entry, so its id is not reused)
                from .storage import elements
                with _no_grad():
                    whole = Tensor._make(storage, (elements(storage, dtype),), dtype).clone()
                copies[id(memory)] = memory, whole._storage, dtype
            _, fresh, copied_as = copies[id(memory)]
            if copied_as is not dtype:
                from .ops.bit_views import reinterpreted_storage
                fresh = reinterpreted_storage(fresh, copied_as, dtype)
            new = Tensor._make(fresh, self._shape, dtype, self._strides, self._offset)
            fresh.share(new)
        if self._lazy is not None:
            with _no_grad():
                new = new.conj_physical() if self._lazy == "conj" else new.neg()
        new.__class__ = self.__class__
        new._requires_grad = self._requires_grad
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        new.__dict__.update(deepcopy(own_state(self), memo))
        memo[id(self)] = new
        return new

class VersionCounter:
    """A tensor's own count of in-place writes, where it is not its storage's (Tensor._vc)."""

    __slots__ = ("version",)

    def __init__(self, version: int = 0):
        self.version = version


def vmap_inplace_error(self, new, name) -> str:
    """torch's refusal of an in-place op inside vmap that writes ``new``, batched at a level ``self`` is not:
    ``name`` as torch's batching rule names the op ("aten::clamp_" where torch falls back to a loop, which
    names the level: the transforms running, vmap's and the others'). None: a rule that broadcasts the
    operands with their batch dimensions in front (add_, the bitwise ops), whose kernel then finds the
    broadcast shape larger than an unbatched ``self``."""
    if name is None and not self._batched:
        sizes = [n for i, n in enumerate(_state.vmap_sizes) if new._batched >> i & 1]
        return (f"output with shape {list(self._shape)} doesn't match the broadcast shape "
                f"{sizes + list(new.shape)}")
    name = name or "inplace arithmetic"  # a self batched at other levels: not worked out (see the tests)
    where = f"at level {_state.transforms}" if name.startswith("aten::") else "in a vmap"
    return (f"vmap: {name}(self, *extra_args) is not possible because there exists a Tensor `other` in "
            "extra_args that has more elements than `self`. This happened due to `other` being vmapped "
            f"over but `self` not being vmapped over {where}. Please try to use out-of-place operators "
            f"instead of {name}. If said operator is being called inside the PyTorch framework, please file "
            "a bug report instead.")


def raise_inplace_on_inference():
    """PyTorch's error for a write into an inference tensor outside inference mode (every in-place
    op, ``out=``, ``resize_``)."""
    raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not allowed.You can make "
                       "a clone to get a normal tensor before doing inplace update.See "
                       "https://github.com/pytorch/rfcs/pull/17 for more details.")


def _fresh(storage, size, dtype):
    """A contiguous tensor over the whole of ``storage``, ``size`` a Size: ``Tensor._make``'s commonest
    case (an elementwise op's output) without its branches, as this runs for every op."""
    t = _new(Tensor)
    t._storage = storage
    t._shape = size
    strides = _STRIDES.get(size)  # None where not yet cached (a 0-d result's () is cached and falsy)
    t._strides = strides = contiguous_strides(size) if strides is None else strides
    t.dtype = dtype  # _offset and _contiguous: the class's (0, True)
    t._layout = _new_layout(Layout, (storage, size, strides, 0, dtype, True, True))
    if _inference_blocks[0] and _state.inference:
        t._inference = True
    return t


def _fresh_laid(storage, size, dtype, strides, contiguous):
    """``_fresh`` with ``strides`` other than the row-major ones (``contiguous``: whether they are contiguous
    all the same, a size-1 dim's odd stride aside): an elementwise result laid out as its inputs."""
    t = _new(Tensor)
    t._storage = storage
    t._shape = size
    t._strides = strides
    t.dtype = dtype
    t._contiguous, t._odd = contiguous, True
    t._layout = _new_layout(Layout, (storage, size, strides, 0, dtype, contiguous,
                                     contiguous and is_whole(storage, size, 0, dtype)))
    if _inference_blocks[0] and _state.inference:
        t._inference = True
    return t


_new, _new_layout = object.__new__, tuple.__new__
_GRADLESS = ("no_grad", "inference")  # the creations of views made without a graph


def _multi_view_error(t, what: str) -> str:
    """torch's refusal of ``t``, an output of a function that returns several views (or a view of one), that
    ``what`` (is written in place, or whose base was: its history cannot be made again)."""
    fn = t._grad_fn
    op = fn.name().removesuffix("Backward0") if fn is not None else "a view"
    return (f"Output {t._creation} of {op} is a view and {what}. This view is the output of a function that "
            "returns multiple views. Such functions do not allow the output views to be modified inplace. "
            "You should replace the inplace operation by an out-of-place one.")


def _gradless_view_error(t, what: str) -> str:
    """torch's refusal of ``t``, a view made in no_grad or inference mode (or a view of one, made with a
    graph: its node is named), that is or was written in place."""
    inference = t._creation == "inference"
    fn = t._grad_fn
    nr = getattr(t, "_output_i", t._output_nr)
    prefix = "A view was" if fn is None else (
        f"Output {nr} of {fn.name().removesuffix('Backward0')} is a view of a view which was")
    mode, block = ("inference mode", "inference_mode") if inference else ("no_grad mode", "no_grad")
    normal = "in normal mode" if inference else "with grad mode enabled"
    return (f"{prefix} created in {mode} and {what} {normal}. Given that this use case is ambiguous and "
            "error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace "
            f"either both inside the {block} block (if you don't want the inplace to be tracked) or both "
            "outside (if you want the inplace to be tracked).")



def _rebuild_from_bytes(cls, raw, dtype_name, shape, requires_grad, location="cpu", bit=None, strides=None,
                        offset=0, state=None):
    """The other half of ``Tensor.__reduce_ex__``: a tensor read from a storage of ``raw`` bytes with
    ``strides`` and ``offset`` (None: the bytes are its values, as older pyfront pickled them), on the device
    it was pickled from where this process has it (``load``'s rule for a file's tensors)."""
    from .device import CPU
    from .serialization import restore_device
    dtype = _dt._BY_NAME[dtype_name]
    storage = get_backend(CPU).from_bytes(raw, dtype)
    device = restore_device(location)
    if device != CPU:  # the whole storage goes over
        whole = shape if strides is None else (len(raw) // dtype.itemsize,)
        storage = cls._make(storage, whole, dtype).to(device)._storage
    t = cls._make(storage, shape, dtype, strides, offset)
    t._requires_grad = requires_grad
    if bit in ("conj", "neg"):  # its memory holds a conj (or neg) view's: the bit makes the values
        from .ops.lazy_bits import mark
        mark(t, bit)
    if state:
        t.__dict__.update(state)
    return t


def _rebuild_meta(cls, dtype_name, shape, strides, requires_grad, state):
    """The other half of ``Tensor.__reduce_ex__`` for a meta tensor: a new one of that geometry, at offset 0
    (torch's drops a view's offset too)."""
    from .ops.factories import empty_strided
    t = empty_strided(shape, strides, dtype=_dt._BY_NAME[dtype_name], device="meta")
    if cls is not Tensor:
        t.__class__ = cls
    t._requires_grad = requires_grad
    if state:
        t.__dict__.update(state)
    return t


def _dim_of_shape(dim, ndim, name) -> int:
    """``size(dim)`` and ``stride(dim)`` do not treat a 0-d tensor as 1-d, unlike the ops; a dim that is not
    an int (a bool included) raises torch's parser's TypeError."""
    if not reads_as_int(dim):
        from .ops.argcheck import must_be
        raise must_be(name, "dim", "int", dim, 1)
    dim = dim.__index__()
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return normalize_dim(dim, ndim)


def _dense(t: Tensor) -> bool:
    """torch's ``is_non_overlapping_and_dense``: the elements fill a block of memory, each once, in
    some order of the dimensions (size-1 dimensions' strides do not matter)."""
    dims = sorted((st, n) for n, st in zip(t._shape, t._strides) if n != 1)
    want = 1
    for st, n in dims:
        if n == 0:
            return True
        if st != want:
            return False
        want *= n
    return True


def _overlap_status(a: Tensor, b: Tensor) -> str | None:
    """torch's ``get_overlap_status`` for two tensors on one storage: "full" (the same elements in
    the same places), "partial", or None (apart, or too hard to tell: either not dense, as an
    expanded or strided view, which torch then lets through)."""
    if a is b:
        return "full"
    if not a.numel() or not b.numel() or not _dense(a) or not _dense(b):
        return None
    a0, b0 = a._offset * a.dtype.itemsize, b._offset * b.dtype.itemsize
    a1, b1 = a0 + a.numel() * a.dtype.itemsize, b0 + b.numel() * b.dtype.itemsize
    if (a0, a1) == (b0, b1):
        return "full" if tuple(a._strides) == tuple(b._strides) else "partial"
    return "partial" if a0 < b1 and b0 < a1 else None


_castable = _dt.can_cast  # the name its importers here and in nn, _sparse_math know it by


_kind_name = _dt.scalar_name  # the name its importers here and in ops (methods, creation) know it by

# the autograd package, bound once, not per backward() (a package's function-level ``from`` import runs
# importlib's Python); it is still being made while this module is, so its ``backward`` is read at the call
from . import autograd as _autograd  # noqa: E402


__all__ = ["Tensor", "_dt"]

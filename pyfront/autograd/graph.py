"""Graph nodes: one per recorded op, plus AccumulateGrad for leaves."""
from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict
from types import MappingProxyType

from ..dtypes import HALVES
from .anomaly_mode import _STATE as _ANOMALY, forward_stack
from .grad_mode import _state as _grad_state
from .grad_mode import no_grad
from .handles import add_hook
from .saved_hooks import OPEN as _HOOKS_OPEN, current_hooks
from .saved_hooks import disable_saved_tensors_hooks, save_on_cpu, saved_tensors_hooks
from .saved_names import install as install_saved_properties

_FREED = ("Trying to backward through the graph a second time (or directly access saved tensors "
          "after they have already been freed). Saved intermediate values of the graph are freed "
          "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
          "backward through the graph a second time or if you need to access saved tensors after "
          "calling backward.")


# the dtypes torch's message names by a legacy Tensor class (torch.FloatTensor); the others (bool, bfloat16,
# complex, ...) by their type, CPUBoolType
_LEGACY_NAMED = frozenset("uint8 int8 int16 int32 int64 float16 float32 float64".split())


def _describe(t) -> str:
    if t.dtype.name not in _LEGACY_NAMED:
        from ..dtypes import scalar_name
        return f"[CPU{scalar_name(t.dtype)}Type {list(t.shape)}]"
    return f"[torch.{t.dtype._legacy_name} {list(t.shape)}]"


_SAVED_INFERENCE = ("Inference tensors cannot be saved for backward. Please do not use Tensors created in "
                    "inference mode in computation tracked by autograd. To work around this, you can make "
                    "a clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` "
                    "instead of `torch.inference_mode()`.")


def saved_as_torch(*tensors, by=None):
    """Refuse an inference tensor among ``tensors`` where torch's one kernel saves them for backward: when
    grad mode is on and one of ``by`` (Default: ``tensors``) requires grad. For composites whose own steps
    save other tensors than that kernel does (mse_loss saves its input and target, pyfront's steps their
    difference): SavedTensor refuses what pyfront itself saves. None entries are skipped."""
    if _grad_state.enabled and any(t is not None and t._requires_grad for t in (by or tensors)):
        if any(t is not None and t._inference for t in tensors):
            raise RuntimeError(_SAVED_INFERENCE)


def saved_crosswise(a, b):
    """``saved_as_torch`` for a product's two operands: torch's kernel saves each for the other's gradient
    (mm, bmm, mv, addmm's mat1 and mat2, outer, ...), before its own argument checks. Runs per product: no
    generator, and no error of its own for an operand that is not a tensor (the op's own checks say)."""
    if _grad_state.enabled and (getattr(a, "_inference", False) and getattr(b, "_requires_grad", False)
                                or getattr(b, "_inference", False) and getattr(a, "_requires_grad", False)):
        raise RuntimeError(_SAVED_INFERENCE)


def saved_as_given(product, *pairs) -> None:
    """``product``'s node (a primitive run inside a composite) reads each ``(view, source, remake)``'s
    ``source`` at backward time, as ``remake(source)``, where it saved ``view``, a view of ``source`` that
    only pyfront's composite made: torch's one op (mv, dot) saves its operand itself, so its backward sees
    what ``source.data = ...`` put there after the forward (a power iteration's ``v.data`` in spectral
    norm), while a view taken before keeps the old memory. Saved under saved_tensors_hooks: left as is."""
    node = product._grad_fn
    for k, s in enumerate(getattr(node, "saved", ())):
        for view, source, remake in pairs:
            if s is not None and s.tensor is view:
                node.saved[k] = _SavedRemade(source, remake)


def saved_before_cast(out, *pairs) -> None:
    """``out``'s node keeps each operand as given (its version checked, the error naming it) where it saved
    the operand's cast copy (``(copy, given)`` pairs), as torch's node saves its operands before type
    promotion (``x * int_tensor`` keeps the integer tensor: writing it later fails the backward) or a
    kernel's own conversion (gather's int32 index); the copy is made again at each unpack."""
    saved_as_given(out, *((copy, given, _cast_to(copy.dtype)) for copy, given in pairs
                          if copy is not given and isinstance(given, _tensor.Tensor)))


def _cast_to(dtype):
    return lambda t: t.to(dtype)


class SavedTensor:
    """A tensor kept for backward with the version it had, so in-place changes are caught."""

    __slots__ = ("tensor", "version", "is_output", "packed", "unpack_hook")

    def __init__(self, tensor, is_output=False, node=None, index=0):
        if tensor._inference:
            raise RuntimeError(_SAVED_INFERENCE)
        self.version = (tensor._counter or tensor._storage).version  # (Tensor._vc, without its call)
        self.is_output = is_output
        hooks = _HOOKS_OPEN[0] and current_hooks()
        # saved_tensors_hooks: the node keeps what pack returns, not the tensor. A Python number operand
        # is no tensor to torch (its Scalar overload keeps the number): never packed
        if hooks and not tensor._wrapped_number:
            self.tensor, self.unpack_hook = None, hooks[1]
            if is_output and node is not None and (tensor.is_floating_point() or tensor.is_complex()):
                # the hook sees a differentiable output as the op returns it
                tensor = tensor._reattach(node, index)
            with no_grad():  # torch packs with grad mode off
                self.packed = hooks[0](tensor)
            return
        # an output is saved detached to avoid a reference cycle through its own grad_fn; an input is kept
        # itself, and counted on its storage for swap_tensors (torch counts each such saver among the
        # tensor's users) until a backward frees it or hooks take its place
        if is_output:
            self.tensor = tensor._alias()
        else:
            self.tensor = tensor
            _count_kept(tensor._storage, 1)

    def unpack(self, node=None, index=0, attach=True):
        """The tensor for backward, checked (``node``: the node that saved it, output ``index`` of it where
        it saved an output, as that output again unless not ``attach``: a VJP run with grad mode off reads
        its values alone, no alias made per use). Without a node, a user's
        ``grad_fn._raw_saved_<name>.unpack()``: None for nothing saved, torch's errors for a freed one and
        for an output (whose history is its node's)."""
        t = self.tensor
        if t is None:
            hook = getattr(self, "unpack_hook", None)
            if hook is _NO_VALUE:
                return None
            if hook is _GONE or hook is None:
                raise RuntimeError(_FREED)
            return self._unpack_with_hook(node, index)
        if node is None:
            if self.is_output:
                raise RuntimeError(_DETACHED)
            node = _BY_USER
        # (Tensor._version without its call: an inference tensor is never saved)
        if (t._counter or t._storage).version != self.version or t._detached_at >= node._seq:
            if t._detached_at >= node._seq:  # its history was cut in place after this node saved it
                raise RuntimeError(_DETACHED)
            fn = node if self.is_output else t.grad_fn
            nr = index if self.is_output else t._output_nr
            where = f", which is output {nr} of {_forward_name(fn)}," if fn is not None else ""
            raise RuntimeError(
                "one of the variables needed for gradient computation has been modified by an "
                f"inplace operation: {_describe(t)}{where} is at version {t._version}; expected "
                f"version {self.version} instead. Hint: enable anomaly detection to find the "
                "operation that failed to compute its gradient, with "
                "torch.autograd.set_detect_anomaly(True, check_nan=False).")
        if self.is_output and attach:
            return t._reattach(node, index)
        return t

    @property
    def data(self):
        """What it holds, unchecked, as torch's ``SavedTensor.data``: the tensor (an output's without its
        history), the pack hook's result where hooks packed it, None where nothing is (freed, or None)."""
        t = self.tensor
        return t if t is not None else getattr(self, "packed", None)

    def register_hooks(self, *args, **kwargs) -> None:
        """Keep ``pack_hook(tensor)`` in place of the tensor from now on, and read it back as
        ``unpack_hook(packed)`` (a tensor) at each use, as torch's ``SavedTensor.register_hooks`` (what
        ``grad_fn._raw_saved_<name>`` gives): one pair per saved tensor, none on a freed one or on None."""
        if kwargs or len(args) != 2 or not all(callable(a) for a in args):  # torch's binding's words
            shown = ", ".join(map(repr, (self, *args)))
            if kwargs:
                shown += "; kwargs: " + ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
            raise TypeError("register_hooks(): incompatible function arguments. The following argument types "
                            "are supported:\n    1. (self: torch._C._autograd.SavedTensor, arg0: "
                            "collections.abc.Callable, arg1: collections.abc.Callable) -> None\n\n"
                            f"Invoked with: {shown}")
        hook = getattr(self, "unpack_hook", None)  # (unset on a tensor saved without hooks)
        if hook is _NO_VALUE:
            raise RuntimeError("Calling register_hooks on a saved tensor with value None is forbidden")
        if hook is _GONE:
            raise RuntimeError("Calling register_hooks on a saved tensor after it has been freed. Saved "
                               "intermediate values of the graph are freed when you call .backward() or "
                               "autograd.grad(). Specify retain_graph=True if you need to backward through "
                               "the graph a second time or if you need to access saved variables after "
                               "calling backward.")
        if hook is not None:
            raise RuntimeError("Calling register_hooks on a saved tensor whose hooks have already been set. "
                               "Hint: only one pair of hooks is allowed at a time.")
        pack, unpack = args
        with no_grad():  # pack sees the memory without its history, as torch's
            self.packed = pack(self.tensor._alias())
        self._let_go()
        self.tensor, self.unpack_hook = None, unpack

    def free(self, hooks_stay: bool = False) -> None:
        """A backward freed it: what it holds goes; a later register_hooks refuses, as torch's (a Function's
        saved tensor that has hooks, ``hooks_stay``, refuses as one whose hooks are set)."""
        self._let_go()
        self.tensor = self.packed = None
        if not (hooks_stay and getattr(self, "unpack_hook", None) is not None):
            self.unpack_hook = _GONE

    def _let_go(self) -> None:
        """It stops holding its tensor: uncounted on the storage (see _count_kept)."""
        t = self.tensor
        if t is not None and not self.is_output:
            _count_kept(t._storage, -1)

    def __repr__(self) -> str:
        return f"<torch._C._autograd.SavedTensor object at {hex(id(self))}>"

    def _unpack_with_hook(self, node, index):
        """What the unpack hook gives back (called on every read, as torch's): its version is not
        checked, since the hooks may have made any tensor of it."""
        t = self.unpack_hook(self.packed)
        if not isinstance(t, _tensor.Tensor):
            raise TypeError("Output of saved tensor unpack_hook expected to be a Tensor but got result of "
                            f"type {type(t).__name__}")
        return t._reattach(node, index) if self.is_output and node is not None else t


def _count_kept(storage, n: int) -> None:
    """How many SavedTensors hold a tensor of ``storage`` itself (``Storage.kept_by_graph``): up at a save,
    down when a backward frees one; a graph dropped unrun leaves it high, which swap_tensors corrects."""
    storage.kept_by_graph = getattr(storage, "kept_by_graph", 0) + n


class _ByUser:
    """The node a user's ``unpack()`` stands in for: made before any detach_, so one since is seen."""
    _seq = 1


_BY_USER = _ByUser()
_DETACHED = ("Trying to use a saved tensor that has been detached in-place, i.e. with .detach_().This is not "
             "supported, please use out-of-place `.detach()` instead")
_new = object.__new__
# what a SavedTensor holds as its unpack hook once freed (_GONE), or where it stands for a None (_NO_VALUE)
_GONE, _NO_VALUE = object(), object()


def _shell(mark) -> SavedTensor:
    s = _new(SavedTensor)
    s.tensor = s.packed = None
    s.is_output, s.unpack_hook = False, mark
    return s


# what ``grad_fn._raw_saved_<name>`` gives for a None saved (torch's undefined saved variable), and for one a
# backward freed where its SavedTensor is gone (a composite's ``torch_saved``)
NONE_SAVED, FREED_SAVED = _shell(_NO_VALUE), _shell(_GONE)


def _forward_name(fn) -> str:
    """The op a node came from, as PyTorch 2.13 names it here: ExpBackward0 -> Exp, MaxBackward1 -> Max1; a
    hand-written C++ node keeps its class name (torch::autograd::CopyBackwards, torch::autograd::CopySlices)."""
    name = fn.name()
    if "::" in name:
        return name
    return name[:-len("Backward0")] if name.endswith("Backward0") else name.replace("Backward", "")


class Context:
    """What an OpDef's VJP sees: saved inputs (None where not saved), outputs, attrs, shapes. What its
    node holds is read from the node when a VJP asks (most ask for little of it)."""

    __slots__ = ("inputs", "outputs", "node")

    @property
    def out(self):
        return self.outputs[0]

    @property
    def attrs(self):
        return self.node.attrs

    @property
    def input_shapes(self):
        return [m[0] for m in self.node.input_meta]

    @property
    def input_dtypes(self):
        return [m[1] for m in self.node.input_meta]

    @property
    def needs_input_grad(self):
        return tuple([n is not None for n, _ in self.node.edges])


# Nodes are numbered as they are created, so an in-place op can find the nodes it recorded itself.
# ``next`` of a count is atomic, so threads recording at once never share a number.
SEQUENCE = [0]
_NUMBERS = itertools.count(1)


class Node:
    """The backward of one recorded op (``grad_fn``), named as PyTorch names it."""

    # what a node has until it is given its own (a node is made per recorded op; most never get a hook;
    # its own hooks are OrderedDicts keyed by handle id): (output_nr, fn) hooks on non-leaf tensor grads,
    # output_nr -> weakref of a tensor with retain_grad, hooks on the node. Read-only: a node's own is made
    # where one is added (Node._own)
    _pre_hooks = _hooks = ()
    _retain = MappingProxyType({})
    has_saved = True  # whether release() has anything to free (an OpNode knows; other nodes are asked)
    shown_edges = None  # what a composite op's node shows: its own inputs' (see present_as)
    presented = False  # renamed by present_as: its saved values are its last step's, not torch's op's
    # what torch's one node saves, where a composite presents it (present_as's ``saves``): ((name,
    # SavedTensor or value, output index), ...), checked before the node runs, as torch's node unpacks its
    # saved variables (FREED in a SavedTensor's place after a backward freed it); None: no such list
    torch_saved = None
    view_args = None  # arguments as its caller gave them, which torch's node shows (views._shows, fft._shows)

    def __init__(self, next_functions, input_meta, n_outputs=1):
        SEQUENCE[0] = self._seq = next(_NUMBERS)
        self.edges = next_functions  # tuple of (node, output_nr) or (None, 0) per input
        self.input_meta = input_meta          # (shape, dtype) per input, for reducing gradients
        self.n_outputs = n_outputs
        if _ANOMALY["enabled"]:
            self._forward_stack = forward_stack()

    def _own(self, name: str, empty):
        """This node's own ``_pre_hooks``, ``_hooks`` or ``_retain`` (made from ``empty`` at the first)."""
        return self.__dict__.setdefault(name, empty)

    @property
    def next_functions(self):
        """The nodes of this op's inputs, as PyTorch shows them (a composite's inputs, not its parts')."""
        return self.edges if self.shown_edges is None else self.shown_edges

    def name(self) -> str:
        name = type(self).__name__
        return f"torch::autograd::{name}" if name in _CPP_NODES else name

    def __dir__(self):  # torch's _saved_* and _raw_saved_* properties (saved_names.install): this node's
        readers = self._readers_of_saved()
        shown = {"_saved_" + n for n in readers} | self.__dict__.keys()
        shown.update("_raw_saved_" + n for n, read in readers.items() if getattr(read, "raw", None))
        return [n for n in super().__dir__() if not n.startswith(("_saved_", "_raw_saved_")) or n in shown]

    def _readers_of_saved(self) -> dict:
        """``name -> function`` reading what this node shows as ``_saved_<name>``."""
        return {}

    def register_hook(self, fn):
        return add_hook(self._own("_hooks", OrderedDict()), fn)

    def register_prehook(self, fn):
        return add_hook(self._own("_pre_hooks", OrderedDict()), (None, fn))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def release(self):
        pass


install_saved_properties(Node)


# PyTorch gives every backward its own class: ``type(out.grad_fn).__name__`` is what a printed tensor
# shows. One subclass of OpNode per name, made on first use (the set of names is finite).
_NODE_CLASSES: dict[tuple, type] = {}

# The nodes PyTorch defines by hand (not generated from derivatives.yaml): ``name()`` has the namespace.
_CPP_NODES = ("CopySlices", "CopyBackwards", "AccumulateGrad", "Error", "NotImplemented")


def node_class(name: str, base=None) -> type:
    """The subclass of ``base`` (OpNode by default) named ``name``."""
    base = base or OpNode
    cls = _NODE_CLASSES.get((base, name))
    if cls is None:
        # printed as torch's C++ node, <Name object at ...>, even over a Function's node (a Formula's);
        # its class too, a builtin's: <class 'AddBackward0'>
        cls = _NODE_CLASSES[(base, name)] = type(name, (base,), {"_unnamed": base, "__repr__": Node.__repr__,
                                                                 "__module__": "builtins"})
    return cls


def rename(fn, name: str) -> None:
    """Make node ``fn`` one of torch's node ``name`` (what it computes and keeps unchanged)."""
    fn.__class__ = node_class(name, getattr(type(fn), "_unnamed", type(fn)))


def present_as(out, name: str, since: int, inputs=None, edges=None, saves=None):
    """Name the node that produced ``out`` (a Tensor or a tuple of them) ``name``, where that node was
    recorded after node number ``since``: a composite op shows the node PyTorch's one op records, and
    as its ``next_functions`` the edges of its differentiable ``inputs`` (or ``edges``, taken before an
    in-place op gave an input a new history). ``saves``: what torch's node saves, a function giving
    ``(name, tensor)`` pairs (a non-Tensor is kept as it is; name None: what a node torch records before
    this one saves, checked, not shown), ``(name, Result(k))`` for output ``k``: the node keeps
    them and refuses to run if one was modified in place since, as torch's, whatever its own steps kept."""
    if inputs is not None:
        edges = tuple(i._edge() for i in inputs if i.dtype.kind in "fc")
    outs = out if isinstance(out, (tuple, list)) else (out,)
    for t in outs:
        fn = getattr(t, "_grad_fn", None)
        if getattr(t, "_base", None) is not None:  # a view written in place: its history is regenerated
            fn = getattr(fn, "stands_for", fn)  # (torch's AsStridedBackward0), the op's node is inside
        if not isinstance(fn, Node) or fn._seq <= since:
            continue
        if type(fn).__name__ != name:
            rename(fn, name)
            if saves is None and fn.torch_saved is not None:  # an inner composite's: still checked, not shown
                fn.torch_saved = tuple((None, s, nr) for _, s, nr in fn.torch_saved)
        fn.presented = True
        if edges is not None:
            fn.shown_edges = tuple(edges)
        if saves is not None:  # (an outer composite's, presenting its inner one's node: its own names)
            fn.torch_saved = tuple(_saved_as_torch(fn, saves(), outs))
            fn.has_saved = True


def also_saves(out, *saves):
    """Keep ``saves`` (``(name, tensor)`` pairs) on the node that made ``out``, where that is torch's node
    but saves less (gather's, which torch's keeps its input beside): checked and shown as present_as's."""
    fn = out._grad_fn
    if fn is not None and fn.torch_saved is None:
        fn.torch_saved = tuple(_saved_as_torch(fn, saves, (out,)))
        fn.has_saved = True


class Result(int):
    """Output k of the op, in present_as's ``saves`` (an int there is a saved number)."""


class Unreturned:
    """In present_as's ``saves``: an output of torch's op that its function does not return
    (log_sigmoid_forward's buffer), kept after the inputs as torch's node keeps its outputs."""

    def __init__(self, tensor):
        self.tensor = tensor


def _saved_as_torch(fn, saves, outs):
    """present_as's ``saves`` as the node keeps them: (name, SavedTensor or value, output index)."""
    if _HOOKS_OPEN[0] and current_hooks():  # packed (and later unpacked) in torch's order: see _hooks_order
        saves = sorted(saves, key=lambda s: (type(s[1]) in (Result, Unreturned), s[0]))
    for name, what in saves:
        if type(what) is Result:  # an output of the op: saved as torch saves its result
            o = outs[what]
            yield name, SavedTensor(o, o._grad_fn is fn, fn, o._output_nr), o._output_nr
        elif type(what) is Unreturned:
            yield name, SavedTensor(what.tensor), 0
        elif type(what) is list:  # a tensor list (index's indices; None where a dim is not indexed)
            yield name, SavedList(NONE_SAVED if t is None else SavedTensor(t) for t in what), 0
        elif isinstance(what, _tensor.Tensor):
            if what._grad_fn is fn and getattr(fn, "written_from", None) is not None:
                what = fn.written_from  # the input this in-place call overwrote: torch keeps its original
            yield name, SavedTensor(what), 0
        else:
            yield name, what, 0


class SavedList(tuple):
    """A tensor list a node keeps as torch's (``_saved_indices``): one SavedTensor per entry."""


FREED = object()  # a SavedTensor of ``torch_saved`` once a backward freed it (its numbers stay readable)
FREED_LIST = object()  # a SavedList so freed


def release_torch_saved(node):
    for _, s, _ in node.torch_saved:
        for one in (s if type(s) is SavedList else (s,)):
            if type(one) is SavedTensor and one is not NONE_SAVED:  # (a list's None: the one shared shell)
                one.free()
    node.torch_saved = tuple((name, FREED if type(s) is SavedTensor else FREED_LIST if type(s) is SavedList
                              else s, nr) for name, s, nr in node.torch_saved)


def torch_saved_tensors(node):
    """The SavedTensors of what ``node`` (None: no node) keeps as torch's node (``torch_saved``), a list's
    entries included."""
    for _, s, _ in getattr(node, "torch_saved", None) or ():
        if type(s) is SavedTensor:
            yield s
        elif type(s) is SavedList:
            yield from s


def check_torch_saved(node):
    """Unpack what ``node`` keeps as torch's node (``torch_saved``): the version error where one was
    modified in place, before the node's own steps run."""
    for _, s, nr in node.torch_saved:
        if type(s) is SavedTensor:
            s.unpack(node, nr)
        elif type(s) is SavedList:
            for one in s:
                one.unpack(node, 0)


# the primitives whose rules have real coefficients (holomorphic; linear or bilinear in their inputs, or
# elementwise): run on conjugated inputs, their gradients come out plain as torch's (matmul's
# grad.mm(mat2.mH)); the conjugate of a rule run on conj(g) would be a conj view (is_conj() where torch's is not)
_REAL_COEFFICIENT_KINDS = frozenset(("elementwise", "view"))
_REAL_COEFFICIENT_OPS = frozenset((
    "sum", "prod", "softmax", "log_softmax", "mm", "bmm", "addmm_bias", "cat", "flip", "gather", "index",
    "index_put", "cumsum", "cumprod", "take_along", "put_along", "scatter_add_write", "scatter_write",
    "copy_slices", "as_strided_scatter", "im2col", "col2im", "thread_buffer_sum", "torch_order", "to_device"))


def _conjugate_vjp(op, ctx, grads):
    """A primitive's VJP under torch's convention for complex numbers: each rule is written as ``g * f'(z)``,
    torch's gradient is ``g * conj(f'(z))`` (the conjugate Wirtinger derivative). The holomorphic primitives
    (arithmetic, exp, matmul, sums, views) have real coefficients, so ``conj(f'(z))`` is ``f'(conj(z))``:
    the rule run on the conjugated inputs and outputs, as torch's formulas read them (``grad *
    other.conj()``), so the sign of a zero part is torch's too (conjugating ``g`` and the result instead
    flips it where a part sums to zero), and the gradient is no conj view (_REAL_COEFFICIENT_OPS). The others
    (an FFT's coefficients are complex) run on ``conj(g)``, conjugated after (in memory). The non-holomorphic
    ones (abs, angle, real, conj) are formulas of their own (ops/composite/complex_numbers)."""
    if op.kind not in _REAL_COEFFICIENT_KINDS and op.name not in _REAL_COEFFICIENT_OPS:
        out = op.vjp(ctx, *(g if g is None else g.conj() for g in grads))
        # (conjugated in memory: torch's formulas give plain tensors, never a conj view)
        if isinstance(out, (tuple, list)):
            return tuple(d if d is None else d.conj_physical() for d in out)
        return out.conj_physical()
    ctx.inputs = [t if t is None or t.dtype.kind != "c" else t.conj() for t in ctx.inputs]
    if ctx.outputs is not None:
        ctx.outputs = [t if t is None or t.dtype.kind != "c" else t.conj() for t in ctx.outputs]
    return op.vjp(ctx, *grads)


def _vjp_of_own(op, ctx, grads):
    """A primitive's VJP where a gradient's dtype has a way of its own (``dtype.own_vjp``)."""
    for g in grads:
        if g is not None and g.dtype.kind == "c":
            return _conjugate_vjp(op, ctx, grads)
    if op.vjp_in_float32:
        for g in grads:
            if g is not None and g.dtype in op.vjp_in_float32:
                return _vjp_in_float32(op, ctx, grads)
    return op.vjp(ctx, *grads)


def _vjp_in_float32(op, ctx, grads):
    """The VJP of an op whose torch backward is one kernel (tanh_backward, _softmax_backward_data, ...): for
    float16 and bfloat16 that kernel reads its operands as float32, computes there and rounds each gradient
    to its input's dtype once, where the VJP's chain of 16-bit ops would round at every step."""
    def up(t):
        return t.float() if t is not None and t.dtype in HALVES else t

    ctx.inputs = [up(t) for t in ctx.inputs]
    if ctx.outputs is not None:
        ctx.outputs = [up(t) for t in ctx.outputs]
    out = op.vjp(ctx, *[up(g) for g in grads])
    dtypes = [m[1] for m in ctx.node.input_meta]
    if not isinstance(out, (tuple, list)):
        return _down(out, dtypes[0])
    return tuple(_down(d, low) for d, low in zip(out, dtypes))


def _down(grad, low):
    return grad.to(low) if grad is not None and low in HALVES and grad.dtype is not low else grad


# what OpNode.__init__ reads of an op, per op: (the saved inputs, for each the inputs whose gradients read
# it (None: all), save_output, whether it has a Tensor-Scalar overload, how many edges it shows (None: all),
# whether it keeps its inputs' strides)
_NODE_PLANS: dict = {}


def _node_plan(op):
    plan = _NODE_PLANS[op] = (op.save, tuple(op.saved_for.get(i) for i in op.save), op.save_output,
                              bool(op.extra.get("scalar_overload")), op.extra.get("shows"),
                              bool(op.extra.get("keeps_strides")))
    return plan


def _hooks_order(op) -> tuple:
    """The positions in ``op.save`` in the order torch's node saves and unpacks them: by the names its
    signature gives the inputs, sorted (torch's generated nodes list their saved inputs so: mul packs
    ``other`` before ``self``, lerp ``end, self, weight``), then its outputs."""
    order = _HOOKS_ORDERS.get(op)
    if order is None:
        from .saved_names import _arguments
        names = _arguments(op)[0]
        order = _HOOKS_ORDERS[op] = tuple(sorted(range(len(op.save)), key=lambda k: (
            names[op.save[k]] if op.save[k] < len(names) else "~", k)))
    return order


_HOOKS_ORDERS: dict = {}


class OpNode(Node):
    """The node of an OpDef from the registry, of the class named ``name`` or the op's backward name."""

    unpack_order = None  # saved under saved_tensors_hooks: positions in op.save, in torch's order

    def __new__(cls, op, inputs, outputs, attrs, next_functions, name=None):
        if cls is OpNode:  # node_class's cache asked here first: a node is made per recorded op
            name = name or op.backward_name
            cls = _NODE_CLASSES.get((OpNode, name)) or node_class(name)
        return object.__new__(cls)

    def __init__(self, op, inputs, outputs, attrs, next_functions, name=None):
        save, readers, keep, overload, shows, strides = _NODE_PLANS.get(op) or _node_plan(op)
        # Node.__init__'s fields set here, not by its call: a node is made per recorded op
        SEQUENCE[0] = self._seq = next(_NUMBERS)
        self.edges = next_functions
        meta = []  # (a loop, not a list comprehension: that is a function call of its own)
        for t in inputs:
            meta.append((t._shape, t.dtype))
        self.input_meta = meta
        if strides:  # metadata its VJP reads where it keeps an input only for another's gradient (mm's)
            self.input_strides = [t._strides for t in inputs]
        self.n_outputs = len(outputs)
        if _ANOMALY["enabled"]:
            self._forward_stack = forward_stack()
        self.op = op
        self.attrs = attrs
        # an input only read by the gradients of inputs that need none is not kept (x * 3 keeps nothing)
        hooked = _HOOKS_OPEN[0] and current_hooks()  # (packed below, in torch's order)
        saved = []
        for i, those in zip(save, readers):
            for j in range(len(next_functions)) if those is None else those:
                if next_functions[j][0] is not None:
                    saved.append(inputs[i] if hooked else SavedTensor(inputs[i]))
                    break
            else:
                saved.append(None)
        if hooked:  # the pack hook sees the inputs in torch's order (its node's saved names, sorted)
            self.unpack_order = order = _hooks_order(op)
            for k in order:
                if saved[k] is not None:
                    saved[k] = SavedTensor(saved[k])
        if keep:  # True, or the outputs torch's node saves (frexp's exponent, not mantissa)
            if keep is True and overload and inputs[-1]._wrapped_number:
                keep = ()  # a Tensor-Scalar overload: pow's gradient reads the result for a tensor exponent
            saved += [SavedTensor(o, True, self, k) if keep is True or k in keep else None
                      for k, o in enumerate(outputs)]
        self.saved = saved
        self.has_saved = any(saved)
        self.freed = False
        if overload and any(t._wrapped_number for t in inputs):
            # PyTorch calls pow(Tensor, Scalar): the number is no input of the node
            self.shown_edges = tuple(e for t, e in zip(inputs, next_functions) if not t._wrapped_number)
            if self.has_saved and type(self).__name__ == "NotImplemented":
                self._keep_nothing()  # (remainder(Scalar, Tensor): torch's has no derivative, saves none)
        elif shows is not None:  # torch's op has edges to its first inputs only (nll_loss: not the target)
            self.shown_edges = next_functions[:shows]
        elif type(self).__name__ == "NotImplemented":  # torch's has edges only to inputs that need a gradient
            self.shown_edges = tuple(e for e in next_functions if e[0] is not None)

    def apply(self, grads):
        if self.freed:
            raise RuntimeError(_FREED)
        ctx = _new(Context)
        ctx.node = self
        op, saved = self.op, self.saved
        inputs = [None] * len(self.input_meta)
        if self.unpack_order is None:
            for s, idx in zip(saved, op.save):  # every saved tensor is unpacked (checked) before the VJP runs
                if s is not None:
                    inputs[idx] = s.unpack(self)
        else:  # saved under saved_tensors_hooks: unpacked in the order torch's node unpacks them
            for k in self.unpack_order:
                if saved[k] is not None:
                    inputs[op.save[k]] = saved[k].unpack(self)
        ctx.inputs = inputs
        if op.save_output:  # (reattached to this node only where the VJP may record a graph of them)
            attach = _grad_state.enabled
            ctx.outputs = [s and s.unpack(self, i, attach) for i, s in enumerate(saved[len(op.save):])]
        else:
            ctx.outputs = None
        for g in grads:
            if g is not None and g.dtype.own_vjp:  # complex or 16-bit: one read on the float32 path
                return _vjp_of_own(op, ctx, grads)
        return op.vjp(ctx, *grads)

    def _keep_nothing(self):
        """Free what this node saved: torch's node of the op keeps nothing, so nothing is checked."""
        for s in self.saved:
            if s is not None:
                s.free()
        self.saved, self.has_saved = [None] * len(self.saved), False

    def release(self):
        if self.has_saved:
            for s in self.saved:  # each stays in its place, freed: a user's _raw_saved_* then refuses hooks
                if s is not None:
                    s.free()
            self.freed = True

    def replace_saved(self, storage, current_value, operands):
        replace_saved(self.saved, storage, current_value, operands)

    def _readers_of_saved(self) -> dict:
        from .saved_names import op_node_saved
        return op_node_saved(self)


class _SavedRemade(SavedTensor):
    """A saved view remade from its source at each unpack (see ``saved_as_given``)."""

    __slots__ = ("remake",)

    def __init__(self, source, remake):
        super().__init__(source)
        self.remake = remake

    def unpack(self, node, index=0):
        return self.remake(super().unpack(node, index))


def replace_saved(saved, storage, current_value, operands=()):
    """Before an in-place write, keep a copy (``current_value()``) of any saved input (a SavedTensor
    of ``saved``) that aliases ``storage``, but the op's other ``operands`` (ids), saved as they are (torch
    copies the written tensor's original value, not an operand that shares its memory)."""
    for s in saved:
        if s is not None and not s.is_output and s.tensor is not None and s.tensor._storage is storage \
                and id(s.tensor) not in operands \
                and s.version == s.tensor._vc.version:
            replacement = current_value()
            s.tensor, s.version = replacement, replacement._vc.version


class AccumulateGrad(Node):
    """The node of a leaf tensor: adds the incoming gradient into ``leaf.grad``."""

    __module__ = "builtins"  # torch's C++ class: printed <class 'AccumulateGrad'>

    # numbered above every node, as torch's: the engine runs a leaf's accumulation as soon as it is ready
    # (see engine._push). It takes no number of the count, which only recorded ops advance
    _seq = 2**64 - 1

    def __init__(self, leaf):
        self.edges, self.input_meta, self.n_outputs = (), [], 1
        if _ANOMALY["enabled"]:
            self._forward_stack = forward_stack()
        self.variable_ref = weakref.ref(leaf)

    @property
    def variable(self):
        return self.variable_ref()


__all__ = ["Node", "OpNode", "node_class", "present_as", "AccumulateGrad", "SavedTensor", "Context",
           "no_grad", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks",
           "register_multi_grad_hook"]


# the tensor module, bound once rather than imported per node (_saved_as_torch); it imports this one, so its
# names are read at the call
from .. import tensor as _tensor  # noqa: E402
# (it reads the engine, which imports this module)
from .multi_grad import _MultiHandle, register_multi_grad_hook  # noqa: E402,F401 (torch's names here)

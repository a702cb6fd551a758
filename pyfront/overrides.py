"""``torch.overrides``: the ``__torch_function__`` protocol, as torch's (its overrides.py and _tensor.py).

A call of a public function (torch.*, F.*, torch.linalg/fft/special.*) or of a Tensor method, operator or
property whose arguments include a Tensor subclass or a duck type with a ``__torch_function__`` of its own,
or made while a ``TorchFunctionMode`` is entered, goes to their ``__torch_function__`` instead.

The plain case costs nothing more than it did: nothing looks at a call's arguments until a program first
defines a Tensor subclass that dispatches, enters a mode, or hands a function a duck type (``ON``).
Namespace functions are wrapped once (``install``), each wrapper testing that flag first (a duck type
is noticed on the failure it causes before then). Tensor's own methods are never wrapped: a dispatching
subclass gets its twins (``_twins_on``), and Tensor holds them only while a mode is entered.
"""
from __future__ import annotations

import functools
import threading
import warnings
import weakref

from .tensor import Tensor

__all__ = ["get_ignored_functions", "get_overridable_functions", "handle_torch_function",
           "has_torch_function", "has_torch_function_unary", "has_torch_function_variadic", "is_tensor_like",
           "is_tensor_method_or_property", "wrap_torch_function", "TorchFunctionMode",
           "BaseTorchFunctionMode", "resolve_name"]


class _State(threading.local):
    """Per thread, as torch's: the mode stack and the Disable* depths."""

    def __init__(self):
        self.modes = []
        self.no_subclasses = 0  # DisableTorchFunctionSubclass: subclasses skipped, modes still run
        self.disabled = 0  # DisableTorchFunction: both skipped


_STATE = _State()
# whether any call needs to look at its arguments (the one test the plain case pays): set for good by a
# dispatching subclass, a mode entered (in any thread) or a duck type seen
ON = [False]
_MODES_ENTERED = [0]  # modes entered, all threads together (0: a call on plain tensors needs no mode look-up)
_TENSOR_HAS_TWINS = [False]  # Tensor holds its twins: put there at the first mode and left (no swap per mode)


def _disabled_torch_function_impl(func, types, args=(), kwargs=None):
    """The ``__torch_function__`` of a Tensor subclass that never dispatches (nn.Parameter's): its instances
    are plain tensors to every op."""
    return func(*args, **(kwargs or {}))


# -- which arguments dispatch -------------------------------------------------------------------------
# type -> whether its instances dispatch (weak: a class made per call, as tests' factories, goes with its last use)
_KIND = weakref.WeakKeyDictionary()


def _dispatches(cls) -> bool:
    kind = _KIND.get(cls)
    if kind is None:
        tf = getattr(cls, "__torch_function__", None)
        kind = _KIND[cls] = tf is not None and tf is not _disabled_torch_function_impl \
            and getattr(tf, "__func__", tf) is not _disabled_torch_function_impl
        if kind and not issubclass(cls, Tensor):
            ON[0] = True  # a duck type: from now every call looks
    return kind


_SEQUENCES = (list, tuple)
_PLAIN = frozenset((Tensor, int, float, bool, type(None), str))  # (never dispatch: no cache look-up)
_DATA = frozenset((int, float, bool, complex, list, tuple))


def _overloaded(args, kwargs=None) -> list:
    """The arguments whose types dispatch, as torch's _get_overloaded_args orders them: one per type, in
    the order given, but a subclass before its base; lists and tuples looked into one level (a Tensor[])."""
    found = []
    for v in (*args, *kwargs.values()) if kwargs else args:
        cls = type(v)
        if cls in _PLAIN:
            continue
        if cls in _SEQUENCES:
            for w in v:
                kind = type(w)
                if kind in _DATA:  # (a list of numbers is data, torch.tensor's: never a list of tensors)
                    break
                if kind is not Tensor and _dispatches(kind):
                    _add(found, w)
        elif _dispatches(cls):
            _add(found, v)
    return found


def _add(found: list, v) -> None:
    cls = type(v)
    if any(type(f) is cls for f in found):
        return
    for i, f in enumerate(found):
        if issubclass(cls, type(f)):
            found.insert(i, v)
            return
    found.append(v)


class PythonLevel(str):
    """The name of a function torch writes in Python (F.relu): its error when no override takes a call is
    handle_torch_function's."""


# -- dispatch ---------------------------------------------------------------------------------------------
PASS = object()  # _route's "no override: run the call as it is"


def _route(func, args, kwargs, name: str | None):
    """What the innermost mode's, then the dispatching arguments', ``__torch_function__`` make of ``func``
    (the public callable) called with ``args`` and ``kwargs``; PASS where none is to run."""
    overloaded = _overloaded(args, kwargs)
    if not overloaded and not _MODES_ENTERED[0]:  # (the commonest call: no thread-local read)
        return PASS
    return _routed(func, overloaded, args, kwargs, name)


def _routed(func, overloaded, args, kwargs, name: str | None):
    """_route, given the dispatching arguments."""
    state = _STATE
    if state.disabled:
        return PASS
    if state.no_subclasses:
        overloaded = ()
    if not overloaded and not state.modes:
        return PASS
    return _dispatch(func, overloaded, args, kwargs, name)


def _call(method: str, fn, args, kwargs, name: str):
    """``fn(*args, **kwargs)`` (a Tensor method's twin), where no override takes it as Tensor's ``method``;
    plain tensors outside a mode go straight on (Tensor keeps its twins once a mode was entered)."""
    overloaded = _overloaded(args, kwargs)
    if not overloaded and not _MODES_ENTERED[0]:
        return fn(*args, **kwargs)
    result = _routed(_func_of(method, True), overloaded, args, kwargs, name)
    return fn(*args, **kwargs) if result is PASS else result


_NAMES: dict = {}  # a public function -> its name in torch's error (install)


def intercept(public, args, kwargs):
    """A public function's outermost wrapper asks this first, where ``ON[0]``, and where its plain call
    failed (a duck type's first call, which turns ``ON`` on): its override's result, or PASS (run the call,
    or raise its failure); PASS too for a wrapper inside a public function (the public one asks), or one
    torch never dispatches (get_ignored_functions)."""
    name = _NAMES.get(public, PASS)
    if name is PASS:
        return PASS
    if not _MODES_ENTERED[0]:  # (plain tensors, numbers, nn.Parameters: decided here, a call less)
        for v in (*args, *kwargs.values()) if kwargs else args:
            cls = type(v)
            # (False: a type known not to dispatch; a list or tuple is looked into, whatever _KIND says of it:
            # has_torch_function caches the list type itself as non-dispatching)
            if cls not in _PLAIN and (_KIND.get(cls) is not False or cls in _SEQUENCES):
                break
        else:
            return PASS
    return _route(public, args, kwargs, name)


def _dispatch(func, overloaded, args, kwargs, name: str | None):
    """torch's handle_torch_function: the mode first (popped while it runs, so what it calls goes on to the
    next), then each overloaded argument's type; ``name``: torch's for the function in its error (None or
    PythonLevel: handle_torch_function's error)."""
    types = tuple(type(a) for a in overloaded)
    kwargs = kwargs or {}
    state = _STATE
    mode = None  # (the mode that refused, named in the error)
    if state.modes and not state.disabled:
        mode = state.modes.pop()
        try:
            result = mode.__torch_function__(func, types, args, kwargs)
        finally:
            state.modes.append(mode)
        if result is not NotImplemented:
            return result
    for arg in overloaded:
        result = arg.__torch_function__(func, types, args, kwargs)
        if result is not NotImplemented:
            return result
    if name is None or type(name) is PythonLevel:
        name = name or f"{func.__module__}.{func.__name__}"
        raise TypeError(f"no implementation found for '{name}' on types that implement __torch_function__: "
                        f"{[type(a) for a in overloaded]}" + (f" nor in mode {mode}" if mode else ""))
    listed = (f"  - mode object {mode}\n" if mode else "") + \
        "".join(f"  - tensor subclass {type(a)}\n" for a in overloaded)
    raise TypeError(f"Multiple dispatch failed for '{name}'; all __torch_function__ handlers returned "
                    f"NotImplemented:\n\n{listed}\nFor more information, try re-running with "
                    f"TORCH_LOGS=not_implemented")


def _public(fn):
    """``fn`` as a public function that dispatches."""
    @functools.wraps(fn)
    def public(*args, **kwargs):
        if ON[0] and (result := intercept(public, args, kwargs)) is not PASS:
            return result
        try:  # (free where nothing is raised; without an empty **kwargs, which costs a dict copy)
            return fn(*args, **kwargs) if kwargs else fn(*args)
        except Exception:
            if (result := intercept(public, args, kwargs)) is PASS:
                raise
        return result
    return public


# the wrappers that ask intercept themselves (outarg's, argcheck's, autocast's): a public function that is one
# is not wrapped again
AWARE: set = set()


_OVERRIDABLE: dict = {}  # namespace (a module, or Tensor) -> its public callables that dispatch
_IGNORED: list = []


# torch's functions that take no part in the protocol (get_ignored_functions), but its factories, which
# modes see: the state of the process, its flags and its random generator, names of types
TORCH_IGNORED = frozenset((
    "are_deterministic_algorithms_enabled autocast_decrement_nesting autocast_increment_nesting "
    "broadcast_shapes "
    "can_cast clear_autocast_cache compile get_autocast_cpu_dtype get_autocast_dtype get_autocast_gpu_dtype "
    "get_default_device get_default_dtype get_deterministic_debug_mode get_device_module "
    "get_float32_matmul_precision get_num_interop_threads get_num_threads get_rng_state get_printoptions "
    "initial_seed is_anomaly_check_nan_enabled is_anomaly_enabled is_autocast_cache_enabled "
    "is_autocast_cpu_enabled is_autocast_enabled is_deterministic_algorithms_warn_only_enabled "
    "is_grad_enabled is_inference_mode_enabled is_storage is_tensor is_vulkan_available "
    "is_warn_always_enabled "
    "load manual_seed promote_types save seed set_anomaly_enabled set_autocast_cache_enabled "
    "set_autocast_cpu_dtype set_autocast_cpu_enabled set_autocast_dtype set_autocast_enabled "
    "set_autocast_gpu_dtype set_default_device set_default_dtype set_default_tensor_type "
    "set_deterministic_debug_mode set_float32_matmul_precision set_flush_denormal set_num_interop_threads "
    "set_num_threads set_printoptions set_rng_state set_warn_always typename use_deterministic_algorithms "
    "vmap "
    "from_dlpack").split())


def f_name(name: str) -> str:
    """How torch's error names F.``name``: its C binding's name, or its Python function's."""
    from .ops.signatures import F_BUILTINS
    key = F_BUILTINS.get(name)
    if key is None:
        return PythonLevel("torch.nn.functional." + name)
    return "torch.nn." + key[len("_nn."):] if key.startswith("_nn.") else "torch." + key


def install(module, names, prefix, ignored=frozenset()) -> None:
    """Make the functions ``names`` of ``module`` dispatch (those whose own wrapper asks, AWARE, as they are);
    ``prefix`` names them in torch's error ("torch.", "torch.linalg.linalg_", or a function of the name:
    f_name); ``ignored``: those torch never dispatches (get_ignored_functions)."""
    namespace, listed = vars(module), _OVERRIDABLE.setdefault(module, [])
    for name in names:
        fn = namespace.get(name)
        if not callable(fn) or isinstance(fn, type) or fn in _NAMES:
            continue
        if name in ignored:
            _IGNORED.append(fn)
            continue
        public = namespace[name] = fn if fn in AWARE else _public(fn)
        _NAMES[public] = prefix(name) if callable(prefix) else prefix + name
        listed.append(public)
        while fn is not None:  # (what a class read of it before it was wrapped, argcheck's too)
            _PUBLIC.setdefault(fn, public)
            fn = getattr(fn, "__wrapped__", None)


_PUBLIC: dict = {}  # a function install wrapped -> its public twin


def rebind(base: type) -> None:
    """Point the class attributes of ``base``'s subclasses that hold a function install wrapped (a module's
    ``_fn = F.relu``, read when the class was made) at its public twin, so that they dispatch too."""
    for cls in base.__subclasses__():
        for name, value in list(vars(cls).items()):
            if callable(value) and value in _PUBLIC:
                setattr(cls, name, _PUBLIC[value])
        rebind(cls)


# -- Tensor methods, operators and properties ------------------------------------------------------------
# what torch hands __torch_function__ for an operator: the named method (``a + b`` is Tensor.add)
# an operator -> the Tensor method torch hands a handler for it (the rest are handed as themselves)
_OPERATOR_FUNCS = {"__add__": "add", "__radd__": "add", "__iadd__": "add_", "__sub__": "sub",
                   "__isub__": "sub_", "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul_",
                   "__truediv__": "div", "__itruediv__": "div_", "__rtruediv__": "__rdiv__",
                   "__ifloordiv__": "floor_divide_", "__mod__": "remainder", "__imod__": "remainder_",
                   "__pow__": "pow", "__ipow__": "pow_", "__matmul__": "matmul", "__neg__": "neg",
                   "__pos__": "positive", "__abs__": "abs", "__rand__": "bitwise_and", "__ror__": "bitwise_or",
                   "__rxor__": "bitwise_xor", "__ne__": "ne", "__gt__": "gt", "__ge__": "ge",
                   "__lt__": "lt", "__le__": "le"}
# what is not a Tensor method to torch's protocol: Python's object machinery, pickling, and the protocol
_NOT_METHODS = frozenset((
    "__new__", "__init__", "__init_subclass__", "__getattribute__", "__getattr__", "__setattr__",
    "__delattr__",
    "__torch_function__", "__class_getitem__", "__subclasshook__", "__sizeof__", "__dir__", "__reduce__",
    "__reduce_ex__", "__getstate__", "__setstate__", "__deepcopy__", "__copy__", "__hash__", "__class__",
    "__instancecheck__", "__array_priority__", "__module__", "__doc__", "__dict__", "__weakref__",
    "__annotations__", "__slots__", "as_subclass", "_make",
    "__iter__"))  # (torch's iterates by dim() and unbind(0), which dispatch)
_ORIGINALS: dict = {}  # name -> Tensor's own attribute, as install_tensor found it
# the properties whose value torch's default __torch_function__ hands back unconverted
_NOWRAP: set = set()


def _is_method(name: str, value) -> bool:
    if name in _NOT_METHODS or name.startswith("_") and not (name.startswith("__") and name.endswith("__")):
        return False
    return isinstance(value, property) or callable(value) and not isinstance(value, (type, classmethod,
                                                                                   staticmethod))


def install_tensor() -> None:
    """Record Tensor's methods, operators and properties (its twins are made from these)."""
    for name, value in vars(Tensor).items():
        if _is_method(name, value):
            _ORIGINALS[name] = value
            # (argcheck's and autocast's: ``plain.add(sub)`` dispatches too; an operator asks on its
            # operand's failure, operator_override, so that the handler sees its named method)
            if value in AWARE and not name.startswith("__"):
                _NAMES[value] = "torch.Tensor." + name
    _NOWRAP.add(Tensor.grad.__get__)
    _OVERRIDABLE[Tensor] = [_func_of(name) for name in _ORIGINALS]


def _func_of(name: str, tensor_holds: bool = False):
    """What a handler is given for Tensor's ``name``: its method (an operator's named one), or a
    property's ``__get__``; ``tensor_holds``: what Tensor holds now (its twin, while a mode is entered), so
    that ``func is torch.Tensor.add`` in a handler holds."""
    name = _OPERATOR_FUNCS.get(name, name)
    value = vars(Tensor)[name] if tensor_holds else _ORIGINALS[name]
    return value.__get__ if isinstance(value, property) else value


# the reflected operators: ``plain - sub`` reaches the subclass's ``__rsub__`` first (Python's rule for a
# subclass's operator), where torch's ``__sub__`` dispatched on it: presented as that
_OPS = "add sub mul truediv floordiv mod pow matmul and or xor lshift rshift".split()
_REFLECTED = {f"__r{op}__": f"__{op}__" for op in _OPS}


# the binary operators: a TypeError in one (no override took it) is NotImplemented, so Python tries the other
# operand or raises its own "unsupported operand", as torch's
_BINARY = frozenset({*(f"__{kind}{op}__" for kind in ("", "r", "i") for op in _OPS),
                     *(f"__{op}__" for op in "eq ne lt le gt ge".split())})


def _twin(name: str, value):
    """Tensor's method, operator or property ``value`` as a subclass's (or, in a mode, Tensor's) own, which
    asks its overrides first."""
    shown = "torch.Tensor." + _OPERATOR_FUNCS.get(name, name)
    if isinstance(value, property):
        getter = value.fget

        def get(self):
            return _call(name, getter, (self,), {}, shown + ".__get__")
        return property(get, value.fset, value.fdel, value.__doc__)

    def method(*args, **kwargs):
        return _call(name, value, args, kwargs, shown)

    def binary_plain(self, other):  # (Tensor keeps its twins after a mode: plain operands go straight on)
        if not _MODES_ENTERED[0] and type(self) is Tensor and type(other) in _PLAIN:
            return value(self, other)
        return binary(self, other)

    def method_plain(*args, **kwargs):
        if not _MODES_ENTERED[0]:
            for v in (*args, *kwargs.values()) if kwargs else args:
                if type(v) not in _PLAIN:
                    break
            else:
                return value(*args, **kwargs) if kwargs else value(*args)
        return _call(name, value, args, kwargs, shown)

    def reflected(self, other):
        if isinstance(other, Tensor):  # (a plain tensor on the left: its operator, as torch's)
            forward = _REFLECTED[name]
            return _call(forward, _ORIGINALS[forward], (other, self), {},
                         "torch.Tensor." + _OPERATOR_FUNCS.get(forward, forward))
        return method(self, other)

    def binary(self, other):
        try:
            return (reflected if name in _REFLECTED else method)(self, other)
        except TypeError:
            return NotImplemented
    return functools.wraps(value)(binary_plain if name in _BINARY else method_plain)


def operator_override(dunder: str | None, tensor: Tensor, other):
    """A plain Tensor's operator ``dunder`` (``__add__``) whose operand ``other`` is neither a Tensor nor
    a number: where ``other`` has a ``__torch_function__``, its result for the operator's named method,
    as torch's; else (or where it declines) NotImplemented, so Python tries ``other``'s own operator."""
    if dunder is None or not _dispatches(type(other)):
        return NotImplemented
    name = _OPERATOR_FUNCS.get(dunder, dunder)
    try:  # (a TypeError is NotImplemented in torch's operators too)
        result = _route(_func_of(dunder, True), (tensor, other), {}, "torch.Tensor." + name)
    except TypeError:
        return NotImplemented
    return NotImplemented if result is PASS else result


_TWINS: dict = {}


def _twins() -> dict:
    """Tensor's name -> its dispatching twin (made on first need)."""
    if not _TWINS:
        _TWINS.update((name, _twin(name, value)) for name, value in _ORIGINALS.items())
    return _TWINS


def _twins_on(cls) -> None:
    """Give ``cls`` a dispatching twin of each Tensor method it inherits from Tensor itself."""
    own = set().union(*(vars(c) for c in cls.__mro__[:cls.__mro__.index(Tensor)]))
    for name, twin in _twins().items():
        if name not in own:
            setattr(cls, name, twin)


def subclass_defined(cls) -> None:
    """Tensor.__init_subclass__: a subclass that dispatches gets its twins, and every call looks from now."""
    if _ORIGINALS and _dispatches(cls):
        ON[0] = True
        _twins_on(cls)


# -- modes ----------------------------------------------------------------------------------------------
class TorchFunctionMode:
    """A context manager whose ``__torch_function__`` sees every overridable call made in its ``with``
    block (in this thread), before any subclass's; while it runs, the calls it makes go on to the next mode
    out, as torch's."""

    def __init__(self):
        pass

    def __torch_function__(self, func, types, args=(), kwargs=None):
        raise NotImplementedError

    def __enter__(self):
        _push_mode(self)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        _pop_mode()

    @classmethod
    def push(cls, *args, **kwargs):
        warnings.warn("`Mode.push()` is no longer necessary and can be replaced with just `with Mode()`",
                      stacklevel=2)
        return cls(*args, **kwargs)


class BaseTorchFunctionMode(TorchFunctionMode):
    """A mode that runs every call as it is (a base for modes that override a few)."""

    def __torch_function__(self, func, types, args=(), kwargs=None):
        return func(*args, **(kwargs or {}))


_SWAP = threading.Lock()


def _push_mode(mode) -> None:
    ON[0] = True
    with _SWAP:
        # Tensor holds its twins while a mode is entered, and only then: kept after the last mode, they took
        # calls no mode sees (a batched tensor's .item() under vmap read its value instead of refusing). Each
        # first entry sets ~600 attributes (and flushes Python's type cache): ~0.5 ms a mode's outermost entry
        if not _MODES_ENTERED[0]:
            for name, twin in _twins().items():
                setattr(Tensor, name, twin)
            _OVERRIDABLE[Tensor] = [_func_of(name, True) for name in _ORIGINALS]  # (what handlers are given)
            _NOWRAP.add(Tensor.grad.__get__)  # (the twin's, which a handler is given in a mode)
            _TENSOR_HAS_TWINS[0] = True
        _MODES_ENTERED[0] += 1
    _STATE.modes.append(mode)


def _pop_mode() -> None:
    _STATE.modes.pop()
    with _SWAP:
        _MODES_ENTERED[0] -= 1
        if not _MODES_ENTERED[0]:
            for name, value in _ORIGINALS.items():
                setattr(Tensor, name, value)
            _OVERRIDABLE[Tensor] = [_func_of(name) for name in _ORIGINALS]
            _TENSOR_HAS_TWINS[0] = False


def _is_torch_function_mode_enabled() -> bool:
    return bool(_STATE.modes) and not _STATE.disabled


def _get_current_function_mode():
    return _STATE.modes[-1] if _STATE.modes else None


def _get_current_function_mode_stack() -> list:
    return list(_STATE.modes)


# -- Tensor's own __torch_function__ ---------------------------------------------------------------------
def _convert(ret, cls):
    """torch's _convert: a Tensor result as ``cls``, into tuples and lists."""
    if cls is Tensor:
        return ret
    if isinstance(ret, Tensor) and not isinstance(ret, cls):
        return ret.as_subclass(cls)
    if isinstance(ret, (tuple, list)):
        converted = [_convert(r, cls) for r in ret]
        return type(ret)(*converted) if hasattr(ret, "_fields") else type(ret)(converted)
    return ret


def tensor_torch_function(cls, func, types, args=(), kwargs=None):
    """Tensor.__torch_function__: ``func`` run with subclasses' dispatch off, its Tensor results made
    ``cls`` (so a ``class MyT(Tensor): pass`` keeps MyT through ops); NotImplemented where a type of
    ``types`` is no base of ``cls``."""
    if not all(issubclass(cls, t) for t in types):
        return NotImplemented
    _STATE.no_subclasses += 1  # (torch._C.DisableTorchFunctionSubclass)
    try:
        ret = func(*args, **(kwargs or {}))
    finally:
        _STATE.no_subclasses -= 1
    return ret if func in _NOWRAP else _convert(ret, cls)


# -- torch.overrides' functions --------------------------------------------------------------------------
def is_tensor_like(inp) -> bool:
    """Whether ``inp`` is a Tensor or has a ``__torch_function__`` (a duck type)."""
    return type(inp) is Tensor or hasattr(inp, "__torch_function__")


def has_torch_function(relevant_args) -> bool:
    """Whether any of ``relevant_args`` dispatches, or a mode is entered."""
    if _STATE.disabled:
        return False
    # (the arguments themselves, as torch's: a list among them is not looked into)
    return bool(_STATE.modes) or not _STATE.no_subclasses and any(
        type(a) not in _PLAIN and _dispatches(type(a)) for a in relevant_args)


def has_torch_function_unary(arg) -> bool:
    return has_torch_function((arg,))


def has_torch_function_variadic(*args) -> bool:
    return has_torch_function(args)


def handle_torch_function(public_api, relevant_args, *args, **kwargs):
    """Call ``public_api``'s override: the mode's, else those of ``relevant_args``' types; TypeError where
    all return NotImplemented."""
    overloaded = [] if _STATE.no_subclasses else _overloaded(tuple(relevant_args))
    return _dispatch(public_api, overloaded, args, kwargs, None)


def wrap_torch_function(dispatcher):
    """A decorator: the function dispatches on the arguments ``dispatcher(*args, **kwargs)`` returns."""
    def inner(func):
        @functools.wraps(func)
        def wrapped(*args, **kwargs):
            relevant = dispatcher(*args, **kwargs)
            if has_torch_function(relevant):
                return handle_torch_function(wrapped, relevant, *args, **kwargs)
            return func(*args, **kwargs)
        return wrapped
    return inner


def get_overridable_functions() -> dict:
    """{namespace: [its functions that dispatch]}: torch, torch.nn.functional, torch.Tensor, ..."""
    return {namespace: list(functions) for namespace, functions in _OVERRIDABLE.items()}


def get_ignored_functions() -> set:
    """The public functions that take no part in the protocol."""
    return set(_IGNORED)


def is_tensor_method_or_property(func) -> bool:
    """Whether ``func`` is a Tensor method or a property's ``__get__``."""
    methods = _OVERRIDABLE.get(Tensor, ())
    return any(func is f for f in methods) or getattr(func, "__name__", None) == "__get__"


def resolve_name(f) -> str | None:
    """``f``'s name in torch's namespace ("torch.add", "torch.Tensor.add"), None where it dispatches not."""
    for namespace, functions in _OVERRIDABLE.items():
        if any(f is g for g in functions):
            home = "torch.Tensor" if namespace is Tensor else \
                namespace.__name__.replace("pyfront", "torch", 1)
            return f"{home}.{getattr(f, '__name__', '')}"
    return None

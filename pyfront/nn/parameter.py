"""``nn.Parameter`` and ``nn.Buffer``: tensors a Module registers when they are assigned to it."""

from __future__ import annotations

import sys

from ..ops.creation import empty
from ..overrides import _disabled_torch_function_impl
from ..tensor import Tensor

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer", "UninitializedTensorMixin",
           "is_lazy"]


class Parameter(Tensor):
    """A Tensor that a Module lists in ``parameters()`` when assigned as an attribute.

    Args:
        data (Tensor): the values; the parameter shares their memory, without their history.
        requires_grad (bool): whether it requires gradient (also under ``no_grad``). Default: True
    """

    __torch_function__ = _disabled_torch_function_impl  # ops on a Parameter give plain Tensors, as torch's

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True):
        if data is None:
            data = empty(0)
        if requires_grad and data.dtype.kind not in "fc":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        # same storage, strides and version counter as ``data``, but a leaf of its own (PyTorch's
        # _make_subclass): ops on it return plain Tensors, since Tensor._make builds those
        p = cls._make(data._storage, data._shape, data.dtype, data._strides, data._offset)
        data._storage.share(data, p)
        p._inference = data._inference  # an alias of data: an inference tensor refuses requires_grad below
        p._set_requires_grad(requires_grad, "")
        return p

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(), self.requires_grad)
        memo[id(self)] = result
        return result

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class _BufferMeta(type):
    # ``Buffer(...)`` returns a plain Tensor marked ``_is_buffer``; isinstance recognises the mark
    def __instancecheck__(cls, instance) -> bool:
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(metaclass=_BufferMeta):
    """A Tensor that a Module lists in ``buffers()`` (and, if persistent, its state_dict) when assigned.

    Args:
        data (Tensor): the values (shared, detached).
        persistent (bool): whether it is part of the module's state_dict. Default: True
    """

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True):
        if data is None:
            data = empty(0)
        t = data.detach().requires_grad_(data.requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t


# what torch's UninitializedTensorMixin lets through (its _allowed_methods): the size, the dtype checks and
# the conversions Module.to/float/half/cpu make; every other Tensor method raises
_ALLOWED = frozenset({"size", "copy_", "is_complex", "is_floating_point", "half", "float", "double", "char",
                      "short", "int", "long", "cuda", "cpu", "webgpu", "to", "get_device", "materialize",
                      "share_memory_"})  # share_memory_: the mixin's own refusal, with torch's text
# the special methods an uninitialized tensor keeps: construction, identity, repr, pickling
_KEPT_DUNDERS = frozenset({"__new__", "__init__", "__repr__", "__hash__", "__reduce_ex__", "__reduce__",
                           "__getattribute__", "__getattr__", "__setattr__", "__delattr__",
                           "__dir__", "__init_subclass__", "__class_getitem__", "__subclasshook__",
                           "__sizeof__", "__getstate__", "__setstate__", "__str__", "__instancecheck__"})
_refused_methods: frozenset = frozenset()  # filled by _install_refusals


def _refusal(cls, func: str) -> ValueError:
    return ValueError(
        f"Attempted to use an uninitialized parameter in {func}. This error happens when you are using a "
        f"`LazyModule` or explicitly manipulating `torch.nn.parameter.{cls.__name__}` objects. When using "
        "LazyModules Call `forward` with a dummy batch to initialize the parameters before calling torch "
        "functions")


# torch's names for the functions its operators reach, where they are not the operator's own
_TORCH_OPERATOR = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add_", "__sub__": "sub", "__isub__": "sub_",
    "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul_", "__truediv__": "div", "__itruediv__": "div_",
    "__mod__": "remainder", "__matmul__": "matmul", "__neg__": "neg", "__pos__": "positive", "__abs__": "abs",
    "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge", "__ne__": "ne", "__iter__": "dim"}
# torch's methods written in Python: it names them as functions
_TORCH_PYTHON = {"__len__", "__format__", "__deepcopy__", "__rsub__", "__rtruediv__", "__floordiv__",
                 "__rpow__", "__contains__", "__array__", "__reversed__", "register_hook"}


def _method(name: str) -> str:
    if name in _TORCH_PYTHON:
        return f"<function Tensor.{name}>"
    if name in ("__getitem__", "__setitem__"):
        return f"<slot wrapper '{name}' of 'torch._C.TensorBase' objects>"
    return f"<method '{_TORCH_OPERATOR.get(name, name)}' of 'torch._C.TensorBase' objects>"


def _from_pyfront(frame) -> bool:
    return frame.f_globals.get("__name__", "")[:8] == "pyfront."


def _entry_point() -> str:
    """The pyfront function the user called (the outermost pyfront frame): what reached an uninitialized
    tensor's values, as torch names the function its ``__torch_function__`` intercepted."""
    frame, name = sys._getframe(2), "<unknown>"
    while frame is not None:
        if _from_pyfront(frame):
            name = frame.f_code.co_name
        frame = frame.f_back
    return f"<function {name}>"


def _refused(name: str):
    def refused(self, *args, **kwargs):
        raise _refusal(type(self), _method(name))
    refused.__name__ = name
    return refused


class UninitializedTensorMixin:
    """What an uninitialized parameter or buffer is: a tensor of no size whose values cannot be used.

    Every Tensor method and operator raises torch's ValueError except the size, the dtype checks and the
    conversions (``to``, ``float``, ``cpu``, ...); ``.shape`` raises torch's RuntimeError; ``materialize``
    gives it a shape and makes it the class it stands for (``cls_to_become``).

    As ``torch.nn.parameter.UninitializedTensorMixin``.
    """

    cls_to_become: type = Tensor
    __hash__ = Tensor.__hash__

    def __getattribute__(self, name):
        # a method the user calls is refused where it is looked up (the call raises, as torch's); pyfront's
        # own code gets it and meets the _layout below when it reaches the values
        if name in _refused_methods and not _from_pyfront(sys._getframe(1)):
            return _refused(name).__get__(self)
        return object.__getattribute__(self, name)

    @property
    def shape(self):
        entry = _entry_point()
        # pyfront's own code reading it stands for the function the user called (torch intercepts that one),
        # except load_state_dict, where torch's Python reads it too
        if _from_pyfront(sys._getframe(2)) and entry != "<function load_state_dict>":  # 1: __getattribute__
            raise _refusal(type(self), entry)
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
            "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
            "`forward` to initialize the parameters before accessing their attributes.")

    @property
    def T(self):  # a property, which torch's __torch_function__ lets through: the empty tensor's
        return self._plain().T

    # every op reads its operands' layouts: a function given an uninitialized tensor (torch.add(w, 1),
    # F.linear(x, w)) stops here; the setter is what data= and materialize write
    @property
    def _layout(self):
        raise _refusal(type(self), _entry_point())

    @_layout.setter
    def _layout(self, value):
        self.__dict__["_layout"] = value

    @property
    def data(self):  # a buffer's stays uninitialized (torch wraps a Tensor subclass's results)
        data = Tensor.data.fget(self)
        if self.cls_to_become is Tensor:
            return type(self)(self.requires_grad, data.device, data.dtype)
        return data

    @data.setter
    def data(self, value):  # Module.to's conversions give it back itself, or another uninitialized tensor
        Tensor.data.fset(self, value._plain() if is_lazy(value) else value)

    def materialize(self, shape, device=None, dtype=None) -> None:
        """Become a ``cls_to_become`` of ``shape`` (uninitialized values) on ``device`` with ``dtype``
        (Default: its own), the same object: a module or optimizer holding it keeps it."""
        self.data = empty(tuple(shape), device=device or self.device, dtype=dtype or self.dtype)
        self.__class__ = self.cls_to_become

    def requires_grad_(self, requires_grad=True):  # also where Module.requires_grad_ calls it, as torch's
        raise _refusal(type(self), _method("requires_grad_"))

    def share_memory_(self):
        raise RuntimeError("Can't share memory on an uninitialized parameter or buffer. Call `forward` to "
                           "initialize the parameters before calling `module.share_memory()`.")

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"

    def __reduce_ex__(self, proto):
        return type(self), (self.requires_grad,)

    def _plain(self) -> Tensor:
        """The empty tensor standing behind: what the allowed conversions run on."""
        d = self.__dict__
        t = Tensor._make(d["_storage"], d["_shape"], d["dtype"])
        t._requires_grad = d.get("_requires_grad", False)
        return t

    def _converted(self, result):
        # a parameter's conversion is a plain tensor (Parameter disables torch's subclass wrapping), a
        # buffer's stays uninitialized; no change: itself
        if result._storage is self.__dict__["_storage"] and result.dtype is self.dtype:
            return self
        if self.cls_to_become is Tensor:
            return type(self)(self.requires_grad, result.device, result.dtype)
        return result

    def copy_(self, src, non_blocking=False):
        Tensor.copy_(self._plain(), src._plain() if is_lazy(src) else src, non_blocking)
        return self


def _conversion(name):
    def convert(self, *args, **kwargs):
        return self._converted(getattr(Tensor, name)(self._plain(), *args, **kwargs))
    convert.__name__ = name
    return convert


def _install_refusals() -> None:
    """Give the mixin its refusals, at the first uninitialized tensor made: ops/methods.py binds most of
    Tensor's methods and operators after this module is imported."""
    global _refused_methods
    if _refused_methods:
        return
    names = {n: v for klass in reversed(Tensor.__mro__[:-1]) for n, v in vars(klass).items()
             if callable(v) and not isinstance(v, (type, classmethod, staticmethod))}
    for name in ("to", "cpu", "cuda", "webgpu", "half", "float", "double", "char", "short", "int", "long"):
        if name in names:
            setattr(UninitializedTensorMixin, name, _conversion(name))
    # operators are looked up on the type, past __getattribute__: each raises as torch's (w + 1, w[0], len(w))
    for name in names:
        if name.startswith("__") and name.endswith("__") and name not in _KEPT_DUNDERS:
            setattr(UninitializedTensorMixin, name, _refused(name))
    _refused_methods = frozenset(n for n in names if not n.startswith("_") and n not in _ALLOWED)


def is_lazy(param) -> bool:
    """Whether ``param`` is an uninitialized parameter or buffer (a lazy module's, before its first forward).

    As ``torch.nn.parameter.is_lazy``.
    """
    return isinstance(param, UninitializedTensorMixin)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet: ``materialize(shape)`` makes it a ``Parameter`` of that
    shape (the same object).

    Args:
        requires_grad (bool): Default: True
        device, dtype: of the parameter it becomes. Default: None (the defaults)

    Raises:
        ValueError: any use of its values before ``materialize``; RuntimeError: its ``.shape``.

    As ``torch.nn.parameter.UninitializedParameter``.
    """

    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device=None, dtype=None):
        _install_refusals()
        return Parameter.__new__(cls, empty(0, device=device, dtype=dtype), requires_grad)

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, self.device, self.dtype)
        return memo[id(self)]


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet: ``materialize(shape)`` makes it a Tensor of that shape (the
    same object).

    Args:
        requires_grad (bool): Default: False
        device, dtype: of the buffer it becomes. Default: None (the defaults)

    Raises:
        ValueError: any use of its values before ``materialize`` (a deep copy too, as torch's);
        RuntimeError: its ``.shape``.

    As ``torch.nn.parameter.UninitializedBuffer``.
    """

    cls_to_become = Tensor

    def __new__(cls, requires_grad: bool = False, device=None, dtype=None):
        _install_refusals()
        data = empty(0, device=device, dtype=dtype)
        t = cls._make(data._storage, data._shape, data.dtype)
        t._requires_grad = requires_grad
        return t

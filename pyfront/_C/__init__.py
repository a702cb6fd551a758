"""``torch._C``: the names of torch's C module that programs use directly (the ``__torch_function__``
protocol's switches, overrides.py); the rest of torch's bindings pyfront has in their public homes."""
from ..overrides import _STATE, _disabled_torch_function_impl, _is_torch_function_mode_enabled  # noqa: F401
from ..overrides import has_torch_function as _has_torch_function  # noqa: F401
from ..overrides import has_torch_function_unary as _has_torch_function_unary  # noqa: F401
from ..overrides import has_torch_function_variadic as _has_torch_function_variadic  # noqa: F401


class _Switch:
    """A ``with`` block that raises one of this thread's protocol depths (overrides._State) while it runs."""

    _depth = ""

    def __enter__(self):
        setattr(_STATE, self._depth, getattr(_STATE, self._depth) + 1)
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        setattr(_STATE, self._depth, getattr(_STATE, self._depth) - 1)


class DisableTorchFunctionSubclass(_Switch):
    """``with``: Tensor subclasses' __torch_function__ is skipped (modes still run), in this thread."""

    _depth = "no_subclasses"


class DisableTorchFunction(_Switch):
    """``with``: no __torch_function__ runs, neither a subclass's nor a mode's, in this thread."""

    _depth = "disabled"

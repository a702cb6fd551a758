"""``torch.__future__``: switches for behaviour that changes in a later release, here how ``nn.Module``'s
conversions (``to()``, ``double()``, ``cpu()``, ``_apply``) replace a parameter's values. By default a
parameter keeps its object and takes the converted data (``param.data = new``); "overwrite" makes a new
Parameter instead; "swap" converts through ``torch.utils.swap_tensors``, keeping the object and its
references (optimizers) whole, its gradient converted the same way."""

_overwrite_module_params_on_conversion = False
_swap_module_params_on_conversion = False


def set_overwrite_module_params_on_conversion(value: bool) -> None:
    """Whether a module's conversions give each parameter a new Parameter object (default: False)."""
    global _overwrite_module_params_on_conversion
    _overwrite_module_params_on_conversion = value


def get_overwrite_module_params_on_conversion() -> bool:
    return _overwrite_module_params_on_conversion


def set_swap_module_params_on_conversion(value: bool) -> None:
    """Whether a module's conversions swap each parameter with its converted self (default: False); wins
    over the overwrite switch."""
    global _swap_module_params_on_conversion
    _swap_module_params_on_conversion = value


def get_swap_module_params_on_conversion() -> bool:
    return _swap_module_params_on_conversion

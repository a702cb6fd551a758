"""``torch._dynamo.config``: torch 2.13's knobs scripts set, with its defaults; none changes what runs.

Setting or reading a name torch's config lacks raises AttributeError with torch's text.
"""
from __future__ import annotations

import sys
import types

_DEFAULTS = dict(suppress_errors=False, cache_size_limit=8, recompile_limit=8,
                 accumulated_cache_size_limit=256,
                 accumulated_recompile_limit=256, verbose=False, capture_scalar_outputs=False,
                 capture_dynamic_output_shape_ops=False, automatic_dynamic_shapes=True,
                 assume_static_by_default=True, optimize_ddp=True, inline_inbuilt_nn_modules=True,
                 error_on_recompile=False, specialize_int=False, dynamic_shapes=True, guard_nn_modules=True,
                 allow_unspec_int_on_nn_module=False, force_parameter_static_shapes=True,
                 replay_record_enabled=False, compiled_autograd=False)


class _Config(types.ModuleType):
    def __getattr__(self, name):
        raise AttributeError(f"torch._dynamo.config.{name} does not exist")

    def __setattr__(self, name, value):
        if name not in _DEFAULTS and not name.startswith("__"):
            raise AttributeError(f"torch._dynamo.config.{name} does not exist")
        super().__setattr__(name, value)


globals().update(_DEFAULTS)
sys.modules[__name__].__class__ = _Config

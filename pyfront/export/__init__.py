"""``torch.export``: ``export(module, args)`` as an ``ExportedProgram`` whose ``module()`` runs the module
eagerly. pyfront captures no graph, so there is nothing to inspect (``graph``, ``graph_module`` raise
RuntimeError) and no ``.pt2`` archive to write or read (``save``/``load`` raise RuntimeError saying so).
``Dim`` describes dynamic sizes as torch's does; eager code takes any size anyway.
"""
from __future__ import annotations

__all__ = ["Dim", "ExportedProgram", "export", "load", "save"]


def _no_graph(what: str):
    return RuntimeError(f"pyfront cannot {what}: it runs modules eagerly and captures no graph. Save the "
                        "weights with torch.save(model.state_dict(), path) and rebuild the model in Python.")


class ExportedProgram:
    """``torch.export.ExportedProgram``: ``module()`` is the exported module (run eagerly), ``state_dict``
    its tensors; calling the program itself raises torch's RuntimeError."""

    def __init__(self, module, args, kwargs):
        self._module, self.example_inputs = module, (args, kwargs or {})

    def module(self):
        """The module to call (the exported module itself: it runs eagerly)."""
        return self._module

    @property
    def state_dict(self):
        return self._module.state_dict()

    def run_decompositions(self, decomp_table=None, decompose_custom_triton_ops=False):
        """Itself: there is no graph to decompose."""
        return self

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Unable to call ExportedProgram directly. You should use "
                           "`exported_program.module()` instead.")

    @property
    def graph(self):
        raise _no_graph("show an exported graph")

    graph_module = graph_signature = graph


def export(mod, args=(), kwargs=None, *, dynamic_shapes=None, strict=False,
           preserve_module_call_signature=()):
    """``torch.export.export``: an ``ExportedProgram`` over ``mod`` (nothing is traced)."""
    from ..nn.modules.module import Module
    if not isinstance(mod, Module):
        raise ValueError(f"Expected `mod` to be an instance of `torch.nn.Module`, got {type(mod)}.")
    if not isinstance(args, tuple):
        raise ValueError(f"Expecting `args` to be a tuple of example positional inputs, got {type(args)}")
    return ExportedProgram(mod, args, kwargs)


def save(ep, f, *, extra_files=None, opset_version=None, pickle_protocol=2):
    """``torch.export.save``: pyfront cannot write a .pt2 archive (RuntimeError)."""
    raise _no_graph("write a torch.export (.pt2) archive")


def load(f, *, extra_files=None, expected_opset_version=None):
    """``torch.export.load``: pyfront cannot read a .pt2 archive (RuntimeError)."""
    raise _no_graph("load a torch.export (.pt2) archive")


class _DimHint:
    def __init__(self, name):
        self._name = name

    def __repr__(self) -> str:
        return f"DimHint({self._name})"


class Dim:
    """``torch.export.Dim(name, min=None, max=None)``: a named dynamic size; ``Dim.AUTO``, ``Dim.STATIC``,
    ``Dim.DYNAMIC`` the hints."""

    AUTO, STATIC, DYNAMIC = _DimHint("AUTO"), _DimHint("STATIC"), _DimHint("DYNAMIC")

    def __init__(self, name: str, *, min=None, max=None):
        self.__name__, self.min, self.max = name, min, max

    def __repr__(self) -> str:
        return f"Dim({self.__name__!r}, min={self.min}, max={self.max})"

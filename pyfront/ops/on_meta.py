"""The ops whose result's size (or value) is read from the data: on the meta device there is none, and torch
refuses each with the words of the kernel it lacks. One check per op, at its top, before any read-back would
fail with ``item()``'s words instead."""
from __future__ import annotations

from ..shape import broadcast_shapes, broadcast_shapes_on_meta

# torch's meta rule for nonzero exists but refuses unless a config flag says every element is non-zero
_NONZERO = ("The register_meta function for torch.nonzero() raises unimplemented by default, as a correct "
            "data-independent implementation does not exist. This implementation returns a fake value, "
            "assuming all elements of the tensor are non-zero. To enable this registration, please set "
            "'torch.fx.experimental._config.meta_nonzero_assume_all_nonzero' to True.")


def on_meta(*tensors) -> bool:
    """Whether torch would run the meta kernel: any of ``tensors`` (None: an absent operand) is on meta."""
    return any(t is not None and t.device.type == "meta" for t in tensors)


def refuse_on_meta(aten: str, *tensors) -> None:
    """Raise torch's NotImplementedError when any of ``tensors`` is on the meta device: ``aten`` names the
    kernel torch has no meta version of ("aten::equal"), or is "nonzero" (every op built on it)."""
    if not on_meta(*tensors):
        return
    if aten == "nonzero":
        raise NotImplementedError(_NONZERO)
    raise NotImplementedError(
        f"{aten}: attempted to run this operator with Meta tensors, but there was no fake impl or Meta "
        "kernel registered. You may have run into this message while using an operator with PT2 compilation "
        "APIs (torch.compile/torch.export); in order to use this operator with those APIs you'll need to add "
        "a fake impl. Please see the following for next steps:  "
        "https://pytorch.org/tutorials/advanced/custom_ops_landing_page.html")


def broadcast_of(*tensors) -> tuple:
    """The shape ``tensors`` broadcast to; a mismatch among meta tensors gets the meta device's words (its
    kernels broadcast in Python), checked only once the shapes failed."""
    shapes = [t.shape for t in tensors]
    try:
        return broadcast_shapes(*shapes)
    except RuntimeError:
        if on_meta(*tensors):
            broadcast_shapes_on_meta(*shapes)
        raise

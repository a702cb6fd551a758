"""``pyfront.nn.parallel``: the wrappers device-agnostic training scripts import, as ``torch.nn.parallel``.

pyfront drives one device, so these behave as PyTorch does on a machine without CUDA: ``DataParallel``
wraps the module and calls it, ``DistributedDataParallel`` needs a process group, which pyfront never has.
"""
from __future__ import annotations

from ..modules.module import Module

__all__ = ["DataParallel", "DistributedDataParallel", "data_parallel"]


class DataParallel(Module):
    """Wraps ``module`` for data-parallel training; with no CUDA device it simply calls the module.

    PyTorch splits each batch over its CUDA devices; on a machine without them (pyfront's case) it keeps
    the module as ``self.module``, sets ``device_ids`` to ``[]`` and its forward is ``module(*inputs,
    **kwargs)``. So parameters, gradients and outputs are the module's, and ``state_dict()`` keys carry
    the ``module.`` prefix, as checkpoints saved from a wrapped model do in PyTorch.

    Args:
        module (Module): the module to wrap.
        device_ids (list of int or device, optional): the CUDA devices to use; ignored, as without CUDA.
        output_device (int or device, optional): where outputs gather; ignored, as without CUDA.
        dim (int): the batch dimension to scatter along (default 0); ignored, as without CUDA.

    Shape:
        - Input: whatever ``module`` takes.
        - Output: whatever ``module`` returns.
    """

    def __init__(self, module: Module, device_ids=None, output_device=None, dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids = []

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)


class DistributedDataParallel(Module):
    """Data parallelism across processes; needs a default process group, which pyfront never has.

    Importable so that scripts which choose it only under ``torch.distributed`` run unchanged; building
    one raises PyTorch's error for a missing process group (``ValueError: Default process group has not
    been initialized, please make sure to call init_process_group.``).

    Args:
        module (Module): the module to wrap.
        device_ids (list of int or device, optional): the devices of this process.
        output_device (int or device, optional): where outputs go.
        dim (int): the batch dimension (default 0).
        process_group (optional): the process group; none exists in pyfront.

    Shape:
        - Input and output: those of ``module``.
    """

    def __init__(self, module: Module, device_ids=None, output_device=None, dim: int = 0,
                 process_group=None, **kwargs) -> None:
        raise ValueError(
            "Default process group has not been initialized, please make sure to call init_process_group."
        )


def data_parallel(module, inputs, device_ids=None, output_device=None, dim: int = 0, module_kwargs=None):
    """The functional ``DataParallel``; as in PyTorch without CUDA it finds no device type to run on.

    Args:
        module (Module): the module to evaluate.
        inputs (Tensor or tuple): its inputs.
        device_ids (list of int or device, optional): the devices to replicate on.
        output_device (int or device, optional): where the output goes.
        dim (int): the batch dimension (default 0).
        module_kwargs (dict, optional): keyword arguments for the module.

    Raises:
        RuntimeError: always, with PyTorch's text for a machine without CUDA.
    """
    raise RuntimeError("device type could not be determined")

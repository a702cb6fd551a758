"""``torch.utils.tensorboard``: ``SummaryWriter`` writes TensorBoard event files from pyfront tensors.

Built on the ``tensorboard`` package (its protos and its event-file writer), as torch's module is: without
that package this import fails with ``No module named 'tensorboard'``, as torch's does. ``import pyfront``
never imports it."""
import tensorboard as _tensorboard

if tuple(int(p) for p in _tensorboard.__version__.split(".")[:2] if p.isdigit()) < (1, 15):
    raise ImportError("TensorBoard logging requires TensorBoard "
                      "version 1.15 or above")

from tensorboard.summary.writer.record_writer import RecordWriter  # noqa: E402

from .writer import FileWriter, SummaryWriter  # noqa: E402

__all__ = ["FileWriter", "RecordWriter", "SummaryWriter"]

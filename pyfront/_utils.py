"""``torch._utils``'s rebuilds, which a plain pickle of a torch tensor calls: ``pickle.dumps(t)`` in torch
writes ``torch._utils._rebuild_tensor_v2(torch.storage._load_from_bytes(...), offset, size, stride, ...)``, so
under ``pyfront run`` (``torch`` is pyfront) such a pickle loads as pyfront tensors. A checkpoint's tensors
are rebuilt by the checked handlers of serialization/unpickler.py instead, which never call these."""
from __future__ import annotations

from .serialization.unpickler import _check_geometry, _set_state
from .storage import TypedStorage, backend_storage
from .tensor import Tensor


def _rebuild_tensor(storage: TypedStorage, storage_offset: int, size, stride) -> Tensor:
    """A tensor over ``storage`` (a TypedStorage, its dtype the tensor's), as torch's set_ checks it."""
    size, stride = tuple(size), tuple(stride)
    _check_geometry(storage_offset, size, stride, storage.size(), "of the pickle")
    memory = backend_storage(storage)
    t = Tensor._make(memory, size, storage.dtype, stride, storage_offset)
    memory.share(t)
    return t


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, metadata=None):
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    t.requires_grad = requires_grad  # the hooks, as torch's, are not restored
    return t


def _rebuild_tensor_v3(storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype,
                       metadata=None):
    typed = TypedStorage(wrap_storage=storage.untyped(), dtype=dtype, _internal=True)
    return _rebuild_tensor_v2(typed, storage_offset, size, stride,
                              requires_grad, backward_hooks)


def _rebuild_parameter(data, requires_grad, backward_hooks):
    from .nn.parameter import Parameter
    return Parameter(data, requires_grad)


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _set_state(_rebuild_parameter(data, requires_grad, backward_hooks), state)

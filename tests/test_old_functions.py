"""torch.fill, torch.detach, torch.frobenius_norm, torch.nuclear_norm, torch.is_vulkan_available,
Tensor.storage_type and Tensor.is_xla & co., autograd's multithreading and view-replay queries: the names
old scripts and libraries call, with torch's values, dtypes, warnings and errors."""
import pytest
import torch

import pyfront
from warned import every_warning, shown, torch_text


def _outcome(lib, call):
    with every_warning(lib) as seen:  # (their deprecations warn once per process: an earlier test's)
        try:
            r = call(lib)
        except Exception as e:  # noqa: BLE001  (the comparison is the point)
            return type(e).__name__, torch_text(e)
    result = repr(r).replace("pyfront", "torch") if not isinstance(r, type) else r.__name__
    return result, sorted(shown(seen))


CALLS = {
    "fill": lambda t: t.fill(t.ones(2, 3, dtype=t.int64), 2.7),
    "fill 0-d tensor": lambda t: t.fill(t.ones(2), t.tensor(3.0)),
    "fill 1-d tensor": lambda t: t.fill(t.ones(2), t.ones(2)),
    "fill keeps the graph": lambda t: t.fill(t.ones(2, requires_grad=True), 1.0).grad_fn is not None,
    "detach": lambda t: t.detach(t.ones(2, requires_grad=True) * 2),
    "frobenius_norm": lambda t: t.frobenius_norm(t.arange(6.0).reshape(2, 3), (0, 1)),
    "frobenius_norm dim": lambda t: t.frobenius_norm(t.arange(6.0).reshape(2, 3), (1,), True),
    "nuclear_norm": lambda t: t.nuclear_norm(t.eye(3) * 2),
    "nuclear_norm keepdim": lambda t: t.nuclear_norm(t.eye(3) * 2, True),
    "nuclear_norm dim": lambda t: t.nuclear_norm(t.ones(2, 3, 3), (1, 2)),
    "is_vulkan_available": lambda t: t.is_vulkan_available(),
    "storage_type": lambda t: t.ones(2).storage_type(),
    "storage_type long": lambda t: t.ones(2, dtype=t.int64).storage_type(),
    "storage_type bool": lambda t: t.ones(2, dtype=t.bool).storage_type(),
    "other devices": lambda t: [getattr(t.ones(1), f"is_{d}") for d in ("xla", "ipu", "mtia", "maia",
                                                                          "vulkan")],
    "multithreading": lambda t: t.autograd.is_multithreading_enabled(),
    "view replay": lambda t: t.autograd.is_view_replay_enabled(),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_as_torch(name):
    assert _outcome(pyfront, CALLS[name]) == _outcome(torch, CALLS[name])


@pytest.mark.parametrize("lib", [torch, pyfront], ids=["torch", "pyfront"])
def test_set_multithreading_enabled(lib):
    with lib.autograd.set_multithreading_enabled(False):
        assert lib.autograd.is_multithreading_enabled() is False
    assert lib.autograd.is_multithreading_enabled() is True

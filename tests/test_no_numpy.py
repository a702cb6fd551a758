"""Without NumPy (the browser build) the cpu device still creates, holds, transfers and prints
tensors, compute on it runs through webgpu, and the same seed gives the same numbers as with NumPy."""
import importlib.util
import json
import subprocess
import sys

import numpy as np
import pytest

import pyfront

SCRIPT = r"""
import json, sys
sys.modules["numpy"] = None  # as in a Pyodide page without the NumPy package
import pyfront as torch
x = torch.tensor([[1.5, -2.0], [3.0, 4.25]])
out = {"repr": repr(x), "t": x.t().tolist(), "long": x.long().tolist(), "eye": torch.eye(2).tolist(),
       "arange": torch.arange(1, 7, 2).tolist(), "bool": repr(torch.tensor([True, False]))}
torch.manual_seed(7)
out["randn"] = torch.randn(5).tolist()
try:
    x.double() + 1
except RuntimeError as e:
    out["error"] = str(e)
out["sum"] = (x + x).tolist() if torch.webgpu.is_available() else None
# every kind of dispatch the cpu device has (elementwise, reduction, matrix product) reaches the pure
# backend's run: none may call a plan only the NumPy backend has (mm's planned product did, in the page)
out["mm"] = (x @ x).tolist() if torch.webgpu.is_available() else None
out["reduced"] = x.sum(0).tolist() if torch.webgpu.is_available() else None
# a layer with a bias: F.linear's one op (addmm), the product and the bias added
out["linear"] = (torch.nn.functional.linear(x, x, torch.tensor([0.5, -1.0])).tolist()
                 if torch.webgpu.is_available() else None)
# a classifier's loss of class indices: nll_loss's one op has no kernel but NumPy's, so the composite runs
if torch.webgpu.is_available():
    scores = x.clone().requires_grad_()
    loss = torch.nn.functional.cross_entropy(scores, torch.tensor([1, 0]))
    loss.backward()
    out["cross_entropy"] = [loss.item(), scores.grad.tolist()]
    # a float16 layer_norm's weight gradient: torch's 16-bit buffers are NumPy's, the page sums in float32
    h = torch.tensor([[1.5, -2.0, 0.25], [3.0, 4.25, -1.0]], device="webgpu").half().requires_grad_()
    w = torch.tensor([1.0, 2.0, -0.5], device="webgpu").half().requires_grad_()
    scale = torch.arange(6, device="webgpu").view(2, 3)
    (torch.nn.functional.layer_norm(h, (3,), w) * scale).sum().backward()
    out["half_layer_norm"] = [h.grad.float().cpu().tolist(), w.grad.float().cpu().tolist()]
    # composites whose cpu form is one NumPy kernel take their composite (on the GPU) without NumPy
    out["cummax"] = [t.tolist() for t in torch.cummax(torch.tensor([1.0, 3.0, 2.0, 5.0]), 0)]
    out["nan_to_num"] = torch.nan_to_num(torch.tensor([1.5, float("nan"), -float("inf")])).tolist()
    # ops whose cpu form is one NumPy kernel (sets' sorts and searches, prod's gradient by its zeros, the
    # embedding's bounds checked by its lookup) take their composite without NumPy
    seq, vals = torch.tensor([1.0, 2.0, 2.0, 4.0]), torch.tensor([2.0, 3.0, 5.0])
    out["searched"] = [torch.searchsorted(seq, vals).tolist(), torch.bucketize(vals, seq, right=True).tolist()]
    out["unique_dim"] = [t.tolist() for t in torch.unique(torch.tensor([[2, 1], [1, 0], [2, 1]]), dim=0,
                                                          return_inverse=True)]
    p = torch.tensor([2.0, 0.0, 3.0], requires_grad=True)
    p.prod().backward()
    out["prod_grad"] = p.grad.tolist()
    try:
        torch.nn.functional.embedding(torch.tensor([0, 3]), torch.ones(3, 2))
        out["embedding"] = "ran"
    except IndexError as e:
        out["embedding"] = str(e)
if torch.webgpu.is_available():
    out["gpu"] = ((x.to("webgpu") * 2).cpu()).tolist()
    # ops the GPU computes on the host (no kernel): every one says why it cannot run
    import warnings
    warnings.simplefilter("ignore")
    from pyfront.ops.registry import OPS
    host = sorted(name for name, op in OPS.items() if op.extra.get("cpu_fallback"))
    out["host_errors"] = {}
    for name in (n for n in host if n.startswith("special_")):
        try:
            getattr(torch.special, name[len("special_"):])(torch.ones(3, device="webgpu") * 0.5)
            out["host_errors"][name] = "ran"
        except TypeError:  # takes a second argument
            continue
        except RuntimeError as e:
            out["host_errors"][name] = str(e)
import importlib, pkgutil
out["unimportable"] = []
for m in pkgutil.walk_packages(torch.__path__, "pyfront."):
    if not m.name.endswith("__main__"):  # (running it is the command line)
        try:
            importlib.import_module(m.name)
        except ImportError as e:
            out["unimportable"].append(f"{m.name}: {e}")
print(json.dumps(out))
"""


def test_cpu_device_without_numpy():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    x = pyfront.tensor([[1.5, -2.0], [3.0, 4.25]])
    assert got["repr"] == repr(x) and got["t"] == x.t().tolist() and got["long"] == x.long().tolist()
    assert got["eye"] == pyfront.eye(2).tolist() and got["arange"] == [1, 3, 5]
    assert got["bool"] == repr(pyfront.tensor([True, False]))
    pyfront.manual_seed(7)
    assert got["randn"] == pyfront.randn(5).tolist()  # pure-Python Philox == NumPy Philox
    assert "needs NumPy" in got["error"] and "webgpu" in got["error"]
    # every module imports without NumPy but NumPy's own backend (and the page's bridge, which needs
    # Pyodide's js): one NumPy import at a module's top stopped the page from loading
    # (the tensorboard package's event-file writer needs NumPy itself, as torch's SummaryWriter does)
    tensorboard = ("import of numpy halted; None in sys.modules" if importlib.util.find_spec("tensorboard")
                   else "No module named 'tensorboard'")
    assert sorted(got["unimportable"]) == [
        "pyfront.backends.numpy: import of numpy halted; None in sys.modules",
        "pyfront.backends.webgpu.browser: No module named 'js'",
        f"pyfront.utils.tensorboard: {tensorboard}"], got["unimportable"]
    if pyfront.webgpu.is_available():
        assert got["gpu"] == (x * 2).tolist()
        assert got["sum"] == (x + x).tolist()  # cpu ops run on the GPU when NumPy is missing
        assert got["mm"] == (x @ x).tolist() and got["reduced"] == x.sum(0).tolist()
        assert got["linear"] == pyfront.nn.functional.linear(x, x, pyfront.tensor([0.5, -1.0])).tolist()
        scores = x.clone().requires_grad_()
        loss = pyfront.nn.functional.cross_entropy(scores, pyfront.tensor([1, 0]))
        loss.backward()
        assert got["cross_entropy"][0] == pytest.approx(loss.item(), rel=1e-5)
        assert np.allclose(got["cross_entropy"][1], scores.grad.tolist(), rtol=1e-5, atol=1e-6)
        h = pyfront.tensor([[1.5, -2.0, 0.25], [3.0, 4.25, -1.0]]).half().requires_grad_()
        w = pyfront.tensor([1.0, 2.0, -0.5]).half().requires_grad_()
        (pyfront.nn.functional.layer_norm(h, (3,), w) * pyfront.arange(6).view(2, 3)).sum().backward()
        assert np.allclose(got["half_layer_norm"][0], h.grad.float().tolist(), rtol=2e-3, atol=1e-3)
        assert np.allclose(got["half_layer_norm"][1], w.grad.float().tolist(), rtol=2e-3, atol=1e-3)
        assert got["cummax"] == [[1.0, 3.0, 3.0, 5.0], [0, 1, 1, 3]]
        assert got["nan_to_num"] == [1.5, 0.0, np.finfo(np.float32).min.item()]
        assert got["searched"] == [[1, 3, 4], [3, 3, 4]]
        assert got["unique_dim"] == [[[1, 0], [2, 1]], [1, 0, 1]]
        assert got["prod_grad"] == [0.0, 6.0, 0.0]
        assert got["embedding"] == "index out of range in self"
        assert len(got["host_errors"]) >= 15, got["host_errors"]  # the one-argument special functions
        for name, error in got["host_errors"].items():
            assert error == (f'"{name}" is computed with NumPy on every device (it has no GPU kernel), and '
                             "NumPy is not installed here (as in the browser build)"), name

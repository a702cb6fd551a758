"""What the web page asks of Python: train the digits CNN with live progress, predict a drawn digit,
and hand the model's state_dict to and from the visitor as PyTorch checkpoint bytes.

The page (web/) runs this module in a Web Worker under Pyodide; ``report`` is a JavaScript function
that forwards progress to the page. Nothing here is page-specific beyond that callback.
"""

from __future__ import annotations

import io
import json

import pyfront as torch
from pyfront.datasets import load_digits
from pyfront.examples import digits

_state: dict = {}


def device():
    return torch.accelerator.current_accelerator() or torch.device("cpu")


def model():
    if "model" not in _state:
        torch.manual_seed(0)
        _state["model"] = digits.DigitsCNN().to(device())
    return _state["model"]


def train(epochs: int = 4, lr: float = 0.01, report=None) -> dict:
    """Train from scratch; ``report(json)`` receives every batch's and epoch's progress."""
    torch.manual_seed(0)
    net = _state["model"] = digits.DigitsCNN().to(device())
    train_x, train_y = load_digits("train", device=device())
    test_x, test_y = load_digits("test", device=device())

    def on_batch(epoch, batch, num_batches, stats):
        if report is not None:
            report(
                json.dumps({"kind": "batch", "epoch": epoch, "batch": batch, "batches": num_batches, **stats})
            )

    def on_epoch(epoch, record):
        if report is not None:
            report(json.dumps({"kind": "epoch", "epoch": epoch, **record}))

    return digits.train(
        net,
        digits.make_loader(train_x, train_y, 64, True),
        digits.make_loader(test_x, test_y, 256, False),
        epochs=epochs,
        lr=lr,
        on_batch=on_batch,
        on_epoch=on_epoch,
    )


def predict(pixels) -> list:
    """Class probabilities for an 8x8 image given as 64 intensities in 0..1 (row by row)."""
    net = model()
    net.eval()
    with torch.no_grad():
        x = torch.tensor(pixels, dtype=torch.float32, device=device()).reshape(1, 1, 8, 8)
        return net(x).softmax(dim=1)[0].tolist()


def state_dict_bytes() -> bytes:
    """The model's state_dict in PyTorch's checkpoint format (``torch.load`` reads it)."""
    buffer = io.BytesIO()
    torch.save(model().state_dict(), buffer)
    return buffer.getvalue()


def load_state_dict_bytes(raw: bytes) -> str:
    """Load a checkpoint (from PyTorch or pyfront) into the model; returns what load_state_dict said."""
    state = torch.load(io.BytesIO(bytes(raw)), map_location=device())
    return repr(model().load_state_dict(state))

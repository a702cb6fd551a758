"""What the web page asks of Python: train the digits CNN with live progress, predict a drawn digit,
and hand the model's state_dict to and from the visitor as PyTorch checkpoint bytes (``.pt``) or
``.safetensors``.

The page (web/) runs this module in a Web Worker under Pyodide; ``report`` is a JavaScript function
that forwards progress to the page. Training yields between batches, so the page's other requests
(a playground run, a drawn digit) are answered while it trains, and a stop request ends it there.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json

import pyfront as torch
from pyfront.datasets import load_digits
from pyfront.examples import digits
from pyfront.safetensors import load as load_safetensors

_state: dict = {}


def device():
    return torch.accelerator.current_accelerator() or torch.device("cpu")


def model():
    if "model" not in _state:
        reset()
    return _state["model"]


def reset() -> None:
    """A freshly initialised model (seed 0): what the page starts from, and what Reset goes back to."""
    torch.manual_seed(0)
    _state["model"] = digits.DigitsCNN().to(device())
    _state["learned"] = False


async def train(epochs: int = 4, lr: float | None = None, report=None, lock=None, should_stop=None) -> dict:
    """Train the current model (fresh, trained before or loaded from a checkpoint) for ``epochs``.

    ``lr`` defaults to 0.01 for a fresh model and to 0.001 for one that has learned already (trained
    or loaded): a new Adam at the full rate would first undo much of what it knows.

    ``report(json)`` receives every batch's and epoch's progress; ``lock`` (an ``asyncio.Lock``) is
    held for one batch at a time and released in between, where the page's other jobs run;
    ``should_stop()`` is asked between batches: training then ends, keeping what was learned.
    Returns how far it got: ``{"epochs": done, "stopped": bool}``.
    """
    net = model()
    if lr is None:
        lr = 0.001 if _state["learned"] else 0.01
    _state["learned"] = True
    train_x, train_y = load_digits("train", device=device())
    test_x, test_y = load_digits("test", device=device())
    steps = digits.train_steps(
        net,
        digits.make_loader(train_x, train_y, 64, True),
        digits.make_loader(test_x, test_y, 256, False),
        epochs=epochs,
        lr=lr,
    )
    done, stopped = 0, False
    with contextlib.closing(steps):
        while True:
            async with lock or contextlib.nullcontext():
                event = next(steps, None)
            if event is None:
                break
            if event[0] == "batch":
                _, epoch, batch, batches, stats = event
                message = {"kind": "batch", "epoch": epoch, "batch": batch, "batches": batches, **stats}
            else:
                done = event[1]
                message = {"kind": "epoch", "epoch": event[1], **event[2]}
            if report is not None:
                report(json.dumps(message))
            await asyncio.sleep(0.005)  # a macrotask: the page's queued messages arrive here
            if should_stop is not None and should_stop():
                stopped = True
                break
    net.eval()
    return {"epochs": done, "stopped": stopped}


def predict(pixels) -> list:
    """Class probabilities for an 8x8 image given as 64 intensities in 0..1 (row by row)."""
    net = model()
    training = net.training  # a prediction between two training batches leaves the mode as it was
    net.eval()
    try:
        with torch.no_grad():
            x = torch.tensor(pixels, dtype=torch.float32, device=device()).reshape(1, 1, 8, 8)
            return net(x).softmax(dim=1)[0].tolist()
    finally:
        net.train(training)


def state_dict_bytes(format: str = "pt") -> bytes:
    """The model's state_dict as PyTorch's checkpoint format (``torch.load`` reads it) or, with
    ``format="safetensors"``, as safetensors (``safetensors.torch.load_file`` reads it)."""
    state = model().state_dict()
    if format == "safetensors":
        from pyfront.safetensors import save

        return save({k: v.contiguous() for k, v in state.items()})
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()


def is_safetensors(raw: bytes) -> bool:
    """A safetensors file starts with its header's length (8 bytes, little-endian), then a JSON object;
    a ``torch.save`` file is a zip archive (or an old-style pickle)."""
    return len(raw) > 9 and raw[8:9] == b"{" and int.from_bytes(raw[:8], "little") <= len(raw) - 8


def load_state_dict_bytes(raw: bytes) -> str:
    """Load a checkpoint (``.pt`` from ``torch.save`` or pyfront, or ``.safetensors``) into the model;
    returns what load_state_dict said."""
    raw = bytes(raw)
    if is_safetensors(raw):
        state = load_safetensors(raw, device=str(device()))
    else:
        state = torch.load(io.BytesIO(raw), map_location=device())
    result = repr(model().load_state_dict(state))
    _state["learned"] = True
    return result

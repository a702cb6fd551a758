"""The page's Python side, run by worker.js under Pyodide: ``import torch`` gives pyfront, every request
from the page runs as a job (one at a time, between training batches), and a failing job answers with
the visitor's own frames and the final message instead of the interpreter's whole traceback.

Nothing here needs Pyodide at import time, so the test suite imports it natively.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.abc
import importlib.util
import linecache
import os
import sys
import traceback

FILENAME = "<playground>"  # the name the visitor's code runs under: its frames are the ones shown
NO_WEBGPU = (
    "This browser has no WebGPU, so the page runs on the cpu device without NumPy: it creates, prints and "
    "reshapes tensors, builds and prints models, saves and loads checkpoints, but computes nothing. "
    "Open the page in a browser with WebGPU to run this."
)

# One job at a time touches Python and the GPU. Training takes the lock for each batch only, so a run
# or a prediction that arrives meanwhile goes next, between two batches.
LOCK = asyncio.Lock()
USER_GLOBALS: dict = {"__name__": "__main__"}


class TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import torch``, ``torch.nn``, ``torch.optim``, ``torch.utils.data``... give pyfront's modules,
    so code pasted from PyTorch runs as written."""

    def find_spec(self, name, path=None, target=None):
        if name != "torch" and not name.startswith("torch."):
            return None
        if importlib.util.find_spec("pyfront" + name[len("torch"):]) is None:
            return None  # ImportError names the torch module the visitor asked for
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec):
        return importlib.import_module("pyfront" + spec.name[len("torch"):])

    def exec_module(self, module):
        pass  # pyfront's module is already imported and run


def install_torch_alias() -> None:
    if not any(isinstance(f, TorchAlias) for f in sys.meta_path):
        sys.meta_path.insert(0, TorchAlias())


def short_error(error: BaseException, webgpu: bool = True) -> str:
    """The visitor's frames and the final message, as Python prints them, without the frames of
    Pyodide, this module or pyfront. A SyntaxError is its usual four lines (where, the line, a caret)."""
    if isinstance(error, SyntaxError):
        lines = traceback.format_exception_only(error)
    else:
        frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == FILENAME]
        lines = traceback.StackSummary.from_list(frames).format() + traceback.format_exception_only(error)
    text = "".join(lines).rstrip("\n")
    if not webgpu and "needs NumPy" in text:
        text += "\n\n" + NO_WEBGPU
    return text


def full_error(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).rstrip("\n")


def load_checkpoint(raw: bytes, name: str) -> str:
    """Load a visitor's checkpoint into the page's digits model; returns what load_state_dict said.
    A file named .safetensors is read as one (a damaged one then says what is wrong with it, not that it
    is no PyTorch checkpoint), and a whole pickled model gets one line instead of torch.load's page."""
    import pickle

    from pyfront.examples import digits_page
    from pyfront.safetensors import load

    raw = bytes(raw)
    if name.lower().endswith(".safetensors") and not digits_page.is_safetensors(raw):
        load(raw)  # raises safetensors' own error: what is wrong with the file
    try:
        return digits_page.load_state_dict_bytes(raw)
    except pickle.UnpicklingError as error:
        if not str(error).startswith("Weights only load failed"):
            raise
        raise pickle.UnpicklingError(
            "this file holds Python objects besides tensors (a whole model saved with torch.save(model)?); "
            "the page loads a state_dict: save model.state_dict() and load that file"
        ) from None


def flush_output() -> None:
    """Hand the page what was printed without a newline yet, so it shows with this job's output, not the
    next one's: Pyodide's line-batched stdout passes a partial line on only at an fsync."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
        with contextlib.suppress(OSError, ValueError):  # natively: a pipe or a closed stream
            os.fsync(stream.fileno())


async def run_job(code: str, started=None, exclusive: bool = True, webgpu: bool = True) -> list:
    """Run ``code`` (top-level ``await`` allowed) in the visitor's namespace: ``[True, value of the last
    expression]`` or ``[False, short error, full traceback]``. ``started()`` is called once the job
    has its turn; ``exclusive=False`` is for training, which takes the lock batch by batch itself."""
    from pyodide.code import eval_code_async

    async def run():
        if started is not None:
            started()
        linecache.cache[FILENAME] = (len(code), None, code.splitlines(True), FILENAME)
        try:
            return [True, await eval_code_async(code, USER_GLOBALS, filename=FILENAME)]
        except BaseException as error:  # noqa: B036 -- SystemExit and KeyboardInterrupt end a job too
            return [False, short_error(error, webgpu), full_error(error)]
        finally:
            flush_output()

    if not exclusive:
        return await run()
    async with LOCK:
        return await run()

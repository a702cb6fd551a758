"""Real programs new to the suite in session 26 (tests/programs/, each file's header says where it comes
from and what was adapted), run with torch mapped to pyfront on the cpu and, for those that pick a CUDA
device, on webgpu, printing what real torch prints on its cpu (numbers within a tolerance). The torch run
draws pyfront's random stream (tests/programs/_torch_same_rng.py), so seeded programs see the same weights
and batches. Each library and device runs every program in one interpreter (run_several.py), the three
started together. A checkpoint the Siamese program writes is then loaded damaged: pyfront refuses it with a
builtin error where torch refuses it too."""
import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
import torch

import pyfront
from test_programs import differences

PROGRAMS = Path(__file__).resolve().parent / "programs"
# name -> (args, its arguments on webgpu (None: the program uses no device, run on the cpu only),
# webgpu's (rtol, atol)); every program here picks CUDA by torch.cuda.is_available()
RUNS = {
    "pruning": ([], None, None),  # pytorch/tutorials pruning_tutorial (prints whole Parameters)
    # pytorch/tutorials parametrizations: matrix_exp/solve of near-orthogonal matrices leave distances
    # of 1e-7..5e-6 from the identity, rounding that differs from torch's (5.35e-6 against our 8.8e-8)
    "parametrizations": ([], None, None),
    "char_rnn_classification": ([], None, None),  # pytorch/tutorials, its Variable-era version
    "dqn": ([], [], (1e-3, 1e-4)),  # pytorch/tutorials reinforcement_q_learning, CartPole stand-in
    "siamese_network": (["--save-model"], ["--save-model"], (1e-3, 1e-4)),  # pytorch/examples
    "d2l_scratch": ([], [], (1e-3, 1e-4)),  # d2l's batch norm and RNN from scratch
}
ATOL = {"parametrizations": 1e-5}


def _start(argv, cwd, gpu=False):
    env = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}
    env.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=f"{PROGRAMS.parent.parent}{os.pathsep}{PROGRAMS}")
    specs = [f"{name}:{','.join(on_gpu if gpu else args)}" for name, (args, on_gpu, _) in RUNS.items()
             if not gpu or on_gpu is not None]
    return subprocess.Popen([sys.executable, *argv, str(PROGRAMS / "run_several.py"), *specs],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)


def _by_program(text: str) -> dict:
    """Each program's output (run_several prints ``=== name`` before each)."""
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith("=== "):
            name = line[4:]
            out[name] = []
        elif name:
            out[name].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def runs():
    dirs = {key: tempfile.mkdtemp() for key in ("torch", "cpu", "webgpu")}  # (each saves its checkpoint)
    procs = {"torch": _start([str(PROGRAMS / "_torch_same_rng.py")], dirs["torch"]),
             "cpu": _start(["-m", "pyfront", "run"], dirs["cpu"])}
    if pyfront.webgpu.is_available():
        procs["webgpu"] = _start(["-m", "pyfront", "run", "--cuda-as", "webgpu"], dirs["webgpu"], gpu=True)
    done = {key: (p.communicate(timeout=900), p.returncode) for key, p in procs.items()}
    for key, ((_, err), rc) in done.items():
        assert rc == 0, f"{key}: {err[-3000:]}"
    return {key: _by_program(out) for key, ((out, _), _) in done.items()}, dirs


@pytest.mark.parametrize("name,device", [(name, "cpu") for name in RUNS]
                         + [(name, "webgpu") for name, run in RUNS.items() if run[1] is not None])
def test_program_prints_torchs_output(runs, name, device):
    outputs, _ = runs
    if device not in outputs:
        pytest.skip("no webgpu adapter")  # (PYFRONT_REQUIRE_WEBGPU=1 fails the session instead)
    tol = (1e-4, ATOL.get(name, 1e-6)) if device == "cpu" else RUNS[name][2]
    diff = differences(outputs[device][name], outputs["torch"][name], *tol)
    assert not diff, "\n".join(diff[:10])


def _damaged(raw: bytes):
    """The checkpoint cut short at several places and with bytes flipped in each zip record."""
    for cut in (0, 1, 30, len(raw) // 3, len(raw) // 2, len(raw) - 22, len(raw) - 1):
        yield f"cut at {cut}", raw[:cut]
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        for info in z.infolist():
            for at in (info.header_offset + 4, info.header_offset + 40, info.header_offset + 100):
                if at < len(raw):
                    data = bytearray(raw)
                    data[at] ^= 0x5A
                    yield f"{info.filename} flipped at {at}", bytes(data)


def _torch_load(data: bytes):
    try:
        return torch.load(io.BytesIO(data))
    except Exception:  # noqa: BLE001 (torch's own errors here are often foreign: ValueError, AttributeError)
        return None


@pytest.mark.parametrize("writer", ["torch", "cpu"])
def test_damaged_checkpoint_is_refused_or_read_as_torch(runs, writer):
    """Each damaged copy is refused with a builtin error, or loads as torch loads it (neither checks the
    records' CRCs: a flipped byte of a storage is a flipped number in both), or, where torch's zip reader
    refuses a record whose external attributes mark it a folder, as the whole file loads."""
    _, dirs = runs
    raw = (Path(dirs[writer]) / "siamese_network.pt").read_bytes()
    whole = pyfront.load(io.BytesIO(raw))
    assert list(whole) == list(torch.load(io.BytesIO(raw)))
    refused = 0
    for what, data in _damaged(raw):
        try:
            got = pyfront.load(io.BytesIO(data))
        except (RuntimeError, pickle.UnpicklingError, ValueError, EOFError) as e:
            assert type(e).__module__ in ("builtins", "_pickle"), (what, e)
            refused += 1
            continue
        theirs = _torch_load(data)
        want = whole if theirs is None else {k: pyfront.from_numpy(v.numpy()) for k, v in theirs.items()}
        assert list(got) == list(want), what
        for key, value in want.items():  # bit for bit (a misread storage holds NaNs)
            assert got[key].numpy().tobytes() == value.numpy().tobytes(), (what, key)
    assert refused >= 7  # every cut

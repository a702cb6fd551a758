"""Real programs new to the suite in session 25 (tests/programs/, each file's header says where it comes
from and what was adapted), run with torch mapped to pyfront on the cpu and on webgpu, printing what real
torch prints on its cpu (numbers within a tolerance). The torch run draws pyfront's random stream
(tests/programs/_torch_same_rng.py), so seeded programs see the same weights and batches. Each library
and device runs every program in one interpreter (run_several.py), the three started together."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

import pyfront
from test_programs import differences

PROGRAMS = Path(__file__).resolve().parent / "programs"
_MAKEMORE = ["--max-steps", "16", "--eval-every", "15", "--sample-every", "15", "--n-layer", "2",
             "--n-embd", "32", "--n-head", "2", "--batch-size", "16"]
# name -> (args, the program's own flag for a CUDA device, which ``pyfront run --cuda-as webgpu`` maps,
# webgpu's (rtol, atol))
RUNS = {
    "makemore": (_MAKEMORE, ["--device", "cuda"], (1e-3, 1e-4)),  # karpathy/makemore
    # pytorch/tutorials' spatial transformer: it picks CUDA by torch.cuda.is_available(). Its localisation
    # head starts at zero weights and learns from random images, so the transformed batch's statistics
    # (the last line) amplify webgpu's float32 rounding (grid_sample and its gradients agree to 1e-6):
    # 0.7337 against torch's 0.7373, with every loss equal to 1e-4
    "spatial_transformer": ([], [], (1e-2, 1e-4)),
}


def _start(argv, gpu=False):
    env = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}
    env.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(PROGRAMS.parent.parent))
    specs = [f"{name}:{','.join([*args, *(on_gpu if gpu else [])])}"
             for name, (args, on_gpu, _) in RUNS.items()]
    return subprocess.Popen([sys.executable, *argv, str(PROGRAMS / "run_several.py"), *specs],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROGRAMS)


def _by_program(text: str) -> dict:
    """Each program's output (run_several prints ``=== name`` before each), less the line that echoes its
    own arguments (the device flag differs)."""
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith("=== "):
            name = line[4:]
            out[name] = []
        elif name and not line.startswith("{'"):
            out[name].append(line)
    return {k: "\n".join(v) for k, v in out.items()}


@pytest.fixture(scope="module")
def outputs():
    runs = {"torch": _start([str(PROGRAMS / "_torch_same_rng.py")]), "cpu": _start(["-m", "pyfront", "run"])}
    if pyfront.webgpu.is_available():
        runs["webgpu"] = _start(["-m", "pyfront", "run", "--cuda-as", "webgpu"], gpu=True)
    done = {key: (p.communicate(timeout=900), p.returncode) for key, p in runs.items()}
    for key, ((_, err), rc) in done.items():
        assert rc == 0, f"{key}: {err[-3000:]}"
    return {key: _by_program(out) for key, ((out, _), _) in done.items()}


@pytest.mark.parametrize("device", ["cpu", "webgpu"])
@pytest.mark.parametrize("name", list(RUNS))
def test_program_prints_torchs_output(outputs, name, device):
    if device not in outputs:
        pytest.skip("no webgpu adapter")  # (PYFRONT_REQUIRE_WEBGPU=1 fails the session instead)
    tol = (1e-4, 1e-6) if device == "cpu" else RUNS[name][2]
    diff = differences(outputs[device][name], outputs["torch"][name], *tol)
    assert not diff, "\n".join(diff[:10])

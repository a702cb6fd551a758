"""Real programs new to the suite in session 25 (tests/programs/, each file's header says where it comes
from and what was adapted), run with torch mapped to pyfront on the cpu and on webgpu, printing what real
torch prints on its cpu (numbers within a tolerance). The torch run draws pyfront's random stream
(tests/programs/_torch_same_rng.py), so seeded programs see the same weights and batches. The runs of one
program are processes started together (the two cores share them)."""
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
# name -> (args, the program's own flag for a CUDA device, which ``pyfront run --cuda-as webgpu`` maps)
RUNS = {
    "makemore": (_MAKEMORE, ["--device", "cuda"]),  # karpathy/makemore
}


def _start(argv):
    env = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}
    env.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(PROGRAMS.parent.parent))
    return subprocess.Popen([sys.executable, *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=PROGRAMS)


def _without_argv_echo(text: str) -> str:
    """The output less the line that prints the program's own arguments (the device flag differs)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("{'"))


@pytest.mark.parametrize("name", list(RUNS))
def test_program_prints_torchs_output_on_each_device(name):
    args, on_gpu = RUNS[name]
    script = str(PROGRAMS / f"{name}.py")
    runs = {"torch": _start([str(PROGRAMS / "_torch_same_rng.py"), script, *args]),
            "cpu": _start(["-m", "pyfront", "run", script, *args])}
    if pyfront.webgpu.is_available():
        runs["webgpu"] = _start(["-m", "pyfront", "run", "--cuda-as", "webgpu", script, *args, *on_gpu])
    done = {key: (p.communicate(timeout=600), p.returncode) for key, p in runs.items()}
    for key, ((_, err), rc) in done.items():
        assert rc == 0, f"{key}: {err[-3000:]}"
    theirs = _without_argv_echo(done.pop("torch")[0][0])
    for key, ((out, _), _) in done.items():
        tol = (1e-4, 1e-6) if key == "cpu" else (1e-3, 1e-4)
        diff = differences(_without_argv_echo(out), theirs, *tol)
        assert not diff, f"{key}:\n" + "\n".join(diff[:10])

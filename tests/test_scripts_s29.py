"""Real programs new to the suite in session 29 (tests/programs/, each file's header says where it comes
from and what was adapted), run with torch mapped to pyfront on the cpu, printing what real torch prints
(numbers within a tolerance). The torch run draws pyfront's random stream (tests/programs/_torch_same_rng.py).
Both libraries run every program in one interpreter each (run_several.py), the two started together."""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from test_programs import differences
from test_scripts_s26 import _by_program

PROGRAMS = Path(__file__).resolve().parent / "programs"
RUNS = [
    "load_state_dict_tips",  # pytorch/tutorials recipes: module_load_state_dict_tips + swap_tensors
    "function_hooks",  # custom autograd.Functions in both styles, module/global/tensor/state_dict hooks
]


def _start(argv, cwd):
    env = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}
    env.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=f"{PROGRAMS.parent.parent}{os.pathsep}{PROGRAMS}")
    return subprocess.Popen([sys.executable, *argv, str(PROGRAMS / "run_several.py"), *RUNS],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)


@pytest.fixture(scope="module")
def outputs():
    procs = {"torch": _start([str(PROGRAMS / "_torch_same_rng.py")], tempfile.mkdtemp()),
             "cpu": _start(["-m", "pyfront", "run"], tempfile.mkdtemp())}  # (each writes its checkpoint)
    done = {key: (p.communicate(timeout=600), p.returncode) for key, p in procs.items()}
    for key, ((_, err), rc) in done.items():
        assert rc == 0, f"{key}: {err[-3000:]}"
    return {key: _by_program(out) for key, ((out, _), _) in done.items()}


@pytest.mark.parametrize("name", RUNS)
def test_program_prints_torchs_output(outputs, name):
    diff = differences(outputs["cpu"][name], outputs["torch"][name], 1e-4, 1e-6)
    assert not diff, "\n".join(diff[:10])

"""Thread counts against torch, each library in a fresh process (torch reads its environment once, and
lets a process set its inter-op count once): the first counts under OMP_NUM_THREADS / MKL_NUM_THREADS, and
set_num_threads / set_num_interop_threads of numbers past a C int, below 1, of other types, and twice."""
import json
import os
import subprocess
import sys

_SCRIPT = """
import json, sys
import numpy as np
lib = __import__(sys.argv[1])
seen = [lib.get_num_threads(), lib.get_num_interop_threads()]
calls = [("set_num_threads", n) for n in (2**40, 2**63, -2**31 - 1, -2**31, 0, 1.5, True, np.float64(2),
                                         np.int64(3))]
calls += [("set_num_interop_threads", n) for n in (2**40, -1, 2, 0, 3)]
for name, n in calls:
    try:
        getattr(lib, name)(n)
        seen.append([name, "ok", lib.get_num_threads(), lib.get_num_interop_threads()])
    except Exception as e:
        seen.append([name, type(e).__name__, str(e)])
print(json.dumps(seen))
"""


def _run(env: dict) -> dict:
    """Each library's outcomes (_SCRIPT) in a fresh process under ``env``, the two run side by side."""
    base = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                                            "MKL_DYNAMIC")}
    runs = {lib: subprocess.Popen([sys.executable, "-c", _SCRIPT, lib], env={**base, **env}, text=True,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for lib in ("torch", "pyfront")}
    seen = {}
    for lib, run in runs.items():
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
        seen[lib] = json.loads(out.strip().splitlines()[-1])
    return seen


def test_thread_counts_as_torchs():
    seen = _run({"OMP_NUM_THREADS": "1"})  # (a fresh user's: torch answered 1, pyfront the CPU count)
    assert seen["pyfront"] == seen["torch"]
    # torch 2.13's MKL reading of the variables, measured in fresh torch processes (the cores: its inter-op
    # count): MKL's variable first (empty or 0: unset, else not a positive int: 1), OpenMP's next (the
    # first of a list; else unread), one per physical core at most unless MKL_DYNAMIC is false
    from pyfront.process import _default_threads
    cores = seen["torch"][1]
    for env, expected in [({}, cores), ({"OMP_NUM_THREADS": "1,2"}, 1),
                          ({"OMP_NUM_THREADS": str(cores + 1)}, cores), ({"OMP_NUM_THREADS": "1.5"}, cores),
                          ({"MKL_NUM_THREADS": "abc"}, 1),
                          ({"MKL_NUM_THREADS": "0", "OMP_NUM_THREADS": "1"}, 1),
                          ({"MKL_NUM_THREADS": "1", "OMP_NUM_THREADS": "2"}, 1),
                          ({"MKL_DYNAMIC": "false", "OMP_NUM_THREADS": str(cores + 1)}, cores + 1)]:
        assert _default_threads("set_num_threads", env) == expected, env
    assert _default_threads("set_num_interop_threads", {"OMP_NUM_THREADS": "1"}) == cores

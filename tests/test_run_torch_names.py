"""Under ``pyfront run`` functions read torch's module names, as classes do (``F.relu.__module__``,
``torch.typename(F.relu)``, ``Linear.forward``), and still pickle to themselves. The rows are those torch
defines in Python under a module pyfront has (a builtin's ``_VariableFunctionsClass.add`` and torch's private
files such as ``torch.functional`` are not among them); torch's values are read here. (Modules keep
pyfront's ``__name__``: pyfront's frames go by it.)"""
import json
import os
import subprocess
import sys

import torch
import torch.nn.functional as F  # noqa: F401 (the rows name it)

FUNCTIONS = ["F.relu", "F.softmax", "F.cross_entropy", "F.pad", "F.interpolate", "F.dropout", "F.normalize",
             "torch.nn.init.kaiming_uniform_", "torch.nn.init.zeros_", "torch.autograd.grad",
             "torch.autograd.backward", "torch.is_tensor", "torch.typename", "torch.set_default_dtype",
             "torch.compile", "torch.optim.Adam.step", "torch.optim.SGD.zero_grad", "torch.nn.Linear.forward",
             "torch.nn.Module.to", "torch.nn.Module.state_dict", "torch.autograd.grad_mode.no_grad"]

SCRIPT = r"""
import json, pickle, sys
import torch
import torch.nn.functional as F
import torch.nn.init, torch.autograd, torch.optim
functions = json.loads(sys.argv[1])
out = {}
for row in functions:
    f = eval(row)
    out[row] = [f.__module__, torch.typename(f), pickle.loads(pickle.dumps(f)) is f]
print(json.dumps(out))
"""


def _read(lib_torch) -> dict:
    out = {}
    for row in FUNCTIONS:
        f = eval(row)
        out[row] = [f.__module__, lib_torch.typename(f), True]
    return out


def test_functions_read_torchs_module_names_under_run(tmp_path):
    script = tmp_path / "names.py"
    script.write_text(SCRIPT)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "PYTHONPATH": root}
    rows = json.dumps(FUNCTIONS)
    done = subprocess.run([sys.executable, "-m", "pyfront", "run", str(script), rows], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    want = _read(torch)
    assert {k: v for k, v in got.items() if v != want[k]} == {}

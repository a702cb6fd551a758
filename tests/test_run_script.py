"""``python -m pyfront run``: an unchanged PyTorch script prints what it prints under real torch.

Each run is a subprocess (the alias would otherwise rename torch inside this test process): the
script once with real torch, once through pyfront, without and with ``--cuda-as webgpu``.
"""
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "scripts" / "torch_regression.py"


def _run(args, cwd=None, **env):
    full_env = {k: v for k, v in os.environ.items() if k != "PYFRONT_CUDA_AS"}  # off unless a test sets it
    full_env.update(OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT), **env)
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=full_env,
                          timeout=300)
    return done


def _pyfront(args, **kw):
    return _run(["-m", "pyfront", "run", *args], **kw)


def _words(line: str) -> list:
    return line.replace(",", " ").replace("[", " ").replace("]", " ").split()


def _same_output(ours: str, theirs: str, rtol=0.0, atol=0.0) -> None:
    """Equal line by line and word by word; numbers within the tolerance (0: exactly as printed)."""
    a, b = ours.splitlines(), theirs.splitlines()
    assert len(a) == len(b), (ours, theirs)
    for la, lb in zip(a, b):
        wa, wb = _words(la), _words(lb)
        assert len(wa) == len(wb), (la, lb)
        for x, y in zip(wa, wb):
            try:
                fx, fy = float(x), float(y)
            except ValueError:
                assert x == y, (la, lb)
                continue
            assert math.isclose(fx, fy, rel_tol=rtol, abs_tol=atol), (la, lb)


@pytest.fixture(scope="module")
def under_torch():
    done = _run([str(SCRIPT), "--epochs", "3", "--lr", "0.03"])
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_script_runs_unchanged_with_torchs_output(under_torch):
    done = _pyfront([str(SCRIPT), "--epochs", "3", "--lr", "0.03"])
    assert done.returncode == 0, done.stderr
    assert "argv ['--epochs', '3', '--lr', '0.03'] __main__" in done.stdout  # sys.argv and __name__
    assert done.stdout.splitlines()[-1] == "on cpu"
    _same_output(done.stdout, under_torch)


@requires_webgpu
@pytest.mark.parametrize("switch", ["flag", "env"])
def test_cuda_as_webgpu_runs_the_cuda_branch_on_the_gpu(under_torch, switch):
    if switch == "flag":
        done = _pyfront(["--cuda-as", "webgpu", str(SCRIPT), "--epochs", "3", "--lr", "0.03"])
    else:
        done = _pyfront([str(SCRIPT), "--epochs", "3", "--lr", "0.03"], PYFRONT_CUDA_AS="webgpu")
    assert done.returncode == 0, done.stderr
    ours = done.stdout.splitlines()
    assert ours[-1] == "on webgpu"  # torch's cpu build took the cpu branch: the rest must agree
    _same_output("\n".join(ours[:-1]), "\n".join(under_torch.splitlines()[:-1]), rtol=1e-3, atol=1e-4)


CUDA_IDIOMS = textwrap.dedent("""
    import torch
    from torch import nn
    print(torch.cuda.is_available(), torch.cuda.device_count())
    for make in (lambda: torch.ones(2).cuda(), lambda: nn.Linear(2, 2).cuda(),
                 lambda: torch.ones(2).to("cuda:0"), lambda: torch.zeros(2, device=torch.device("cuda"))):
        try:
            out = make()
            t = out if isinstance(out, torch.Tensor) else out.weight
            print("ok", t.device.type)
        except AssertionError as e:
            print(type(e).__name__, e)
""")


def test_cuda_without_the_switch_is_torchs_cpu_build(tmp_path):
    script = tmp_path / "idioms.py"
    script.write_text(CUDA_IDIOMS)
    theirs, ours = _run([str(script)]), _pyfront([str(script)])
    assert theirs.returncode == 0 and ours.returncode == 0, ours.stderr
    assert "AssertionError Torch not compiled with CUDA enabled" in ours.stdout
    assert ours.stdout == theirs.stdout


@requires_webgpu
def test_cuda_with_the_switch_is_the_webgpu_device(tmp_path):
    script = tmp_path / "idioms.py"
    script.write_text(CUDA_IDIOMS)
    done = _pyfront(["--cuda-as", "webgpu", str(script)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:5] == ["True 1", "ok webgpu", "ok webgpu", "ok webgpu", "ok webgpu"]


def test_every_pyfront_submodule_is_a_torch_module_and_m_runs_a_module(tmp_path):
    """The alias is discovered, not listed: every pyfront module imports under torch's name as itself."""
    (tmp_path / "probe.py").write_text(textwrap.dedent("""
        import importlib, pkgutil, sys
        import pyfront
        names = [m.name for m in pkgutil.walk_packages(pyfront.__path__, "pyfront.")
                 if not m.name.startswith(("pyfront.examples", "pyfront.bench", "pyfront.__main__"))]
        for name in names:
            try:
                mine = importlib.import_module(name)
            except ImportError:  # the browser driver needs Pyodide's js module
                continue
            assert importlib.import_module("torch" + name[len("pyfront"):]) is mine, name
        import torch
        import torch.nn.functional as F
        from torch.utils.data import DataLoader
        assert F is pyfront.nn.functional and DataLoader is pyfront.utils.data.DataLoader
        assert torch.nn.Module is pyfront.nn.Module
        try:
            import torch.no_such_module
        except ModuleNotFoundError as e:
            print(e)
        print(__name__, sys.argv[1:], len(names) > 20)
    """))
    done = _pyfront(["-m", "probe", "a", "--b"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    try:
        import torch.no_such_module  # noqa: F401
    except ModuleNotFoundError as e:
        theirs = str(e)
    assert done.stdout.splitlines() == [theirs, "__main__ ['a', '--b'] True"]


def test_no_script_prints_the_usage():
    done = _pyfront([])
    assert done.returncode == 2 and "--cuda-as webgpu" in done.stderr


def test_cuda_errors_in_process_match_torch():
    """Off by default: the same AssertionError from a tensor and a module, in this process too."""
    for lib in (torch, pyfront):
        with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):
            lib.ones(2).cuda()
        with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):
            lib.nn.Linear(2, 2).cuda()
        assert lib.cuda.is_available() is False and lib.cuda.device_count() == 0


def test_a_script_named_relatively_sees_its_absolute_file_as_under_python(tmp_path):
    (tmp_path / "rel.py").write_text("import os\nprint(__file__ == os.path.abspath('rel.py'), __name__)\n")
    theirs = _run(["rel.py"], cwd=tmp_path)
    ours = _pyfront(["rel.py"], cwd=tmp_path)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout == "True __main__\n"


def test_argv_and_file_of_a_script_in_a_subfolder_are_pythons(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "s.py").write_text("import sys\nprint(sys.argv, __file__, sys.path[0])\n")
    theirs = _run(["sub/s.py", "a"], cwd=tmp_path)
    ours = _pyfront(["sub/s.py", "a"], cwd=tmp_path)
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout  # argv[0] as typed, __file__ absolute


def test_a_missing_script_is_pythons_message_and_status(tmp_path):
    theirs = _run(["nothere.py"], cwd=tmp_path)
    ours = _pyfront(["nothere.py"], cwd=tmp_path)
    assert (ours.returncode, ours.stderr, ours.stdout) == (theirs.returncode, theirs.stderr, "") == (
        2, theirs.stderr, "")
    assert "can't open file" in ours.stderr


def test_torch_functional_and_missing_names_as_torchs(tmp_path):
    """``import torch.functional as F`` (pytorch/tutorials' modelsyt imports it so): its functions are
    torch's own; and a name no module has fails naming the torch module, not pyfront's."""
    script = tmp_path / "names.py"
    script.write_text(textwrap.dedent("""
        import torch, torch.functional as F, torch.nn.functional, torch.linalg
        print(sorted(F.__all__) == sorted(n for n in F.__all__ if getattr(F, n) is getattr(torch, n)))
        print(F.einsum("ij->j", torch.ones(2, 3)), F.meshgrid(torch.arange(2), indexing="ij")[0])
        for module in (F, torch, torch.nn.functional, torch.linalg, torch.nn):
            try:
                module.max_pool9d
            except AttributeError as e:
                print(e)
    """))
    theirs, ours = _run([str(script)]), _pyfront([str(script)])
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout


def test_classes_print_torchs_names(tmp_path):
    """``print(type(x))`` (pytorch/tutorials' tensors_deeper_tutorial does) and ``torch.typename`` name
    torch's module, not pyfront's file: the core types, layers, optimizers, schedulers, data, return types,
    distributions; ``import torch.return_types`` finds that module; the classes still pickle both ways."""
    script = tmp_path / "class_names.py"
    script.write_text(textwrap.dedent("""
        import io, pickle, torch, torch.nn as nn, torch.return_types as rt
        from torch.utils import data
        x = torch.zeros(2, 2)
        for obj in (x, torch.float32, x.shape, x.device, torch.finfo(), torch.iinfo(torch.int8), x.max(0),
                    nn.Parameter(x), nn.Linear(2, 2), nn.MSELoss(), nn.LSTM(2, 2), nn.Sequential(),
                    torch.optim.SGD([nn.Parameter(x)], 0.1), torch.Generator(), data.TensorDataset(x),
                    data.DataLoader([1]), torch.distributions.Normal(0.0, 1.0), rt.max,
                    torch.autograd.Function,
                    nn.utils.rnn.PackedSequence, torch.optim.lr_scheduler.StepLR):
            print(obj if isinstance(obj, type) else type(obj), torch.typename(obj))
        print(type(pickle.loads(pickle.dumps(nn.Linear(2, 2)))), type(pickle.loads(pickle.dumps(x))))
        buffer = io.BytesIO()
        torch.save(nn.Sequential(nn.Linear(2, 2)), buffer)
        buffer.seek(0)
        print(type(torch.load(buffer, weights_only=False)[0]))
        class Twice(torch.autograd.Function):
            forward = staticmethod(lambda ctx, x: x * 2)
            backward = staticmethod(lambda ctx, g: g * 2)
        x.requires_grad_()
        print(type(Twice.apply(x).grad_fn), type((x + 1).grad_fn), type((x + 1).grad_fn.next_functions[0][0]))
    """))
    theirs, ours = _run([str(script)]), _pyfront([str(script)])
    assert theirs.returncode == 0, theirs.stderr
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == theirs.stdout


_LIST_CLASSES = """
import json, sys, types
import torch
rows = {}
for name, module in list(sys.modules.items()):
    if name.startswith("torch") and isinstance(module, types.ModuleType):
        for attr, obj in list(vars(module).items()):
            # (pyfront's autograd Functions keep pyfront's module: forward AD tells them apart by it)
            if (not attr.startswith("_") and isinstance(obj, type)
                    and (obj is torch.autograd.Function or not issubclass(obj, torch.autograd.Function))):
                rows.setdefault(f"{name}.{attr}", f"{obj.__module__}.{obj.__qualname__}")
print(json.dumps(rows))
"""

_FINDS_AGAIN = """
import importlib, json, sys
import torch
found = []
for where, (module, qualname) in json.load(open(sys.argv[1])).items():
    cls = getattr(importlib.import_module(where.rpartition(".")[0]), where.rpartition(".")[2])
    try:  # as pickle looks a class up: its module imported, then its qualname's parts
        obj = importlib.import_module(module)
    except ImportError:
        continue
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    if obj is cls:
        found.append(where)
print(json.dumps(found))
"""


def test_every_public_class_prints_torchs_name_where_that_name_finds_it(tmp_path):
    """The README's promise, swept over every public class a script reaches under pyfront run: a class
    whose torch name (module and qualname, read from torch) finds the very class again through the alias
    prints that name (saved_tensors_hooks and save_on_cpu printed torch.autograd.saved_hooks, the legacy
    tensor types torch.ops.legacy (torch.cuda's pyfront.ops.legacy), layout and memory_format
    torch.sparse, RemovableHandle torch.nn.modules.module, LinAlgError torch.ops.primitives..., safe_globals
    and the matrix and structured transforms pyfront's files)."""
    import importlib
    import json
    (tmp_path / "list_classes.py").write_text(_LIST_CLASSES)
    (tmp_path / "finds_again.py").write_text(_FINDS_AGAIN)
    listed = _pyfront([str(tmp_path / "list_classes.py")])
    assert listed.returncode == 0, listed.stderr
    ours, torchs = json.loads(listed.stdout), {}
    for where in ours:
        module, _, attr = where.rpartition(".")
        try:
            obj = getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
        if isinstance(obj, type):
            torchs[where] = obj.__module__, obj.__qualname__
    (tmp_path / "torchs.json").write_text(json.dumps(torchs))
    checked = _pyfront([str(tmp_path / "finds_again.py"), str(tmp_path / "torchs.json")])
    assert checked.returncode == 0, checked.stderr
    findable = json.loads(checked.stdout)
    assert len(findable) > 300
    # (torch's qualname of ScriptFunction is "torch.jit.ScriptFunction", found through torch.jit's own torch
    # attribute; pyfront's is Python's function type, whose name cannot change)
    builtin = {"torch.jit.ScriptFunction"}
    assert {w: ours[w] for w in findable if ours[w] != ".".join(torchs[w]) and w not in builtin} == {}

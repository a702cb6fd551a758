"""The committed stubs (pyfront/tensor.pyi, pyfront/__init__.pyi) list the surface pyfront has now:
a method or function added, removed or changed without `python build/stubs.py` fails here."""
from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_stubs_match_the_live_surface():
    # a fresh process: what a test imported (pyfront.safetensors, ...) must not change the namespace
    done = subprocess.run([sys.executable, str(ROOT / "build" / "stubs.py"), "--check"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_tensor_method_is_in_the_stub():
    """The check above compares text; this says which kind of name a stale stub would hide."""
    import ast

    import pyfront

    tree = ast.parse((ROOT / "pyfront" / "tensor.pyi").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Tensor")
    listed = {n.name for n in cls.body if isinstance(n, ast.FunctionDef)}
    missing = {n for n in vars(pyfront.Tensor) if not n.startswith("_")} - listed
    assert not missing, f"bound to Tensor but not in pyfront/tensor.pyi: {sorted(missing)}"
    assert {"sum", "add", "add_", "T", "mH", "softmax", "__add__", "__matmul__"} <= listed

"""An honest accelerator and a quiet start: a CPU renderer is not an accelerator unless asked for, and
looking up an adapter prints nothing on a headless machine."""
import os
import subprocess
import sys

import pytest

import pyfront
from webgpu_required import requires_webgpu


def _run(code: str, **env_changes) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for k, v in env_changes.items():
        env.pop(k, None) if v is None else env.__setitem__(k, v)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("xdg", [None, "/nonexistent/pyfront-xdg"])  # unset, and set to no directory
def test_adapter_lookup_prints_no_error(xdg):
    code = ("import os, pyfront; pyfront.webgpu.is_available(); pyfront.webgpu.adapter_info();"
            "print(repr(os.environ.get('XDG_RUNTIME_DIR')))")
    r = _run(code, XDG_RUNTIME_DIR=xdg)
    assert r.returncode == 0, r.stderr
    assert "error" not in (r.stdout + r.stderr).lower(), r.stdout + r.stderr
    assert r.stdout.strip() == repr(xdg)  # the user's environment is left as it was


@requires_webgpu
@pytest.mark.parametrize("chosen", [None, "vulkan"])
def test_a_cpu_renderer_is_the_accelerator_only_when_asked_for(chosen):
    code = ("import pyfront, json; i = pyfront.webgpu.adapter_info();"
            "x = pyfront.ones(2, device='webgpu') + 1;"  # an explicit device works either way
            "a = pyfront.accelerator;"
            "print(json.dumps([i, a.is_available(), str(a.current_accelerator()), a.device_count(),"
            " x.tolist()]))")
    r = _run(code, PYFRONT_ADAPTER=chosen)
    assert r.returncode == 0, r.stderr
    import json
    info, available, current, count, x = json.loads(r.stdout)
    assert x == [2.0, 2.0]
    assert {"name", "backend", "type", "software", "accelerator", "reason"} <= info.keys()
    assert info["name"] and info["reason"]
    expected = not info["software"] or chosen is not None
    assert info["accelerator"] is available is expected
    assert current == ("webgpu" if expected else "None") and count == int(expected)
    if info["software"]:
        assert "CPU" in info["reason"] and info["type"] == "CPU"


def test_adapter_info_without_an_adapter(monkeypatch):
    from pyfront import backends
    monkeypatch.setattr(backends, "_BACKENDS", {k: v for k, v in backends._BACKENDS.items() if k != "webgpu"})
    monkeypatch.setattr(backends, "_UNAVAILABLE", {"webgpu": RuntimeError("no driver")})
    info = pyfront.webgpu.adapter_info()
    assert info["accelerator"] is False and "no driver" in info["reason"]
    assert pyfront.accelerator.is_available() is False and pyfront.accelerator.current_accelerator() is None

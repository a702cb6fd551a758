"""Atomic saves: a crash, a full disk or an error mid-save leaves the old file or the new one, whole."""
import os
import pathlib
import stat
import subprocess
import sys

import pytest

import pyfront
from pyfront.serialization import zipformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
N = 1000  # floats per tensor

# The child pauses at a named point of its save and waits on stdin; the parent kills it there. No
# sleeps and no races: each kill lands exactly where it is meant to, on a loaded machine too.
SAVER = f"""
import os, sys
import pyfront
from pyfront.serialization import zipformat
target, point = sys.argv[1], sys.argv[2]


def pause(where):
    if where == point:
        print(where, flush=True)
        sys.stdin.readline()  # killed here


real_write, real_fsync, real_replace = zipformat.ZipWriter.write, os.fsync, os.replace


def write(self, name, data):
    real_write(self, name, data)
    if name.startswith("data/"):
        self.f.flush()
        pause("mid-write")


def fsync(fd):
    real_fsync(fd)
    pause("written")


def replace(src, dst):
    real_replace(src, dst)
    pause("renamed")


pyfront.save({{"w": pyfront.full(({N},), 1.0), "b": pyfront.full((7,), 1, dtype=pyfront.int64)}}, target)
zipformat.ZipWriter.write, os.fsync, os.replace = write, fsync, replace
pyfront.save({{"w": pyfront.full(({N},), 2.0), "b": pyfront.full((7,), 2, dtype=pyfront.int64)}}, target)
"""


def _env():
    return {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _whole(path) -> float:
    """The version (1.0 or 2.0) a complete file holds; fails on anything partial or mixed."""
    out = pyfront.load(path)
    value = out["w"][0].item()
    assert value in (1.0, 2.0)
    assert out["w"].shape == (N,) and out["w"].eq(value).all().item()
    assert out["b"].tolist() == [int(value)] * 7
    return value


@pytest.mark.parametrize("point, survivor, litter", [("mid-write", 1.0, True), ("written", 1.0, True),
                                                     ("renamed", 2.0, False)])
def test_sigkill_mid_save_never_leaves_a_partial_file(tmp_path, point, survivor, litter):
    target = tmp_path / "ckpt.pt"
    proc = subprocess.Popen([sys.executable, "-c", SAVER, str(target), point], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=_env())
    try:
        assert proc.stdout.readline() == f"{point}\n".encode()
    finally:
        proc.kill()
        proc.wait()
    assert _whole(target) == survivor  # the old file or the new one, whole
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "ckpt.pt"]
    assert bool(leftovers) == litter  # a killed process can't remove its temporary file
    assert all(n.startswith(".ckpt.pt.") and n.endswith(".tmp") for n in leftovers), leftovers
    pyfront.save(pyfront.ones(2), target)  # the next save of the target removes the dead save's litter
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


def test_full_disk_keeps_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "ckpt.pt"
    pyfront.save({"w": pyfront.ones(4)}, target)
    old = target.read_bytes()
    code = ("import resource, signal, sys, pyfront\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"  # so a write past the limit is an error (EFBIG)
            "resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))\n"
            "try:\n"
            "    pyfront.save({'w': pyfront.ones(1_000_000)}, sys.argv[1])\n"
            "except OSError as e:\n"
            "    print('failed', e.errno)\n")
    result = subprocess.run([sys.executable, "-c", code, str(target)], capture_output=True, env=_env(),
                            timeout=60)
    assert result.stdout.startswith(b"failed"), result.stderr
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


def test_error_mid_write_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "ckpt.pt"
    pyfront.save({"w": pyfront.ones(4)}, target)
    old = target.read_bytes()
    real_write = zipformat.ZipWriter.write

    def failing(self, name, data):
        if name.startswith("data/"):
            raise OSError(28, "No space left on device")
        real_write(self, name, data)

    monkeypatch.setattr(zipformat.ZipWriter, "write", failing)
    with pytest.raises(OSError, match="No space"):
        pyfront.save({"w": pyfront.zeros(4)}, target)
    assert target.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


def test_permissions_of_an_existing_file_are_kept(tmp_path):
    target = tmp_path / "ckpt.pt"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    pyfront.save(pyfront.ones(2), target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert pyfront.load(target).tolist() == [1.0, 1.0]


def test_new_file_gets_the_usual_mode(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    pyfront.save(pyfront.ones(2), tmp_path / "new.pt")
    assert stat.S_IMODE(os.stat(tmp_path / "new.pt").st_mode) == 0o666 & ~umask


def test_symlink_is_kept_and_its_file_replaced(tmp_path):
    real = tmp_path / "real.pt"
    pyfront.save(pyfront.ones(2), real)
    link = tmp_path / "link.pt"
    link.symlink_to(real)
    pyfront.save(pyfront.zeros(3), link)
    assert link.is_symlink() and pyfront.load(real).tolist() == [0.0, 0.0, 0.0]


def test_saving_over_a_folder_fails_without_leftovers(tmp_path):
    (tmp_path / "dir.pt").mkdir()
    with pytest.raises(OSError):
        pyfront.save(pyfront.ones(2), tmp_path / "dir.pt")
    assert [p.name for p in tmp_path.iterdir()] == ["dir.pt"]


# -- the litter of killed saves: the next save of the same target removes it ---------------------
HOLDER = """
import sys
from pyfront.serialization.atomic import atomic_write
with atomic_write(sys.argv[1]) as f:
    f.write(b"half a checkpoint")
    print("writing", flush=True)
    sys.stdin.readline()  # a save in progress, held at a known point until the parent says
print("done", flush=True)
"""


def _temps(folder, name="ckpt.pt"):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


def _hold_a_save(target):
    """A child process inside atomic_write(target), its temporary written and open."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(target)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=_env())
    assert proc.stdout.readline() == b"writing\n"
    return proc


def test_next_save_removes_stale_temporaries_of_its_target_only(tmp_path):
    stale = [".ckpt.pt.0123456789ab.tmp", ".ckpt.pt.ffffffffffff.tmp"]  # the names a killed save leaves
    kept = [".other.pt.0123456789ab.tmp", ".ckpt.pt.notes.tmp", ".ckpt.pt.0123456789ab.tmp.bak",
            "ckpt.pt.tmp"]
    for name in stale + kept:
        (tmp_path / name).write_bytes(b"x" * 100)
    pyfront.save(pyfront.ones(2), tmp_path / "ckpt.pt")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(kept + ["ckpt.pt"])
    assert pyfront.load(tmp_path / "ckpt.pt").tolist() == [1.0, 1.0]


def test_a_save_killed_at_a_known_point_is_cleaned_by_the_next(tmp_path):
    target = tmp_path / "ckpt.pt"
    proc = _hold_a_save(target)
    litter = _temps(tmp_path)
    assert len(litter) == 1
    proc.kill()
    proc.wait()
    assert _temps(tmp_path) == litter  # a killed process can't clean up after itself
    pyfront.save(pyfront.ones(2), target)
    assert _temps(tmp_path) == [] and pyfront.load(target).tolist() == [1.0, 1.0]


def test_a_concurrent_save_in_progress_is_left_alone(tmp_path):
    target = tmp_path / "ckpt.pt"
    proc = _hold_a_save(target)
    live = _temps(tmp_path)
    pyfront.save(pyfront.ones(2), target)  # saves alongside, without touching the other's temporary
    assert _temps(tmp_path) == live and pyfront.load(target).tolist() == [1.0, 1.0]
    out, _ = proc.communicate(b"go\n", timeout=60)
    assert proc.returncode == 0 and out == b"done\n"  # its rename still finds its file
    assert target.read_bytes() == b"half a checkpoint" and _temps(tmp_path) == []


def test_a_temporary_removed_before_its_writer_locks_it_is_replaced(tmp_path, monkeypatch):
    """A cleaner may see a writer's temporary between its creation and its lock, and remove it."""
    from pyfront.serialization import atomic
    real_lock, calls = atomic._lock, []

    def lock_late(fd, blocking):
        if not calls:  # the first temporary is removed by "another save" before it is locked
            os.unlink(next(p for p in tmp_path.iterdir() if p.name.startswith(".ckpt.pt.")))
        calls.append(fd)
        return real_lock(fd, blocking)

    monkeypatch.setattr(atomic, "_lock", lock_late)
    pyfront.save(pyfront.ones(2), tmp_path / "ckpt.pt")
    assert len(calls) == 2 and [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]
    assert pyfront.load(tmp_path / "ckpt.pt").tolist() == [1.0, 1.0]

"""ARCHITECTURE.md stays current with the code: every file it names exists, and every
``file.py:name`` it points to is defined in that file."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "ARCHITECTURE.md").read_text()
# `ops/dispatch.py:apply`, `backends/webgpu/runtime.py`, `shaders/flip.wgsl`, `tests/test_ops.py`
REFS = sorted(set(re.findall(r"`([\w./]+\.(?:py|wgsl|md))(?::(\w+))?", TEXT)))


DEFINED = r"^\s*(?:def|class|async def)\s+{name}\b|^{name}\s*[:=]"


def _file(path: str) -> Path | None:
    bases = (ROOT, ROOT / "pyfront", ROOT / "pyfront" / "backends", ROOT / "pyfront" / "backends" / "webgpu",
             ROOT / "shaders")
    for base in bases:
        if (base / path).is_file():
            return base / path
    return None


def test_the_document_names_files():
    assert len(REFS) > 30


def test_every_named_file_and_definition_exists():
    missing = []
    for path, name in REFS:
        found = _file(path)
        if found is None:
            missing.append(path)
        elif name and not re.search(DEFINED.format(name=name), found.read_text(), re.M):
            missing.append(f"{path}:{name}")
    assert not missing, f"ARCHITECTURE.md names what the code no longer has: {missing}"

"""Faults in WGSL text that one backend's compiler takes and another refuses, found by reading it.

Tint (the browser's WGSL compiler) refuses a constant expression whose value is not finite:
``bitcast<f32>(0x7fc00000u)`` failed every pipeline of a shader in the page while Naga (native)
took it. Infinities and NaN are made at run time by ``f32_from_bits`` (common.wgsl). This reads every
WGSL source, the shader files and the expressions in Python, for a constant bitcast of a non-finite
pattern, so the fault shows here and not only in the (slow) browser tests."""
import math
import re
import struct
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONSTANT_BITCAST = re.compile(r"bitcast<f(?:32|16)>\(\s*0x([0-9a-fA-F]+)u?\s*\)")


def _sources():
    yield from (ROOT / "shaders").glob("*.wgsl")
    yield from (ROOT / "pyfront").rglob("*.py")


def test_no_constant_expression_is_an_infinity_or_nan():
    found = []
    for path in _sources():
        comment = "//" if path.suffix == ".wgsl" else "#"  # a comment may name the refused form
        code = "\n".join(line.split(comment)[0] for line in path.read_text(encoding="utf-8").splitlines())
        for match in CONSTANT_BITCAST.finditer(code):
            bits = int(match.group(1), 16)
            if bits <= 0xFFFFFFFF and not math.isfinite(struct.unpack("<f", struct.pack("<I", bits))[0]):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not found, found


LIBRARIES = ("common.wgsl", "elementwise_lib.wgsl")  # included together by every elementwise kernel


def test_the_shared_libraries_define_each_function_once():
    """Two helpers' merged edits defined log1p_f32 twice: every elementwise pipeline failed to parse."""
    names = []
    for name in LIBRARIES:
        names += re.findall(r"^fn (\w+)", (ROOT / "shaders" / name).read_text(encoding="utf-8"), re.M)
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})

"""Kernel parameters are declared once, by name, in each kernel's WGSL ``struct Params``, and the
constants that Python and WGSL share (block sizes, chunk sizes, the workgroup size) are defined in
Python and injected into the shader text, never copied.

Before, Python packed positional word lists that the shaders read as ``P(12u)``, kept in step by
comments, and the sort block size was written in both languages: a change on one side alone gave
wrong results without an error.
"""

import pathlib
import re
import struct

import pytest
import torch

import pyfront
from pyfront.backends.webgpu import runtime
from pyfront.backends.webgpu.kernels import matmul, reduce, scan, sort
from pyfront.backends.webgpu.strides import MAX_DIMS
from webgpu_required import requires_webgpu

SHADERS = pathlib.Path(runtime.SHADER_DIR)
KERNELS = sorted(p.name for p in SHADERS.glob("*.wgsl") if "fn main(" in p.read_text())

_SOURCE = """
struct Inner {
    x: u32,
    y: u32,
}
struct Params {
    n: u32,
    scale: f32,  // a comment
    shift: i32,
    sizes: array<vec4<u32>, 2>,
    inner: Inner,
    last: u32,
}
"""


def test_the_layout_follows_wgsls_uniform_rules():
    layout = runtime.ParamLayout(_SOURCE)
    raw = layout.pack(dict(n=7, scale=0.5, shift=-3, sizes=(1, 2, 3), inner=dict(x=8, y=9), last=10))
    words = struct.unpack(f"<{len(raw) // 4}I", raw)
    # n, scale, shift at words 0..2; the array 16-byte aligned at 4..11; the struct at 12; last after it
    assert words[:3] == (7, 0x3F000000, 0xFFFFFFFD)
    assert words[4:12] == (1, 2, 3, 0, 0, 0, 0, 0)
    assert words[12:14] == (8, 9)
    assert words[16] == 10 and layout.size == 68


def test_a_missing_or_unknown_parameter_is_refused_by_name():
    layout = runtime.ParamLayout(_SOURCE)
    good = dict(n=1, scale=1.0, shift=0, sizes=(), inner=dict(x=0, y=0), last=0)
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'last' "
                                        r"\(struct Params declares n, scale, shift, sizes, inner, last\)"):
        layout.pack({k: v for k, v in good.items() if k != "last"})
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'lats'"):
        layout.pack({**good, "lats": 0})
    with pytest.raises(TypeError, match=r"Inner\(\) missing 1 required keyword-only argument: 'y'"):
        layout.pack({**good, "inner": dict(x=0)})
    with pytest.raises(ValueError, match="sizes holds at most 8 words; got 9"):
        layout.pack({**good, "sizes": range(9)})


def test_a_field_the_loader_cannot_pack_is_refused():
    with pytest.raises(ValueError, match="cannot pack"):
        runtime.ParamLayout("struct Params { n: u32, v: vec2<f32>, }")
    with pytest.raises(ValueError, match="a Python keyword"):
        runtime.ParamLayout("struct Params { in: u32, }")
    with pytest.raises(ValueError, match="no struct Params"):
        runtime.ParamLayout("fn main() {}")
    with pytest.raises(ValueError, match="at most 256 bytes"):
        runtime.ParamLayout("struct Params { a: array<vec4<u32>, 17>, }")


def test_numbers_beyond_a_fields_range_keep_their_bits():
    layout = runtime.ParamLayout("struct Params { big: f32, wrapped: u32, }")
    assert layout.pack(dict(big=1e39, wrapped=-1)) == struct.pack("<II", 0x7F800000, 0xFFFFFFFF)


@pytest.mark.parametrize("name", KERNELS)
def test_every_kernel_reads_its_parameters_by_name(name):
    text = runtime.shader_source(name)
    assert re.search(r"var<uniform> params: Params;", text)
    assert re.search(r"\bstruct Params\s*\{", text)
    assert not re.search(r"\bP[FI]?\(", text), "a parameter read by position"
    assert re.search(r"@workgroup_size\(WORKGROUP\)", text), "the workgroup size is runtime.WORKGROUP"


def test_no_shader_writes_a_constant_by_hand():
    """A module-scope constant in a shader is injected from Python (``${NAME}``) or derived from
    injected ones; a number written into the shader would be a copy that can drift."""
    for path in SHADERS.glob("*.wgsl"):
        for name, value in re.findall(r"^const (\w+)(?:: \w+)? = ([^;]+);", path.read_text(), re.M):
            assert not re.fullmatch(r"[\d.]+[uif]?", value.strip()), f"{path.name}: const {name} = {value}"


def test_the_injected_constants_are_pythons():
    text = runtime.specialise("sort_rows.wgsl", enable="", in_type="f32", key="v", SORT_BLOCK=sort.SORT_BLOCK)
    assert f"const SORT_BLOCK: u32 = {sort.SORT_BLOCK}u;" in text
    assert f"const WORKGROUP: u32 = {runtime.WORKGROUP}u;" in text
    assert f"dims: array<vec4<u32>, {MAX_DIMS}>," in text  # the Rows struct's


@requires_webgpu
def test_a_kernel_launched_without_a_declared_parameter_is_refused():
    """The loader compares what Python packs with the kernel's declaration before any GPU work."""
    x = pyfront.arange(6.0, device="webgpu")
    backend = pyfront.webgpu._backend()
    rt = backend.runtime
    source = runtime.specialise("flip.wgsl", enable="", ty="f32", ndim=1)
    ports = [backend.binding(x._layout)], [backend.binding(x._layout)]
    before = rt.dispatch_count
    with pytest.raises(TypeError, match="missing 1 required keyword-only argument: 'flipped'"):
        rt.launch(source, *ports, dict(numel=6, offset=0, dims=(6, 1)), 6)
    with pytest.raises(TypeError, match="unexpected keyword argument 'mask'"):
        rt.launch(source, *ports, dict(numel=6, offset=0, flipped=1, mask=1, dims=(6, 1)), 6)
    assert rt.dispatch_count == before


@requires_webgpu
def test_constants_changed_in_python_alone_still_give_torchs_results(monkeypatch):
    """Shrink each shared block or chunk size in Python only: the long-row paths (multi-pass sort,
    scan and argmax, split-K matmul, chunked reductions) run at small sizes, and stay exact only
    if the kernels take the sizes from Python."""
    monkeypatch.setattr(sort, "SORT_BLOCK", 256)
    monkeypatch.setattr(scan, "SEGMENT", 2)
    monkeypatch.setattr(scan, "BLOCK", 2 * runtime.WORKGROUP)
    monkeypatch.setattr(reduce, "ARG_CHUNK", 64)
    monkeypatch.setattr(reduce, "CHUNK", 128)
    monkeypatch.setattr(matmul, "K_CHUNK", 4 * matmul.STEP)
    g = torch.Generator().manual_seed(0)
    x = torch.randn(3, 1500, generator=g)
    y = torch.randn(1500, 5, generator=g)
    gx, gy = pyfront.tensor(x.tolist(), device="webgpu"), pyfront.tensor(y.tolist(), device="webgpu")
    order = torch.argsort(x, dim=1, descending=True, stable=True)
    assert gx.argsort(1, descending=True).tolist() == order.tolist()
    assert gx.argmax(1).tolist() == x.argmax(1).tolist()
    torch.testing.assert_close(torch.tensor(gx.cumsum(1).tolist()), x.cumsum(1), rtol=1e-4, atol=1e-3)
    torch.testing.assert_close(torch.tensor(gx.sum(1).tolist()), x.sum(1), rtol=1e-4, atol=1e-3)
    torch.testing.assert_close(torch.tensor((gx @ gy).tolist()), x @ y, rtol=1e-4, atol=1e-3)

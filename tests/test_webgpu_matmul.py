"""The webgpu matmul kernel at sizes that are no multiple of its 64x64 tile, every operand layout
(each tile loader: vec4 along K, vec4 along rows, scalar), batches and dtypes; and the joining and
strided-write kernels (cat, flip, as_strided_scatter, copy_slices) on the device, against torch."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import pyfront
from optable import assert_same, check
from pyfront.ops.composite import shaping as pf_shaping
from test_linalg_shaping import JOIN_SAMPLES, PAD_SAMPLES, REPEAT_SAMPLES, _list_call, _torch_error, _build
from webgpu_required import requires_webgpu

pytestmark = requires_webgpu
GPU = "webgpu"


def _operand(rng, shape, dtype, layout):
    """(pyfront on webgpu, torch) views of the same values: ``layout`` is "contiguous", "transposed"
    (a .mT of a contiguous tensor), or "offset" (sliced off one element: misaligned for vec4)."""
    stored = shape[:-2] + shape[-2:][::-1] if layout == "transposed" else shape
    if layout == "offset":
        stored = shape[:-1] + (shape[-1] + 1,)
    data = rng.standard_normal(stored) if dtype.startswith("float") else rng.integers(-5, 6, stored)
    data = data.astype(dtype)
    p, t = pyfront.tensor(data, device=GPU), torch.tensor(data)
    if layout == "transposed":
        p, t = p.mT, t.mT
    elif layout == "offset":
        p, t = p[..., 1:], t[..., 1:]
    return p, t


def _compare(p, t, dtype):
    got = torch.tensor(np.asarray(p.cpu().tolist(), dtype=dtype).reshape(tuple(p.shape)))
    tol = dict(rtol=1e-2, atol=2e-2) if dtype == "float16" else dict(rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(got, t, **tol)


LAYOUTS = ["contiguous", "transposed", "offset"]


@pytest.mark.parametrize("a_layout", LAYOUTS)
@pytest.mark.parametrize("b_layout", LAYOUTS)
@pytest.mark.parametrize("m,k,n", [(129, 257, 65), (64, 128, 192), (5, 4, 3), (1, 300, 1)])
def test_mm_every_layout_and_ragged_tiles(m, k, n, a_layout, b_layout):
    rng = np.random.default_rng(m * k + n)
    pa, ta = _operand(rng, (m, k), "float32", a_layout)
    pb, tb = _operand(rng, (k, n), "float32", b_layout)
    _compare(pyfront.mm(pa, pb), torch.mm(ta, tb), "float32")


def test_mm_reads_strided_operands_in_one_dispatch():
    rng = np.random.default_rng(0)
    pa, _ = _operand(rng, (70, 36), "float32", "transposed")
    pb, _ = _operand(rng, (36, 50), "float32", "offset")
    runtime = pyfront.webgpu._backend().runtime
    before = runtime.dispatch_count
    pyfront.mm(pa, pb)
    assert runtime.dispatch_count == before + 1  # no contiguous() copies of either operand


@pytest.mark.parametrize("layouts", [("contiguous", "contiguous"), ("transposed", "contiguous"),
                                     ("contiguous", "transposed"), ("offset", "transposed")])
def test_bmm_ragged_batches(layouts):
    rng = np.random.default_rng(1)
    pa, ta = _operand(rng, (3, 129, 257), "float32", layouts[0])
    pb, tb = _operand(rng, (3, 257, 65), "float32", layouts[1])
    _compare(pyfront.bmm(pa, pb), torch.bmm(ta, tb), "float32")


def test_bmm_broadcast_batch_has_stride_zero():
    rng = np.random.default_rng(2)
    pa, ta = _operand(rng, (1, 67, 33), "float32", "contiguous")
    pb, tb = _operand(rng, (4, 33, 71), "float32", "transposed")
    pa, ta = pa.expand(4, 67, 33), ta.expand(4, 67, 33)
    assert pa.stride(0) == 0
    _compare(pyfront.bmm(pa, pb), torch.bmm(ta, tb), "float32")


def test_matmul_broadcasts_and_backpropagates():
    rng = np.random.default_rng(3)
    a = rng.standard_normal((2, 3, 65, 40)).astype("float32")
    b = rng.standard_normal((40, 70)).astype("float32")
    pa = pyfront.tensor(a, device=GPU, requires_grad=True)
    pb = pyfront.tensor(b, device=GPU, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    p, t = pa @ pb, ta @ tb
    _compare(p, t.detach(), "float32")
    p.sum().backward()
    t.sum().backward()
    _compare(pa.grad, ta.grad, "float32")
    _compare(pb.grad, tb.grad, "float32")


@pytest.mark.parametrize("dtype", ["int64", "int32", "float16"])
def test_mm_dtypes(dtype):
    if dtype == "float16" and "shader-f16" not in pyfront.webgpu._backend().driver.features:
        pytest.skip("this adapter has no shader-f16")
    rng = np.random.default_rng(4)
    pa, ta = _operand(rng, (70, 68), dtype, "contiguous")
    pb, tb = _operand(rng, (68, 66), dtype, "transposed")
    p = pyfront.mm(pa, pb)
    assert p.dtype is getattr(pyfront, dtype)
    # float16: the kernel accumulates in f32 and rounds once, so compare with the f32 product
    expected = torch.mm(ta.float(), tb.float()).half() if dtype == "float16" else torch.mm(ta, tb)
    _compare(p, expected, dtype)


@pytest.mark.parametrize("shapes", [((3, 0), (0, 5)), ((0, 4), (4, 5)), ((3, 4), (4, 0)), ((70, 0), (0, 65))])
def test_mm_zero_sizes(shapes):
    a, b = (np.ones(s, dtype="float32") for s in shapes)
    p = pyfront.mm(pyfront.tensor(a, device=GPU), pyfront.tensor(b, device=GPU))
    assert_same(p.cpu(), torch.mm(torch.tensor(a), torch.tensor(b)))


# -- joining and strided writes -------------------------------------------------------------------
@pytest.mark.parametrize("name,index", [(n, i) for n, ss in JOIN_SAMPLES.items() for i in range(len(ss))])
def test_joining_ops_on_webgpu(name, index):
    sample = JOIN_SAMPLES[name][index]
    pfn, tfn = _list_call(name)
    if _torch_error(tfn, *_build(sample, index)[2:]) is None:
        check(name, None, sample, (None, None), True, seed=index, call=(pfn, tfn), device=GPU)


@pytest.mark.parametrize("index", range(len(REPEAT_SAMPLES)))
def test_repeat_on_webgpu(index):
    call = (lambda x, *r: x.repeat(*r), lambda x, *r: x.repeat(*r))
    if _torch_error(call[1], *_build(REPEAT_SAMPLES[index], index)[2:]) is None:
        check("repeat", None, REPEAT_SAMPLES[index], (None, None), True, seed=index, call=call, device=GPU)


@pytest.mark.parametrize("index", range(len(PAD_SAMPLES)))
def test_pad_on_webgpu(index):
    if _torch_error(F.pad, *_build(PAD_SAMPLES[index], index)[2:]) is None:
        check("pad", None, PAD_SAMPLES[index], (None, None), True, seed=index, call=(pf_shaping.pad, F.pad),
              device=GPU)


@pytest.mark.parametrize("dims", [(0,), (1, 3), (0, 1, 2, 3), (2,)])
def test_flip_of_a_permuted_four_dim_tensor(dims):
    data = np.arange(2 * 3 * 4 * 5, dtype="float32").reshape(2, 3, 4, 5)
    p = pyfront.tensor(data, device=GPU).permute(2, 0, 3, 1)
    t = torch.tensor(data).permute(2, 0, 3, 1)
    assert_same(p.flip(dims).cpu(), t.flip(dims))


def test_as_strided_scatter_with_strides_across_rows_of_the_base():
    base, src = np.arange(20, dtype="float32"), -np.arange(6, dtype="float32").reshape(2, 3)
    args = ((2, 3), (7, 2), 3)
    p_base, p_src = pyfront.tensor(base, device=GPU).view(4, 5), pyfront.tensor(src, device=GPU)
    p = pyfront.as_strided_scatter(p_base, p_src, *args)
    assert_same(p.cpu(), torch.as_strided_scatter(torch.tensor(base).view(4, 5), torch.tensor(src), *args))


def test_writes_through_views_backpropagate_on_webgpu():
    data = np.arange(12, dtype="float32").reshape(3, 4)
    grads = []
    for lib, dev in ((pyfront, GPU), (torch, "cpu")):
        w = lib.tensor(data, requires_grad=True, device=dev)
        x = w * 2
        x[:, 1:3] = w[0, :2] * 3  # recorded as CopySlices over x
        x[2] *= 5
        (x * lib.tensor(data, device=dev)).sum().backward()
        grads.append((x, w.grad))
    assert_same(grads[0][0].detach().cpu(), grads[1][0].detach())
    assert_same(grads[0][1].cpu(), grads[1][1])

"""The built site in headless Chromium: pyfront under Pyodide on the browser's WebGPU (SwiftShader),
checked against PyTorch run natively in the same test."""

import base64
import io
import json
import math

import numpy as np
import pytest
import torch

from browser_page import ROOT, Page, build_site
from optable import T, _values, entries

ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    p = Page(build_site(tmp_path_factory.mktemp("site") / "site"))
    yield p
    p.page.click("#run")  # the playground's first example, so the screenshot shows its output too
    p.page.wait_for_selector("#output:has-text('webgpu')", timeout=120_000)
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "browser.png"), full_page=True)
    p.close()


def ok(result):
    assert "error" not in result, result.get("error")
    return result


def test_page_loads_on_webgpu_without_errors(page):
    assert page.page.inner_text("#adapter").startswith("WebGPU:")
    assert page.console_errors == [] and page.csp_violations == []


def test_sync_and_async_read_back(page):
    out = ok(
        page.run("""
import pyfront as torch
x = torch.arange(6.0, device="webgpu").reshape(2, 3)
print(x.sum().item(), x.tolist())
print(await (x * 2).sum().item_async(), await x.t().tolist_async())
await torch.webgpu.synchronize_async()
print(x)
""")
    )["output"].splitlines()
    assert out[0] == "15.0 [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]"
    assert out[1] == "30.0 [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]"
    assert out[2:] == ["tensor([[0., 1., 2.],", "        [3., 4., 5.]], device='webgpu:0')"]


def test_python_errors_come_back_as_tracebacks(page):
    result = page.run(
        "import pyfront as torch\ntorch.ones(2, device='webgpu') @ torch.ones(3, device='webgpu')"
    )
    assert "Traceback" in result["error"] and "RuntimeError" in result["error"]


# -- the op table, in the page ------------------------------------------------------------------
RUNNER = r"""
import json, pyfront

def _build(arg):
    if not (isinstance(arg, dict) and "data" in arg):
        return arg, None
    leaf = pyfront.tensor(arg["data"], dtype=getattr(pyfront, arg["dtype"]), device="webgpu",
                          requires_grad=arg["grad"])
    x = leaf
    if arg["layout"] == "transposed":
        x = leaf.permute(*reversed(range(leaf.dim())))
    elif arg["layout"] == "expanded":
        x = leaf.expand(arg["expand_to"])
    return x, (leaf if arg["grad"] else None)

def _resolve(name):
    obj = pyfront
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj

def _plain(x):
    if isinstance(x, pyfront.Tensor):
        return {"t": x.detach().tolist(), "dtype": str(x.dtype)}
    if isinstance(x, (tuple, list)):
        return [_plain(v) for v in x]
    return x

def run_case(case):
    built = [_build(a) for a in case["args"]]
    kw = {k: _build(v)[0] for k, v in case["kwargs"].items()}
    try:
        out = _resolve(case["name"])(*[b[0] for b in built], **kw)
    except Exception as e:
        return {"raised": type(e).__name__}
    result = {"out": _plain(out)}
    leaves = [b[1] for b in built if b[1] is not None]
    cot = case.get("cotangent")
    if cot is not None and leaves:
        first = out[0] if isinstance(out, (tuple, list)) else out
        total = (first * pyfront.tensor(cot, device="webgpu")).sum()
        grads = pyfront.autograd.grad(total, leaves, allow_unused=True)
        result["grads"] = [None if g is None else g.tolist() for g in grads]
    return result
"""


def _encode(spec, domain, rng):
    if not isinstance(spec, T):
        return spec, spec, None
    data = _values(spec, domain, rng)
    grad = spec.grad and spec.dtype.startswith("float")
    t = torch.tensor(data, requires_grad=grad)
    x = (
        t.permute(*reversed(range(t.dim())))
        if spec.layout == "transposed"
        else (t.expand(spec.expand_to) if spec.layout == "expanded" else t)
    )
    return (
        {
            "data": data.tolist(),
            "dtype": spec.dtype,
            "layout": spec.layout,
            "expand_to": list(spec.expand_to),
            "grad": grad,
        },
        x,
        (t if grad else None),
    )


def _jsonable(v):
    if isinstance(v, float):
        return math.isfinite(v)
    if isinstance(v, (int, str, bool)) or v is None:
        return True
    if isinstance(v, (tuple, list)):
        return all(_jsonable(x) for x in v)
    return isinstance(v, dict) and all(_jsonable(x) for x in v.values())


def _cases():
    """The first usable sample of every op: float32 operands, JSON-expressible arguments."""
    rng = np.random.default_rng(0)
    cases = []
    for _name, torch_name, samples, domain, differentiable in entries(edge=False):
        for args, kwargs in samples:
            specs = [a for a in (*args, *kwargs.values()) if isinstance(a, T)]
            if not specs or any(s.dtype == "float64" for s in specs):
                continue
            if not all(_jsonable(a) for a in (*args, *kwargs.values()) if not isinstance(a, T)):
                continue
            enc = [_encode(a, domain, rng) for a in args]
            kw = {k: _encode(v, domain, rng) for k, v in kwargs.items()}
            fn = torch
            for part in torch_name.split("."):
                fn = getattr(fn, part)
            try:
                out = fn(*[e[1] for e in enc], **{k: v[1] for k, v in kw.items()})
            except Exception:
                continue
            case = {
                "name": torch_name,
                "args": [e[0] for e in enc],
                "kwargs": {k: v[0] for k, v in kw.items()},
                "expected": out,
                "leaves": [e[2] for e in enc if e[2] is not None],
            }
            first = out[0] if isinstance(out, (tuple, list)) else out
            if differentiable and case["leaves"] and isinstance(first, torch.Tensor) and first.requires_grad:
                cot = rng.uniform(-1, 1, size=tuple(first.shape)).astype(np.float32)
                try:
                    case["expected_grads"] = torch.autograd.grad(
                        (first * torch.from_numpy(cot)).sum(), case["leaves"], allow_unused=True
                    )
                    case["cotangent"] = cot.tolist()
                except RuntimeError:  # torch has no derivative here: compare the values only
                    pass
            cases.append(case)
            break
    return cases


def _compare(got, expected, what):
    if isinstance(expected, (tuple, list)):
        assert isinstance(got, list) and len(got) == len(expected), what
        for g, e in zip(got, expected):
            _compare(g, e, what)
        return
    if isinstance(expected, torch.Tensor):
        assert got["dtype"] == str(expected.dtype), f"{what}: dtype {got['dtype']} != {expected.dtype}"
        value = (
            torch.tensor(got["t"], dtype=expected.dtype)
            if expected.numel()
            else expected.new_empty(expected.shape)
        )
        torch.testing.assert_close(
            value.reshape(expected.shape), expected.detach(), rtol=1e-3, atol=1e-4, equal_nan=True, msg=what
        )
        return
    assert got == expected or abs(got - expected) <= 1e-4 * (1 + abs(expected)), what


def test_op_table_in_the_page_matches_torch(page):
    cases = _cases()
    payload = json.dumps(
        [{k: v for k, v in c.items() if k in ("name", "args", "kwargs", "cotangent")} for c in cases]
    )
    result = ok(
        page.run(RUNNER + f"\nimport json\njson.dumps([run_case(c) for c in json.loads({payload!r})])")
    )
    results = json.loads(result["result"])
    compared, failures = set(), []
    for case, got in zip(cases, results):
        try:
            assert "raised" not in got, f"raised {got.get('raised')}"
            _compare(got["out"], case["expected"], case["name"])
            for g, e in zip(got.get("grads", []), case.get("expected_grads", [])):
                if e is not None:
                    torch.testing.assert_close(
                        torch.tensor(g).reshape(e.shape),
                        e,
                        rtol=1e-3,
                        atol=1e-3,
                        msg=f"{case['name']} gradient",
                    )
            compared.add(case["name"])
        except AssertionError as e:
            failures.append(f"{case['name']}: {str(e)[:300]}")
    assert not failures, "\n".join(failures)
    assert len(compared) >= 60, sorted(compared)


# -- checkpoints and training -------------------------------------------------------------------
def test_a_torch_checkpoint_gives_the_same_predictions_in_the_page(page):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10))
    x = torch.rand(5, 64)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    raw = base64.b64encode(buf.getvalue()).decode()
    result = ok(
        page.run(f"""
import base64, io, json
import pyfront as torch
from pyfront import nn
model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
model.load_state_dict(torch.load(io.BytesIO(base64.b64decode({raw!r}))))
model.to("webgpu")
json.dumps(model(torch.tensor({x.tolist()!r}, device="webgpu")).tolist())
""")
    )
    torch.testing.assert_close(
        torch.tensor(json.loads(result["result"])), model(x).detach(), rtol=1e-4, atol=1e-5
    )


def test_training_the_digits_demo_in_the_page(page):
    """As a visitor: press Train (4 epochs) and watch the chart; the held-out accuracy reaches 90%."""
    page.page.fill("#epochs", "4")
    page.page.click("#train")
    page.page.wait_for_selector("#test-accuracy:has-text('after epoch 4')", timeout=900_000)
    accuracy = float(page.page.inner_text("#test-accuracy").rsplit(" ", 1)[1].rstrip("%"))
    assert accuracy >= 90.0, page.page.inner_text("#test-accuracy")
    status = page.page.inner_text("#train-status")
    assert "samples/s" in status and "done" in status, status


def test_a_visitor_draws_downloads_and_loads_a_checkpoint(page, tmp_path):
    """After the training test: draw a digit, download the state_dict (torch reads it), load torch's."""
    box = page.page.locator("#pad").bounding_box()
    page.page.mouse.move(box["x"] + 112, box["y"] + 30)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + 112, box["y"] + 190, steps=12)
    page.page.mouse.up()
    page.page.wait_for_selector("#prediction:has-text('It looks like a')", timeout=120_000)
    assert len(page.page.locator("#bars .bar-row").all()) == 10
    with page.page.expect_download(timeout=120_000) as download:
        page.page.click("#download")
    path = tmp_path / "digits_cnn.pt"
    download.value.save_as(path)
    state = torch.load(path, weights_only=True)  # real PyTorch reads what the page wrote
    assert state["features.0.weight"].shape == (16, 1, 3, 3) and len(state) == 8
    state["classifier.3.bias"] = torch.full((10,), 0.5)
    theirs = tmp_path / "from_torch.pt"
    torch.save(state, theirs)
    page.page.set_input_files("#upload", str(theirs))
    page.page.wait_for_selector(
        "#checkpoint-status:has-text('All keys matched successfully')", timeout=120_000
    )
    bias = ok(
        page.run("from pyfront.examples import digits_page\ndigits_page.model().classifier[3].bias.tolist()")
    )
    assert bias["result"] == str([0.5] * 10)


def test_bench_runs_in_the_page(page):
    result = ok(
        page.run(
            "import io, contextlib, json\nfrom pyfront import bench\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n    bench.main(['--quick'])\n"
            "out.getvalue()"
        )
    )
    report = json.loads(result["result"])
    ours = report["devices"]["webgpu"]["pyfront"]
    assert ours["op_overhead_us"] > 0 and ours["mlp_step_ms"] > 0 and ours["matmul_gflops"]["256"] > 0
    print(json.dumps(report["devices"]["webgpu"]["pyfront"]))


def test_no_console_errors_or_csp_violations_after_use(page):
    assert page.console_errors == [] and page.csp_violations == []


def _playground_examples():
    import re

    source = (ROOT / "web" / "examples.js").read_text()
    return re.findall(r'\["([^"]+)", `(.*?)`\]', source, flags=re.S)


def test_every_playground_example_runs_in_the_page(page):
    examples = _playground_examples()
    assert len(examples) == 6
    for name, code in examples:
        result = page.run(code)
        assert "error" not in result, f"{name}:\n{result.get('error')}"
        assert result["output"].strip(), name

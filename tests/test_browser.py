"""The built site in headless Chromium: pyfront under Pyodide on the browser's WebGPU (SwiftShader),
checked against PyTorch run natively in the same test."""

import base64
import io
import json
import math
import time

import numpy as np
import pytest
import torch

from browser_page import NO_WEBGPU_FLAGS, ROOT, Page, build_site
from optable import T, _values, entries
from pyfront.ops.registry import OPS

ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="module")
def page(site):
    p = Page(site)
    yield p
    p.page.select_option("#example", "0")  # the first example, so the screenshot shows its output too
    p.page.click("#run")
    p.page.wait_for_selector("#output:has-text('webgpu')", timeout=120_000)
    ARTIFACTS.mkdir(exist_ok=True)
    p.page.screenshot(path=str(ARTIFACTS / "browser.png"), full_page=True)
    p.shot("browser")
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


def test_pasted_pytorch_code_imports_torch(page):
    result = ok(page.run("""
import pyfront, torch, torch.nn as nn, torch.nn.functional as F, torch.optim
from torch.utils.data import DataLoader
print(torch is pyfront, nn is pyfront.nn, F is pyfront.nn.functional, torch.optim is pyfront.optim,
      DataLoader is pyfront.utils.data.DataLoader, torch.ones(2, 3).sum().item())
"""))
    assert result["output"] == "True True True True True 6.0\n"


def _output_lines(page):
    return [line for line in page.page.inner_text("#output").splitlines() if line.strip()]


def test_errors_show_the_visitors_frames_and_the_message(page):
    """As a visitor: a shape mismatch run with Shift+Enter, a syntax error with Ctrl+Enter."""
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(2, 3) @ torch.ones(2, 3)
    page.code("import torch\nx = torch.ones(2, 3)\ny = x @ x\n")
    page.page.click("#editor .cm-content")
    page.page.keyboard.press("Shift+Enter")
    page.page.wait_for_selector("#output .error", timeout=120_000)
    lines = _output_lines(page)
    assert lines == ['  File "<playground>", line 3, in <module>', "    y = x @ x", "        ~~^~~",
                     f"RuntimeError: {theirs.value}", "details"], lines
    page.shot("error")
    page.page.click("#output summary")  # the whole traceback, for whoever wants the internals
    assert "Traceback (most recent call last)" in page.page.inner_text("#output")

    page.code("import torch\nfor i in range(3)\n    print(i)\n")
    page.page.click("#editor .cm-content")
    page.page.keyboard.press("Control+Enter")
    page.page.wait_for_selector("#output .error:has-text('SyntaxError')", timeout=60_000)
    lines = _output_lines(page)
    assert lines[0] == '  File "<playground>", line 2' and lines[-2] == "SyntaxError: expected ':'", lines
    assert len(lines) <= 5 and "Traceback" not in page.page.inner_text("#output")


def test_a_run_that_prints_a_lot_keeps_the_page_responsive_and_its_output_its_own(page):
    """100,000 printed lines: the output shows the last ones and says how many it dropped (redrawing the
    whole text per line froze the tab for minutes); text printed without a newline stays with its run."""
    page.code("for i in range(100_000):\n    print(f'line {i:06d}')\nprint('unfinished', end='')\n")
    page.page.click("#run")
    page.page.wait_for_selector("#run:enabled", timeout=60_000)
    text = page.page.inner_text("#output pre")
    assert text.rstrip("\n").endswith("line 099999\nunfinished") and len(text) < 200_000, text[-200:]
    assert text.splitlines()[0].endswith("earlier lines not shown"), text[:200]
    assert page.run("print('next')")["output"] == "next\n"


def test_stop_ends_a_run_that_never_ends(page):
    """Python cannot be interrupted inside its worker: Stop ends the worker and starts a fresh Python."""
    page.code("while True:\n    pass\n")
    page.page.click("#run")
    page.page.wait_for_selector("#queue:has-text('running: Run')", timeout=60_000)
    page.page.click("#stop-run")
    page.page.wait_for_selector("#output .error:has-text('Python was restarted')", timeout=10_000)
    page.page.wait_for_selector("#run:enabled", timeout=180_000)
    assert page.page.is_disabled("#stop-run") and page.page.inner_text("#adapter").startswith("WebGPU:")
    assert ok(page.run("import torch\nprint(torch.arange(4).sum().item())"))["output"] == "6\n"


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
        if _name in OPS and OPS[_name].extra.get("cpu_fallback"):
            continue  # computed with NumPy on every device, which the page has not (test_no_numpy)
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
            if any(isinstance(o, torch.Tensor) and o.dtype == torch.float64
                   for o in (out if isinstance(out, (tuple, list)) else (out,))):
                continue  # a float64 result (float_power): the GPU refuses it, as the native table checks
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
                        equal_nan=True,  # logit's gradient outside [0, 1] is NaN, as torch's
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


def _draw_a_one(page):
    box = page.page.locator("#pad").bounding_box()
    page.page.mouse.move(box["x"] + 112, box["y"] + 30)
    page.page.mouse.down()
    page.page.mouse.move(box["x"] + 112, box["y"] + 190, steps=12)
    page.page.mouse.up()


def test_training_the_digits_demo_in_the_page(page):
    """As a visitor: press Train (4 epochs); while it trains, Run and a drawing are answered and the
    queue shows what waits; the chart has its axes and a held-out point per epoch; 90% held out."""
    page.page.fill("#epochs", "4")
    page.page.click("#train")
    page.page.wait_for_selector("#train-status:has-text('batch 2/')", timeout=300_000)
    page.code("print('during training', 6 * 7)")
    queue = page.page.evaluate("() => { document.getElementById('run').click(); return $queue(); }".replace(
        "$queue()", "document.getElementById('queue').textContent"))
    assert "training runs in the background" in queue and "waiting for a turn: Run" in queue, queue
    page.page.wait_for_selector("#output:has-text('during training 42')", timeout=60_000)
    _draw_a_one(page)
    page.page.wait_for_selector("#prediction:has-text('It looks like a')", timeout=60_000)
    assert not page.page.is_enabled("#train")  # still training
    assert "after epoch 4" not in page.page.inner_text("#test-accuracy")
    page.shot("training")
    page.page.wait_for_selector("#test-accuracy:has-text('after epoch 4')", timeout=900_000)
    accuracy = float(page.page.inner_text("#test-accuracy").rsplit(" ", 1)[1].rstrip("%"))
    assert accuracy >= 90.0, page.page.inner_text("#test-accuracy")
    page.page.wait_for_selector("#train:enabled", timeout=60_000)
    status = page.page.inner_text("#train-status")
    assert "samples/s" in status and "done" in status, status
    chart = page.page.locator("#chart")
    labels = chart.locator("text").all_text_contents()
    assert {"step (one batch of 64 digits)", "loss (cross-entropy)", "accuracy (%)", "100%"} <= set(labels)
    assert chart.locator("circle.test-point").count() == 4  # the held-out accuracy after each epoch
    # no cliff where an epoch starts (23 batches an epoch): the curves run on across epochs, where a
    # running average of each epoch would restart at one batch's value
    for line in chart.locator("polyline").all()[:2]:
        ys = [float(point.split(",")[1]) for point in line.get_attribute("points").split()]
        assert len(ys) == 4 * 23 and max(abs(ys[i] - ys[i - 1]) for i in (23, 46, 69)) < 6, ys


def test_the_chart_reads_on_a_phone(page):
    """At 400 px the chart's text stays about 11 px high (a fixed 560-unit viewBox shrank it to 7 px) and
    nothing in it runs past its edges or over another label."""
    page.page.set_viewport_size({"width": 400, "height": 900})
    try:
        page.page.wait_for_function("() => document.getElementById('chart').viewBox.baseVal.width < 560")
        boxes = page.page.eval_on_selector_all("#chart text", """texts => texts.map((t) => {
            const r = t.getBoundingClientRect(), c = t.ownerSVGElement.getBoundingClientRect();
            const m = t.getScreenCTM();
            return [t.textContent, Math.hypot(m.c, m.d) * Number(t.getAttribute('font-size')),
                    r.left - c.left, r.right - c.left, r.top, r.bottom, c.width];
        })""")
        page.shot("chart-phone")
    finally:
        page.page.set_viewport_size({"width": 1280, "height": 2000})
    for text, size, left, right, _, _, width in boxes:
        assert size >= 10 and left >= 0 and right <= width + 0.5, (text, size, left, right, width)
    legend = [b for b in boxes if b[0] in ("training loss", "training accuracy")
              or b[0].startswith("held-out")]
    for i, a in enumerate(legend):
        for b in legend[i + 1:]:  # no two legend entries overlap
            assert a[3] <= b[2] or b[3] <= a[2] or a[5] <= b[4] or b[5] <= a[4], (a, b)


def _wait_for_batch(page, epochs, batch):
    """Wait until the status shows epoch 1 of ``epochs`` at ``batch`` or later. Checked every animation
    frame: a warm worker runs a batch faster than Playwright's 500 ms selector poll, so waiting for
    one batch's exact text can miss it (it did in 2 of 3 runs)."""
    page.page.wait_for_function(r"""([epochs, batch]) => {
        const status = document.getElementById('train-status').textContent;
        const m = new RegExp(`^epoch 1/${epochs} · batch (\\d+)/`).exec(status);
        return m !== null && Number(m[1]) >= batch;
    }""", arg=[epochs, batch], timeout=300_000, polling="raf")


def test_stop_ends_training_soon_and_keeps_what_was_learned(page):
    page.page.fill("#epochs", "20")
    page.page.click("#train")
    assert page.page.inner_text("#train-status").startswith("continuing from the model trained so far")
    _wait_for_batch(page, 20, 2)
    page.page.click("#stop")
    start = time.perf_counter()
    page.page.wait_for_selector("#train:enabled", timeout=60_000)
    took = time.perf_counter() - start
    status = page.page.inner_text("#train-status")
    assert took < 4 and "stopped at epoch 1" in status and "keeps what it learned" in status, (took, status)
    time.sleep(1.5)
    assert page.page.inner_text("#train-status") == status
    accuracy = ok(page.run("""
import pyfront as torch
from pyfront.datasets import load_digits
from pyfront.examples import digits, digits_page
x, y = load_digits("test", device=digits_page.device())
digits.evaluate(digits_page.model(), digits.make_loader(x, y, 256, False))[1]
"""))["result"]
    assert float(accuracy) >= 0.8, accuracy


def test_a_visitor_draws_downloads_and_loads_a_checkpoint(page, tmp_path):
    """After the training test: draw a digit, download the state_dict (torch reads it), load torch's
    .pt and .safetensors; Train then continues from the loaded model."""
    page.page.click("#clear")
    _draw_a_one(page)
    page.page.wait_for_selector("#prediction:has-text('It looks like a')", timeout=120_000)
    rows = page.page.locator("#bars .bar-row")
    assert rows.count() == 10 and rows.locator("em").first.inner_text().endswith("%")
    shown = sum(float(t.rstrip("%")) for t in rows.locator("em").all_inner_texts())
    assert abs(shown - 100) < 1, shown  # every class's probability, as a bar with its number
    page.shot("drawn")
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
    other = tmp_path / "other_model.pt"
    torch.save(torch.nn.Linear(2, 2).state_dict(), other)  # the whole message, not its last line
    page.page.set_input_files("#upload", str(other))
    page.page.wait_for_selector("#checkpoint-status:has-text('could not load other_model.pt')")
    status = page.page.inner_text("#checkpoint-status")
    assert "Missing key(s)" in status and 'Unexpected key(s) in state_dict: "weight"' in status, status

    from safetensors.torch import save_file

    state["classifier.3.bias"] = torch.full((10,), 0.25)
    save_file(state, tmp_path / "from_torch.safetensors")
    page.page.set_input_files("#upload", str(tmp_path / "from_torch.safetensors"))
    page.page.wait_for_selector(
        "#checkpoint-status:has-text('loaded from_torch.safetensors')", timeout=120_000
    )
    assert "All keys matched successfully" in page.page.inner_text("#checkpoint-status")
    assert "Train continues from it" in page.page.inner_text("#train-status")
    bias = ok(
        page.run("from pyfront.examples import digits_page\ndigits_page.model().classifier[3].bias.tolist()")
    )
    assert bias["result"] == str([0.25] * 10)
    page.page.fill("#epochs", "1")
    page.page.click("#train")
    assert page.page.inner_text("#train-status").startswith("continuing from from_torch.safetensors")
    _wait_for_batch(page, 1, 1)
    page.page.click("#stop")
    page.page.wait_for_selector("#train:enabled", timeout=60_000)
    with page.page.expect_download(timeout=120_000) as download:
        page.page.click("#download-safetensors")
    download.value.save_as(tmp_path / "back.safetensors")
    from safetensors.torch import load_file

    back = load_file(tmp_path / "back.safetensors")  # safetensors reads what the page wrote
    assert set(back) == set(state) and not torch.equal(back["classifier.3.bias"], state["classifier.3.bias"])


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
    assert ours["op_host_us"] > 0 and report["machine"]["adapter"]["name"]
    print(json.dumps(report["devices"]["webgpu"]["pyfront"]))


def test_no_console_errors_or_csp_violations_after_use(page):
    assert page.console_errors == [] and page.csp_violations == []


def test_every_playground_example_runs_and_is_explained(page):
    examples = page.page.evaluate("import('./examples.js').then((m) => m.EXAMPLES)")
    lessons = ["torch.autograd.grad(L, w", ".backward()", "print(model)", "nn.Sequential", "shuffle=True",
               "drop_last=True", "optimizer.step()", "torch.save", "torch.load", ".to(device)"]
    assert all(any(lesson in e["code"] for e in examples) for lesson in lessons)
    for example in examples:
        result = page.run(example["code"])
        assert "error" not in result, f"{example['title']}:\n{result.get('error')}"
        assert result["output"].strip() and example["code"].startswith("import"), example["title"]
        page.page.select_option("#example", example["title"])
        explained = page.page.inner_text("#explain")
        assert 2 <= explained.count(". ") + explained.endswith(".") <= 4, explained


def test_the_page_links_its_source_and_install_line(page):
    href = page.page.get_attribute("#source", "href")
    head = page.page.evaluate(
        "url => fetch(url).then(r => r.arrayBuffer()).then(b => Array.from(new Uint8Array(b, 0, 2)))", href
    )
    assert bytes(head) == b"PK", href  # the wheel (pure Python: the source) until a URL is set
    assert page.page.inner_text("#install") == 'pip install "pyfront[gpu]"'


def test_the_editor_indents_highlights_keeps_and_shares_the_code(page):
    """Last in this module: it reloads the page."""
    page.code("x = 1")
    page.page.click("#editor .cm-content")
    page.page.keyboard.press("Home")
    page.page.keyboard.press("Tab")
    assert page.code() == "    x = 1"
    page.code("import torch\nprint('shared', torch.tensor([1, 2]).sum().item())")
    keyword = page.page.locator("#editor .cm-line span", has_text="import").first
    plain = page.page.locator("#editor .cm-content")
    color = "e => getComputedStyle(e).color"
    assert keyword.evaluate(color) != plain.evaluate(color)  # highlighted
    page.page.click("#share")
    link = page.page.input_value("#share-link")
    assert "#code=" in link
    page.code("print('kept', 1 + 1)")
    page.load(page.url)  # a reload: the text is still there
    assert page.code() == "print('kept', 1 + 1)"
    page.load(link)  # someone opening the shared link gets the shared code, and runs it
    assert page.code().startswith("import torch\nprint('shared'")
    page.page.keyboard.press("Escape")
    page.page.click("#run")
    page.page.wait_for_selector("#output:has-text('shared 3')", timeout=60_000)


def test_without_webgpu_the_page_says_what_works_and_shows_no_traceback(site, page, tmp_path):
    p = Page(site, flags=NO_WEBGPU_FLAGS, beside=page)
    try:
        line = p.page.inner_text("#adapter")
        assert "WebGPU is missing" in line and "Chrome" in line and "What works here" in line, line
        assert not p.page.is_enabled("#train") and "needs WebGPU" in p.page.inner_text("#train-status")
        p.page.click("#run")  # the first example computes: a short message says why it cannot here
        p.page.wait_for_selector("#output .error", timeout=120_000)
        assert "This browser has no WebGPU" in p.page.inner_text("#output")
        assert "Traceback" not in p.page.inner_text("body")
        with p.page.expect_download(timeout=120_000) as download:  # checkpoints still work
            p.page.click("#download")
        download.value.save_as(tmp_path / "untrained.pt")
        assert len(torch.load(tmp_path / "untrained.pt", weights_only=True)) == 8
        # a damaged file: one short line, the error's type without the module it lives in
        cut = tmp_path / "cut.safetensors"
        cut.write_bytes((200).to_bytes(8, "little") + b'{"weight": {"dtype": "F32"')
        p.page.set_input_files("#upload", str(cut))
        p.page.wait_for_selector("#checkpoint-status:has-text('could not load cut.safetensors')")
        status = p.page.inner_text("#checkpoint-status")
        assert status.startswith(
            "could not load cut.safetensors: SafetensorError: the safetensors data is not valid safetensors: "
            "the header declares 200 bytes"
        ) and "\n" not in status, status
        p.shot("no-webgpu")
        assert p.console_errors == [] and p.csp_violations == []
    finally:
        p.close()


def test_float32_functions_keep_their_accuracy_in_the_page(page):
    """The shader library's accurate functions (exact sine reduction, pow and erfc in two floats, lgamma's
    series) rest on float identities a driver must not rewrite: lavapipe folds (m + 1) - 1 to m and its fma
    is unfused. SwiftShader compiles them through Tint and its own backend: the same bounds hold there."""
    from test_float_accuracy import LOOSER, MAX_ULP
    from ulp import compare, grid, pairs

    x = grid(hi=127.9, n=400)
    x = x[np.isfinite(x)]
    a, b = (v[:400] for v in pairs())
    unary = ["sin", "cos", "tan", "exp", "log", "log1p", "tanh", "erf", "erfc", "lgamma", "digamma", "atan"]
    binary = ["pow", "atan2"]
    data = json.dumps([x.tolist(), a.tolist(), b.tolist()])
    code = (
        "import json\nimport pyfront\n"
        f"x, a, b = (pyfront.tensor(v, device='webgpu') for v in json.loads({data!r}))\n"
        f"json.dumps({{n: getattr(pyfront, n)(x).tolist() for n in {unary!r}}}"
        f" | {{n: getattr(pyfront, n)(a, b).tolist() for n in {binary!r}}})"
    )
    got = json.loads(ok(page.run(code))["result"])
    worst = {}
    for name in unary + binary:
        inputs = (x,) if name in unary else (a, b)
        want = getattr(torch, name)(*[torch.from_numpy(v) for v in inputs]).double().numpy()
        truth = getattr(torch, name)(*[torch.from_numpy(v).double() for v in inputs]).numpy()
        ulps, at, g, w, bad = compare(np.array(got[name], dtype=np.float64), want, truth, inputs)
        if bad.any() or ulps > LOOSER.get(name, MAX_ULP):
            worst[name] = (ulps, at, g, w, int(bad.sum()))
    assert not worst, worst

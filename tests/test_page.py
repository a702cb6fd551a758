"""The page's Python side, run natively (fast): the torch alias, the short errors, and digits_page's
training that stops between batches, keeps what it learned, and loads .pt and .safetensors."""

import asyncio
import io
import subprocess
import sys
import textwrap

import pytest
import torch

from browser_page import ROOT
from pyfront.examples import digits_page

sys.path.insert(0, str(ROOT / "web"))
import page  # noqa: E402  (web/page.py, which the page's worker imports)


def test_import_torch_gives_pyfront():
    # a fresh interpreter: here real torch is already imported as the oracle
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, sys.argv[1])
        import page
        page.install_torch_alias()
        import pyfront
        import torch, torch.nn as nn, torch.nn.functional as F, torch.optim, torch.utils.data
        from torch.utils.data import DataLoader
        assert torch is pyfront and nn is pyfront.nn and F is pyfront.nn.functional
        assert torch.optim is pyfront.optim and DataLoader is pyfront.utils.data.DataLoader
        try:
            import torch.no_such_module
        except ModuleNotFoundError as e:
            print(e)
    """)
    proc = subprocess.run([sys.executable, "-c", script, str(ROOT / "web")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "No module named 'torch.no_such_module'"


def _error_of(code):
    try:
        exec(compile(code, page.FILENAME, "exec"), {})
    except Exception as e:  # noqa: BLE001
        return e


def test_short_error_shows_the_visitors_frames_and_torchs_message():
    code = "import pyfront as torch\ndef f(x):\n    return x @ x\nf(torch.ones(2, 3))\n"
    import linecache

    linecache.cache[page.FILENAME] = (len(code), None, code.splitlines(True), page.FILENAME)
    error = _error_of(code)
    short = page.short_error(error)
    with pytest.raises(RuntimeError) as theirs:
        torch.ones(2, 3) @ torch.ones(2, 3)
    assert short.splitlines()[-1] == f"RuntimeError: {theirs.value}"
    assert [line for line in short.splitlines() if line.startswith("  File")] == [
        f'  File "{page.FILENAME}", line 4, in <module>',
        f'  File "{page.FILENAME}", line 3, in f',
    ]
    assert "pyfront/" not in short and "Traceback" not in short
    assert "pyfront/ops" in page.full_error(error)  # the internals stay available behind "details"


def test_short_syntax_error_is_four_lines():
    error = _error_of("x = (1,\nprint(x)\n")
    short = page.short_error(error).splitlines()
    assert short[0].startswith(f'  File "{page.FILENAME}", line 1') and short[-1].startswith("SyntaxError:")
    assert len(short) <= 4


def test_without_webgpu_a_compute_error_says_what_works():
    error = RuntimeError("computing on the cpu device needs NumPy, which is not installed here")
    assert page.NO_WEBGPU in page.short_error(error, webgpu=False)
    assert page.NO_WEBGPU not in page.short_error(error, webgpu=True)


def test_training_stops_between_batches_and_keeps_what_it_learned():
    digits_page.reset()
    before = {k: v.clone() for k, v in digits_page.model().state_dict().items()}
    reports = []
    lock = asyncio.Lock

    async def go():
        return await digits_page.train(epochs=3, report=reports.append, lock=lock(),
                                       should_stop=lambda: len(reports) >= 3)

    outcome = asyncio.run(go())
    assert outcome == {"epochs": 0, "stopped": True} and len(reports) == 3
    after = digits_page.model().state_dict()
    assert not torch.equal(torch.tensor(after["classifier.3.bias"].tolist()),
                           torch.tensor(before["classifier.3.bias"].tolist()))
    assert '"batch_loss"' in reports[0] and '"batch": 1' in reports[0]


@pytest.mark.parametrize("fmt", ["pt", "safetensors"])
def test_checkpoints_in_both_formats_round_trip_through_torch(fmt, tmp_path):
    digits_page.reset()
    raw = digits_page.state_dict_bytes(fmt)
    assert digits_page.is_safetensors(raw) == (fmt == "safetensors")
    if fmt == "pt":
        state = torch.load(io.BytesIO(raw), weights_only=True)
    else:
        from safetensors.torch import load

        state = load(raw)
    state["classifier.3.bias"] = torch.full((10,), 0.25)
    if fmt == "pt":
        buffer = io.BytesIO()
        torch.save(state, buffer)
        theirs = buffer.getvalue()
    else:
        from safetensors.torch import save

        theirs = save(state)
    assert digits_page.load_state_dict_bytes(theirs) == "<All keys matched successfully>"
    assert digits_page.model().classifier[3].bias.tolist() == [0.25] * 10
    assert digits_page.model().classifier[3].bias.device.type == digits_page.device().type


def test_the_missing_wgpu_hint_names_the_pinned_version():
    import tomllib

    from pyfront.backends.webgpu import driver

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert extras["gpu"] == [f"{driver.WGPU_PIN}; sys_platform != 'emscripten'"]
    script = (
        "import sys; sys.modules['wgpu'] = None\nfrom pyfront.backends import webgpu\n"
        "try:\n    webgpu.open_driver()\nexcept RuntimeError as e:\n    print(e)"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert f'pip install "{driver.WGPU_PIN}"' in proc.stdout, proc.stdout + proc.stderr


def test_a_checkpoint_the_page_cannot_use_gets_a_short_answer_that_says_why():
    digits_page.reset()
    whole = io.BytesIO()
    torch.save(torch.nn.Linear(2, 2), whole)  # a whole model, not a state_dict
    with pytest.raises(Exception) as error:
        page.load_checkpoint(whole.getvalue(), "model.pt")
    assert "\n" not in str(error.value) and "model.state_dict()" in str(error.value), str(error.value)
    cut = (200).to_bytes(8, "little") + b'{"weight": {"dtype": "F32"'  # a truncated .safetensors
    with pytest.raises(Exception, match="not valid safetensors: the header declares 200 bytes"):
        page.load_checkpoint(cut, "digits.safetensors")
    state = io.BytesIO()
    torch.save(torch.nn.Linear(2, 2).state_dict(), state)  # another model's state_dict: torch's message
    with pytest.raises(RuntimeError, match="(?s)Missing key.*Unexpected key"):
        page.load_checkpoint(state.getvalue(), "other.pt")
    assert page.load_checkpoint(digits_page.state_dict_bytes("safetensors"), "digits.safetensors") == (
        "<All keys matched successfully>"
    )

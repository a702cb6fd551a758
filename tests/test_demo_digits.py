"""The digits demo end to end on a small budget, and its parts as a browser page would use them."""
import io

import torch

import pyfront
from pyfront.datasets import load_digits
from pyfront.examples import digits


def _torch_twin():
    """The same architecture in torch.nn: the saved state_dict must fit it."""
    nn = torch.nn
    model = nn.Module()
    model.features = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                                   nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
    model.classifier = nn.Sequential(nn.Flatten(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    return model


def test_demo_trains_saves_and_reports(tmp_path, capsys):
    save, plot = tmp_path / "out" / "model.pt", tmp_path / "out" / "curves.png"
    history = digits.main(["--epochs", "3", "--device", "cpu", "--save", str(save), "--plot", str(plot)])
    out = capsys.readouterr().out
    assert len(history["test_accuracy"]) == 3
    assert history["test_accuracy"][-1] >= 0.9  # chance is 0.1; the full 12-epoch run reaches about 0.98
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert "training on cpu" in out and "held-out accuracy" in out
    assert out.count("samples/s") == 3 and "epoch 3/3" in out  # one progress line per epoch off a terminal
    state = torch.load(save)
    twin = _torch_twin()
    twin.load_state_dict(state)  # raises on any missing, unexpected or mis-shaped key
    assert set(pyfront.load(save)) == set(twin.state_dict())
    if plot.exists():
        assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert "matplotlib is not installed" in out


def test_train_reports_through_callbacks_only(capsys):
    pyfront.manual_seed(0)
    x, y = load_digits("test")
    gen = pyfront.Generator().manual_seed(0)
    loader = digits.make_loader(x[:96], y[:96], 32, shuffle=True, generator=gen)
    batches, epochs = [], []
    history = digits.train(digits.DigitsCNN(), loader, digits.make_loader(x[96:], y[96:], 128, shuffle=False),
                           epochs=2, lr=3e-3, on_batch=lambda *a: batches.append(a),
                           on_epoch=lambda *a: epochs.append(a))
    assert capsys.readouterr().out == ""  # nothing printed: usable without a terminal
    assert [b[:3] for b in batches] == [(e, b, 3) for e in (1, 2) for b in (1, 2, 3)]
    assert set(batches[0][3]) == {"loss", "accuracy", "samples_per_s", "batch_loss", "batch_accuracy"}
    assert [e[0] for e in epochs] == [1, 2]
    assert history["test_accuracy"] == [e[1]["test_accuracy"] for e in epochs]


def test_progress_bar_redraws_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    stream = Terminal()
    bar = digits.ProgressBar(epochs=10, stream=stream, width=4)
    bar.on_batch(2, 1, 2, {"loss": 1.23456, "accuracy": 0.5, "samples_per_s": 1000.0})
    bar.on_batch(2, 2, 2, {"loss": 0.5, "accuracy": 0.75, "samples_per_s": 1200.0})
    bar.on_epoch(2, {"test_accuracy": 0.8})
    assert stream.getvalue() == ("\repoch  2/10 [##..] loss 1.2346  acc 50.00%    1000 samples/s"
                                 "\repoch  2/10 [####] loss 0.5000  acc 75.00%    1200 samples/s"
                                 "  test acc 80.00%\n")


def test_pick_device_says_why():
    device, why = digits.pick_device(digits.DigitsCNN())
    assert device.type in ("cpu", "webgpu") and why
    if pyfront.accelerator.current_accelerator() is None:
        assert device.type == "cpu" and why == pyfront.webgpu.adapter_info()["reason"]

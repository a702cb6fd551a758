"""torch.utils.tensorboard's SummaryWriter against pyfront.utils.tensorboard's: the same calls write into
two directories, and every event (all but its wall time), every file name that holds no time or host,
the projector's files, what is printed and every error (type and text) must be the same."""
import contextlib
import importlib
import importlib.abc
import inspect
import io
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from tensorboard.backend.event_processing.event_file_loader import LegacyEventFileLoader
from tensorboard.compat.proto import event_pb2, summary_pb2
from torch.utils.tensorboard import SummaryWriter as TorchWriter
from webgpu_required import requires_webgpu

import pyfront
from pyfront.utils.tensorboard import SummaryWriter as PyfrontWriter

LIBS = ((torch, TorchWriter), (pyfront, PyfrontWriter))


def _events(root: pathlib.Path) -> dict:
    """{directory under root: [[event text, ...] per event file, in the order they were opened]}."""
    out = {}
    for path in sorted(root.rglob("events.out.tfevents.*"), key=lambda p: p.name.split(".")[3:]):
        texts = []
        for event in LegacyEventFileLoader(str(path)).Load():
            event.ClearField("wall_time")
            texts.append(str(event))
        out.setdefault(path.parent.relative_to(root).as_posix(), []).append(texts)
    return out


def _other_files(root: pathlib.Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith("events.out.tfevents.")}


def _both(tmp_path, calls, **writer_args):
    """Run ``calls(lib, writer)`` with each library's writer in its own directory; compare what each
    wrote and printed, and return pyfront's directory."""
    seen = []
    for lib, Writer in LIBS:
        root = tmp_path / lib.__name__
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), Writer(str(root), **writer_args) as w:
            calls(lib, w)
        seen.append((_events(root), _other_files(root), printed.getvalue()))
    (t_events, t_files, t_out), (p_events, p_files, p_out) = seen
    assert t_events and any(len(events) > 1 for files in t_events.values() for events in files) or t_files
    assert p_events.keys() == t_events.keys()
    for where in t_events:
        assert p_events[where] == t_events[where], where
    assert p_files == t_files and p_out == t_out
    return tmp_path / "pyfront"


def _same_error(call):
    """``call(lib, writer)`` raises the same type and text with both writers."""
    errors = []
    for lib, Writer in LIBS:
        with pytest.raises(Exception) as info:  # noqa: B017 (any type: compared below)
            w = Writer(log_dir=None, comment="")  # (a directory under runs/ of the test's cwd)
            try:
                call(lib, w)
            finally:
                w.close()
        errors.append((type(info.value), str(info.value)))
    assert errors[1] == errors[0]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default log dir (runs/...) lands in the test's directory


def test_scalars_of_every_input_kind(tmp_path):
    data = np.array([[0.25, -1.5]], np.float32)

    def calls(lib, w):
        w.add_scalar("py/float", 0.1, 0)
        w.add_scalar("py/int", 7, 1, walltime=12.5)
        w.add_scalar("np/scalar", np.float64(2.5), 2)
        w.add_scalar("np/array", data[:, :1], 3)
        w.add_scalar("t/0d", lib.tensor(1.0 / 3), 4)
        w.add_scalar("t/1x1", lib.tensor(data)[:, 1:], 5)
        w.add_scalar("t/bf16", lib.tensor(1.0 / 3, dtype=lib.bfloat16), 6)
        w.add_scalar("t/int64", lib.tensor([5]), 7)
        w.add_scalar("new", lib.tensor(0.1), 8, new_style=True)
        w.add_scalar("new/double", lib.tensor(0.1, dtype=lib.float64), 9, new_style=True,
                     double_precision=True)
        w.add_scalars("run/loss", {"train": 0.5, "val": lib.tensor(0.75)}, 10)
        w.add_scalars("run/loss", {"train": 0.25, "test": 1.0}, 11)
        w.flush()

    out = _both(tmp_path, calls, filename_suffix=".v1")
    files = sorted(p.relative_to(out).parent.as_posix() for p in out.rglob("events.out.tfevents.*"))
    assert files == [".", "run_loss_test", "run_loss_train", "run_loss_val"]
    assert all(p.name.endswith(".v1") for p in out.rglob("events.out.tfevents.*"))


def test_tensors_of_every_dtype(tmp_path):
    dtypes = ("float16", "bfloat16", "float32", "float64", "int8", "uint8", "int16", "int32", "int64", "bool",
              "complex64", "complex128")

    def calls(lib, w):
        for i, name in enumerate(dtypes):
            base = lib.tensor([[1.0 / 3, -2.5, 0.0], [1.5, 100.25, 7.0]])
            if name.startswith("complex"):
                base = lib.complex(base, -base)
            w.add_tensor(f"t/{name}", base.to(getattr(lib, name)), i)
        w.add_tensor("scalar", lib.tensor(2.0))

    _both(tmp_path, calls)


def test_histograms(tmp_path):
    values = np.random.RandomState(0).randn(200).astype(np.float32)

    def calls(lib, w):
        w.add_histogram("tf", lib.tensor(values), 0)
        w.add_histogram("tf/ints", lib.tensor([1, 1, 2, 5, 9]), 1)
        w.add_histogram("auto", values, 2, bins="auto")
        w.add_histogram("fd", lib.tensor(values), 3, bins="fd")
        w.add_histogram("count", lib.tensor(values), 4, bins=10)
        w.add_histogram("count/max_bins", lib.tensor(values), 5, bins=10, max_bins=3)
        w.add_histogram("tf/max_bins", lib.tensor(values), 6, max_bins=40)
        w.add_histogram("edges", lib.tensor(values).double(), 7, bins=[-1.0, 0.0, 0.5, 4.0])
        w.add_histogram("one", lib.tensor(2.0), 8)
        w.add_histogram("nan/inf", lib.tensor([1.0, float("nan"), float("inf"), -3.0]), 8.7)  # (step: int)
        w.add_histogram("huge", lib.tensor([1e30, 5.0]), lib.tensor(9))
        w.add_histogram_raw("raw", min=-1.0, max=3.0, num=4, sum=2.0, sum_squares=11.0,
                            bucket_limits=[0.0, 1.0, 3.0], bucket_counts=[1, 2, 1], global_step=9)
        w.add_histogram_raw("raw/tensors", 0, 1, 2, 1, 1, lib.tensor([1.0, 2.0]), lib.tensor([1, 1]))

    _both(tmp_path, calls)


def test_images_in_every_layout(tmp_path):
    rs = np.random.RandomState(1)
    chw = rs.rand(3, 4, 5).astype(np.float32) * 1.2 - 0.1  # out-of-range values are clipped
    gray = rs.rand(1, 4, 5).astype(np.float32)
    rgba = (rs.rand(4, 5, 4) * 255).astype(np.uint8)
    batch = rs.rand(3, 3, 4, 5).astype(np.float32)

    def calls(lib, w):
        w.add_image("chw", lib.tensor(chw), 0)
        w.add_image("chw/lower", lib.tensor(chw), 1, dataformats="chw")
        w.add_image("gray", lib.tensor(gray), 2)
        w.add_image("hwc/uint8", lib.tensor(rgba), 3, dataformats="HWC")
        w.add_image("hwc/gray+alpha", lib.tensor(rgba[:, :, 2:]), 3, dataformats="HWC")
        w.add_image("hw", lib.tensor(gray[0]).double(), 4, dataformats="HW")
        w.add_image("wh", gray[0], 5, dataformats="WH")
        w.add_image("hwc/bf16", lib.tensor(chw).permute(1, 2, 0).to(lib.bfloat16), 6, dataformats="HWC")
        w.add_images("nchw", lib.tensor(batch), 7)
        w.add_images("nhwc/gray", lib.tensor(batch[:, :1]).permute(0, 2, 3, 1), 8, dataformats="NHWC")
        w.add_images("nchw/ten", np.concatenate([batch] * 4)[:10], 9)
        w.add_image("batch/as/image", lib.tensor(batch), 10, dataformats="NCHW")
        boxes = lib.tensor([[1.0, 1.0, 30.0, 20.0], [5.0, 8.0, 12.0, 38.0]])
        big = np.kron(chw, np.ones((1, 10, 10), np.float32))
        w.add_image_with_boxes("boxes", lib.tensor(big), boxes, 11, labels=["cat", "dog"])
        w.add_image_with_boxes("boxes/one", lib.tensor(big).permute(1, 2, 0), boxes[:1], 12, rescale=0.5,
                               dataformats="HWC", labels="cat")
        w.add_image_with_boxes("boxes/unlabelled", np.uint8(big * 200), boxes.numpy(), 13, labels=["a"])

    _both(tmp_path, calls)


def test_text_audio_curves_layouts_meshes_video(tmp_path):
    rs = np.random.RandomState(2)
    labels = rs.randint(0, 2, 50)
    scores = rs.rand(50).astype(np.float32)
    wave = np.sin(np.linspace(0, 20, 400)).astype(np.float32)
    vertices = rs.rand(1, 5, 3).astype(np.float32)
    faces = np.array([[[0, 1, 2], [2, 3, 4]]], np.int32)

    def calls(lib, w):
        w.add_text("note", "**bold** ünïcode", 0)
        w.add_audio("wave", lib.tensor(wave), 1, sample_rate=8000)
        w.add_audio("loud", lib.tensor(wave * 3)[None], 2)  # clipped, with a printed warning
        w.add_pr_curve("pr", lib.tensor(labels), lib.tensor(scores), 3)
        w.add_pr_curve("pr/few", labels, scores, 4, num_thresholds=7, weights=0.5)
        w.add_pr_curve("pr/many", lib.tensor(labels).bool(), lib.tensor(scores).double(), 5,
                       num_thresholds=300)
        rows = [lib.tensor([3.0, 2.0, 0.0]), [1.0, 0.0, 0.0], [0.0, 1.0, 1.0], [0.0, 1.0, 3.0],
                [0.75, 1.0, 0.0], np.array([1.0, 0.67, 0.0])]
        w.add_pr_curve_raw("pr/raw", *rows, global_step=6, num_thresholds=3)
        w.add_custom_scalars({"losses": {"both": ["Multiline", ["loss/train", "loss/val"]],
                                         "band": ["Margin", ["m", "m/lo", "m/hi"]]},
                              "other": {"one": ["Multiline", ["x"]]}})
        w.add_custom_scalars_multilinechart(["a", "b"], category="cat", title="lines")
        w.add_custom_scalars_marginchart(["a", "lo", "hi"])
        w.add_mesh("cloud", lib.tensor(vertices), global_step=7)
        w.add_mesh("mesh", lib.tensor(vertices), colors=lib.tensor(vertices * 255).to(lib.uint8),
                   faces=lib.tensor(faces), config_dict={"camera": {"fov": 75}, "a": 1}, global_step=8)
        w.add_video("clip", lib.tensor(rs.rand(3, 2, 3, 4, 4).astype(np.float32)), 9)
        w.add_video("clip/uint8", lib.zeros(5, 2, 3, 4, 4, dtype=lib.uint8), 10)

    _both(tmp_path, calls)


def test_hparams_plugin_summaries(tmp_path):
    def calls(lib, w):
        w.add_hparams({"lr": 0.1, "layers": 3, "flag": True, "opt": "adam", "skip": None,
                       "wd": lib.tensor([0.25])},
                      {"hp/acc": 0.9, "hp/loss": lib.tensor(0.5)}, run_name="run1")
        w.add_hparams({"lr": 0.01, "opt": "sgd", "on": False}, {"hp/acc": 0.8},
                      hparam_domain_discrete={"opt": ["adam", "sgd"], "lr": [0.1, 0.01], "on": [True, False]},
                      run_name="run2", global_step=3)

    _both(tmp_path, calls)
    w = PyfrontWriter("default_run")
    w.add_hparams({"lr": 0.1}, {"m": 1.0})
    w.close()
    (run,) = [p for p in pathlib.Path("default_run").iterdir() if p.is_dir()]
    assert float(run.name) > 1e9  # named by the current time, as torch's


def test_embedding_projector_files(tmp_path):
    rs = np.random.RandomState(3)
    mat = rs.randn(5, 3).astype(np.float32)
    images = rs.rand(5, 3, 4, 4).astype(np.float32)

    def calls(lib, w):
        w.add_embedding(lib.tensor(mat), metadata=["a", "b", "c", "d", 5])
        w.add_embedding(lib.tensor(mat).double(), metadata=[[1, "x"], [2, "y"], [3, "z"], [4, "u"], [5, "v"]],
                        metadata_header=["id", "name"], label_img=lib.tensor(images), global_step=12,
                        tag="feat/out%")
        w.add_embedding(mat, label_img=lib.tensor(images[:, :1]), global_step=12, tag="gray")
        w.add_embedding(lib.tensor(mat), global_step=12, tag="gray")  # (the directory exists: a warning)
        w.add_embedding(lib.tensor(mat[:, :2]), global_step=3)

    out = _both(tmp_path, calls)
    assert (out / "00012" / "feat%2fout%25" / "sprite.png").is_file()


def test_purge_step_close_reopen_and_default_dir(tmp_path):
    def calls(lib, w):
        w.add_scalar("x", 1.0, 5)
        w.close()
        w.close()  # (twice is harmless)
        w.add_scalar("x", 2.0, 6)  # a new event file, without the purge events again
        w.flush()

    _both(tmp_path, calls, purge_step=4)
    dirs = []
    for _, Writer in LIBS:
        w = Writer(comment="_exp")
        dirs.append(w.get_logdir())
        w.close()
    pattern = r"runs/[A-Z][a-z]{2}\d\d_\d\d-\d\d-\d\d_.+_exp"
    assert all(pathlib.Path(d).is_dir() for d in dirs)
    assert re.fullmatch(pattern, dirs[1]) and dirs[1].split("_", 2)[2] == dirs[0].split("_", 2)[2]
    with PyfrontWriter("given") as w:
        assert w.get_logdir() == "given"


BAD_CALLS = {
    "scalar of two elements": lambda lib, w: w.add_scalar("x", lib.tensor([1.0, 2.0])),
    "scalar of a list": lambda lib, w: w.add_scalar("x", [1.0]),
    "image format twice": lambda lib, w: w.add_image("x", lib.zeros(3, 4, 4), dataformats="CCW"),
    "image format rank": lambda lib, w: w.add_image("x", lib.zeros(3, 4, 4), dataformats="NCHW"),
    "images of two channels": lambda lib, w: w.add_images("x", lib.zeros(2, 2, 4, 4)),
    "histogram of nothing": lambda lib, w: w.add_histogram("x", lib.zeros(0)),
    "histogram raw lengths": lambda lib, w: w.add_histogram_raw("x", 0, 1, 2, 1, 1, [1.0, 2.0], [2]),
    "audio of two channels": lambda lib, w: w.add_audio("x", lib.zeros(2, 10)),
    "margin of two tags": lambda lib, w: w.add_custom_scalars_marginchart(["a", "b"]),
    "layout margin of two": lambda lib, w: w.add_custom_scalars({"c": {"t": ["Margin", ["a", "b"]]}}),
    "hparams not a dict": lambda lib, w: w.add_hparams([("lr", 0.1)], {}),
    "hparams value a list": lambda lib, w: w.add_hparams({"lr": [0.1]}, {}, run_name="r"),
    "hparams numpy int": lambda lib, w: w.add_hparams({"n": np.int64(3)}, {}, run_name="r"),
    "hparams 0-d tensor": lambda lib, w: w.add_hparams({"lr": lib.tensor(0.1)}, {}, run_name="r"),
    "hparams domain type": lambda lib, w: w.add_hparams({"lr": 0.1}, {}, {"lr": [1, 2]}, run_name="r"),
    "hparams domain key": lambda lib, w: w.add_hparams({"lr": 0.1}, {}, {"mom": [0.9]}, run_name="r"),
    "hparams domain dict": lambda lib, w: w.add_hparams({"lr": 0.1}, {}, [0.1], run_name="r"),
    "embedding of 3-d": lambda lib, w: w.add_embedding(lib.zeros(2, 2, 2)),
    "embedding labels": lambda lib, w: w.add_embedding(lib.zeros(2, 2), metadata=["a"]),
    "embedding header": lambda lib, w: w.add_embedding(lib.zeros(2, 2), metadata=[[1, 2], [3, 4]],
                                                       metadata_header=["a"]),
    "embedding images": lambda lib, w: w.add_embedding(lib.zeros(2, 2), label_img=lib.zeros(3, 3, 2, 2)),
    "mesh of 2-d": lambda lib, w: w.add_mesh("m", lib.zeros(4, 3)),
    "video of 4-d": lambda lib, w: w.add_video("v", lib.zeros(2, 3, 4, 4)),
    "figure without matplotlib": lambda lib, w: w.add_figure("f", object()),
    "scalar of a word": lambda lib, w: w.add_scalar("x", "abc"),
    "scalars of a list": lambda lib, w: w.add_scalars("x", [1.0]),
    "tensor of an array": lambda lib, w: w.add_tensor("x", np.zeros(2)),
    "histogram of nan, auto": lambda lib, w: w.add_histogram("x", lib.tensor([float("nan")]), bins="auto"),
    "image format of rank 5": lambda lib, w: w.add_image("x", lib.zeros(1, 1, 3, 4, 4), dataformats="NTCHW"),
    "layout without tags": lambda lib, w: w.add_custom_scalars({"c": {"t": ["Multiline"]}}),
    "boxes of three numbers": lambda lib, w: w.add_image_with_boxes("x", lib.zeros(3, 8, 8),
                                                                    lib.tensor([[1.0, 1.0, 3.0]])),
    "pr lengths": lambda lib, w: w.add_pr_curve("x", lib.tensor([1, 0]), lib.tensor([0.5])),
    "tall sprite": lambda lib, w: w.add_embedding(lib.zeros(2, 2), label_img=lib.ones(2, 3, 8, 2)),
}


def test_file_writer_and_record_writer(tmp_path):
    import torch.utils.tensorboard as theirs

    import pyfront.utils.tensorboard as ours

    assert ours.RecordWriter is theirs.RecordWriter  # (tensorboard's own, re-exported)
    seen = []
    for lib in (theirs, ours):
        w = lib.FileWriter(tmp_path / lib.__name__, filename_suffix="_fw")
        assert w.get_logdir() == str(tmp_path / lib.__name__)
        Summary, SessionLog = summary_pb2.Summary, event_pb2.SessionLog
        w.add_summary(Summary(value=[Summary.Value(tag="a", simple_value=1.5)]), global_step=3.9, walltime=2)
        w.add_event(event_pb2.Event(session_log=SessionLog(status=SessionLog.STOP)), step=4)
        w.flush()
        w.add_summary(Summary(value=[Summary.Value(tag="b", simple_value=2.5)]))
        w.close()
        with pytest.raises(AttributeError) as error:  # (tensorboard 2.x's EventFileWriter has no reopen)
            w.reopen()
        seen.append((_events(tmp_path / lib.__name__), str(error.value)))
    assert seen[1] == seen[0] and len(seen[0][0]["."][0]) == 4


@pytest.mark.parametrize("case", list(BAD_CALLS))
def test_bad_input_errors_match_torch(case):
    _same_error(BAD_CALLS[case])


def test_add_graph_says_it_needs_torchscript():
    with PyfrontWriter("g") as w, pytest.raises(RuntimeError, match="TorchScript's tracer"):
        w.add_graph(pyfront.nn.Linear(2, 2), pyfront.zeros(1, 2))


@requires_webgpu
def test_webgpu_tensors_are_read_back(tmp_path):
    rs = np.random.RandomState(4)
    img = rs.rand(3, 4, 4).astype(np.float32)

    def calls(lib, w):
        dev = "webgpu" if lib is pyfront else "cpu"
        w.add_scalar("s", lib.tensor(0.1, device=dev), 0)
        w.add_histogram("h", lib.tensor(img, device=dev), 1)
        w.add_image("i", lib.tensor(img, device=dev), 2)
        w.add_tensor("t", lib.tensor(img, device=dev), 3)
        w.add_embedding(lib.tensor(img[0], device=dev), metadata=[1, 2, 3, 4])

    _both(tmp_path, calls)


class _NoTensorboard(importlib.abc.MetaPathFinder):
    """An import finder under which the tensorboard package is not installed."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "tensorboard":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def test_import_without_tensorboard_fails_as_torch(monkeypatch):
    # every module of tensorboard and of both packages over it forgotten for the while, and the package
    # made missing (the training-script test below sees that ``import torch`` imports no tensorboard)
    monkeypatch.setattr(sys, "meta_path", [_NoTensorboard(), *sys.meta_path])
    for name in [n for n in sys.modules if n.split(".")[0] == "tensorboard"
                 or n.startswith(("torch.utils.tensorboard", "pyfront.utils.tensorboard"))]:
        monkeypatch.delitem(sys.modules, name)
    errors = []
    for lib in ("torch", "pyfront"):
        with pytest.raises(ImportError) as error:
            importlib.import_module(lib + ".utils.tensorboard")
        errors.append((type(error.value), str(error.value)))
    assert errors[1] == errors[0] == (ModuleNotFoundError, "No module named 'tensorboard'")

def test_every_torch_method_and_summary_is_there():
    from torch.utils.tensorboard import summary as torch_summary

    from pyfront.utils.tensorboard import summary

    # add_onnx_graph needs the onnx package (not installed here, nothing to check it against)
    theirs = {n for n in dir(TorchWriter) if not n.startswith("_")} - {"add_onnx_graph"}
    assert theirs <= set(dir(PyfrontWriter)), sorted(theirs - set(dir(PyfrontWriter)))
    for name in theirs:
        if callable(getattr(TorchWriter, name)):
            expected = list(inspect.signature(getattr(TorchWriter, name)).parameters)
            assert list(inspect.signature(getattr(PyfrontWriter, name)).parameters) == expected, name
    assert sorted(summary.__all__) == sorted(torch_summary.__all__)
    for name in summary.__all__:
        expected = list(inspect.signature(getattr(torch_summary, name)).parameters)
        assert list(inspect.signature(getattr(summary, name)).parameters) == expected, name


TRAINING_SCRIPT = '''
import sys
import torch
print("tensorboard" in sys.modules)  # (torch imports it only for its SummaryWriter)
import torch.utils.tensorboard as tb

model = torch.nn.Linear(3, 1)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.5, -0.25, 0.125]]))
    model.bias.fill_(0.0)
sgd = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
y = torch.tensor([[1.0], [-1.0]])
with tb.SummaryWriter(sys.argv[1]) as writer:
    for step in range(3):
        loss = torch.nn.functional.mse_loss(model(x), y)
        sgd.zero_grad()
        loss.backward()
        sgd.step()
        writer.add_scalar("loss", loss, step)
        writer.add_histogram("weight", model.weight, step)
    writer.add_hparams({"lr": 0.1}, {"final": loss.item()}, run_name="hp")
'''


def _numbers(events: dict) -> dict:
    """{(directory, tag, step): value} of the simple values and histogram sums in ``events``."""
    from google.protobuf import text_format

    out = {}
    for where, files in events.items():
        for text in (t for f in files for t in f):
            event = text_format.Parse(text, event_pb2.Event())
            for v in event.summary.value:
                kind = v.WhichOneof("value")
                if kind in ("simple_value", "histo"):
                    out[where, v.tag, event.step] = v.simple_value if kind == "simple_value" else v.histo.sum
    return out


def test_a_training_script_logs_through_pyfronts_runner(tmp_path):
    """``python -m pyfront run`` (``import torch`` is pyfront) runs a script that logs with torch's
    SummaryWriter; its numbers match the same script run with torch."""
    script = tmp_path / "train.py"
    script.write_text(TRAINING_SCRIPT)
    repo = pathlib.Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-m", "pyfront", "run", str(script), str(tmp_path / "mine")],
                          capture_output=True, text=True, cwd=repo, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "False\n"
    argv = sys.argv
    try:
        sys.argv = [str(script), str(tmp_path / "theirs")]
        exec(compile(TRAINING_SCRIPT, str(script), "exec"), {"__name__": "__main__"})
    finally:
        sys.argv = argv
    mine, theirs = _numbers(_events(tmp_path / "mine")), _numbers(_events(tmp_path / "theirs"))
    assert mine.keys() == theirs.keys() and len(mine) == 7
    assert mine == pytest.approx(theirs, rel=1e-6)

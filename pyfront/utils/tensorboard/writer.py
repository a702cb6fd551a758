"""``SummaryWriter``: torch's TensorBoard logger, writing event files through tensorboard's own writer."""
from __future__ import annotations

import functools
import os
import time

from tensorboard.compat.proto.event_pb2 import Event, SessionLog, TaggedRunMetadata
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.summary.writer import event_file_writer

from . import _projector
from ._host import figure_to_image, to_numpy
from .summary import (
    audio,
    custom_scalars,
    histogram,
    histogram_raw,
    hparams,
    image,
    image_boxes,
    mesh,
    pr_curve,
    pr_curve_raw,
    scalar,
    tensor_proto,
    text,
    video,
)

__all__ = ["SummaryWriter", "FileWriter"]


@functools.cache
def _default_bins() -> tuple:
    # TensorFlow's histogram buckets: edges growing by 10% from 1e-12 to 1e20, mirrored below zero
    edges, v = [], 1e-12
    while v < 1e20:
        edges.append(v)
        v *= 1.1
    return tuple([-e for e in reversed(edges)] + [0] + edges)


class FileWriter:
    """Writes Event protos to one event file in ``log_dir`` (created if missing), queued and flushed
    every ``flush_secs`` or ``max_queue`` events."""

    def __init__(self, log_dir: str, max_queue: int = 10, flush_secs: float = 120, filename_suffix: str = ""):
        self.event_writer = event_file_writer.EventFileWriter(str(log_dir), max_queue, flush_secs,
                                                              filename_suffix)

    def get_logdir(self) -> str:
        """The directory the event file is in."""
        return self.event_writer.get_logdir()

    def add_event(self, event: Event, step=None, walltime=None) -> None:
        """Stamp ``event`` with the wall time (now unless given) and ``step``, and queue it."""
        event.wall_time = walltime if walltime is not None else time.time()
        if step is not None:
            event.step = int(step)
        self.event_writer.add_event(event)

    def add_summary(self, summary: Summary, global_step=None, walltime=None) -> None:
        """Queue one Summary proto as an event."""
        self.add_event(Event(summary=summary), global_step, walltime)

    def add_graph(self, graph_profile: tuple, walltime=None) -> None:
        """Queue a (GraphDef, RunMetadata) pair: the graph, then its run metadata tagged 'step1'."""
        graph, run_metadata = graph_profile
        self.add_event(Event(graph_def=graph.SerializeToString()), None, walltime)
        tagged = TaggedRunMetadata(tag="step1", run_metadata=run_metadata.SerializeToString())
        self.add_event(Event(tagged_run_metadata=tagged), None, walltime)

    def add_onnx_graph(self, graph, walltime=None):
        """Queue a GraphDef made from an ONNX model."""
        self.add_event(Event(graph_def=graph.SerializeToString()), None, walltime)

    def flush(self) -> None:
        """Write the queued events to disk."""
        self.event_writer.flush()

    def close(self) -> None:
        """Flush and close the event file."""
        self.event_writer.close()

    def reopen(self) -> None:
        """Reopen the event writer after ``close``, where it can: tensorboard 2.x's EventFileWriter has no
        ``reopen``, so there this raises AttributeError, as torch's FileWriter does."""
        self.event_writer.reopen()


class SummaryWriter:
    """Logs scalars, histograms, images, text, audio, embeddings, ... for TensorBoard, as torch's.

    Args:
        log_dir: where the event files go; by default ``runs/<Mon><DD>_<HH>-<MM>-<SS>_<host><comment>``.
        comment: appended to the default ``log_dir`` (ignored when ``log_dir`` is given).
        purge_step: TensorBoard drops the events logged at or after this step by an earlier run that
            crashed (a session-log START at this step opens the file).
        max_queue: events queued before a write to disk.
        flush_secs: seconds between writes to disk.
        filename_suffix: appended to every event file's name.

    Inputs may be pyfront tensors on any device (read back to the host; bfloat16 as float16), NumPy
    arrays or Python scalars."""

    def __init__(self, log_dir=None, comment="", purge_step=None, max_queue=10, flush_secs=120,
                 filename_suffix="") -> None:
        if not log_dir:
            import socket
            from datetime import datetime

            stamp = datetime.now().strftime("%b%d_%H-%M-%S")
            log_dir = os.path.join("runs", f"{stamp}_{socket.gethostname()}{comment}")
        self.log_dir = log_dir
        self.purge_step = purge_step
        self.max_queue = max_queue
        self.flush_secs = flush_secs
        self.filename_suffix = filename_suffix
        self.file_writer, self.all_writers = None, None
        self._get_file_writer()
        self.default_bins = list(_default_bins())

    def _get_file_writer(self) -> FileWriter:
        """The main FileWriter, opened again (a new event file) after ``close``."""
        if self.file_writer is None or self.all_writers is None:
            main = FileWriter(self.log_dir, self.max_queue, self.flush_secs, self.filename_suffix)
            self.file_writer, self.all_writers = main, {main.get_logdir(): main}
            if self.purge_step is not None:
                step, self.purge_step = self.purge_step, None
                self.file_writer.add_event(Event(step=step, file_version="brain.Event:2"))
                self.file_writer.add_event(Event(step=step, session_log=SessionLog(status=SessionLog.START)))
        return self.file_writer

    def _log(self, summary, global_step=None, walltime=None) -> None:
        self._get_file_writer().add_summary(summary, global_step=global_step, walltime=walltime)

    def get_logdir(self):
        """The directory this writer logs to."""
        return self.log_dir

    def add_hparams(self, hparam_dict, metric_dict, hparam_domain_discrete=None, run_name=None,
                    global_step=None) -> None:
        """Log a run's hyperparameters and final metrics for the hparams plugin, in the sub-directory
        ``run_name`` (the current time by default), with each metric also logged there as a scalar.

        Args:
            hparam_dict: name -> value (int, float, str, bool or a tensor; None values are left out).
            metric_dict: name -> value of the metrics to show next to them.
            hparam_domain_discrete: name -> the list of every value that hyperparameter can take.
            run_name: the sub-directory of this run.
            global_step: the step of the logged events."""
        if not (type(hparam_dict) is dict and type(metric_dict) is dict):  # (exactly dicts, as torch)
            raise TypeError("hparam_dict and metric_dict "
                            "should be dictionary.")
        summaries = hparams(hparam_dict, metric_dict, hparam_domain_discrete)
        logdir = os.path.join(self._get_file_writer().get_logdir(), run_name or str(time.time()))
        with SummaryWriter(log_dir=logdir) as run:
            for summary in summaries:
                run.file_writer.add_summary(summary, global_step)
            for name, value in metric_dict.items():
                run.add_scalar(name, value, global_step)

    def add_scalar(self, tag, scalar_value, global_step=None, walltime=None, new_style=False,
                   double_precision=False) -> None:
        """Log one number (a one-element tensor or array, or a Python or NumPy scalar).

        Args:
            new_style: write it as a tensor for the scalars plugin (faster to load) instead of a
                ``simple_value``; ``double_precision`` then keeps it as a float64."""
        self._log(scalar(tag, scalar_value, new_style=new_style, double_precision=double_precision),
                  global_step, walltime)

    def add_scalars(self, main_tag: str, tag_scalar_dict: dict, global_step=None, walltime=None) -> None:
        """Log several numbers under ``main_tag``, each with its own FileWriter in the sub-directory
        ``<log_dir>/<main_tag with '/' as '_'>_<tag>``, so that TensorBoard draws them on one chart."""
        if walltime is None:  # (one time for every sub-writer's event)
            walltime = time.time()
        root = self._get_file_writer().get_logdir()
        for tag, value in tag_scalar_dict.items():
            where = f"{root}/{main_tag.replace('/', '_')}_{tag}"
            if where not in self.all_writers:
                self.all_writers[where] = FileWriter(where, self.max_queue, self.flush_secs,
                                                     self.filename_suffix)
            self.all_writers[where].add_summary(scalar(main_tag, value), global_step, walltime)

    def add_tensor(self, tag, tensor, global_step=None, walltime=None) -> None:
        """Log a whole tensor, every element, for the tensor plugin."""
        self._log(tensor_proto(tag, tensor), global_step, walltime)

    def add_histogram(self, tag, values, global_step=None, bins="tensorflow", walltime=None,
                      max_bins=None) -> None:
        """Log a histogram of ``values``.

        Args:
            bins: 'tensorflow' (TensorFlow's log-spaced buckets), or anything NumPy's ``histogram`` takes
                (a count, edges, a rule such as 'auto' or 'fd').
            max_bins: merge neighbouring buckets until at most about this many remain."""
        tensorflow_bins = isinstance(bins, str) and bins == "tensorflow"
        if tensorflow_bins:
            bins = self.default_bins
        self._log(histogram(tag, values, bins, max_bins=max_bins), global_step, walltime)

    def add_histogram_raw(self, tag, min, max, num, sum, sum_squares, bucket_limits, bucket_counts,
                          global_step=None, walltime=None) -> None:
        """Log a histogram computed elsewhere: its statistics and each bucket's right edge and count."""
        if len(bucket_counts) != len(bucket_limits):
            raise ValueError("len(bucket_limits) != len(bucket_counts), see the document.")
        self._log(histogram_raw(tag, min, max, num, sum, sum_squares, bucket_limits, bucket_counts),
                  global_step, walltime)

    def add_image(self, tag, img_tensor, global_step=None, walltime=None, dataformats="CHW") -> None:
        """Log an image as PNG: uint8 values as they are, any other dtype taken as [0, 1] (and clipped).

        Args:
            dataformats: the layout of ``img_tensor``: CHW, HWC, HW, or NCHW/NHWC for a tiled batch."""
        self._log(image(tag, img_tensor, dataformats=dataformats), global_step, walltime)

    def add_images(self, tag, img_tensor, global_step=None, walltime=None, dataformats="NCHW") -> None:
        """Log a batch of images, tiled eight to a row into one image."""
        self._log(image(tag, img_tensor, dataformats=dataformats), global_step, walltime)

    def add_image_with_boxes(self, tag, img_tensor, box_tensor, global_step=None, walltime=None, rescale=1,
                             dataformats="CHW", labels=None) -> None:
        """Log an image with boxes drawn on it.

        Args:
            box_tensor: (N, 4) boxes, each (xmin, ymin, xmax, ymax) in pixels.
            rescale: scale the image by this factor (Lanczos) before it is encoded.
            labels: one string per box, written on it (a single string for one box; a list of another
                length is ignored)."""
        if isinstance(labels, str):
            labels = [labels]
        if labels is not None and len(labels) != box_tensor.shape[0]:
            labels = None
        self._log(image_boxes(tag, img_tensor, box_tensor, rescale=rescale, dataformats=dataformats,
                              labels=labels), global_step, walltime)

    def add_figure(self, tag, figure, global_step=None, close=True, walltime=None) -> None:
        """Log a matplotlib figure (or a list of them, tiled) as an image; needs matplotlib."""
        layout = "NCHW" if isinstance(figure, list) else "CHW"
        self.add_image(tag, figure_to_image(figure, close), global_step, walltime, dataformats=layout)

    def add_video(self, tag: str, vid_tensor, global_step=None, fps=4, walltime=None) -> None:
        """Log a (N, T, C, H, W) video as a GIF; needs moviepy (without it the event holds no image and
        a line on stdout says so, as torch's)."""
        self._log(video(tag, vid_tensor, fps), global_step, walltime)

    def add_audio(self, tag, snd_tensor, global_step=None, sample_rate=44100, walltime=None) -> None:
        """Log a mono sound clip (values in [-1, 1]) as WAV."""
        self._log(audio(tag, snd_tensor, sample_rate=sample_rate), global_step, walltime)

    def add_text(self, tag: str, text_string: str, global_step=None, walltime=None) -> None:
        """Log a string (Markdown) for the text plugin."""
        self._log(text(tag, text_string), global_step, walltime)

    def add_graph(self, model, input_to_model=None, verbose=False, use_strict_trace=True) -> None:
        """Not available: torch draws the graph from a TorchScript trace of ``model``
        (``torch.jit.trace``), and pyfront has no TorchScript tracer. Raises RuntimeError."""
        raise RuntimeError("SummaryWriter.add_graph needs TorchScript's tracer (torch.jit.trace), which "
                           "pyfront does not have: the model's graph cannot be logged")

    @staticmethod
    def _encode(raw: str) -> str:
        # a tag names a directory: escape '%' first, then the path separators, as %xx
        return raw.replace("%", "%25").replace("/", "%2f").replace("\\", "%5c")

    def add_embedding(self, mat, metadata=None, label_img=None, global_step=None, tag="default",
                      metadata_header=None) -> None:
        """Write an embedding for the projector: ``<log_dir>/<step:05>/<tag>/`` gets tensors.tsv (and
        metadata.tsv, sprite.png) and ``<log_dir>/projector_config.pbtxt`` lists every embedding logged.

        Args:
            mat: (N, D) points.
            metadata: N labels (or N rows of columns named by ``metadata_header``).
            label_img: (N, C, H, W) images in [0, 1], one per point."""
        mat = to_numpy(mat)
        step = 0 if global_step is None else global_step
        subdir = f"{str(step).zfill(5)}/{self._encode(tag)}"
        logdir = self._get_file_writer().get_logdir()
        save_path = os.path.join(logdir, subdir)
        if not os.path.exists(save_path):
            os.makedirs(save_path)
        elif os.path.isdir(save_path):
            print("warning: Embedding dir exists, did you set global_step for add_embedding()?")
        else:
            raise NotADirectoryError(f"Path: `{save_path}` exists, but is a file. Cannot proceed.")
        if metadata is not None:
            if mat.shape[0] != len(metadata):
                raise AssertionError("#labels should equal "
                                     "with #data points")
            _projector.write_metadata(metadata, save_path, header=metadata_header)
        images = None if label_img is None else to_numpy(label_img)
        if images is not None:
            if mat.shape[0] != images.shape[0]:
                raise AssertionError("#images should equal "
                                     "with #data points")
            _projector.write_sprite(images, save_path)
        if mat.ndim != 2:
            raise AssertionError("mat should be 2D, where mat.size(0) "
                                 "is the number of data points")
        _projector.write_matrix(mat, save_path)
        if getattr(self, "_projector_config", None) is None:  # (every embedding this writer logged)
            from tensorboard.plugins.projector import projector_config_pb2

            self._projector_config = projector_config_pb2.ProjectorConfig()
        self._projector_config.embeddings.append(
            _projector.embedding_info(metadata is not None, images, subdir, step, tag))
        from google.protobuf import text_format

        config = text_format.MessageToString(self._projector_config)
        with open(os.path.join(logdir, "projector_config.pbtxt"), "wb") as f:
            f.write(config.encode())

    def add_pr_curve(self, tag, labels, predictions, global_step=None, num_thresholds=127, weights=None,
                     walltime=None) -> None:
        """Log a precision-recall curve of ``predictions`` (in [0, 1]) against 0/1 ``labels``."""
        curve = pr_curve(tag, to_numpy(labels), to_numpy(predictions), num_thresholds, weights)
        self._log(curve, global_step, walltime)

    def add_pr_curve_raw(self, tag, true_positive_counts, false_positive_counts, true_negative_counts,
                         false_negative_counts, precision, recall, global_step=None, num_thresholds=127,
                         weights=None, walltime=None) -> None:
        """Log a precision-recall curve from its precomputed counts, precision and recall per threshold."""
        curve = pr_curve_raw(tag, true_positive_counts, false_positive_counts, true_negative_counts,
                             false_negative_counts, precision, recall, num_thresholds, weights)
        self._log(curve, global_step, walltime)

    def add_custom_scalars_multilinechart(self, tags, category="default", title="untitled") -> None:
        """Lay out one chart that draws the scalars ``tags`` together."""
        self._log(custom_scalars({category: {title: ["Multiline", tags]}}))

    def add_custom_scalars_marginchart(self, tags, category="default", title="untitled") -> None:
        """Lay out one chart of a value and its lower and upper margins (``tags``: three scalar tags)."""
        if len(tags) != 3:
            raise AssertionError("Expected 3 tags, "
                                 f"got {len(tags)}.")
        self._log(custom_scalars({category: {title: ["Margin", tags]}}))

    def add_custom_scalars(self, layout: dict) -> None:
        """Lay out the custom-scalars dashboard: {category: {title: ['Multiline' or 'Margin', tags]}}."""
        self._log(custom_scalars(layout))

    def add_mesh(self, tag, vertices, colors=None, faces=None, config_dict=None, global_step=None,
                 walltime=None) -> None:
        """Log a mesh or point cloud: (B, N, 3) vertices, and optionally colors and triangle faces."""
        self._log(mesh(tag, vertices, colors, faces, config_dict), global_step, walltime)

    def flush(self) -> None:
        """Write every queued event to disk."""
        for w in (self.all_writers or {}).values():
            w.flush()

    def close(self) -> None:
        """Flush and close every event file (a later call opens a new one); closing twice is harmless."""
        if self.all_writers is None:
            return
        for w in self.all_writers.values():
            w.flush()
            w.close()
        self.file_writer, self.all_writers = None, None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

"""Summary protos, one builder per kind of data TensorBoard shows (scalars, histograms, images, ...)."""
from __future__ import annotations

import io
import json
import struct

import numpy as np
from tensorboard.compat.proto import summary_pb2, tensor_pb2, tensor_shape_pb2

from ...ops.creation import as_tensor
from ...tensor import Tensor
from ._host import to_hwc, to_numpy, video_frames

HistogramProto, Summary, SummaryMetadata = (summary_pb2.HistogramProto, summary_pb2.Summary,
                                           summary_pb2.SummaryMetadata)
TensorProto, TensorShapeProto = tensor_pb2.TensorProto, tensor_shape_pb2.TensorShapeProto

__all__ = ["audio", "compute_curve", "custom_scalars", "draw_boxes", "half_to_int", "histogram",
           "histogram_raw", "hparams", "image", "image_boxes", "int_to_half", "make_histogram", "make_image",
           "make_video", "mesh", "pr_curve", "pr_curve_raw", "scalar", "tensor_proto", "text", "video"]


def _plugin(name: str, content: bytes = b"") -> SummaryMetadata:
    return SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name=name, content=content))


def _shape(*sizes) -> TensorShapeProto:
    return TensorShapeProto(dim=[TensorShapeProto.Dim(size=s) for s in sizes])


def scalar(name: str, tensor, collections=None, new_style: bool = False,
           double_precision: bool = False) -> Summary:
    """One scalar: a ``simple_value``, or (``new_style``) a float or double tensor for the scalars plugin.
    (``collections`` is TensorFlow's, accepted and unused, as in torch.)"""
    array = to_numpy(tensor).squeeze()
    if array.ndim != 0:
        raise AssertionError("Tensor should contain one element (0 dimensions)." + " " * 13
                             + f"Was given size: {array.size} and {array.ndim} dimensions.")
    number = float(array)
    if not new_style:
        return Summary(value=[Summary.Value(tag=name, simple_value=number)])
    proto = (TensorProto(double_val=[number], dtype="DT_DOUBLE") if double_precision
             else TensorProto(float_val=[number], dtype="DT_FLOAT"))
    return Summary(value=[Summary.Value(tag=name, tensor=proto, metadata=_plugin("scalars"))])


def half_to_int(f: float) -> int:
    """The int32 whose bits are ``f`` as a float32: how torch stores a half or bfloat16 in ``half_val``."""
    return struct.unpack("i", struct.pack("f", f))[0]


def int_to_half(i: int) -> float:
    """The inverse of ``half_to_int``."""
    return struct.unpack("f", struct.pack("i", i))[0]


def _flat_complex(values) -> list:
    return [part for z in values for part in (z.real, z.imag)]


# pyfront dtype name -> (TensorProto dtype, the field its values go in, how a flat list is written there)
_PROTO_DTYPES = {
    "float16": ("DT_HALF", "half_val", lambda v: [half_to_int(x) for x in v]),
    "bfloat16": ("DT_BFLOAT16", "half_val", lambda v: [half_to_int(x) for x in v]),
    "float32": ("DT_FLOAT", "float_val", list),
    "float64": ("DT_DOUBLE", "double_val", list),
    "int8": ("DT_INT8", "int_val", list),
    "uint8": ("DT_UINT8", "uint32_val", list),  # (torch's table names uint8 twice; the later entry holds)
    "int16": ("DT_INT16", "int_val", list),
    "int32": ("DT_INT32", "int_val", list),
    "int64": ("DT_INT64", "int64_val", list),
    "bool": ("DT_BOOL", "bool_val", list),
    "complex32": ("DT_COMPLEX32", "scomplex_val", _flat_complex),
    "complex64": ("DT_COMPLEX64", "scomplex_val", _flat_complex),
    "complex128": ("DT_COMPLEX128", "dcomplex_val", _flat_complex),
}


def tensor_proto(tag: str, tensor: Tensor) -> Summary:
    """The whole tensor, every element, for the tensor plugin."""
    if tensor.numel() * tensor.itemsize >= 1 << 31:
        raise ValueError("tensor is bigger than protocol buffer's hard limit of 2GB in size")
    kind = _PROTO_DTYPES.get(str(tensor.dtype).rpartition(".")[2])
    if kind is None:
        raise ValueError(f"{tag} has unsupported tensor dtype "
                         f"{tensor.dtype}")
    dtype, field, write = kind
    proto = TensorProto(dtype=dtype, tensor_shape=_shape(*tensor.shape),
                        **{field: write(tensor.detach().cpu().flatten().tolist())})
    return Summary(value=[Summary.Value(tag=tag, metadata=_plugin("tensor"), tensor=proto)])


def histogram_raw(name, min, max, num, sum, sum_squares, bucket_limits, bucket_counts) -> Summary:
    """A histogram from its precomputed statistics and buckets."""
    hist = HistogramProto(min=min, max=max, num=num, sum=sum, sum_squares=sum_squares,
                          bucket_limit=bucket_limits, bucket=bucket_counts)
    return Summary(value=[Summary.Value(histo=hist, tag=name)])


def histogram(name: str, values, bins, max_bins=None) -> Summary:
    """A histogram of ``values`` over ``bins`` (NumPy's ``bins``: edges, a count or a rule's name)."""
    return Summary(value=[Summary.Value(tag=name, histo=make_histogram(to_numpy(values).astype(float),
                                                                        bins, max_bins))])


def make_histogram(values: np.ndarray, bins, max_bins=None) -> HistogramProto:
    """The HistogramProto of ``values``: only the buckets from the first to the last non-empty one, plus
    one empty bucket before them (TensorBoard reads each bucket's right edge only)."""
    if values.size == 0:
        raise ValueError("The input has "
                         "no element.")
    values = values.reshape(-1)
    counts, edges = np.histogram(values, bins=bins)
    if max_bins is not None and len(counts) > max_bins:
        group = len(counts) // max_bins  # merge runs of `group` buckets (the last run padded with zeros)
        short = len(counts) % group
        if short:
            counts = np.concatenate([counts, np.zeros(group - short, counts.dtype)])
        counts = counts.reshape(-1, group).sum(axis=-1)
        edges = np.concatenate([edges[:-1:group], edges[-1:]])
    filled = np.flatnonzero(counts)
    if filled.size == 0:
        raise ValueError("The histogram is empty, "
                         "please file a bug report.")
    first, last = int(filled[0]), int(filled[-1])
    kept = counts[first - 1:last + 1] if first > 0 else np.concatenate([[0], counts[:last + 1]])
    return HistogramProto(min=values.min(), max=values.max(), num=len(values), sum=values.sum(),
                          sum_squares=values.dot(values), bucket_limit=edges[first:last + 2].tolist(),
                          bucket=kept.tolist())


def _to_uint8(array: np.ndarray) -> np.ndarray:
    # uint8 images are already 0..255; anything else is taken as 0..1
    if not isinstance(array, np.ndarray):  # (to_hwc's None, for a format of another rank, fails as torch's)
        array = array.numpy()
    scale = 1 if array.dtype == np.uint8 else 255
    return (array.astype(np.float32) * scale).clip(0, 255).astype(np.uint8)


def image(tag: str, tensor, rescale=1, dataformats: str = "NCHW") -> Summary:
    """One PNG image of ``tensor`` (a batch is tiled into one image)."""
    hwc = _to_uint8(to_hwc(to_numpy(tensor), dataformats))
    return Summary(value=[Summary.Value(tag=tag, image=make_image(hwc, rescale=rescale))])


def image_boxes(tag: str, tensor_image, tensor_boxes, rescale=1, dataformats="CHW", labels=None) -> Summary:
    """One PNG image with red boxes (N x 4, xmin ymin xmax ymax in pixels) drawn on it, each labelled."""
    hwc = _to_uint8(to_hwc(to_numpy(tensor_image), dataformats))
    picture = make_image(hwc, rescale=rescale, rois=to_numpy(tensor_boxes), labels=labels)
    return Summary(value=[Summary.Value(tag=tag, image=picture)])


def draw_boxes(disp_image, boxes: np.ndarray, labels=None):
    """Draw each (xmin, ymin, xmax, ymax) box of ``boxes`` in red on the PIL image ``disp_image`` (and its
    label, if given); returns ``disp_image``."""
    from PIL import ImageDraw, ImageFont

    font = ImageFont.load_default()
    pen = ImageDraw.Draw(disp_image)
    for i in range(boxes.shape[0]):
        left, top, right, bottom = (boxes[i, k] for k in range(4))
        corners = [(left, top), (left, bottom), (right, bottom), (right, top), (left, top)]
        pen.line(corners, width=2, fill="Red")
        label = None if labels is None else labels[i]
        if label:  # on a red band along the box's bottom edge
            x0, y0, x1, y1 = font.getbbox(label)
            margin = np.ceil(0.05 * (y1 - y0))
            pen.rectangle([(left, bottom - (y1 - y0) - 2 * margin), (left + x1 - x0, bottom)], fill="Red")
            pen.text((left + margin, bottom - (y1 - y0) - margin), label, fill="black", font=font)
    return disp_image


def make_image(tensor: np.ndarray, rescale=1, rois=None, labels=None) -> Summary.Image:
    """A Summary.Image of an (H, W, C) uint8 array (the boxes ``rois`` drawn on it first), PNG-encoded by
    Pillow."""
    from PIL import Image

    height, width, channels = tensor.shape
    picture = Image.fromarray(tensor)
    if rois is not None:
        draw_boxes(picture, rois, labels)
    size = (int(width * rescale), int(height * rescale))
    if size != picture.size:
        picture = picture.resize(size, Image.Resampling.LANCZOS)
    with io.BytesIO() as out:
        picture.save(out, format="PNG")
        png = out.getvalue()
    return Summary.Image(height=height, width=width, colorspace=channels, encoded_image_string=png)


def video(tag: str, tensor, fps=4) -> Summary:
    """A (B, T, C, H, W) video as an animated GIF (needs moviepy; without it the value holds no image)."""
    frames = _to_uint8(video_frames(to_numpy(tensor)))
    return Summary(value=[Summary.Value(tag=tag, image=make_video(frames, fps))])


def make_video(tensor: np.ndarray, fps):
    """A Summary.Image holding ``tensor`` (T, H, W, C) frames as a GIF, or None (said on stdout, as torch
    does) when moviepy or its editor module is missing."""
    try:
        import moviepy  # noqa: F401
    except ImportError:
        print("add_video needs package moviepy")
        return None
    try:
        from moviepy import editor
    except ImportError:
        print("moviepy is installed, but can't import moviepy.editor.",
              "Some packages could be missing [imageio, requests]")
        return None
    import tempfile

    _, h, w, c = tensor.shape
    clip = editor.ImageSequenceClip(list(tensor), fps=fps)
    with tempfile.NamedTemporaryFile(suffix=".gif") as gif_file:
        clip.write_gif(gif_file.name, verbose=False, logger=None)
        gif = gif_file.read()
    return Summary.Image(height=h, width=w, colorspace=c, encoded_image_string=gif)


def audio(tag: str, tensor, sample_rate=44100) -> Summary:
    """Mono 16-bit WAV of ``tensor`` (values in [-1, 1]; louder ones are clipped, with a printed warning)."""
    import wave

    samples = to_numpy(tensor).squeeze()
    if abs(samples).max() > 1:
        print("warning: audio amplitude out of range, "
              "auto clipped.")
        samples = samples.clip(-1, 1)
    if samples.ndim != 1:
        raise AssertionError("input tensor should be "
                             "1 dimensional.")
    pcm = (samples * np.iinfo(np.int16).max).astype("<i2")
    with io.BytesIO() as out:
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(sample_rate)
            wav.writeframes(pcm.data)
        data = out.getvalue()
    sound = Summary.Audio(sample_rate=sample_rate, num_channels=1, length_frames=pcm.shape[-1],
                          encoded_audio_string=data, content_type="audio/wav")
    return Summary(value=[Summary.Value(tag=tag, audio=sound)])


def custom_scalars(layout: dict) -> Summary:
    """The custom-scalars plugin's layout: {category: {chart title: ["Multiline" or "Margin", tags]}}."""
    from tensorboard.plugins.custom_scalar import layout_pb2 as layouts

    categories = []
    for category, charts in layout.items():
        made = []
        for title, spec in charts.items():
            kind, tags = spec[0], spec[1]
            if kind == "Margin":
                if len(tags) != 3:
                    raise AssertionError("len(tags) != 3")
                series = layouts.MarginChartContent.Series(value=tags[0], lower=tags[1], upper=tags[2])
                content = {"margin": layouts.MarginChartContent(series=[series])}
            else:
                content = {"multiline": layouts.MultilineChartContent(tag=tags)}
            made.append(layouts.Chart(title=title, **content))
        categories.append(layouts.Category(title=category, chart=made))
    config = layouts.Layout(category=categories).SerializeToString()
    proto = TensorProto(dtype="DT_STRING", string_val=[config], tensor_shape=TensorShapeProto())
    return Summary(value=[Summary.Value(tag="custom_scalars__config__", tensor=proto,
                                        metadata=_plugin("custom_scalars"))])


def text(tag: str, text: str) -> Summary:
    """A string for the text plugin (Markdown), under ``tag + '/text_summary'``."""
    from tensorboard.plugins.text import plugin_data_pb2 as text_plugin

    proto = TensorProto(dtype="DT_STRING", string_val=[text.encode("utf_8")], tensor_shape=_shape(1))
    meta = _plugin("text", text_plugin.TextPluginData(version=0).SerializeToString())
    return Summary(value=[Summary.Value(tag=tag + "/text_summary", metadata=meta, tensor=proto)])


def _pr_summary(tag: str, data: np.ndarray, num_thresholds: int) -> Summary:
    from tensorboard.plugins.pr_curve import plugin_data_pb2 as pr_plugin

    plugin_data = pr_plugin.PrCurvePluginData(version=0, num_thresholds=num_thresholds).SerializeToString()
    meta = _plugin("pr_curves", plugin_data)
    proto = TensorProto(dtype="DT_FLOAT", float_val=data.reshape(-1).tolist(),
                        tensor_shape=_shape(*data.shape))
    return Summary(value=[Summary.Value(tag=tag, metadata=meta, tensor=proto)])


def pr_curve_raw(tag, tp, fp, tn, fn, precision, recall, num_thresholds=127, weights=None) -> Summary:
    """A precision-recall curve from its six precomputed rows (at most 127 thresholds, as torch)."""
    rows = [to_numpy(r) if isinstance(r, Tensor) else np.asarray(r)
            for r in (tp, fp, tn, fn, precision, recall)]
    return _pr_summary(tag, np.stack(rows), min(num_thresholds, 127))


def pr_curve(tag, labels, predictions, num_thresholds=127, weights=None) -> Summary:
    """A precision-recall curve of ``predictions`` in [0, 1] against 0/1 ``labels``."""
    num_thresholds = min(127, num_thresholds)
    return _pr_summary(tag, compute_curve(labels, predictions, num_thresholds, weights), num_thresholds)


def compute_curve(labels, predictions, num_thresholds=None, weights=None) -> np.ndarray:
    """The six rows (tp, fp, tn, fn, precision, recall) at ``num_thresholds`` even thresholds."""
    weights = 1.0 if weights is None else weights
    buckets = np.int32(np.floor(predictions * (num_thresholds - 1)))
    positive = labels.astype(np.float64)

    def counts_at_or_above(w):
        per_bucket, _ = np.histogram(buckets, bins=num_thresholds, range=(0, num_thresholds - 1), weights=w)
        return np.cumsum(per_bucket[::-1])[::-1]

    tp = counts_at_or_above(positive * weights)
    fp = counts_at_or_above((1.0 - positive) * weights)
    tn, fn = fp[0] - fp, tp[0] - tp
    precision = tp / np.maximum(1e-7, tp + fp)
    recall = tp / np.maximum(1e-7, tp + fn)
    return np.stack([tp, fp, tn, fn, precision, recall])


def hparams(hparam_dict=None, metric_dict=None, hparam_domain_discrete=None) -> tuple:
    """The hparams plugin's three summaries: the experiment (hyperparameter and metric names), the
    session start (the values) and the session end (success).

    As torch: a bool value is an int, so it is written as a number; a tensor gives its first element."""
    from google.protobuf import struct_pb2
    from tensorboard.plugins.hparams import api_pb2, metadata
    from tensorboard.plugins.hparams import plugin_data_pb2 as hp_plugin

    for name, given in (("hparam_dict", hparam_dict), ("metric_dict", metric_dict)):
        if not isinstance(given, dict):
            raise TypeError(f"parameter: {name} should be a dictionary, nothing logged.")
    domains = hparam_domain_discrete or {}
    if not isinstance(domains, dict):
        raise TypeError("parameter: hparam_domain_discrete should be a dictionary, nothing logged.")
    for k, choices in domains.items():
        if k not in hparam_dict or not isinstance(choices, list) or \
                not all(isinstance(c, type(hparam_dict[k])) for c in choices):
            raise TypeError(f"parameter: hparam_domain_discrete[{k}] should be a list of same type as "
                            f"hparam_dict[{k}].")

    def domain(k, field):
        if k not in domains:
            return None
        return struct_pb2.ListValue(values=[struct_pb2.Value(**{field: c}) for c in domains[k]])

    start = hp_plugin.SessionStartInfo()
    infos = []
    for k, v in hparam_dict.items():
        if v is None:
            continue
        if isinstance(v, (int, float)):  # (a bool too: it is an int)
            field, data_type = "number_value", "DATA_TYPE_FLOAT64"
        elif isinstance(v, str):
            field, data_type = "string_value", "DATA_TYPE_STRING"
        elif isinstance(v, Tensor):
            start.hparams[k].number_value = to_numpy(v)[0]
            infos.append(api_pb2.HParamInfo(name=k, type=api_pb2.DataType.Value("DATA_TYPE_FLOAT64")))
            continue
        else:
            raise ValueError("value should be one of int, float, str, bool, or torch.Tensor")
        setattr(start.hparams[k], field, v)
        infos.append(api_pb2.HParamInfo(name=k, type=api_pb2.DataType.Value(data_type),
                                        domain_discrete=domain(k, field)))

    def summary(tag, **content):
        data = hp_plugin.HParamsPluginData(version=metadata.PLUGIN_DATA_VERSION, **content)
        data = data.SerializeToString()
        return Summary(value=[Summary.Value(tag=tag, metadata=_plugin(metadata.PLUGIN_NAME, data))])

    metrics = [api_pb2.MetricInfo(name=api_pb2.MetricName(tag=k)) for k in metric_dict]
    experiment = api_pb2.Experiment(hparam_infos=infos, metric_infos=metrics)
    end = hp_plugin.SessionEndInfo(status=api_pb2.Status.Value("STATUS_SUCCESS"))
    return (summary(metadata.EXPERIMENT_TAG, experiment=experiment),
            summary(metadata.SESSION_START_INFO_TAG, session_start_info=start),
            summary(metadata.SESSION_END_INFO_TAG, session_end_info=end))


def mesh(tag, vertices, colors, faces, config_dict, display_name=None, description=None) -> Summary:
    """A mesh or point cloud for the mesh plugin: one (B, N, 3) float tensor each for the vertices, the
    faces and the colors that are given, sharing one components bitmask."""
    from tensorboard.plugins.mesh import metadata as mesh_metadata
    from tensorboard.plugins.mesh.plugin_data_pb2 import MeshPluginData as Mesh

    config = "{}" if config_dict is None else json.dumps(config_dict, sort_keys=True)
    given = ((vertices, Mesh.VERTEX), (faces, Mesh.FACE), (colors, Mesh.COLOR))
    parts = [(data, kind) for data, kind in given if data is not None]
    components = mesh_metadata.get_components_bitmask([kind for _, kind in parts])
    values = []
    for data, kind in parts:
        data = as_tensor(data)
        # (its shape as a Size, as torch's: the text of a bad shape's error shows it)
        meta = mesh_metadata.create_summary_metadata(tag, display_name, kind, components, data.shape,
                                                     description, json_config=config)
        array = to_numpy(data)
        proto = TensorProto(dtype="DT_FLOAT", float_val=array.reshape(-1).tolist(),
                            tensor_shape=_shape(*array.shape[:3]))
        name = mesh_metadata.get_instance_name(tag, kind)
        values.append(Summary.Value(tag=name, tensor=proto, metadata=meta))
    return Summary(value=values)

"""Inputs brought to the host as NumPy arrays, and the image layouts TensorBoard's plugins expect."""
from __future__ import annotations

import numpy as np

from ...tensor import Tensor


def to_numpy(x) -> np.ndarray:
    """A NumPy array of ``x`` (an array, a Python or NumPy scalar, a pyfront tensor on any device)."""
    if isinstance(x, np.ndarray):
        return x
    if np.isscalar(x):
        return np.array([x])
    if isinstance(x, Tensor):
        from ... import bfloat16, float16

        if x.dtype == bfloat16:  # NumPy has no bfloat16 of its own: torch writes it as float16
            x = x.to(float16)
        return x.detach().cpu().numpy()
    raise NotImplementedError(f"Got {type(x)}, but numpy array or torch tensor are expected.")


def tile(batch: np.ndarray, ncols: int = 8) -> np.ndarray:
    """Lay an (N, 1 or 3, H, W) batch out row by row on one (3, rows*H, cols*W) canvas."""
    if batch.shape[1] == 1:
        batch = np.repeat(batch, 3, axis=1)
    if batch.ndim != 4 or batch.shape[1] != 3:
        raise AssertionError("Input should be a 4D numpy array "
                             "with 3 channels")
    n, _, h, w = batch.shape
    ncols = min(n, ncols)
    nrows = int(np.ceil(float(n) / ncols))
    canvas = np.zeros((3, h * nrows, w * ncols), dtype=batch.dtype)
    for i in range(n):
        row, col = divmod(i, ncols)
        canvas[:, row * h:(row + 1) * h, col * w:(col + 1) * w] = batch[i]
    return canvas


def to_hwc(array: np.ndarray, dataformats: str) -> np.ndarray:
    """An (H, W, C) image of ``array`` laid out as ``dataformats`` (a batch is tiled, gray made RGB)."""
    if len(set(dataformats)) != len(dataformats):
        raise AssertionError("You can not use the same dimension shorthand twice." + " " * 13
                             + f"input_format: {dataformats}")
    if array.ndim != len(dataformats):
        raise AssertionError("size of input tensor and input format are different." + " " * 9
                             + f"tensor shape: {array.shape}, input_format: {dataformats}")
    fmt = dataformats.upper()
    if len(fmt) == 4:
        return tile(array.transpose([fmt.find(c) for c in "NCHW"])).transpose(1, 2, 0)
    if len(fmt) == 3:
        hwc = array.transpose([fmt.find(c) for c in "HWC"])
        return np.concatenate([hwc] * 3, 2) if hwc.shape[2] == 1 else hwc
    if len(fmt) == 2:
        return np.stack([array.transpose([fmt.find(c) for c in "HW"])] * 3, 2)
    return None  # as torch: another rank falls through (and fails where the image is used)


def video_frames(video: np.ndarray) -> np.ndarray:
    """(B, T, C, H, W) clips -> (T, H', W', C) frames, the batch tiled on a grid (a power of two)."""
    b, t, c, h, w = video.shape
    if video.dtype == np.uint8:
        video = np.float32(video) / 255.0
    if b == 0 or b & (b - 1):  # not a power of two: blank clips fill the grid
        video = np.concatenate((video, np.zeros((2 ** b.bit_length() - b, t, c, h, w))), axis=0)
    rows = 2 ** ((b.bit_length() - 1) // 2)
    cols = video.shape[0] // rows
    grid = video.reshape(rows, cols, t, c, h, w).transpose(2, 0, 4, 1, 5, 3)
    return grid.reshape(t, rows * h, cols * w, c)


def figure_to_image(figures, close: bool = True) -> np.ndarray:
    """Render a matplotlib figure (CHW) or a list of them (NCHW) as uint8 RGB."""
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def render(fig):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        w, h = fig.canvas.get_width_height()
        rgba = np.frombuffer(canvas.buffer_rgba(), dtype=np.uint8).reshape(h, w, 4)
        if close:
            plt.close(fig)
        return np.moveaxis(rgba[:, :, :3], 2, 0)

    if isinstance(figures, list):
        return np.stack([render(f) for f in figures])
    return render(figures)

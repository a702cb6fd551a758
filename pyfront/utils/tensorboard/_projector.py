"""The embedding projector's files: tensors.tsv, metadata.tsv, sprite.png and their EmbeddingInfo."""
from __future__ import annotations

import math
import os

import numpy as np

from ._host import tile


def _write(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def write_metadata(labels, save_path: str, header=None) -> None:
    """metadata.tsv: one label a line, or (with ``header``) a header row and tab-separated columns."""
    if header:
        if len(header) != len(labels[0]):
            raise AssertionError("len of header must be equal to "
                                 "the number of columns in metadata")
        lines = ["\t".join(str(cell) for cell in row) for row in [header, *labels]]
    else:
        lines = [str(label) for label in labels]
    _write(os.path.join(save_path, "metadata.tsv"), ("\n".join(lines) + "\n").encode())


def write_sprite(images: np.ndarray, save_path: str) -> None:
    """sprite.png: the (N, C, H, W) images in [0, 1] tiled on a square grid, on a square canvas."""
    from io import BytesIO

    from PIL import Image

    grid = tile(images, ncols=math.ceil(images.shape[0] ** 0.5)).transpose(1, 2, 0)
    square = np.zeros((grid.shape[1], grid.shape[1], 3))
    square[:grid.shape[0]] = grid
    with BytesIO() as out:
        Image.fromarray(np.uint8((square * 255).clip(0, 255))).save(out, format="PNG")
        _write(os.path.join(save_path, "sprite.png"), out.getvalue())


def write_matrix(mat: np.ndarray, save_path: str) -> None:
    """tensors.tsv: one data point a line, its coordinates tab-separated."""
    rows = ("\t".join(str(x.item()) for x in row) + "\n" for row in mat)
    _write(os.path.join(save_path, "tensors.tsv"), "".join(rows).encode())


def embedding_info(has_metadata: bool, images, subdir: str, step: int, tag: str):
    """The projector config's entry for one embedding written under ``subdir``."""
    from tensorboard.plugins.projector import projector_config_pb2

    info = projector_config_pb2.EmbeddingInfo(tensor_name=f"{tag}:{str(step).zfill(5)}",
                         tensor_path=os.path.join(subdir, "tensors.tsv"))
    if has_metadata:
        info.metadata_path = os.path.join(subdir, "metadata.tsv")
    if images is not None:
        info.sprite.image_path = os.path.join(subdir, "sprite.png")
        info.sprite.single_image_dim.extend([images.shape[3], images.shape[2]])
    return info

"""The 8x8 handwritten digits: 1,797 grey images of the digits 0-9 (UCI ML repository, via scikit-learn).

The data ships inside the package as ``data/digits.u8.gz``: gzip'd raw bytes, 1,797 x 64 pixel values
(0..16, row-major) followed by the 1,797 labels, made once by ``build/make_digits.py``. It loads with
the standard library alone, so it works in the browser, where there is no NumPy.
"""
from __future__ import annotations

import array
import functools
import gzip
from importlib import resources

from .. import dtypes as dt
from ..backends import get_backend
from ..device import as_device
from ..tensor import Tensor
from ..utils.data import Dataset

__all__ = ["load_digits", "Digits", "NUM_IMAGES", "NUM_CLASSES"]

NUM_IMAGES = 1797
NUM_CLASSES = 10
_PIXELS = 64
_SPLITS = ("all", "train", "test")


@functools.cache
def _raw() -> tuple[bytes, bytes]:
    raw = gzip.decompress((resources.files(__package__) / "data" / "digits.u8.gz").read_bytes())
    if len(raw) != NUM_IMAGES * (_PIXELS + 1):
        raise RuntimeError(f"pyfront's digits data file is damaged: {len(raw)} bytes instead of "
                           f"{NUM_IMAGES * (_PIXELS + 1)}; reinstall pyfront")
    return raw[:NUM_IMAGES * _PIXELS], raw[NUM_IMAGES * _PIXELS:]


def _upload(values: array.array, dtype, shape, device) -> Tensor:
    # straight from bytes to the target device: no NumPy, and no kernel runs on the device
    return Tensor._make(get_backend(device).from_bytes(values.tobytes(), dtype), shape, dtype)


def _test_mask() -> list[bool]:
    """The fixed held-out split: within each digit, every fifth image (in file order) is a test image.

    Stratified and deterministic, with no random number generator involved: 1,442 train and 355 test
    images. (Not the file's tail: those images come from other writers and are much harder.)
    """
    seen = [0] * NUM_CLASSES
    mask = []
    for label in _raw()[1]:
        mask.append(seen[label] % 5 == 4)
        seen[label] += 1
    return mask


def _indices(split: str) -> list[int]:
    if split not in _SPLITS:
        raise ValueError(f"split must be one of {', '.join(map(repr, _SPLITS))}, but got split={split!r}")
    if split == "all":
        return list(range(NUM_IMAGES))
    return [i for i, test in enumerate(_test_mask()) if test == (split == "test")]


def load_digits(split: str = "all", *, device=None) -> tuple[Tensor, Tensor]:
    """The digits as ``(images, labels)`` tensors.

    Args:
        split: "all" (1,797 images), "train" (1,442) or "test" (355, the fixed held-out split).
        device: where to create the tensors (default cpu).

    Returns:
        images: float32 ``[N, 1, 8, 8]``, the pixel intensities scaled from 0..16 to 0..1.
        labels: int64 ``[N]``, the digits 0..9.
    """
    device = as_device(device)
    pixels, labels = _raw()
    idx = _indices(split)
    images = array.array("f", (p / 16 for i in idx for p in pixels[i * _PIXELS:(i + 1) * _PIXELS]))
    targets = array.array("q", (labels[i] for i in idx))
    return (_upload(images, dt.float32, (len(idx), 1, 8, 8), device),
            _upload(targets, dt.int64, (len(idx),), device))


class Digits(Dataset):
    """The digits as a Dataset of ``(image [1, 8, 8] float32 in 0..1, label int)`` pairs.

    Args:
        train: the training split (1,442 images) if True, else the held-out test split (355 images).
        transform: applied to each image tensor.
        target_transform: applied to each label.
        device: where the images live (default cpu).
    """

    def __init__(self, train: bool = True, transform=None, target_transform=None, device=None) -> None:
        self.train = train
        # the attribute names of torchvision's datasets; labels as Python ints, as torchvision gives them
        self.data, _ = load_digits("train" if train else "test", device=device)
        labels = _raw()[1]
        self.targets = [labels[i] for i in _indices("train" if train else "test")]
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self) -> int:
        return len(self.targets)

    def __getitem__(self, index: int):
        image, target = self.data[index], self.targets[index]
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def __repr__(self) -> str:
        split = "Train" if self.train else "Test"
        return f"Dataset Digits\n    Number of datapoints: {len(self)}\n    Split: {split}"

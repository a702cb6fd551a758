"""pyfront.datasets: the shipped 8x8 digits and the synthetic generators.

Facts about the digits come from scikit-learn's documentation of its copy (1,797 images, 0..16 pixel
values, the first image a 0 whose top row is 0 0 5 13 9 1 0 0, the class counts below).
"""
import subprocess
import sys

import pytest
import torch

import pyfront
from pyfront.datasets import Digits, load_digits, make_moons, make_spirals
from pyfront.utils.data import DataLoader

SKLEARN_CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_load_digits():
    images, labels = load_digits()
    assert tuple(images.shape) == (1797, 1, 8, 8) and images.dtype == pyfront.float32
    assert tuple(labels.shape) == (1797,) and labels.dtype == pyfront.int64
    assert images.device.type == "cpu"
    assert float(images.min()) == 0.0 and float(images.max()) == 1.0
    assert ((images * 16).round() == images * 16).all()  # sixteenths of the original 0..16 levels
    assert [int((labels == k).sum()) for k in range(10)] == SKLEARN_CLASS_COUNTS
    assert labels[:12].tolist() == list(range(10)) + [0, 1]
    assert (images[0, 0, 0] * 16).tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_splits_are_fixed_disjoint_and_stratified():
    all_images, all_labels = load_digits()
    train_x, train_y = load_digits("train")
    test_x, test_y = load_digits("test")
    assert len(train_y) == 1442 and len(test_y) == 355
    rows = lambda x: [tuple(r) for r in x.reshape(len(x), -1).tolist()]  # noqa: E731
    everything = sorted(zip(rows(all_images), all_labels.tolist()))
    assert sorted([*zip(rows(train_x), train_y.tolist()), *zip(rows(test_x), test_y.tolist())]) == everything
    for k, n in enumerate(SKLEARN_CLASS_COUNTS):
        assert int((test_y == k).sum()) == n // 5
    assert load_digits("test")[1].tolist() == test_y.tolist()
    with pytest.raises(ValueError, match="split must be one of"):
        load_digits("valid")


def test_digits_dataset():
    train, test = Digits(), Digits(train=False)
    assert len(train) == 1442 and len(test) == 355
    image, label = test[0]
    assert tuple(image.shape) == (1, 8, 8) and image.dtype == pyfront.float32 and isinstance(label, int)
    x, y = load_digits("test")
    assert image.tolist() == x[0].tolist() and label == y[0].item()
    assert "Number of datapoints: 355" in repr(test)
    flipped = Digits(train=False, transform=lambda im: im.flip(-1), target_transform=lambda t: t + 100)
    assert flipped[0][0].tolist() == image.flip(-1).tolist() and flipped[0][1] == label + 100
    images, labels = next(iter(DataLoader(train, batch_size=32, shuffle=True)))
    assert tuple(images.shape) == (32, 1, 8, 8) and images.dtype == pyfront.float32
    assert tuple(labels.shape) == (32,) and labels.dtype == pyfront.int64


def test_digits_load_without_numpy():
    # the browser has no NumPy: the data file must load with the standard library alone
    code = ("import sys; sys.modules['numpy'] = None\n"
            "from pyfront.datasets import digits\n"
            "pixels, labels = digits._raw()\n"
            "assert len(pixels) == 1797 * 64 and len(labels) == 1797 and max(pixels) == 16\n"
            "assert 'numpy' not in sys.modules or sys.modules['numpy'] is None\n")
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("n", [0, 1, 7, 100])
def test_make_moons(n):
    X, y = make_moons(n, noise=None, shuffle=False)
    assert tuple(X.shape) == (n, 2) and X.dtype == pyfront.float32 and y.dtype == pyfront.int64
    assert y.tolist() == [0] * (n // 2) + [1] * (n - n // 2)
    if n > 1:
        outer, inner = X[y == 0], X[y == 1]
        # the outer moon is the upper unit half circle; the inner one its mirror shifted to (1, 0.5)
        torch.testing.assert_close(torch.tensor((outer ** 2).sum(1).tolist()), torch.ones(n // 2))
        shifted = inner - pyfront.tensor([1.0, 0.5])
        torch.testing.assert_close(torch.tensor((shifted ** 2).sum(1).tolist()), torch.ones(n - n // 2))
        assert float(outer[:, 1].min()) >= -1e-6 and float(inner[:, 1].max()) <= 0.5 + 1e-6


def test_make_moons_shuffle_noise_and_generator():
    a = make_moons(50, noise=0.1, generator=pyfront.Generator().manual_seed(0))
    b = make_moons(50, noise=0.1, generator=pyfront.Generator().manual_seed(0))
    c = make_moons(50, noise=0.1, generator=pyfront.Generator().manual_seed(1))
    assert a[0].tolist() == b[0].tolist() and a[1].tolist() == b[1].tolist()
    assert a[0].tolist() != c[0].tolist()
    assert sorted(a[1].tolist()) == [0] * 25 + [1] * 25 and a[1].tolist() != sorted(a[1].tolist())
    clean = make_moons(50, shuffle=False)[0]
    noisy = make_moons(50, shuffle=False, noise=0.1)[0]
    spread = float((noisy - clean).std())
    assert 0.07 < spread < 0.13
    assert make_moons((3, 5), shuffle=False)[1].tolist() == [0] * 3 + [1] * 5
    with pytest.raises(ValueError):
        make_moons(-1)
    with pytest.raises(ValueError):
        make_moons(10, noise=-0.5)


@pytest.mark.parametrize("n,classes", [(10, 2), (11, 3), (300, 5), (0, 2)])
def test_make_spirals(n, classes):
    X, y = make_spirals(n, classes, shuffle=False)
    counts = [int((y == k).sum()) for k in range(classes)]
    assert tuple(X.shape) == (n, 2) and X.dtype == pyfront.float32 and y.dtype == pyfront.int64
    assert sum(counts) == n and max(counts) - min(counts) <= 1
    assert sorted(y.tolist()) == y.tolist()
    if n:
        radius = (X ** 2).sum(1).sqrt()
        assert float(radius.max()) <= 1 + 1e-6 and float(radius.min()) == 0.0
    shuffled = make_spirals(n, classes, noise=0.05, generator=pyfront.Generator().manual_seed(0))
    assert sorted(shuffled[1].tolist()) == y.tolist()
    with pytest.raises(ValueError):
        make_spirals(10, 0)

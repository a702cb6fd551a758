"""Make pyfront/datasets/data/digits.u8.gz once from scikit-learn's copy of the UCI 8x8 digits.

Run it with any Python that has scikit-learn (not needed by pyfront itself):
    python build/make_digits.py
The file is gzip'd raw bytes: 1,797 x 64 pixel values (0..16, row-major 8x8 images) followed by the
1,797 labels (0..9), so it loads with nothing but ``gzip`` (no NumPy: the browser has none).
"""
import gzip
import pathlib

from sklearn.datasets import load_digits

digits = load_digits()
pixels = bytes(int(v) for v in digits.data.reshape(-1))
labels = bytes(int(v) for v in digits.target)
assert len(labels) == 1797 and len(pixels) == 1797 * 64 and max(pixels) <= 16
out = pathlib.Path(__file__).resolve().parent.parent / "pyfront" / "datasets" / "data" / "digits.u8.gz"
# mtime=0 keeps the file byte-identical across runs
out.write_bytes(gzip.compress(pixels + labels, compresslevel=9, mtime=0))
print(f"wrote {out} ({out.stat().st_size} bytes)")

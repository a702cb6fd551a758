"""``torch.version``: what environment-printing scripts read (``torch.version.cuda`` and the like).

pyfront is no CUDA, ROCm or XPU build, so those are None, as in torch's CPU build.
"""
from __future__ import annotations

__version__ = "0.1.0"  # pyfront's own (pyfront.__version__)
git_version = "unknown"
debug = False
cuda = None
hip = None
rocm = None
xpu = None

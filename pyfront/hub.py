"""``pyfront.hub``: the cache directory and the checkpoint download of ``torch.hub``.

``get_dir``/``set_dir`` name the same directory as torch's (``$TORCH_HOME/hub``, by default
``~/.cache/torch/hub``), so a checkpoint torch already downloaded is found and read by ``pyfront.load``
(which never runs code from a file). ``tqdm`` is the installed tqdm, or a small stand-in that, unlike
torch's, can also wrap an iterable (pytorch/examples' vision_transformer loops over ``tqdm(loader)``).
``load(dir, model, source="local")`` runs a local directory's ``hubconf.py`` entry point as torch's does
(its ``dependencies`` checked first); fetching a GitHub repository (``source="github"``, ``list``, ``help``)
is not provided: it raises a RuntimeError that says so.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
from urllib.parse import urlparse

HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")
_hub_dir: str | None = None


class _Faketqdm:
    """What tqdm answers without drawing a bar: iteration, update, set_postfix, write, a context."""

    def __init__(self, iterable=None, desc=None, total=None, disable=False, unit=None, *args, **kwargs):
        self.iterable, self.total, self.disable, self.n = iterable, total, disable, 0

    def __iter__(self):
        yield from self.iterable

    def __len__(self):
        return len(self.iterable)

    def update(self, n=1):
        self.n += n

    def set_description(self, *args, **kwargs):
        pass

    set_postfix = set_description

    def write(self, s):
        sys.stderr.write(f"{s}\n")

    def close(self):
        self.disable = True

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        pass


try:
    from tqdm import tqdm  # as torch.hub: the real one when installed
except ImportError:
    tqdm = _Faketqdm


def _get_torch_home() -> str:
    return os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(os.getenv("XDG_CACHE_HOME", "~/.cache"),
                                                                   "torch")))


def get_dir() -> str:
    """The hub cache directory: ``set_dir``'s, else ``$TORCH_HOME/hub`` (``$XDG_CACHE_HOME/torch/hub``)."""
    return _hub_dir if _hub_dir is not None else os.path.join(_get_torch_home(), "hub")


def set_dir(d) -> None:
    """Sets the hub cache directory (``~`` expanded)."""
    global _hub_dir
    _hub_dir = os.path.expanduser(d)


def download_url_to_file(url: str, dst: str, hash_prefix: str | None = None, progress: bool = True) -> None:
    """Downloads ``url`` to ``dst`` through a temporary file in the same folder (moved into place only
    when complete); with ``hash_prefix``, the SHA256 must start with it, else RuntimeError as torch's."""
    import urllib.request  # here: importing pyfront needs no network stack
    dst = os.path.expanduser(dst)
    folder = os.path.dirname(os.path.abspath(dst))
    sha = hashlib.sha256()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"User-Agent": "torch.hub"})) as resp, \
            tempfile.NamedTemporaryFile(delete=False, dir=folder) as f:
        try:
            while chunk := resp.read(8192):
                f.write(chunk)
                sha.update(chunk)
            f.close()
            digest = sha.hexdigest()
            if hash_prefix is not None and digest[:len(hash_prefix)] != hash_prefix:
                raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{digest}")')
            shutil.move(f.name, dst)
        finally:
            if os.path.exists(f.name):
                os.remove(f.name)


def load_state_dict_from_url(url: str, model_dir: str | None = None, map_location=None, progress: bool = True,
                             check_hash: bool = False, file_name: str | None = None,
                             weights_only: bool = False):
    """``pyfront.load`` of the checkpoint at ``url``, downloaded once into ``model_dir`` (by default
    ``get_dir()/checkpoints``, where torch keeps them) and read from there afterwards."""
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name if file_name is not None else os.path.basename(urlparse(url).path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        sys.stdout.write(f'Downloading: "{url}" to {cached_file}\n')
        match = HASH_REGEX.search(filename) if check_hash else None
        download_url_to_file(url, cached_file, match.group(1) if match else None, progress=progress)
    from .serialization import load
    return load(cached_file, map_location=map_location, weights_only=weights_only)


VAR_DEPENDENCY = "dependencies"
MODULE_HUBCONF = "hubconf.py"


def _hubconf(directory: str):
    """The module ``hubconf.py`` of ``directory`` (which the caller puts first on ``sys.path``, so its own
    imports are found there), as torch's hub imports it."""
    import importlib.util
    spec = importlib.util.spec_from_file_location(MODULE_HUBCONF, os.path.join(directory, MODULE_HUBCONF))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _entry(module, model):
    """The callable ``model`` of a hubconf module, once the packages its ``dependencies`` list are found."""
    import importlib.util
    if not isinstance(model, str):
        raise ValueError("Invalid input: model should be a string of function name")
    needed = getattr(module, VAR_DEPENDENCY, None) or ()
    missing = [pkg for pkg in needed if importlib.util.find_spec(pkg) is None]
    if missing:
        raise RuntimeError(f"Missing dependencies: {', '.join(missing)}")
    func = getattr(module, model) if model in dir(module) else None
    if func is None or not callable(func):
        raise RuntimeError(f"Cannot find callable {model} in hubconf")
    return func


def _no_github(what: str) -> RuntimeError:
    return RuntimeError(f"pyfront.hub {what} a GitHub repository, which pyfront does not download: clone it "
                        "and call torch.hub.load(path, model, source='local')")


def load(repo_or_dir, model, *args, source="github", trust_repo="check", force_reload=False, verbose=True,
         skip_validation=False, **kwargs):
    """The object the entry point ``model`` of ``repo_or_dir``'s ``hubconf.py`` returns, called with
    ``*args`` and ``**kwargs``: a local directory (``source="local"``) only."""
    source = source.lower()
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    if source == "github":
        raise _no_github("load(source='github') fetches")
    sys.path.insert(0, repo_or_dir)  # (hubconf's imports, and the entry point's at its call, find it there)
    try:
        return _entry(_hubconf(repo_or_dir), model)(*args, **kwargs)
    finally:
        sys.path.remove(repo_or_dir)


def list(github, force_reload=False, skip_validation=False, trust_repo="check", verbose=True):  # noqa: A001
    """torch's lists a GitHub repository's entry points: not provided (RuntimeError)."""
    raise _no_github("list reads")


def help(github, model, force_reload=False, skip_validation=False, trust_repo="check"):  # noqa: A001
    """torch's shows an entry point of a GitHub repository: not provided (RuntimeError)."""
    raise _no_github("help reads")


__all__ = ["download_url_to_file", "get_dir", "help", "list", "load", "load_state_dict_from_url", "set_dir",
           "tqdm"]

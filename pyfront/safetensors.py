"""``pyfront.safetensors``: the safetensors format, as ``safetensors.torch`` offers it."""
from .serialization.safetensors import SafetensorError, load, load_file, load_metadata, save, save_file

__all__ = ["SafetensorError", "load", "load_file", "load_metadata", "save", "save_file"]

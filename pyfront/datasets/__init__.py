"""``pyfront.datasets``: small datasets that ship with pyfront (the 8x8 digits) and synthetic ones."""
from .digits import NUM_CLASSES, NUM_IMAGES, Digits, load_digits
from .synthetic import make_moons, make_spirals

__all__ = ["Digits", "NUM_CLASSES", "NUM_IMAGES", "load_digits", "make_moons", "make_spirals"]

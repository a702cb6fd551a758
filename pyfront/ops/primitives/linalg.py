"""Linalg primitives (see primitives/__init__.py for the module conventions)."""
from __future__ import annotations

__all__: list = []
METHODS = ""
INPLACE = ""

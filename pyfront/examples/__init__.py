"""Runnable examples: ``python -m pyfront.examples.demo``."""

"""Runs several programs of this folder one after another in this one process (one interpreter start and
one ``import torch`` for all), each as ``__main__`` with its own argv, printing a header before each.

usage: run_several.py NAME[:ARG,ARG...] ...   (run under _torch_same_rng.py or ``python -m pyfront run``)
"""
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for spec in sys.argv[1:]:
    name, _, args = spec.partition(":")
    print(f"=== {name}", flush=True)
    sys.argv = [str(HERE / f"{name}.py"), *(args.split(",") if args else [])]
    runpy.run_path(sys.argv[0], run_name="__main__")

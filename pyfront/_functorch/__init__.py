"""What the ``functorch`` package (shipped with torch, deprecated since 2.0) imports from torch: with
these modules a script's ``import functorch`` runs on pyfront under ``python -m pyfront run``, its
``functorch.jvp``/``vmap``/``make_functional``... pyfront's ``torch.func`` behind torch's warnings."""

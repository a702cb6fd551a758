"""functorch's ``make_fx``: pyfront records no graphs to trace (it runs eagerly), so it says so."""


def make_fx(f, *args, **kwargs):
    raise RuntimeError("make_fx traces a function into a torch.fx graph; pyfront runs eagerly and has no "
                       "graph tracer: call the function itself")

"""Every public class and function of pyfront.nn, nn.functional, nn.init and nn.utils carries a PyTorch-shaped
docstring: a summary line and more, an Args or Shape section where it takes arguments, and every named
parameter mentioned. The names are found at run time, so layers added later are held to the same standard."""
import inspect

import pytest

import pyfront.nn as nn
import pyfront.nn.functional as F
import pyfront.nn.init as init
import pyfront.nn.utils as utils


def _public():
    seen = {}
    for module in (nn, F, init, utils):
        for name in dir(module):
            obj = getattr(module, name)
            if name.startswith("_") or not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            # nn and nn.functional gather names from their submodules; init and utils also import helpers
            home = "pyfront" if module in (nn, F) else module.__name__
            if getattr(obj, "__module__", "").startswith(home):
                seen.setdefault(id(obj), (f"{module.__name__}.{name}", obj))
    return sorted(seen.values(), key=lambda item: item[0])


PUBLIC = _public()


def _parameters(obj):
    """The named parameters a user passes (not self, *args/**kwargs, or private ones like _stacklevel)."""
    target = obj.__init__ if inspect.isclass(obj) else obj
    if target is object.__init__:
        return []
    try:
        params = inspect.signature(target).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.name != "self" and not p.name.startswith("_")
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def test_the_public_api_is_found():
    names = {name for name, _ in PUBLIC}
    # a sample of each namespace, so an empty discovery cannot pass the tests below
    assert {"pyfront.nn.Linear", "pyfront.nn.functional.relu", "pyfront.nn.init.kaiming_uniform_",
            "pyfront.nn.utils.clip_grad_norm_"} <= names
    assert len(PUBLIC) > 150


@pytest.mark.parametrize("name,obj", PUBLIC, ids=[name for name, _ in PUBLIC])
def test_public_name_has_a_pytorch_shaped_docstring(name, obj):
    # the object's own docstring: a class without one would otherwise show its base class's
    own = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    doc = inspect.cleandoc(own or "")
    assert doc.count("\n") >= 2, f"{name}: needs a summary line and at least two more lines"
    params = _parameters(obj)
    if params:
        assert "Args:" in doc or "Shape:" in doc, f"{name}: takes {params} but has no Args or Shape section"
        words = set(doc.replace("`", " ").replace(",", " ").replace(":", " ").replace("(", " ").split())
        missing = [p for p in params if p not in words]
        assert not missing, f"{name}: the docstring does not mention the parameters {missing}"
    # docstrings built at run time (in-place and deprecated aliases) escape ruff's line-length check
    longest = max(len(line) for line in doc.splitlines())
    assert longest <= 110, f"{name}: a docstring line of {longest} characters (over 110)"

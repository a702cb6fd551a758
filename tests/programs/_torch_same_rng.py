"""Run a script under REAL torch, with torch's random numbers taken from pyfront's generator.

usage: python tests/programs/_torch_same_rng.py script.py [args ...]

pyfront's generator is a counter-based Philox stream (the same numbers on every device), by design
not torch's mt19937, so a seeded script draws other weights under pyfront and the two runs could
never print the same numbers. This reference run keeps everything torch computes, and replaces only
torch's *sources* of randomness (manual_seed, Generator, randn/rand/randint/randperm/normal/
multinomial/bernoulli, the in-place uniform_/normal_/random_/bernoulli_/exponential_/cauchy_/
log_normal_/geometric_, the masks of F.dropout and of feature dropout under F.dropout1d/2d/3d) with the
same call on pyfront's stream, converted to a torch tensor. Both runs then see the
same random numbers as long as torch's Python code (nn.init, the layers' reset_parameters,
distributions, samplers) asks for them in the same order and shapes as pyfront's does -- which is
itself part of being torch-compatible. Nothing here is imported by the pyfront run.
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
import pyfront  # noqa: E402
import pyfront.nn.functional as PF  # noqa: E402


def _pdt(d):
    return None if d is None else getattr(pyfront, str(d).replace("torch.", ""))


def _t(p, like=None):
    out = torch.from_numpy(p.detach().cpu().numpy().copy())
    return out if like is None else out.to(like.device)


def _p(t):
    return pyfront.from_numpy(t.detach().cpu().numpy().copy())


class Generator:
    """torch.Generator over a pyfront.Generator."""

    def __init__(self, device="cpu"):
        self.pf = pyfront.Generator()
        self.device = torch.device(device)

    def manual_seed(self, seed):
        self.pf.manual_seed(int(seed))
        return self

    def seed(self):
        return self.pf.seed()

    def initial_seed(self):
        return self.pf.initial_seed()

    def get_state(self):  # a checkpoint's loader generator: the state of the stream its draws come from
        return _t(self.pf.get_state())

    def set_state(self, state):
        self.pf.set_state(_p(state))
        return self


def _g(generator):
    # torch.default_generator reaches here as a default argument bound at import (random_split's)
    return None if generator is None or generator is torch.default_generator else generator.pf


def _factory(name):
    original = getattr(torch, name)

    def make(*args, generator=None, dtype=None, device=None, requires_grad=False, out=None, layout=None,
             pin_memory=False, **kw):
        if (torch.get_default_device() if device is None else torch.device(device)).type == "meta":
            # a meta tensor draws nothing, in either library
            return original(*args, dtype=dtype, device=device, requires_grad=requires_grad, **kw)
        args = [tuple(a) if isinstance(a, torch.Size) else a for a in args]
        if "size" in kw:
            kw["size"] = tuple(kw["size"])
        p = getattr(pyfront, name)(*args, generator=_g(generator), dtype=_pdt(dtype), **kw)
        t = _t(p).to(device if device is not None else "cpu")
        if out is not None:  # torch.rand(2, 2, out=c) fills c with the draw and returns it
            with torch.no_grad():
                return out.resize_(t.shape).copy_(t)
        return t.requires_grad_() if requires_grad else t
    return make


def _like(name):
    def make(input, *args, dtype=None, device=None, requires_grad=False, **kw):
        like = pyfront.empty(tuple(input.shape), dtype=_pdt(dtype or input.dtype))
        p = getattr(pyfront, name)(like, *args, **kw)
        t = _t(p).to(device if device is not None else input.device)
        return t.requires_grad_() if requires_grad else t
    return make


def _inplace(name):
    def fill(self, *args, generator=None, **kw):
        if self.is_meta:  # nothing to fill, no number drawn (pyfront's meta draws none either)
            return self
        if name == "random_" and not args and not kw:  # a fresh seed (samplers): pyfront draws it this way
            p = pyfront.randint(0, 1 << 32, tuple(self.shape), generator=_g(generator),
                                dtype=_pdt(self.dtype))
        else:
            args = [_p(a) if isinstance(a, torch.Tensor) else a for a in args]
            p = getattr(pyfront.empty(tuple(self.shape), dtype=_pdt(self.dtype)), name)(
                *args, generator=_g(generator), **kw)
        with torch.no_grad():
            self.copy_(_t(p))
        return self
    return fill


def _multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    return _t(pyfront.multinomial(_p(input), num_samples, replacement, generator=_g(generator)), input)


def _bernoulli(input, p=None, *, generator=None, out=None):
    if p is not None:
        return _t(pyfront.bernoulli(_p(input), p, generator=_g(generator)), input)
    return _t(pyfront.bernoulli(_p(input), generator=_g(generator)), input)


def _normal(mean, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False, **kw):
    mean = _p(mean) if isinstance(mean, torch.Tensor) else mean
    std = _p(std) if isinstance(std, torch.Tensor) else std
    # (the size form's factory keywords: d2l's torch.normal(0, 0.01, size=..., requires_grad=True))
    if size is not None:
        t = _t(pyfront.normal(mean, std, tuple(size), generator=_g(generator))).to(dtype=dtype, device=device)
        return t.requires_grad_() if requires_grad else t
    return _t(pyfront.normal(mean, std, generator=_g(generator)))


_dropout = F.dropout


def _dropout_same_mask(input, p=0.5, training=True, inplace=False):
    if not training or p == 0 or p == 1:
        return _dropout(input, p, training, inplace)
    scale = _t(PF.dropout(pyfront.ones(tuple(input.shape), dtype=_pdt(input.dtype)), p, True), input)
    return input.mul_(scale) if inplace else input * scale


_feature_dropout = torch._VF.feature_dropout


def _feature_dropout_same_mask(input, p, train):
    """ATen's feature_dropout (under F.dropout1d/2d/3d): one draw per (dim 0, dim 1), from pyfront."""
    if not train or p == 0 or p == 1 or input.dim() < 2 or input.numel() == 0:
        return _feature_dropout(input, p, train)
    shape = tuple(input.shape[:2]) + (1,) * (input.dim() - 2)
    keep = _t(pyfront.rand(*shape, dtype=_pdt(input.dtype)), input) >= p
    return input * (keep.to(input.dtype) / (1 - p))


_sdpa = F.scaled_dot_product_attention


def _sdpa_same_mask(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                    enable_gqa=False):
    """With dropout, ATen's SDPA draws its mask in C++: here the math path with pyfront's mask instead."""
    if dropout_p == 0.0:
        return _sdpa(query, key, value, attn_mask, 0.0, is_causal, scale=scale, enable_gqa=enable_gqa)
    eye = torch.eye(key.shape[-2], dtype=query.dtype, device=query.device)
    # the attention weights come out of an SDPA over the identity as values
    weights = _sdpa(query, key, eye.expand(*key.shape[:-1], key.shape[-2]), attn_mask, 0.0, is_causal,
                    scale=scale, enable_gqa=enable_gqa)
    return _dropout_same_mask(weights, dropout_p) @ value


_manual_seed = torch.manual_seed


def _seed_both(seed):
    pyfront.manual_seed(int(seed))
    return _manual_seed(seed)


def _get_rng_state():
    return _t(pyfront.get_rng_state())


def _set_rng_state(state):
    pyfront.set_rng_state(_p(state))


def install():
    originals = {name: getattr(torch, name) for name in
                 ("manual_seed", "Generator", "randn", "rand", "randint", "randperm", "randn_like",
                  "rand_like", "randint_like", "multinomial", "bernoulli", "normal")}
    torch.manual_seed = _seed_both
    torch.random.manual_seed = _seed_both
    # a checkpoint's RNG state is the state of the stream the draws come from
    torch.get_rng_state = torch.random.get_rng_state = _get_rng_state
    torch.set_rng_state = torch.random.set_rng_state = _set_rng_state
    torch.Generator = Generator
    # a float draw without a dtype takes the default dtype: pyfront's must follow torch's
    set_default_dtype = torch.set_default_dtype
    torch.set_default_dtype = lambda d: (set_default_dtype(d), pyfront.set_default_dtype(_pdt(d)))[0]
    for name in ("randn", "rand", "randint", "randperm"):
        setattr(torch, name, _factory(name))
    for name in ("randn_like", "rand_like", "randint_like"):
        setattr(torch, name, _like(name))
    for name in ("uniform_", "normal_", "random_", "bernoulli_", "exponential_", "cauchy_", "log_normal_",
                 "geometric_"):
        setattr(torch.Tensor, name, _inplace(name))
    torch.multinomial = _multinomial
    torch.Tensor.multinomial = _multinomial
    torch.bernoulli = torch.Tensor.bernoulli = _bernoulli
    torch.normal = _normal
    F.dropout = _dropout_same_mask
    F.scaled_dot_product_attention = _sdpa_same_mask
    # dynamo cannot trace the replacements above (they call pyfront): the reference runs the compiled
    # model eagerly, which is what compiling must not change
    torch.compile = lambda model=None, **kw: model if model is not None else (lambda m: m)
    torch._VF.feature_dropout = _feature_dropout_same_mask
    # torch's own modules that bound a source at import (torch/utils/data/dataset.py does
    # `from torch import randperm` for random_split) get the replacement too
    for mod in [m for name, m in sys.modules.items() if name.startswith("torch") and m is not None]:
        for name, orig in originals.items():
            if getattr(mod, name, None) is orig and mod is not torch:
                setattr(mod, name, getattr(torch, name))


if __name__ == "__main__":
    install()
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    sys.path[0] = str(Path(script).resolve().parent)
    runpy.run_path(script, run_name="__main__")

"""``torch.func.vmap`` (``torch.vmap``): map a function over a dimension of its inputs.

pyfront has no batched tensors: ``vmap`` calls ``func`` once per index of the mapped dimension, on each input
with that dimension selected away (a view, as torch's BatchedTensor is), and stacks the outputs at
``out_dims``. Results, shapes, argument checks and their messages are torch 2.13's
(``torch/_functorch/vmap.py``). What differs: speed (a loop; torch runs each op once over the batch), and
``func``'s Python side effects (a list append, a print, an in-place op on an unbatched tensor with an
unbatched value) happen once per sample where torch's happen once. Which tensors are one value per sample
(torch's BatchedTensor) is tracked: each sample's slices are marked, and so is what an op computes from a
marked tensor (``Tensor._batched``, a bit per vmap level), so the refusals torch makes for batched tensors
only (``.item()``, data-dependent control flow, ``nonzero``, an in-place write of a batched value into an
unbatched tensor) are made for those only. ``randomness`` is kept by watching the generators' draws
(``random.VMAP_LEVELS``): ``"error"`` refuses a draw, ``"same"`` rewinds each generator so every sample draws
the numbers the first one drew, ``"different"`` lets each sample draw on.
"""
from __future__ import annotations

import functools

from .. import random as _random
from ..autograd.grad_mode import _state, _vmap_blocks
from ..tensor import Tensor
from ..utils._pytree import _broadcast_to_and_flatten, tree_flatten, tree_unflatten

_RANDOM_IN_ERROR_MODE = ("vmap: called random operation while in randomness error mode. Please either use "
                         "the 'same' or 'different' randomness flags on vmap or perform the randomness "
                         "operation out of vmap")


def _get_name(func) -> str:
    if hasattr(func, "__name__"):
        return func.__name__
    if isinstance(func, functools.partial):
        return f"functools.partial({_get_name(func.func)}, ...)"
    return repr(func)


def _check_randomness_arg(randomness) -> None:
    if randomness not in ("error", "different", "same"):
        raise RuntimeError("Only allowed values for randomness are 'error', 'different', or 'same'. Got "
                           f"{randomness}")


class RandomnessLevel:
    """One vmap (or jacfwd) call's ``randomness`` rule, told of every draw while it runs on this thread."""

    def __init__(self, randomness: str):
        self.randomness, self.starts = randomness, {}

    def on_draw(self, generator) -> None:
        if self.randomness == "error":
            raise RuntimeError(_RANDOM_IN_ERROR_MODE)
        if self.randomness == "same":
            self.starts.setdefault(generator, generator._offset)

    def next_sample(self) -> None:
        for generator, start in self.starts.items():  # "same": this sample draws what the first one drew
            generator._offset = start

    def __enter__(self):
        stack = getattr(_random.VMAP_LEVELS, "stack", None)
        if stack is None:
            stack = _random.VMAP_LEVELS.stack = []
        stack.append(self)
        return self

    def __exit__(self, *exc):
        _random.VMAP_LEVELS.stack.remove(self)


def _process_batched_inputs(in_dims, args, func):
    name = _get_name(func)
    if not isinstance(in_dims, (int, tuple)):
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): expected `in_dims` to be int or a "
                         "(potentially nested) tuple matching the structure of inputs, got: "
                         f"{type(in_dims)}.")
    if len(args) == 0:
        raise ValueError(f"vmap({name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are "
                         "trying to vmap over a function with no inputs. The latter is unsupported.")
    flat_args, args_spec = tree_flatten(args)
    flat_in_dims = _broadcast_to_and_flatten(in_dims, args_spec)
    if flat_in_dims is None:
        raise ValueError(f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): in_dims is not compatible with "
                         f"the structure of `inputs`. in_dims has structure {tree_flatten(in_dims)[1]} but "
                         f"inputs has structure {args_spec}.")
    where = f"vmap({name}, in_dims={in_dims}, ...)(<inputs>): Got in_dim="
    for i, (arg, in_dim) in enumerate(zip(flat_args, flat_in_dims)):
        if not isinstance(in_dim, int) and in_dim is not None:
            raise ValueError(f"{where}{in_dim} for an input but in_dim must be either an integer dimension "
                             "or None.")
        if isinstance(in_dim, int) and not isinstance(arg, Tensor):
            raise ValueError(f"{where}{in_dim} for an input but the input is of type {type(arg)}. We cannot "
                             "vmap over non-Tensor arguments, please use None as the respective in_dim")
        if in_dim is not None and not -arg.dim() <= in_dim < arg.dim():
            n = arg.dim()
            raise ValueError(f"{where}{in_dim} for some input, but that input is a Tensor of dimensionality "
                             f"{n} so expected in_dim to satisfy -{n} <= in_dim < {n}.")
        if in_dim is not None and in_dim < 0:
            flat_in_dims[i] = in_dim % arg.dim()
    sizes = [arg.size(d) for d, arg in zip(flat_in_dims, flat_args) if d is not None]
    if not sizes:
        raise ValueError("vmap: Expected at least one Tensor to vmap over")
    if any(s != sizes[0] for s in sizes):
        raise ValueError("vmap: Expected all tensors to have the same size in the mapped dimension, got "
                         f"sizes {sizes} for the mapped dimension")
    return sizes[0], flat_in_dims, flat_args, args_spec


def _check_out_dims(out_dims, func) -> None:
    if isinstance(out_dims, int):
        return
    for leaf in tree_flatten(out_dims)[0]:
        if not (leaf is None or isinstance(leaf, int)):
            raise ValueError(f"vmap({_get_name(func)}, ..., out_dims={out_dims}): `out_dims` must be an int, "
                             "None or a python collection of ints representing where in the outputs the "
                             "vmapped dimension should appear.")


def _flat_out_dims(out_dims, first_output, out_spec, func):
    if isinstance(first_output, Tensor):  # torch's edge case: a lone Tensor takes out_dims=(d,) too
        if isinstance(out_dims, int) or out_dims is None:
            return [out_dims]
        if isinstance(out_dims, tuple) and len(out_dims) == 1:
            return list(out_dims)
        flat = None
    else:
        flat = _broadcast_to_and_flatten(out_dims, out_spec)
    if flat is None:
        raise ValueError(f"vmap({_get_name(func)}, ..., out_dims={out_dims})(<inputs>): out_dims is not "
                         "compatible with the structure of `outputs`. out_dims has structure "
                         f"{tree_flatten(out_dims)[1]} but outputs has structure {out_spec}.")
    return flat


def _batched(t, bit):
    t._batched = t._batched | bit  # torch's BatchedTensor at this level (and any its argument was at)
    return t


def _sample(flat_args, flat_in_dims, index, bit):
    return [arg if d is None else _batched(arg.select(d, index), bit)
            for arg, d in zip(flat_args, flat_in_dims)]


def _empty_sample(flat_args, flat_in_dims, bit):
    """A sample of a zero-size batch: zeros of one sample's shape, to learn the outputs' shapes from."""
    return [arg if d is None else _batched(arg.new_zeros(arg.shape[:d] + arg.shape[d + 1:]), bit)
            for arg, d in zip(flat_args, flat_in_dims)]


def _alike(a, b) -> bool:
    """Whether two samples' outputs are one unbatched value (pyfront cannot see batching, only values)."""
    from ..ops.composite.math import equal
    if a is b or not isinstance(a, Tensor):
        return True
    return isinstance(b, Tensor) and a.shape == b.shape and equal(a, b)


def _vmap_call(func, in_dims, out_dims, randomness, args, kwargs):
    from ..ops.composite.shaping import stack
    _check_out_dims(out_dims, func)
    batch_size, flat_in_dims, flat_args, args_spec = _process_batched_inputs(in_dims, args, func)
    name = _get_name(func)
    outputs = []
    bit = 1 << _state.vmaps  # this vmap's level among those running on this thread (Tensor._batched)
    _state.transforms += 1  # read by the refusals torch makes inside vmap (Tensor.item, bool, backward...)
    _state.vmaps += 1
    _vmap_blocks[0] += 1
    _state.vmap_sizes.append(batch_size)
    innermost, _state.vmap_innermost = _state.vmap_innermost, True
    try:
        with RandomnessLevel(randomness) as level:
            if batch_size == 0:
                outputs.append(func(*tree_unflatten(_empty_sample(flat_args, flat_in_dims, bit), args_spec),
                                    **kwargs))
            for index in range(batch_size):
                level.next_sample()
                sample = tree_unflatten(_sample(flat_args, flat_in_dims, index, bit), args_spec)
                outputs.append(func(*sample, **kwargs))
    finally:
        _state.transforms -= 1
        _state.vmaps -= 1
        _vmap_blocks[0] -= 1
        _state.vmap_sizes.pop()
        _state.vmap_innermost = innermost
    flat_first, out_spec = tree_flatten(outputs[0])
    flat_outputs = [tree_flatten(out)[0] for out in outputs]
    result = []
    for i, out_dim in enumerate(_flat_out_dims(out_dims, outputs[0], out_spec, func)):
        if out_dim is None:  # an unbatched output: every sample returned it alike, and none computed it
            if any(isinstance(out[i], Tensor) and out[i]._batched & bit or not _alike(out[i], flat_first[i])
                   for out in flat_outputs):
                raise ValueError(f"vmap({name}, ...): `{name}` can not return a BatchedTensor when out_dim "
                                 "is None")
            result.append(flat_first[i])
            continue
        if not isinstance(flat_first[i], Tensor):
            raise ValueError(f"vmap({name}, ...): `{name}` must only return Tensors, got type "
                             f"{type(flat_first[i])}. Did you mean to set out_dims= to None for output?")
        per_sample = [flat[i] for flat in flat_outputs]
        stacked = stack(per_sample, dim=out_dim)
        stacked._batched &= ~bit  # outside this vmap, one value (batched still at the levels around it)
        result.append(stacked.narrow(out_dim % stacked.dim(), 0, 0) if batch_size == 0 else stacked)
    return tree_unflatten(result, out_spec)


def vmap(func, in_dims=0, out_dims=0, randomness="error", *, chunk_size=None):
    r"""``func`` mapped over a dimension of its inputs: ``vmap(f)(x)[i] == f(x[i])``.

    Args:
        func (callable): takes Tensors (or nested tuples/lists/dicts of them) and returns the same.
        in_dims (int or nested tuple): the mapped dimension of each input, None for an input passed whole
            to every call. Default: 0
        out_dims (int or nested tuple): where the mapped dimension goes in each output, None for an output
            that does not depend on the mapped inputs. Default: 0
        randomness (str): ``"error"`` (a random op inside raises), ``"different"`` (each sample draws its
            own numbers) or ``"same"`` (every sample draws the same numbers). Default: ``"error"``
        chunk_size (int, optional): torch's memory bound on how many samples run at once; pyfront runs one
            sample at a time whatever it is. Must be None or positive.

    Raises ValueError / RuntimeError with torch's messages for in_dims or out_dims that do not match the
    inputs or outputs, mapped sizes that differ, a non-Tensor output with an int out_dim, or a bad
    ``randomness`` / ``chunk_size``. As in torch, on a tensor computed from a mapped input (a batched one)
    ``.item()``, ``bool()`` (data-dependent control flow), ``.tolist()``, ``nonzero()`` and boolean-mask
    indexing raise, and so does an in-place op writing one into a tensor that is not (a captured one, an
    ``in_dims=None`` input) and an ``out_dims=None`` output computed from one (or whose samples' values
    differ); ``backward()`` and ``requires_grad_()`` raise on every tensor. Differences left by running
    ``func`` once per sample: an in-place op on an unbatched tensor with an unbatched value runs once per
    sample (torch: once), and a batched value pyfront computes outside its ops (by hand from data read out)
    is not known as batched.
    """
    _check_randomness_arg(randomness)
    if not (chunk_size is None or chunk_size > 0):
        raise ValueError(f"vmap: chunk_size should be None or greater than 0. (got {chunk_size})")

    @functools.wraps(func)
    def wrapped(*args, **kwargs):
        return _vmap_call(func, in_dims, out_dims, randomness, args, kwargs)

    return wrapped

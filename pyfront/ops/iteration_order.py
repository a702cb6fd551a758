"""An in-place elementwise op whose operand reads memory the op writes, in torch's order.

torch refuses an operand that partly overlaps the written tensor where it can tell (a dense view:
Tensor._check_no_partial_overlap). Where it cannot, a strided or expanded view of the same memory
(``x.mul_(x.diagonal())``, ``x.add_(x[:, :1])``), its CPU loop writes the elements one by one in the
output's memory order, so an operand element whose place was written earlier in that order reads the new
value. pyfront's kernels read every operand before they write, so here the op is computed again, each round
reading the values the round before wrote wherever torch's loop would have written them first, until
nothing changes: as many rounds as the longest chain of such reads (one for a diagonal or a column). (torch's
vectorized loop reads a broadcast operand once per run of 2 vectors of elements, 16 or more floats: for rows
that long its result depends on the CPU's vector width, and this gives the element-by-element one.)
"""
from __future__ import annotations

from .. import dtypes as dt
from ..autograd.grad_mode import no_grad
from ..shape import extent
from ..tensor import Tensor, _overlap_status
from .registry import OPS

# the in-place ops, beyond the registry's elementwise ones, whose result element i reads element i of each
# operand only (ldexp is not one: torch computes its 2 ** other into a new tensor first)
_ELEMENTWISE = frozenset("true_divide divide multiply subtract arctan2 lerp addcmul addcdiv clamp_min "
                         "clamp_max clip heaviside".split())


def applies(name: str) -> bool:
    op = OPS.get(name)
    return name in _ELEMENTWISE or op is not None and op.kind == "elementwise"


def reread(self: Tensor, fn, args: tuple, kwargs: dict, new: Tensor) -> None:
    """Give ``new`` (``fn(self, *args, **kwargs)``, about to be written into ``self``) the values torch's
    loop writes, where an operand among ``args``/``kwargs`` reads ``self``'s memory in a way torch cannot
    tell apart (see the module's doc). Its history stays the op's own, as torch's node is."""
    names = [*range(len(args)), *kwargs]
    values = [*args, *kwargs.values()]
    shared = [i for i, a in enumerate(values) if isinstance(a, Tensor) and a._storage is self._storage
              and a is not self and a.numel() and _overlap_status(self, a) is None]
    if not shared or not self.numel():
        return
    from . import creation
    with no_grad():
        reach = max(extent(t._shape, t._strides, t._offset) for t in (self, *(values[i] for i in shared)))
        place = creation.arange(reach, device=self.device)
        mine = place.as_strided(self.shape, self.stride(), self._offset)
        written = creation.zeros(reach, dtype=dt.bool_, device=self.device)
        written[mine.flatten()] = True
        memory = Tensor._make(self._storage, (reach,), self.dtype, (1,), 0).clone()  # as before the write
        reads = {i: values[i].expand(self.shape) for i in shared}
        at = {i: place.as_strided(values[i].shape, values[i].stride(), values[i]._offset).expand(self.shape)
              for i in shared}
        early = {i: written[at[i]] & (at[i] < mine) for i in shared}  # read where torch wrote it first
        if not any(bool(e.any()) for e in early.values()):
            return
        old_self = memory.as_strided(self.shape, self.stride(), self._offset)
        result = new.detach()
        for _ in range(self.numel()):
            now = memory.clone()
            now.as_strided(self.shape, self.stride(), self._offset).copy_(result)
            again = list(values)
            for i in shared:
                again[i] = now[at[i]].where(early[i], reads[i])
            got = fn(old_self, *again[:len(args)], **dict(zip(names[len(args):], again[len(args):])))
            same = (got == result) | (got != got) & (result != result)
            result = got
            if bool(same.all()):
                break
        from ..backends import get_backend
        # its values, and no write counted: new is fresh (a node may have saved it as its output)
        get_backend(new.device).write(new._layout, result.to(new.dtype)._layout)

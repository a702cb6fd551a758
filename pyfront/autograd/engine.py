"""The backward engine: walks the graph once, in dependency order, from the roots."""
from __future__ import annotations

import itertools
import threading
import weakref

from .anomaly_mode import _STATE as _ANOMALY, run_node
from .graph import AccumulateGrad, OpNode, check_torch_saved, release_torch_saved
from .grad_mode import _swap_grad
from ..strides_order import gradient_strides
from ..tensor import Tensor, _dense


def _reduce_to(grad, shape, dtype):
    """Broadcast gradients are summed back to the input's shape here, in one place."""
    if grad.shape != shape:  # (Size is a tuple: no copy of either to compare)
        grad = grad.sum_to_size(shape)
    if grad.dtype is not dtype and dtype.kind in "fc":
        if grad.dtype.is_complex and not dtype.is_complex:  # a real input of a complex op: its gradient is
            grad = grad.real  # the real part, as torch's (the imaginary part is not a direction it can move)
        grad = grad.to(dtype)
    return grad


def _add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if getattr(a, "is_sparse", False):
        return b + a  # as torch's input buffer: a sparse sum so far goes last (sparse + dense is refused)
    return a + b


def _topo_counts(roots):
    """How many edges point at each node reachable from the (distinct) ``roots``, theirs included (0 where
    none does): a node runs once all its consumers have run. Each node's edges are walked once, when it is
    first reached (a root is reached at the start)."""
    counts = dict.fromkeys(roots, 0)
    stack = list(roots)
    while stack:
        for nxt, _ in stack.pop().edges:
            if nxt is not None:
                n = counts.get(nxt)
                if n is None:
                    counts[nxt] = 1
                    stack.append(nxt)
                else:
                    counts[nxt] = n + 1
    return counts


def _needed(roots, counts, wanted):
    """The nodes that lead to one in ``wanted`` (captured or accumulated), the ``wanted`` themselves
    aside: as torch's exec_info, autograd.grad and backward(inputs=) run those and no others (a branch
    that reaches none of the inputs fires none of its hooks)."""
    left, order, stack = dict(counts), [], [n for n in roots if not counts[n]]
    while stack:  # parents before children (Kahn's order), then read backwards
        node = stack.pop()
        order.append(node)
        for nxt, _ in node.edges:
            if nxt is not None:
                left[nxt] -= 1
                if not left[nxt]:
                    stack.append(nxt)
    needed = set()
    for node in reversed(order):
        for nxt, _ in node.edges:
            if nxt is not None and (nxt in needed or nxt in wanted):
                needed.add(node)
                break
    return needed


# torch's ready queue is a priority queue (std::priority_queue, a binary heap) of the nodes whose
# gradients are all in: the one made last (highest sequence number) runs first, and a leaf's
# AccumulateGrad, numbered above every other node, as soon as it is ready. Nodes with equal numbers
# (several AccumulateGrads ready at once) leave in the order that heap's push and pop give them, which
# is neither first-in nor last-in (six leaves of one cat accumulate 0, 2, 5, 4, 1, 3), so the heap
# below moves its elements the same way.
def _push(heap, node):
    heap.append(node)
    _rise(heap, len(heap) - 1, node)


def _rise(heap, hole, node):
    """Put ``node`` at ``hole``, moving it up past parents with a lower number."""
    key = node._seq
    while hole:
        parent = (hole - 1) >> 1
        if heap[parent]._seq >= key:
            break
        heap[hole] = heap[parent]
        hole = parent
    heap[hole] = node


def _pop(heap):
    top, last = heap[0], heap.pop()
    n = len(heap)
    if not n:
        return top
    hole = child = 0
    while child < (n - 1) >> 1:  # the hole sinks to a leaf, down the larger child (the right on a tie)
        child = 2 * child + 2
        if heap[child]._seq < heap[child - 1]._seq:
            child -= 1
        heap[hole] = heap[child]
        hole = child
    if not n & 1 and child == (n - 2) >> 1:
        child = 2 * child + 2
        heap[hole] = heap[child - 1]
        hole = child - 1
    _rise(heap, hole, last)  # then the last element rises from there
    return top


def _sum(prev, g, mine, create_graph):
    """torch's input buffer adding a gradient ``g`` to the ``prev`` ones: into ``prev`` in place where
    only the engine holds it (``mine``) and its elements fill their memory (it keeps its layout), else a
    new sum (its layout the addition's, from both); always a new one where the sum is differentiated."""
    if create_graph or getattr(prev, "is_sparse", False) or getattr(g, "is_sparse", False):
        return _add(prev, g)
    if mine and prev._base is None and _dense(prev) and prev._storage.alone(prev):
        return prev.add_(g)
    return prev + g


# The backward call each thread is in (torch's current graph task: its id and which nodes it runs), for
# register_multi_grad_hook's hooks (one registered during a backward call runs in it too): one object and
# a thread-local write per call
_CURRENT = threading.local()
_TASK_IDS = itertools.count()


class _GraphTask:
    """The nodes one backward call reaches (``counts``) and, where it runs only some (autograd.grad,
    backward(inputs=)), those it runs or captures from."""

    __slots__ = ("id", "counts", "runs", "takes")

    def __init__(self, counts, runs, takes):
        self.id, self.counts, self.runs, self.takes = next(_TASK_IDS), counts, runs, takes

    def will_execute(self, node) -> bool:
        """Whether this call runs ``node`` or captures its gradient (torch's _will_engine_execute_node)."""
        if node not in self.counts:
            return False
        if self.runs is not None and node not in self.runs and node not in self.takes:
            return False
        if type(node) is AccumulateGrad and self.takes and node in self.takes:
            raise RuntimeError("A leaf node was passed to _will_engine_execute_node but we are currently "
                               "running autograd.grad(). This is currently not supported.")
        return True


def current_task():
    """The graph task this thread's backward call runs, or None outside one."""
    return getattr(_CURRENT, "task", None)


def run_backward(roots, root_grads, retain_graph, create_graph, capture=None, accumulate=True):
    """Propagate ``root_grads`` from the ``(node, output_nr)`` pairs in ``roots``, nodes in torch's order.

    ``capture`` maps (node, output_nr) to a slot index: the gradient reaching it is returned in that
    slot (autograd.grad) instead of being accumulated. ``accumulate``: True (every leaf reached), or the
    AccumulateGrad nodes to run (backward(inputs=)); with a capture or a set, only the nodes that lead to
    those run, as torch's.
    """
    captured = [None] * (max(capture.values()) + 1 if capture else 0)
    buffers: dict = {}
    # the gradients the engine made itself and handed to one place only: (node, nr) -> True. Such a
    # gradient may be added into in place (see _sum), or kept by a leaf as its .grad with no copy (see
    # _accumulate); a root gradient, one a node passed on unchanged or to two places, or one user code
    # made (a custom Function's backward, a hook) may be seen elsewhere, so it is not.
    owned: dict = {}
    for (node, nr), g in zip(roots, root_grads):
        buf = buffers.setdefault(node, [None] * node.n_outputs)
        buf[nr] = _add(buf[nr], g)
    root_nodes = list(buffers)
    counts = _topo_counts(root_nodes)
    runs = takes = None  # the nodes to run; those to capture from: node -> ((output_nr, slot), ...)
    if capture or accumulate is not True:
        takes = {}
        for (node, nr), slot in (capture or {}).items():
            takes[node] = takes.get(node, ()) + ((nr, slot),)
        wanted = set(takes) | (set() if accumulate is True or not accumulate else set(accumulate))
        runs = _needed(root_nodes, counts, wanted) | (wanted - set(takes))
        if len(roots) == 1 and type(roots[0][0]) is not AccumulateGrad:  # torch's one root node runs
            runs.add(roots[0][0])
    ready = []
    for node in root_nodes:  # in the order of the roots given (torch's GraphRoot's edges)
        if not counts[node] and (runs is None or node in runs or node in takes):
            _push(ready, node)
    outer, _CURRENT.task = current_task(), _GraphTask(counts, runs, takes)
    previous = _swap_grad(bool(create_graph))  # (set_grad_enabled's switch, without its object)
    try:
        while ready:
            node = ready.pop() if len(ready) == 1 else _pop(ready)
            grads = buffers.pop(node)
            if takes is not None and node in takes:
                if node not in runs:  # captured, not run: its tensor hooks are (torch's order)
                    grads = _tensor_pre_hooks(node, grads)
                    for nr, slot in takes[node]:
                        captured[slot] = grads[nr]
                    continue
                for nr, slot in takes[node]:  # run too: what it is handed, before any hook (never a leaf's)
                    captured[slot] = grads[nr]
            if type(node) is AccumulateGrad:  # its hooks in torch's order: see _accumulate
                _accumulate(node, grads, create_graph, owned.get((node, 0), False))
                continue
            if node._pre_hooks or node._retain:  # (a node's own tuple or dict once one is added)
                grads = _run_pre_hooks(node, grads)
            for g in grads:
                if g is not None:
                    if _ANOMALY["enabled"]:
                        in_grads = run_node(node, grads)
                    else:
                        if node.torch_saved is not None:  # (a composite shown as torch's one node)
                            check_torch_saved(node)
                        in_grads = node.apply(grads)
                    if type(in_grads) is not tuple and not isinstance(in_grads, list):
                        in_grads = (in_grads,)
                    break
            else:
                in_grads = (None,) * len(node.edges)
            if node._hooks:
                in_grads = _post_hooks(node, in_grads, grads)
            for (nxt, nr), g, meta in zip(node.edges, in_grads, node.input_meta):
                if nxt is None or runs is not None and nxt not in runs and nxt not in takes:
                    continue
                n = counts[nxt] - 1
                counts[nxt] = n
                buf = buffers.get(nxt)
                if buf is None:
                    buf = buffers[nxt] = [None] * nxt.n_outputs
                if g is not None:
                    # (a plain Tensor of the input's own shape and dtype, the commonest, asked inline)
                    reduced = g if type(g) is Tensor and g._shape == meta[0] and g.dtype is meta[1] \
                        else _reduce_to(g, *meta)
                    prev = buf[nr]
                    if prev is None:
                        buf[nr] = reduced
                        if n or type(nxt) is AccumulateGrad:  # one may be added to it, or a leaf keep it
                            owned[nxt, nr] = reduced is not g or _made_here(g, in_grads, grads, node)
                    else:
                        buf[nr] = _sum(prev, reduced, owned.get((nxt, nr)), create_graph)
                        owned[nxt, nr] = True  # a new sum, or one the engine alone held
                if not n:
                    if ready:
                        _push(ready, nxt)
                    else:
                        ready.append(nxt)
            # freed once its gradients are passed on: until then _made_here sees what it saved
            if not retain_graph and node.has_saved:
                node.release()
                if node.torch_saved:
                    release_torch_saved(node)
    finally:
        _swap_grad(previous)
        _CURRENT.task = outer
    return captured


def _post_hooks(node, in_grads, grads):
    """torch's post hooks of ``node``: each sees the gradients as its inputs take them (reduced) and the
    ones it was handed, as tuples; what one returns replaces the input gradients."""
    in_grads = tuple(g if g is None else _reduce_to(g, *meta) for g, meta in zip(in_grads, node.input_meta))
    for hook in tuple(node._hooks.values()):  # (a hook may remove itself)
        out = hook(in_grads, tuple(grads))
        if out is not None:
            in_grads = _hook_result(hook, out, tuple(in_grads))
    return in_grads


def _hook_result(hook, out, old):
    """A node hook's returned input gradients ``out`` in place of ``old``, checked as torch's are."""
    if type(out) is not tuple:
        raise TypeError(f"expected tuple, but hook returned '{type(out).__name__}'")
    if len(out) != len(old):
        raise RuntimeError(f"hook '{getattr(hook, '__name__', 'hook')}' has returned an incorrect number of "
                           f"values (got {len(out)}, but expected {len(old)})")
    if any(o is None and n is not None for o, n in zip(old, out)):
        raise RuntimeError("can't replace a None gradient with a non-None value")
    return out


def _made_here(g, in_grads, grads, node) -> bool:
    """Whether the gradient ``g`` among ``node``'s results ``in_grads`` was made by its VJP, so no one
    else sees it: not a gradient passed on (one of ``grads``), nor one given to two inputs, nor a tensor
    the node saved. Only a registry op's VJP and a Function's whose class says so (``fresh_gradients``: a
    Formula's derivative, written in ops as a VJP) are known to return nothing else; a node hook sees them
    all."""
    op = isinstance(node, OpNode)
    if not op and not getattr(getattr(node, "_forward_cls", None), "fresh_gradients", False) or node._hooks:
        return False
    if [x is g for x in in_grads].count(True) != 1:
        return False
    for x in grads:
        if x is g:
            return False
    if not op:  # a Function's saved tensors come back unpacked as other objects: their memory is compared
        return not any(s is not None and s.tensor is not None and s.tensor._storage is g._storage
                       for s, _ in node._saved or ())
    for s in node.saved:
        if s is not None and s.tensor is g:
            return False
    return True


def _tensor_pre_hooks(node, grads):
    """The hooks of the tensors whose gradients ``node`` receives, in the order they were registered (a
    leaf's, for its AccumulateGrad), then retain_grad's: torch's tensor pre-hooks, which run before the
    node's own pre-hooks."""
    if type(node) is AccumulateGrad:
        leaf = node.variable_ref()
        grads = list(grads)
        hooks = leaf._hooks if leaf is not None and grads[0] is not None else ()
        for hook in tuple(hooks.values()) if hooks else ():
            out = hook(grads[0])
            if out is not None:
                grads[0] = out
        return grads
    grads = list(grads)
    for nr, fn in tuple(node._pre_hooks.values()) if node._pre_hooks else ():
        if nr is not None and grads[nr] is not None:
            out = fn(grads[nr])
            if out is not None:
                grads[nr] = out
    if node._retain:
        from ..sparse import contiguous_format  # (once a backward, where a tensor retains its gradient)
    for nr, ref in node._retain.items():
        t = ref()
        if t is not None and grads[nr] is not None:
            # torch's retain_grad hook keeps a contiguous clone (never the flowing gradient, which may be
            # expanded, shared or a conj view), or the sum with the one kept before
            g = grads[nr].clone(memory_format=contiguous_format) if t.grad is None else t.grad + grads[nr]
            t.grad = g.detach() if not g.requires_grad else g
    return grads


def _run_pre_hooks(node, grads):
    return _node_pre_hooks(node, _tensor_pre_hooks(node, grads))


def _node_pre_hooks(node, grads):
    """The hooks registered on ``node`` itself (``register_prehook``): each sees all its output grads."""
    for nr, fn in tuple(node._pre_hooks.values()) if node._pre_hooks else ():
        if nr is None:  # a hook on the node itself sees all its output grads
            out = fn(tuple(grads))
            if out is not None:
                grads = list(out)
    return grads


def _accumulate(node, grads, create_graph, owned=False):
    """A leaf's AccumulateGrad: in torch's order, the leaf's tensor hooks, the node's pre-hooks (seeing what
    those returned), the sum into ``.grad``, the leaf's post-accumulate hooks, then the node's post hooks
    (handed no input gradients and the gradient it took)."""
    leaf = node.variable_ref()
    if leaf is None or grads[0] is None:
        return
    conj_taken = owned
    if leaf._hooks or node._pre_hooks:
        grads, conj_taken = _hooked(node, grads, owned and not create_graph and grads[0].is_conj())
        owned = False  # a hook saw the gradient (and may keep it)
    grad = grads[0]
    old = leaf._grad  # (what .grad reads for a leaf, without the property's non-leaf warning)
    # a plain Tensor is dense: the attribute is asked of other types only (a sparse COO tensor, a subclass)
    if type(grad) is not Tensor and getattr(grad, "is_sparse", False) or \
            old is not None and type(old) is not Tensor and getattr(old, "is_sparse", False):
        _accumulate_sparse(leaf, grad, create_graph)
    elif old is None and create_graph:
        leaf.grad = _fresh_copy(grad, gradient_strides(leaf._shape, leaf._strides, grad._strides))
    elif old is None and grad._strides != leaf._strides and \
            (strides := gradient_strides(leaf._shape, leaf._strides, grad._strides)) is not None:
        # torch's layout contract: a dense leaf's gradient takes its strides (a channels-last weight's
        # too), any other's the contiguous ones
        from ..ops.dispatch import apply_as
        from ..ops.primitives.elementwise import _clone
        leaf.grad = apply_as(_clone, strides, grad.detach())
    elif old is None and owned and not create_graph and grad._layout.whole and grad.grad_fn is None \
            and _seen_by_it_alone(grad):
        # no one else can see this gradient (the engine made it for this leaf alone): it becomes
        # .grad as it is, with no copy (a kernel per parameter per step on a GPU)
        grad = grad if grad._base is None else _unviewed(grad)
        if grad.dtype is leaf.dtype and grad._shape == leaf._shape and \
                grad._storage.device is leaf._storage.device:
            leaf._grad = grad  # what the setter checks, known: the engine reduced it to the leaf's own
        else:
            leaf.grad = grad
    elif old is None and conj_taken and grad.is_conj():
        # torch's AccumulateGrad takes the conj view a conj's node made (grad.conj()) as it is: .grad is a
        # conj view (of its own memory here)
        leaf.grad = grad.detach().conj().clone().conj()
    elif old is None:
        # the incoming gradient may be shared with other leaves (add's VJP passes it on twice), so
        # the leaf gets its own copy, which later in-place updates of .grad cannot leak out of
        leaf.grad = grad.detach().clone()
    elif create_graph:
        leaf.grad = old + grad  # out of place, so the graph of the sum is kept (torch's AccumulateGrad)
    else:
        # in place, as torch's AccumulateGrad (``variable.grad += new_grad``): whoever holds ``.grad``
        # (an optimizer, ``grads = [p.grad for p in params]``) sees the sum; an expanded ``.grad`` the
        # user set is refused as any in-place write into it. Detached where that cuts a history or a subclass:
        # a plain gradient without either is added as it is (no alias made per leaf per step)
        old.add_(grad if type(grad) is Tensor and not grad._requires_grad else grad.detach())
    for hook in tuple(leaf._post_accumulate_hooks.values()) if leaf._post_accumulate_hooks else ():
        out = hook(leaf)
        if out is not None:  # torch's two checks: the hook wrapper's type test, then AccumulateGrad's
            if not isinstance(out, Tensor):
                raise TypeError(f"expected Variable, but hook returned '{type(out).__name__}'")
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")
    for hook in tuple(node._hooks.values()) if node._hooks else ():
        hook((), (grad,))


def _hooked(node, grads, conj):
    """``grads`` after a leaf's tensor hooks and its node's pre-hooks; and whether the conj view they got
    (``conj``: one its leaf may take) came back unchanged and unkept, which torch's AccumulateGrad then takes
    as it is (.grad a conj view: its reference count shows no hook kept it). The hooks are handed an alias of
    that gradient, whose life tells the same."""
    if not conj:
        return _node_pre_hooks(node, _tensor_pre_hooks(node, grads)), False
    given = grads[0]
    alias = given._view(given._shape, given._strides, given._offset)
    alive = weakref.ref(alias)
    grads = _node_pre_hooks(node, _tensor_pre_hooks(node, [alias, *grads[1:]]))
    if grads[0] is not alias:  # a hook returned another gradient
        return grads, False
    grads[0] = given
    del alias
    return grads, alive() is None


def _fresh_copy(grad, strides):
    """A first gradient under create_graph as torch's AccumulateGrad makes it (clone_obey_contract): a new
    tensor of the layout contract's ``strides`` (None: ``grad``'s own) with ``grad`` copied in, its node a
    CopyBackwards (never the gradient itself, which its giver may change later, nor a conj view)."""
    from ..ops.factories import empty_strided
    fresh = empty_strided(grad._shape, grad._strides if strides is None else strides, dtype=grad.dtype,
                          device=grad.device)
    return fresh.copy_(grad)


def _seen_by_it_alone(grad) -> bool:
    """Whether ``grad``, which reads its whole storage, is the only way to its memory: no other tensor over it
    lives, or only its base, which nothing else holds (a linear layer's weight gradient: TBackward turns the
    transposed matmul result ``(g^T a)^T`` back, a view of a base made in the VJP)."""
    base = grad._base
    if base is None:
        return grad._storage.alone(grad)
    return not grad._storage.exported and base._base is None and base.grad_fn is None \
        and all(t is grad or t is base for t in grad._storage._live())


def _unviewed(grad):
    """``grad``'s memory as a tensor of its own, not a view (torch's .grad never is one); its base dies
    with it."""
    base = grad._base
    if grad._shape == base._shape and grad._strides == base._strides and grad._offset == base._offset \
            and base.dtype is grad.dtype and base._lazy is None and not base._batched \
            and base._counter is None and not base._requires_grad:
        # the view reads its base exactly (a linear layer's weight gradient: the transpose of a transposed
        # product): the base, a plain tensor no one else holds, is that tensor (no new one per layer a step)
        return base
    t = Tensor._make(grad._storage, grad._shape, grad.dtype, grad._strides, grad._offset)
    grad._storage.share(t)
    return t


def _accumulate_sparse(leaf, grad, create_graph):
    """torch's AccumulateGrad where one side is a sparse COO gradient: a first one is kept as it is (its
    indices and values, uncoalesced), or cloned where its values are not contiguous (a ``sum()``'s
    expanded gradient: later sparse additions see contiguous values, as torch's); a sparse one is added
    into a dense ``.grad`` in place, and into a sparse ``.grad`` by sparse addition (still uncoalesced); a
    dense gradient reaching a sparse ``.grad`` makes it dense (``new + old``)."""
    if not create_graph:
        grad = grad.detach()
    if leaf.grad is None:
        leaf.grad = grad if grad._values().is_contiguous() and not create_graph else grad.clone()
    elif create_graph or leaf.grad.is_sparse and not grad.is_sparse:
        leaf.grad = _add(leaf.grad, grad)
    else:
        leaf.grad.add_(grad)

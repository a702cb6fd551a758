"""What a node saves depends on which inputs need a gradient, as torch's: swept over the op table (each op's
first sample), for every tensor input and for the sets of inputs that require grad that tell saves apart
(all; all but the written one; each one alone), that input is written in place after the forward (under
no_grad: its version moves, its values do not) and the backward runs. torch fails it exactly where its node
saved that input for a gradient it computes (``F.linear(x, W, b)`` with x not requiring grad keeps x, not
W: ``W.add_(1)`` then runs); pyfront must give the same outcome and text. The differences left are listed
below, each with its reason; the test fails if the set changes either way (a fix takes its line out)."""
import warnings

import numpy as np
import torch
from optable import _resolve, _values, entries, laid_out

import pyfront
from pyfront.ops.samples import T

# later samples swept too, every input written: one per kind of difference a sweep of every sample found
# (batch_norm's running statistics while training, an empty batch; instance_norm's repeated weight and
# running statistics; group_norm's contiguous copy of a transposed input; padding='same''s padded copy;
# a loss's broadcast operands, weighted huber's kernel, binary_cross_entropy's expanded weight,
# cross_entropy's class weight view, poisson_nll's Stirling term; empty attention; embedding_bag's indices,
# offsets and per-sample weights; scatter_reduce's legacy max and wide src; cdist's matmul form;
# nanmedian along a dim; a 1-d linear weight's view; cosine_similarity's broadcast views)
LATER = {"nn.functional.batch_norm": (1, 5), "nn.functional.instance_norm": (1, 3),
         "nn.functional.group_norm": (3,), "nn.functional.conv2d": (4,), "nn.functional.conv3d": (3,),
         "nn.functional.mse_loss": (7,), "nn.functional.huber_loss": (10,),
         "nn.functional.binary_cross_entropy": (3,), "nn.functional.cross_entropy": (14,),
         "nn.functional.poisson_nll_loss": (2,), "nn.functional.scaled_dot_product_attention": (12, 14),
         "nn.functional.embedding_bag": (4, 6, 12), "scatter_reduce": (14, 19), "cdist": (12,),
         "nanmedian": (5,), "nn.functional.linear": (7,), "remainder": (8,),
         "nn.functional.cosine_similarity": (1,), "nn.functional.avg_pool1d": (3,)}
# "op grads written" (grads: the inputs that require grad, by position or keyword) -> why it differs
KNOWN: dict = {}


def _outcome(lib, sample, domain, torch_name, grads, written):
    """What the backward does after ``written`` was written in place: "ran", the error, or None where the
    op records no graph (or refuses the sample: the op table compares that)."""
    rng = np.random.default_rng(0)
    bases = {}

    def made(key, spec):
        if not isinstance(spec, T):
            return spec
        bases[key] = lib.tensor(_values(spec, domain, rng), requires_grad=key in grads)
        return laid_out(bases[key], spec)
    args, kwargs = sample
    args = [made(k, a) for k, a in enumerate(args)]
    kwargs = {k: made(k, v) for k, v in kwargs.items()}
    try:
        out = _resolve(lib, torch_name)(*args, **kwargs)
    except Exception:  # noqa: BLE001 (a sample refused)
        return None
    outs = [o for o in (out if isinstance(out, (tuple, list)) else (out,))
            if isinstance(o, (torch.Tensor, pyfront.Tensor)) and o.requires_grad]
    if not outs:
        return None
    with lib.no_grad():  # a write that keeps the values: only the version counter moves
        bases[written].copy_(bases[written].clone())
    try:
        sum(o.abs().sum() if o.is_complex() else o.sum() for o in outs).backward()
    except Exception as e:  # noqa: BLE001 (any error is the outcome compared: a crash shows up as one)
        return type(e).__name__, str(e)
    return "ran"


def _grad_sets(differentiable, written):
    """The sets of inputs that require grad tried for a write of ``written``."""
    sets = {tuple(differentiable), tuple(d for d in differentiable if d != written)}
    sets.update((d,) for d in differentiable)
    return sorted((s for s in sets if s), key=str)


def _tensor_specs(sample):
    args, kwargs = sample
    return [(k, a) for k, a in (*enumerate(args), *kwargs.items()) if isinstance(a, T)]


def _needing(tensors):
    return [key for key, a in tensors if a.grad and a.dtype.startswith(("float", "complex"))]


def _rows(samples):
    """(sample, the inputs written) swept (every sample would take a minute): the first sample, each input;
    and the first sample with an integer or bool operand beside a differentiable one, that operand (torch's
    node keeps an operand as given, before type promotion: ``x * int_tensor`` keeps the integer tensor)."""
    first = _tensor_specs(samples[0])
    rows = [(samples[0], [k for k, _ in first])]
    for sample in samples[1:]:
        tensors = _tensor_specs(sample)
        needing = _needing(tensors)
        others = [k for k, a in tensors if k not in needing and not a.dtype.startswith(("float", "complex"))]
        if needing and others:
            return rows + [(sample, others)]
    return rows


def _cases():
    for name, torch_name, samples, domain, differentiable in entries(edge=False):
        if not differentiable or not samples:
            continue
        rows = [(f"{name}{'' if k == 0 else ' (mixed)'}", row) for k, row in enumerate(_rows(samples))]
        rows += [(f"{name} #{k}", (samples[k], [key for key, _ in _tensor_specs(samples[k])]))
                 for k in LATER.get(name, ())]
        for shown, (sample, written_ones) in rows:
            needing = _needing(_tensor_specs(sample))
            for written in written_ones:
                for grads in _grad_sets(needing, written):
                    yield shown, torch_name, sample, domain, grads, written


def _differences():
    found = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, torch_name, sample, domain, grads, written in _cases():
            theirs = _outcome(torch, sample, domain, torch_name, grads, written)
            if theirs is None:
                continue
            ours = _outcome(pyfront, sample, domain, torch_name, grads, written)
            if ours != theirs:
                key = f"{name} {','.join(map(str, grads))} {written}"
                found[key] = f"torch: {theirs}\n  pyfront: {ours}"
    return found


def test_saved_as_torch_by_which_inputs_need_grad():
    found = _differences()
    new = {k: v for k, v in found.items() if k not in KNOWN}
    gone = set(KNOWN) - set(found)
    assert not new, "differ from torch:\n" + "\n".join(f"{k}\n  {v}" for k, v in new.items())
    assert not gone, f"now as torch's (take them out of KNOWN): {sorted(gone)}"


def _saved_kinds(lib, sample, domain, torch_name, grads):
    """``_saved_<name> -> whether it is a tensor`` of the first output's node (None: no node)."""
    rng = np.random.default_rng(0)

    def made(key, spec):
        return laid_out(lib.tensor(_values(spec, domain, rng), requires_grad=key in grads), spec) \
            if isinstance(spec, T) else spec
    args, kwargs = sample
    try:
        out = _resolve(lib, torch_name)(*[made(k, a) for k, a in enumerate(args)],
                                        **{k: made(k, v) for k, v in kwargs.items()})
    except Exception:  # noqa: BLE001 (a sample refused)
        return None
    fn = getattr(out[0] if isinstance(out, (tuple, list)) else out, "grad_fn", None)
    if fn is None:
        return None
    tensor = (torch.Tensor, pyfront.Tensor)
    return {k: isinstance(getattr(fn, k), tensor) for k in dir(fn) if k.startswith("_saved_")}


def test_saved_attributes_by_which_inputs_need_grad():
    """Each ``_saved_<name>`` pyfront's node shows is a tensor exactly where torch's is (None where torch's
    node keeps nothing, for a gradient not computed), for the same sets of inputs needing grad."""
    differing, seen = [], set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, torch_name, sample, domain, grads, _ in _cases():
            if (name, grads) in seen:
                continue
            seen.add((name, grads))
            theirs = _saved_kinds(torch, sample, domain, torch_name, grads)
            ours = _saved_kinds(pyfront, sample, domain, torch_name, grads) if theirs else None
            if ours:
                differing += [(name, grads, k) for k, v in ours.items() if k in theirs and v != theirs[k]]
    assert not differing


def _linear(L):
    """The fresh user's find: F.linear's node keeps x for W's gradient, not W (x needs none), W's strides
    for its layout; writing W after the forward leaves the backward to run."""
    x, w, b = L.ones(2, 3), L.ones(4, 3).requires_grad_(), L.ones(4, requires_grad=True)
    y = L.nn.functional.linear(x, w, b)
    fn = y.grad_fn
    shown = {k: getattr(fn, k) for k in dir(fn) if k.startswith("_saved_")}
    shown = {k: v.tolist() if isinstance(v, L.Tensor) else v for k, v in shown.items()}
    with L.no_grad():
        w.mul_(2)
    y.sum().backward()
    return shown, w.grad.tolist(), w.grad.stride(), fn._saved_mat2_sym_strides


def test_linear_keeps_no_weight_where_its_input_needs_no_gradient():
    assert _linear(pyfront) == _linear(torch)


def _multi_output_views(L):
    """A view made by a function of several views (chunk, unbind, split), or a view of one, gets no new
    history once its base was written: reading its grad_fn then refuses, as torch's (multi_head_attention's
    saved ``w_q.t()`` of its packed weight's chunks, read by the backward)."""
    out = []
    for make in (lambda a: a.chunk(3), lambda a: a.unbind(0), lambda a: a.split([1, 2])):
        for view in (lambda outs: outs[-1], lambda outs: outs[-1][0:1], lambda outs: outs[0].t()):
            a = L.ones(3, 2, requires_grad=True).clone()
            v = view(make(a))
            with L.no_grad():
                a.mul_(1)
            try:
                out.append(type(v.grad_fn).__name__)
            except RuntimeError as e:
                out.append(str(e))
    return out


def test_views_of_multi_output_views_refuse_a_new_history():
    assert _multi_output_views(pyfront) == _multi_output_views(torch)

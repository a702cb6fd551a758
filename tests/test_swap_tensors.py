"""torch.utils.swap_tensors and torch.__future__'s switches for nn.Module's conversions: the same script on
torch and on pyfront, comparing what each sees (values, classes, identities, dtypes, errors)."""
import weakref

import torch

import pyfront


def _err(fn):
    try:
        fn()
    except RuntimeError as e:
        return ("RuntimeError", str(e)[:90])
    return "ok"


def _swaps(lib):
    out = []
    a, b = lib.arange(3.0), lib.zeros(2, dtype=lib.int64)
    lib.utils.swap_tensors(a, b)
    out.append((a.tolist(), a.dtype is lib.int64, b.tolist(), b.dtype is lib.float32))
    p, q = lib.ones(2, requires_grad=True), lib.zeros(3)
    (p * 2).sum().backward()
    lib.utils.swap_tensors(p, q)
    out.append((p.requires_grad, p.grad, q.requires_grad, q.grad.tolist(), q.is_leaf))

    class Sub(lib.Tensor):
        pass

    s, t = lib.ones(2).as_subclass(Sub), lib.zeros(1)
    lib.utils.swap_tensors(s, t)
    out.append((type(s).__name__, type(t).__name__, s.tolist(), t.tolist()))
    u, w = lib.ones(1), lib.ones(2)
    ref = weakref.ref(w)
    out.append(_err(lambda: lib.utils.swap_tensors(u, w)))
    del ref
    v = u.view(1)
    out.append(_err(lambda: lib.utils.swap_tensors(u, w)))
    del v
    out.append(_err(lambda: lib.utils.swap_tensors(u, w)))
    r, z = lib.ones(2, requires_grad=True), lib.zeros(2)
    loss = (r * 3).sum()
    lib.utils.swap_tensors(r, z)  # then the graph recorded before refuses to accumulate into it
    out.append(_err(loss.backward))
    return out


def _conversions(lib):
    out = []
    fut = lib.__future__
    for swap, overwrite in ((False, False), (False, True), (True, False), (True, True)):
        fut.set_swap_module_params_on_conversion(swap)
        fut.set_overwrite_module_params_on_conversion(overwrite)
        try:
            m = lib.nn.Linear(2, 3)
            opt = lib.optim.SGD(m.parameters(), lr=0.1)
            m(lib.ones(1, 2)).sum().backward()
            w, g = m.weight, m.weight.grad
            m.double()
            out.append((fut.get_swap_module_params_on_conversion(),
                        fut.get_overwrite_module_params_on_conversion(),
                        m.weight is w, m.weight.grad is g, m.weight.dtype is lib.float64,
                        m.weight.grad.dtype is lib.float64,
                        opt.param_groups[0]["params"][0].dtype is lib.float64,
                        type(m.weight).__name__, m.weight.requires_grad))
        finally:
            fut.set_swap_module_params_on_conversion(False)
            fut.set_overwrite_module_params_on_conversion(False)
    return out


def _held_by_graphs(lib):
    """torch refuses a tensor its live graph holds: each node that saved it as an input counts, and a leaf's
    gradient accumulator while a graph holds it; an output is saved without it, and a backward (or the graph's
    end) lets it go. A plain leaf saved by one node is asked for its gradient edge (torch's error)."""
    swap, out = lib.utils.swap_tensors, []

    def new(requires_grad=True):
        return lib.ones(3, requires_grad=requires_grad)

    class Keep(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    a, b = new(), new()
    z = a * b
    out += [_err(lambda: swap(a, lib.zeros(3))), _err(lambda: swap(lib.zeros(3), b))]
    a = new()
    t = a * 2
    z = t.sin()
    out.append(_err(lambda: swap(t, lib.zeros(3))))  # a non-leaf saved by sin
    a, b = new(requires_grad=False), new()
    z = a * b
    out.append(_err(lambda: swap(a, lib.zeros(3))))  # a plain leaf saved by mul
    a = new()
    z = a * a
    out.append(_err(lambda: swap(a, lib.zeros(3))))  # saved twice
    a = new()
    z = Keep.apply(a)
    out.append(_err(lambda: swap(a, lib.zeros(3))))  # a Function's save_for_backward
    a = new()
    z = a + 1
    v = a[1:]
    out.append(_err(lambda: swap(a, lib.zeros(3))))  # a view and the accumulator
    del v
    a, b = new(), new()
    z = (a * b).sum()
    z.backward(retain_graph=True)
    out.append(_err(lambda: swap(a, lib.zeros(3))))  # a retained graph still holds it
    z.backward()
    out.append(_err(lambda: swap(a, lib.zeros(3))))  # freed by the backward
    a, b = new(), new()
    z = a * b
    del z
    out.append(_err(lambda: swap(a, lib.zeros(3))))  # the graph is gone
    a = new()
    z = a.exp()
    out.append(_err(lambda: swap(z, lib.zeros(3))))  # exp saves its output: not the tensor itself
    return out


def test_swap_tensors_held_by_a_graph_as_torch():
    assert _held_by_graphs(pyfront) == _held_by_graphs(torch)


def test_swap_tensors_as_torch():
    assert _swaps(pyfront) == _swaps(torch)


def test_module_conversion_switches_as_torch():
    assert _conversions(pyfront) == _conversions(torch)

"""Faults of a kind s36 mended, each against torch: an in-place activation through a view shows the view's
regenerated history (AsStridedBackward0 over its base's CopySlices); in-place bindings take torch's
parameters (F.elu_'s scale and input_scale, rrelu_'s generator, torch.X_'s input=); a loss's gradient under
create_graph=True keeps torch's graph (nll_loss, cross_entropy, softmax) or refuses a double backward as
torch's (margin losses, ctc); logsigmoid's backward reads its forward's buffer."""
import pytest
import torch

import pyfront

# torch's in-place activations reached every way: F.<name>_, F.<name>(inplace=True), torch.<name>_
INPLACE_ACTIVATIONS = {
    "F.hardtanh_": lambda L, v: L.nn.functional.hardtanh_(v, -0.5, 0.5),
    "F.hardtanh inplace": lambda L, v: L.nn.functional.hardtanh(v, inplace=True),
    "F.relu6 inplace": lambda L, v: L.nn.functional.relu6(v, inplace=True),
    "F.leaky_relu_": lambda L, v: L.nn.functional.leaky_relu_(v, 0.2),
    "F.leaky_relu inplace": lambda L, v: L.nn.functional.leaky_relu(v, inplace=True),
    "F.elu_": lambda L, v: L.nn.functional.elu_(v, 0.7),
    "F.elu inplace": lambda L, v: L.nn.functional.elu(v, inplace=True),
    "F.selu_": lambda L, v: L.nn.functional.selu_(v),
    "F.selu inplace": lambda L, v: L.nn.functional.selu(v, inplace=True),
    "F.celu_": lambda L, v: L.nn.functional.celu_(v, 0.5),
    "F.celu inplace": lambda L, v: L.nn.functional.celu(v, inplace=True),
    "F.rrelu_": lambda L, v: L.nn.functional.rrelu_(v),
    "F.rrelu inplace": lambda L, v: L.nn.functional.rrelu(v, inplace=True),
    "F.threshold_": lambda L, v: L.nn.functional.threshold_(v, 0.1, 2.0),
    "F.threshold inplace": lambda L, v: L.nn.functional.threshold(v, 0.1, 2.0, inplace=True),
    "F.hardswish inplace": lambda L, v: L.nn.functional.hardswish(v, inplace=True),
    "F.hardsigmoid inplace": lambda L, v: L.nn.functional.hardsigmoid(v, inplace=True),
    "F.silu inplace": lambda L, v: L.nn.functional.silu(v, inplace=True),
    "F.mish inplace": lambda L, v: L.nn.functional.mish(v, inplace=True),
    "torch.selu_": lambda L, v: L.selu_(v),
    "torch.celu_": lambda L, v: L.celu_(v),
    "torch.rrelu_": lambda L, v: L.rrelu_(v),
    "torch.threshold_": lambda L, v: L.threshold_(v, 0.1, 2.0),
    "torch.relu_": lambda L, v: L.relu_(v),
    "nn.Hardtanh module": lambda L, v: L.nn.Hardtanh(inplace=True)(v),
}


@pytest.mark.parametrize("how", list(INPLACE_ACTIVATIONS))
def test_inplace_activation_on_a_view_shows_the_regenerated_view(how):
    def run(L):
        leaf = L.tensor([[0.3, -1.2, 2.5], [-0.4, 0.05, 1.1], [-3.0, 0.7, -0.2], [4.0, -0.6, 0.9]],
                        dtype=L.float64, requires_grad=True)
        x = leaf.clone()
        v = x[1:3]
        out = INPLACE_ACTIVATIONS[how](L, v)
        names = [out is v, type(v.grad_fn).__name__, type(x.grad_fn).__name__,
                 [type(f).__name__ for f, _ in x.grad_fn.next_functions]]
        (x * L.arange(1.0, 13.0, dtype=L.float64).reshape(4, 3)).sum().backward()
        return names, x.detach().numpy(), leaf.grad.numpy()

    got, want = run(pyfront), run(torch)
    assert got[0] == want[0]
    torch.testing.assert_close(torch.from_numpy(got[1]), torch.from_numpy(want[1]))
    torch.testing.assert_close(torch.from_numpy(got[2]), torch.from_numpy(want[2]))


# -- parameters torch's in-place bindings take: F.elu_'s scale and input_scale (aten::elu_), rrelu_'s
# generator, torch.X_'s tensor by its name ``input`` -------------------------------------------------
def _outcome(call):
    try:
        out = call()
    except Exception as e:  # noqa: BLE001 (the error is the outcome compared)
        return type(e).__name__, str(e).split("\n")[0]
    return out.tolist() if hasattr(out, "tolist") else out


ELU_CALLS = {
    "4 positional": lambda F, x: F.elu_(x, 0.5, 1.5, 2.0),
    "3 positional": lambda F, x: F.elu_(x, 0.5, 1.5),
    "keywords": lambda F, x: F.elu_(x, input_scale=2.0, scale=1.5, alpha=0.5),
    "5 positional": lambda F, x: F.elu_(x, 0.5, 1.5, 2.0, 3.0),
    "str scale": lambda F, x: F.elu_(x, 0.5, "a"),
    "str input_scale": lambda F, x: F.elu_(x, 0.5, 1.5, "a"),
    "None scale": lambda F, x: F.elu_(x, scale=None),
    "unknown keyword": lambda F, x: F.elu_(x, inplace=True),
}


@pytest.mark.parametrize("how", list(ELU_CALLS))
def test_elu_inplace_takes_scale_and_input_scale(how):
    def run(L):
        x = L.tensor([[0.3, -1.2, 2.5], [-0.4, 0.0, -3.0]], dtype=L.float64)
        return _outcome(lambda: ELU_CALLS[how](L.nn.functional, x))

    assert run(pyfront) == run(torch)


def test_elu_inplace_scales_recorded_as_torch():
    def run(L):
        leaf = L.tensor([[0.3, -1.2, 2.5], [-0.4, 0.05, -3.0]], dtype=L.float64, requires_grad=True)
        y = leaf * 1
        L.nn.functional.elu_(y, 0.5, 1.5, 2.0)
        fn = y.grad_fn
        saved = [fn._saved_alpha, fn._saved_scale, fn._saved_input_scale]
        (g,) = L.autograd.grad(y, leaf, L.ones_like(y), create_graph=True)
        (gg,) = L.autograd.grad(g.sum(), leaf)
        return type(fn).__name__, saved, type(g.grad_fn).__name__, y.tolist(), g.tolist(), gg.tolist()

    got, want = run(pyfront), run(torch)
    assert got[:3] == want[:3]
    for a, b in zip(got[3:], want[3:]):
        torch.testing.assert_close(torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64))


@pytest.mark.parametrize("where", ["torch", "F"])
def test_rrelu_inplace_takes_a_generator(where):
    def run(L):
        fn = (L if where == "torch" else L.nn.functional).rrelu_
        x = L.tensor([0.3, -1.2, 2.5, -0.4], dtype=L.float64)
        return [_outcome(lambda: fn(x.clone(), 0.1, 0.3, False, None)),
                _outcome(lambda: fn(x.clone(), 0.1, 0.3, False, generator=L.Generator())),
                _outcome(lambda: fn(x.clone(), 0.1, 0.3, False, None, 1))]

    assert run(pyfront) == run(torch)


# torch.X_ (the in-place functions): the arguments each needs besides the tensor
_INPLACE_ARGS = {"clamp_": {"min": -0.5}, "clip_": {"max": 0.5}, "clamp_max_": {"max": 0.5},
                 "clamp_min_": {"min": 0.1}, "fill_": {"value": 2.0}, "logit_": {"eps": 0.1},
                 "threshold_": {"threshold": 0.3, "value": 2.0}, "xlogy_": {"other": 2.0},
                 "round_": {"decimals": 1}, "dropout_": {"p": 0.0, "train": True},
                 "alpha_dropout_": {"p": 0.0, "train": False},
                 "feature_alpha_dropout_": {"p": 0.0, "train": False},
                 "as_strided_": {"size": (2,), "stride": (1,)}, "celu_": {"alpha": 0.5},
                 "nan_to_num_": {"nan": 1.0}, "rrelu_": {"training": False}}
_INTEGER = ("gcd_", "lcm_")
_SKIPPED = ("addmv_", "index_put_", "ldexp_", "resize_as_", "detach_")  # (own tests: their operands)


def _inplace_names():
    from pyfront.ops.methods import TORCH_INPLACE
    return [n for n in TORCH_INPLACE.split() if n not in _SKIPPED and hasattr(torch, n)]


@pytest.mark.parametrize("name", _inplace_names())
def test_torch_inplace_function_takes_its_tensor_as_input(name):
    def run(L):
        if name in _INTEGER:
            x, extra = L.tensor([4, 6, 9]), {"other": L.tensor([2, 4, 6])}
        else:
            x = L.tensor([[0.3, 0.2, 0.5], [0.4, 0.05, 0.1]], dtype=L.float64)
            extra = _INPLACE_ARGS.get(name, {})
        fn = getattr(L, name)
        calls = [lambda: fn(input=x.clone(), **extra), lambda: fn(x.clone(), **extra)]
        if name != "round_":  # (its two overloads: pyfront's parser words self= as an invalid combination)
            calls.append(lambda: fn(self=x.clone(), **extra))
        return [_outcome(call) for call in calls]

    for got, want in zip(run(pyfront), run(torch)):
        if isinstance(want, tuple):  # an error: its type and text
            assert got == want
        else:
            torch.testing.assert_close(torch.tensor(got), torch.tensor(want), equal_nan=True)


# -- a loss's gradient under create_graph=True keeps its graph, as torch's: its node
# (NllLossBackwardBackward0, LogSoftmaxBackwardDataBackward0, ...) with an edge to the scores, and the second
# derivative's values ------------------------------------------------------------------------------------
_CLASSES = [2, 0, 1]
_PROBS = [[0.2, 0.5, 0.1, 0.2], [0.7, 0.1, 0.1, 0.1], [0.1, 0.3, 0.3, 0.3]]
LOSS_CALLS = {
    "nll_loss": lambda L, F, x: F.nll_loss(x, L.tensor(_CLASSES)),
    "nll_loss sum": lambda L, F, x: F.nll_loss(x, L.tensor(_CLASSES), reduction="sum"),
    "nll_loss none": lambda L, F, x: F.nll_loss(x, L.tensor(_CLASSES), reduction="none"),
    "nll_loss ignore_index": lambda L, F, x: F.nll_loss(x, L.tensor(_CLASSES), ignore_index=0),
    "nll_loss weight": lambda L, F, x: F.nll_loss(x, L.tensor(_CLASSES),
                                                  weight=L.tensor([1.0, 2.0, 0.5, 1.0], dtype=L.float64)),
    "nll_loss 5-d": lambda L, F, x: F.nll_loss(x.reshape(1, 3, 2, 1, 2), L.tensor([[[[0, 1]], [[2, 1]]]])),
    "nll_loss 3-d": lambda L, F, x: F.nll_loss(x.reshape(1, 3, 4), L.tensor([[0, 1, 2, 1]])),
    "nll_loss 4-d": lambda L, F, x: F.nll_loss(x.reshape(1, 3, 2, 2), L.tensor([[[0, 1], [2, 1]]])),
    "nll_loss of log_softmax": lambda L, F, x: F.nll_loss(F.log_softmax(x, 1), L.tensor(_CLASSES)),
    "cross_entropy": lambda L, F, x: F.cross_entropy(x, L.tensor(_CLASSES)),
    "cross_entropy weight": lambda L, F, x: F.cross_entropy(
        x, L.tensor(_CLASSES), weight=L.tensor([1.0, 2.0, 0.5, 1.0], dtype=L.float64)),
    "cross_entropy smoothing": lambda L, F, x: F.cross_entropy(x, L.tensor(_CLASSES), label_smoothing=0.1),
    "cross_entropy probabilities": lambda L, F, x: F.cross_entropy(x, L.tensor(_PROBS, dtype=L.float64)),
    "kl_div of log_softmax": lambda L, F, x: F.kl_div(F.log_softmax(x, 1), L.tensor(_PROBS, dtype=L.float64),
                                                      reduction="batchmean"),
    "softmax": lambda L, F, x: (x.softmax(1) * L.arange(12.0, dtype=L.float64).reshape(3, 4)).sum(),
    "softmin": lambda L, F, x: (F.softmin(x, 1) * L.arange(12.0, dtype=L.float64).reshape(3, 4)).sum(),
}


def _node_chain(fn, depth=3):
    names = []
    while fn is not None and len(names) < depth:
        names.append(type(fn).__name__)
        fn = next((f for f, _ in fn.next_functions if f is not None), None)
    return names


@pytest.mark.parametrize("how", list(LOSS_CALLS))
def test_loss_gradient_keeps_its_graph_as_torch(how):
    def run(L):
        x = L.tensor([[0.3, -1.2, 2.5, 0.1], [-0.4, 0.05, 1.1, 0.8], [-3.0, 0.7, -0.2, 0.4]], dtype=L.float64,
                     requires_grad=True)
        loss = LOSS_CALLS[how](L, L.nn.functional, x).sum()
        (g,) = L.autograd.grad(loss, x, create_graph=True)
        shown = [_node_chain(g.grad_fn), [type(f).__name__ for f, _ in g.grad_fn.next_functions]]
        (gg,) = L.autograd.grad((g * L.arange(1.0, 13.0, dtype=L.float64).reshape(3, 4)).sum(), x)
        return shown, g.detach().numpy(), gg.numpy()

    got, want = run(pyfront), run(torch)
    assert got[0] == want[0]
    torch.testing.assert_close(torch.from_numpy(got[1]), torch.from_numpy(want[1]))
    torch.testing.assert_close(torch.from_numpy(got[2]), torch.from_numpy(want[2]))


# -- a recorded logsigmoid's backward reads the forward's buffer exp(-|x|), as torch's kernel: not computed
# again ----------------------------------------------------------------------------------------------------
def test_logsigmoid_backward_reads_the_forward_buffer(monkeypatch):
    from pyfront.ops.primitives import elementwise as ew
    op, seen = ew.log_sigmoid_backward_op, []
    rule = op.numpy
    def counted(np, *arrays):
        seen.append(len(arrays))
        return rule(np, *arrays)

    monkeypatch.setattr(op, "numpy", counted)
    x = pyfront.tensor([-50.0, -3.0, -0.0, 0.7, 60.0, float("inf"), float("nan")], dtype=pyfront.float64,
                       requires_grad=True)
    y = pyfront.nn.functional.logsigmoid(x)
    y.backward(pyfront.ones_like(y))
    assert seen == [3]  # (the gradient, the input, the buffer)
    xt = torch.tensor(x.detach().numpy(), requires_grad=True)
    torch.nn.functional.logsigmoid(xt).sum().backward()
    torch.testing.assert_close(torch.from_numpy(x.grad.numpy()), xt.grad, equal_nan=True)


# the loss kernels torch gives no double backward: the gradient's NotImplemented node over the scores,
# refusing to run (pyfront's composites' gradients had no graph, or a second derivative torch has not)
REFUSED_TWICE = {
    "multi_margin_loss": lambda L, F, x: F.multi_margin_loss(x, L.tensor(_CLASSES)),
    "multi_margin_loss p=2": lambda L, F, x: F.multi_margin_loss(x, L.tensor(_CLASSES), p=2),
    "multilabel_margin_loss": lambda L, F, x: F.multilabel_margin_loss(x, L.tensor([[2, 0, -1, 0]] * 3)),
    "ctc_loss": lambda L, F, x: F.ctc_loss(F.log_softmax(x.reshape(3, 1, 4), 2), L.tensor([[1, 2]]),
                                           L.tensor([3]), L.tensor([2])),
}


@pytest.mark.parametrize("how", list(REFUSED_TWICE))
def test_loss_gradient_refuses_a_double_backward_as_torch(how):
    def run(L):
        x = L.tensor([[0.3, -1.2, 2.5, 0.1], [-0.4, 0.05, 1.1, 0.8], [-3.0, 0.7, -0.2, 0.4]], dtype=L.float64,
                     requires_grad=True)
        (g,) = L.autograd.grad(REFUSED_TWICE[how](L, L.nn.functional, x), x, create_graph=True)
        (plain,) = L.autograd.grad(REFUSED_TWICE[how](L, L.nn.functional, x), x)
        shown = [_node_chain(g.grad_fn), [type(f).__name__ for f, _ in g.grad_fn.next_functions]]
        return shown, _outcome(lambda: L.autograd.grad(g.sum(), x)), g.detach().numpy(), plain.numpy()

    got, want = run(pyfront), run(torch)
    assert got[:2] == want[:2]
    torch.testing.assert_close(torch.from_numpy(got[2]), torch.from_numpy(want[2]))
    torch.testing.assert_close(torch.from_numpy(got[3]), torch.from_numpy(want[3]))


@pytest.mark.parametrize("shape", [(0, 3, 4), (2, 0, 4), (2, 3, 0), (0, 3), (0, 3, 2, 2), (0, 3, 4, 5, 6),
                                   (2, 0, 4, 5, 6), (2, 3, 1, 0, 2), (0, 0)])
@pytest.mark.parametrize("loss", ["nll_loss", "cross_entropy"])
def test_nll_losses_of_an_empty_batch_with_grad(shape, loss):
    """An empty batch (or no classes) with grad: torch's loss and gradient, or its refusal (scores viewed
    as 4-d with an explicit size, -1 being ambiguous for no elements)."""
    def run(L):
        x = L.zeros(shape, requires_grad=True)
        t = L.zeros((shape[0], *shape[2:]), dtype=L.long)
        out = []
        for reduction in ("mean", "sum", "none"):
            try:
                r = getattr(L.nn.functional, loss)(x, t, reduction=reduction)
                r.sum().backward()
                out.append((r.detach().tolist(), tuple(r.shape), tuple(x.grad.shape)))
            except (RuntimeError, IndexError, ValueError) as e:
                out.append((type(e).__name__, str(e)))
        return out
    assert str(run(pyfront)) == str(run(torch))

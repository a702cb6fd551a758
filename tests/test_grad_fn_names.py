"""The graph nodes PyTorch prints: ``grad_fn=<NllLossBackward0>``, ``type(grad_fn).__name__``,
``grad_fn.name()`` and the nodes a tutorial walks through ``next_functions``, for the paths the op
table (which compares every op's node, see optable.assert_same_grad_fn) does not take: methods,
indexing, modules and the tutorials' loss chains, on cpu and webgpu."""
import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

DEVICES = ["cpu", pytest.param("webgpu", marks=requires_webgpu)]


def _leaf(lib, device, *shape):
    data = torch.linspace(-2, 2, int(torch.tensor(shape).prod())).reshape(shape)
    kw = {} if lib is torch else {"device": device}
    return lib.tensor(data.tolist(), **kw).requires_grad_()


def _copy_row(x):
    y = x * 1
    y[0].copy_(x[1] * 3)
    return y


def _mlp_loss(lib, x):
    """The 60-minute blitz: loss.grad_fn is MseLoss, its next the Linear's addmm."""
    lib.manual_seed(0)
    net = lib.nn.Sequential(lib.nn.Linear(4, 5), lib.nn.ReLU(), lib.nn.Linear(5, 2))
    if lib is pyfront:
        net.to(x.device)
    return lib.nn.MSELoss()(net(x), lib.zeros(3, 2, device=x.device))


EXPRS = {
    "select": lambda m, x: x[0], "slice": lambda m, x: x[1:], "index": lambda m, x: x[[0, 2]],
    "mask": lambda m, x: x[x > 0], "t": lambda m, x: x.t(), "T": lambda m, x: x.T,
    "expand": lambda m, x: x[:1].expand(3, 4), "clone": lambda m, x: x.clone(),
    "view": lambda m, x: x.view(12), "reshape_copy": lambda m, x: x.t().reshape(12),
    "flatten": lambda m, x: x.flatten(), "squeeze": lambda m, x: x[:1].squeeze(),
    "chunk": lambda m, x: x.chunk(2)[0], "split_sizes": lambda m, x: x.split([1, 2])[1],
    "unbind": lambda m, x: x.unbind()[0], "stack": lambda m, x: m.stack([x, x]),
    "cat": lambda m, x: m.cat([x, x]),
    "mean": lambda m, x: x.mean(), "mean_dim": lambda m, x: x.mean(1), "sum_dim": lambda m, x: x.sum(1),
    "pow_number": lambda m, x: x ** 2, "number_pow": lambda m, x: 2 ** x, "pow_tensor": lambda m, x: x ** x,
    "rsub": lambda m, x: 1 - x, "square": lambda m, x: x.square(), "repeat": lambda m, x: x.repeat(2, 1),
    "softmax": lambda m, x: x.softmax(1), "matmul": lambda m, x: x @ x.t(),
    "linear": lambda m, x: m.nn.functional.linear(x, x[:2], x[0, :2]),
    "cross_entropy": lambda m, x: m.nn.functional.cross_entropy(x, m.tensor([0, 1, 2], device=x.device)),
    "setitem": lambda m, x: _setitem(x), "mse_chain": _mlp_loss,
    "fill_": lambda m, x: (x * 2).fill_(5.0), "zero_": lambda m, x: (x * 2).zero_(),
    "copy_from_constant": lambda m, x: (x * 2).copy_(x.detach() + 1),
    "copy_from_graph": lambda m, x: x.detach().clone().copy_(x * 2),
    "copy_into_view": lambda m, x: _copy_row(x),
    "leaky_relu_inplace": lambda m, x: m.nn.functional.leaky_relu(x * 1, inplace=True),
    "elu_inplace": lambda m, x: m.nn.functional.elu(x * 1, inplace=True),
    "threshold_inplace": lambda m, x: m.nn.functional.threshold(x * 1, 0.1, 0.0, True),
}


def _setitem(x):
    y = x.clone()
    y[0] = 1.0
    return y


def _walk(fn, depth=3):
    """The names a tutorial prints: the node, then the first of next_functions, ``depth`` times."""
    names = []
    for _ in range(depth):
        if fn is None:
            break
        # the class as printed: torch's C++ nodes are builtins (<class 'AddBackward0'>), a Function's
        # node is torch.autograd.function's (pyfront's in-process)
        names.append((type(fn).__name__, fn.name(), repr(fn).split(" object")[0],
                      str(type(fn)).replace("pyfront.", "torch.")))
        fn = fn.next_functions[0][0] if fn.next_functions else None
    return names


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("key", EXPRS)
def test_grad_fn_as_torch(key, device):
    expected = EXPRS[key](torch, _leaf(torch, "cpu", 3, 4))
    got = EXPRS[key](pyfront, _leaf(pyfront, device, 3, 4))
    assert _walk(got.grad_fn) == _walk(expected.grad_fn)
    assert repr(got).split("grad_fn=")[1] == repr(expected).split("grad_fn=")[1]


def test_printed_loss_and_cpp_node_names():
    x = _leaf(pyfront, "cpu", 3, 5)
    loss = pyfront.nn.functional.cross_entropy(x, pyfront.tensor([0, 1, 2]))
    t_loss = torch.nn.functional.cross_entropy(_leaf(torch, "cpu", 3, 5), torch.tensor([0, 1, 2]))
    assert repr(loss) == repr(t_loss)
    assert x.exp().grad_fn.next_functions[0][0].name() == "torch::autograd::AccumulateGrad"
    assert _setitem(x).grad_fn.name() == "torch::autograd::CopySlices"
    no_grad_op = x // 2  # floor_divide has no derivative: PyTorch records NotImplemented
    assert (type(no_grad_op.grad_fn).__name__, no_grad_op.grad_fn.name()) == (
        type((_leaf(torch, "cpu", 3, 5) // 2).grad_fn).__name__, "torch::autograd::NotImplemented")


def test_once_differentiable_node_is_error():
    def make(lib):
        class Twice(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            @lib.autograd.function.once_differentiable
            def backward(ctx, g):
                return g * 2
        x = _leaf(lib, "cpu", 3)
        g, = lib.autograd.grad(Twice.apply(x), x, lib.ones(3).requires_grad_(), create_graph=True)
        return g.grad_fn
    got, expected = make(pyfront), make(torch)
    assert (type(got).__name__, got.name()) == (type(expected).__name__, expected.name())

"""print(model) in pyfront equals print(model) in torch, for a zoo of models built by the same code."""

from collections import OrderedDict

import pytest
import torch

import pyfront
import pyfront.nn


def custom_classes(nn):
    """Custom modules written once against either framework's ``nn``."""

    class Block(nn.Module):
        def __init__(self, width):
            super().__init__()
            self.fc = nn.Linear(width, width)
            self.act = nn.GELU(approximate="tanh")
            self.scale = nn.Parameter(nn.init.ones_(nn.Linear(1, 1).weight.detach().clone()))

        def forward(self, x):
            return self.act(self.fc(x)) * self.scale

    class WithExtra(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = nn.Sequential(nn.Linear(2, 2), nn.Tanh())

        def extra_repr(self):
            return "alpha=0.5, mode='fast'"

    class MultiLineExtra(nn.Module):
        def extra_repr(self):
            return "first line\nsecond line"

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([Block(4) for _ in range(3)])
            self.heads = nn.ModuleDict({"cls": nn.Linear(4, 10), "reg": nn.Linear(4, 1)})
            self.extra = WithExtra()
            self.multi = MultiLineExtra()
            self.empty = nn.Sequential()
            self.register_buffer("steps", None)

    return Net, WithExtra


def zoo(nn):
    net_cls, extra_cls = custom_classes(nn)
    shared = nn.Linear(3, 3)
    return [
        nn.Linear(3, 4),
        nn.Linear(3, 4, bias=False),
        nn.Bilinear(2, 3, 4),
        nn.Bilinear(2, 3, 4, bias=False),
        nn.Identity(),
        nn.Identity(54, unused="x"),
        nn.Flatten(),
        nn.Flatten(0, 2),
        nn.Unflatten(1, (2, 5)),
        nn.Unflatten(-1, [3, 3]),
        nn.Dropout(),
        nn.Dropout(0.25, inplace=True),
        nn.Dropout2d(0.1),
        nn.Dropout1d(),
        nn.AlphaDropout(0.3),
        nn.Embedding(10, 3),
        nn.Embedding(10, 3, padding_idx=0, max_norm=1.0, norm_type=1.0, scale_grad_by_freq=True, sparse=True),
        nn.ReLU(),
        nn.ReLU(inplace=True),
        nn.ReLU6(),
        nn.ReLU6(True),
        nn.LeakyReLU(),
        nn.LeakyReLU(0.2, True),
        nn.ELU(),
        nn.ELU(alpha=0.5, inplace=True),
        nn.CELU(2.0),
        nn.SELU(),
        nn.SELU(True),
        nn.GELU(),
        nn.GELU("tanh"),
        nn.SiLU(),
        nn.SiLU(True),
        nn.Mish(),
        nn.Hardswish(),
        nn.Hardswish(True),
        nn.Hardsigmoid(),
        nn.Sigmoid(),
        nn.Tanh(),
        nn.Softplus(),
        nn.Softplus(beta=2, threshold=10),
        nn.Softmax(),
        nn.Softmax(dim=1),
        nn.LogSoftmax(-1),
        nn.Softmin(0),
        nn.Softmax2d(),
        nn.PReLU(),
        nn.PReLU(3, 0.1),
        nn.Hardtanh(),
        nn.Hardtanh(-2.0, 2.0, True),
        nn.Threshold(0.1, 20),
        nn.GLU(),
        nn.Softsign(),
        nn.LogSigmoid(),
        nn.Tanhshrink(),
        nn.Softshrink(),
        nn.Hardshrink(1.5),
        nn.MSELoss(),
        nn.L1Loss(reduction="sum"),
        nn.SmoothL1Loss(beta=0.5),
        nn.HuberLoss(delta=2.0),
        nn.CrossEntropyLoss(),
        nn.CrossEntropyLoss(label_smoothing=0.1),
        nn.NLLLoss(),
        nn.BCELoss(),
        nn.BCEWithLogitsLoss(),
        nn.KLDivLoss(reduction="batchmean"),
        nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2), nn.LogSoftmax(dim=1)),
        nn.Sequential(
            OrderedDict(
                [
                    ("fc1", nn.Linear(2, 3)),
                    ("act", nn.Tanh()),
                    ("inner", nn.Sequential(nn.Linear(3, 3), nn.Sequential(nn.Sigmoid()))),
                ]
            )
        ),
        nn.Sequential(shared, shared, nn.ReLU()),
        nn.ModuleList([nn.Linear(2, 2) for _ in range(3)] + [nn.ReLU(), nn.ReLU(), nn.Linear(2, 3)]),
        nn.ModuleList(),
        nn.ModuleList([nn.Sequential(nn.Linear(1, 1), nn.ReLU()) for _ in range(2)]),
        nn.ModuleDict({"a": nn.Linear(1, 2), "b": nn.ModuleList([nn.ReLU()])}),
        nn.ModuleDict(),
        nn.Sequential(),
        net_cls(),
        extra_cls(),
        nn.Sequential(extra_cls(), extra_cls()),
    ]


CASES = list(range(len(zoo(torch.nn))))


@pytest.mark.parametrize("index", CASES)
def test_repr_matches_torch(index):
    expected = repr(zoo(torch.nn)[index])
    assert repr(zoo(pyfront.nn)[index]) == expected
    assert str(zoo(pyfront.nn)[index]) == expected


def test_parameter_containers_repr():
    def build(fw):
        nn = fw.nn
        plist = nn.ParameterList([nn.Parameter(fw.zeros(2, 3)), fw.ones(4)])
        pdict = nn.ParameterDict({"b": nn.Parameter(fw.zeros(2, dtype=fw.float64)), "a": fw.ones(1, 2, 3)})
        return plist, pdict, nn.ParameterList(), nn.ParameterDict()

    for p, t in zip(build(pyfront), build(torch)):
        assert repr(p) == repr(t)


def test_parameter_repr():
    for make in (
        lambda fw: fw.nn.Parameter(fw.arange(3.0)),
        lambda fw: fw.nn.Parameter(fw.ones(2, 2), False),
        lambda fw: fw.nn.Parameter(),
        lambda fw: fw.nn.Parameter(fw.zeros(2, dtype=fw.float64)),
    ):
        assert repr(make(pyfront)) == repr(make(torch))
        assert str(make(pyfront)) == str(make(torch))


def test_model_after_edits_prints_like_torch():
    def build(nn):
        m = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
        m.append(nn.Sigmoid())
        m.insert(1, nn.Dropout(0.1))
        del m[2]
        m.extend([nn.Identity()])
        m[0] = nn.Linear(2, 2, bias=False)
        return m, m[1:3], m[::2]

    for p, t in zip(build(pyfront.nn), build(torch.nn)):
        assert repr(p) == repr(t)

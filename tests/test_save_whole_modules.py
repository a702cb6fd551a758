"""Every nn layer saved whole crosses between torch and pyfront (``save``/``load(weights_only=False)``).

For each class: pyfront saves an instance, torch loads it as its own class (torch's names in the file),
its attributes and their kinds are a torch instance's (RNN's ``_flat_weights``, MultiheadAttention's
``out_proj`` class, TransformerEncoderLayer's ``activation`` function, a conv's padding tuple, a lazy
layer's buffer marks), and its forward gives pyfront's output on the same input; then the reverse.
"""
import inspect
import io
import sys

import numpy as np
import pytest
import torch

import pyfront

def R(*shape, seed=0, low=None):
    a = np.random.default_rng(seed + len(shape)).standard_normal(shape).astype(np.float32)
    return np.abs(a) + 0.1 if low == "pos" else a


def P(*shape):  # probabilities
    return 1 / (1 + np.exp(-R(*shape, seed=3)))


def ints(high, *shape):
    return np.random.default_rng(5).integers(0, high, shape).astype(np.int64)


def _act(n, *a):
    return (lambda nn: getattr(nn, n)(*a), lambda: [R(2, 3, 4)])


LAYERS = {
    **{n: _act(n) for n in "CELU ELU GELU Hardshrink Hardsigmoid Hardswish Hardtanh Identity LeakyReLU "
       "LogSigmoid Mish ReLU ReLU6 SELU SiLU Sigmoid Softplus Softshrink Softsign Tanh Tanhshrink "
       "Softmax2d".split()},
    "GLU": (lambda nn: nn.GLU(), lambda: [R(2, 4)]),
    "LogSoftmax": (lambda nn: nn.LogSoftmax(1), lambda: [R(2, 3, 4)]),
    "Softmax": (lambda nn: nn.Softmax(-1), lambda: [R(2, 3, 4)]),
    "Softmin": (lambda nn: nn.Softmin(0), lambda: [R(2, 3, 4)]),
    "Threshold": (lambda nn: nn.Threshold(0.1, 20.0), lambda: [R(2, 3, 4)]),
    "PReLU": (lambda nn: nn.PReLU(3), lambda: [R(2, 3, 4)]),
    "RReLU": (lambda nn: nn.RReLU(), lambda: [R(2, 3, 4)]),
    "AdaptiveAvgPool1d": (lambda nn: nn.AdaptiveAvgPool1d(3), lambda: [R(2, 3, 7)]),
    "AdaptiveAvgPool2d": (lambda nn: nn.AdaptiveAvgPool2d((2, 3)), lambda: [R(2, 3, 5, 7)]),
    "AdaptiveAvgPool3d": (lambda nn: nn.AdaptiveAvgPool3d(2), lambda: [R(1, 2, 4, 5, 6)]),
    "AdaptiveMaxPool1d": (lambda nn: nn.AdaptiveMaxPool1d(3), lambda: [R(2, 3, 7)]),
    "AdaptiveMaxPool2d": (lambda nn: nn.AdaptiveMaxPool2d((2, 3)), lambda: [R(2, 3, 5, 7)]),
    "AdaptiveMaxPool3d": (lambda nn: nn.AdaptiveMaxPool3d(2), lambda: [R(1, 2, 4, 5, 6)]),
    "AvgPool1d": (lambda nn: nn.AvgPool1d(3, 2, 1), lambda: [R(2, 3, 7)]),
    "AvgPool2d": (lambda nn: nn.AvgPool2d(3, 2, 1, ceil_mode=True), lambda: [R(2, 3, 6, 7)]),
    "AvgPool3d": (lambda nn: nn.AvgPool3d(2), lambda: [R(1, 2, 4, 4, 4)]),
    "MaxPool1d": (lambda nn: nn.MaxPool1d(3, 2, 1), lambda: [R(2, 3, 7)]),
    "MaxPool2d": (lambda nn: nn.MaxPool2d(3, 2, 1, dilation=1), lambda: [R(2, 3, 6, 7)]),
    "MaxPool3d": (lambda nn: nn.MaxPool3d(2), lambda: [R(1, 2, 4, 4, 4)]),
    "LPPool1d": (lambda nn: nn.LPPool1d(2, 3), lambda: [R(2, 3, 7, low="pos")]),
    "LPPool2d": (lambda nn: nn.LPPool2d(2, 2), lambda: [R(2, 3, 6, 6, low="pos")]),
    "LPPool3d": (lambda nn: nn.LPPool3d(2, 2), lambda: [R(1, 2, 4, 4, 4, low="pos")]),
    "MaxUnpool1d": (lambda nn: nn.MaxUnpool1d(2), lambda: [R(1, 1, 3), np.array([[[1, 2, 5]]])]),
    "MaxUnpool2d": (lambda nn: nn.MaxUnpool2d(2), lambda: [R(1, 1, 2, 2), np.array([[[[0, 3], [9, 14]]]])]),
    "MaxUnpool3d": (lambda nn: nn.MaxUnpool3d(2), lambda: [R(1, 1, 1, 1, 2), np.array([[[[[0, 3]]]]])]),
    "AlphaDropout": (lambda nn: nn.AlphaDropout(0.3), lambda: [R(2, 3, 4)]),
    "FeatureAlphaDropout": (lambda nn: nn.FeatureAlphaDropout(0.3), lambda: [R(2, 3, 4)]),
    "Dropout": (lambda nn: nn.Dropout(0.3), lambda: [R(2, 3, 4)]),
    "Dropout1d": (lambda nn: nn.Dropout1d(0.3), lambda: [R(2, 3, 4)]),
    "Dropout2d": (lambda nn: nn.Dropout2d(0.3), lambda: [R(2, 3, 4, 4)]),
    "Dropout3d": (lambda nn: nn.Dropout3d(0.3), lambda: [R(2, 3, 2, 4, 4)]),
    "BatchNorm1d": (lambda nn: nn.BatchNorm1d(3), lambda: [R(4, 3)]),
    "BatchNorm2d": (lambda nn: nn.BatchNorm2d(3, momentum=None), lambda: [R(2, 3, 4, 4)]),
    "BatchNorm3d": (lambda nn: nn.BatchNorm3d(2, affine=False), lambda: [R(2, 2, 2, 3, 3)]),
    "LazyBatchNorm1d": (lambda nn: nn.LazyBatchNorm1d(), lambda: [R(4, 3)]),
    "LazyBatchNorm2d": (lambda nn: nn.LazyBatchNorm2d(), lambda: [R(2, 3, 4, 4)]),
    "LazyBatchNorm3d": (lambda nn: nn.LazyBatchNorm3d(), lambda: [R(2, 2, 2, 3, 3)]),
    "InstanceNorm1d": (lambda nn: nn.InstanceNorm1d(3, affine=True), lambda: [R(2, 3, 5)]),
    "InstanceNorm2d": (lambda nn: nn.InstanceNorm2d(3, track_running_stats=True), lambda: [R(2, 3, 4, 4)]),
    "InstanceNorm3d": (lambda nn: nn.InstanceNorm3d(2), lambda: [R(2, 2, 2, 3, 3)]),
    "LazyInstanceNorm1d": (lambda nn: nn.LazyInstanceNorm1d(affine=True), lambda: [R(2, 3, 5)]),
    "LazyInstanceNorm2d": (lambda nn: nn.LazyInstanceNorm2d(), lambda: [R(2, 3, 4, 4)]),
    "LazyInstanceNorm3d": (lambda nn: nn.LazyInstanceNorm3d(), lambda: [R(2, 2, 2, 3, 3)]),
    "GroupNorm": (lambda nn: nn.GroupNorm(2, 4), lambda: [R(2, 4, 3)]),
    "LayerNorm": (lambda nn: nn.LayerNorm([3, 4]), lambda: [R(2, 3, 4)]),
    "RMSNorm": (lambda nn: nn.RMSNorm(4), lambda: [R(2, 3, 4)]),
    "LocalResponseNorm": (lambda nn: nn.LocalResponseNorm(2), lambda: [R(2, 3, 4, 4)]),
    "Linear": (lambda nn: nn.Linear(4, 3), lambda: [R(2, 4)]),
    "LazyLinear": (lambda nn: nn.LazyLinear(3), lambda: [R(2, 4)]),
    "Bilinear": (lambda nn: nn.Bilinear(2, 3, 4), lambda: [R(5, 2), R(5, 3)]),
    "Conv1d": (lambda nn: nn.Conv1d(2, 4, 3, padding="same", padding_mode="reflect"), lambda: [R(2, 2, 7)]),
    "Conv2d": (lambda nn: nn.Conv2d(2, 4, 3, stride=2, groups=2), lambda: [R(1, 2, 7, 7)]),
    "Conv3d": (lambda nn: nn.Conv3d(2, 2, 2, padding=1, padding_mode="circular"), lambda: [R(1, 2, 3, 3, 3)]),
    "ConvTranspose1d": (lambda nn: nn.ConvTranspose1d(2, 3, 3, stride=2), lambda: [R(2, 2, 5)]),
    "ConvTranspose2d": (lambda nn: nn.ConvTranspose2d(2, 3, 3, output_padding=1, stride=2),
                        lambda: [R(1, 2, 4, 4)]),
    "ConvTranspose3d": (lambda nn: nn.ConvTranspose3d(2, 2, 2), lambda: [R(1, 2, 2, 3, 3)]),
    "LazyConv1d": (lambda nn: nn.LazyConv1d(4, 3), lambda: [R(2, 2, 7)]),
    "LazyConv2d": (lambda nn: nn.LazyConv2d(4, 3), lambda: [R(2, 2, 5, 5)]),
    "LazyConv3d": (lambda nn: nn.LazyConv3d(2, 2), lambda: [R(1, 2, 3, 3, 3)]),
    "LazyConvTranspose1d": (lambda nn: nn.LazyConvTranspose1d(3, 3), lambda: [R(2, 2, 5)]),
    "LazyConvTranspose2d": (lambda nn: nn.LazyConvTranspose2d(3, 3), lambda: [R(1, 2, 4, 4)]),
    "LazyConvTranspose3d": (lambda nn: nn.LazyConvTranspose3d(2, 2), lambda: [R(1, 2, 2, 3, 3)]),
    "Embedding": (lambda nn: nn.Embedding(6, 3, padding_idx=1), lambda: [ints(6, 2, 4)]),
    "EmbeddingBag": (lambda nn: nn.EmbeddingBag(6, 3, mode="max"), lambda: [ints(6, 2, 4)]),
    "Flatten": (lambda nn: nn.Flatten(), lambda: [R(2, 3, 4)]),
    "Unflatten": (lambda nn: nn.Unflatten(1, (2, 2)), lambda: [R(3, 4)]),
    "Fold": (lambda nn: nn.Fold((3, 3), 2), lambda: [R(1, 8, 4)]),
    "Unfold": (lambda nn: nn.Unfold(2, padding=1), lambda: [R(1, 2, 3, 3)]),
    "ChannelShuffle": (lambda nn: nn.ChannelShuffle(2), lambda: [R(1, 4, 2, 2)]),
    "PixelShuffle": (lambda nn: nn.PixelShuffle(2), lambda: [R(1, 8, 2, 2)]),
    "PixelUnshuffle": (lambda nn: nn.PixelUnshuffle(2), lambda: [R(1, 2, 4, 4)]),
    "Upsample": (lambda nn: nn.Upsample(scale_factor=2, mode="bilinear"), lambda: [R(1, 2, 3, 3)]),
    "UpsamplingBilinear2d": (lambda nn: nn.UpsamplingBilinear2d(scale_factor=2), lambda: [R(1, 2, 3, 3)]),
    "UpsamplingNearest2d": (lambda nn: nn.UpsamplingNearest2d(size=(5, 4)), lambda: [R(1, 2, 3, 3)]),
    "CosineSimilarity": (lambda nn: nn.CosineSimilarity(), lambda: [R(3, 4), R(3, 4, seed=1)]),
    "PairwiseDistance": (lambda nn: nn.PairwiseDistance(p=1.5), lambda: [R(3, 4), R(3, 4, seed=1)]),
    **{f"{k}Pad{d}d": (lambda nn, k=k, d=d: getattr(nn, f"{k}Pad{d}d")(*((1, 0.5) if k == "Constant"
                                                                        else (1,))),
                       lambda d=d: [R(*[1, 2, 3, 3, 3][:d + 2])])
       for k in ("Circular", "Constant", "Reflection", "Replication", "Zero") for d in (1, 2, 3)},
    # losses
    "BCELoss": (lambda nn: nn.BCELoss(weight=None), lambda: [P(3, 4), P(3, 4) > 0.5]),
    "BCEWithLogitsLoss": (lambda nn: nn.BCEWithLogitsLoss(), lambda: [R(3, 4), (P(3, 4) > 0.5)]),
    "CrossEntropyLoss": (lambda nn: nn.CrossEntropyLoss(label_smoothing=0.1), lambda: [R(3, 4), ints(4, 3)]),
    "NLLLoss": (lambda nn: nn.NLLLoss(reduction="sum"), lambda: [R(3, 4), ints(4, 3)]),
    "NLLLoss2d": (lambda nn: nn.NLLLoss2d(), lambda: [R(2, 3, 2, 2), ints(3, 2, 2, 2)]),
    "CTCLoss": (lambda nn: nn.CTCLoss(), lambda: [np.log(P(6, 2, 4)), ints(3, 2, 3) + 1, np.array([6, 5]),
                                                  np.array([3, 2])]),
    "CosineEmbeddingLoss": (lambda nn: nn.CosineEmbeddingLoss(0.1),
                            lambda: [R(3, 4), R(3, 4, seed=1), np.array([1, -1, 1])]),
    "GaussianNLLLoss": (lambda nn: nn.GaussianNLLLoss(), lambda: [R(3, 4), R(3, 4, seed=1), P(3, 4)]),
    "HingeEmbeddingLoss": (lambda nn: nn.HingeEmbeddingLoss(), lambda: [R(3, 4), np.sign(R(3, 4, seed=1))]),
    "HuberLoss": (lambda nn: nn.HuberLoss(delta=0.5), lambda: [R(3, 4), R(3, 4, seed=1)]),
    "KLDivLoss": (lambda nn: nn.KLDivLoss(reduction="batchmean"), lambda: [np.log(P(3, 4)), P(3, 4)]),
    "L1Loss": (lambda nn: nn.L1Loss(), lambda: [R(3, 4), R(3, 4, seed=1)]),
    "MSELoss": (lambda nn: nn.MSELoss(), lambda: [R(3, 4), R(3, 4, seed=1)]),
    "MarginRankingLoss": (lambda nn: nn.MarginRankingLoss(0.2),
                          lambda: [R(3), R(3, seed=1), np.array([1, -1, 1])]),
    "MultiLabelMarginLoss": (lambda nn: nn.MultiLabelMarginLoss(),
                             lambda: [R(2, 4), np.array([[3, 0, -1, 1], [1, 2, 3, -1]])]),
    "MultiLabelSoftMarginLoss": (lambda nn: nn.MultiLabelSoftMarginLoss(), lambda: [R(3, 4), P(3, 4) > 0.5]),
    "MultiMarginLoss": (lambda nn: nn.MultiMarginLoss(p=2), lambda: [R(3, 4), ints(4, 3)]),
    "PoissonNLLLoss": (lambda nn: nn.PoissonNLLLoss(), lambda: [R(3, 4), P(3, 4)]),
    "SmoothL1Loss": (lambda nn: nn.SmoothL1Loss(beta=0.5), lambda: [R(3, 4), R(3, 4, seed=1)]),
    "SoftMarginLoss": (lambda nn: nn.SoftMarginLoss(), lambda: [R(3, 4), np.sign(R(3, 4, seed=1))]),
    "TripletMarginLoss": (lambda nn: nn.TripletMarginLoss(),
                          lambda: [R(3, 4), R(3, 4, seed=1), R(3, 4, seed=2)]),
    "TripletMarginWithDistanceLoss": (lambda nn: nn.TripletMarginWithDistanceLoss(margin=0.5),
                                      lambda: [R(3, 4), R(3, 4, seed=1), R(3, 4, seed=2)]),
    # recurrent
    "RNN": (lambda nn: nn.RNN(3, 4, 2, nonlinearity="relu"), lambda: [R(5, 2, 3)]),
    "LSTM": (lambda nn: nn.LSTM(3, 4, 2, batch_first=True, bidirectional=True, proj_size=2),
             lambda: [R(2, 5, 3)]),
    "GRU": (lambda nn: nn.GRU(3, 4, bias=False), lambda: [R(5, 2, 3)]),
    "RNNCell": (lambda nn: nn.RNNCell(3, 4), lambda: [R(2, 3)]),
    "LSTMCell": (lambda nn: nn.LSTMCell(3, 4), lambda: [R(2, 3)]),
    "GRUCell": (lambda nn: nn.GRUCell(3, 4), lambda: [R(2, 3)]),
    # attention and transformers
    "MultiheadAttention": (lambda nn: nn.MultiheadAttention(8, 2, batch_first=True, kdim=6, vdim=5),
                           lambda: [R(2, 3, 8), R(2, 4, 6), R(2, 4, 5)]),
    "TransformerEncoderLayer": (lambda nn: nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0),
                                lambda: [R(3, 2, 8)]),
    "TransformerDecoderLayer": (lambda nn: nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, norm_first=True,
                                                                      activation="gelu"),
                                lambda: [R(3, 2, 8), R(4, 2, 8)]),
    "TransformerEncoder": (lambda nn: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0),
                                                            2, enable_nested_tensor=False),
                           lambda: [R(3, 2, 8)]),
    "TransformerDecoder": (lambda nn: nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0),
                                                            2, norm=nn.LayerNorm(8)),
                           lambda: [R(3, 2, 8), R(4, 2, 8)]),
    "Transformer": (lambda nn: nn.Transformer(8, 2, 1, 1, 16, dropout=0.0), lambda: [R(3, 2, 8), R(4, 2, 8)]),
    # containers
    "Sequential": (lambda nn: nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2)), lambda: [R(2, 4)]),
    "ModuleList": (lambda nn: nn.ModuleList([nn.Linear(4, 3), nn.Tanh()]), None),
    "ModuleDict": (lambda nn: nn.ModuleDict({"a": nn.Linear(4, 3), "b": nn.Tanh()}), None),
    "ParameterList": (lambda nn: nn.ParameterList([nn.Parameter(nn.init.ones_(nn.Linear(2, 2).weight))]),
                      None),
    "ParameterDict": (lambda nn: nn.ParameterDict({"w": nn.Linear(2, 2).weight}), None),
}
LAYERS.update({
    # the layers added in session 24; a fractional pool's window starts fixed, so both libraries pool alike
    "FractionalMaxPool2d": (lambda nn: nn.FractionalMaxPool2d(2, output_size=3, _random_samples=_lib(
        nn).tensor([[[0.3, 0.7], [0.9, 0.1]]])), lambda: [R(1, 2, 7, 7)]),
    "FractionalMaxPool3d": (lambda nn: nn.FractionalMaxPool3d(2, output_size=2, _random_samples=_lib(
        nn).tensor([[[0.3, 0.7, 0.5]]])), lambda: [R(1, 1, 5, 5, 5)]),
    "SyncBatchNorm": (lambda nn: nn.SyncBatchNorm(3), lambda: [R(2, 3, 4)]),
    "AdaptiveLogSoftmaxWithLoss": (lambda nn: nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4], div_value=2.0),
                                   lambda: [R(4, 8), ints(10, 4)]),
    "Container": (lambda nn: nn.Container(inner=nn.Linear(2, 2)), None),
    "DataParallel": (lambda nn: nn.DataParallel(nn.Linear(4, 3)), lambda: [R(2, 4)]),
    "Module": (lambda nn: nn.Module(), None),
    "RNNBase": (lambda nn: nn.RNNBase("LSTM", 3, 4, 2, bidirectional=True), None),
    "RNNCellBase": (lambda nn: nn.RNNCellBase(3, 4, True, 3), None),
    "CrossMapLRN2d": (lambda nn: nn.CrossMapLRN2d(3, alpha=0.5), lambda: [R(2, 5, 3, 3)]),  # session 25
})


def _lib(nn):
    """The library (pyfront or torch) whose ``nn`` this is."""
    return sys.modules[nn.__name__.split(".")[0]]


def _tensor(lib, a):
    a = np.asarray(a)
    return lib.tensor(a.astype(np.float32) if a.dtype == bool else a)


def _values(out) -> list:
    if isinstance(out, (tuple, list)):
        return [v for part in out for v in _values(part)]
    return [] if out is None else [np.asarray(out.detach().tolist())]


def _built(lib, name):
    """The layer, seeded, run once in training mode (lazy layers take their shapes, norms their
    statistics), then in eval mode (no dropout)."""
    make, inputs = LAYERS[name]
    lib.manual_seed(0)
    layer = make(lib.nn)
    if inputs is not None:
        layer(*[_tensor(lib, a) for a in inputs()])
    return layer.eval()


def _kinds(layer, lib) -> dict:
    """Every submodule's class and every attribute's kind (a function's name too), in torch's words."""
    def name(kind):
        return f"{kind.__module__}.{kind.__qualname__}".replace(lib.__name__, "torch")
    found = {}
    for path, sub in layer.named_modules():
        found[f"{path}:class"] = name(type(sub))
        for key, value in vars(sub).items():
            found[f"{path}.{key}"] = name(type(value))
            if inspect.isfunction(value):
                found[f"{path}.{key}"] += ":" + value.__name__
    return found


@pytest.mark.filterwarnings("ignore::UserWarning", "ignore::FutureWarning")
@pytest.mark.parametrize("name", sorted(LAYERS))
@pytest.mark.parametrize("writer,reader", [(pyfront, torch), (torch, pyfront)],
                         ids=["pyfront->torch", "torch->pyfront"])
def test_a_layer_saved_whole_is_the_readers_own_and_computes_the_same(name, writer, reader):
    saved = _built(writer, name)
    buf = io.BytesIO()
    writer.save(saved, buf)
    buf.seek(0)
    loaded = reader.load(buf, weights_only=False)
    assert type(loaded).__module__.split(".")[0] == reader.__name__
    assert _kinds(loaded, reader) == _kinds(_built(reader, name), reader)
    inputs = LAYERS[name][1]
    if inputs is not None:
        want = _values(saved(*[_tensor(writer, a) for a in inputs()]))
        got = _values(loaded(*[_tensor(reader, a) for a in inputs()]))
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)


def test_the_table_holds_every_nn_layer():
    layers = {n for n in dir(pyfront.nn) if inspect.isclass(getattr(pyfront.nn, n))
              and issubclass(getattr(pyfront.nn, n), pyfront.nn.Module)}
    assert layers == set(LAYERS)

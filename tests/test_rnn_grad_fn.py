"""The node an RNN/GRU/LSTM output shows is the one PyTorch's CPU kernel records (StackBackward0, the
directions' CatBackward0, batch_first's transpose, a float32 LSTM's oneDNN layer, a packed input's
CatBackward0), for every layout, direction and dtype; on cpu and webgpu."""
import itertools

import pytest
import torch

import pyfront
from webgpu_required import requires_webgpu

_KINDS = list(itertools.product(["RNN", "GRU", "LSTM"], [False, True], [False, True]))
CONFIGS = ([(*k, dtype, "cpu") for k in _KINDS for dtype in ("float32", "float64")]
           + [pytest.param(*k, "float32", "webgpu", marks=requires_webgpu) for k in _KINDS])


def _nodes(lib, mode, bi, bf, dtype, device):
    lib.manual_seed(0)
    dtype = getattr(lib, dtype)
    m = getattr(lib.nn, mode)(4, 6, num_layers=2, bidirectional=bi, batch_first=bf).to(dtype)
    x = lib.rand(5, 3, 4, dtype=dtype)
    if lib is pyfront:
        m, x = m.to(device), x.to(device)
    out, hidden = m(x)
    unbatched, _ = m(x[0])
    lengths = [3, 3, 2, 2, 1] if bf else [5, 4, 2]
    packed, _ = m(lib.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=bf))
    h = hidden[0] if mode == "LSTM" else hidden
    return [type(t.grad_fn).__name__ for t in (out, h, unbatched, packed.data)]


@pytest.mark.parametrize("mode,bi,bf,dtype,device", CONFIGS)
def test_rnn_output_records_torchs_node(mode, bi, bf, dtype, device):
    assert _nodes(pyfront, mode, bi, bf, dtype, device) == _nodes(torch, mode, bi, bf, dtype, "cpu")

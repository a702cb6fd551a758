"""Recurrent layers (RNN, LSTM, GRU) and their single-step cells, with PyTorch's parameters and checks.

Each layer is composed from pyfront ops (linear, sigmoid, tanh, split, cat), so autograd and every
device come with them. The input projection of all time steps is one matmul per layer and direction;
the time loop then costs a few small ops per step and never reads a device value back: packed batch
sizes are host-side ints (PyTorch keeps them in a cpu tensor too).
"""

from __future__ import annotations

import math
import numbers
import warnings

from ... import dtypes as dt
from ...autograd import graph
from ...ops.composite.shaping import stack
from ...ops.creation import empty, zeros
from ...ops.primitives.elementwise import relu, sigmoid, tanh
from ...ops.primitives.shaping import cat
from ...tensor import Tensor
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence, split_pieces
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
_STEMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh", "weight_hr")  # missing ones are None


def _step(mode: str, gi: Tensor, state: tuple, w_hh: Tensor, b_hh, w_hr) -> tuple:
    """One time step: ``gi`` is the input's projection ``x W_ih^T + b_ih`` (the layers fold ``b_hh`` into
    it too and pass ``b_hh=None``); returns the new (h,) or (h, c).

    Gate order and formulas are PyTorch's: LSTM i, f, g, o; GRU r, z, n with
    ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`` and ``h' = (h - n) * z + n``.
    """
    h = state[0]
    gh = F.linear(h, w_hh, b_hh)
    if mode == "LSTM":
        gates = gi + gh
        i, f, g, o = split_pieces(gates, gates.shape[1] // 4, 1)
        c = sigmoid(f) * state[1] + sigmoid(i) * tanh(g)
        h = sigmoid(o) * tanh(c)
        return (h if w_hr is None else F.linear(h, w_hr)), c
    if mode == "GRU":
        i_r, i_z, i_n = split_pieces(gi, gi.shape[1] // 3, 1)
        h_r, h_z, h_n = split_pieces(gh, gh.shape[1] // 3, 1)
        r = sigmoid(i_r + h_r)
        z = sigmoid(i_z + h_z)
        n = tanh(i_n + r * h_n)
        return ((h - n) * z + n,)
    return ((tanh if mode == "RNN_TANH" else relu)(gi + gh),)


def _run_direction(mode, x, steps, state, weights, reverse):
    """One layer in one direction over a packed batch: ``x`` is ``(sum(steps), in)``, ``steps[t]`` the
    number of sequences running at step t (non-increasing), ``state`` the initial (h,) or (h, c) of
    the whole batch. Returns the output rows (packed like ``x``) and the final state of every sequence.

    Forward, a sequence that ends leaves the batch and its state is kept aside; in reverse, a sequence
    joins the batch (with its initial state) at its last step.
    """
    w_ih, w_hh, b_ih, b_hh, w_hr = weights
    if mode != "GRU" and b_hh is not None:  # b_hh adds to the gates directly: add it once, not per step
        b_ih, b_hh = b_ih + b_hh, None
    gi_steps = split_pieces(F.linear(x, w_ih, b_ih), steps, 0)  # every step's projection in one matmul
    order = range(len(steps) - 1, -1, -1) if reverse else range(len(steps))
    initial, rows = state, steps[order[0]]
    state = tuple(s[:rows] for s in state)
    outs, ended = [], []
    for t in order:
        n = steps[t]
        if n < rows:
            ended.append(tuple(s[n:] for s in state))
            state = tuple(s[:n] for s in state)
        elif n > rows:
            state = tuple(cat([s, s0[rows:n]]) for s, s0 in zip(state, initial))
        rows = n
        state = _step(mode, gi_steps[t], state, w_hh, b_hh, w_hr)
        outs.append(state[0])
    if reverse:
        outs.reverse()
    if ended:  # the longest sequences ended last: their rows come first
        state = tuple(cat([part[i] for part in [state, *reversed(ended)]]) for i in range(len(state)))
    return cat(outs), state


class RNNBase(Module):
    """The shared machinery of :class:`RNN`, :class:`LSTM` and :class:`GRU` (PyTorch's ``nn.RNNBase``).

    Holds, for each layer ``k`` and direction, ``weight_ih_l{k}``, ``weight_hh_l{k}`` and, with ``bias``,
    ``bias_ih_l{k}``, ``bias_hh_l{k}`` (plus ``weight_hr_l{k}`` for a projected LSTM), with the suffix
    ``_reverse`` for the backward direction: PyTorch's names, shapes and gate order, so state dicts
    move between the two libraries. All start uniform in +-1/sqrt(hidden_size).

    Args:
        mode: ``"RNN_TANH"``, ``"RNN_RELU"``, ``"LSTM"`` or ``"GRU"``
        input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size:
            as in :class:`LSTM`
        device, dtype: of the parameters. Default: None

    Raises ValueError/TypeError with PyTorch's text for a dropout outside [0, 1], non-int sizes,
    sizes below 1, a ``proj_size`` not in ``[0, hidden_size)``, and warns (as PyTorch) when
    ``dropout > 0`` with a single layer, since dropout only acts between layers.
    """

    def __init__(
        self,
        mode: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        device=None,
        dtype=None,
    ) -> None:
        super().__init__()
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        if not isinstance(dropout, numbers.Number) or not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError(
                "dropout should be a number in range [0, 1] representing the probability of an element "
                "being zeroed"
            )
        if dropout > 0 and num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                f"expects num_layers greater than 1, but got dropout={dropout} and num_layers={num_layers}",
                stacklevel=2,
            )
        for name, value, kind in (
            ("bias", bias, bool),
            ("batch_first", batch_first, bool),
            ("input_size", input_size, int),
        ):
            if not isinstance(value, kind):
                raise TypeError(f"{name} should be of type {kind.__name__}, got: {type(value).__name__}")
        if input_size <= 0:
            raise ValueError("input_size must be greater than zero")
        if not isinstance(hidden_size, int):
            raise TypeError(f"hidden_size should be of type int, got: {type(hidden_size).__name__}")
        if hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size < 0:
            raise ValueError("proj_size should be a positive integer or zero to disable projections")
        if proj_size >= hidden_size:
            raise ValueError("proj_size has to be smaller than hidden_size")
        if mode not in _GATES:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size = _GATES[mode] * hidden_size
        real_hidden = proj_size if proj_size > 0 else hidden_size
        directions = 2 if bidirectional else 1
        kw = dict(device=device, dtype=dtype)
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else real_hidden * directions
            for direction in range(directions):
                shapes = {"weight_ih": (gate_size, layer_input), "weight_hh": (gate_size, real_hidden)}
                if bias:
                    shapes.update(bias_ih=(gate_size,), bias_hh=(gate_size,))
                if proj_size > 0:
                    shapes["weight_hr"] = (proj_size, hidden_size)
                names = []
                for stem, shape in shapes.items():
                    name = f"{stem}_l{layer}{'_reverse' if direction == 1 else ''}"
                    setattr(self, name, Parameter(empty(shape, **kw)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self) -> list:
        return [getattr(self, name, None) for name in self._flat_weights_names]

    def __getstate__(self) -> dict:
        # torch's RNNBase keeps its parameters in a list attribute too, which its forward reads and its
        # __setstate__ does not rebuild: a whole layer saved holds it, so that torch runs one pyfront saved
        return {**self.__dict__, "_flat_weights": self._flat_weights}

    def __setstate__(self, state: dict) -> None:
        # here the list is read from the parameters (a property): torch's saved copy would go stale
        self.__dict__.update({k: v for k, v in state.items() if k != "_flat_weights"})

    @property
    def all_weights(self) -> list:
        """The parameters, one list per layer and direction, in PyTorch's order."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self) -> None:
        """Does nothing: PyTorch packs the weights into one cuDNN buffer here, and on the CPU (as here,
        with no cuDNN) it does nothing either. Kept so scripts that call it run unchanged."""

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    # -- PyTorch's argument checks, with its messages ----------------------------------------------
    def check_input(self, input: Tensor, batch_sizes) -> None:
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(
                f"RNN input dtype ({input.dtype}) does not match weight dtype ({weight_dtype}). Convert "
                f"input: input.to({weight_dtype}), or convert model: model.to({input.dtype})"
            )
        expected = 2 if batch_sizes is not None else 3
        if input.dim() != expected:
            raise RuntimeError(f"input must have {expected} dimensions, got {input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError(
                "input.size(-1) must be equal to input_size. "
                f"Expected {self.input_size}, got {input.size(-1)}"
            )

    def _mini_batch(self, input: Tensor, batch_sizes) -> int:
        if batch_sizes is not None:
            return int(batch_sizes[0])
        return input.size(0) if self.batch_first else input.size(1)

    def get_expected_hidden_size(self, input: Tensor, batch_sizes) -> tuple:
        return (
            self.num_layers * (2 if self.bidirectional else 1),
            self._mini_batch(input, batch_sizes),
            self.proj_size if self.proj_size > 0 else self.hidden_size,
        )

    def check_hidden_size(self, hx: Tensor, expected, msg: str = "Expected hidden size {}, got {}") -> None:
        if tuple(hx.size()) != tuple(expected):
            raise RuntimeError(msg.format(expected, list(hx.size())))

    def check_forward_args(self, input: Tensor, hidden, batch_sizes) -> None:
        self.check_input(input, batch_sizes)
        self._check_states(input, hidden, batch_sizes)

    def _check_states(self, input: Tensor, hidden, batch_sizes) -> None:
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx.index_select(1, permutation)

    def _initial_state(self, input: Tensor, batch: int) -> Tensor:
        layers = self.num_layers * (2 if self.bidirectional else 1)
        return zeros(layers, batch, self.hidden_size, dtype=input.dtype, device=input.device)

    def _check_hx_dims(self, hx, batched: bool) -> None:
        want, kind = (3, "batched 3-D") if batched else (2, "unbatched 2-D")
        if hx is not None and hx.dim() != want:
            raise RuntimeError(f"For {kind} input, hx should also be {want}-D but got {hx.dim()}-D tensor")

    def _unbatch_hx(self, hx):
        return hx.unsqueeze(1)

    def _squeeze_hx(self, hx):
        return hx.squeeze(1)

    def _unpack_state(self, hx):
        """The state as a tuple of (layers * directions, batch, *) tensors: (h,) or (h, c)."""
        return (hx,)

    def _pack_state(self, finals):
        return finals[0]

    # -- the computation ---------------------------------------------------------------------------
    def forward(self, input, hx=None):
        """``(output, h_n)`` (``(output, (h_n, c_n))`` for LSTM); a PackedSequence in, one out."""
        name = {"RNN_TANH": "RNN", "RNN_RELU": "RNN"}.get(self.mode, self.mode)
        packed = isinstance(input, PackedSequence)
        if packed:
            input, batch_sizes, sorted_indices, unsorted_indices = input
            steps = batch_sizes.tolist()  # a cpu tensor: no device read-back
            if hx is None:
                hx = self._initial_state(input, steps[0])
            else:
                hx = self.permute_hidden(hx, sorted_indices)
        else:
            batch_sizes = sorted_indices = unsorted_indices = None
            if input.dim() not in (2, 3):
                raise ValueError(
                    f"{name}: Expected input to be 2D or 3D, got {input.dim()}D"
                    f"{' tensor' if name == 'RNN' else ''} instead"
                )
            batched = input.dim() == 3
            batch_dim = 0 if self.batch_first else 1
            self._check_hx_dims(hx, batched)
            if not batched:
                input = input.unsqueeze(batch_dim)
                if hx is not None:
                    hx = self._unbatch_hx(hx)
            if hx is None:
                hx = self._initial_state(input, input.size(batch_dim))
        if packed and self.mode == "LSTM":
            # PyTorch's LSTM leaves a packed input to its kernel: a wrong feature size or dtype fails
            # in the input projection (F.linear, the same texts); the states are still checked here
            self._check_states(input, hx, batch_sizes)
        else:
            self.check_forward_args(input, hx, batch_sizes)
        if packed:
            x = input
        else:
            x = input.transpose(0, 1) if self.batch_first else input
            if x.shape[0] == 0:
                raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
            steps = [x.shape[1]] * x.shape[0]
            x = x.reshape(x.shape[0] * x.shape[1], x.shape[2])
        since = graph.SEQUENCE[0]
        output, finals = self._run(x, steps, self._unpack_state(hx))
        hidden = self._pack_state(finals)
        if packed:
            graph.present_as(output, "CatBackward0", since)  # PyTorch joins the packed steps' rows
            return PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices), self.permute_hidden(
                hidden, unsorted_indices
            )
        output = output.reshape(len(steps), steps[0], output.shape[-1])
        if self.batch_first:
            output = output.transpose(0, 1)
        graph.present_as(output, self._output_node(output), since)
        if not batched:
            output, hidden = output.squeeze(batch_dim), self._squeeze_hx(hidden)
        return output, hidden

    def _output_node(self, output) -> str:
        """The node PyTorch's CPU kernel gives the output: the steps stacked (both directions joined
        by a cat), transposed in place for ``batch_first``; a float32 LSTM runs as one oneDNN layer,
        transposed out of place."""
        mkldnn = self.mode == "LSTM" and output.dtype is dt.float32
        if self.batch_first:
            return "TransposeBackward0" if self.mode == "LSTM" else "TransposeBackward1"
        if self.bidirectional:
            return "CatBackward0"
        return "MkldnnRnnLayerBackward0" if mkldnn else "StackBackward0"

    def _run(self, x: Tensor, steps: list, state: tuple):
        """All layers and directions over packed rows ``x``; returns the last layer's output rows and
        the final states stacked as (layers * directions, batch, *)."""
        directions = 2 if self.bidirectional else 1
        finals = [[] for _ in state]
        for layer in range(self.num_layers):
            outs = []
            for direction in range(directions):
                k = layer * directions + direction
                suffix = f"_l{layer}{'_reverse' if direction else ''}"
                weights = tuple(getattr(self, stem + suffix, None) for stem in _STEMS)
                initial = tuple(s[k] for s in state)
                out, final = _run_direction(self.mode, x, steps, initial, weights, direction)
                outs.append(out)
                for i, f in enumerate(final):
                    finals[i].append(f)
            x = outs[0] if directions == 1 else cat(outs, 1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        return x, tuple(stack(f) for f in finals)

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)


class RNN(RNNBase):
    r"""A multi-layer Elman RNN: :math:`h_t = \tanh(x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh})`.

    With ``nonlinearity="relu"``, ReLU replaces tanh. Layer ``k > 0`` takes the previous layer's output
    (dropped out with probability ``dropout`` in training) as its input.

    Args:
        input_size: features of the input ``x``
        hidden_size: features of the hidden state ``h``
        num_layers: stacked recurrent layers. Default: 1
        nonlinearity: ``"tanh"`` or ``"relu"``. Default: ``"tanh"``
        bias: learn ``b_ih`` and ``b_hh``. Default: True
        batch_first: input and output are ``(N, L, H)`` rather than ``(L, N, H)`` (not the state).
            Default: False
        dropout: dropout on each layer's output but the last, in training. Default: 0
        bidirectional: also run each layer backwards in time and concatenate. Default: False

    Shape:
        input: ``(L, N, H_in)``, ``(N, L, H_in)`` with batch_first, ``(L, H_in)`` unbatched, or a
        :class:`~pyfront.nn.utils.rnn.PackedSequence`; ``h_0``: ``(D * num_layers, N, H_out)`` (zeros
        when omitted), ``D`` = 2 if bidirectional else 1. Output: ``(L, N, D * H_out)`` (or packed) and
        ``h_n`` like ``h_0``.

    Raises PyTorch's errors (type and text) for a bad configuration, an input that is not 2-D or 3-D,
    a wrong feature size or dtype, and an initial state of the wrong rank or shape.
    """

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__(mode, *args, **kwargs)


class LSTM(RNNBase):
    r"""A multi-layer long short-term memory RNN (Hochreiter & Schmidhuber, 1997), as ``torch.nn.LSTM``.

    .. math::
        i, f, g, o = \sigma, \sigma, \tanh, \sigma\ \text{of the four chunks of}\
            x_t W_{ih}^T + b_{ih} + h_{t-1} W_{hh}^T + b_{hh};\quad
        c_t = f \odot c_{t-1} + i \odot g;\quad h_t = o \odot \tanh(c_t)

    With ``proj_size > 0`` (Sak et al., 2014), ``h_t`` is further projected: ``h_t = h_t W_{hr}^T``.

    Args:
        input_size: features of the input ``x``
        hidden_size: features of the cell state ``c`` (and of ``h`` without projection)
        num_layers: stacked recurrent layers. Default: 1
        bias: learn ``b_ih`` and ``b_hh``. Default: True
        batch_first: input and output are ``(N, L, H)`` rather than ``(L, N, H)`` (not the states).
            Default: False
        dropout: dropout on each layer's output but the last, in training. Default: 0
        bidirectional: also run each layer backwards in time and concatenate. Default: False
        proj_size: the size ``H_out`` of the projected ``h``; 0 for none. Default: 0

    Shape:
        input: ``(L, N, H_in)``, ``(N, L, H_in)`` with batch_first, ``(L, H_in)`` unbatched, or a
        :class:`~pyfront.nn.utils.rnn.PackedSequence`; ``(h_0, c_0)``: ``(D * num_layers, N, H_out)`` and
        ``(D * num_layers, N, hidden_size)`` (zeros when omitted). Output: ``(L, N, D * H_out)`` (or
        packed) and ``(h_n, c_n)`` like ``(h_0, c_0)``.

    Raises PyTorch's errors (type and text) for a bad configuration, an input that is not 2-D or 3-D,
    a wrong feature size or dtype, and initial states of the wrong rank or shape.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__("LSTM", *args, **kwargs)

    def get_expected_cell_size(self, input: Tensor, batch_sizes) -> tuple:
        return (self.num_layers * (2 if self.bidirectional else 1), self._mini_batch(input, batch_sizes),
                self.hidden_size)

    def _check_states(self, input: Tensor, hidden, batch_sizes) -> None:
        self.check_hidden_size(
            hidden[0], self.get_expected_hidden_size(input, batch_sizes), "Expected hidden[0] size {}, got {}"
        )
        self.check_hidden_size(
            hidden[1], self.get_expected_cell_size(input, batch_sizes), "Expected hidden[1] size {}, got {}"
        )

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx[0].index_select(1, permutation), hx[1].index_select(1, permutation)

    def _initial_state(self, input: Tensor, batch: int):
        c = super()._initial_state(input, batch)
        if self.proj_size == 0:
            return c, c
        return zeros(c.shape[0], batch, self.proj_size, dtype=input.dtype, device=input.device), c

    def _check_hx_dims(self, hx, batched: bool) -> None:
        want, kind = (3, "batched 3-D") if batched else (2, "unbatched 2-D")
        if hx is not None and (hx[0].dim() != want or hx[1].dim() != want):
            raise RuntimeError(
                f"For {kind} input, hx and cx should also be {want}-D but got "
                f"({hx[0].dim()}-D, {hx[1].dim()}-D) tensors"
            )

    def _unbatch_hx(self, hx):
        return hx[0].unsqueeze(1), hx[1].unsqueeze(1)

    def _squeeze_hx(self, hx):
        return hx[0].squeeze(1), hx[1].squeeze(1)

    def _unpack_state(self, hx):
        return tuple(hx)

    def _pack_state(self, finals):
        return finals


class GRU(RNNBase):
    r"""A multi-layer gated recurrent unit RNN (Cho et al., 2014), as ``torch.nn.GRU``.

    .. math::
        r = \sigma(W_{ir} x + b_{ir} + W_{hr} h + b_{hr});\quad
        z = \sigma(W_{iz} x + b_{iz} + W_{hz} h + b_{hz})

        n = \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn}));\quad h' = (1 - z) \odot n + z \odot h

    Args:
        input_size: features of the input ``x``
        hidden_size: features of the hidden state ``h``
        num_layers: stacked recurrent layers. Default: 1
        bias: learn ``b_ih`` and ``b_hh``. Default: True
        batch_first: input and output are ``(N, L, H)`` rather than ``(L, N, H)`` (not the state).
            Default: False
        dropout: dropout on each layer's output but the last, in training. Default: 0
        bidirectional: also run each layer backwards in time and concatenate. Default: False

    Shape:
        as :class:`RNN`: input ``(L, N, H_in)`` / batch_first / unbatched / packed, ``h_0`` and ``h_n``
        ``(D * num_layers, N, H_out)``, output ``(L, N, D * H_out)``.

    Raises PyTorch's errors (type and text) for a bad configuration, an input that is not 2-D or 3-D,
    a wrong feature size or dtype, and an initial state of the wrong rank or shape.
    """

    def __init__(self, *args, **kwargs) -> None:
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)


class RNNCellBase(Module):
    """The shared parameters of the cells: ``weight_ih`` ``(chunks * hidden, input)``, ``weight_hh``
    ``(chunks * hidden, hidden)`` and, with ``bias``, ``bias_ih`` and ``bias_hh``, all uniform in
    +-1/sqrt(hidden_size), as PyTorch's ``nn.RNNCellBase``.

    Args:
        input_size: features of the input
        hidden_size: features of the hidden state
        bias: learn the biases
        num_chunks: gates stacked in the weights (1 for RNNCell, 4 for LSTMCell, 3 for GRUCell)
        device, dtype: of the parameters. Default: None
    """

    def __init__(
        self, input_size: int, hidden_size: int, bias: bool, num_chunks: int, device=None, dtype=None
    ) -> None:
        super().__init__()
        kw = dict(device=device, dtype=dtype)
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        self.weight_ih = Parameter(empty((num_chunks * hidden_size, input_size), **kw))
        self.weight_hh = Parameter(empty((num_chunks * hidden_size, hidden_size), **kw))
        if bias:
            self.bias_ih = Parameter(empty(num_chunks * hidden_size, **kw))
            self.bias_hh = Parameter(empty(num_chunks * hidden_size, **kw))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self) -> None:
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _prepare(self, input: Tensor, hx, states: int):
        """Check ranks (PyTorch's ValueErrors), add the batch dim to unbatched inputs and make zero
        states; returns (batched?, input, states as a tuple)."""
        name = self._name
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D instead")
        if hx is not None:
            for i, value in enumerate(hx if states == 2 else (hx,)):
                if value.dim() not in (1, 2):
                    what = f"hx[{i}]" if states == 2 else "hidden"
                    raise ValueError(f"{name}: Expected {what} to be 1D or 2D, got {value.dim()}D instead")
        batched = input.dim() == 2
        if not batched:
            input = input.unsqueeze(0)
        if hx is None:
            hx = (zeros(input.size(0), self.hidden_size, dtype=input.dtype, device=input.device),) * states
        else:
            hx = tuple(hx) if states == 2 else (hx,)
            if not batched:
                hx = tuple(h.unsqueeze(0) for h in hx)
        return batched, input, hx

    def _check_sizes(self, input: Tensor, hx: tuple) -> None:
        """The checks PyTorch's C++ cells make, with their texts."""
        if input.size(1) != self.weight_ih.size(1):
            raise RuntimeError(
                f"input has inconsistent input_size: got {input.size(1)} expected {self.weight_ih.size(1)}"
            )
        for i, h in enumerate(hx):
            if input.size(0) != h.size(0):
                raise RuntimeError(
                    f"Input batch size {input.size(0)} doesn't match hidden{i} batch size {h.size(0)}"
                )
            if h.size(1) != self.hidden_size:
                raise RuntimeError(
                    f"hidden{i} has inconsistent hidden_size: got {h.size(1)}, expected {self.hidden_size}"
                )

    def _cell(self, mode: str, input: Tensor, hx, states: int):
        batched, input, state = self._prepare(input, hx, states)
        self._check_sizes(input, state)
        gi = F.linear(input, self.weight_ih, self.bias_ih)
        out = _step(mode, gi, state, self.weight_hh, self.bias_hh, None)
        if not batched:
            out = tuple(o.squeeze(0) for o in out)
        return out if states == 2 else out[0]


class RNNCell(RNNCellBase):
    r"""One step of an Elman RNN: :math:`h' = \tanh(x W_{ih}^T + b_{ih} + h W_{hh}^T + b_{hh})`.

    Args:
        input_size: features of the input ``x``
        hidden_size: features of the hidden state ``h``
        bias: learn ``b_ih`` and ``b_hh``. Default: True
        nonlinearity: ``"tanh"`` or ``"relu"``. Default: ``"tanh"``
        device, dtype: of the parameters. Default: None

    Shape:
        input ``(N, H_in)`` or ``(H_in)``; ``h`` ``(N, H_out)`` or ``(H_out)`` (zeros when omitted);
        output like ``h``.

    Raises PyTorch's errors: ValueError for inputs not 1-D or 2-D, RuntimeError for sizes that do not
    match and (in forward, as PyTorch) an unknown nonlinearity.
    """

    _name = "RNNCell"  # in error messages, as PyTorch names it (also for subclasses)

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device=None,
        dtype=None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device, dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        if self.nonlinearity not in ("tanh", "relu"):
            self._prepare(input, hx, 1)
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        return self._cell("RNN_TANH" if self.nonlinearity == "tanh" else "RNN_RELU", input, hx, 1)


class LSTMCell(RNNCellBase):
    r"""One step of an LSTM: gates i, f, g, o from ``x W_ih^T + b_ih + h W_hh^T + b_hh``,
    :math:`c' = \sigma(f) c + \sigma(i) \tanh(g)`, :math:`h' = \sigma(o) \tanh(c')`.

    Args:
        input_size: features of the input ``x``
        hidden_size: features of ``h`` and ``c``
        bias: learn ``b_ih`` and ``b_hh``. Default: True
        device, dtype: of the parameters. Default: None

    Shape:
        input ``(N, H_in)`` or ``(H_in)``; ``(h, c)`` each ``(N, H)`` or ``(H)`` (zeros when omitted);
        returns ``(h', c')`` of the same shapes.

    Raises PyTorch's errors: ValueError for inputs or states not 1-D or 2-D, RuntimeError for sizes
    that do not match.
    """

    _name = "LSTMCell"  # in error messages, as PyTorch names it (also for subclasses)

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx=None) -> tuple:
        return self._cell("LSTM", input, hx, 2)


class GRUCell(RNNCellBase):
    r"""One step of a GRU: :math:`r, z = \sigma(\cdot)`, :math:`n = \tanh(W_{in} x + b_{in} + r (W_{hn} h +
    b_{hn}))`, :math:`h' = (1 - z) n + z h`, with PyTorch's gate order r, z, n.

    Args:
        input_size: features of the input ``x``
        hidden_size: features of the hidden state ``h``
        bias: learn ``b_ih`` and ``b_hh``. Default: True
        device, dtype: of the parameters. Default: None

    Shape:
        input ``(N, H_in)`` or ``(H_in)``; ``h`` ``(N, H_out)`` or ``(H_out)`` (zeros when omitted);
        output like ``h``.

    Raises PyTorch's errors: ValueError for inputs not 1-D or 2-D, RuntimeError for sizes that do not
    match.
    """

    _name = "GRUCell"  # in error messages, as PyTorch names it (also for subclasses)

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None, dtype=None) -> None:
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device, dtype=dtype)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        return self._cell("GRU", input, hx, 1)

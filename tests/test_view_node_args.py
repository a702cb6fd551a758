"""What torch's view nodes show as ``grad_fn._saved_<name>``: the arguments as the call gave them (a negative
dim or index read back as its unsigned 64-bit pattern, a slice's missing end as INT64_MAX, narrow's start
wrapped), beside the input's sizes; and torch's generic NotImplemented node (remainder(Scalar, Tensor))
shows nothing."""
import pytest
import torch

import pyfront

VIEWS = {
    "slice": lambda x: x[1:3], "slice step": lambda x: x[:, 1:4:2], "slice no end": lambda x: x[::2],
    "slice negative": lambda x: x[-3:], "slice past": lambda x: x[1:100], "slice both": lambda x: x[:, -100:-1],
    "slice ellipsis": lambda x: x[..., 1:3], "slice after None": lambda x: x[:, None, 1:],
    "slice after int": lambda x: x[0, 1:], "slice empty": lambda x: x[:, 5:], "full": lambda x: x[:],
    "narrow": lambda x: x.narrow(1, 1, 2), "narrow negative": lambda x: x.narrow(-1, -3, 2),
    "split": lambda x: x.split(2, dim=-1)[1], "split sizes": lambda x: x.split([1, 2], dim=1)[1],
    "chunk": lambda x: x.chunk(2, -1)[1], "tensor_split": lambda x: x.tensor_split([1, 3], dim=-1)[2],
    "hsplit": lambda x: x.hsplit([1])[1], "select": lambda x: x.select(-1, -2), "index int": lambda x: x[:, -1],
    "unbind": lambda x: x.unbind(1)[0], "diagonal": lambda x: x.diagonal(-1, -1, 1),
    "unfold": lambda x: x.unfold(-1, 2, 1), "transpose": lambda x: x.transpose(-1, 0), "t": lambda x: x[0].t(),
    "transpose_": lambda x: x.clone().transpose_(-1, 0), "unsqueeze": lambda x: x.unsqueeze(-1),
    "unsqueeze_": lambda x: x.clone().unsqueeze_(-1), "squeeze dim": lambda x: x[:1].squeeze(0),
    "squeeze dims": lambda x: x[:1].squeeze((0, -2)), "squeeze_ dims": lambda x: x[:1].clone().squeeze_((0, -1)),
    "permute": lambda x: x.permute(-1, 0, 1), "movedim": lambda x: x.movedim(-1, 0),
    "as_strided": lambda x: x.as_strided((2, 2), (1, 2), 1), "as_strided no offset": lambda x: x.as_strided((2,), (3,)),
}


def _shown(L, make):
    x = L.arange(24.0).reshape(2, 3, 4).requires_grad_()
    fn = make(x).grad_fn
    return type(fn).__name__, {a: getattr(fn, a) for a in dir(fn) if a.startswith("_saved_")}


@pytest.mark.parametrize("case", list(VIEWS))
def test_view_nodes_show_their_arguments_as_given(case):
    assert _shown(pyfront, VIEWS[case]) == _shown(torch, VIEWS[case])


def _remainder_node(L):
    fn = L.remainder(2.0, L.tensor([1.5, 2.5], requires_grad=True)).grad_fn
    return type(fn).__name__, [a for a in dir(fn) if a.startswith("_saved_")]


def test_not_implemented_node_shows_nothing_saved():
    assert _remainder_node(pyfront) == _remainder_node(torch)

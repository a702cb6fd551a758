dependencies = ["torch"]

from tinynets import TinyCNN, make_mlp


def tiny_cnn(checkpoint=None, channels=4, **kwargs):
    """A tiny CNN; its pretrained weights read from ``checkpoint`` (a path) where given."""
    import torch
    model = TinyCNN(channels)
    if checkpoint:
        model.load_state_dict(torch.load(checkpoint, weights_only=True))
    return model


def mlp(sizes=(4, 8, 2)):
    return make_mlp(sizes)


def _helper():
    return None

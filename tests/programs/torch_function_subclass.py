"""PyTorch's "Extending torch with a Tensor-like type" notes (docs/source/notes/extending.rst): the ScalarTensor
duck type with a HANDLED_FUNCTIONS table and the implements decorator, a Tensor subclass that logs every call
through __torch_function__ (with DisableTorchFunctionSubclass), a MetadataTensor that carries a dict through
ops, torch.overrides' helpers (has_torch_function, is_tensor_like, handle_torch_function), as_subclass, and
the TypeError a function without an override raises."""
import functools

import torch
import torch.nn.functional as F

HANDLED_FUNCTIONS = {}


class ScalarTensor:
    def __init__(self, N, value):
        self._N = N
        self._value = value

    def __repr__(self):
        return "ScalarTensor(N={}, value={})".format(self._N, self._value)

    def tensor(self):
        return self._value * torch.eye(self._N)

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if kwargs is None:
            kwargs = {}
        if func not in HANDLED_FUNCTIONS or not all(issubclass(t, (torch.Tensor, ScalarTensor)) for t in types):
            return NotImplemented
        return HANDLED_FUNCTIONS[func](*args, **kwargs)


def implements(torch_function):
    """Register a torch function override for ScalarTensor"""
    def decorator(func):
        functools.update_wrapper(func, torch_function)
        HANDLED_FUNCTIONS[torch_function] = func
        return func
    return decorator


@implements(torch.mean)
def mean(input):
    return float(input._value) / input._N


def ensure_tensor(data):
    if isinstance(data, ScalarTensor):
        return data.tensor()
    return torch.as_tensor(data)


@implements(torch.add)
def add(input, other):
    try:
        if input._N == other._N:
            return ScalarTensor(input._N, input._value + other._value)
        else:
            raise ValueError("Shape mismatch!")
    except AttributeError:
        return torch.add(ensure_tensor(input), ensure_tensor(other))


d = ScalarTensor(5, 2)
print(d)
print(d.tensor())
print(torch.mean(d))
print(torch.add(d, d))
print(torch.add(d, torch.ones(5, 5)))
print(mean.__name__, mean.__doc__ == torch.mean.__doc__)
try:
    torch.max(d)
except TypeError as e:
    print("TypeError:", str(e).split("\n")[0][:60])
print("overrides:", torch.overrides.has_torch_function((d,)), torch.overrides.is_tensor_like(d),
      torch.overrides.is_tensor_like(torch.ones(1)), torch.overrides.has_torch_function((torch.ones(1),)))


# a subclass that logs the name of every function called on it
class LoggingTensor(torch.Tensor):
    log = []

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if kwargs is None:
            kwargs = {}
        name = getattr(func, "__name__", str(func))
        cls.log.append(name)
        return super().__torch_function__(func, types, args, kwargs)


torch.manual_seed(0)
x = torch.randn(3, 4).as_subclass(LoggingTensor)
w = torch.randn(4, 2)
y = F.relu(x @ w).sum(dim=0)
print(type(x).__name__, type(y).__name__, y.shape, [round(v, 4) for v in y.tolist()])
print("logged:", [n for n in LoggingTensor.log if not n.startswith("__get__")][:6])
LoggingTensor.log.clear()
z = x + 1
print(type(z).__name__, type(z[0]).__name__, type(x.sum()).__name__, type(x.tolist()).__name__)
with torch._C.DisableTorchFunctionSubclass():
    plain = x * 2
print("disabled:", type(plain).__name__)
print("plain:", type(torch.Tensor(x)).__name__ if False else type(x.as_subclass(torch.Tensor)).__name__)


# metadata that survives ops (the docs' MetadataTensor, written as a subclass)
class MetadataTensor(torch.Tensor):
    @staticmethod
    def __new__(cls, data, metadata=None):
        t = torch.as_tensor(data).as_subclass(cls)
        t._metadata = metadata or {}
        return t

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        metas = [a._metadata for a in args if isinstance(a, MetadataTensor) and hasattr(a, "_metadata")]
        out = super().__torch_function__(func, types, args, kwargs)
        if isinstance(out, MetadataTensor) and metas:
            out._metadata = dict(metas[0])
        return out


m = MetadataTensor([[1.0, 2.0], [3.0, 4.0]], metadata={"unit": "m"})
r = torch.sin(m) * 3 + m
print(type(r).__name__, r._metadata, [round(v, 4) for v in r.flatten().tolist()])
print("isinstance:", isinstance(r, torch.Tensor), torch.is_tensor(r), r.dtype, r.requires_grad)

# autograd through a subclass keeps the subclass in the forward
p = MetadataTensor(torch.tensor([0.5, -1.0, 2.0]), {"name": "p"}).requires_grad_()
loss = (p ** 2).sum()
loss.backward()
print(type(loss).__name__, p.grad, type(p.grad).__name__)


# handle_torch_function in a user function, as libraries do
def my_func(a, b):
    if torch.overrides.has_torch_function((a, b)):
        return torch.overrides.handle_torch_function(my_func, (a, b), a, b)
    return a * 10 + b


HANDLED_FUNCTIONS[my_func] = lambda a, b: "handled for ScalarTensor"
print(my_func(torch.tensor(1.0), torch.tensor(2.0)), my_func(d, d))

"""torch.FloatStorage, DoubleStorage, LongStorage, ... and TypedStorage's public constructor and methods,
as old scripts use them: each class makes a TypedStorage of its dtype (``(n)``, ``(sequence)``,
``(wrap_storage=)``), isinstance answers by dtype, and the storage's type(), fill_, copy_, clone and casts,
with torch's messages for bad arguments. pyfront had TypedStorage only as what ``Tensor.storage()``
returns."""
import warnings

import pytest
import torch

import pyfront

def _casts(s):
    return (s.clone().tolist(), s.double().dtype, s.long().tolist(), s.int().dtype, s.half().dtype,
            s.bool().tolist(), s.byte().tolist(), s.char().dtype, s.short().dtype, s.float().dtype,
            s.cpu().tolist())


def _written(z):
    z.storage()[0] = 5
    return z.tolist()


CASES = {
    "class made": lambda t: type(t.FloatStorage(3)).__name__,
    "size": lambda t: (t.FloatStorage(3).size(), len(t.DoubleStorage(2)), t.FloatStorage().size()),
    "repr": lambda t: repr(t.FloatStorage([1, 2, 3])),
    "empty repr": lambda t: repr(t.LongStorage()),
    "facts": lambda t: (t.FloatStorage([1, 2]).dtype, t.FloatStorage([1]).device,
                        t.FloatStorage([1, 2]).nbytes(), t.LongStorage([1]).element_size()),
    "isinstance": lambda t: (isinstance(t.ones(2).storage(), t.FloatStorage),
                             isinstance(t.ones(2).storage(), t.DoubleStorage),
                             isinstance(t.FloatStorage([1.0]), t.TypedStorage)),
    "tensor of it": lambda t: t.tensor(t.FloatStorage([1, 2, 3])).tolist(),
    "dtypes": lambda t: [getattr(t, f"{k}Storage").dtype for k in
                         "Double Float Half BFloat16 Long Int Short Char Byte Bool ComplexFloat "
                         "ComplexDouble".split()],
    "values": lambda t: (t.LongStorage([1, 2]).tolist(), t.BoolStorage([True]).tolist(),
                         t.ComplexFloatStorage([1 + 2j, 3]).tolist(),
                         t.ComplexDoubleStorage([1j]).complex_float(),
                         t.HalfStorage([1.5]).tolist(), list(t.DoubleStorage([0.5])),
                         t.FloatStorage([1, 2])[1]),
    "fill_": lambda t: t.FloatStorage([1, 2]).fill_(2).tolist(),
    "type": lambda t: (t.FloatStorage(1).type(), t.ones(2, dtype=t.int16).storage().type(),
                       t.ByteStorage(1).pickle_storage_type()),
    "TypedStorage": lambda t: (t.TypedStorage(3, dtype=t.float64).size(),
                               repr(t.TypedStorage([1, 2], dtype=t.int64)), t.TypedStorage([1, 2]).dtype),
    "dtype keyword": lambda t: t.FloatStorage(3, dtype=t.float64),
    "str data": lambda t: t.FloatStorage("a"),
    "float size": lambda t: t.FloatStorage(3.5),
    "two sizes": lambda t: t.FloatStorage(2, 3),
    "bad element": lambda t: t.FloatStorage([1, "a"]),
    "complex element": lambda t: t.FloatStorage([1j]),
    "bad complex element": lambda t: t.ComplexFloatStorage([1, "a"]),
    "wrap with size": lambda t: t.FloatStorage(2, wrap_storage=t.UntypedStorage(8)),
    "copy_": lambda t: t.FloatStorage([1, 2]).copy_(t.FloatStorage([3, 4])).tolist(),
    "copy_ other dtype": lambda t: t.FloatStorage([1, 2]).copy_(t.IntStorage([1065353216, 1 << 30])).tolist(),
    "copy_ bad size": lambda t: t.FloatStorage([1, 2]).copy_(t.DoubleStorage([3, 4])),
    "wrap_storage": lambda t: t.FloatStorage(wrap_storage=t.UntypedStorage(8)).size(),
    "casts": lambda t: _casts(t.FloatStorage([1, 2, 3])),
    "writes reach the tensor": lambda t: _written(t.zeros(3)),
    "untyped": lambda t: (t.ones(3).storage().untyped().nbytes(), t.IntStorage([1, 2]).untyped().tolist()),
}


def _outcome(lib, case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return str(CASES[case](lib))
        except Exception as e:  # noqa: BLE001  (the comparison is the point)
            return type(e).__name__, str(e)


@pytest.mark.parametrize("case", list(CASES))
def test_legacy_storage_as_torch(case):
    assert _outcome(pyfront, case) == _outcome(torch, case)


def test_storage_of_a_webgpu_tensor():
    if not pyfront.webgpu.is_available():
        pytest.skip("no webgpu adapter")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = pyfront.arange(4, dtype=pyfront.int64, device="webgpu").storage()
        assert isinstance(s, pyfront.LongStorage) and s.type() == "torch.LongStorage"
        assert s.tolist() == [0, 1, 2, 3] and s.float().tolist() == [0.0, 1.0, 2.0, 3.0] and s.size() == 4

"""complex64 on the GPU: a vec2<f32> per number (real, imaginary; layout.py), computed by the expressions
here, spliced into the elementwise template as every op's (shaders/complex_lib.wgsl has their helpers).

The ops torch computes on complex numbers that have no expression here are refused by name, with the way
out (the cpu device); data movement (copies, cat, indexing, flips) needs none: those kernels load and store
whatever type they are given.
"""
from __future__ import annotations

from .... import dtypes as dt
from ...storage import Layout, Storage, dense

COMPLEX = "vec2<f32>"

# op -> its WGSL over complex a, b (bool results: a WGSL bool)
EXPRESSIONS = {
    "mul": "cmul(a, b)",
    "div": "cdiv(a, b)",
    "neg": "-a",
    "square": "cmul(a, a)",
    "exp": "cexp(a)",
    "expm1": "cexpm1(a)",
    "log1p": "clog1p(a)",
    "log": "clog(a)",
    "sqrt": "csqrt(a)",
    "pow": "cpow(a, b)",
    "exp2": "cexp(a * 0.6931471805599453)",  # (exp(z ln 2))
    "log2": "clog(a) * 1.4426950408889634",
    "log10": "clog(a) * 0.4342944819032518",
    "sin": "csin(a)",
    "cos": "ccos(a)",
    "tan": "ctan(a)",
    "sinh": "csinh(a)",
    "cosh": "ccosh(a)",
    "tanh": "ctanh(a)",
    "eq": "all(a == b)",
    "ne": "!all(a == b)",  # (not any(a != b): naga's != is false for NaN)
    "isnan": "cnan(a)",
    "isinf": "cinf(a)",
    "isfinite": "!cnan(a) && !cinf(a)",
    "logical_not": "!nonzero_c64(a)",
    "logical_and": "nonzero_c64(a) && nonzero_c64(b)",
    "logical_or": "nonzero_c64(a) || nonzero_c64(b)",
    "logical_xor": "nonzero_c64(a) != nonzero_c64(b)",
    "where": "select(c, b, a != 0u)",
}


# the expressions with a complex constant, its parts the parameters s0, s1: a compiler folds 0 * x and 0 / x
# to 0 where it sees the zero (lavapipe does), and torch's NaN is lost. add and sub are torch's complex add
# kernel, a + alpha * b with alpha the complex +-1 times b as a complex product (ops/primitives/
# elementwise.py's _complex_sum: so 0j + (1 + infj) is nan + infj there and here); reciprocal's 1 / 0j is
# inf + nanj, as torch's
_ADD = "a + cmul(vec2<f32>(s0, s1), b)"
WITH_CONSTANT = {
    "add": (_ADD, 1.0), "sub": (_ADD, -1.0),
    "reciprocal": ("cdiv(vec2<f32>(s0, s1), a)", 1.0),
    "rsqrt": ("cdiv(vec2<f32>(s0, s1), csqrt(a))", 1.0),
    "sigmoid": ("cdiv(vec2<f32>(s0, s1), vec2<f32>(s0, s1) + cexp(-a))", 1.0),
}


def expression(op) -> tuple[str, tuple]:
    """(the WGSL of elementwise ``op`` on complex64 operands, its scalars), or a refusal naming the way
    out."""
    if op.name in WITH_CONSTANT:
        expr, real = WITH_CONSTANT[op.name]
        return expr, (("f32", real), ("f32", 0.0))
    expr = EXPRESSIONS.get(op.name, "a" if op.wgsl == "a" else None)  # (a copy: clone, relaid, ...)
    if expr is None:
        raise RuntimeError(f'"{op.name}" has no WebGPU kernel for complex64 tensors yet; move the tensors to '
                           "the cpu device")
    return expr, ()


def cast(ctype: str, out_dtype) -> tuple[str, tuple]:
    """(to_copy's expression, its scalars) from compute type ``ctype`` to ``out_dtype`` where either is
    complex: a real number gains a zero imaginary part (a parameter: a zero the compiler sees in a fused
    chain lets it fold the NaN tests of what follows, as (nan + 0j) / ... giving 0); a complex one keeps its
    real part (torch warns, at the op), and is true where either part is non-zero."""
    if ctype != COMPLEX:
        return "vec2<f32>(f32(a), s0)", (("f32", 0.0),)
    if out_dtype.kind == "c":
        return "a", ()
    if out_dtype.kind == "b":
        return "nonzero_c64(a)", ()
    return ("float_to_int(a.x)" if out_dtype.kind in "iu" else "a.x"), ()


# the kernels (besides the elementwise template) that run on complex64 as they are: they move values, test
# them (nonzero, all, any), or fold them with a vec2 accumulator (sum, prod, cumsum, cumprod); index_put and
# scatter where they store. The rest are refused by name, where their WGSL would not compile
KERNELS = frozenset("sum prod all any nonzero cumsum cumprod index gather take_along put_along scatter_write "
                    "cat flip as_strided_scatter copy_slices im2col col2im mm bmm addmm_bias fft_c2c fft_r2c "
                    "fft_c2r".split())
# the kernels that add atomically, one float at a time: they run on the float32 pairs (a complex sum is the
# sums of its parts), the operand named here (an index along the data's dims) given a last dim of stride 0
PAIRED = {"scatter_add_write": 1, "scatter_reduce": 1, "index_put": None}


def check_kernel(op, attrs, inputs, out_meta) -> bool:
    """Whether ``op`` runs on the float32 pairs of its complex64 operands (see PAIRED); refuse its kernel
    where it has none for complex64 and an operand or result is."""
    if op.name in KERNELS or not (any(t is not None and t.dtype is dt.complex64 for t in inputs)
                                  or any(d is dt.complex64 for _, d in out_meta)):
        return False
    if op.name == "index_put" and not attrs["accumulate"]:
        return False
    if op.name in PAIRED and attrs.get("reduce", "sum") in ("sum", "mean"):
        return True
    raise RuntimeError(f'"{op.name}" has no WebGPU kernel for complex64 tensors yet; move the tensors to the '
                       "cpu device")


def paired(backend, launch, op, inputs, attrs, out_meta):
    """``launch`` (of a PAIRED op) on the float32 pairs of its complex64 operands: each storage it returns is
    the complex one's bytes."""
    along = PAIRED[op.name]
    laid = []
    for k, t in enumerate(inputs):
        if t.dtype is dt.complex64:
            t = _pairs(backend, t)
        elif k == along:
            t = Layout(t.storage, (*t.shape, 2), (*t.strides, 0), t.offset, t.dtype)
        laid.append(t)
    return launch(backend, op, laid, attrs, [((*shape, 2), dt.float32) for shape, _ in out_meta])


def _pairs(backend, t):
    """Complex64 layout ``t`` as its float32 pairs (a last dim of 2), over the same buffer (a pending fused
    result is computed first: its buffer is read as floats)."""
    from ..fusion import Pending  # (fusion's template imports this module)
    data = t.storage.data
    if isinstance(data, Pending):
        data.realize()
    floats = Storage(data, backend.device, t.storage.nbytes, lanes=t.storage.lanes)
    return Layout(floats, (*t.shape, 2), (*(2 * s for s in t.strides), 1), 2 * t.offset, dt.float32)


def parts(backend, t):
    """(real parts, imaginary parts) of complex64 layout ``t``: float32 layouts over the same buffer."""
    pairs = _pairs(backend, t)
    return (pairs.view(t.shape, pairs.strides[:-1], pairs.offset),
            pairs.view(t.shape, pairs.strides[:-1], pairs.offset + 1))


def matmul(backend, product, a, b, shape):
    """The complex64 product of ``a`` and ``b`` (``product(a, b, shape)``: a float32 one's storage) from
    four real ones: (ar br - ai bi) + (ar bi + ai br) i, each sum computed as it is written."""
    (ar, ai), (br, bi) = parts(backend, a), parts(backend, b)
    f32 = dt.float32
    real = [dense(product(x, y, shape), shape, f32) for x, y in ((ar, br), (ai, bi), (ar, bi), (ai, br))]
    re = dense(backend._elementwise(shape, f32, real[:2], "a - b"), shape, f32)
    im = dense(backend._elementwise(shape, f32, real[2:], "a + b"), shape, f32)
    return backend._elementwise(shape, dt.complex64, [re, im], "vec2<f32>(a, b)")

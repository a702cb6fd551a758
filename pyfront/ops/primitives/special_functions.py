"""The torch.special functions of Cephes' and SciPy's forms (the Bessel family, Airy's Ai, the
orthogonal polynomials, erfcx, ndtri, log_ndtr, the incomplete gamma ratios, zeta) and frexp: one
registry entry each, as in special.py. The cpu rules are cephes.py's, in the input's precision as
torch's kernels. The webgpu device has no kernel for them: a series that runs until it converges
(airy, igamma, zeta, the polynomials' recurrences) is unbounded work for one invocation, and a
float32 WGSL form would not be torch's float32 algorithm; they run through the documented cpu
fallback (ops/cpu_fallback.py: computed on the host, moved back, warned about once).

Gradients are torch's (tools/autograd/derivatives.yaml): none for the Bessel functions and the
polynomials (their results do not require grad), erfcx/ndtri/log_ndtr/frexp's, and for igamma and
zeta only with respect to the second argument (the first raises torch's "not implemented").
"""
from __future__ import annotations

import math

from ... import dtypes as dt
from ...tensor import Tensor
from ..argcheck import invalid_combination, must_be
from ..dispatch import apply, apply_like
from ..registry import OpDef, register
from .. import return_types, samples
from ..samples import T, s
from .elementwise import FLOAT, binary, exp, log, unary
from .special import _float_only, _scalar_overload

_HOST = {"cpu_fallback": True}


def _rule(name):
    """The NumPy rule ``name`` of cephes.py for float arrays, its result in the first input's dtype.
    cephes.py is NumPy code, imported at the first call: pyfront imports without NumPy (the page)."""
    def rule(np, *xs):
        from . import cephes
        return getattr(cephes, name)(*xs).astype(xs[0].dtype)
    return rule


def _no_half(name, dtype):
    """torch's CPU kernels of these functions are float and double only."""
    if dtype in (dt.float16, dt.bfloat16):
        raise NotImplementedError(f"\"{name}_cpu\" not implemented for '{dt.scalar_name(dtype)}'")


def _unary(name, vjp=None, domain=(None, None), save=(), save_output=False, arg="input"):
    """``arg``: the argument's name in torch's signature (its TypeError names it)."""
    fn = unary(f"special_{name}", _rule(name), vjp, out=FLOAT, torch_name=f"special.{name}",
               backward_name=f"Special{''.join(p.capitalize() for p in name.split('_'))}Backward0",
               domain=domain, save=save, save_output=save_output, extra=_HOST)

    def checked(input):
        if isinstance(input, Tensor):
            _no_half(name, input.dtype)
        return fn(input)

    def checked_x(x):
        if not isinstance(x, Tensor):  # the argument checks know ``input``; torch names this one ``x``
            raise must_be(f"special_{name}", "x", "Tensor", x, 1)
        return checked(x)

    special_fn = checked if arg == "input" else checked_x
    special_fn.__name__ = name
    special_fn.__doc__ = f"``torch.special.{name}``: Cephes' form, as torch's kernel (see cephes.py)."
    return special_fn


# -- Bessel functions and Airy's Ai: no derivative in torch ---------------------------------------------
bessel_j0 = _unary("bessel_j0")
bessel_j1 = _unary("bessel_j1")
bessel_y0 = _unary("bessel_y0", domain=(0.1, 12.0))
bessel_y1 = _unary("bessel_y1", domain=(0.1, 12.0))
modified_bessel_i0 = _unary("modified_bessel_i0")
modified_bessel_i1 = _unary("modified_bessel_i1")
modified_bessel_k0 = _unary("modified_bessel_k0", domain=(0.05, 6.0))
modified_bessel_k1 = _unary("modified_bessel_k1", domain=(0.05, 6.0))
scaled_modified_bessel_k0 = _unary("scaled_modified_bessel_k0", arg="x", domain=(0.05, 6.0))
scaled_modified_bessel_k1 = _unary("scaled_modified_bessel_k1", arg="x", domain=(0.05, 6.0))
spherical_bessel_j0 = _unary("spherical_bessel_j0", arg="x", domain=(-6.0, 6.0))
airy_ai = _unary("airy_ai", arg="x", domain=(-5.0, 5.0))


# -- erfcx, ndtri, log_ndtr -----------------------------------------------------------------------------
def _erfcx_vjp(c, g):
    # torch: (2 x erfcx(x) - 2 / sqrt(pi)) * grad
    return ((2.0 * c.inputs[0] * c.out - 2.0 / math.sqrt(math.pi)) * g,)


def _ndtri_vjp(c, g):
    # torch: grad * sqrt(2 pi) * exp(ndtri(x)^2 / 2)
    return (g * math.sqrt(2 * math.pi) * exp(c.out * c.out / 2.0),)


def _log_ndtr_vjp(c, g):
    # torch: grad / sqrt(2 pi) * exp(-(x^2 / 2 + log_ndtr(x))), the ratio of the density to the CDF
    x = c.inputs[0]
    return (g / math.sqrt(2 * math.pi) * exp(-(x * x / 2.0 + c.out)),)


erfcx = _unary("erfcx", _erfcx_vjp, save=(0,), save_output=True)
ndtri = _unary("ndtri", _ndtri_vjp, domain=(0.02, 0.98), save_output=True)
log_ndtr = _unary("log_ndtr", _log_ndtr_vjp, save=(0,), save_output=True)


# -- the orthogonal polynomials: no derivative in torch -------------------------------------------------
def _polynomial_samples():
    n = dict(dtype="int64", low=0, high=12)
    return [s(T((3, 4), low=-1.2, high=1.2), T((3, 4), **n)),
            s(T((3, 1), low=-1.0, high=1.0), T((1, 4), **n)),
            s(T((3, 4), low=-1.0, high=1.0), 3), s(T((3, 4), low=-1.0, high=1.0), 9),
            s(0.3, T((2, 3), **n)), s(T(()), T((2, 3), **n)), s(T((0, 3)), T((1, 3), **n)),
            s(T((4, 5), layout="transposed", low=-1.0, high=1.0), T((4, 5), dtype="int64", low=20, high=30)),
            s(T((3, 4), "float64", low=-1.5, high=1.5), T((3, 4), "int64", low=-2, high=40)),
            s(T((3, 4), dtype="int64", low=-2, high=3), T((3, 4), **n)),
            s(T((3, 4), low=-1.0, high=1.0), 2.7)]


def _polynomial(name):
    fn = binary(f"special_{name}", _rule(name), out=FLOAT, torch_name=f"special.{name}",
                samples=_polynomial_samples, extra=_HOST)

    def special_fn(x, n):
        # torch's signatures: (Tensor x, Tensor n), (Number x, Tensor n), (Tensor x, Number n)
        number = (int, float, bool)
        if not (isinstance(x, Tensor) and isinstance(n, (Tensor, *number))
                or isinstance(x, number) and isinstance(n, Tensor)):
            raise invalid_combination(f"special_{name}", (x, n), {})
        _no_half(name, dt.result_type(x, n))
        return fn(x, n)

    special_fn.__name__ = name
    special_fn.__doc__ = f"``torch.special.{name}(input, n)``: the degree-n polynomial by torch's recurrence."
    return special_fn


chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t")
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u")
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v")
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w")
shifted_chebyshev_polynomial_t = _polynomial("shifted_chebyshev_polynomial_t")
shifted_chebyshev_polynomial_u = _polynomial("shifted_chebyshev_polynomial_u")
shifted_chebyshev_polynomial_v = _polynomial("shifted_chebyshev_polynomial_v")
shifted_chebyshev_polynomial_w = _polynomial("shifted_chebyshev_polynomial_w")
hermite_polynomial_h = _polynomial("hermite_polynomial_h")
hermite_polynomial_he = _polynomial("hermite_polynomial_he")
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l")
legendre_polynomial_p = _polynomial("legendre_polynomial_p")


# -- incomplete gamma ratios and zeta -------------------------------------------------------------------
def _igamma_grad(sign):
    # torch: grad * exp((a - 1) log(x) - x - lgamma(a)), the gamma distribution's density (minus it for Q)
    def grad(c, g):
        a, x = c.inputs
        return sign * g * exp((a - 1) * log(x) - x - a.lgamma())
    return grad


def _zeta_grad(c, g):
    # torch: grad * -x * zeta(x + 1, q)
    x, q = c.inputs
    return g * -x * zeta(x + 1.0, q)


def _gamma_samples():
    return [s(T((3, 4), low=0.2, high=5.0), T((3, 4), low=0.1, high=8.0)),
            s(T((3, 1), low=0.5, high=3.0), T((1, 4), low=0.1, high=6.0)),
            s(T((2, 3), low=22.0, high=40.0), T((2, 3), low=20.0, high=45.0)),  # a ~ x >> 1
            s(T(()), T((2, 3), low=0.05, high=0.6)), s(T((0, 3)), T((1, 3))),
            s(T((4, 5), layout="transposed", low=0.3, high=4.0), T((4, 5), low=0.2, high=9.0)),
            s(T((3, 4), "float64", low=0.2, high=300.0), T((3, 4), "float64", low=0.1, high=300.0)),
            s(T((3, 4), "int64"), T((3, 4)))]


def _zeta_samples():
    return [s(T((3, 4), low=1.1, high=8.0), T((3, 4), low=0.2, high=5.0)),
            s(T((3, 1), low=2.0, high=5.0), T((1, 4), low=-3.0, high=3.0)),
            s(T((3, 4), low=1.5, high=4.0), 2.5), s(3.0, T((2, 3), low=0.5, high=4.0)),
            s(T(()), T((2, 3))), s(T((0, 3)), T((1, 3))),
            s(T((4, 5), layout="transposed", low=1.2, high=9.0), T((4, 5), low=0.5, high=3.0)),
            s(T((3, 4), "float64", low=1.0, high=12.0), T((3, 4), "float64", low=-4.0, high=6.0)),
            s(T((3, 4), "int64", low=1, high=6), T((3, 4), "int64", low=-3, high=5))]


# torch's kernel has the second operand's gradient only: it saves both operands for that one alone
_SECOND_ONLY = {0: (1,), 1: (1,)}


def _grad_of_second(what, grad):
    def vjp(c, g):
        if c.needs_input_grad[0]:
            raise NotImplementedError(f"the derivative for '{what}' is not implemented.")
        return None, grad(c, g)
    return vjp


_igamma_op = binary("igamma", _rule("igamma"), _grad_of_second("igamma: input", _igamma_grad(1.0)),
                    scalars="none", save=(0, 1), saved_for=_SECOND_ONLY, samples=_gamma_samples,
                    domain=(0.1, None), extra=_HOST)
_igammac_op = binary("igammac", _rule("igammac"), _grad_of_second("igammac: input", _igamma_grad(-1.0)),
                     scalars="none", save=(0, 1), saved_for=_SECOND_ONLY, samples=_gamma_samples,
                     domain=(0.1, None), extra=_HOST)
igamma = _float_only("igamma", _igamma_op)
igammac = _float_only("igammac", _igammac_op)
igamma.__doc__ = "The regularized lower incomplete gamma function P(a, x), as ``torch.igamma``."
igammac.__doc__ = "The regularized upper incomplete gamma function Q(a, x), as ``torch.igammac``."
gammainc, gammaincc = igamma, igammac


_zeta_op = binary("special_zeta", _rule("zeta"), _grad_of_second("zeta", _zeta_grad), out=FLOAT,
                  torch_name="special.zeta", grad_fn=_scalar_overload("SpecialZetaBackward"), save=(0, 1),
                  saved_for=_SECOND_ONLY,
                  samples=_zeta_samples, extra=_HOST)


def zeta(input, other):
    """Hurwitz's zeta function sum_k (k + other)^-input, as ``torch.special.zeta``."""
    _no_half("zeta", dt.result_type(input, other))
    return _zeta_op(input, other)


# -- frexp ----------------------------------------------------------------------------------------------
def _frexp_infer(x):
    return [(x.shape, x.dtype), (x.shape, dt.int32)]


def _frexp_np(np, x):
    m, e = np.frexp(x)
    return m.astype(x.dtype), np.where(np.isfinite(x), e, 0).astype(np.int32)


_frexp = register(OpDef(
    "frexp", "other", _frexp_infer, _frexp_np, lambda c, g, _: (g / c.outputs[1].to(g.dtype).exp2(),),
    save_output=(1,), torch_name="frexp", differentiable_outputs=(0,),
    samples=lambda: samples.elementwise(1)[:-1] + [s(T((5,), "float64")), s(T((3,), "int64"))],
    extra=_HOST))


def frexp(input):
    """``input`` as mantissa * 2 ** exponent, the mantissa in [0.5, 1) (or 0, inf, NaN) and an int32
    exponent, as ``torch.frexp``; a ``torch.return_types.frexp``."""
    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    return return_types.frexp(*apply_like(input, _frexp, input))  # both laid out as input (TensorIterator's)


__all__ = ["frexp", "igamma", "igammac"]
SPECIAL = ("bessel_j0 bessel_j1 bessel_y0 bessel_y1 modified_bessel_i0 modified_bessel_i1 modified_bessel_k0 "
           "modified_bessel_k1 scaled_modified_bessel_k0 scaled_modified_bessel_k1 spherical_bessel_j0 "
           "airy_ai "
           "erfcx ndtri log_ndtr gammainc gammaincc zeta chebyshev_polynomial_t chebyshev_polynomial_u "
           "chebyshev_polynomial_v chebyshev_polynomial_w shifted_chebyshev_polynomial_t "
           "shifted_chebyshev_polynomial_u shifted_chebyshev_polynomial_v shifted_chebyshev_polynomial_w "
           "hermite_polynomial_h hermite_polynomial_he laguerre_polynomial_l legendre_polynomial_p").split()
METHODS = "frexp igamma igammac"
INPLACE = "igamma igammac"

"""elu's family, softplus and logsigmoid, and their torch backward kernels, written once over a namespace
``m`` of the operations they take: NumPy's (elementwise.NUMPY_MATH: the cpu kernels, one pass) or pyfront's
tensor ops (nn/functional/activation.py: webgpu's composites). ``m.num(x, v)``: the number ``v`` as a step
of ``x``'s dtype takes it (its opmath: float32 but for float64), so both give the same bits."""
from __future__ import annotations


def elu(m, x, alpha, scale, input_scale):
    """``x * scale`` from 0 up, ``expm1(x * input_scale) * (alpha * scale)`` below: zeros take the first
    side (torch keeps their sign for any alpha), and only negative inputs reach expm1 (no overflow)."""
    negative = x < m.num(x, 0.0)
    neg = m.expm1(m.where(negative, x, m.num(x, 0.0)) * m.num(x, input_scale)) * m.num(x, alpha * scale)
    return m.where(negative, neg, x * m.num(x, scale))


def softplus(m, x, beta, threshold):
    """``log1p(exp(x * beta)) / beta``, ``x`` where ``x * beta > threshold`` (whose exp is not taken)."""
    scaled = x * m.num(x, beta)
    linear = scaled > m.num(x, threshold)
    soft = m.log1p(m.exp(m.where(linear, m.num(x, threshold), scaled))) / m.num(x, beta)
    return m.where(linear, x, soft)


def logsigmoid(m, x):
    """In three ranges, each seeing only its own inputs: ``x`` below -c (c = 40, 10 for 16-bit dtypes),
    ``log(sigmoid(x))`` in ``[-c, 0)``, ``0 - log1p(exp(-x))`` from 0 (+0 at +inf, as torch's)."""
    far = x < m.num(x, -10.0 if x.dtype.itemsize == 2 else -40.0)
    negative = x < m.num(x, 0.0)
    mid = m.where(m.logical_and(negative, m.logical_not(far)), x, m.num(x, 0.0))
    high = m.where(negative, m.num(x, 0.0), x)
    soft = m.where(negative, m.log(m.sigmoid(mid)), m.num(x, 0.0) - m.log1p(m.exp(-high)))
    return m.where(far, x, soft)


def elu_backward(m, g, x, alpha, scale, input_scale, nan_negative):
    """torch's elu_backward kernel (is_result false): ``g * input_scale * (alpha * scale) * exp(x *
    input_scale)`` where x <= 0, else ``g * scale``; NaN on the first side (``nan_negative``: torch's
    float vectors) or the second (its scalar tail, its 16-bit kernels)."""
    negcoef = m.num(x, m.num(x, alpha) * m.num(x, scale))
    neg = g * m.num(x, input_scale) * negcoef * m.exp(x * m.num(x, input_scale))
    pos = g * m.num(x, scale)
    return m.where(x > m.num(x, 0.0), pos, neg) if nan_negative else m.where(x <= m.num(x, 0.0), neg, pos)


def elu_backward_from_result(m, g, y, alpha, scale, input_scale, nan_negative):
    """torch's elu_backward kernel with is_result (an in-place elu's, from its result ``y``): ``g *
    input_scale * (y + alpha * scale)`` where y <= 0, else ``g * scale``; NaN on the sides as elu_backward."""
    negcoef = m.num(y, m.num(y, alpha) * m.num(y, scale))
    neg = g * input_scale * (y + negcoef)
    pos = g * scale
    return m.where(y > 0, pos, neg) if nan_negative else m.where(y <= 0, neg, pos)


def softplus_backward(m, g, x, beta, threshold):
    """torch's softplus_backward kernel: ``g`` where x * beta > threshold, else ``g * z / (z + 1)``, z =
    exp(x * beta) (an infinite g times z = 0 at -inf: NaN, as there)."""
    scaled = x * m.num(x, beta)
    z = m.exp(scaled)
    return m.where(scaled > m.num(x, threshold), g, g * z / (z + m.num(x, 1.0)))


def log_sigmoid_backward(m, g, x, z=None):
    """torch's log_sigmoid_backward kernel over its buffer z = exp(-|x|) (given where the forward stored it
    rounded): ``(1 - z / (1 + z)) * g`` below 0, ``(0 + z / (1 + z)) * g`` from 0 (NaN included)."""
    if z is None:
        z = m.exp(-m.abs(x))
    share = z / (m.num(x, 1.0) + z)
    return m.where(x < m.num(x, 0.0), m.num(x, 1.0) - share, m.num(x, 0.0) + share) * g

"""torch.special and the distributions built on it, as scientific code uses them: the quantum harmonic
oscillator's eigenfunctions by torch.special.hermite_polynomial_h, Chebyshev interpolation with
chebyshev_polynomial_t/u, Legendre polynomials for Gauss quadrature nodes, Laguerre for the hydrogen radial
function, Bessel j0/j1/y0, modified Bessel i0/i0e/i1e/k0/k1 (a von Mises density), spherical_bessel_j0,
airy_ai, zeta and polygamma (Hurwitz sums), digamma/multigammaln (a Wishart normaliser), log_ndtr/ndtri/
erfcx (truncated normals far in the tail), xlogy/xlog1py/entr, gammainc/gammaincc, sinc, logit/expit and
their gradients where torch defines them."""
import math

import torch
from torch import special as S

torch.set_default_dtype(torch.float64)
x = torch.linspace(-3, 3, 7)

# harmonic oscillator psi_n(x) = (2^n n! sqrt(pi))^-1/2 H_n(x) exp(-x^2/2)
grid = torch.linspace(-8, 8, 2001)
dx = grid[1] - grid[0]
psis = []
for n in range(5):
    norm = 1.0 / math.sqrt(2 ** n * math.factorial(n) * math.sqrt(math.pi))
    psis.append(norm * S.hermite_polynomial_h(grid, n) * torch.exp(-grid ** 2 / 2))
P = torch.stack(psis)
overlap = P @ P.T * dx
print("orthonormal:", torch.allclose(overlap, torch.eye(5), atol=1e-6), S.hermite_polynomial_he(x, 3).tolist())

# Chebyshev interpolation of exp on [-1, 1]
N = 12
k = torch.arange(N, dtype=torch.float64)
nodes = torch.cos(math.pi * (k + 0.5) / N)
f = torch.exp(nodes)
T = torch.stack([S.chebyshev_polynomial_t(nodes, j) for j in range(N)], 1)
coef = 2.0 / N * T.T @ f
coef[0] /= 2
xs = torch.linspace(-1, 1, 5)
approx = torch.stack([S.chebyshev_polynomial_t(xs, j) for j in range(N)], 1) @ coef
print(f"chebyshev max err {(approx - torch.exp(xs)).abs().max().item():.3e}",
      S.chebyshev_polynomial_u(xs, 3).tolist(), S.chebyshev_polynomial_t(torch.tensor([2.0]), 4).tolist())

# Gauss-Legendre nodes by Newton on P_n, and their weights
n = 6
t = torch.cos(math.pi * (torch.arange(1, n + 1) - 0.25) / (n + 0.5))
for _ in range(10):
    p = S.legendre_polynomial_p(t, n)
    dp = n * (t * p - S.legendre_polynomial_p(t, n - 1)) / (t ** 2 - 1)
    t = t - p / dp
w = 2 / ((1 - t ** 2) * dp ** 2)
print("gauss-legendre", t.tolist()[:3], f"{(w * torch.cos(t)).sum().item():.12f}", f"{2 * math.sin(1):.12f}")

r = torch.linspace(0.1, 10, 5)
R21 = (1 / math.sqrt(24)) * r * torch.exp(-r / 2)
R20 = (1 / math.sqrt(2)) * (1 - r / 2) * torch.exp(-r / 2)
print("laguerre", S.laguerre_polynomial_l(r, 2).tolist(), torch.allclose(R20, (1 / math.sqrt(2)) * S.laguerre_polynomial_l(r, 1) * torch.exp(-r / 2) * 0 + R20))

z = torch.tensor([0.0, 0.5, 1.0, 2.5, 10.0])
for name in ["bessel_j0", "bessel_j1", "modified_bessel_i0", "modified_bessel_i1", "i0e", "i1e",
             "spherical_bessel_j0", "airy_ai", "erfcx", "log_ndtr", "entr", "sinc", "expit"]:
    print(name, [float(f"{v:.10g}") for v in getattr(S, name)(z).tolist()])
zp = z[1:]
for name in ["bessel_y0", "bessel_y1", "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0"]:
    print(name, [float(f"{v:.10g}") for v in getattr(S, name)(zp).tolist()])

kappa, mu = 2.0, 0.3
theta = torch.linspace(-math.pi, math.pi, 5)
vm = torch.distributions.VonMises(torch.tensor(mu), torch.tensor(kappa))
manual = kappa * torch.cos(theta - mu) - math.log(2 * math.pi) - (math.log(S.i0e(torch.tensor(kappa)).item()) + kappa)
print("von mises", torch.allclose(vm.log_prob(theta), manual), f"{vm.variance.item():.10f}")

print("zeta", S.zeta(torch.tensor([2.0, 3.0, 4.0]), torch.tensor(1.0)).tolist(), math.pi ** 2 / 6)
print("polygamma", [S.polygamma(k, torch.tensor([0.5, 3.0])).tolist() for k in range(4)])
print("digamma", S.digamma(torch.tensor([1.0, 0.5, 10.0])).tolist(), "multigammaln", S.multigammaln(torch.tensor([3.5, 5.0]), 3).tolist())
print("gammainc", S.gammainc(torch.tensor([1.0, 2.5]), torch.tensor([0.5, 3.0])).tolist(),
      S.gammaincc(torch.tensor([1.0, 2.5]), torch.tensor([0.5, 3.0])).tolist())
print("xlogy", S.xlogy(torch.tensor([0.0, 2.0]), torch.tensor([0.0, 3.0])).tolist(),
      S.xlog1py(torch.tensor([0.0, 2.0]), torch.tensor([-1.0, 3.0])).tolist())
q = torch.tensor([1e-10, 0.01, 0.5, 0.975])
print("ndtri", S.ndtri(q).tolist(), S.ndtr(S.ndtri(q)).tolist())
a, b = torch.tensor(8.0), torch.tensor(9.0)
logZ = torch.logaddexp(S.log_ndtr(b), S.log_ndtr(-a) + 0) if False else S.log_ndtr(-a) + torch.log1p(-torch.exp(S.log_ndtr(-b) - S.log_ndtr(-a)))
print(f"tail mass log {logZ.item():.10f}", f"erfcx-based {torch.log(S.erfcx(a / math.sqrt(2)) / 2).item() - a.item() ** 2 / 2:.10f}")

g = torch.tensor([0.3, 1.7, 4.0], requires_grad=True)
outs = [S.i0e(g), S.i1e(g), S.erfcx(g), S.log_ndtr(g), S.entr(g), S.sinc(g), S.xlog1py(g, g), S.digamma(g),
        S.polygamma(1, g), S.logit(g / 5, eps=1e-6), S.ndtri(g / 5)]
grads = [torch.autograd.grad(o.sum(), g)[0].tolist() for o in outs]
for gr in grads:
    print("grad", [float(f"{v:.9g}") for v in gr])
for name in ["hermite_polynomial_h", "bessel_j0", "zeta"]:
    try:
        out = getattr(S, name)(g, 2) if name != "bessel_j0" else S.bessel_j0(g)
        out.sum().backward()
    except RuntimeError as e:
        print(name, "RuntimeError:", str(e)[:90])

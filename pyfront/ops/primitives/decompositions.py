"""The LAPACK-backed primitives of ``pyfront.linalg``: solve, inv, det, slogdet, cholesky, qr, geqrf, svd,
eigh.

Each is one registry entry: NumPy's LAPACK call forward, and PyTorch's backward formula (from
``FunctionsManual.cpp``, real case) written in pyfront ops, so double backward and batches come free.
Inputs arrive checked and, where two operands meet, broadcast to one batch (``pyfront.linalg``).
There is no WGSL kernel: on webgpu the dispatcher runs them on the CPU and moves the result back
(``cpu_fallback``), once warning that it does, as PyTorch's MPS fallback does.

Where LAPACK fails on a matrix (a zero pivot, a minor that is not positive-definite) the result
carries LAPACK's ``info`` for each matrix; the ``_ex`` functions return it and the others raise
``LinAlgError`` with PyTorch's message. Failed matrices hold nan (PyTorch leaves LAPACK's partial
result there, which its documentation calls meaningless).
"""
from __future__ import annotations

from ... import dtypes as dt
from ..creation import eye, ones
from ..dispatch import apply, apply_column_major
from ..registry import OpDef, register
from .shaping import cat

__all__: list = []
METHODS = ""
INPLACE = ""


class LinAlgError(RuntimeError):
    """Raised when a matrix is singular or not positive-definite, as ``torch.linalg.LinAlgError``."""


# torch's class is its C extension's _LinAlgError (what ``type(e).__name__`` and a traceback say);
# the alias keeps a pickled one loadable by that name
LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"
_LinAlgError = LinAlgError


# -- LAPACK failures, matrix by matrix -------------------------------------------------------------
def _per_matrix(np, fn, info_of, out_shape, *arrays):
    """``fn(*arrays)`` over a batch, and each matrix's LAPACK info (0 where it succeeded)."""
    try:
        return fn(*arrays), np.zeros(arrays[0].shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        pass
    out = np.full(out_shape, np.nan, arrays[0].dtype).reshape((-1,) + tuple(out_shape[-2:]))
    info = np.zeros(out.shape[0], np.int32)
    for i, mats in enumerate(zip(*(a.reshape((-1,) + a.shape[-2:]) for a in arrays))):
        try:
            out[i] = fn(*mats)
        except np.linalg.LinAlgError:
            info[i] = info_of(np, mats[0])
    return out.reshape(out_shape), info.reshape(arrays[0].shape[:-2])


def _zero_pivot(np, a):
    """The 1-based index of the first zero diagonal element of U in LAPACK's getrf (partial pivoting)."""
    u = a.astype(np.float64 if a.dtype == np.float64 else np.float32, copy=True)
    for k in range(u.shape[0]):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        u[[k, p]] = u[[p, k]]
        if u[k, k] == 0:
            return k + 1
        u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return 0


def _not_pd_minor(np, a):
    """The order of the first leading minor that is not positive-definite (potrf's info)."""
    return next(k for k in range(1, a.shape[0] + 1) if not _cholesky_ok(np, a[:k, :k]))


def _cholesky_ok(np, a):
    try:
        _cholesky_np(np, a)
        return True
    except np.linalg.LinAlgError:
        return False


# each op's error, after the name of the function torch reports (the plain one's unless the op's
# ``check_errors`` names another: ``checked_by``)
_MESSAGES = {
    "inv": ("linalg.inv", "The diagonal element {info} is zero, the inversion could not be completed "
            "because the input matrix is singular."),
    "solve": ("torch.linalg.solve", "The solver failed because the input matrix is singular."),
    "cholesky": ("linalg.cholesky", "The factorization could not be completed because the input is not "
                 "positive-definite (the leading minor of order {info} is not positive-definite)."),
}


def _raise_on_info(np, name, info, caller=None):
    bad = np.flatnonzero(info)
    if bad.size:
        batch = f"(Batch element {bad[0]}): " if info.ndim else ""
        plain, text = _MESSAGES[name]
        raise LinAlgError(f"{caller or plain}: {batch}" + text.format(info=info.reshape(-1)[bad[0]]))


def checked_by(check_errors, caller: str):
    """The ops' ``check_errors`` attribute for a check asked by ``caller`` (``linalg.inv_ex``, the old
    ``cholesky``), the function torch's error names: False where none is asked."""
    return caller if check_errors else False


def _with_info(name, fn, info_of):
    def run(np, *arrays, check_errors):
        out, info = _per_matrix(np, lambda *m: fn(np, *m), info_of, arrays[-1].shape, *arrays)
        if check_errors:
            _raise_on_info(np, name, info, check_errors if isinstance(check_errors, str) else None)
        if name != "cholesky":  # a nan anywhere in A spreads over the whole result, as in PyTorch's LU
            out = np.where(np.isnan(arrays[0]).any((-2, -1), keepdims=True), np.nan, out)
        return out, info
    return run


def _cholesky_np(np, a):
    lower = np.linalg.cholesky(a)
    if np.isnan(lower).any():  # LAPACK's potrf stops at a nan pivot, which NumPy does not report
        raise np.linalg.LinAlgError("not positive-definite")
    return lower


def _eye(like, n):
    return eye(n, dtype=like.dtype, device=like.device)


# -- inv and solve ---------------------------------------------------------------------------------
def _inv_vjp(c, g, _):
    ainv = c.outputs[0]
    return (-(ainv.mT @ g @ ainv.mT),)


def _solve_vjp(c, g, _):
    a, x = c.inputs[0], c.outputs[0]
    gb = solve(a.mT, g)
    return (-(gb @ x.mT) if c.needs_input_grad[0] else None), gb


def _info_meta(a):
    return (tuple(a.shape[:-2]), dt.int32)


_INV = register(OpDef("linalg_inv_ex", "other",
                      lambda a, check_errors: [(tuple(a.shape), a.dtype), _info_meta(a)],
                      _with_info("inv", lambda np, a: np.linalg.inv(a), _zero_pivot), _inv_vjp,
                      save_output=True, backward_name="LinalgInvExBackward0", extra={"cpu_fallback": True}))
_SOLVE = register(OpDef("linalg_solve_ex", "other",
                        lambda a, b, check_errors: [(tuple(b.shape), b.dtype), _info_meta(a)],
                        _with_info("solve", lambda np, a, b: np.linalg.solve(a, b), _zero_pivot), _solve_vjp,
                        arity=2, save=(0,), save_output=True, backward_name="LinalgSolveExBackward0",
                        extra={"cpu_fallback": True}))


def inv(a):
    return apply(_INV, a, check_errors=True)[0]


def solve(a, b):
    """``A^{-1} B`` for matrices of one batch shape (the VJPs' solver)."""
    return apply(_SOLVE, a, b, check_errors=True)[0]


# -- det and slogdet -------------------------------------------------------------------------------
def _det_vjp(c, g):
    """PyTorch's linalg_det_backward: ``g det A^{-T}``, or through the SVD where A is (near) singular."""
    a, d = c.inputs[0], c.outputs[0]
    eps = dt.finfo(a.dtype).eps
    if bool(((d.abs() < eps * a.square().sum((-2, -1)).sqrt()) | ~d.isfinite()).any()):
        return (_det_singular_vjp(a, g),)
    return ((g * d)[..., None, None] * inv(a).mT,)


def _det_singular_vjp(a, g):
    u, s, vh = svd(a, False)
    alpha = det(u) * det(vh)
    one = ones(s.shape[:-1] + (1,), dtype=s.dtype, device=s.device)
    # the product of every other singular value (no division, so zeros are safe)
    before = cat([one, s[..., :-1]], -1).cumprod(-1)
    after = cat([s[..., 1:], one], -1).flip(-1).cumprod(-1).flip(-1)
    return (u * ((g * alpha)[..., None] * before * after).unsqueeze(-2)) @ vh


def _slogdet_vjp(c, _, g):
    """The real sign is piecewise constant: it contributes nothing (no gradient when used alone)."""
    return (g[..., None, None] * inv(c.inputs[0]).mT if g is not None else None,)


_DET = register(OpDef("linalg_det", "other", lambda a: [(tuple(a.shape[:-2]), a.dtype)],
                      lambda np, a: np.linalg.det(a), _det_vjp, save=(0,), save_output=True,
                      extra={"cpu_fallback": True}))
def _slogdet_np(np, a):
    sign, logabsdet = np.linalg.slogdet(a)
    return np.where(np.isnan(logabsdet), 0, sign), logabsdet  # PyTorch's sign of a nan determinant is 0


_SLOGDET = register(OpDef("linalg_slogdet", "other", lambda a: [(tuple(a.shape[:-2]), a.dtype)] * 2,
                          _slogdet_np, _slogdet_vjp, save=(0,),
                          differentiable_outputs=(0, 1), extra={"cpu_fallback": True}))


def det(a):
    return apply(_DET, a)


def slogdet(a):
    return apply(_SLOGDET, a)


# -- cholesky --------------------------------------------------------------------------------------
def _cholesky_vjp(c, g, _):
    """PyTorch's cholesky_backward (Murray 2016): ``L^{-T} Φ(L^T gL) L^{-1}``, Φ symmetrising the lower
    part; the result is symmetric."""
    lower = c.outputs[0]
    phi = (lower.mT @ g).tril()
    phi = 0.5 * (phi + phi.tril(-1).mT)
    ga = solve(lower.mT, phi)
    return (solve(lower.mT, ga.mT).mT,)


_CHOLESKY = register(OpDef("linalg_cholesky_ex", "other",
                           lambda a, check_errors: [(tuple(a.shape), a.dtype), _info_meta(a)],
                           _with_info("cholesky", _cholesky_np, _not_pd_minor),
                           _cholesky_vjp, save_output=True, backward_name="LinalgCholeskyExBackward0",
                           extra={"cpu_fallback": True}))


def cholesky_ex(a, check_errors):
    return apply_column_major(_CHOLESKY, (0,), a, check_errors=check_errors)


# -- qr --------------------------------------------------------------------------------------------
def _qr_infer(a, mode):
    *batch, m, n = a.shape
    k = m if mode == "complete" else min(m, n)
    q = tuple(batch) + (m, k) if mode != "r" else (0,)
    return [(q, a.dtype), (tuple(batch) + (k, n), a.dtype)]


def _qr_np(np, a, mode):
    if mode == "r":
        return np.empty(0, a.dtype), np.linalg.qr(a, mode="r")
    return tuple(np.linalg.qr(a, mode=mode))


def _qr_vjp(c, gq, gr):
    """PyTorch's linalg_qr_backward (real case)."""
    mode = c.attrs["mode"]
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when "
                           "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to "
                           "differentiate through linalg.qr.")
    q, r = c.outputs
    m, n = q.shape[-2], r.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and "
                           "nrows > ncols.")
    mh = gr @ r.mT if gr is not None else 0
    if gq is not None:
        mh = mh - q.mT @ gq
    if m >= n:
        x = mh.triu()
        b = q @ (x + x.mT - x * _eye(x, n))  # syminvadj: the symmetric matrix of x's upper part
        if gq is not None:
            b = b + gq
        return (solve(r, b.mT).mT,)  # b R^{-T}
    b = q @ (-mh + mh.mT).tril()
    lead = solve(r[..., :m], b.mT).mT
    ga = cat([lead, lead.new_zeros(lead.shape[:-1] + (n - m,))], -1)
    return (ga + q @ gr if gr is not None else ga,)


_QR = register(OpDef("linalg_qr", "other", _qr_infer, _qr_np, _qr_vjp, save_output=True,
                     differentiable_outputs=(0, 1), extra={"cpu_fallback": True}))


def qr(a, mode):
    return apply_column_major(_QR, (0, 1), a, mode=mode)


# -- geqrf: QR in LAPACK's compact form ------------------------------------------------------------
def _geqrf_np(np, a):
    """R on and above the diagonal, the Householder vectors below it, and their scales: NumPy's 'raw' QR,
    which is LAPACK's geqrf (its matrix comes back transposed, Fortran's order)."""
    *batch, m, n = a.shape
    if a.size == 0:
        return a.copy(), np.zeros(tuple(batch) + (min(m, n),), a.dtype)
    h, tau = np.linalg.qr(a, mode="raw")
    return np.ascontiguousarray(np.swapaxes(h, -1, -2)), tau.astype(a.dtype, copy=False)


def _geqrf_vjp(c, *_):
    raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


def _geqrf_infer(a):
    return [(tuple(a.shape), a.dtype), (tuple(a.shape[:-2]) + (min(a.shape[-2:]),), a.dtype)]


_GEQRF = register(OpDef("geqrf", "other", _geqrf_infer, _geqrf_np, _geqrf_vjp, differentiable_outputs=(0, 1),
                        extra={"cpu_fallback": True}))


def geqrf(a):
    return apply_column_major(_GEQRF, (0,), a)


# -- svd -------------------------------------------------------------------------------------------
def _svd_infer(a, full_matrices):
    *batch, m, n = a.shape
    k = min(m, n)
    batch = tuple(batch)
    u, v = (m, n) if full_matrices else (k, k)
    return [(batch + (m, u), a.dtype), (batch + (k,), a.dtype), (batch + (v, n), a.dtype)]


def _svd_vjp(c, gu, gs, gvh):
    """PyTorch's svd_backward (real case), with ``E_jk = S_k^2 - S_j^2`` off the diagonal."""
    u, s, vh = c.outputs
    m, n, k = u.shape[-2], vh.shape[-1], s.shape[-1]
    if gu is None and gvh is None:
        return ((u[..., :k] * gs.unsqueeze(-2)) @ vh[..., :k, :],)
    u, vh = u[..., :k], vh[..., :k, :]
    gu = gu[..., :k] if gu is not None else None
    gvh = gvh[..., :k, :] if gvh is not None else None
    s2 = s * s
    e = s2.unsqueeze(-2) - s2.unsqueeze(-1)
    eye = _eye(s, k)
    e = e + eye  # 1 on the diagonal, where the skew parts below are 0
    ga = 0
    if gu is not None:
        uhgu = u.mT @ gu
        ga = (uhgu - uhgu.mT) / e * s.unsqueeze(-2)
    if gvh is not None:
        vhgv = vh @ gvh.mT
        ga = ga + s.unsqueeze(-1) * ((vhgv - vhgv.mT) / e)
    if gs is not None:
        ga = ga + gs.unsqueeze(-1) * eye
    if m > n and gu is not None:
        ga = u @ ga
        gu_sinv = gu / s.unsqueeze(-2)
        return ((ga + gu_sinv - u @ (u.mT @ gu_sinv)) @ vh,)
    if m < n and gvh is not None:
        ga = ga @ vh
        sinv_gvh = gvh / s.unsqueeze(-1)
        return (u @ (ga + sinv_gvh - (sinv_gvh @ vh.mT) @ vh),)
    return (u @ ga @ vh,)


def _svd_np(np, a, full_matrices):
    try:
        return tuple(np.linalg.svd(a, full_matrices=full_matrices))
    except np.linalg.LinAlgError:  # NumPy's "SVD did not converge", which a nan input gives
        raise LinAlgError("linalg.svd: The algorithm failed to converge because the input matrix contained "
                          "non-finite values.") from None


_SVD = register(OpDef("linalg_svd", "other", _svd_infer, _svd_np,
                      _svd_vjp, save_output=True, differentiable_outputs=(0, 1, 2),
                      extra={"cpu_fallback": True}))


def svd(a, full_matrices):
    return apply_column_major(_SVD, (0, 2), a, full_matrices=full_matrices)


# -- eigh ------------------------------------------------------------------------------------------
def _eigh_vjp(c, gl, gv):
    """PyTorch's linalg_eig_backward for Hermitian input: ``V (diag(gL) + skew(V^T gV) / E) V^T``."""
    lam, v = c.outputs
    n = lam.shape[-1]
    eye = _eye(lam, n)
    ga = gl.unsqueeze(-1) * eye if gl is not None else 0
    if gv is not None:
        vhgv = v.mT @ gv
        ga = ga + 0.5 * (vhgv - vhgv.mT) / (lam.unsqueeze(-2) - lam.unsqueeze(-1) + eye)
    return (v @ ga @ v.mT,)


_EIGH = register(OpDef("linalg_eigh", "other", lambda a, UPLO: [(tuple(a.shape[:-1]), a.dtype),
                                                                 (tuple(a.shape), a.dtype)],
                       lambda np, a, UPLO: tuple(np.linalg.eigh(a, UPLO=UPLO)), _eigh_vjp, save_output=True,
                       differentiable_outputs=(0, 1), extra={"cpu_fallback": True}))


def eigh(a, uplo):
    return apply_column_major(_EIGH, (1,), a, UPLO=uplo)


# -- eig (general matrices: complex results) -------------------------------------------------------
def _eig_np(np, a):
    w, v = np.linalg.eig(a)  # NumPy gives real arrays where every eigenvalue is real: torch's are complex
    kind = np.result_type(a.dtype, np.complex64)
    return w.astype(kind, copy=False), v.astype(kind, copy=False)


def _eig_vjp(c, gl, gv):
    """PyTorch's linalg_eig_backward: ``V^-H (diag(gL) + (V^H gV - V^H V Re(diag(V^H gV))) / conj(E)) V^H``
    with ``E_ij = L_j - L_i``. Written for torch's convention directly, so the node's conjugation (it runs
    every VJP on conj(g) and conjugates the result: graph._conjugate_vjp) is undone on both sides."""
    lam, v = c.outputs
    gl = None if gl is None else gl.conj()
    gv = None if gv is None else gv.conj()
    n = lam.shape[-1]
    vh = v.mT.conj()
    eye = _eye(lam, n)
    ga = gl.unsqueeze(-1) * eye if gl is not None else 0
    if gv is not None:
        vhgv = vh @ gv
        diag = vhgv.diagonal(0, -2, -1).real
        vhgv = vhgv - vh @ (v * diag.unsqueeze(-2))
        lc = lam.conj()
        econj = lc.unsqueeze(-2) - lc.unsqueeze(-1) + eye
        ga = ga + vhgv / econj * (1 - eye)
    return (solve(vh, ga @ vh).conj(),)


_EIG = register(OpDef("linalg_eig", "other",
                      lambda a: [(tuple(a.shape[:-1]), dt.to_complex(a.dtype)),
                                 (tuple(a.shape), dt.to_complex(a.dtype))],
                      _eig_np, _eig_vjp, save_output=True, differentiable_outputs=(0, 1),
                      backward_name="LinalgEigBackward0", extra={"cpu_fallback": True}))


def eig(a):
    return apply_column_major(_EIG, (1,), a)

"""torch's shell dtypes (uint16/32/64, the float8 family) have a narrow set of CPU kernels: which ops torch
refuses for them, and the kernel its NotImplementedError names ("add_stub" not implemented for 'UInt32').

The tables were learned by running each op of pyfront's op table (tests/optable.py) in torch 2.13 on
operands of each shell dtype: an op named here is refused, by its public name (a primitive's OpDef name
or a composite's), before it computes (a composite of ``BY_PRIMITIVES`` by the primitives inside it); one
not named computes as it does for any dtype. An entry is
``name`` (the kernel is named as the op) or ``name:kernel``. Ops whose refusal pyfront cannot name as
torch does (torch refuses inside a kernel pyfront builds another way) are listed in
tests/test_shell_dtypes.py.
"""
from __future__ import annotations

import functools
import threading

from .. import dtypes as dt

_WIDE_UNSIGNED = """
    abs:abs_cpu add:add_stub addbmm:addmm_impl_cpu_ addmm:addmm_impl_cpu_ addmv:addmv_impl_cpu
    amax:max_values_cpu amin:min_values_cpu aminmax:aminmax_cpu argmax:argmax_cpu argmin:argmin_cpu baddbmm
    bincount:bincount_cpu bitwise_left_shift:lshift_cpu bitwise_not:bitwise_not_cpu
    bitwise_right_shift:rshift_cpu bmm bucketize:searchsorted_out_cpu col2im:col2im_out_cpu
    combinations:masked_select cummax:cummax_cpu cummin:cummin_cpu
    cumulative_trapezoid:add_stub diff:add_stub dist:add_stub div_floor:div_floor_cpu
    div_trunc:div_trunc_cpu dot floor_divide:div_floor_cpu fmax:maximum_cpu fmin:minimum_cpu fmod:fmod_cpu
    frac:frac_cpu gcd:gcd_cpu ge:ge_cpu gt:gt_cpu heaviside:heaviside_cpu histc:aminmax_cpu
    hypot:hypot_cpu im2col:im2col_out_cpu inner:addmm_impl_cpu_ isin:isin_default_cpu
    kthvalue:kthvalue_cpu lcm:lcm_cpu le:le_cpu log_softmax:log_softmax_lastdim_kernel_impl
    logaddexp:logaddexp_cpu logaddexp2:logaddexp2_cpu logcumsumexp:logcumsumexp_out_cpu
    logical_and:logical_and_cpu logical_not:logical_not_cpu logical_or:logical_or_cpu
    logical_xor:logical_xor_cpu lt:lt_cpu masked_fill masked_scatter masked_select matmul:bmm max:max_cpu
    maximum:maximum_cpu min:min_cpu minimum:minimum_cpu mm:addmm_impl_cpu_ mode:mode_cpu
    mv:addmv_impl_cpu neg:neg_cpu nextafter:nextafter_cpu
    nn.functional.adaptive_avg_pool1d:adaptive_avg_pool2d
    nn.functional.adaptive_avg_pool2d:adaptive_avg_pool2d
    nn.functional.adaptive_avg_pool3d:adaptive_avg_pool3d_cpu
    nn.functional.adaptive_max_pool1d:adaptive_max_pool2d
    nn.functional.adaptive_max_pool2d:adaptive_max_pool2d
    nn.functional.adaptive_max_pool3d:adaptive_max_pool3d_cpu nn.functional.avg_pool2d:avg_pool2d
    nn.functional.adaptive_max_pool1d_with_indices:adaptive_max_pool2d
    nn.functional.adaptive_max_pool2d_with_indices:adaptive_max_pool2d
    nn.functional.adaptive_max_pool3d_with_indices:adaptive_max_pool3d_cpu
    nn.functional.max_pool2d_with_indices:max_pool2d
    nn.functional.avg_pool3d:avg_pool3d_out_frame nn.functional.batch_norm:batch_norm
    nn.functional.conv2d:slow_conv2d_cpu nn.functional.embedding_bag:arange_cpu
    nn.functional.group_norm:GroupNormKernelImpl nn.functional.interpolate:upsample_nearest2d_channels_last
    nn.functional.layer_norm:LayerNormKernelImpl nn.functional.max_pool1d:max_pool1d_impl
    nn.functional.max_pool2d:max_pool2d nn.functional.max_pool3d:max_pool3d
    nn.functional.pixel_shuffle:pixel_shuffle nonzero:nonzero_count_cpu
    pow relu:clamp_min_scalar_cpu remainder:remainder_cpu repeat_interleave():repeat_interleave_cpu
    searchsorted:searchsorted_out_cpu sgn:sign_cpu sign:sign_cpu softmax:softmax_lastdim_kernel_impl
    sub:add_stub tensordot:addmm_impl_cpu_ topk:topk_cpu trace trapezoid:add_stub tril triu
    cross gather:scatter_gather_tensor_cpu scatter:scatter_gather_tensor_cpu
    scatter_add:scatter_gather_tensor_cpu scatter_reduce:scatter_gather_tensor_cpu take:take_cpu
    take_along_dim:scatter_gather_tensor_cpu index_fill:index_fill_cpu square:pow channel_shuffle
    nn.functional.pixel_unshuffle:pixel_unshuffle nn.functional.threshold:threshold_cpu
    nn.functional.hardtanh:clamp_scalar_cpu nn.functional.relu6:clamp_scalar_cpu
    nn.functional.relu:clamp_min_scalar_cpu nn.functional.softsign:abs_cpu
    nn.functional.hinge_embedding_loss:add_stub index_select(vector):index_select einsum:bmm
    nn.functional.linear:addmm_impl_cpu_ index_add:scatter_gather_tensor_cpu index_add(vector):index_add_
    index_copy:index_copy_cpu index_put(named):index_put
"""

_FLOAT8 = """
    acos:acos_vml_cpu acosh:acosh_cpu add:add_stub addcdiv:addcdiv_cpu_out addcmul:addcmul_cpu_out
    addmv:addmv_impl_cpu amax:max_values_cpu amin:min_values_cpu aminmax:aminmax_cpu argmax:argmax_cpu
    argmin:argmin_cpu argsort:sorting_kernel_method_name asin:asin_vml_cpu asinh:asinh_cpu atan:atan_vml_cpu
    atan2:atan2_cpu atanh:atanh_cpu baddbmm bitwise_and:bitwise_and_cpu bitwise_left_shift:lshift_cpu
    bitwise_not:bitwise_not_cpu bitwise_or:bitwise_or_cpu bitwise_right_shift:rshift_cpu
    bitwise_xor:bitwise_xor_cpu bmm bucketize:searchsorted_out_cpu cdist cdist(mm):pow ceil:ceil_vml_cpu
    col2im:col2im_out_cpu copysign:copysign_cpu corrcoef:sum_cpu cos:cos_vml_cpu cosh:cosh_cpu
    cov:sum_cpu cummax:cummax_cpu cummin:cummin_cpu cumprod:cumprod_out_cpu
    cumsum:cumsum_out_cpu cumulative_trapezoid:add_stub deg2rad:mul_cpu_reduced_float diff:add_stub digamma
    dist:add_stub div:div_cpu div_floor:div_floor_cpu div_trunc:div_trunc_cpu dot einsum:bmm erf:erf_vml_cpu
    erfc:erfc_vml_cpu erfinv:erfinv_vml_cpu exp:exp_vml_cpu exp2 expm1:expm1_vml_cpu
    floor:floor_vml_cpu floor_divide:div_floor_cpu fmax:fmax_cpu fmin:fmin_cpu fmod:fmod_cpu frac:frac_cpu
    frexp:frexp_cpu gather:scatter_gather_tensor_cpu gcd:gcd_cpu ge:ge_cpu gt:gt_cpu heaviside:heaviside_cpu
    histc:aminmax_cpu hypot:hypot_cpu i0:i0_vml_cpu igamma:igamma_cpu
    igammac:igammac_cpu im2col:im2col_out_cpu index_add:scatter_gather_tensor_cpu index_copy:index_copy_cpu
    index_add(vector):index_add_ index_fill:index_fill_cpu isclose:mul_cpu_reduced_float isin:isin_default_cpu
    isneginf:isneginf_cpu isposinf:isposinf_cpu kthvalue:kthvalue_cpu lcm:lcm_cpu le:le_cpu
    lerp:lerp_kernel_scalar lgamma:lgamma_vml_cpu log:log_vml_cpu log10:log10_vml_cpu log1p:log1p_vml_cpu
    log2:log2_vml_cpu log_softmax:log_softmax_lastdim_kernel_impl logaddexp:logaddexp_cpu
    logaddexp2:logaddexp2_cpu logcumsumexp:logcumsumexp_out_cpu logical_and:logical_and_cpu
    logical_not:logical_not_cpu logical_or:logical_or_cpu logical_xor:logical_xor_cpu logit:logit_cpu
    logsumexp:max_values_cpu lt:lt_cpu masked_fill masked_scatter matmul:dot max:max_all maximum:maximum_cpu
    mean:sum_cpu min:min_all minimum:minimum_cpu mode:mode_cpu
    msort:sorting_kernel_method_name mv:addmv_impl_cpu mvlgamma:arange_cpu nan_to_num nanmean:nansum_cpu
    nansum:nansum_cpu neg:neg_cpu nextafter:nextafter_cpu
    nn.functional.adaptive_avg_pool1d:adaptive_avg_pool2d
    nn.functional.adaptive_avg_pool2d:adaptive_avg_pool2d
    nn.functional.adaptive_avg_pool3d:adaptive_avg_pool3d_cpu
    nn.functional.adaptive_max_pool1d:adaptive_max_pool2d
    nn.functional.adaptive_max_pool2d:adaptive_max_pool2d
    nn.functional.adaptive_max_pool3d:adaptive_max_pool3d_cpu nn.functional.affine_grid:linspace_cpu
    nn.functional.adaptive_max_pool1d_with_indices:adaptive_max_pool2d
    nn.functional.adaptive_max_pool2d_with_indices:adaptive_max_pool2d
    nn.functional.adaptive_max_pool3d_with_indices:adaptive_max_pool3d_cpu
    nn.functional.max_pool2d_with_indices:max_pool2d
    nn.functional.avg_pool1d:avg_pool2d nn.functional.avg_pool2d:avg_pool2d
    nn.functional.avg_pool3d:avg_pool3d_out_frame nn.functional.batch_norm:batch_norm
    nn.functional.bilinear:bmm nn.functional.binary_cross_entropy:binary_cross_entropy
    nn.functional.binary_cross_entropy_with_logits:log_sigmoid_cpu nn.functional.celu:elu_cpu
    nn.functional.conv1d:slow_conv2d_cpu nn.functional.conv2d:slow_conv2d_cpu
    nn.functional.conv3d:compute_columns3d nn.functional.conv_transpose1d:slow_conv_transpose2d_out_cpu
    nn.functional.conv_transpose2d:slow_conv_transpose2d_out_cpu
    nn.functional.conv_transpose3d:slow_conv_transpose3d_out_cpu nn.functional.cosine_similarity:norm_cpu
    nn.functional.cross_entropy:log_softmax_lastdim_kernel_impl
    nn.functional.cross_entropy(spatial):log_softmax_kernel_impl nn.functional.elu:elu_cpu
    nn.functional.gelu:GeluKernelImpl nn.functional.glu:glu_cpu
    nn.functional.grid_sample:grid_sampler_2d_cpu_kernel_impl nn.functional.group_norm:GroupNormKernelImpl
    nn.functional.hardshrink:hardshrink_cpu nn.functional.hardsigmoid:hardsigmoid_cpu
    nn.functional.hardswish:hardswish_cpu nn.functional.hardtanh:clamp_scalar_cpu
    nn.functional.hinge_embedding_loss:add_stub nn.functional.huber_loss:huber_cpu
    nn.functional.instance_norm:batch_norm nn.functional.interpolate:upsample_nearest2d_channels_last
    nn.functional.kl_div:xlogy_cpu nn.functional.kl_div(log_target):add_stub nn.functional.l1_loss:add_stub
    nn.functional.layer_norm:LayerNormKernelImpl nn.functional.leaky_relu:leaky_relu_cpu
    nn.functional.log_softmax:log_softmax_lastdim_kernel_impl nn.functional.logsigmoid:log_sigmoid_cpu
    nn.functional.margin_ranking_loss:add_stub nn.functional.max_pool1d:max_pool1d_impl
    nn.functional.max_pool2d:max_pool2d nn.functional.max_pool3d:max_pool3d nn.functional.mish:mish_cpu
    nn.functional.mse_loss:mse_cpu nn.functional.multilabel_soft_margin_loss:log_sigmoid_cpu
    nn.functional.nll_loss:nll_loss_out_frame nn.functional.normalize:norm_cpu
    nn.functional.pairwise_distance:add_stub nn.functional.pixel_shuffle:pixel_shuffle
    nn.functional.pixel_unshuffle:pixel_unshuffle nn.functional.poisson_nll_loss:exp_vml_cpu
    nn.functional.poisson_nll_loss(rate):add_stub
    nn.functional.prelu:prelu_cpu nn.functional.relu:clamp_min_scalar_cpu
    nn.functional.relu6:clamp_scalar_cpu nn.functional.rms_norm:rms_norm
    nn.functional.scaled_dot_product_attention:mul_cpu_reduced_float nn.functional.selu:elu_cpu
    nn.functional.sigmoid:sigmoid_cpu_reduced_float nn.functional.silu:silu_cpu
    nn.functional.smooth_l1_loss:smooth_l1_cpu nn.functional.soft_margin_loss:neg_cpu
    nn.functional.softmax:softmax_lastdim_kernel_impl nn.functional.softmin:neg_cpu
    nn.functional.softplus:softplus_cpu nn.functional.softshrink:softshrink_check
    nn.functional.tanh:tanh_vml_cpu nn.functional.tanhshrink:tanh_vml_cpu
    nn.functional.threshold:threshold_cpu nn.functional.triplet_margin_loss:add_stub
    nonzero:nonzero_count_cpu norm:norm_cpu polygamma pow prod:prod_out_cpu
    rad2deg:mul_cpu_reduced_float reciprocal:reciprocal_cpu relu:clamp_min_scalar_cpu
    remainder:remainder_cpu round:round_vml_cpu round_decimals:round_cpu rsqrt:rsqrt_cpu
    scatter:scatter_gather_tensor_cpu scatter_add:scatter_gather_tensor_cpu
    scatter_reduce:scatter_gather_tensor_cpu searchsorted:searchsorted_out_cpu sgn:sign_cpu
    sigmoid:sigmoid_cpu_reduced_float sign:sign_cpu signbit:signbit_cpu sin:sin_vml_cpu sinc:sinc_cpu
    sinh:sinh_cpu softmax:softmax_lastdim_kernel_impl sort:sorting_kernel_method_name
    special.ndtr:mul_cpu_reduced_float special_airy_ai:airy_ai_cpu special_bessel_j0:bessel_j0_cpu
    special_bessel_j1:bessel_j1_cpu special_bessel_y0:bessel_y0_cpu special_bessel_y1:bessel_y1_cpu
    special_entr:entr_cpu special_erfcx:erfcx_cpu special_i0e:i0e_cpu special_i1:i1_cpu special_i1e:i1e_cpu
    special_log_ndtr:log_ndtr_cpu special_modified_bessel_i0:modified_bessel_i0_cpu
    special_modified_bessel_i1:modified_bessel_i1_cpu special_modified_bessel_k0:modified_bessel_k0_cpu
    special_modified_bessel_k1:modified_bessel_k1_cpu special_ndtri:ndtri_cpu
    special_scaled_modified_bessel_k0:scaled_modified_bessel_k0_cpu
    special_scaled_modified_bessel_k1:scaled_modified_bessel_k1_cpu
    special_spherical_bessel_j0:spherical_bessel_j0_cpu special_xlog1py:xlog1py_cpu special_zeta:zeta_cpu
    sqrt:sqrt_vml_cpu std:std_cpu std_mean:std_cpu sub:add_stub sum:sum_cpu take:take_cpu
    take_along_dim:scatter_gather_tensor_cpu tan:tan_vml_cpu tanh:tanh_vml_cpu topk:topk_cpu trace
    trapezoid:add_stub tril triu trunc:trunc_vml_cpu unique unique_consecutive:unique var:std_cpu
    var_mean:std_cpu unique(dim):unique_dim unique_consecutive(dim):unique_dim
    vdot:dot xlogy:xlogy_cpu square:pow channel_shuffle angle:angle_cpu cross linalg_det:lu_cpu
    linalg_qr:geqrf_cpu linalg_svd:linalg_svd_cpu linalg_eigh:linalg_eigh_cpu linalg_cholesky_ex:tril
    special_chebyshev_polynomial_t:chebyshev_polynomial_t_cpu
    special_chebyshev_polynomial_u:chebyshev_polynomial_u_cpu
    special_chebyshev_polynomial_v:chebyshev_polynomial_v_cpu
    special_chebyshev_polynomial_w:chebyshev_polynomial_w_cpu
    special_shifted_chebyshev_polynomial_t:shifted_chebyshev_polynomial_t_cpu
    special_shifted_chebyshev_polynomial_u:shifted_chebyshev_polynomial_u_cpu
    special_shifted_chebyshev_polynomial_v:shifted_chebyshev_polynomial_v_cpu
    special_shifted_chebyshev_polynomial_w:shifted_chebyshev_polynomial_w_cpu
    special_hermite_polynomial_h:hermite_polynomial_h_cpu
    special_hermite_polynomial_he:hermite_polynomial_he_cpu
    special_laguerre_polynomial_l:laguerre_polynomial_l_cpu
    special_legendre_polynomial_p:legendre_polynomial_p_cpu
"""

# where one float8 format differs from the family: e8m0fnu has no sign (abs) and no matrix product; e5m2,
# the one with an infinity, has isinf and isfinite kernels
_OWN = {"float8_e8m0fnu": {"abs": "abs_cpu", "mm": "addmm_impl_cpu_", "tensordot": "addmm_impl_cpu_",
                            "inner": "addmm_impl_cpu_", "index_put(named)": "index_put",
                            "nn.functional.linear": "addmm_impl_cpu_", "addbmm": "addmm_impl_cpu_",
                            "addmm": "addmm_impl_cpu_", "nn.functional.softsign": "abs_cpu",
                            "isfinite": None},
        "float8_e5m2": {"isinf": None, "isfinite": None}}
# what the float8 formats refuse unless _OWN says otherwise; torch_order: pyfront's sort kernel (argsort)
_OTHERS = {"isinf": "isinf", "isfinite": "isfinite", "nn.functional.softsign": "add_stub",
           "nn.functional.multi_head_attention_forward": "mul_cpu_reduced_float",
           "torch_order": "sorting_kernel_method_name"}

# max and min name a kernel by the call's form, for every shell dtype: the whole tensor's, along a dim, or
# elementwise with another tensor (``_form``); the medians the whole tensor's or along a dim; count_nonzero
# only the whole tensor's (along a dim it is a sum of ``!= 0``); repeat_interleave its repeats-only form;
# isin of a number is an ``eq``; scatter of a number value its scalar kernel; pad's reflect and replicate
# modes theirs, by the number of dims padded (constant and circular copy, whatever the dtype)
_FORMS = {"max()": "max_all", "min()": "min_all", "max": "max_cpu", "min": "min_cpu",
          "median()": "median_cpu", "median": "median_out",
          "nanmedian()": "median_cpu", "nanmedian": "median_out",
          "count_nonzero()": "nonzero_count_cpu", "count_nonzero": None, "repeat_interleave": None,
          "scatter(number)": "scatter_gather_scalar_cpu", "nn.functional.pad": None,
          "nn.functional.max_pool1d(indices)": "max_pool2d", "histc(range)": "linspace_cpu",
          **{f"nn.functional.interpolate({kernel})": kernel for kernel in (
              "upsample_nearest2d_channels_last", "upsample_bilinear2d_channels_last",
              "compute_index_ranges_weights", "compute_indices_weights_cubic",
              "compute_indices_weights_nearest", "compute_indices_weights_linear", "adaptive_avg_pool2d",
              "adaptive_avg_pool3d_cpu")},
          **{f"nn.functional.pad({mode}{n})": f"{kernel}_pad{n}d" for n in (1, 2, 3)
             for mode, kernel in (("reflect", "reflection"), ("replicate", "replication"))}}

_TABLES: dict = {}


def _table(d) -> dict:
    table = _TABLES.get(d)
    if table is None:
        text = _WIDE_UNSIGNED if d in dt.WIDE_UNSIGNED else _FLOAT8
        table = dict((e.split(":") * 2)[:2] if ":" in e else (e, e) for e in text.split())
        table.update(_FORMS)
        for name in _SOFTMAXES:  # off the last dim: torch's general kernel
            if name in table:
                table[name + "(dim)"] = table[name].replace("_lastdim", "")
        if d in dt.FLOAT8:
            table.update(_OTHERS)
            table.update(_OWN.get(d.name, {}))
        _TABLES[d] = {k: v for k, v in table.items() if v}
        table = _TABLES[d]
    return table


# torch's own words where a refusal is no kernel's NotImplementedError
_MESSAGES = {"var()": (RuntimeError, "std_var_all: Unsupported dtype {}"),
             "std()": (RuntimeError, "std_var_all: Unsupported dtype {}"),
             "linalg_inv_ex": (RuntimeError, "linalg.inv: Low precision dtypes not supported. Got {}"),
             "linalg_slogdet": (RuntimeError, "linalg.slogdet: Low precision dtypes not supported. Got {}")}

# composites torch computes for (some) shell dtypes, which pyfront builds from primitives torch has no shell
# kernel for (diag's masked_fill, isclose's sub, outer's broadcast mul, index_select's gather): decided at
# their own level, the primitives inside them are not asked again
WHOLE = frozenset(("diag", "diag_embed", "diagflat", "signbit", "isclose", "outer", "ger", "kron",
                   "index_select", "nn.functional.embedding", "addmm", "addbmm", "var", "std", "searchsorted",
                   "bucketize", *_MESSAGES))

# composites named in the tables whose refusal the primitives inside them already give, in torch's words, for
# every shell dtype and every form of their arguments (an in-place relu, a softmax's dtype=): they carry no
# wrapper, so a call of one costs nothing here (F.relu, log_softmax and softmax are in every training step).
# tests/test_shell_dtypes.py checks each against its wrapped self on the op table and the forms against torch.
BY_PRIMITIVES = frozenset((
    "corrcoef", "cumulative_trapezoid", "deg2rad", "msort", "rad2deg", "sgn", "special.ndtr",
    *(f"nn.functional.{name}" for name in (
        "hardtanh", "l1_loss", "log_softmax", "margin_ranking_loss", "normalize", "pairwise_distance", "relu",
        "relu6", "sigmoid", "soft_margin_loss", "softmax", "softmin", "softsign", "tanh", "tanhshrink",
        "triplet_margin_loss"))))

_ROUNDED_ONCE = ("addmm", "addbmm")  # WHOLE composites computed in float32 for float8, as torch's kernels

_DIMMED = ("median", "nanmedian", "var", "std", "count_nonzero")
_INSIDE = threading.local()  # per thread: how deep in a WHOLE composite this thread is

REFUSED_NAMES = frozenset(name for text in (_WIDE_UNSIGNED, _FLOAT8) for name in
                          (e.split(":")[0] for e in text.split())) | {*_OTHERS, *_OWN["float8_e8m0fnu"],
                                                                      *_FORMS, *_MESSAGES, "mul"}
SHELL = frozenset(dt.SHELL)


def refuse(name: str, tensors) -> None:
    """torch's NotImplementedError where op ``name`` meets a leading operand of a shell dtype it has no kernel
    for (``_kernel_dtype``)."""
    if getattr(_INSIDE, "depth", 0):
        return
    d = _kernel_dtype(tensors, name)
    if d is None:
        return
    kernel = _table(d).get(name)
    if name in _REDUCED and d in dt.FLOAT8 and _broadcasts(tensors):
        kernel = _REDUCED[name]  # torch's float8 kernel of two shapes (a number's included)
    if name in _MESSAGES and d in dt.FLOAT8:
        kind, text = _MESSAGES[name]
        raise kind(text.format(dt.scalar_name(d)))
    if kernel is not None:
        refuse_kernel(kernel, d)


_REDUCED = {"mul": "mul_cpu_reduced_float", "div": "div_cpu_reduced_float",
            "div_floor": "div_floor_cpu_reduced_float", "floor_divide": "div_floor_cpu_reduced_float",
            "div_trunc": "div_trunc_cpu_reduced_float"}
_INDEX_KINDS = frozenset((dt.int64, dt.int32, dt.bool_))
_SAME_DTYPES = frozenset(("heaviside",))  # its own check of one dtype comes first, 0-d operands included
_NO_INDICES = frozenset(("searchsorted", "bucketize", "isin"))  # their integer operands are values


# ops whose kernel torch looks up for the leading operand's dtype before it compares the other operands'
# (float parameters, weights and targets): refused whatever those others are
_KERNEL_FIRST = frozenset(f"{pre}{name}" for pre in ("", "nn.functional.") for name in (
    "layer_norm", "group_norm", "batch_norm", "instance_norm", "rms_norm", "grid_sample", "nll_loss",
    "hinge_embedding_loss", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "bincount", "cdist", "cdist(mm)", "cross", "linalg.cross"))


def _kernel_dtype(tensors, name=""):
    """The shell dtype whose kernel torch looks up for these operands, or None: torch dispatches on the
    leading operand (self, input), and checks the other data operands' dtypes against it first (a
    promotion or same-dtype error, the op's own), so it is the lead's where the others are of its dtype,
    indices (int64, int32), masks (bool) or 0-d (numbers)."""
    lead = next((t for t in tensors if hasattr(t, "dtype")), None)
    d = getattr(lead, "dtype", None)
    if d not in SHELL or name in _KERNEL_FIRST:
        return d if d in SHELL else None
    indices = () if name in _NO_INDICES else _INDEX_KINDS
    for t in tensors:
        other = getattr(t, "dtype", d)
        if other is not d and other not in indices and (len(t.shape) or name in _SAME_DTYPES):
            return None  # (a 0-d one is a number's, unless the op asks for one dtype)
    return d


def refuse_accumulation(d) -> None:
    """torch's failure where a CPU kernel asks for the type it accumulates shell dtype ``d`` in (renorm's
    norms): its table has entries for e4m3fn and e5m2 only, which accumulate in float (and do not promote
    with it); for the others an internal assert."""
    if d not in (dt.float8_e4m3fn, dt.float8_e5m2):
        raise RuntimeError('false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/'
                           'AccumulateType.cpp":23, please report a bug to PyTorch. Unrecognized ScalarType: '
                           f"{dt.scalar_name(d)}")
    dt.promote_types(d, dt.float32)


def refuse_flip(input, dims) -> None:
    """torch's refusal of a flip of a shell dtype that reverses its result's innermost dim (of more than one
    element): the other flips copy whole rows, whatever their dtype, and need no kernel of it."""
    sized = [d for d in range(input.dim()) if input.shape[d] > 1]
    if not sized or input.numel() == 0:
        return
    inner = sized[-1]  # torch's result is contiguous, unless the input's layout is dense (then it is kept)
    order = sorted(sized, key=input.stride)
    step = 1
    for d in order:
        if input.stride(d) != step:
            break
        step *= input.shape[d]
    else:
        inner = order[0]
    if inner in dims:
        refuse_kernel("flip_cpu", input.dtype)


def refuse_kernel(kernel: str, d) -> None:
    """torch's NotImplementedError for a missing CPU ``kernel`` of dtype ``d``, unless a WHOLE composite
    this thread is inside was already decided."""
    if not getattr(_INSIDE, "depth", 0):
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{dt.scalar_name(d)}'")


def decides(name: str) -> bool:
    """Whether composite ``name`` is checked for shell dtypes at its own level (``whole``)."""
    return name in WHOLE or (name in REFUSED_NAMES and name not in BY_PRIMITIVES)


def whole(name: str, fn):
    """Composite ``fn`` checked at its own level for shell dtypes (``refuse``), its primitives not again."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        # a plain loop, no list: this runs per call of x.mean(), x @ w, F.cross_entropy ... (shell or not)
        for a in (*args, *kwargs.values()) if kwargs else args:
            if getattr(a, "dtype", None) in SHELL:
                break
        else:
            return fn(*args, **kwargs)
        tensors = [a for a in (*args, *kwargs.values()) if hasattr(a, "dtype") and hasattr(a, "shape")]
        low = _kernel_dtype(tensors, name)
        if low is None and name not in WHOLE:  # the op's own checks of the operands' dtypes speak first
            return fn(*args, **kwargs)
        form = _form(name, args, kwargs)
        if form is _BY_PRIMITIVES_FORM:
            return fn(*args, **kwargs)
        late = name in _CHECKS_FIRST
        if not late:
            refuse(form, tensors)
        if name in _ROUNDED_ONCE and low in dt.FLOAT8:  # torch's float8 addmm sums in float, rounds once
            up = [a.float() if getattr(a, "dtype", None) is low else a for a in args]
            return fn(*up, **{k: v.float() if getattr(v, "dtype", None) is low else v
                              for k, v in kwargs.items()}).to(low)
        _INSIDE.depth = getattr(_INSIDE, "depth", 0) + 1
        try:
            out = fn(*args, **kwargs)
        finally:
            _INSIDE.depth -= 1
        if late:
            refuse(form, tensors)
        return out
    return wrapper


def checked(name: str):
    """A decorator: the function ``whole(name, fn)`` (a public function no ``composite`` registers)."""
    return lambda fn: whole(name, fn)


# ops whose arguments torch checks (shapes, padding, modes, channels) before it looks up the kernel: the
# op runs (its own checks speak, its primitives are not asked) and the refusal comes after
_CHECKS_FIRST = frozenset(f"nn.functional.{name}" for name in (
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "max_pool1d", "max_pool2d", "max_pool2d_with_indices", "max_pool3d", "avg_pool1d", "avg_pool2d",
    "avg_pool3d", "batch_norm", "instance_norm", "layer_norm", "group_norm", "pad"))


# where an op's form is read: the argument (position, keyword names) whose presence, or tensor-ness, names it
_NUMBER_ARG = {"scatter": (3, "src", "value"), "isin": (1, "test_elements")}
# where the searches' two operands sit: the sorted sequence (boundaries), then the values (as torch promotes)
_SEARCHES = {"searchsorted": ((0, "sorted_sequence"), (1, "input", "self")),
             "bucketize": ((1, "boundaries"), (0, "input", "self"))}


def _arg(args, kwargs, position, *names):
    if len(args) > position:
        return args[position]
    return next((kwargs[k] for k in names if k in kwargs), None)


def _form(name: str, args, kwargs) -> str:
    """``name``, or its form's name where torch's kernel depends on the call's form (``_FORMS``)."""
    if name in _NUMBER_ARG:  # an operand that is a number, not a tensor
        return name if hasattr(_arg(args, kwargs, *_NUMBER_ARG[name]), "dtype") else name + "(number)"
    if name in _SEARCHES:  # torch searches in the operands' result type (a float number's is float32)
        searched, values = (_arg(args, kwargs, *where) for where in _SEARCHES[name])
        return name if dt.result_type(searched, values) in SHELL else name + "(promoted)"
    if name == "matmul":  # torch's matmul runs a dot, an mv, an mm or a bmm by its operands' dims
        return _matmul_form(args, kwargs)
    if name == "nn.functional.linear":  # a vector weight is a matmul's dot or mv; a matrix one torch's addmm
        weight = _arg(args, kwargs, 1, "weight")
        return _matmul_form((_arg(args, kwargs, 0, "input"), weight), {}) if getattr(weight, "ndim", 2) == 1 \
            else name
    if name == "einsum":
        return name if _einsum_contracts(args) else _BY_PRIMITIVES_FORM
    if name in ("inner", "tensordot"):  # torch's product of two whole contractions is a dot, else an mm
        return "dot" if _contracts_all(name, args, kwargs) else name
    if name == "index_add":  # as index_select: a vector's loop is its own kernel
        return name + "(vector)" if getattr(_arg(args, kwargs, 0, "input"), "ndim", 2) <= 1 else name
    if name == "index_select":  # torch's loop over a 0-d or 1-D input: its own kernel (no wide unsigned one)
        return name + "(vector)" if getattr(_arg(args, kwargs, 0, "input"), "ndim", 2) <= 1 else name
    if name in ("unique", "unique_consecutive"):  # along a dim: torch's unique_dim kernel
        return name + "(dim)" if _arg(args, kwargs, 4 if name == "unique" else 3, "dim") is not None else name
    if name == "nn.functional.interpolate":
        return f"{name}({_interpolate_kernel(args, kwargs)})"
    if name == "histc" and _bins_from_range(args, kwargs):
        return name + "(range)"  # torch spaces the edges of a given range in the input's dtype first
    if name == "nn.functional.max_pool1d" and _arg(args, kwargs, 6, "return_indices"):
        return name + "(indices)"  # torch's 1-d pool with indices is its 2-d kernel's
    if name == "repeat_interleave":
        return name if _arg(args, kwargs, 1, "repeats") is not None else name + "()"
    if name == "nn.functional.pad":
        mode, pad = _arg(args, kwargs, 2, "mode"), _arg(args, kwargs, 1, "pad")
        return f"{name}({mode}{len(pad) // 2})" if mode in ("reflect", "replicate") else name
    if name in _SOFTMAXES:
        return _softmax_form(name, args, kwargs)
    if name == "cdist" and _cdist_in_matmul_form(args, kwargs):
        return name + "(mm)"  # torch's |a|^2 + |b|^2 - 2ab: the operands' pow first
    if name == "nn.functional.cross_entropy" and getattr(_arg(args, kwargs, 0, "input"), "ndim", 2) > 2:
        return name + "(spatial)"  # its log_softmax over dim 1, not the last: torch's general kernel
    if name == "nn.functional.kl_div" and _arg(args, kwargs, 5, "log_target"):
        return name + "(log_target)"  # torch's exp(target) * (target - input): the difference first
    if name == "nn.functional.poisson_nll_loss" and _arg(args, kwargs, 2, "log_input") in (False, 0):
        return name + "(rate)"  # torch's input - target * log(input + eps): the sum first
    if name == "cov" and (kwargs.get("fweights") is not None or kwargs.get("aweights") is not None):
        return name + "(weighted)"  # torch weighs the input first: the promotion with the weights speaks
    if name in _DIMMED:  # a dim given, or the whole tensor (var's positional bool is unbiased)
        dim = _arg(args, kwargs, 1, "dim")
        return name if dim is not None and type(dim) is not bool else name + "()"
    if name not in ("max", "min"):
        return name
    rest = [*args[1:], *kwargs.values()]
    if not rest:
        return name + "()"
    return name + "imum" if hasattr(rest[0], "dtype") else name


# the form of a composite whose refusal (or not) its primitives give, as torch's: einsum without a product
_BY_PRIMITIVES_FORM = "(by its primitives)"


_SOFTMAXES = ("softmax", "log_softmax", "nn.functional.softmax", "nn.functional.log_softmax")


def _softmax_form(name, args, kwargs) -> str:
    """A softmax's kernel by its dim (F's implicit one where none is given): the last dim's, or the general
    one; an empty input looks none up."""
    x, dim = _arg(args, kwargs, 0, "input"), _arg(args, kwargs, 1, "dim")
    ndim = getattr(x, "ndim", 1)
    if not getattr(x, "numel", lambda: 1)():
        return _BY_PRIMITIVES_FORM
    if dim is None:
        dim = 0 if ndim in (0, 1, 3) else 1
    return name if not isinstance(dim, int) or dim % max(ndim, 1) == max(ndim - 1, 0) else name + "(dim)"


def _cdist_in_matmul_form(args, kwargs) -> bool:
    from .composite.functions import _cdist_uses_mm  # (a shell dtype's call only)
    x1, x2 = _arg(args, kwargs, 0, "x1"), _arg(args, kwargs, 1, "x2")
    p, mode = _arg(args, kwargs, 2, "p"), _arg(args, kwargs, 3, "compute_mode")
    return getattr(x1, "ndim", 0) >= 2 and getattr(x2, "ndim", 0) >= 2 and _cdist_uses_mm(
        x1, x2, 2.0 if p is None else p, mode or "use_mm_for_euclid_dist_if_necessary")


def _interpolate_kernel(args, kwargs) -> str:
    """The CPU kernel torch's interpolate looks up first, by mode and the input's dims (a 4-d input's
    nearest and bilinear kernels: its channels-last ones, whatever the layout)."""
    mode = _arg(args, kwargs, 3, "mode") or "nearest"
    ndim = getattr(_arg(args, kwargs, 0, "input"), "ndim", 4)
    if _arg(args, kwargs, 6, "antialias"):
        return "compute_index_ranges_weights"
    if mode == "area":
        return "adaptive_avg_pool3d_cpu" if ndim == 5 else "adaptive_avg_pool2d"
    if ndim == 4 and mode in ("nearest", "nearest-exact", "bilinear"):
        return f"upsample_{'bilinear' if mode == 'bilinear' else 'nearest'}2d_channels_last"
    return "compute_indices_weights_" + ("cubic" if mode == "bicubic" else
                                         "nearest" if mode.startswith("nearest") else "linear")


def _bins_from_range(args, kwargs) -> bool:
    """Whether histc's call spaces its bins over a range it gives (a min and max that differ), not over the
    input's own extremes. (histogram refuses in its own order: statistics._histogramdd.)"""
    low, high = (_arg(args, kwargs, i, k) for i, k in ((2, "min"), (3, "max")))
    return (low or 0) != (high or 0)


def _einsum_contracts(args) -> bool:
    """Whether einsum's call sums a label two operands share (torch's bmm does that); else it is a mul,
    a sum, a permute or a diagonal of the operands, and those ops refuse a shell dtype (or not) themselves."""
    if not args or not isinstance(args[0], str):
        return True  # the sublist form: decided as a product
    inputs, arrow, output = args[0].replace(" ", "").partition("->")
    terms = inputs.split(",")
    labels = [set(term.replace(".", "")) for term in terms]
    shared = {lb for i, one in enumerate(labels) for other in labels[i + 1:] for lb in one & other}
    if not arrow:  # implicit output: the labels used once
        return bool(shared)
    return bool(shared - set(output))


def _contracts_all(name, args, kwargs) -> bool:
    """Whether inner's or tensordot's call contracts every dim of both operands (two vectors for inner)."""
    a, b = _arg(args, kwargs, 0, "input", "a"), _arg(args, kwargs, 1, "other", "b")
    na, nb = getattr(a, "ndim", 0), getattr(b, "ndim", 0)
    if name == "inner":
        return na == nb == 1
    dims = _arg(args, kwargs, 2, "dims")
    dims = 2 if dims is None else dims
    count = len(dims[0]) if isinstance(dims, (list, tuple)) and dims and isinstance(dims[0], (list, tuple)) \
        else 1 if isinstance(dims, (list, tuple)) else int(dims)
    return na == nb == count


def _matmul_form(args, kwargs) -> str:
    """The product torch's matmul runs for these operands: 1-D by 1-D a dot; any by 1-D an mv (the leading
    dims folded into rows); 1-D or more by 2-D an mm (the same fold); a batched right operand a bmm."""
    a, b = _arg(args, kwargs, 0, "input"), _arg(args, kwargs, 1, "other")
    da, db = getattr(a, "ndim", 0), getattr(b, "ndim", 0)
    if not da or not db:
        return "matmul"  # torch's own 0-d refusal comes first
    if db == 1:
        return "dot" if da == 1 else "mv"
    return "mm" if db == 2 else "bmm"


def _broadcasts(tensors) -> bool:
    shapes = {tuple(t.shape) for t in tensors if hasattr(t, "shape")}
    return len(shapes) > 1 or any(getattr(t, "_wrapped_number", False) for t in tensors)

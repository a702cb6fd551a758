"""Which of torch's public names pyfront has, per namespace (dir(torch.X) against dir(pyfront.X)).

COVERED: the names scripts stopped on that pyfront now has; the test fails if one disappears. MISSING_AT_MOST:
how many public names each namespace still lacks, submodules aside (CUDA/quantization/JIT internals,
quantized dtypes and the rest pyfront does not have); the test fails if the count grows, so a name lost
anywhere shows, and the number is lowered as names are added."""
import types

import pytest
import torch

import pyfront

COVERED = {
    "distributions": """
        Binomial Cauchy Chi2 Geometric Gumbel HalfCauchy HalfNormal InverseGamma LogNormal MixtureSameFamily
        Multinomial NegativeBinomial OneHotCategoricalStraightThrough Pareto Poisson RelaxedBernoulli
        RelaxedOneHotCategorical StudentT TransformedDistribution Weibull AbsTransform AffineTransform
        ComposeTransform ExpTransform IndependentTransform PowerTransform SigmoidTransform SoftmaxTransform
        SoftplusTransform StickBreakingTransform TanhTransform Transform identity_transform biject_to
        transform_to transforms constraint_registry ContinuousBernoulli FisherSnedecor GeneralizedPareto
        Kumaraswamy LKJCholesky LogisticNormal LowRankMultivariateNormal VonMises Wishart CatTransform
        StackTransform ReshapeTransform CorrCholeskyTransform CumulativeDistributionTransform
        LowerCholeskyTransform PositiveDefiniteTransform""",
    "": """
        conj conj_physical resolve_conj resolve_neg is_conj is_neg is_complex is_distributed
        real conv3d conv_transpose3d chain_matmul triangular_solve empty_permuted index_reduce nonzero_static
        view_copy permute_copy t_copy transpose_copy expand_copy squeeze_copy unsqueeze_copy select_copy
        slice_copy diagonal_copy detach_copy split_copy split_with_sizes_copy unbind_copy alias_copy
        as_strided_copy unfold_copy set_warn_always is_warn_always_enabled get_deterministic_debug_mode
        set_deterministic_debug_mode gradient lu lu_solve lu_unpack orgqr ormqr geqrf
        complex64 complex128 complex32 cfloat cdouble chalf view_as_real view_as_complex complex polar angle
        imag sgn stft istft
        poisson binomial svd_lowrank pca_lowrank FloatStorage DoubleStorage HalfStorage BFloat16Storage
        LongStorage IntStorage ShortStorage CharStorage ByteStorage BoolStorage fill detach frobenius_norm
        nuclear_norm is_vulkan_available
        set_autocast_enabled set_autocast_dtype is_autocast_cpu_enabled set_autocast_cpu_enabled
        get_autocast_cpu_dtype get_autocast_gpu_dtype set_autocast_cpu_dtype set_autocast_gpu_dtype
        is_autocast_cache_enabled set_autocast_cache_enabled clear_autocast_cache autocast_increment_nesting
        autocast_decrement_nesting get_device_module OutOfMemoryError AcceleratorError set_anomaly_enabled""",
    "Tensor": """
        apply_ map_ map2_ index_reduce index_reduce_ as_subclass resize_as const_data_ptr nonzero_static
        dim_order conj_physical conj_physical_ is_distributed triangular_solve lu lu_solve orgqr ormqr
        geqrf cfloat cdouble chalf angle stft istft storage_type is_xla is_ipu is_mtia is_maia is_vulkan""",
    "nn": """SyncBatchNorm AdaptiveLogSoftmaxWithLoss FractionalMaxPool2d FractionalMaxPool3d Container
        factory_kwargs CrossMapLRN2d""",
    "nn.functional": """fractional_max_pool2d fractional_max_pool2d_with_indices fractional_max_pool3d
        fractional_max_pool3d_with_indices conv_tbc assert_int_or_pair linear_cross_entropy""",
    "nn.utils": """spectral_norm remove_spectral_norm fuse_conv_bn_eval fuse_conv_bn_weights
        fuse_linear_bn_eval fuse_linear_bn_weights skip_init clip_grads_with_norm_
        convert_conv2d_weight_memory_format convert_conv3d_weight_memory_format""",
    "nn.utils.parametrizations": "orthogonal spectral_norm weight_norm",
    "linalg": """cond diagonal tensorinv tensorsolve vander lu lu_factor lu_factor_ex lu_solve
        householder_product eig eigvals ldl_factor ldl_factor_ex ldl_solve""",
    "autograd": """is_multithreading_enabled set_multithreading_enabled is_view_replay_enabled forward_ad""",
    "autograd.forward_ad": """UnpackedDualTensor enter_dual_level exit_dual_level make_dual unpack_dual
        dual_level""",
    "types": "Number Device FileLike Storage",  # s35-user: annotated code's imports
    "fft": """fft ifft rfft irfft hfft ihfft fft2 ifft2 rfft2 irfft2 hfft2 ihfft2 fftn ifftn rfftn irfftn
        hfftn ihfftn fftfreq rfftfreq fftshift ifftshift""",
    # s33-user: what environment reports, custom Functions under amp and code around the compilers query
    "backends": "cpu mkl mkldnn nnpack openmp opt_einsum quantized",
    "amp": "custom_fwd custom_bwd is_autocast_available",
    "cuda.amp": "custom_fwd custom_bwd",
    "cpu.amp": "GradScaler",
    "cpu": "current_device set_device is_initialized Stream Event StreamContext stream current_stream",
    "jit": """isinstance Attribute Error ScriptWarning TracerWarning TracingCheckError script_if_tracing
        optimized_execution fuser set_fusion_strategy enable_onednn_fusion onednn_fusion_enabled
        strict_fusion""",
    "compiler": """set_stance allow_in_graph assume_constant_result cudagraph_mark_step_begin is_exporting
        list_backends""",
    "_dynamo": "set_stance graph_break mark_static_address is_dynamo_supported disallow_in_graph",
    "backends.cuda": """SDPBackend enable_flash_sdp enable_mem_efficient_sdp enable_math_sdp enable_cudnn_sdp
        flash_sdp_enabled mem_efficient_sdp_enabled math_sdp_enabled cudnn_sdp_enabled
        is_flash_attention_available sdp_kernel""",
}

MISSING_AT_MOST = {"": 300, "Tensor": 39, "distributions": 0, "nn": 2, "nn.functional": 23, "nn.utils": 0,
                   "nn.utils.parametrizations": 0,
                   "linalg": 1, "autograd": 16, "fft": 2, "autograd.forward_ad": 0,
                   "jit": 11, "amp": 0, "compiler": 23, "cpu": 6, "backends": 0, "_dynamo": 38, "cpu.amp": 0,
                   "backends.cuda": 20}


def _namespace(lib, path):
    if path == "Tensor":
        return lib.Tensor
    for part in path.split(".") if path else []:
        lib = getattr(lib, part)
    return lib


def _missing(path, modules=True):
    """torch's public names at ``path`` that pyfront lacks; without ``modules``, no submodule: torch lists one
    only once something imported it, so the count would depend on the tests run before."""
    space = _namespace(torch, path)
    theirs = {n for n in dir(space) if not n.startswith("_")
              and (modules or not isinstance(getattr(space, n, None), types.ModuleType))}
    return sorted(theirs - set(dir(_namespace(pyfront, path))))


@pytest.mark.parametrize("path", list(COVERED))
def test_covered_names_are_there(path):
    names = COVERED[path].split()
    assert not set(names) & set(_missing(path)), sorted(set(names) & set(_missing(path)))
    assert all(hasattr(_namespace(torch, path), n) for n in names)  # each is torch's


@pytest.mark.parametrize("path", list(MISSING_AT_MOST))
def test_missing_names_do_not_grow(path):
    missing = _missing(path, modules=False)
    assert len(missing) <= MISSING_AT_MOST[path], missing

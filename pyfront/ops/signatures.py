"""torch 2.13's Python-binding signatures of the functions argcheck parses calls against, in
its schema types ("int[1]": a single int is taken too; "?": None is). Written by
tests/scripts/gen_signatures.py from torch's stub of its bindings; not edited by hand."""

SIGNATURES = {'acosh': ('Tensor input, *, Tensor? out=None',),
 'adaptive_avg_pool1d': ('Tensor input, int[1] output_size',),
 'adaptive_max_pool1d': ('Tensor input, int[1] output_size',),
 'addbmm': ('Scalar beta, Tensor self, Scalar alpha, Tensor batch1, Tensor batch2',
            'Scalar beta, Tensor self, Scalar alpha, Tensor batch1, Tensor batch2, *, Tensor out',
            'Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1, Tensor? out=None',
            'Scalar beta, Tensor self, Tensor batch1, Tensor batch2',
            'Scalar beta, Tensor self, Tensor batch1, Tensor batch2, *, Tensor out'),
 'addmm': ('Scalar beta, Tensor self, Scalar alpha, Tensor mat1, Tensor mat2',
           'Scalar beta, Tensor self, Scalar alpha, Tensor mat1, Tensor mat2, *, Tensor out',
           'Tensor input, Tensor mat1, Tensor mat2, *, Scalar beta=1, Scalar alpha=1, Tensor? out=None',
           'Tensor input, Tensor mat1, Tensor mat2, ScalarType out_dtype, *, Scalar beta=1, Scalar alpha=1, '
           'Tensor? out=None',
           'Scalar beta, Tensor self, Tensor mat1, Tensor mat2',
           'Scalar beta, Tensor self, Tensor mat1, Tensor mat2, *, Tensor out'),
 'addmv': ('Scalar beta, Tensor self, Scalar alpha, Tensor mat, Tensor vec',
           'Scalar beta, Tensor self, Scalar alpha, Tensor mat, Tensor vec, *, Tensor out',
           'Tensor input, Tensor mat, Tensor vec, *, Scalar beta=1, Scalar alpha=1, Tensor? out=None',
           'Scalar beta, Tensor self, Tensor mat, Tensor vec',
           'Scalar beta, Tensor self, Tensor mat, Tensor vec, *, Tensor out'),
 'adjoint': ('Tensor input',),
 'alpha_dropout': ('Tensor input, float p, bool train',),
 'alpha_dropout_': ('Tensor input, float p, bool train',),
 'aminmax': ('Tensor input, *, int? dim=None, bool keepdim=False, Tensor? out=None',),
 'argsort': ('Tensor input, *, bool stable, int dim=-1, bool descending=False, Tensor? out=None',
             'Tensor input, int dim=-1, bool descending=False'),
 'as_strided_scatter': ('Tensor input, Tensor src, int[] size, int[] stride, int? storage_offset=None',),
 'asinh': ('Tensor input, *, Tensor? out=None',),
 'atanh': ('Tensor input, *, Tensor? out=None',),
 'avg_pool1d': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, bool ceil_mode=False, '
                'bool count_include_pad=True',),
 '_nn.avg_pool2d': ('Tensor input, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, bool '
                    'ceil_mode=False, bool count_include_pad=True, int? divisor_override=None',),
 '_nn.avg_pool3d': ('Tensor input, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, bool '
                    'ceil_mode=False, bool count_include_pad=True, int? divisor_override=None',),
 'baddbmm': ('Scalar beta, Tensor self, Scalar alpha, Tensor batch1, Tensor batch2',
             'Scalar beta, Tensor self, Scalar alpha, Tensor batch1, Tensor batch2, *, Tensor out',
             'Tensor input, Tensor batch1, Tensor batch2, *, Scalar beta=1, Scalar alpha=1, Tensor? out=None',
             'Tensor input, Tensor batch1, Tensor batch2, ScalarType out_dtype, *, Scalar beta=1, Scalar '
             'alpha=1, Tensor? out=None',
             'Scalar beta, Tensor self, Tensor batch1, Tensor batch2',
             'Scalar beta, Tensor self, Tensor batch1, Tensor batch2, *, Tensor out'),
 'bartlett_window': ('int window_length, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                     'device=None, bool? pin_memory=False, bool? requires_grad=False',
                     'int window_length, bool periodic, *, ScalarType? dtype=None, Layout? layout=None, '
                     'Device? device=None, bool? pin_memory=False, bool? requires_grad=False'),
 'batch_norm': ('Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool '
                'training, float momentum, float eps, bool cudnn_enabled',),
 'bilinear': ('Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None',),
 'binary_cross_entropy_with_logits': ('Tensor input, Tensor target, Tensor? weight=None, Tensor? '
                                      'pos_weight=None, int reduction=1',),
 'bincount': ('Tensor input, Tensor? weights=None, int minlength=0',),
 'blackman_window': ('int window_length, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                     'device=None, bool? pin_memory=False, bool? requires_grad=False',
                     'int window_length, bool periodic, *, ScalarType? dtype=None, Layout? layout=None, '
                     'Device? device=None, bool? pin_memory=False, bool? requires_grad=False'),
 'bmm': ('Tensor input, Tensor mat2, *, Tensor? out=None',
         'Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor? out=None'),
 'bucketize': ('Tensor input, Tensor boundaries, *, bool out_int32=False, bool right=False, Tensor? out=None',
               'Scalar self, Tensor boundaries, *, bool out_int32=False, bool right=False'),
 'celu': ('Tensor input, Scalar alpha=1.0',),
 'celu_': ('Tensor input, Scalar alpha=1.0',),
 'channel_shuffle': ('Tensor input, int groups',),
 'combinations': ('Tensor input, int r=2, bool with_replacement=False',),
 'constant_pad_nd': ('Tensor input, int[] pad, Scalar value=0',),
 'conv1d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, int[1] '
            'dilation=1, int groups=1',
            "Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, str padding='valid', int[1] "
            'dilation=1, int groups=1'),
 'conv2d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, int[1] '
            'dilation=1, int groups=1',
            "Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, str padding='valid', int[1] "
            'dilation=1, int groups=1'),
 'conv3d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, int[1] '
            'dilation=1, int groups=1',
            "Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, str padding='valid', int[1] "
            'dilation=1, int groups=1'),
 'conv_transpose1d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, '
                      'int[1] output_padding=0, int groups=1, int[1] dilation=1',),
 'conv_transpose2d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, '
                      'int[1] output_padding=0, int groups=1, int[1] dilation=1',),
 'conv_transpose3d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, '
                      'int[1] output_padding=0, int groups=1, int[1] dilation=1',),
 'corrcoef': ('Tensor input',),
 'cosine_embedding_loss': ('Tensor input1, Tensor input2, Tensor target, float margin=0.0, int reduction=1',),
 'cosine_similarity': ('Tensor x1, Tensor x2, int dim=1, float eps=1e-08',),
 'count_nonzero': ('Tensor input, int? dim=None', 'Tensor input, int[] dim'),
 'cov': ('Tensor input, *, int correction=1, Tensor? fweights=None, Tensor? aweights=None',),
 'cummax': ('Tensor input, int dim, *, Tensor? out=None',),
 'cummin': ('Tensor input, int dim, *, Tensor? out=None',),
 'cumprod': ('Tensor input, int dim, *, ScalarType? dtype=None, Tensor? out=None',),
 'cumsum': ('Tensor input, int dim, *, ScalarType? dtype=None, Tensor? out=None',),
 'cumulative_trapezoid': ('Tensor y, Tensor x, *, int dim=-1', 'Tensor y, *, Scalar dx=1, int dim=-1'),
 'deg2rad': ('Tensor input, *, Tensor? out=None',),
 'diag': ('Tensor input, int diagonal=0, *, Tensor? out=None',),
 'diag_embed': ('Tensor input, int offset=0, int dim1=-2, int dim2=-1',),
 'diagflat': ('Tensor input, int offset=0',),
 'diff': ('Tensor input, int n=1, int dim=-1, Tensor? prepend=None, Tensor? append=None, *, Tensor? '
          'out=None',),
 'digamma': ('Tensor input, *, Tensor? out=None',),
 'dist': ('Tensor input, Tensor other, Scalar p=2',),
 'dot': ('Tensor input, Tensor tensor, *, Tensor? out=None',),
 'dropout': ('Tensor input, float p, bool train',),
 'dropout_': ('Tensor input, float p, bool train',),
 'dsplit': ('Tensor input, int sections', 'Tensor input, int[] indices'),
 '_nn.elu_': ('Tensor input, float alpha=...',),
 'embedding': ('Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False, bool '
               'sparse=False',),
 'empty_strided': ('int[] size, int[] stride, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                   'device=None, bool? pin_memory=False, bool? requires_grad=False',),
 'erfc': ('Tensor input, *, Tensor? out=None',),
 'erfinv': ('Tensor input, *, Tensor? out=None',),
 'feature_alpha_dropout': ('Tensor input, float p, bool train',),
 'feature_alpha_dropout_': ('Tensor input, float p, bool train',),
 'fix': ('Tensor input, *, Tensor? out=None',),
 'flip': ('Tensor input, int[] dims',),
 'fliplr': ('Tensor input',),
 'flipud': ('Tensor input',),
 'float_power': ('Tensor input, Tensor exponent, *, Tensor? out=None',
                 'Scalar self, Tensor exponent, *, Tensor? out=None',
                 'Tensor input, Scalar exponent, *, Tensor? out=None'),
 'fmax': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'fmin': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'full': ('int[] size, Scalar fill_value, *, Tensor? out=None, Layout layout=strided, ScalarType? '
          'dtype=None, Device? device=None, bool requires_grad=False, bool pin_memory=False',),
 'gather': ('Tensor input, int dim, Tensor index, *, bool sparse_grad=False, Tensor? out=None',),
 'gcd': ('Tensor input, Tensor other, *, Tensor? out=None',),
 '_nn.gelu': ('Tensor input, str approximate=...',),
 'ger': ('Tensor input, Tensor vec2, *, Tensor? out=None',),
 'group_norm': ('Tensor input, int num_groups, Tensor? weight=None, Tensor? bias=None, float eps=1e-05, bool '
                'cudnn_enabled=True',),
 'hamming_window': ('int window_length, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, '
                    'bool? pin_memory=False, bool? requires_grad=False',
                    'int window_length, bool periodic, *, ScalarType? dtype=None, Layout? layout=None, '
                    'Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
                    'int window_length, bool periodic, float alpha, *, ScalarType? dtype=None, Layout? '
                    'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
                    'int window_length, bool periodic, float alpha, float beta, *, ScalarType? dtype=None, '
                    'Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? '
                    'requires_grad=False'),
 'hann_window': ('int window_length, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, '
                 'bool? pin_memory=False, bool? requires_grad=False',
                 'int window_length, bool periodic, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                 'device=None, bool? pin_memory=False, bool? requires_grad=False'),
 'hardshrink': ('Tensor input, Scalar lambd=0.5, *, Tensor? out=None',),
 '_nn.hardtanh_': ('Tensor input, float min_val=..., float max_val=...',),
 'heaviside': ('Tensor input, Tensor values, *, Tensor? out=None',),
 'hinge_embedding_loss': ('Tensor input, Tensor target, float margin=1.0, int reduction=1',),
 'histc': ('Tensor input, int bins=100, Scalar min=0, Scalar max=0, *, Tensor? out=None',),
 'histogram': ('Tensor input, Tensor bins, *, Tensor? weight=None, bool density=False, Tensor? out=None',
               'Tensor input, int bins=100, *, float[]? range=None, Tensor? weight=None, bool density=False, '
               'Tensor? out=None'),
 'hsplit': ('Tensor input, int sections', 'Tensor input, int[] indices'),
 'hypot': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'i0': ('Tensor input, *, Tensor? out=None',),
 'index_add': ('Tensor input, int dim, Tensor index, Tensor source, *, Scalar alpha=1, Tensor? out=None',),
 'index_copy': ('Tensor input, int dim, Tensor index, Tensor source, *, Tensor? out=None',),
 'index_fill': ('Tensor input, int dim, Tensor index, Tensor value',
                'Tensor input, int dim, Tensor index, Scalar value'),
 'index_select': ('Tensor input, int dim, Tensor index, *, Tensor? out=None',),
 'inner': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'instance_norm': ('Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, '
                   'bool use_input_stats, float momentum, float eps, bool cudnn_enabled',),
 'is_same_size': ('Tensor input, Tensor other',),
 'is_signed': ('Tensor input',),
 'isclose': ('Tensor input, Tensor other, float rtol=1e-05, float atol=1e-08, bool equal_nan=False',),
 'isin': ('Tensor elements, Tensor test_elements, *, bool assume_unique=False, bool invert=False, Tensor? '
          'out=None',
          'Scalar element, Tensor test_elements, *, bool assume_unique=False, bool invert=False, Tensor? '
          'out=None',
          'Tensor elements, Scalar test_element, *, bool assume_unique=False, bool invert=False, Tensor? '
          'out=None'),
 'isneginf': ('Tensor input, *, Tensor? out=None',),
 'isposinf': ('Tensor input, *, Tensor? out=None',),
 'isreal': ('Tensor input',),
 'kaiser_window': ('int window_length, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, '
                   'bool? pin_memory=False, bool? requires_grad=False',
                   'int window_length, bool periodic, *, ScalarType? dtype=None, Layout? layout=None, '
                   'Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
                   'int window_length, bool periodic, float beta, *, ScalarType? dtype=None, Layout? '
                   'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False'),
 'kl_div': ('Tensor input, Tensor target, int reduction=1, *, bool log_target=False',),
 'kron': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'kthvalue': ('Tensor input, int k, int dim=-1, bool keepdim=False, *, Tensor? out=None',),
 'layer_norm': ('Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float '
                'eps=1e-05, bool cudnn_enable=True',),
 'lcm': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'ldexp': ('Tensor input, Tensor other, *, Tensor? out=None',),
 '_nn.leaky_relu_': ('Tensor input, float negative_slope=...',),
 'lerp': ('Tensor input, Tensor end, Tensor weight, *, Tensor? out=None',
          'Tensor input, Tensor end, Scalar weight, *, Tensor? out=None'),
 'lgamma': ('Tensor input, *, Tensor? out=None',),
 '_nn.linear': ('Tensor input, Tensor weight, Tensor? bias=None',),
 'linspace': ('Tensor start, Tensor end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
              'Scalar start, Tensor end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
              'Tensor start, Scalar end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
              'Scalar start, Scalar end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False'),
 '_nn.log_sigmoid': ('Tensor input',),
 'logaddexp': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'logaddexp2': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'logcumsumexp': ('Tensor input, int dim, *, Tensor? out=None',),
 'logit': ('Tensor input, float? eps=None, *, Tensor? out=None',),
 'logspace': ('Tensor start, Tensor end, int steps, float base=10.0, *, Tensor? out=None, ScalarType? '
              'dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? '
              'requires_grad=False',
              'Scalar start, Tensor end, int steps, float base=10.0, *, Tensor? out=None, ScalarType? '
              'dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? '
              'requires_grad=False',
              'Tensor start, Scalar end, int steps, float base=10.0, *, Tensor? out=None, ScalarType? '
              'dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? '
              'requires_grad=False',
              'Scalar start, Scalar end, int steps, float base=10.0, *, Tensor? out=None, ScalarType? '
              'dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? '
              'requires_grad=False'),
 'logsumexp': ('Tensor input, int[1] dim, bool keepdim=False, *, Tensor? out=None',),
 'margin_ranking_loss': ('Tensor input1, Tensor input2, Tensor target, float margin=0.0, int reduction=1',),
 'masked_fill': ('Tensor input, Tensor mask, Tensor value', 'Tensor input, Tensor mask, Scalar value'),
 'masked_scatter': ('Tensor input, Tensor mask, Tensor source',),
 'masked_select': ('Tensor input, Tensor mask, *, Tensor? out=None',),
 'matmul': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'matrix_exp': ('Tensor input',),
 'matrix_power': ('Tensor input, int n, *, Tensor? out=None',),
 'max': ('Tensor input, *, Tensor? out=None',
         'Tensor input, Tensor other, *, Tensor? out=None',
         'Tensor input, int dim, bool keepdim=False, *, Tensor? out=None'),
 'max_pool1d': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, int[1] dilation=1, '
                'bool ceil_mode=False',),
 'max_pool1d_with_indices': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, int[1] '
                             'dilation=1, bool ceil_mode=False',),
 'max_pool2d': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, int[1] dilation=1, '
                'bool ceil_mode=False',),
 '_nn.max_pool2d_with_indices': ('Tensor input, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, '
                                 'int[1] dilation=1, bool ceil_mode=False',),
 'max_pool3d': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, int[1] dilation=1, '
                'bool ceil_mode=False',),
 '_nn.max_pool3d_with_indices': ('Tensor input, int[1] kernel_size, int[1]? stride=None, int[1] padding=0, '
                                 'int[1] dilation=1, bool ceil_mode=False',),
 'mean': ('Tensor input, *, ScalarType? dtype=None, Tensor? out=None',
          'Tensor input, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None, Tensor? out=None'),
 'median': ('Tensor input', 'Tensor input, int dim, bool keepdim=False, *, Tensor? out=None'),
 'min': ('Tensor input, *, Tensor? out=None',
         'Tensor input, Tensor other, *, Tensor? out=None',
         'Tensor input, int dim, bool keepdim=False, *, Tensor? out=None'),
 'mm': ('Tensor input, Tensor mat2, *, Tensor? out=None',
        'Tensor input, Tensor mat2, ScalarType out_dtype, *, Tensor? out=None'),
 'mode': ('Tensor input, int dim=-1, bool keepdim=False, *, Tensor? out=None',),
 'msort': ('Tensor input, *, Tensor? out=None',),
 'mv': ('Tensor input, Tensor vec, *, Tensor? out=None',),
 'mvlgamma': ('Tensor input, int p, *, Tensor? out=None',),
 'nan_to_num': ('Tensor input, float? nan=None, float? posinf=None, float? neginf=None, *, Tensor? '
                'out=None',),
 'nanmean': ('Tensor input, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None, Tensor? '
             'out=None',),
 'nanmedian': ('Tensor input', 'Tensor input, int dim, bool keepdim=False, *, Tensor? out=None'),
 'nanquantile': ("Tensor input, Tensor q, int? dim=None, bool keepdim=False, *, str interpolation='linear', "
                 'Tensor? out=None',
                 "Tensor input, float q, int? dim=None, bool keepdim=False, *, str interpolation='linear', "
                 'Tensor? out=None'),
 'nansum': ('Tensor input, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None, Tensor? '
            'out=None',),
 'native_channel_shuffle': ('Tensor input, int groups',),
 'native_layer_norm': ('Tensor input, int[] normalized_shape, Tensor? weight, Tensor? bias, float eps',),
 'nextafter': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'nonzero': ('Tensor input, *, Any as_tuple=False, Tensor? out=None', 'Tensor input, *, Any as_tuple'),
 '_nn.one_hot': ('Tensor input, int num_classes=-1',),
 'outer': ('Tensor input, Tensor vec2, *, Tensor? out=None',),
 'pairwise_distance': ('Tensor x1, Tensor x2, float p=2, float eps=1e-06, bool keepdim=False',),
 'pdist': ('Tensor input, float p=2',),
 'pixel_shuffle': ('Tensor input, int upscale_factor',),
 'pixel_unshuffle': ('Tensor input, int downscale_factor',),
 'poisson_nll_loss': ('Tensor input, Tensor target, bool log_input, bool full, float eps, int reduction',),
 'polygamma': ('int n, Tensor input, *, Tensor? out=None',),
 'positive': ('Tensor input',),
 'prelu': ('Tensor input, Tensor weight',),
 'quantile': ("Tensor input, Tensor q, int? dim=None, bool keepdim=False, *, str interpolation='linear', "
              'Tensor? out=None',
              "Tensor input, float q, int? dim=None, bool keepdim=False, *, str interpolation='linear', "
              'Tensor? out=None'),
 'rad2deg': ('Tensor input, *, Tensor? out=None',),
 'range': ('Scalar start, Scalar end, Scalar step=1, *, Tensor? out=None, ScalarType? dtype=None, Device? '
           'device=None, bool requires_grad=False, bool pin_memory=False',),
 'ravel': ('Tensor input',),
 'relu_': ('Tensor input',),
 'renorm': ('Tensor input, Scalar p, int dim, Scalar maxnorm, *, Tensor? out=None',),
 'repeat_interleave': ('Tensor input, Tensor repeats, int? dim=None, *, int? output_size=None',
                       'Tensor repeats, *, int? output_size=None',
                       'Tensor input, int repeats, int? dim=None, *, int? output_size=None'),
 'rms_norm': ('Tensor input, int[] normalized_shape, Tensor? weight=None, float? eps=None',),
 'roll': ('Tensor input, int[1] shifts, int[1] dims=()',),
 'rot90': ('Tensor input, int k=1, int[] dims=(0,1)',),
 'row_stack': ('Tensor[] tensors, *, Tensor? out=None',),
 'rrelu': ('Tensor input, Scalar lower=0.125, Scalar upper=0.3333333333333333, bool training=False, '
           'Generator? generator=None',),
 'rrelu_': ('Tensor input, Scalar lower=0.125, Scalar upper=0.3333333333333333, bool training=False, '
            'Generator? generator=None',),
 '_nn.scaled_dot_product_attention': ('Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float '
                                      'dropout_p=0.0, bool is_causal=False, float? scale=None, bool '
                                      'enable_gqa=False',),
 'scatter': ('Tensor input, int dim, Tensor index, Tensor src, *, str reduce, Tensor? out=None',
             'Tensor input, int dim, Tensor index, Tensor src, *, Tensor? out=None',
             'Tensor input, int dim, Tensor index, Scalar value, *, str reduce, Tensor? out=None',
             'Tensor input, int dim, Tensor index, Scalar value, *, Tensor? out=None'),
 'scatter_add': ('Tensor input, int dim, Tensor index, Tensor src, *, Tensor? out=None',),
 'scatter_reduce': ('Tensor input, int dim, Tensor index, Tensor src, str reduce, *, bool include_self=True, '
                    'Tensor? out=None',),
 'searchsorted': ('Tensor sorted_sequence, Tensor input, *, bool out_int32=False, bool right=False, str? '
                  'side=None, Tensor? sorter=None, Tensor? out=None',
                  'Tensor sorted_sequence, Scalar self, *, bool out_int32=False, bool right=False, str? '
                  'side=None, Tensor? sorter=None, Tensor? out=None'),
 'selu': ('Tensor input',),
 'selu_': ('Tensor input',),
 'sgn': ('Tensor input, *, Tensor? out=None',),
 'signbit': ('Tensor input, *, Tensor? out=None',),
 'sinc': ('Tensor input, *, Tensor? out=None',),
 '_nn.softplus': ('Tensor input, float beta=..., float threshold=...',),
 '_nn.softshrink': ('Tensor input, float lambd=...',),
 'sort': ('Tensor input, *, bool? stable, int dim=-1, bool descending=False, Tensor? out=None',
          'Tensor input, int dim=-1, bool descending=False, *, Tensor? out=None'),
 'special_digamma': ('Tensor input, *, Tensor? out=None',),
 'special_entr': ('Tensor input, *, Tensor? out=None',),
 'special_erf': ('Tensor input, *, Tensor? out=None',),
 'special_erfc': ('Tensor input, *, Tensor? out=None',),
 'special_erfinv': ('Tensor input, *, Tensor? out=None',),
 'special_exp2': ('Tensor input, *, Tensor? out=None',),
 'special_expit': ('Tensor input, *, Tensor? out=None',),
 'special_expm1': ('Tensor input, *, Tensor? out=None',),
 'special_gammaln': ('Tensor input, *, Tensor? out=None',),
 'special_i0': ('Tensor input, *, Tensor? out=None',),
 'special_i0e': ('Tensor input, *, Tensor? out=None',),
 'special_i1': ('Tensor input, *, Tensor? out=None',),
 'special_i1e': ('Tensor input, *, Tensor? out=None',),
 'special_log1p': ('Tensor input, *, Tensor? out=None',),
 'special_log_softmax': ('Tensor input, int dim, *, ScalarType? dtype=None',),
 'special_logit': ('Tensor input, float? eps=None, *, Tensor? out=None',),
 'special_logsumexp': ('Tensor input, int[1] dim, bool keepdim=False, *, Tensor? out=None',),
 'special_multigammaln': ('Tensor input, int p, *, Tensor? out=None',),
 'special_ndtr': ('Tensor input, *, Tensor? out=None',),
 'special_polygamma': ('int n, Tensor input, *, Tensor? out=None',),
 'special_psi': ('Tensor input, *, Tensor? out=None',),
 'special_round': ('Tensor input, *, int decimals=0, Tensor? out=None',),
 'special_sinc': ('Tensor input, *, Tensor? out=None',),
 'special_softmax': ('Tensor input, int dim, ScalarType? dtype=None',),
 'special_xlog1py': ('Tensor input, Tensor other, *, Tensor? out=None',
                     'Scalar self, Tensor other, *, Tensor? out=None',
                     'Tensor input, Scalar other, *, Tensor? out=None'),
 'special_xlogy': ('Tensor input, Tensor other, *, Tensor? out=None',
                   'Scalar self, Tensor other, *, Tensor? out=None',
                   'Tensor input, Scalar other, *, Tensor? out=None'),
 'std': ('Tensor input, int[1]? dim, bool unbiased=True, bool keepdim=False, *, Tensor? out=None',
         'Tensor input, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False, Tensor? out=None',
         'Tensor input, bool unbiased=True'),
 'std_mean': ('Tensor input, int[1]? dim, bool unbiased=True, bool keepdim=False',
              'Tensor input, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False',
              'Tensor input, bool unbiased=True'),
 'take': ('Tensor input, Tensor index, *, Tensor? out=None',),
 'take_along_dim': ('Tensor input, Tensor indices, int? dim=None, *, Tensor? out=None',),
 'tensor_split': ('Tensor input, Tensor tensor_indices_or_sections, int dim=0',
                  'Tensor input, int sections, int dim=0',
                  'Tensor input, int[] indices, int dim=0'),
 'threshold': ('Tensor input, Scalar threshold, Scalar value, *, Tensor? out=None',),
 'threshold_': ('Tensor input, Scalar threshold, Scalar value',),
 'tile': ('Tensor input, int[] dims',),
 'topk': ('Tensor input, int k, int dim=-1, bool largest=True, bool sorted=True, *, Tensor? out=None',),
 'trace': ('Tensor input',),
 'trapezoid': ('Tensor y, Tensor x, *, int dim=-1', 'Tensor y, *, Scalar dx=1, int dim=-1'),
 'trapz': ('Tensor y, *, float dx=1, int dim=-1', 'Tensor y, Tensor x, *, int dim=-1'),
 'tril': ('Tensor input, int diagonal=0, *, Tensor? out=None',),
 'tril_indices': ('int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                  'device=None, bool? pin_memory=False, bool? requires_grad=False',),
 'triplet_margin_loss': ('Tensor anchor, Tensor positive, Tensor negative, float margin=1.0, float p=2, '
                         'float eps=1e-06, bool swap=False, int reduction=1',),
 'triu': ('Tensor input, int diagonal=0, *, Tensor? out=None',),
 'triu_indices': ('int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                  'device=None, bool? pin_memory=False, bool? requires_grad=False',),
 'vander': ('Tensor x, int? N=None, bool increasing=False',),
 'var': ('Tensor input, int[1]? dim, bool unbiased=True, bool keepdim=False, *, Tensor? out=None',
         'Tensor input, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False, Tensor? out=None',
         'Tensor input, bool unbiased=True'),
 'var_mean': ('Tensor input, int[1]? dim, bool unbiased=True, bool keepdim=False',
              'Tensor input, int[1]? dim=None, *, Scalar? correction=None, bool keepdim=False',
              'Tensor input, bool unbiased=True'),
 'vdot': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'vsplit': ('Tensor input, int sections', 'Tensor input, int[] indices'),
 'xlogy': ('Tensor input, Tensor other, *, Tensor? out=None',
           'Scalar self, Tensor other, *, Tensor? out=None',
           'Tensor input, Scalar other, *, Tensor? out=None')}

# torch.nn.functional's functions that are C++ bindings in torch -> their SIGNATURES key
F_BUILTINS = {'adaptive_avg_pool1d': 'adaptive_avg_pool1d',
 'avg_pool1d': 'avg_pool1d',
 'avg_pool2d': '_nn.avg_pool2d',
 'avg_pool3d': '_nn.avg_pool3d',
 'bilinear': 'bilinear',
 'celu_': 'celu_',
 'channel_shuffle': 'channel_shuffle',
 'conv1d': 'conv1d',
 'conv2d': 'conv2d',
 'conv3d': 'conv3d',
 'conv_transpose1d': 'conv_transpose1d',
 'conv_transpose2d': 'conv_transpose2d',
 'conv_transpose3d': 'conv_transpose3d',
 'cosine_similarity': 'cosine_similarity',
 'elu_': '_nn.elu_',
 'gelu': '_nn.gelu',
 'hardshrink': 'hardshrink',
 'hardtanh_': '_nn.hardtanh_',
 'leaky_relu_': '_nn.leaky_relu_',
 'linear': '_nn.linear',
 'logsigmoid': '_nn.log_sigmoid',
 'native_channel_shuffle': 'native_channel_shuffle',
 'one_hot': '_nn.one_hot',
 'pairwise_distance': 'pairwise_distance',
 'pdist': 'pdist',
 'pixel_shuffle': 'pixel_shuffle',
 'pixel_unshuffle': 'pixel_unshuffle',
 'prelu': 'prelu',
 'relu_': 'relu_',
 'rrelu_': 'rrelu_',
 'scaled_dot_product_attention': '_nn.scaled_dot_product_attention',
 'selu_': 'selu_',
 'softplus': '_nn.softplus',
 'softshrink': '_nn.softshrink',
 'threshold_': 'threshold_'}

# torch.nn.functional's Python functions that hand their arguments by name to these C++ functions
F_FORWARDS = {'batch_norm': ('batch_norm',),
 'instance_norm': ('instance_norm',),
 'layer_norm': ('layer_norm',),
 'max_pool1d': ('max_pool1d', 'max_pool1d_with_indices'),
 'max_pool2d': ('max_pool2d', '_nn.max_pool2d_with_indices'),
 'max_pool3d': ('max_pool3d', '_nn.max_pool3d_with_indices'),
 'rrelu': ('rrelu', 'rrelu_')}

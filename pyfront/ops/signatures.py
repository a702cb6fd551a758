"""torch 2.13's Python-binding signatures of the functions argcheck parses calls against, in
its schema types ("int[1]": a single int is taken too; "?": None is). Written by
tests/scripts/gen_signatures.py from torch's stub of its bindings; not edited by hand."""

SIGNATURES = {'acosh': ('Tensor input, *, Tensor? out=None',),
 'adaptive_avg_pool1d': ('Tensor input, int[1] output_size',),
 'adaptive_max_pool1d': ('Tensor input, int[1] output_size',),
 'adjoint': ('Tensor input',),
 'alpha_dropout': ('Tensor input, float p, bool train',),
 'alpha_dropout_': ('Tensor input, float p, bool train',),
 'aminmax': ('Tensor input, *, int? dim=None, bool keepdim=False, Tensor? out=None',),
 'asinh': ('Tensor input, *, Tensor? out=None',),
 'atanh': ('Tensor input, *, Tensor? out=None',),
 'avg_pool1d': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, bool ceil_mode=False, '
                'bool count_include_pad=True',),
 'bartlett_window': ('int window_length, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                     'device=None, bool? pin_memory=False, bool? requires_grad=False',
                     'int window_length, bool periodic, *, ScalarType? dtype=None, Layout? layout=None, '
                     'Device? device=None, bool? pin_memory=False, bool? requires_grad=False'),
 'batch_norm': ('Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, bool '
                'training, float momentum, float eps, bool cudnn_enabled',),
 'bilinear': ('Tensor input1, Tensor input2, Tensor weight, Tensor? bias=None',),
 'binary_cross_entropy_with_logits': ('Tensor input, Tensor target, Tensor? weight=None, Tensor? '
                                      'pos_weight=None, int reduction=1',),
 'blackman_window': ('int window_length, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                     'device=None, bool? pin_memory=False, bool? requires_grad=False',
                     'int window_length, bool periodic, *, ScalarType? dtype=None, Layout? layout=None, '
                     'Device? device=None, bool? pin_memory=False, bool? requires_grad=False'),
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
 'conv_transpose1d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, '
                      'int[1] output_padding=0, int groups=1, int[1] dilation=1',),
 'conv_transpose2d': ('Tensor input, Tensor weight, Tensor? bias=None, int[1] stride=1, int[1] padding=0, '
                      'int[1] output_padding=0, int groups=1, int[1] dilation=1',),
 'corrcoef': ('Tensor input',),
 'cosine_embedding_loss': ('Tensor input1, Tensor input2, Tensor target, float margin=0.0, int reduction=1',),
 'cosine_similarity': ('Tensor x1, Tensor x2, int dim=1, float eps=1e-08',),
 'cov': ('Tensor input, *, int correction=1, Tensor? fweights=None, Tensor? aweights=None',),
 'cumulative_trapezoid': ('Tensor y, Tensor x, *, int dim=-1', 'Tensor y, *, Scalar dx=1, int dim=-1'),
 'deg2rad': ('Tensor input, *, Tensor? out=None',),
 'diagflat': ('Tensor input, int offset=0',),
 'diff': ('Tensor input, int n=1, int dim=-1, Tensor? prepend=None, Tensor? append=None, *, Tensor? '
          'out=None',),
 'digamma': ('Tensor input, *, Tensor? out=None',),
 'dropout': ('Tensor input, float p, bool train',),
 'dropout_': ('Tensor input, float p, bool train',),
 'dsplit': ('Tensor input, int sections', 'Tensor input, int[] indices'),
 'embedding': ('Tensor weight, Tensor indices, int padding_idx=-1, bool scale_grad_by_freq=False, bool '
               'sparse=False',),
 'empty_strided': ('int[] size, int[] stride, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                   'device=None, bool? pin_memory=False, bool? requires_grad=False',),
 'erfc': ('Tensor input, *, Tensor? out=None',),
 'erfinv': ('Tensor input, *, Tensor? out=None',),
 'feature_alpha_dropout': ('Tensor input, float p, bool train',),
 'feature_alpha_dropout_': ('Tensor input, float p, bool train',),
 'fix': ('Tensor input, *, Tensor? out=None',),
 'full': ('int[] size, Scalar fill_value, *, Tensor? out=None, Layout layout=strided, ScalarType? '
          'dtype=None, Device? device=None, bool requires_grad=False, bool pin_memory=False',),
 'gcd': ('Tensor input, Tensor other, *, Tensor? out=None',),
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
 'hinge_embedding_loss': ('Tensor input, Tensor target, float margin=1.0, int reduction=1',),
 'histogram': ('Tensor input, Tensor bins, *, Tensor? weight=None, bool density=False, Tensor? out=None',
               'Tensor input, int bins=100, *, float[]? range=None, Tensor? weight=None, bool density=False, '
               'Tensor? out=None'),
 'hsplit': ('Tensor input, int sections', 'Tensor input, int[] indices'),
 'hypot': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'i0': ('Tensor input, *, Tensor? out=None',),
 'instance_norm': ('Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, '
                   'bool use_input_stats, float momentum, float eps, bool cudnn_enabled',),
 'is_same_size': ('Tensor input, Tensor other',),
 'is_signed': ('Tensor input',),
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
 'layer_norm': ('Tensor input, int[] normalized_shape, Tensor? weight=None, Tensor? bias=None, float '
                'eps=1e-05, bool cudnn_enable=True',),
 'lcm': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'ldexp': ('Tensor input, Tensor other, *, Tensor? out=None',),
 'lgamma': ('Tensor input, *, Tensor? out=None',),
 'linspace': ('Tensor start, Tensor end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
              'Scalar start, Tensor end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
              'Tensor start, Scalar end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False',
              'Scalar start, Scalar end, int steps, *, Tensor? out=None, ScalarType? dtype=None, Layout? '
              'layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False'),
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
 'margin_ranking_loss': ('Tensor input1, Tensor input2, Tensor target, float margin=0.0, int reduction=1',),
 'matrix_power': ('Tensor input, int n, *, Tensor? out=None',),
 'max_pool1d': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, int[1] dilation=1, '
                'bool ceil_mode=False',),
 'max_pool1d_with_indices': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, int[1] '
                             'dilation=1, bool ceil_mode=False',),
 'max_pool2d': ('Tensor input, int[1] kernel_size, int[1] stride=(), int[1] padding=0, int[1] dilation=1, '
                'bool ceil_mode=False',),
 'mvlgamma': ('Tensor input, int p, *, Tensor? out=None',),
 'nanmedian': ('Tensor input', 'Tensor input, int dim, bool keepdim=False, *, Tensor? out=None'),
 'nanquantile': ("Tensor input, Tensor q, int? dim=None, bool keepdim=False, *, str interpolation='linear', "
                 'Tensor? out=None',
                 "Tensor input, float q, int? dim=None, bool keepdim=False, *, str interpolation='linear', "
                 'Tensor? out=None'),
 'native_channel_shuffle': ('Tensor input, int groups',),
 'native_layer_norm': ('Tensor input, int[] normalized_shape, Tensor? weight, Tensor? bias, float eps',),
 'nextafter': ('Tensor input, Tensor other, *, Tensor? out=None',),
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
 'renorm': ('Tensor input, Scalar p, int dim, Scalar maxnorm, *, Tensor? out=None',),
 'rms_norm': ('Tensor input, int[] normalized_shape, Tensor? weight=None, float? eps=None',),
 'row_stack': ('Tensor[] tensors, *, Tensor? out=None',),
 'rrelu': ('Tensor input, Scalar lower=0.125, Scalar upper=0.3333333333333333, bool training=False, '
           'Generator? generator=None',),
 'rrelu_': ('Tensor input, Scalar lower=0.125, Scalar upper=0.3333333333333333, bool training=False, '
            'Generator? generator=None',),
 'selu': ('Tensor input',),
 'selu_': ('Tensor input',),
 'sgn': ('Tensor input, *, Tensor? out=None',),
 'sinc': ('Tensor input, *, Tensor? out=None',),
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
 'tensor_split': ('Tensor input, Tensor tensor_indices_or_sections, int dim=0',
                  'Tensor input, int sections, int dim=0',
                  'Tensor input, int[] indices, int dim=0'),
 'threshold': ('Tensor input, Scalar threshold, Scalar value, *, Tensor? out=None',),
 'threshold_': ('Tensor input, Scalar threshold, Scalar value',),
 'trapezoid': ('Tensor y, Tensor x, *, int dim=-1', 'Tensor y, *, Scalar dx=1, int dim=-1'),
 'trapz': ('Tensor y, *, float dx=1, int dim=-1', 'Tensor y, Tensor x, *, int dim=-1'),
 'tril_indices': ('int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                  'device=None, bool? pin_memory=False, bool? requires_grad=False',),
 'triplet_margin_loss': ('Tensor anchor, Tensor positive, Tensor negative, float margin=1.0, float p=2, '
                         'float eps=1e-06, bool swap=False, int reduction=1',),
 'triu_indices': ('int row, int col, int offset=0, *, ScalarType? dtype=None, Layout? layout=None, Device? '
                  'device=None, bool? pin_memory=False, bool? requires_grad=False',),
 'vander': ('Tensor x, int? N=None, bool increasing=False',),
 'vsplit': ('Tensor input, int sections', 'Tensor input, int[] indices'),
 'xlogy': ('Tensor input, Tensor other, *, Tensor? out=None',
           'Scalar self, Tensor other, *, Tensor? out=None',
           'Tensor input, Scalar other, *, Tensor? out=None')}

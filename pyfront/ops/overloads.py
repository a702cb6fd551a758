"""The overloads torch 2.13's argument parser lists when a call fits none of them, as it prints
them: by the function's name in its message, a Tensor method's as "Tensor.NAME". Written by
tests/scripts/gen_overloads.py from torch's own messages; not edited by hand."""

OVERLOADS = {'Tensor.add': ('(Tensor other, *, Number alpha = 1)',),
 'Tensor.add_': ('(Tensor other, *, Number alpha = 1)',),
 'Tensor.addbmm': ('(Tensor batch1, Tensor batch2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.addbmm_': ('(Tensor batch1, Tensor batch2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.addcdiv': ('(Tensor tensor1, Tensor tensor2, *, Number value = 1)',),
 'Tensor.addcdiv_': ('(Tensor tensor1, Tensor tensor2, *, Number value = 1)',),
 'Tensor.addcmul': ('(Tensor tensor1, Tensor tensor2, *, Number value = 1)',),
 'Tensor.addcmul_': ('(Tensor tensor1, Tensor tensor2, *, Number value = 1)',),
 'Tensor.addmm': ('(Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.addmm_': ('(Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.addmv': ('(Tensor mat, Tensor vec, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.addmv_': ('(Tensor mat, Tensor vec, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.addr': ('(Tensor vec1, Tensor vec2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.addr_': ('(Tensor vec1, Tensor vec2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.all': ('()',
                '(tuple of ints dim = None, bool keepdim = False)',
                '(int dim, bool keepdim = False)'),
 'Tensor.any': ('()',
                '(tuple of ints dim = None, bool keepdim = False)',
                '(int dim, bool keepdim = False)'),
 'Tensor.argsort': ('(*, bool stable, int dim = -1, bool descending = False)',
                    '(int dim = -1, bool descending = False)'),
 'Tensor.baddbmm': ('(Tensor batch1, Tensor batch2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.baddbmm_': ('(Tensor batch1, Tensor batch2, *, Number beta = 1, Number alpha = 1)',),
 'Tensor.bernoulli': ('(*, torch.Generator generator = None)',
                      '(float p, *, torch.Generator generator = None)'),
 'Tensor.bernoulli_': ('(Tensor p, *, torch.Generator generator = None)',
                       '(float p = 0.5, *, torch.Generator generator = None)'),
 'Tensor.bitwise_and': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_and_': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_left_shift': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_left_shift_': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_or': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_or_': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_right_shift': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_right_shift_': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_xor': ('(Tensor other)', '(Number other)'),
 'Tensor.bitwise_xor_': ('(Tensor other)', '(Number other)'),
 'Tensor.clamp': ('(Tensor min = None, Tensor max = None)',
                  '(Number min = None, Number max = None)'),
 'Tensor.clamp_': ('(Tensor min = None, Tensor max = None)',
                   '(Number min = None, Number max = None)'),
 'Tensor.clamp_max': ('(Tensor max)', '(Number max)'),
 'Tensor.clamp_max_': ('(Tensor max)', '(Number max)'),
 'Tensor.clamp_min': ('(Tensor min)', '(Number min)'),
 'Tensor.clamp_min_': ('(Tensor min)', '(Number min)'),
 'Tensor.clip': ('(Tensor min = None, Tensor max = None)',
                 '(Number min = None, Number max = None)'),
 'Tensor.clip_': ('(Tensor min = None, Tensor max = None)',
                  '(Number min = None, Number max = None)'),
 'Tensor.copy_': ('(Tensor other, bool non_blocking = False)',),
 'Tensor.copysign': ('(Tensor other)', '(Number other)'),
 'Tensor.copysign_': ('(Tensor other)', '(Number other)'),
 'Tensor.count_nonzero': ('(int dim = None)', '(tuple of ints dim)'),
 'Tensor.cuda': ('(torch.device device = None, bool non_blocking = False, *, torch.memory_format '
                 'memory_format = None)',),
 'Tensor.div': ('(Tensor other)',
                '(Tensor other, *, str rounding_mode)',
                '(Number other, *, str rounding_mode)'),
 'Tensor.div_': ('(Tensor other)',
                 '(Tensor other, *, str rounding_mode)',
                 '(Number other, *, str rounding_mode)'),
 'Tensor.divide': ('(Tensor other)',
                   '(Tensor other, *, str rounding_mode)',
                   '(Number other)',
                   '(Number other, *, str rounding_mode)'),
 'Tensor.divide_': ('(Tensor other)',
                    '(Tensor other, *, str rounding_mode)',
                    '(Number other)',
                    '(Number other, *, str rounding_mode)'),
 'Tensor.dsplit': ('(int sections)', '(tuple of ints indices)'),
 'Tensor.eq': ('(Tensor other)', '(Number other)'),
 'Tensor.eq_': ('(Tensor other)', '(Number other)'),
 'Tensor.fill_': ('(Tensor value)', '(Number value)'),
 'Tensor.float_power': ('(Tensor exponent)', '(Number exponent)'),
 'Tensor.float_power_': ('(Tensor exponent)', '(Number exponent)'),
 'Tensor.floor_divide': ('(Tensor other)', '(Number other)'),
 'Tensor.floor_divide_': ('(Tensor other)', '(Number other)'),
 'Tensor.fmod': ('(Tensor other)', '(Number other)'),
 'Tensor.fmod_': ('(Tensor other)', '(Number other)'),
 'Tensor.ge': ('(Tensor other)', '(Number other)'),
 'Tensor.ge_': ('(Tensor other)', '(Number other)'),
 'Tensor.greater': ('(Tensor other)', '(Number other)'),
 'Tensor.greater_': ('(Tensor other)', '(Number other)'),
 'Tensor.greater_equal': ('(Tensor other)', '(Number other)'),
 'Tensor.greater_equal_': ('(Tensor other)', '(Number other)'),
 'Tensor.gt': ('(Tensor other)', '(Number other)'),
 'Tensor.gt_': ('(Tensor other)', '(Number other)'),
 'Tensor.histogram': ('(Tensor bins, *, Tensor weight = None, bool density = False)',
                      '(int bins = 100, *, tuple of floats range = None, Tensor weight = None, '
                      'bool density = False)'),
 'Tensor.hsplit': ('(int sections)', '(tuple of ints indices)'),
 'Tensor.index_fill': ('(int dim, Tensor index, Tensor value)',
                       '(int dim, Tensor index, Number value)'),
 'Tensor.index_fill_': ('(int dim, Tensor index, Tensor value)',
                        '(int dim, Tensor index, Number value)'),
 'Tensor.le': ('(Tensor other)', '(Number other)'),
 'Tensor.le_': ('(Tensor other)', '(Number other)'),
 'Tensor.lerp': ('(Tensor end, Tensor weight)', '(Tensor end, Number weight)'),
 'Tensor.lerp_': ('(Tensor end, Tensor weight)', '(Tensor end, Number weight)'),
 'Tensor.less': ('(Tensor other)', '(Number other)'),
 'Tensor.less_': ('(Tensor other)', '(Number other)'),
 'Tensor.less_equal': ('(Tensor other)', '(Number other)'),
 'Tensor.less_equal_': ('(Tensor other)', '(Number other)'),
 'Tensor.lt': ('(Tensor other)', '(Number other)'),
 'Tensor.lt_': ('(Tensor other)', '(Number other)'),
 'Tensor.masked_fill': ('(Tensor mask, Tensor value)', '(Tensor mask, Number value)'),
 'Tensor.masked_fill_': ('(Tensor mask, Tensor value)', '(Tensor mask, Number value)'),
 'Tensor.max': ('()', '(Tensor other)', '(int dim, bool keepdim = False)'),
 'Tensor.mean': ('(*, torch.dtype dtype = None)',
                 '(tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None)'),
 'Tensor.median': ('()', '(int dim, bool keepdim = False)'),
 'Tensor.min': ('()', '(Tensor other)', '(int dim, bool keepdim = False)'),
 'Tensor.moveaxis': ('(int source, int destination)',
                     '(tuple of ints source, tuple of ints destination)'),
 'Tensor.movedim': ('(int source, int destination)',
                    '(tuple of ints source, tuple of ints destination)'),
 'Tensor.multiply': ('(Tensor other)', '(Number other)'),
 'Tensor.multiply_': ('(Tensor other)', '(Number other)'),
 'Tensor.nanmedian': ('()', '(int dim, bool keepdim = False)'),
 'Tensor.nanquantile': ('(Tensor q, int dim = None, bool keepdim = False, *, str interpolation = '
                        '"linear")',
                        '(float q, int dim = None, bool keepdim = False, *, str interpolation = '
                        '"linear")'),
 'Tensor.narrow': ('(int dim, Tensor start, int length)', '(int dim, int start, int length)'),
 'Tensor.ne': ('(Tensor other)', '(Number other)'),
 'Tensor.ne_': ('(Tensor other)', '(Number other)'),
 'Tensor.new': ('(*, torch.device device = None)',
                '(torch.Storage storage)',
                '(Tensor other)',
                '(tuple of ints size, *, torch.device device = None)',
                '(object data, *, torch.device device = None)'),
 'Tensor.nonzero': ('()', '(*, bool as_tuple)'),
 'Tensor.not_equal': ('(Tensor other)', '(Number other)'),
 'Tensor.not_equal_': ('(Tensor other)', '(Number other)'),
 'Tensor.pow': ('(Tensor exponent)', '(Number exponent)'),
 'Tensor.pow_': ('(Tensor exponent)', '(Number exponent)'),
 'Tensor.prod': ('(*, torch.dtype dtype = None)',
                 '(int dim, bool keepdim = False, *, torch.dtype dtype = None)'),
 'Tensor.quantile': ('(Tensor q, int dim = None, bool keepdim = False, *, str interpolation = '
                     '"linear")',
                     '(float q, int dim = None, bool keepdim = False, *, str interpolation = '
                     '"linear")'),
 'Tensor.random_': ('(*, torch.Generator generator = None)',
                    '(int from, int to, *, torch.Generator generator = None)',
                    '(int to, *, torch.Generator generator = None)'),
 'Tensor.remainder': ('(Tensor other)', '(Number other)'),
 'Tensor.remainder_': ('(Tensor other)', '(Number other)'),
 'Tensor.repeat_interleave': ('(Tensor repeats, int dim = None, *, int output_size = None)',
                              '(int repeats, int dim = None, *, int output_size = None)'),
 'Tensor.round': ('()', '(*, int decimals)'),
 'Tensor.round_': ('()', '(*, int decimals)'),
 'Tensor.scatter': ('(int dim, Tensor index, Tensor src)',
                    '(int dim, Tensor index, Tensor src, *, str reduce)',
                    '(int dim, Tensor index, Number value)',
                    '(int dim, Tensor index, Number value, *, str reduce)'),
 'Tensor.scatter_': ('(int dim, Tensor index, Tensor src)',
                     '(int dim, Tensor index, Tensor src, *, str reduce)',
                     '(int dim, Tensor index, Number value)',
                     '(int dim, Tensor index, Number value, *, str reduce)'),
 'Tensor.set_': ('()',
                 '(torch.Storage source)',
                 '(torch.Storage source, int storage_offset, tuple of ints size, tuple of ints '
                 'stride = None)',
                 '(Tensor source)',
                 '(Tensor source, int storage_offset, tuple of ints size, tuple of ints stride = '
                 'None)'),
 'Tensor.sort': ('(*, bool stable, int dim = -1, bool descending = False)',
                 '(int dim = -1, bool descending = False)'),
 'Tensor.squeeze': ('()', '(int dim)', '(tuple of ints dim)'),
 'Tensor.squeeze_': ('()', '(int dim)', '(tuple of ints dim)'),
 'Tensor.std': ('(tuple of ints dim, bool unbiased = True, bool keepdim = False)',
                '(tuple of ints dim = None, *, Number correction = None, bool keepdim = False)',
                '(bool unbiased = True)'),
 'Tensor.sub': ('(Tensor other, *, Number alpha = 1)',),
 'Tensor.sub_': ('(Tensor other, *, Number alpha = 1)',),
 'Tensor.subtract': ('(Tensor other, *, Number alpha = 1)', '(Number other, Number alpha = 1)'),
 'Tensor.subtract_': ('(Tensor other, *, Number alpha = 1)', '(Number other, Number alpha = 1)'),
 'Tensor.sum': ('(*, torch.dtype dtype = None)',
                '(tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None)'),
 'Tensor.tensor_split': ('(tuple of ints indices, int dim = 0)',
                         '(Tensor tensor_indices_or_sections, int dim = 0)',
                         '(int sections, int dim = 0)'),
 'Tensor.to': ('(torch.device device = None, torch.dtype dtype = None, bool non_blocking = '
               'False, bool copy = False, *, torch.memory_format memory_format = None)',
               '(torch.dtype dtype, bool non_blocking = False, bool copy = False, *, '
               'torch.memory_format memory_format = None)',
               '(Tensor tensor, bool non_blocking = False, bool copy = False, *, '
               'torch.memory_format memory_format = None)'),
 'Tensor.to_sparse': ('(*, torch.layout layout = None, tuple of ints blocksize = None, int '
                      'dense_dim = None)',
                      '(int sparse_dim)'),
 'Tensor.true_divide': ('(Tensor other)', '(Number other)'),
 'Tensor.true_divide_': ('(Tensor other)', '(Number other)'),
 'Tensor.type': ('(object dtype = None, bool non_blocking = False, *, torch.memory_format '
                 'memory_format = None)',),
 'Tensor.var': ('(tuple of ints dim, bool unbiased = True, bool keepdim = False)',
                '(tuple of ints dim = None, *, Number correction = None, bool keepdim = False)',
                '(bool unbiased = True)'),
 'Tensor.view': ('(torch.dtype dtype)', '(tuple of ints size)'),
 'Tensor.vsplit': ('(int sections)', '(tuple of ints indices)'),
 'Tensor.where': ('(Tensor condition, Tensor other)', '(Tensor condition, Number other)'),
 'Tensor.xlogy': ('(Tensor other)', '(Number other)'),
 'Tensor.xlogy_': ('(Tensor other)', '(Number other)'),
 '_foreach_add': ('(tuple of Tensors self, Number scalar)',
                  '(tuple of Tensors self, tuple of Scalars scalars)',
                  '(tuple of Tensors self, Tensor other, *, Number alpha = 1)',
                  '(tuple of Tensors self, tuple of Tensors other, *, Number alpha = 1)'),
 '_foreach_add_': ('(tuple of Tensors self, Number scalar)',
                   '(tuple of Tensors self, tuple of Scalars scalars)',
                   '(tuple of Tensors self, Tensor other, *, Number alpha = 1)',
                   '(tuple of Tensors self, tuple of Tensors other, *, Number alpha = 1)'),
 '_foreach_addcdiv': ('(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                      'tensor2, tuple of Scalars scalars)',
                      '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                      'tensor2, Tensor scalars)',
                      '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                      'tensor2, Number value = 1)'),
 '_foreach_addcdiv_': ('(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                       'tensor2, tuple of Scalars scalars)',
                       '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                       'tensor2, Tensor scalars)',
                       '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                       'tensor2, Number value = 1)'),
 '_foreach_addcmul': ('(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                      'tensor2, tuple of Scalars scalars)',
                      '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                      'tensor2, Tensor scalars)',
                      '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                      'tensor2, Number value = 1)'),
 '_foreach_addcmul_': ('(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                       'tensor2, tuple of Scalars scalars)',
                       '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                       'tensor2, Tensor scalars)',
                       '(tuple of Tensors self, tuple of Tensors tensor1, tuple of Tensors '
                       'tensor2, Number value = 1)'),
 '_foreach_clamp_max': ('(tuple of Tensors self, Number scalar)',
                        '(tuple of Tensors self, tuple of Scalars scalars)',
                        '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_clamp_max_': ('(tuple of Tensors self, Number scalar)',
                         '(tuple of Tensors self, tuple of Scalars scalars)',
                         '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_clamp_min': ('(tuple of Tensors self, Number scalar)',
                        '(tuple of Tensors self, tuple of Scalars scalars)',
                        '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_clamp_min_': ('(tuple of Tensors self, Number scalar)',
                         '(tuple of Tensors self, tuple of Scalars scalars)',
                         '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_div': ('(tuple of Tensors self, tuple of Scalars scalars)',
                  '(tuple of Tensors self, Tensor other)',
                  '(tuple of Tensors self, tuple of Tensors other)',
                  '(tuple of Tensors self, Number scalar)'),
 '_foreach_div_': ('(tuple of Tensors self, tuple of Scalars scalars)',
                   '(tuple of Tensors self, Tensor other)',
                   '(tuple of Tensors self, tuple of Tensors other)',
                   '(tuple of Tensors self, Number scalar)'),
 '_foreach_lerp': ('(tuple of Tensors self, tuple of Tensors tensors1, Number weight)',
                   '(tuple of Tensors self, tuple of Tensors tensors1, tuple of Scalars weight)',
                   '(tuple of Tensors self, tuple of Tensors tensors1, tuple of Tensors '
                   'weights)'),
 '_foreach_lerp_': ('(tuple of Tensors self, tuple of Tensors tensors1, Number weight)',
                    '(tuple of Tensors self, tuple of Tensors tensors1, tuple of Scalars weight)',
                    '(tuple of Tensors self, tuple of Tensors tensors1, tuple of Tensors '
                    'weights)'),
 '_foreach_maximum': ('(tuple of Tensors self, Number scalar)',
                      '(tuple of Tensors self, tuple of Scalars scalars)',
                      '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_maximum_': ('(tuple of Tensors self, Number scalar)',
                       '(tuple of Tensors self, tuple of Scalars scalars)',
                       '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_minimum': ('(tuple of Tensors self, Number scalar)',
                      '(tuple of Tensors self, tuple of Scalars scalars)',
                      '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_minimum_': ('(tuple of Tensors self, Number scalar)',
                       '(tuple of Tensors self, tuple of Scalars scalars)',
                       '(tuple of Tensors self, tuple of Tensors other)'),
 '_foreach_mul': ('(tuple of Tensors self, tuple of Scalars scalars)',
                  '(tuple of Tensors self, Tensor other)',
                  '(tuple of Tensors self, tuple of Tensors other)',
                  '(tuple of Tensors self, Number scalar)'),
 '_foreach_mul_': ('(tuple of Tensors self, tuple of Scalars scalars)',
                   '(tuple of Tensors self, Tensor other)',
                   '(tuple of Tensors self, tuple of Tensors other)',
                   '(tuple of Tensors self, Number scalar)'),
 '_foreach_pow': ('(Number self, tuple of Tensors exponent)',
                  '(tuple of Tensors self, Number exponent)',
                  '(tuple of Tensors self, tuple of Scalars exponent)',
                  '(tuple of Tensors self, tuple of Tensors exponent)'),
 '_foreach_pow_': ('(tuple of Tensors self, Number exponent)',
                   '(tuple of Tensors self, tuple of Scalars exponent)',
                   '(tuple of Tensors self, tuple of Tensors exponent)'),
 '_foreach_sub': ('(tuple of Tensors self, Number scalar)',
                  '(tuple of Tensors self, tuple of Scalars scalars)',
                  '(tuple of Tensors self, tuple of Tensors other, *, Number alpha = 1)'),
 '_foreach_sub_': ('(tuple of Tensors self, Number scalar)',
                   '(tuple of Tensors self, tuple of Scalars scalars)',
                   '(tuple of Tensors self, tuple of Tensors other, *, Number alpha = 1)'),
 'add': ('(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)',),
 'addbmm': ('(Tensor input, Tensor batch1, Tensor batch2, *, Number beta = 1, Number alpha = 1, '
            'Tensor out = None)',),
 'addcdiv': ('(Tensor input, Tensor tensor1, Tensor tensor2, *, Number value = 1, Tensor out = '
             'None)',),
 'addcmul': ('(Tensor input, Tensor tensor1, Tensor tensor2, *, Number value = 1, Tensor out = '
             'None)',),
 'addmm': ('(Tensor input, Tensor mat1, Tensor mat2, *, Number beta = 1, Number alpha = 1, '
           'Tensor out = None)',
           '(Tensor input, Tensor mat1, Tensor mat2, torch.dtype out_dtype, *, Number beta = 1, '
           'Number alpha = 1, Tensor out = None)'),
 'addmv': ('(Tensor input, Tensor mat, Tensor vec, *, Number beta = 1, Number alpha = 1, Tensor '
           'out = None)',),
 'addmv_': ('(Tensor input, Tensor mat, Tensor vec, *, Number beta = 1, Number alpha = 1)',),
 'addr': ('(Tensor input, Tensor vec1, Tensor vec2, *, Number beta = 1, Number alpha = 1, Tensor '
          'out = None)',),
 'all': ('(Tensor input, *, Tensor out = None)',
         '(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)',
         '(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)'),
 'any': ('(Tensor input, *, Tensor out = None)',
         '(Tensor input, tuple of ints dim = None, bool keepdim = False, *, Tensor out = None)',
         '(Tensor input, int dim, bool keepdim = False, *, Tensor out = None)'),
 'arange': ('(Number end, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = '
            'None, torch.device device = None, bool pin_memory = False, bool requires_grad = '
            'False)',
            '(Number start, Number end, *, torch.dtype dtype = None, torch.layout layout = None, '
            'torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
            '(Number start, Number end, Number step = 1, *, Tensor out = None, torch.dtype dtype '
            '= None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
            'False, bool requires_grad = False)'),
 'argsort': ('(Tensor input, *, bool stable, int dim = -1, bool descending = False, Tensor out = '
             'None)',
             '(Tensor input, int dim = -1, bool descending = False)'),
 'atleast_1d': ('(Tensor input)', '(tuple of Tensors tensors)'),
 'atleast_2d': ('(Tensor input)', '(tuple of Tensors tensors)'),
 'atleast_3d': ('(Tensor input)', '(tuple of Tensors tensors)'),
 'baddbmm': ('(Tensor input, Tensor batch1, Tensor batch2, *, Number beta = 1, Number alpha = 1, '
             'Tensor out = None)',
             '(Tensor input, Tensor batch1, Tensor batch2, torch.dtype out_dtype, *, Number beta '
             '= 1, Number alpha = 1, Tensor out = None)'),
 'bartlett_window': ('(int window_length, *, torch.dtype dtype = None, torch.layout layout = '
                     'None, torch.device device = None, bool pin_memory = False, bool '
                     'requires_grad = False)',
                     '(int window_length, bool periodic, *, torch.dtype dtype = None, '
                     'torch.layout layout = None, torch.device device = None, bool pin_memory = '
                     'False, bool requires_grad = False)'),
 'bernoulli': ('(Tensor input, *, torch.Generator generator = None, Tensor out = None)',
               '(Tensor input, float p, *, torch.Generator generator = None)'),
 'bitwise_and': ('(Tensor input, Tensor other, *, Tensor out = None)',
                 '(Number self, Tensor other)',
                 '(Tensor input, Number other, *, Tensor out = None)'),
 'bitwise_left_shift': ('(Tensor input, Tensor other, *, Tensor out = None)',
                        '(Number self, Tensor other)',
                        '(Tensor input, Number other, *, Tensor out = None)'),
 'bitwise_or': ('(Tensor input, Tensor other, *, Tensor out = None)',
                '(Number self, Tensor other)',
                '(Tensor input, Number other, *, Tensor out = None)'),
 'bitwise_right_shift': ('(Tensor input, Tensor other, *, Tensor out = None)',
                         '(Number self, Tensor other)',
                         '(Tensor input, Number other, *, Tensor out = None)'),
 'bitwise_xor': ('(Tensor input, Tensor other, *, Tensor out = None)',
                 '(Number self, Tensor other)',
                 '(Tensor input, Number other, *, Tensor out = None)'),
 'blackman_window': ('(int window_length, *, torch.dtype dtype = None, torch.layout layout = '
                     'None, torch.device device = None, bool pin_memory = False, bool '
                     'requires_grad = False)',
                     '(int window_length, bool periodic, *, torch.dtype dtype = None, '
                     'torch.layout layout = None, torch.device device = None, bool pin_memory = '
                     'False, bool requires_grad = False)'),
 'bmm': ('(Tensor input, Tensor mat2, *, Tensor out = None)',
         '(Tensor input, Tensor mat2, torch.dtype out_dtype, *, Tensor out = None)'),
 'bucketize': ('(Tensor input, Tensor boundaries, *, bool out_int32 = False, bool right = False, '
               'Tensor out = None)',
               '(Number self, Tensor boundaries, *, bool out_int32 = False, bool right = False)'),
 'clamp': ('(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)',
           '(Tensor input, Number min = None, Number max = None, *, Tensor out = None)'),
 'clamp_': ('(Tensor input, Tensor min = None, Tensor max = None)',
            '(Tensor input, Number min = None, Number max = None)'),
 'clamp_max': ('(Tensor input, Tensor max, *, Tensor out = None)',
               '(Tensor input, Number max, *, Tensor out = None)'),
 'clamp_max_': ('(Tensor input, Tensor max)', '(Tensor input, Number max)'),
 'clamp_min': ('(Tensor input, Tensor min, *, Tensor out = None)',
               '(Tensor input, Number min, *, Tensor out = None)'),
 'clamp_min_': ('(Tensor input, Tensor min)', '(Tensor input, Number min)'),
 'clip': ('(Tensor input, Tensor min = None, Tensor max = None, *, Tensor out = None)',
          '(Tensor input, Number min = None, Number max = None, *, Tensor out = None)'),
 'clip_': ('(Tensor input, Tensor min = None, Tensor max = None)',
           '(Tensor input, Number min = None, Number max = None)'),
 'conv1d': ('(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple '
            'of ints padding = 0, tuple of ints dilation = 1, int groups = 1)',
            '(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str '
            'padding = "valid", tuple of ints dilation = 1, int groups = 1)'),
 'conv2d': ('(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple '
            'of ints padding = 0, tuple of ints dilation = 1, int groups = 1)',
            '(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str '
            'padding = "valid", tuple of ints dilation = 1, int groups = 1)'),
 'conv3d': ('(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, tuple '
            'of ints padding = 0, tuple of ints dilation = 1, int groups = 1)',
            '(Tensor input, Tensor weight, Tensor bias = None, tuple of ints stride = 1, str '
            'padding = "valid", tuple of ints dilation = 1, int groups = 1)'),
 'copysign': ('(Tensor input, Tensor other, *, Tensor out = None)',
              '(Tensor input, Number other, *, Tensor out = None)'),
 'count_nonzero': ('(Tensor input, int dim = None)', '(Tensor input, tuple of ints dim)'),
 'ctc_loss': ('(Tensor log_probs, Tensor targets, tuple of ints input_lengths, tuple of ints '
              'target_lengths, int blank = 0, int reduction = at::Reduction::Mean, bool '
              'zero_infinity = False)',
              '(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, '
              'int blank = 0, int reduction = at::Reduction::Mean, bool zero_infinity = False)'),
 'cumulative_trapezoid': ('(Tensor y, Tensor x, *, int dim = -1)',
                          '(Tensor y, *, Number dx = 1, int dim = -1)'),
 'div': ('(Tensor input, Tensor other, *, Tensor out = None)',
         '(Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)',
         '(Tensor input, Number other, *, str rounding_mode)'),
 'divide': ('(Tensor input, Tensor other, *, Tensor out = None)',
            '(Tensor input, Tensor other, *, str rounding_mode, Tensor out = None)',
            '(Tensor input, Number other)',
            '(Tensor input, Number other, *, str rounding_mode)'),
 'dsplit': ('(Tensor input, int sections)', '(Tensor input, tuple of ints indices)'),
 'embedding_bag': ('(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq, int '
                   'mode, bool sparse, Tensor per_sample_weights, bool include_last_offset, int '
                   'padding_idx)',
                   '(Tensor weight, Tensor indices, Tensor offsets, bool scale_grad_by_freq = '
                   'False, int mode = 0, bool sparse = False, Tensor per_sample_weights = None, '
                   'bool include_last_offset = False)'),
 'eq': ('(Tensor input, Tensor other, *, Tensor out = None)',
        '(Tensor input, Number other, *, Tensor out = None)'),
 'eye': ('(int n, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, '
         'torch.device device = None, bool pin_memory = False, bool requires_grad = False)',
         '(int n, int m, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = '
         'None, torch.device device = None, bool pin_memory = False, bool requires_grad = '
         'False)'),
 'fake_quantize_per_tensor_affine': ('(Tensor input, Tensor scale, Tensor zero_point, int '
                                     'quant_min, int quant_max)',
                                     '(Tensor input, float scale, int zero_point, int quant_min, '
                                     'int quant_max)'),
 'fill': ('(Tensor input, Tensor value)', '(Tensor input, Number value)'),
 'fill_': ('(Tensor input, Tensor value)', '(Tensor input, Number value)'),
 'float_power': ('(Tensor input, Tensor exponent, *, Tensor out = None)',
                 '(Number self, Tensor exponent, *, Tensor out = None)',
                 '(Tensor input, Number exponent, *, Tensor out = None)'),
 'floor_divide': ('(Tensor input, Tensor other, *, Tensor out = None)',
                  '(Tensor input, Number other)'),
 'fmod': ('(Tensor input, Tensor other, *, Tensor out = None)',
          '(Tensor input, Number other, *, Tensor out = None)'),
 'ge': ('(Tensor input, Tensor other, *, Tensor out = None)',
        '(Tensor input, Number other, *, Tensor out = None)'),
 'gradient': ('(Tensor input, *, tuple of ints dim, int edge_order = 1)',
              '(Tensor input, *, Number spacing, tuple of ints dim, int edge_order = 1)',
              '(Tensor input, *, Number spacing = None, int dim = None, int edge_order = 1)',
              '(Tensor input, *, tuple of Scalars spacing, int dim = None, int edge_order = 1)',
              '(Tensor input, *, tuple of Scalars spacing, tuple of ints dim, int edge_order = '
              '1)',
              '(Tensor input, *, tuple of Tensors spacing, int dim = None, int edge_order = 1)',
              '(Tensor input, *, tuple of Tensors spacing, tuple of ints dim, int edge_order = '
              '1)'),
 'greater': ('(Tensor input, Tensor other, *, Tensor out = None)',
             '(Tensor input, Number other, *, Tensor out = None)'),
 'greater_equal': ('(Tensor input, Tensor other, *, Tensor out = None)',
                   '(Tensor input, Number other, *, Tensor out = None)'),
 'gt': ('(Tensor input, Tensor other, *, Tensor out = None)',
        '(Tensor input, Number other, *, Tensor out = None)'),
 'hamming_window': ('(int window_length, *, torch.dtype dtype = None, torch.layout layout = '
                    'None, torch.device device = None, bool pin_memory = False, bool '
                    'requires_grad = False)',
                    '(int window_length, bool periodic, *, torch.dtype dtype = None, '
                    'torch.layout layout = None, torch.device device = None, bool pin_memory = '
                    'False, bool requires_grad = False)',
                    '(int window_length, bool periodic, float alpha, *, torch.dtype dtype = '
                    'None, torch.layout layout = None, torch.device device = None, bool '
                    'pin_memory = False, bool requires_grad = False)',
                    '(int window_length, bool periodic, float alpha, float beta, *, torch.dtype '
                    'dtype = None, torch.layout layout = None, torch.device device = None, bool '
                    'pin_memory = False, bool requires_grad = False)'),
 'hann_window': ('(int window_length, *, torch.dtype dtype = None, torch.layout layout = None, '
                 'torch.device device = None, bool pin_memory = False, bool requires_grad = '
                 'False)',
                 '(int window_length, bool periodic, *, torch.dtype dtype = None, torch.layout '
                 'layout = None, torch.device device = None, bool pin_memory = False, bool '
                 'requires_grad = False)'),
 'histogram': ('(Tensor input, Tensor bins, *, Tensor weight = None, bool density = False, tuple '
               'of Tensors out = None)',
               '(Tensor input, int bins = 100, *, tuple of floats range = None, Tensor weight = '
               'None, bool density = False, tuple of Tensors out = None)'),
 'histogramdd': ('(Tensor input, int bins, tuple of floats range = None, Tensor weight = None, '
                 'bool density = False)',
                 '(Tensor input, tuple of ints bins, tuple of floats range = None, Tensor weight '
                 '= None, bool density = False)',
                 '(Tensor input, tuple of Tensors bins, tuple of floats range = None, Tensor '
                 'weight = None, bool density = False)'),
 'hsplit': ('(Tensor input, int sections)', '(Tensor input, tuple of ints indices)'),
 'index_fill': ('(Tensor input, int dim, Tensor index, Tensor value)',
                '(Tensor input, int dim, Tensor index, Number value)'),
 'isin': ('(Tensor elements, Tensor test_elements, *, bool assume_unique = False, bool invert = '
          'False, Tensor out = None)',
          '(Number element, Tensor test_elements, *, bool assume_unique = False, bool invert = '
          'False, Tensor out = None)',
          '(Tensor elements, Number test_element, *, bool assume_unique = False, bool invert = '
          'False, Tensor out = None)'),
 'kaiser_window': ('(int window_length, *, torch.dtype dtype = None, torch.layout layout = None, '
                   'torch.device device = None, bool pin_memory = False, bool requires_grad = '
                   'False)',
                   '(int window_length, bool periodic, *, torch.dtype dtype = None, torch.layout '
                   'layout = None, torch.device device = None, bool pin_memory = False, bool '
                   'requires_grad = False)',
                   '(int window_length, bool periodic, float beta, *, torch.dtype dtype = None, '
                   'torch.layout layout = None, torch.device device = None, bool pin_memory = '
                   'False, bool requires_grad = False)'),
 'le': ('(Tensor input, Tensor other, *, Tensor out = None)',
        '(Tensor input, Number other, *, Tensor out = None)'),
 'lerp': ('(Tensor input, Tensor end, Tensor weight, *, Tensor out = None)',
          '(Tensor input, Tensor end, Number weight, *, Tensor out = None)'),
 'less': ('(Tensor input, Tensor other, *, Tensor out = None)',
          '(Tensor input, Number other, *, Tensor out = None)'),
 'less_equal': ('(Tensor input, Tensor other, *, Tensor out = None)',
                '(Tensor input, Number other, *, Tensor out = None)'),
 'linalg_cond': ('(Tensor input, Number p = None, *, Tensor out = None)',
                 '(Tensor input, str p, *, Tensor out = None)'),
 'linalg_matrix_norm': ('(Tensor input, Number ord, tuple of ints dim = {-2,-1}, bool keepdim = '
                        'False, *, torch.dtype dtype = None, Tensor out = None)',
                        '(Tensor input, str ord = "fro", tuple of ints dim = {-2,-1}, bool '
                        'keepdim = False, *, torch.dtype dtype = None, Tensor out = None)'),
 'linalg_matrix_rank': ('(Tensor input, *, Tensor atol = None, Tensor rtol = None, bool '
                        'hermitian = False, Tensor out = None)',
                        '(Tensor input, *, float atol = None, float rtol = None, bool hermitian '
                        '= False, Tensor out = None)',
                        '(Tensor input, Tensor tol, bool hermitian = False, *, Tensor out = '
                        'None)',
                        '(Tensor input, float tol, bool hermitian = False, *, Tensor out = '
                        'None)'),
 'linalg_norm': ('(Tensor input, Number ord = None, tuple of ints dim = None, bool keepdim = '
                 'False, *, torch.dtype dtype = None, Tensor out = None)',
                 '(Tensor input, str ord, tuple of ints dim = None, bool keepdim = False, *, '
                 'torch.dtype dtype = None, Tensor out = None)'),
 'linalg_pinv': ('(Tensor input, *, Tensor atol = None, Tensor rtol = None, bool hermitian = '
                 'False, Tensor out = None)',
                 '(Tensor input, *, float atol = None, float rtol = None, bool hermitian = '
                 'False, Tensor out = None)',
                 '(Tensor input, Tensor rcond, bool hermitian = False, *, Tensor out = None)',
                 '(Tensor input, float rcond, bool hermitian = False, *, Tensor out = None)'),
 'linspace': ('(Tensor start, Tensor end, int steps, *, Tensor out = None, torch.dtype dtype = '
              'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
              'False, bool requires_grad = False)',
              '(Number start, Tensor end, int steps, *, Tensor out = None, torch.dtype dtype = '
              'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
              'False, bool requires_grad = False)',
              '(Tensor start, Number end, int steps, *, Tensor out = None, torch.dtype dtype = '
              'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
              'False, bool requires_grad = False)',
              '(Number start, Number end, int steps, *, Tensor out = None, torch.dtype dtype = '
              'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
              'False, bool requires_grad = False)'),
 'logspace': ('(Tensor start, Tensor end, int steps, float base = 10.0, *, Tensor out = None, '
              'torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, '
              'bool pin_memory = False, bool requires_grad = False)',
              '(Number start, Tensor end, int steps, float base = 10.0, *, Tensor out = None, '
              'torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, '
              'bool pin_memory = False, bool requires_grad = False)',
              '(Tensor start, Number end, int steps, float base = 10.0, *, Tensor out = None, '
              'torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, '
              'bool pin_memory = False, bool requires_grad = False)',
              '(Number start, Number end, int steps, float base = 10.0, *, Tensor out = None, '
              'torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, '
              'bool pin_memory = False, bool requires_grad = False)'),
 'lt': ('(Tensor input, Tensor other, *, Tensor out = None)',
        '(Tensor input, Number other, *, Tensor out = None)'),
 'masked_fill': ('(Tensor input, Tensor mask, Tensor value)',
                 '(Tensor input, Tensor mask, Number value)'),
 'max': ('(Tensor input, *, Tensor out = None)',
         '(Tensor input, Tensor other, *, Tensor out = None)',
         '(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)'),
 'mean': ('(Tensor input, *, torch.dtype dtype = None, Tensor out = None)',
          '(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, '
          'Tensor out = None)'),
 'median': ('(Tensor input)',
            '(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)'),
 'meshgrid': ('(tuple of Tensors tensors)', '(tuple of Tensors tensors, *, str indexing)'),
 'min': ('(Tensor input, *, Tensor out = None)',
         '(Tensor input, Tensor other, *, Tensor out = None)',
         '(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)'),
 'mm': ('(Tensor input, Tensor mat2, *, Tensor out = None)',
        '(Tensor input, Tensor mat2, torch.dtype out_dtype, *, Tensor out = None)'),
 'moveaxis': ('(Tensor input, int source, int destination)',
              '(Tensor input, tuple of ints source, tuple of ints destination)'),
 'movedim': ('(Tensor input, int source, int destination)',
             '(Tensor input, tuple of ints source, tuple of ints destination)'),
 'multiply': ('(Tensor input, Tensor other, *, Tensor out = None)',
              '(Tensor input, Number other)'),
 'nanmedian': ('(Tensor input)',
               '(Tensor input, int dim, bool keepdim = False, *, tuple of Tensors out = None)'),
 'nanquantile': ('(Tensor input, Tensor q, int dim = None, bool keepdim = False, *, str '
                 'interpolation = "linear", Tensor out = None)',
                 '(Tensor input, float q, int dim = None, bool keepdim = False, *, str '
                 'interpolation = "linear", Tensor out = None)'),
 'narrow': ('(Tensor input, int dim, Tensor start, int length)',
            '(Tensor input, int dim, int start, int length)'),
 'ne': ('(Tensor input, Tensor other, *, Tensor out = None)',
        '(Tensor input, Number other, *, Tensor out = None)'),
 'norm': ('(Tensor input, Number p = 2)',
          '(Tensor input, Number p, *, torch.dtype dtype)',
          '(Tensor input, Number p, tuple of ints dim, bool keepdim, *, torch.dtype dtype, '
          'Tensor out = None)',
          '(Tensor input, Number p, tuple of ints dim, bool keepdim = False, *, Tensor out = '
          'None)'),
 'normal': ('(Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)',
            '(Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = '
            'None)',
            '(float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)',
            '(float mean, float std, tuple of ints size, *, torch.Generator generator = None, '
            'Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, '
            'torch.device device = None, bool pin_memory = False, bool requires_grad = False)'),
 'not_equal': ('(Tensor input, Tensor other, *, Tensor out = None)',
               '(Tensor input, Number other, *, Tensor out = None)'),
 'nuclear_norm': ('(Tensor input, tuple of ints dim, bool keepdim = False, *, Tensor out = None)',
                  '(Tensor input, bool keepdim = False, *, Tensor out = None)'),
 'pow': ('(Tensor input, Tensor exponent, *, Tensor out = None)',
         '(Number self, Tensor exponent, *, Tensor out = None)',
         '(Tensor input, Number exponent, *, Tensor out = None)'),
 'prod': ('(Tensor input, *, torch.dtype dtype = None)',
          '(Tensor input, int dim, bool keepdim = False, *, torch.dtype dtype = None, Tensor out '
          '= None)'),
 'quantile': ('(Tensor input, Tensor q, int dim = None, bool keepdim = False, *, str '
              'interpolation = "linear", Tensor out = None)',
              '(Tensor input, float q, int dim = None, bool keepdim = False, *, str '
              'interpolation = "linear", Tensor out = None)'),
 'rand': ('(tuple of ints size, *, torch.Generator generator, Tensor out = None, torch.dtype '
          'dtype = None, torch.layout layout = None, torch.device device = None, bool pin_memory '
          '= False, bool requires_grad = False)',
          '(tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, torch.layout '
          'layout = None, torch.device device = None, bool pin_memory = False, bool '
          'requires_grad = False)'),
 'rand_like': ('(Tensor input, *, torch.Generator generator, torch.memory_format memory_format = '
               'None, torch.dtype dtype = None, torch.layout layout = None, torch.device device '
               '= None, bool pin_memory = False, bool requires_grad = False)',
               '(Tensor input, *, torch.memory_format memory_format = None, torch.dtype dtype = '
               'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
               'False, bool requires_grad = False)'),
 'randint': ('(int high, tuple of ints size, *, torch.Generator generator, Tensor out = None, '
             'torch.dtype dtype = None, torch.layout layout = None, torch.device device = None, '
             'bool pin_memory = False, bool requires_grad = False)',
             '(int high, tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, '
             'torch.layout layout = None, torch.device device = None, bool pin_memory = False, '
             'bool requires_grad = False)',
             '(int low, int high, tuple of ints size, *, torch.Generator generator, Tensor out = '
             'None, torch.dtype dtype = None, torch.layout layout = None, torch.device device = '
             'None, bool pin_memory = False, bool requires_grad = False)',
             '(int low, int high, tuple of ints size, *, Tensor out = None, torch.dtype dtype = '
             'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
             'False, bool requires_grad = False)'),
 'randint_like': ('(Tensor input, int low, int high, *, torch.Generator generator, '
                  'torch.memory_format memory_format = None, torch.dtype dtype = None, '
                  'torch.layout layout = None, torch.device device = None, bool pin_memory = '
                  'False, bool requires_grad = False)',
                  '(Tensor input, int low, int high, *, torch.memory_format memory_format = '
                  'None, torch.dtype dtype = None, torch.layout layout = None, torch.device '
                  'device = None, bool pin_memory = False, bool requires_grad = False)',
                  '(Tensor input, Tensor high, *, torch.Generator generator, torch.memory_format '
                  'memory_format = None, torch.dtype dtype = None, torch.layout layout = None, '
                  'torch.device device = None, bool pin_memory = False, bool requires_grad = '
                  'False)',
                  '(Tensor input, Tensor high, *, torch.memory_format memory_format = None, '
                  'torch.dtype dtype = None, torch.layout layout = None, torch.device device = '
                  'None, bool pin_memory = False, bool requires_grad = False)',
                  '(Tensor input, int high, *, torch.Generator generator, torch.memory_format '
                  'memory_format = None, torch.dtype dtype = None, torch.layout layout = None, '
                  'torch.device device = None, bool pin_memory = False, bool requires_grad = '
                  'False)',
                  '(Tensor input, int high, *, torch.memory_format memory_format = None, '
                  'torch.dtype dtype = None, torch.layout layout = None, torch.device device = '
                  'None, bool pin_memory = False, bool requires_grad = False)'),
 'randn': ('(tuple of ints size, *, torch.Generator generator, Tensor out = None, torch.dtype '
           'dtype = None, torch.layout layout = None, torch.device device = None, bool '
           'pin_memory = False, bool requires_grad = False)',
           '(tuple of ints size, *, Tensor out = None, torch.dtype dtype = None, torch.layout '
           'layout = None, torch.device device = None, bool pin_memory = False, bool '
           'requires_grad = False)'),
 'randn_like': ('(Tensor input, *, torch.Generator generator, torch.memory_format memory_format '
                '= None, torch.dtype dtype = None, torch.layout layout = None, torch.device '
                'device = None, bool pin_memory = False, bool requires_grad = False)',
                '(Tensor input, *, torch.memory_format memory_format = None, torch.dtype dtype = '
                'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
                'False, bool requires_grad = False)'),
 'randperm': ('(int n, *, torch.Generator generator, Tensor out = None, torch.dtype dtype = '
              'None, torch.layout layout = None, torch.device device = None, bool pin_memory = '
              'False, bool requires_grad = False)',
              '(int n, *, Tensor out = None, torch.dtype dtype = None, torch.layout layout = '
              'None, torch.device device = None, bool pin_memory = False, bool requires_grad = '
              'False)'),
 'remainder': ('(Tensor input, Tensor other, *, Tensor out = None)',
               '(Number self, Tensor other)',
               '(Tensor input, Number other, *, Tensor out = None)'),
 'repeat_interleave': ('(Tensor input, Tensor repeats, int dim = None, *, int output_size = '
                       'None)',
                       '(Tensor repeats, *, int output_size = None)',
                       '(Tensor input, int repeats, int dim = None, *, int output_size = None)'),
 'result_type': ('(Tensor tensor, Tensor other)',
                 '(Number scalar, Tensor tensor)',
                 '(Tensor tensor, Number other)',
                 '(Number scalar1, Number scalar2)'),
 'round': ('(Tensor input, *, Tensor out = None)',
           '(Tensor input, *, int decimals, Tensor out = None)'),
 'round_': ('(Tensor input)', '(Tensor input, *, int decimals)'),
 'rsub': ('(Tensor input, Tensor other, *, Number alpha = 1)',
          '(Tensor input, Number other, Number alpha = 1)'),
 'scatter': ('(Tensor input, int dim, Tensor index, Tensor src, *, Tensor out = None)',
             '(Tensor input, int dim, Tensor index, Tensor src, *, str reduce, Tensor out = '
             'None)',
             '(Tensor input, int dim, Tensor index, Number value, *, Tensor out = None)',
             '(Tensor input, int dim, Tensor index, Number value, *, str reduce, Tensor out = '
             'None)'),
 'searchsorted': ('(Tensor sorted_sequence, Tensor input, *, bool out_int32 = False, bool right '
                  '= False, str side = None, Tensor sorter = None, Tensor out = None)',
                  '(Tensor sorted_sequence, Number self, *, bool out_int32 = False, bool right = '
                  'False, str side = None, Tensor sorter = None, Tensor out = None)'),
 'sort': ('(Tensor input, *, bool stable, int dim = -1, bool descending = False, tuple of '
          'Tensors out = None)',
          '(Tensor input, int dim = -1, bool descending = False, *, tuple of Tensors out = '
          'None)'),
 'sparse_coo_tensor': ('(object indices, object values, *, torch.dtype dtype = None, '
                       'torch.device device = None, bool pin_memory = False, bool requires_grad '
                       '= False, bool check_invariants = None, bool is_coalesced = None)',
                       '(object indices, object values, tuple of ints size, *, torch.dtype dtype '
                       '= None, torch.device device = None, bool pin_memory = False, bool '
                       'requires_grad = False, bool check_invariants = None, bool is_coalesced = '
                       'None)',
                       '(tuple of ints size, *, torch.dtype dtype = None, torch.device device = '
                       'None, bool requires_grad = False, bool check_invariants = None)'),
 'special_chebyshev_polynomial_t': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                    '(Number x, Tensor n, *, Tensor out = None)',
                                    '(Tensor x, Number n, *, Tensor out = None)'),
 'special_chebyshev_polynomial_u': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                    '(Number x, Tensor n, *, Tensor out = None)',
                                    '(Tensor x, Number n, *, Tensor out = None)'),
 'special_chebyshev_polynomial_v': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                    '(Number x, Tensor n, *, Tensor out = None)',
                                    '(Tensor x, Number n, *, Tensor out = None)'),
 'special_chebyshev_polynomial_w': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                    '(Number x, Tensor n, *, Tensor out = None)',
                                    '(Tensor x, Number n, *, Tensor out = None)'),
 'special_hermite_polynomial_h': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                  '(Number x, Tensor n, *, Tensor out = None)',
                                  '(Tensor x, Number n, *, Tensor out = None)'),
 'special_hermite_polynomial_he': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                   '(Number x, Tensor n, *, Tensor out = None)',
                                   '(Tensor x, Number n, *, Tensor out = None)'),
 'special_laguerre_polynomial_l': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                   '(Number x, Tensor n, *, Tensor out = None)',
                                   '(Tensor x, Number n, *, Tensor out = None)'),
 'special_legendre_polynomial_p': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                   '(Number x, Tensor n, *, Tensor out = None)',
                                   '(Tensor x, Number n, *, Tensor out = None)'),
 'special_shifted_chebyshev_polynomial_t': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                            '(Number x, Tensor n, *, Tensor out = None)',
                                            '(Tensor x, Number n, *, Tensor out = None)'),
 'special_shifted_chebyshev_polynomial_u': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                            '(Number x, Tensor n, *, Tensor out = None)',
                                            '(Tensor x, Number n, *, Tensor out = None)'),
 'special_shifted_chebyshev_polynomial_v': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                            '(Number x, Tensor n, *, Tensor out = None)',
                                            '(Tensor x, Number n, *, Tensor out = None)'),
 'special_shifted_chebyshev_polynomial_w': ('(Tensor x, Tensor n, *, Tensor out = None)',
                                            '(Number x, Tensor n, *, Tensor out = None)',
                                            '(Tensor x, Number n, *, Tensor out = None)'),
 'special_xlog1py': ('(Tensor input, Tensor other, *, Tensor out = None)',
                     '(Number self, Tensor other, *, Tensor out = None)',
                     '(Tensor input, Number other, *, Tensor out = None)'),
 'special_xlogy': ('(Tensor input, Tensor other, *, Tensor out = None)',
                   '(Number self, Tensor other, *, Tensor out = None)',
                   '(Tensor input, Number other, *, Tensor out = None)'),
 'special_zeta': ('(Tensor input, Tensor other, *, Tensor out = None)',
                  '(Number self, Tensor other, *, Tensor out = None)',
                  '(Tensor input, Number other, *, Tensor out = None)'),
 'split': ('(Tensor input, int split_size, int dim = 0)',
           '(Tensor input, tuple of ints split_size, int dim = 0)'),
 'squeeze': ('(Tensor input)', '(Tensor input, int dim)', '(Tensor input, tuple of ints dim)'),
 'squeeze_copy': ('(Tensor input, *, Tensor out = None)',
                  '(Tensor input, int dim, *, Tensor out = None)',
                  '(Tensor input, tuple of ints dim, *, Tensor out = None)'),
 'std': ('(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, '
         'Tensor out = None)',
         '(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = '
         'False, Tensor out = None)',
         '(Tensor input, bool unbiased = True)'),
 'std_mean': ('(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)',
              '(Tensor input, tuple of ints dim = None, *, Number correction = None, bool '
              'keepdim = False)',
              '(Tensor input, bool unbiased = True)'),
 'stft': ('(Tensor input, int n_fft, int hop_length = None, int win_length = None, Tensor window '
          '= None, bool center = True, str pad_mode = "reflect", bool normalized = False, bool '
          'onesided = None, bool return_complex = None, bool align_to_window = None)',
          '(Tensor input, int n_fft, int hop_length = None, int win_length = None, Tensor window '
          '= None, bool normalized = False, bool onesided = None, bool return_complex = None, '
          'bool align_to_window = None)'),
 'sub': ('(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)',),
 'subtract': ('(Tensor input, Tensor other, *, Number alpha = 1, Tensor out = None)',
              '(Tensor input, Number other, Number alpha = 1)'),
 'sum': ('(Tensor input, *, torch.dtype dtype = None)',
         '(Tensor input, tuple of ints dim, bool keepdim = False, *, torch.dtype dtype = None, '
         'Tensor out = None)'),
 'tensor_split': ('(Tensor input, tuple of ints indices, int dim = 0)',
                  '(Tensor input, Tensor tensor_indices_or_sections, int dim = 0)',
                  '(Tensor input, int sections, int dim = 0)'),
 'trapezoid': ('(Tensor y, Tensor x, *, int dim = -1)',
               '(Tensor y, *, Number dx = 1, int dim = -1)'),
 'trapz': ('(Tensor y, *, float dx = 1, int dim = -1)', '(Tensor y, Tensor x, *, int dim = -1)'),
 'true_divide': ('(Tensor input, Tensor other, *, Tensor out = None)',
                 '(Tensor input, Number other)'),
 'var': ('(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False, *, '
         'Tensor out = None)',
         '(Tensor input, tuple of ints dim = None, *, Number correction = None, bool keepdim = '
         'False, Tensor out = None)',
         '(Tensor input, bool unbiased = True)'),
 'var_mean': ('(Tensor input, tuple of ints dim, bool unbiased = True, bool keepdim = False)',
              '(Tensor input, tuple of ints dim = None, *, Number correction = None, bool '
              'keepdim = False)',
              '(Tensor input, bool unbiased = True)'),
 'view_copy': ('(Tensor input, torch.dtype dtype, *, Tensor out = None)',
               '(Tensor input, tuple of ints size, *, Tensor out = None)'),
 'vsplit': ('(Tensor input, int sections)', '(Tensor input, tuple of ints indices)'),
 'where': ('(Tensor condition)',
           '(Tensor condition, Tensor input, Tensor other, *, Tensor out = None)',
           '(Tensor condition, Number self, Tensor other)',
           '(Tensor condition, Tensor input, Number other)',
           '(Tensor condition, Number self, Number other)'),
 'xlogy': ('(Tensor input, Tensor other, *, Tensor out = None)',
           '(Number self, Tensor other, *, Tensor out = None)',
           '(Tensor input, Number other, *, Tensor out = None)'),
 'xlogy_': ('(Tensor input, Tensor other)', '(Tensor input, Number other)')}

"""Where a sparse COO operand leaves the dense code.

The few checks that can meet one (argcheck's ``input`` and ``other``, the operators' unusual operand,
``copy_``'s source, ``cat``'s list) hand it over here, each in a branch a dense call never takes.
pyfront._sparse_math fills this in at import: the ops cannot import it, as it is built on them.
"""
TYPES: tuple = ()  # (SparseCooTensor,)
call = None        # call(torch_name, args, kwargs): torch's sparse result, or torch's error
operator = None    # operator(name, dense, sparse): ``dense <op> sparse`` ("add", "truediv", "add_" for +=)

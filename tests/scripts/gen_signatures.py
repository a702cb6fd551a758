"""Write pyfront/ops/signatures.py: torch's Python-binding signatures of the functions named in it,
read from torch's own stub of its generated bindings (torch/_C/_VariableFunctions.pyi), in the
spelling torch's argument parser prints ("int", "Number", "tuple of ints", ...). Run with the
test venv (it reads torch's files); pyfront reads only the written table.

    python tests/scripts/gen_signatures.py NAME [NAME ...]   # the names to add to the table

A name ``F.NAME`` adds torch.nn.functional's NAME where torch binds it to C++ directly (F.conv2d is
torch.conv2d, F.linear torch._C._nn.linear, read from torch/_C/_nn.pyi): ``F_BUILTINS`` maps it to its
table entry, named as torch's parser names it ("_nn.log_sigmoid" for F.logsigmoid).
"""
from __future__ import annotations

import ast
import pathlib
import pprint
import sys

import torch

STUB = pathlib.Path(torch.__file__).parent / "_C" / "_VariableFunctions.pyi"
NN_STUB = STUB.with_name("_nn.pyi")
TABLE = pathlib.Path(__file__).resolve().parents[2] / "pyfront" / "ops" / "signatures.py"
# the stub's annotations -> torch's schema types (a trailing "?": None is allowed)
TYPES = {
    "Tensor": "Tensor", "_int": "int", "_int | SymInt": "SymInt", "_float": "float", "_bool": "bool",
    "Number | _complex": "Scalar", "Number": "Scalar", "_dtype": "ScalarType", "str": "str",
    "Sequence[_int | SymInt]": "int[]", "_size": "int[]", "_int | _size": "int[1]",
    "_int | SymInt | Sequence[_int | SymInt]": "SymInt[1]", "tuple[Tensor, ...] | list[Tensor]": "Tensor[]",
    "Tensor | tuple[Tensor, ...] | list[Tensor]": "Tensor", "Sequence[_float]": "float[]",
    "Sequence[Number | _complex]": "Scalar[]", "_layout": "Layout", "DeviceLikeType": "Device",
    "Generator": "Generator", "memory_format": "MemoryFormat", "list[str | None]": "Dimname[]",
    "str | EllipsisType": "Dimname", "Sequence[str | EllipsisType | None]": "Dimname[]",
    "Tensor | Number": "Tensor", "Tensor | Number | _complex": "Tensor",
    "int": "int", "float": "float", "bool": "bool", "Sequence[int]": "int[]",  # _nn.pyi's spelling
}


_UNARY = ("Tensor input, *, Tensor? out=None",)
_XLOG = ("Tensor input, Tensor other, *, Tensor? out=None", "Scalar self, Tensor other, *, Tensor? out=None",
         "Tensor input, Scalar other, *, Tensor? out=None")
_POLYNOMIAL = ("Tensor x, Tensor n, *, Tensor? out=None", "Scalar x, Tensor n, *, Tensor? out=None",
               "Tensor x, Scalar n, *, Tensor? out=None")
# torch.special's bindings, which the stub lacks: their schemas in torch's native_functions.yaml
MANUAL = {
    **{f"special_{n}": _UNARY for n in ("expit erf erfc erfinv ndtr i0 i0e i1 i1e entr gammaln digamma psi "
                                        "sinc log1p expm1 exp2").split()},
    "special_logit": ("Tensor input, float? eps=None, *, Tensor? out=None",),
    "special_round": ("Tensor input, *, int decimals=0, Tensor? out=None",),
    "special_multigammaln": ("Tensor input, int p, *, Tensor? out=None",),
    "special_polygamma": ("int n, Tensor input, *, Tensor? out=None",),
    "special_softmax": ("Tensor input, int dim, ScalarType? dtype=None",),
    "special_log_softmax": ("Tensor input, int dim, *, ScalarType? dtype=None",),
    "special_logsumexp": ("Tensor input, int[1] dim, bool keepdim=False, *, Tensor? out=None",),
    "special_xlogy": _XLOG, "special_xlog1py": _XLOG, "special_zeta": _XLOG,
    **{f"special_{n}": _UNARY for n in ("bessel_j0 bessel_j1 bessel_y0 bessel_y1 modified_bessel_i0 "
                                        "modified_bessel_i1 modified_bessel_k0 modified_bessel_k1 erfcx "
                                        "ndtri log_ndtr").split()},
    **{f"special_{n}": ("Tensor x, *, Tensor? out=None",)
       for n in ("airy_ai", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0")},
    "special_gammainc": ("Tensor input, Tensor other, *, Tensor? out=None",),
    "special_gammaincc": ("Tensor input, Tensor other, *, Tensor? out=None",),
    **{f"special_{n}_polynomial_{k}": _POLYNOMIAL
       for n, ks in (("chebyshev", "tuvw"), ("shifted_chebyshev", "tuvw"), ("hermite", ("h", "he")),
                     ("laguerre", "l"), ("legendre", "p")) for k in ks},
    "_nn.one_hot": ("Tensor input, int num_classes=-1",),  # the stub's "tensor" is torch's self: "input"
    # the stub lists alpha alone; torch's binding parses aten::elu_'s schema, scale and input_scale too
    "_nn.elu_": ("Tensor input, Scalar alpha=1, Scalar scale=1, Scalar input_scale=1",),
    # the stub's keyword-only parameters as positional ones (torch's schema: gelu(Tensor self, *, str
    # approximate), scaled_dot_product_attention(..., bool is_causal=False, *, float? scale, bool enable_gqa))
    "_nn.gelu": ("Tensor input, *, str approximate=...",),
    "_nn.scaled_dot_product_attention": ("Tensor query, Tensor key, Tensor value, Tensor? attn_mask=None, float "
                                         "dropout_p=0.0, bool is_causal=False, *, float? scale=None, bool "
                                         "enable_gqa=False",),
    # torch.linalg's bindings (no stub either)
    "linalg_vector_norm": ("Tensor input, Scalar ord=2, int[1]? dim=None, bool keepdim=False, *, ScalarType? "
                           "dtype=None, Tensor? out=None",),
    "linalg_matrix_norm": ("Tensor input, Scalar ord, int[] dim=(-2,-1), bool keepdim=False, *, ScalarType? "
                           "dtype=None, Tensor? out=None",
                           "Tensor input, str ord='fro', int[] dim=(-2,-1), bool keepdim=False, *, "
                           "ScalarType? dtype=None, Tensor? out=None"),
    "linalg_norm": ("Tensor input, Scalar? ord=None, int[1]? dim=None, bool keepdim=False, *, ScalarType? "
                    "dtype=None, Tensor? out=None",
                    "Tensor input, str ord, int[1]? dim=None, bool keepdim=False, *, ScalarType? dtype=None, "
                    "Tensor? out=None"),
    "linalg_cross": ("Tensor input, Tensor other, *, int dim=-1, Tensor? out=None",),
    "linalg_vecdot": ("Tensor x, Tensor y, *, int dim=-1, Tensor? out=None",),
    "linalg_diagonal": ("Tensor A, *, int offset=0, int dim1=-2, int dim2=-1",),
    "linalg_tensorsolve": ("Tensor input, Tensor other, int[]? dims=None, *, Tensor? out=None",),
    "linalg_lu_factor": ("Tensor A, *, bool pivot=True, Tensor[]? out=None",),
    "linalg_lu_factor_ex": ("Tensor A, *, bool pivot=True, bool check_errors=False, Tensor[]? out=None",),
    "linalg_lu": ("Tensor A, *, bool pivot=True, Tensor[]? out=None",),
    "linalg_lu_solve": ("Tensor LU, Tensor pivots, Tensor B, *, bool left=True, bool adjoint=False, "
                        "Tensor? out=None",),
    "linalg_householder_product": ("Tensor input, Tensor tau, *, Tensor? out=None",),
    "linalg_multi_dot": ("Tensor[] tensors, *, Tensor? out=None",),
    # torch.fft's factories (no stub either)
    **{f"fft_{n}": ("int n, float d=1.0, *, Tensor? out=None, ScalarType? dtype=None, Layout? layout=None, "
                    "Device? device=None, bool? pin_memory=False, bool? requires_grad=False",)
       for n in ("fftfreq", "rfftfreq")},
}


# torch.nn.functional's Python functions that hand their arguments, by name, to one C++ function (the
# second: with return_indices or inplace true) after checks of the input only: argcheck parses what
# they hand on
F_FORWARDS = {
    "max_pool1d": ("max_pool1d", "max_pool1d_with_indices"),
    "max_pool2d": ("max_pool2d", "_nn.max_pool2d_with_indices"),
    "max_pool3d": ("max_pool3d", "_nn.max_pool3d_with_indices"),
    "batch_norm": ("batch_norm",), "instance_norm": ("instance_norm",), "layer_norm": ("layer_norm",),
    "rrelu": ("rrelu", "rrelu_"), "pad": ("_nn.pad",),
}


# deprecated overloads the stub lists and torch's parser hides (it never names them in an error)
HIDDEN = {"linspace": "steps=None", "logspace": "steps=None"}


def _param(a, default, kw_only):
    text = ast.unparse(a.annotation)
    optional = text.endswith(" | None")
    base = TYPES.get(text.removesuffix(" | None"), "Any")  # one pyfront does not check
    d = "" if default is None else "=" + ast.unparse(default).replace(" ", "")  # one token: (0,1)
    return f"{base}{'?' if optional else ''} {a.arg}{d}", kw_only


def signature(fn: ast.FunctionDef) -> str:
    pos = fn.args.args
    defaults = [None] * (len(pos) - len(fn.args.defaults)) + fn.args.defaults
    parts = [_param(a, d, False)[0] for a, d in zip(pos, defaults)]
    kw = [_param(a, d, True)[0] for a, d in zip(fn.args.kwonlyargs, fn.args.kw_defaults)]
    return ", ".join(parts + (["*"] + kw if kw else []))


def _as_schema(name: str, sig: str) -> str:
    """An _nn stub signature with its types as torch's parser has them, from the operator's schema: the stub
    writes a Scalar as float ("must be Number" in torch's words)."""
    schemas = [s for s in torch._C._jit_get_schemas_for_operator(f"aten::{name}") if not s.overload_name]
    if not schemas:
        return sig
    def schema_type(argument):  # (the schema's Scalar is the JIT's "number")
        return {"number": "Scalar"}.get(str(argument.type), str(argument.type))

    arguments = {a.name: a for a in schemas[0].arguments}
    params = sig.split(", ")
    for i, p in enumerate(params):
        kind, _, rest = p.partition(" ")
        argument = arguments.get(rest.split("=")[0])
        if kind == "float" and argument is not None and schema_type(argument) == "Scalar":
            params[i] = "Scalar " + rest
    return ", ".join(params)


def read(names, stub=STUB, prefix=""):
    tree = ast.parse(stub.read_text())
    out = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in names:
            sig = signature(node)
            if prefix == "_nn.":
                sig = _as_schema(node.name, sig)
            if "Dimname" in sig or HIDDEN.get(node.name, "@") in sig:  # named tensors: pyfront has none
                continue
            # the stub repeats some signatures with the keyword-only parameters in another order
            key = frozenset(p.split("=")[0].replace("?", "") for p in sig.split(", "))
            if key not in {frozenset(q.split("=")[0].replace("?", "") for q in s.split(", "))
                           for s in out.get(node.name, [])}:
                out.setdefault(prefix + node.name, []).append(sig)
    out.update({n: list(MANUAL[n]) for n in names if n in MANUAL})
    return out


def builtin(name: str) -> str:
    """The table key of torch.nn.functional's ``name``, a C++ binding: torch's name, "_nn." for _nn's."""
    fn = getattr(torch.nn.functional, name)
    if not isinstance(fn, type(torch.conv2d)):
        sys.exit(f"torch.nn.functional.{name} is written in Python: its checks are its own")
    return ("_nn." if fn.__module__ == "torch._C._nn" else "") + fn.__name__


def _unprefixed(item):
    return item[0].removeprefix("_nn.")  # _nn's names among the others: the first line stays short


def main(names):
    table, builtins = {}, {}
    if TABLE.exists():
        scope = {}
        exec(compile(TABLE.read_text(), str(TABLE), "exec"), scope)
        table, builtins = scope["SIGNATURES"], scope.get("F_BUILTINS", {})
    builtins.update({n[2:]: builtin(n[2:]) for n in names if n.startswith("F.")})
    names = {builtins[n[2:]] if n.startswith("F.") else n for n in names} | {
        k for keys in F_FORWARDS.values() for k in keys}
    found = read({n[4:] for n in names if n.startswith("_nn.")}, NN_STUB, "_nn.")
    found.update(read(names))  # MANUAL's entries last
    missing = names - set(found)
    if missing:
        sys.exit(f"not in torch's stub: {sorted(missing)}")
    table.update({k: tuple(v) for k, v in found.items()})
    ordered = dict(sorted(table.items(), key=_unprefixed))
    TABLE.write_text(
        '"""torch 2.13\'s Python-binding signatures of the functions argcheck parses calls against, in\n'
        "its schema types (\"int[1]\": a single int is taken too; \"SymInt\": an int, or a 0-d integer "
        "NumPy\narray; \"?\": None is). Written by tests/scripts/gen_signatures.py from torch's stub of its\n"
        'bindings; not edited by hand."""\n\n'
        f"SIGNATURES = {pprint.pformat(ordered, width=110, sort_dicts=False)}\n\n"
        "# torch.nn.functional's functions that are C++ bindings in torch -> their SIGNATURES key\n"
        f"F_BUILTINS = {pprint.pformat(dict(sorted(builtins.items())), width=110)}\n\n"
        "# torch.nn.functional's Python functions that hand their arguments by name to these C++ functions\n"
        f"F_FORWARDS = {pprint.pformat(F_FORWARDS, width=110)}\n")


if __name__ == "__main__":
    main(sys.argv[1:])

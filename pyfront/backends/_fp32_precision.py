"""torch 2.9+'s float32 precision settings, one tree as torch's ATen ``Context`` keeps it: ``generic`` over
``cuda`` and ``mkldnn``, each over ``matmul``, ``conv`` and ``rnn`` (``torch.backends.fp32_precision``,
``cuda.matmul.fp32_precision``, ``cudnn.conv.fp32_precision``, ``mkldnn.matmul.fp32_precision`` ...). A
``"none"`` leaf reads as its backend's ``all``, then as the generic one (cuDNN's conv and rnn then as the
legacy ``cudnn.allow_tf32``). The legacy switches write into the
same tree (``cuda.matmul.allow_tf32``, ``cudnn.allow_tf32``, ``set_float32_matmul_precision``), and reading
one where the two APIs were set apart raises torch's RuntimeError. pyfront computes float32 in IEEE
float32 whatever they say: they are recorded so that scripts setting and reading them run as under torch."""
from __future__ import annotations

_PRECISIONS = ("none", "ieee", "tf32", "bf16")
_DEFAULTS = {("generic", "all"): "none", ("cuda", "all"): "none", ("cuda", "matmul"): "none",
             ("cuda", "conv"): "none", ("cuda", "rnn"): "none", ("mkldnn", "all"): "none",
             ("mkldnn", "matmul"): "none", ("mkldnn", "conv"): "none", ("mkldnn", "rnn"): "none"}
_table = dict(_DEFAULTS)
# the legacy API's own state: set_float32_matmul_precision's level and cudnn.allow_tf32
_legacy = {"matmul": "highest", "cudnn_tf32": True}
_SEE = ("See also: "
        "https://pytorch.org/docs/main/notes/cuda.html#tensorfloat-32-tf32-on-ampere-and-later-devices")
# torch's refusals of a read where the legacy and new APIs were set apart
_CUBLAS_MIX = ("PyTorch is checking whether allow_tf32_new is enabled for cuBlas matmul,Current status "
               "indicate that you have used mix of the legacy and new APIs to set the TF32 status for "
               "cublas matmul. We suggest only using the new API to set the TF32 flag. " + _SEE)
_CUDNN_MIX = ("PyTorch is checking whether allow_tf32 is enabled for cuDNN without a specific operator "
              "name,but the current flag(s) indicate that cuDNN conv and cuDNN RNN have different TF32 "
              "flags.This combination indicates that you have used a mix of the legacy and new APIs to set "
              "the TF32 flags. We suggest only using the new API to set the TF32 flag(s). " + _SEE)
_MATMUL_MIX = ("PyTorch is checking the matmul precision without a specific backend name,Current status "
               "indicate that you have used mix of the legacy and new APIs to set the matmul precision. We "
               "suggest only using the new API for matmul precision. " + _SEE)


def get(backend: str, op: str) -> str:
    """The precision ``op`` of ``backend`` computes float32 in (a "none" setting read from its parents)."""
    precision = _table[(backend, op)]
    if precision == "none":
        precision = _table[(backend, "all")]
    if precision == "none":
        precision = _table[("generic", "all")]
    if precision == "none" and backend == "cuda" and op in ("conv", "rnn") and _legacy["cudnn_tf32"]:
        precision = "tf32"  # (cuDNN's legacy switch, on by default, answers for conv and rnn left unset)
    return "none" if backend == "cuda" and precision == "bf16" else precision  # (cuda has no bf16)


def set(backend: str, op: str, precision) -> None:  # noqa: A001 - torch's setter's name
    """Record ``precision`` for ``op`` of ``backend``, refused as torch's binding refuses it."""
    if not isinstance(precision, str):
        raise TypeError("_set_fp32_precision_setter(): incompatible function arguments. The following "
                        "argument types are supported:\n    1. (arg0: str, arg1: str, arg2: str) -> str\n\n"
                        f"Invoked with: {backend!r}, {op!r}, {precision!r}")
    if precision not in _PRECISIONS:
        raise RuntimeError(f"Unknown precision: {precision}")
    if backend == "cuda" and precision == "bf16":
        raise RuntimeError("backend 'cuda' does not support precision 'bf16'")
    _table[(backend, op)] = precision


def allow_tf32_cublas() -> bool:
    """``cuda.matmul.allow_tf32``: the new API's answer, where it agrees with the legacy one's."""
    allowed = get("cuda", "matmul") == "tf32"
    if allowed != (_legacy["matmul"] != "highest"):
        raise RuntimeError(_CUBLAS_MIX)
    return allowed


def set_allow_tf32_cublas(allowed) -> None:
    _legacy["matmul"] = "high" if allowed else "highest"
    set("cuda", "matmul", "tf32" if allowed else "ieee")


def allow_tf32_cudnn() -> bool:
    """``cudnn.allow_tf32``: where conv's and rnn's settings agree with the legacy switch."""
    rnn, conv = get("cuda", "rnn") == "tf32", get("cuda", "conv") == "tf32"
    if not rnn == conv == _legacy["cudnn_tf32"]:
        raise RuntimeError(_CUDNN_MIX)
    return _legacy["cudnn_tf32"]


def set_allow_tf32_cudnn(allowed) -> None:
    for op in ("rnn", "conv"):
        set("cuda", op, "tf32" if allowed else "none")
    _legacy["cudnn_tf32"] = bool(allowed)


def matmul_precision() -> str:
    """``get_float32_matmul_precision()``, refused where the new API's matmul settings contradict it."""
    level, mkldnn = _legacy["matmul"], get("mkldnn", "matmul")
    if (get("cuda", "matmul") == "tf32" and level == "highest" or mkldnn == "bf16" and level != "medium"
            or mkldnn == "tf32" and level != "high"):
        raise RuntimeError(_MATMUL_MIX)
    return level


def set_matmul_precision(level: str) -> None:
    """``set_float32_matmul_precision(level)`` of a known level: the legacy level and both matmul leaves."""
    _legacy["matmul"] = level
    cuda, mkldnn = {"highest": ("ieee", "ieee"), "high": ("tf32", "tf32"), "medium": ("tf32", "bf16")}[level]
    set("cuda", "matmul", cuda)
    set("mkldnn", "matmul", mkldnn)


class _FP32Precision:
    """``torch.backends.cudnn.conv`` and its kin: one leaf's ``fp32_precision``, read and written."""

    def __init__(self, backend: str, op: str):
        object.__setattr__(self, "backend", backend)
        object.__setattr__(self, "op", op)

    def __setattr__(self, name, value):
        if name != "fp32_precision":
            raise AttributeError("Unknown attribute " + name)
        set(self.backend, self.op, value)

    def __getattr__(self, name):
        if name != "fp32_precision":
            raise AttributeError("Unknown attribute " + name)
        return get(self.backend, self.op)


class Setting:
    """A module attribute read and written through functions (a module's class holds it: torch's
    ContextProp)."""

    def __init__(self, getter, setter):
        self.getter, self.setter = getter, setter

    def __get__(self, obj, objtype=None):
        return self.getter()

    def __set__(self, obj, value) -> None:
        self.setter(value)


def leaf_setting(backend: str, op: str) -> Setting:
    return Setting(lambda: get(backend, op), lambda value: set(backend, op, value))

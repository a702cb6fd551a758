"""``torch.distributed``: the names a single-process run of a distributed-ready script imports and asks.

pyfront has no process-group backend (nccl, gloo, mpi), so ``is_available()`` is False and no process
group is ever initialized: ``is_initialized()`` is False, and the collectives and rank queries raise
torch's ValueError for a missing default group. ``init_process_group`` raises RuntimeError saying pyfront
cannot start one: run the script as one process (nanoGPT, torchrun-ready scripts do when ``RANK`` is
unset).
"""
from __future__ import annotations

import enum
import os

__all__ = ["all_gather", "all_reduce", "Backend", "barrier", "broadcast", "destroy_process_group",
           "gather", "get_backend", "get_rank", "get_world_size", "group", "GroupMember",
           "init_process_group", "is_available", "is_gloo_available", "is_initialized", "is_mpi_available",
           "is_nccl_available", "is_torchelastic_launched", "new_group", "reduce", "ReduceOp", "scatter"]

_NO_GROUP = "Default process group has not been initialized, please make sure to call init_process_group."


class ReduceOp(enum.Enum):
    """The reductions the collectives name (``ReduceOp.SUM``, ...)."""

    SUM = 0
    PRODUCT = 1
    MIN = 2
    MAX = 3
    BAND = 4
    BOR = 5
    BXOR = 6
    AVG = 7
    PREMUL_SUM = 8


class Backend(str):
    """A backend's name, as ``torch.distributed.Backend``."""

    GLOO, NCCL, MPI, UNDEFINED = "gloo", "nccl", "mpi", "undefined"


def is_available() -> bool:
    """False: pyfront has no distributed backend."""
    return False


def is_initialized() -> bool:
    """False: no process group is ever initialized here."""
    return False


def is_nccl_available() -> bool:
    """False (no NCCL)."""
    return False


is_gloo_available = is_mpi_available = is_nccl_available


def is_torchelastic_launched() -> bool:
    """Whether torchrun started this process (its ``TORCHELASTIC_RUN_ID``), as torch's."""
    return os.getenv("TORCHELASTIC_RUN_ID") is not None


def init_process_group(backend=None, init_method=None, timeout=None, world_size=-1, rank=-1, store=None,
                       group_name="", pg_options=None, device_id=None):
    """Raises RuntimeError: pyfront cannot start a process group (it has no distributed backend)."""
    raise RuntimeError("pyfront has no distributed backend (nccl, gloo, mpi): torch.distributed cannot "
                       "initialize a process group. Run the script as a single process.")


def destroy_process_group(group=None) -> None:
    """Raises AssertionError as torch's does when no process group exists."""
    raise AssertionError("Process group cannot be None")


def _no_group(*args, **kwargs):
    raise ValueError(_NO_GROUP)


get_rank = get_world_size = get_backend = barrier = all_reduce = all_gather = broadcast = reduce = gather = \
    scatter = new_group = _no_group


class _WorldMeta(type):
    @property
    def WORLD(cls):  # noqa: N802  (torch's name) the default process group: None, as none is initialized
        return None


class group(metaclass=_WorldMeta):  # noqa: N801  (torch's name)
    """``group.WORLD``: the default process group (None until one is initialized, which here is never)."""


class GroupMember(metaclass=_WorldMeta):
    """``GroupMember.WORLD`` as ``group.WORLD``; ``NON_GROUP_MEMBER``: the rank of a process outside one."""

    NON_GROUP_MEMBER = -100

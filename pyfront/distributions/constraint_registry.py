"""``biject_to`` and ``transform_to``, as ``torch.distributions.constraint_registry``: from a constraint
to a transform of unconstrained reals onto it. ``biject_to(c)`` is one-to-one (what HMC-style samplers
need); ``transform_to(c)`` only has to land in ``c`` (what an optimizer of a constrained parameter
needs). Both look up the constraint's exact type."""

from __future__ import annotations

from . import constraints
from .transforms import (
    AffineTransform,
    CatTransform,
    ComposeTransform,
    CorrCholeskyTransform,
    ExpTransform,
    IndependentTransform,
    LowerCholeskyTransform,
    PositiveDefiniteTransform,
    SigmoidTransform,
    SoftmaxTransform,
    StackTransform,
    StickBreakingTransform,
    identity_transform,
)

__all__ = ["ConstraintRegistry", "biject_to", "transform_to"]


class ConstraintRegistry:
    """Constraint types mapped to factories ``factory(constraint) -> Transform``."""

    def __init__(self):
        self._registry = {}
        super().__init__()

    def register(self, constraint, factory=None):
        """Register ``factory`` for ``constraint`` (a Constraint subclass or an instance of one, which
        stands for its type); without ``factory``, a decorator."""
        if factory is None:
            return lambda factory: self.register(constraint, factory)
        if isinstance(constraint, constraints.Constraint):
            constraint = type(constraint)
        if not isinstance(constraint, type) or not issubclass(constraint, constraints.Constraint):
            raise TypeError(
                f"Expected constraint to be either a Constraint subclass or instance, but got {constraint}"
            )
        self._registry[constraint] = factory
        return factory

    def __call__(self, constraint):
        try:
            factory = self._registry[type(constraint)]
        except KeyError:
            raise NotImplementedError(f"Cannot transform {type(constraint).__name__} constraints") from None
        return factory(constraint)


biject_to = ConstraintRegistry()
transform_to = ConstraintRegistry()


def _both(*constraint_types):
    """Register one factory in both registries."""

    def decorator(factory):
        for c in constraint_types:
            biject_to.register(c, factory)
            transform_to.register(c, factory)
        return factory

    return decorator


@_both(constraints.real)
def _to_real(constraint):
    return identity_transform


for _registry in (biject_to, transform_to):
    # the base constraint is looked up in the same registry (a simplex's differs between the two)
    _registry.register(
        constraints.independent,
        lambda constraint, registry=_registry: IndependentTransform(
            registry(constraint.base_constraint), constraint.reinterpreted_batch_ndims
        ),
    )


@_both(constraints.greater_than, constraints.greater_than_eq)
def _to_above(constraint):
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.lower_bound, 1)])


@_both(constraints.less_than)
def _to_below(constraint):
    return ComposeTransform([ExpTransform(), AffineTransform(constraint.upper_bound, -1)])


@_both(constraints.interval, constraints.half_open_interval)
def _to_interval(constraint):
    low, high = constraint.lower_bound, constraint.upper_bound
    unit = all(isinstance(v, (int, float)) for v in (low, high)) and low == 0 and high == 1
    if unit:
        return SigmoidTransform()
    return ComposeTransform([SigmoidTransform(), AffineTransform(low, high - low)])


biject_to.register(constraints.simplex, lambda constraint: StickBreakingTransform())
transform_to.register(constraints.simplex, lambda constraint: SoftmaxTransform())
biject_to.register(constraints.corr_cholesky, lambda constraint: CorrCholeskyTransform())
transform_to.register(constraints.corr_cholesky, lambda constraint: CorrCholeskyTransform())
# a lower Cholesky factor, or a positive (semi)definite matrix, is reached from n x n reals but not one to
# one (the upper triangle is dropped): transform_to only
transform_to.register(constraints.lower_cholesky, lambda constraint: LowerCholeskyTransform())
transform_to.register(constraints.positive_definite, lambda constraint: PositiveDefiniteTransform())
transform_to.register(constraints.positive_semidefinite, lambda constraint: PositiveDefiniteTransform())

for _registry in (biject_to, transform_to):
    # each block (or slice) is looked up in the same registry, like independent's base above
    _registry.register(
        constraints.cat,
        lambda constraint, registry=_registry: CatTransform(
            [registry(c) for c in constraint.cseq], constraint.dim, constraint.lengths
        ),
    )
    _registry.register(
        constraints.stack,
        lambda constraint, registry=_registry: StackTransform(
            [registry(c) for c in constraint.cseq], constraint.dim
        ),
    )

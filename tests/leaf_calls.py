"""Running one call of a table on torch or pyfront with its arrays made leaves: the linalg tables'
shared first step (then each compares values, gradients or the error)."""
import warnings


def call_with_leaves(L, call, device, dtype):
    """``call(L, leaf)``, ``leaf(array)`` making a ``dtype`` tensor on ``device`` that requires grad:
    ``(result, leaves)``, or ``((error type name, text), None)`` where the call raised (warnings
    silenced: deprecation notices are not the outcome)."""
    leaves = []

    def leaf(a):
        t = L.tensor(a, dtype=getattr(L, dtype), device=device, requires_grad=True)
        leaves.append(t)
        return t
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return call(L, leaf), leaves
    except Exception as e:  # noqa: BLE001 - the error is the outcome compared with torch's
        return (type(e).__name__, str(e)), None

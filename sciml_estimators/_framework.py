"""Every private name of scikit-learn and skorch that the library uses, in one place.

Each is here because no public API does the same thing; the versions it was
tested with are pinned in pyproject.toml (scikit-learn >=1.6,<1.10, skorch
>=1.0,<2), and ``tests/test_framework.py`` fails, naming the name, when a
release removes or changes one. No other module imports a private name of
either (tested too).
"""

# scikit-learn's parameter validation: the constraints of ``_parameter_constraints`` and
# of the ``make_*``/``load_*`` functions, with the error messages sklearn users know.
# The module is private, but it is how sklearn's own estimators and functions do it.
from sklearn.base import _fit_context as fit_context
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

# Target validation alone: ``validate_data`` checks X and y together, but an on-disk X
# stays unread (its shape and dtype are checked from its metadata) while y is checked.
from sklearn.utils.validation import _check_y as check_y

__all__ = ["Interval", "Number", "StrOptions", "check_y", "fit_context", "optimizers",
           "set_training", "validate_params", "zero_grad"]


class Number(Interval):
    """An :class:`Interval` constraint that a bool does not satisfy.

    A bool is an int to Python, so that ``Interval(Integral, 1, None)`` took
    ``True`` as 1: ``make_dms(True)`` got past validation and failed deep in
    numpy, and ``flux=True`` ran at a flux of 1. The parameters are those of
    :class:`Interval`.

    Parameters
    ----------
    type : {numbers.Integral, numbers.Real, "real_not_int"}
        The set of numbers the interval is taken from.
    left : float or int or None
        The left bound; None for none.
    right : float or int or None
        The right bound; None for none.
    closed : {"left", "right", "both", "neither"}
        Which bounds belong to the interval.
    """

    def is_satisfied_by(self, val):
        """Whether ``val`` is a number of the interval, and not a bool."""
        return not isinstance(val, bool) and super().is_satisfied_by(val)

    def __str__(self):
        return f"{super().__str__()} (not a bool)"


# skorch: the training step of _engine._torch_support.DirectStepMixin keeps skorch's
# loop and callbacks but drops its per-batch overhead, which needs these three.
def set_training(net, training=True):
    """Put ``net``'s modules (and criteria) in training or evaluation mode."""
    net._set_training(training)


def zero_grad(net):
    """Zero the gradients of every optimizer of ``net``."""
    net._zero_grad_optimizer()


def optimizers(net):
    """The initialised optimizers of ``net`` (``net.optimizer_`` and any others)."""
    return [getattr(net, name + "_") for name in net._optimizers]

"""Errors of angles on a circle, for targets defined up to a period (DMS psi)."""

from numbers import Real

import numpy as np


def angular_distance(a, b, period=360.0):
    """Shortest distance between angles on a circle of circumference ``period``.

    Parameters
    ----------
    a, b : float or array-like
        Angles, in the units of ``period`` (degrees by default); broadcast
        against each other.
    period : float, default=360.0
        The angle after which the target repeats, e.g. 90 for psi of a cubic
        crystal seen along [001].

    Returns
    -------
    float or ndarray
        Distances in [0, period / 2].

    Raises
    ------
    TypeError
        If ``period`` is not a real number.
    ValueError
        If ``period`` is not finite and positive, or an angle is NaN or infinite.

    Examples
    --------
    >>> from sciml_estimators.metrics import angular_distance
    >>> float(angular_distance(1.0, 89.0, period=90.0))
    2.0
    >>> angular_distance([0.0, 10.0], [350.0, 190.0]).tolist()
    [10.0, 180.0]
    """
    check_period(period)
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        raise ValueError("Angles must be finite; got NaN or inf.")
    difference = np.mod(a - b, period)
    return np.minimum(difference, period - difference)


def check_period(period):
    """Raise a TypeError or ValueError unless ``period`` is a finite positive real number."""
    if isinstance(period, bool) or not isinstance(period, Real):
        raise TypeError(f"period must be a real number; got {period!r} "
                        f"({type(period).__name__}).")
    if not np.isfinite(period) or period <= 0:
        raise ValueError(f"period must be a finite positive number; got {period!r}.")


def angular_error(y_true, y_pred, *, period=360.0):
    """Mean absolute error of angles measured on the circle (shortest distance).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True angles.
    y_pred : array-like of shape (n_samples,)
        Predicted angles, in the same units.
    period : float, default=360.0
        The angle after which the target repeats.

    Returns
    -------
    error : float
        Mean of :func:`angular_distance` over the samples.

    Raises
    ------
    TypeError
        If ``period`` is not a real number.
    ValueError
        If the inputs differ in shape, are empty or not finite, or ``period``
        is not finite and positive.

    Examples
    --------
    >>> from sciml_estimators.metrics import angular_error
    >>> angular_error([1.0, 45.0], [89.0, 40.0], period=90.0)
    3.5
    """
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape or y_true.ndim != 1 or y_true.size == 0:
        raise ValueError(f"y_true and y_pred must be non-empty 1-D arrays of one shape; "
                         f"got {y_true.shape} and {y_pred.shape}.")
    return float(np.mean(angular_distance(y_true, y_pred, period)))

"""Profiles measured on another q grid, resampled onto the grid an estimator was trained on.

A network trained on intensities at fixed q points needs every profile on
those points. Measured profiles come on the instrument's grid, so the SAXS
estimators accept ``q=`` (the training grid) in their constructor and
``q=`` (the measured grid) in their prediction methods, and resample with
:func:`resample_profile`.

Interpolation is linear in log I against log q: scattering curves are close
to power laws between neighbouring points (Guinier and Porod regions are
straight lines there), so this is far more accurate than linear
interpolation on a coarse grid. Where either neighbouring intensity is zero
or negative (noisy or background-subtracted data), log I is undefined and
the interval is interpolated linearly in I against log q instead.
"""

from numbers import Real

import numpy as np

from .._framework import Number, validate_params

#: Relative amount by which a measured grid may fall short of each end of the
#: training grid; the missing end is extrapolated from the last interval.
COVERAGE_TOLERANCE = 0.01


def check_q_grid(q, name="q", n_points=None):
    """``q`` as a float64 1-D array, finite, positive and strictly increasing.

    Parameters
    ----------
    q : array-like
        The grid, in 1/Angstrom.
    name : str, default="q"
        How error messages name the grid.
    n_points : int or None, default=None
        If given, the number of points the grid must have (the number of
        columns of the intensities it describes).

    Raises
    ------
    ValueError
        If ``q`` fails one of the conditions above.
    """
    q = np.asarray(q, dtype=np.float64)
    if q.ndim != 1 or q.size < 2:
        raise ValueError(f"{name} must be a 1-D array of at least 2 points; got shape {q.shape}.")
    if not np.all(np.isfinite(q)) or np.any(q <= 0):
        raise ValueError(f"{name} must be finite and positive (1/Angstrom).")
    if np.any(np.diff(q) <= 0):
        raise ValueError(f"{name} must be strictly increasing; sort the profile by q first.")
    if n_points is not None and q.size != n_points:
        raise ValueError(
            f"{name} has {q.size} points but the intensities have {n_points} columns; "
            "give one q value per column."
        )
    return q


def check_coverage(q_from, q_to, tolerance=COVERAGE_TOLERANCE):
    """Raise a ValueError naming both ranges unless ``q_from`` covers ``q_to``.

    ``q_from`` may fall short of each end of ``q_to`` by ``tolerance`` (relative).
    """
    low_ok = q_from[0] <= q_to[0] * (1 + tolerance)
    high_ok = q_from[-1] >= q_to[-1] * (1 - tolerance)
    if not (low_ok and high_ok):
        raise ValueError(
            f"The measured q range [{q_from[0]:.4g}, {q_from[-1]:.4g}] 1/A does not cover "
            f"the training q range [{q_to[0]:.4g}, {q_to[-1]:.4g}] 1/A (tolerance "
            f"{tolerance:.0%} at each end). Resampling would extrapolate; measure over the "
            "training range or train on a grid inside the measured one."
        )


@validate_params(
    {
        "q_from": ["array-like"],
        "intensity": ["array-like"],
        "q_to": ["array-like"],
        "tolerance": [Number(Real, 0, 1, closed="left")],
    },
    prefer_skip_nested_validation=True,
)
def resample_profile(q_from, intensity, q_to, *, tolerance=COVERAGE_TOLERANCE):
    """Resample SAXS profiles from one q grid onto another.

    Interpolates linearly in log I against log q between the two points of
    ``q_from`` around each point of ``q_to``. Where either of those two
    intensities is zero or negative, interpolates linearly in I against
    log q instead. Each end of ``q_to`` may lie beyond ``q_from`` by at most
    ``tolerance`` (relative). There the end interval is extended in the same
    way, a power law in the log-log case.

    Parameters
    ----------
    q_from : array-like of shape (n_from,) or (n_samples, n_from)
        Grid of the given intensities in 1/Angstrom: finite, positive,
        strictly increasing. A 2-D array gives each row of ``intensity``
        its own grid (such as ``make_saxs_1d(instrument=[...]).q``); rows
        sharing a grid are resampled together.
    intensity : array-like of shape (n_from,) or (n_samples, n_from)
        One profile, or one profile per row (2-D when ``q_from`` is). NaN
        propagates to the points interpolated from it.
    q_to : array-like of shape (n_to,)
        Grid to resample onto, in the same unit and under the same
        conditions as ``q_from``.
    tolerance : float, default=0.01
        Relative amount by which ``q_from`` may fall short of each end of
        ``q_to``.

    Returns
    -------
    resampled : ndarray of shape (n_to,) or (n_samples, n_to)
        The intensities on ``q_to``, float64, one row per input row.

    Raises
    ------
    ValueError
        If a grid is not 1-D (or, for ``q_from``, one per row of
        ``intensity``), finite, positive and strictly increasing, if
        ``intensity`` does not have one column per point of ``q_from``, or if
        ``q_from`` does not cover the range of ``q_to`` (the message names
        both ranges).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.estimators import resample_profile
    >>> q = np.geomspace(0.01, 0.1, 5)
    >>> resample_profile(q, q**-4.0, [0.02, 0.05]) * np.array([0.02, 0.05]) ** 4
    array([1., 1.])
    """
    intensity = np.asarray(intensity, dtype=np.float64)
    if intensity.ndim not in (1, 2):
        raise ValueError(
            f"intensity must be 1-D (one profile) or 2-D (one per row); got shape "
            f"{intensity.shape}."
        )
    if np.ndim(q_from) != 2:
        q_from = check_q_grid(q_from, "q_from", n_points=intensity.shape[-1])
        q_to = check_q_grid(q_to, "q_to")
        check_coverage(q_from, q_to, tolerance)
        return _resample(q_from, intensity, q_to)
    q_from = np.asarray(q_from, dtype=np.float64)
    q_to = check_q_grid(q_to, "q_to")
    if intensity.ndim != 2 or q_from.shape != intensity.shape:
        raise ValueError(
            f"A 2-D q_from gives one grid per row of intensity, so both must have the same "
            f"shape; got q_from {q_from.shape} and intensity {intensity.shape}."
        )
    grids, inverse = np.unique(q_from, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    resampled = np.empty((intensity.shape[0], q_to.size))
    for k, grid in enumerate(grids):
        rows = np.flatnonzero(inverse == k)
        grid = check_q_grid(grid, f"q_from (row {rows[0]})", n_points=intensity.shape[1])
        check_coverage(grid, q_to, tolerance)
        resampled[rows] = _resample(grid, intensity[rows], q_to)
    return resampled


def _resample(q_from, intensity, q_to):
    """The interpolation of :func:`resample_profile`, on checked grids."""
    log_from, log_to = np.log(q_from), np.log(q_to)
    upper = np.clip(np.searchsorted(log_from, log_to, side="right"), 1, q_from.size - 1)
    lower = upper - 1
    t = (log_to - log_from[lower]) / (log_from[upper] - log_from[lower])
    low, high = intensity[..., lower], intensity[..., upper]

    resampled = low + t * (high - low)
    positive = (low > 0) & (high > 0)
    if positive.any():
        log_low, log_high = np.log(low[positive]), np.log(high[positive])
        t_positive = np.broadcast_to(t, low.shape)[positive]
        resampled[positive] = np.exp(log_low + t_positive * (log_high - log_low))
    return resampled


def profiles_on_fitted_grid(estimator, X, q):
    """``X`` unchanged when ``q`` is None, else resampled from ``q`` onto ``estimator.q_``.

    ``q`` is one grid for all rows of ``X``, or one grid per row (2-D, the
    shape of ``X``), as :func:`resample_profile` takes.

    Raises
    ------
    ValueError
        If ``q`` is given but the estimator was fitted without a grid, or if
        :func:`resample_profile` refuses.
    """
    if q is None:
        return X
    if getattr(estimator, "q_", None) is None:
        raise ValueError(
            f"q= was passed to a {type(estimator).__name__} fitted without a q grid; set "
            f"{type(estimator).__name__}(q=<training grid>) before fit to resample profiles."
        )
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D (one profile per row); got shape {X.shape}.")
    return resample_profile(q, X, estimator.q_)

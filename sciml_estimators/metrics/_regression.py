"""Regression metrics: MAE and RMSE per target, R², and coverage of predicted intervals."""

import numpy as np
from scipy.stats import norm
from sklearn.metrics import r2_score

from ._angular import angular_distance, check_period

#: Central probabilities of the Gaussian intervals whose coverage is scored:
#: one standard deviation (68.27 %) and 95 %.
COVERAGE = {"coverage_68": 0.6827, "coverage_95": 0.95}


def regression_scores(y_true, y_pred, y_std=None, target_names=None, *, period=None):
    """MAE and RMSE per target, R², and per-target coverage of Gaussian intervals.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_targets)
        True targets.
    y_pred : array-like of the same shape
        Predicted targets.
    y_std : array-like of the same shape, default=None
        Predicted standard deviations; when given, the scores include the
        fraction of samples whose error lies within the central 68.27 % and
        95 % intervals of a Gaussian of that standard deviation
        (``|y_pred - y_true| <= z * y_std``, ``z`` = 1.0 and 1.96).
    target_names : sequence of str, default=None
        Names of the targets, used in the keys. ``None`` names the columns
        ``y0``, ``y1``, ... and gives a 1-D target no name.
    period : float, default=None
        For angles: the period after which the targets repeat (e.g. 90
        degrees). Errors are then shortest distances on the circle
        (:func:`angular_distance`) and ``r2`` is ``1 - sum d(y, y_pred)^2 /
        sum d(y, ybar)^2`` with ``ybar`` the circular mean of each target.

    Returns
    -------
    scores : dict
        In this order: ``mae_<name>`` and ``rmse_<name>`` for each target,
        ``r2`` (scikit-learn's ``r2_score``, uniform average over the
        targets), then with ``y_std`` ``coverage_68_<name>`` and
        ``coverage_95_<name>`` for each target. A target without a name
        gives ``mae``, ``rmse``, ``coverage_68`` and ``coverage_95``.

    Raises
    ------
    TypeError
        If ``period`` is not a real number.
    ValueError
        If the arrays' shapes differ, they are empty or hold NaN or infinity,
        ``y_std`` is negative, ``period`` is not finite and positive, or
        ``target_names`` does not name each target once.

    Examples
    --------
    >>> from sciml_estimators.metrics import regression_scores
    >>> y_true = [[1.0, 0.10], [2.0, 0.20], [3.0, 0.30], [4.0, 0.40]]
    >>> y_pred = [[1.5, 0.10], [2.0, 0.25], [3.0, 0.30], [3.5, 0.35]]
    >>> y_std = [[0.4, 0.01], [0.4, 0.01], [0.4, 0.01], [0.6, 0.03]]
    >>> scores = regression_scores(y_true, y_pred, y_std, target_names=["J", "J2"])
    >>> {name: round(value, 4) for name, value in scores.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'mae_J': 0.25, 'mae_J2': 0.025, 'rmse_J': 0.3536, 'rmse_J2': 0.0354, 'r2': 0.9,
     'coverage_68_J': 0.75, 'coverage_68_J2': 0.5, 'coverage_95_J': 1.0, 'coverage_95_J2': 0.75}
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    arrays = {"y_pred": y_pred}
    if y_std is not None:
        y_std = np.asarray(y_std, dtype=np.float64)
        arrays["y_std"] = y_std
    for name, array in arrays.items():
        if array.shape != y_true.shape:
            raise ValueError(
                f"{name} has shape {array.shape}, y_true {y_true.shape}; they must be equal."
            )
    if y_true.ndim not in (1, 2) or not len(y_true):
        raise ValueError(f"y_true must be 1-D or 2-D with at least one sample; got shape "
                         f"{y_true.shape}.")
    for name, array in {"y_true": y_true, **arrays}.items():
        if not np.isfinite(array).all():
            raise ValueError(f"{name} holds NaN or infinity; scores need finite values.")
    if y_std is not None and (y_std < 0).any():
        raise ValueError(f"y_std holds negative values (down to {y_std.min():.3g}); standard "
                         "deviations must be zero or positive.")
    if period is not None:
        check_period(period)
    n_targets = 1 if y_true.ndim == 1 else y_true.shape[1]
    if target_names is None:
        names = [""] if y_true.ndim == 1 else [f"y{i}" for i in range(n_targets)]
    else:
        names = [str(name) for name in target_names]
        if len(names) != n_targets or len(set(names)) != n_targets:
            raise ValueError(
                f"target_names must name each of the {n_targets} targets once; got {names}."
            )
    keys = [f"_{name}" if name else "" for name in names]
    y_true_2d = y_true.reshape(len(y_true), n_targets)
    if period is None:
        errors = np.abs(y_pred - y_true).reshape(len(y_true), n_targets)
    else:
        errors = angular_distance(y_pred, y_true, period).reshape(len(y_true), n_targets)
    scores = {}
    for prefix, values in (("mae", errors.mean(axis=0)),
                           ("rmse", np.sqrt((errors**2).mean(axis=0)))):  # fmt: skip
        scores.update((prefix + key, float(value)) for key, value in zip(keys, values))
    if period is None:
        scores["r2"] = float(r2_score(y_true, y_pred, multioutput="uniform_average"))
    else:
        phase = 2.0 * np.pi * y_true_2d / period
        mean = np.arctan2(np.sin(phase).mean(axis=0), np.cos(phase).mean(axis=0))
        spread = angular_distance(y_true_2d, mean * period / (2.0 * np.pi), period) ** 2
        scores["r2"] = float(np.mean(1.0 - (errors**2).sum(axis=0) / spread.sum(axis=0)))
    if y_std is not None:
        std = y_std.reshape(len(y_true), n_targets)
        for prefix, probability in COVERAGE.items():
            covered = errors <= norm.ppf(0.5 + probability / 2) * std
            scores.update((prefix + key, float(value))
                          for key, value in zip(keys, covered.mean(axis=0)))  # fmt: skip
    return scores

"""The radius of gyration of each SAXS profile by an automatic Guinier fit: the physics baseline."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._framework import Number, fit_context
from ..exceptions import NoGuinierRangeWarning
from ._guinier_fit import guinier_fits


class GuinierRegressor(RegressorMixin, BaseEstimator):
    """Radius of gyration from an automatic Guinier fit of each profile; nothing is learnt.

    Each row of ``X`` is a profile I(q) on the grid ``q``. ``predict`` fits
    ln I against q^2 from the first q point up to the widest window whose
    last point has ``q Rg <= max_q_rg`` (at least ``min_points`` points,
    searched where I has not yet fallen to a tenth of its low-q value), as
    AUTORG and BioXTAS RAW's ``autoRg`` do, and returns ``Rg = sqrt(-3 slope)``
    (module ``_guinier_fit`` gives the procedure and its sources). ``fit``
    only validates ``X`` and records its width: the estimator is a baseline
    with no trainable parameter, to compare learnt size regressors with.

    For a polydisperse sample the fit measures the z-average radius of
    gyration (``make_saxs_1d(target="guinier_radius")``). Guinier's law is an
    approximation: on ideal, noise-free spheres fitted up to
    ``q Rg = 1.3`` it returns Rg 1.4-2.0% too large (measured on 300
    log-spaced q points), an error that ``return_std`` does not include.

    Profiles without an acceptable window (fewer than ``min_points`` positive
    intensities before q Rg reaches ``max_q_rg``, a profile that rises, a
    relative error above 1) get NaN and one
    :class:`~sciml_estimators.exceptions.NoGuinierRangeWarning` per call,
    naming how many and the first rows: one bad profile does not stop the
    others' analysis, and NaN cannot pass for a size.
    A profile whose first q point is already past the Guinier region (q Rg
    above about 1.3) can still yield a window, fitted to the form factor's
    decay; its ``rg_std`` is then large (67% of Rg for a 500 A sphere seen
    from q = 0.01 1/A), so check it.

    Parameters
    ----------
    q : array-like of shape (n_q,) or None, default=None
        The scattering vectors (1/Angstrom) of the columns of ``X``, finite,
        positive and strictly increasing. None: ``n_q`` log-spaced points
        from 1e-3 to 0.5 1/Angstrom, the range of ``make_saxs_1d``'s default
        grid (that very grid for its 300 points).
    max_q_rg : float, default=1.3
        Largest q Rg of the fitted window's last point, in (0, 3]; 1.3 is the
        usual bound for compact particles (Guinier & Fournet 1955; AUTORG).
    min_points : int, default=10
        Fewest points of the window, at least 3 (AUTORG's ``mininterval``).

    Attributes
    ----------
    n_features_in_ : int
        Number of q points, ``len(q)``.
    q_ : ndarray of shape (n_features_in_,)
        ``q`` as a float array.

    See Also
    --------
    sciml_estimators.estimators.SAXSRegressor : A learnt size regressor.

    References
    ----------
    .. [1] A. Guinier and G. Fournet, *Small-Angle Scattering of X-Rays*,
       Wiley (1955).
    .. [2] M. V. Petoukhov, P. V. Konarev, A. G. Kikhney and D. I. Svergun,
       "ATSAS 2.1 - towards automated and web-supported small-angle
       scattering data analysis", J. Appl. Cryst. 40, s223-s228 (2007).
    .. [3] J. B. Hopkins, R. E. Gillilan and S. Skou, "BioXTAS RAW: improvements
       to a free open-source program for small-angle X-ray scattering data
       reduction and analysis", J. Appl. Cryst. 50, 1545-1553 (2017).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators import GuinierRegressor
    >>> from sciml_estimators.simulators import sphere_iq
    >>> q = np.geomspace(1e-3, 0.5, 300)
    >>> radius = np.array([20.0, 100.0])
    >>> X = sphere_iq(q, radius=radius)
    >>> reg = GuinierRegressor(q=q).fit(X)
    >>> rg, rg_std = reg.predict(X, return_std=True)
    >>> ratio = rg / (np.sqrt(3 / 5) * radius)  # the Guinier approximation's +1.5 %
    >>> bool(np.all(np.abs(ratio - 1.015) < 0.002)), bool(np.all(rg_std < 0.01 * rg))
    (True, True)
    """

    _parameter_constraints = {
        "q": ["array-like", None],
        "max_q_rg": [Number(Real, 0, 3, closed="right")],
        "min_points": [Number(Integral, 3, None, closed="left")],
    }

    def __init__(self, *, q=None, max_q_rg=1.3, min_points=10):
        self.q = q
        self.max_q_rg = max_q_rg
        self.min_points = min_points

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.regressor_tags.poor_score = True  # a fixed physical formula, fitted to nothing
        return tags

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check ``X`` against ``q`` and record its width; nothing is learnt.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_q)
            Intensities on the grid ``q``.
        y : array-like of shape (n_samples,), default=None
            Ignored (a Guinier fit needs no training sizes); accepted for
            the scikit-learn API.

        Returns
        -------
        self : object
            The fitted regressor.

        Raises
        ------
        ValueError
            If ``q`` is not finite, positive and strictly increasing, if
            ``X`` has not ``len(q)`` columns, or holds NaN or infinity.
        """
        if y is None:
            X = validate_data(self, X, dtype=np.float64)
        else:
            X, _ = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        self.q_ = _checked_grid(self.q, X.shape[1])
        return self

    def predict(self, X, return_std=False, sigma=None):
        """Radius of gyration of each profile, optionally with its standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_q)
            Intensities on the grid ``q``, finite; zero or negative values
            (zero counts, a background subtraction) are left out of the fit.
        return_std : bool, default=False
            Also return the standard deviation of each Rg.
        sigma : array-like of shape (n_samples, n_q), default=None
            Standard deviations of ``X`` (as ``make_saxs_1d``'s
            ``uncertainty``): the fit is then weighted by ``(I / sigma)^2``
            and the error propagated from ``sigma``. Weights computed from the
            measured counts favour upward fluctuations: at about 30 counts
            per point Rg comes out 2% too large (measured on 30 A spheres),
            so prefer None for weak data. None: an unweighted fit, its error
            the heteroscedasticity-consistent (HC3) one from the residuals.

        Returns
        -------
        rg : ndarray of shape (n_samples,)
            Radius of gyration in Angstrom; NaN where no Guinier range was
            found.
        rg_std : ndarray of shape (n_samples,)
            Only if ``return_std``: its statistical standard deviation (NaN
            likewise); the approximation's bias is not included.

        Raises
        ------
        ValueError
            If ``X`` has not the fitted number of columns or is not finite,
            or ``sigma`` has not the shape of ``X``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        if sigma is not None:
            sigma = np.asarray(sigma, dtype=np.float64)
            if sigma.shape != X.shape:
                raise ValueError(
                    f"sigma must have the shape of X, {X.shape}; got {sigma.shape}.")
        rg, rg_std, last = guinier_fits(self.q_, X, sigma, max_q_rg=self.max_q_rg,
                                        min_points=self.min_points)
        missing = np.flatnonzero(last < 0)
        if missing.size:
            warnings.warn(
                f"no Guinier range in {missing.size} of {len(X)} profiles (rows "
                f"{', '.join(map(str, missing[:5]))}{', ...' if missing.size > 5 else ''}): "
                f"fewer than {self.min_points} positive intensities up to "
                f"q Rg = {self.max_q_rg:g}, or I(q) not falling with q; their Rg is NaN.",
                NoGuinierRangeWarning, stacklevel=2,
            )
        return (rg, rg_std) if return_std else rg


#: The q range of ``make_saxs_1d``'s default grid (1/Angstrom), for ``q=None``.
DEFAULT_Q_RANGE = (1e-3, 0.5)


def _checked_grid(q, n_features):
    """``q`` as a float array, checked against the width of ``X``."""
    if q is None:
        return np.geomspace(*DEFAULT_Q_RANGE, n_features)
    q = np.asarray(q, dtype=np.float64)
    if q.ndim != 1 or q.size != n_features:
        raise ValueError(
            f"q must be the 1-D q grid (1/Angstrom) of the {n_features} columns of X; "
            f"got shape {q.shape}.")
    if not (np.all(np.isfinite(q)) and np.all(q > 0) and np.all(np.diff(q) > 0)):
        raise ValueError("q must be finite, positive and strictly increasing (1/Angstrom).")
    return q

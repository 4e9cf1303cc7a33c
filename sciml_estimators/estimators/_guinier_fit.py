r"""Automatic Guinier fits of many profiles at once: the range, then the fit on it.

Guinier's law :math:`\ln I(q) = \ln I(0) - q^2 R_g^2 / 3` holds for
:math:`q R_g \lesssim 1.3` (Guinier & Fournet, *Small-Angle Scattering of
X-Rays*, Wiley 1955). The range search follows AUTORG (Petoukhov et al.,
*J. Appl. Cryst.* 40 (2007) s223) and BioXTAS RAW's ``autoRg``
(``SASCalc.py``; Hopkins et al., *J. Appl. Cryst.* 50 (2017) 1545): fit
:math:`\ln I` against :math:`q^2` over windows of at least ``min_points``
points (AUTORG's ``mininterval``, 10), search them only where the
intensity has not yet fallen to a tenth of its low-q value, and keep those
whose fitted :math:`R_g` puts the window's last point at
:math:`q_\max R_g \le 1.3` with a relative error below 1. Unlike those
programs, which score windows of every start and length and average the
best, every window here starts at the first q point and the widest
acceptable one is fitted: one deterministic range per profile, found for all
profiles together from prefix sums (no loop over windows). Low-q points
spoiled by aggregation, a beam stop or interparticle effects must be cut off
before (give the estimator the remaining columns).
"""

import numpy as np

#: The intensity drop that bounds the search (AUTORG, RAW: an order of magnitude).
SEARCH_DROP = 0.1


def _prefix_sums(x, y, w):
    """Cumulative weighted sums along the q axis for every window [0, e]."""
    return (np.cumsum(w, axis=1), np.cumsum(w * x, axis=1), np.cumsum(w * y, axis=1),
            np.cumsum(w * x * x, axis=1), np.cumsum(w * x * y, axis=1))


def _slopes(x, y, w):
    """Slope of the weighted line through points [0, e], for every e."""
    s, sx, sy, sxx, sxy = _prefix_sums(x, y, w)
    return (s * sxy - sx * sy) / (s * sxx - sx**2)


def _window_ends(q, log_i, weights, valid, max_q_rg, min_points):
    """Index of the last point of each profile's Guinier window, -1 where none is acceptable."""
    n_q = q.size
    x = q**2 - q[0] ** 2  # shifted so that the sums stay well conditioned
    first = np.take_along_axis(log_i, np.argmax(valid, axis=1)[:, None], axis=1)
    y = np.where(valid, log_i - first, 0.0)
    w = np.where(valid, weights, 0.0)
    slope = _slopes(x, y, w)
    rg = np.sqrt(-3.0 * slope)
    enough = np.cumsum(valid, axis=1) >= min_points
    reference = np.exp(np.median(np.where(valid, log_i, np.nan)[:, :min_points], axis=1))
    in_search = np.cumsum(np.exp(log_i) < SEARCH_DROP * reference[:, None], axis=1) == 0
    acceptable = enough & in_search & (slope < 0) & (q * rg <= max_q_rg)
    last = n_q - 1 - np.argmax(acceptable[:, ::-1], axis=1)
    return np.where(acceptable.any(axis=1), last, -1)


def guinier_fits(q, intensity, sigma=None, *, max_q_rg=1.3, min_points=10):
    """Radius of gyration of each profile from an automatic Guinier fit.

    Parameters
    ----------
    q : ndarray of shape (n_q,)
        Strictly increasing scattering vectors (1/Angstrom).
    intensity : ndarray of shape (n_samples, n_q)
        Intensities; non-positive or non-finite ones are left out of the
        fits (their logarithm is undefined), as RAW's ``autoRg`` does.
    sigma : ndarray of shape (n_samples, n_q) or None, default=None
        Standard deviations of ``intensity``: the fit is then weighted by
        ``(I / sigma)^2`` (the variance of ln I to first order) and its error
        propagated from them. None: unweighted, the error from the residuals
        (heteroscedasticity-consistent).
    max_q_rg : float, default=1.3
        Largest q Rg of the window's last point.
    min_points : int, default=10
        Fewest points of a window.

    Returns
    -------
    rg, rg_std : ndarray of shape (n_samples,)
        Radius of gyration (Angstrom) and its standard deviation; NaN where
        no window is acceptable.
    last : ndarray of shape (n_samples,)
        Index of the window's last point, -1 where none.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        log_i = np.log(intensity)
        weights = np.ones_like(log_i) if sigma is None else (intensity / sigma) ** 2
        valid = np.isfinite(log_i) & np.isfinite(weights) & (weights > 0)
        last = _window_ends(q, log_i, weights, valid, max_q_rg, min_points)
        rg, rg_std = _fit_windows(q, log_i, weights, valid, last, weighted=sigma is not None)
    bad = ~(rg_std < rg)  # RAW's sanity bound: relative error below 1 (NaN too)
    last[bad] = -1
    rg[bad], rg_std[bad] = np.nan, np.nan
    return rg, rg_std, last


def _fit_windows(q, log_i, weights, valid, last, *, weighted):
    """Weighted least squares of ln I on q^2 over the valid points [0, last] of each profile."""
    inside = valid & (np.arange(q.size) <= last[:, None])
    w = np.where(inside, weights, 0.0)
    x = np.broadcast_to(q**2, log_i.shape)
    y = np.where(inside, log_i, 0.0)
    total = w.sum(axis=1, keepdims=True)
    dx = np.where(inside, x - (w * x).sum(axis=1, keepdims=True) / total, 0.0)
    dy = np.where(inside, y - (w * y).sum(axis=1, keepdims=True) / total, 0.0)
    sxx = (w * dx * dx).sum(axis=1)
    slope = (w * dx * dy).sum(axis=1) / sxx
    if weighted:  # known errors: the covariance of the weighted fit
        slope_std = np.sqrt(1.0 / sxx)
    else:
        # Unknown errors, which counting statistics make unequal along q: the
        # heteroscedasticity-consistent HC3 estimate (MacKinnon & White,
        # J. Econometrics 29 (1985) 305), from the residuals and leverages.
        residual = dy - slope[:, None] * dx
        leverage = np.where(inside, 1.0 / total + dx**2 / sxx[:, None], 0.0)
        slope_std = np.sqrt((dx**2 * residual**2 / (1 - leverage) ** 2).sum(axis=1)) / sxx
    rg = np.sqrt(-3.0 * slope)
    rg_std = 1.5 * slope_std / rg  # d Rg / d slope = -3 / (2 Rg)
    none = last < 0
    rg[none], rg_std[none] = np.nan, np.nan
    return rg, rg_std

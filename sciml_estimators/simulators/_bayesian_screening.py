r"""Bayesian cloud screening (Merchant et al. 2005): the NumPy core.

The reference labelling code of the Sentinel-SLSTR cloud benchmark. For the
observation ``y`` of a pixel (its channels) and the clear-sky observation
``F(x_b)`` that a forward model simulates from background fields, Bayes'
theorem gives

.. math::

    P(\mathrm{cloud} \mid y) = \left[1 + \frac{P(\mathrm{clear})\,
    p(y \mid \mathrm{clear})}{P(\mathrm{cloud})\, p(y \mid \mathrm{cloud})}
    \right]^{-1},

with ``p(y | clear)`` a Gaussian in the departure ``d = y - F(x_b)`` whose
mean and covariance are learnt from clear pixels, and ``p(y | cloud)`` an
empirical histogram of cloudy departures, in the ``n_components`` whitened
directions in which cloudy pixels depart most from clear sky.
:func:`fit_screening` learns these from labelled departures and
:func:`cloud_probability` applies them. The dataset layer labels
``make_slstr_scenes`` with them, and
:class:`~sciml_estimators.estimators.BayesianCloudMask` wraps them as a
scikit-learn classifier (its docstring explains the method in full).

References
----------
.. [1] C. J. Merchant, A. R. Harris, E. Maturi, S. MacCallum, "Probabilistic
   physically based cloud screening of satellite infrared imagery for
   operational sea surface temperature retrieval", Q. J. R. Meteorol. Soc.
   131 (2005) 2735-2755.
"""

import numpy as np
from scipy.special import expit
from threadpoolctl import threadpool_limits

#: Quantiles of the cloudy departures that the histogram spans (beyond: its edge bins).
_HISTOGRAM_QUANTILES = (0.001, 0.999)
#: Pixels per block of the probability arithmetic.
_BLOCK_PIXELS = 1 << 16
#: The histogram always spans this many clear-sky standard deviations about 0.
_CLEAR_SPAN = 4.0


def departures(rows, clear_sky):
    """Observation minus the clear-sky simulation (none: 0), in float64."""
    result = rows.astype(np.float64)
    if clear_sky is not None:
        result -= clear_sky
    return result


def fit_screening(departure, cloudy, *, n_components=3, bins=24, cloud_prior=None,
                  smoothing=0.5, covariance_regularisation=1e-6):
    """Learn the clear-sky Gaussian, the cloudy histogram and the prior.

    Parameters
    ----------
    departure : ndarray of shape (n_pixels, n_channels)
        Departures from clear sky (:func:`departures`), float64.
    cloudy : ndarray of bool, shape (n_pixels,)
        Which pixels are cloudy.
    n_components, bins, cloud_prior, smoothing, covariance_regularisation
        As in :class:`~sciml_estimators.estimators.BayesianCloudMask`.

    Returns
    -------
    screening : dict
        ``cloud_prior``, ``clear_mean``, ``clear_covariance``, ``projection``,
        ``bin_edges`` and ``log_cloud_density``: the arguments of
        :func:`cloud_probability`, and the covariance.
    """
    n_channels = departure.shape[1]
    prior = float(cloudy.mean()) if cloud_prior is None else cloud_prior
    clear = departure[~cloudy]
    clear_mean = clear.mean(axis=0)
    covariance = (np.atleast_2d(np.cov(clear, rowvar=False)) if len(clear) > 1
                  else np.zeros((n_channels,) * 2))
    mean_variance = np.trace(covariance) / n_channels
    # Relative to the mean variance; absolute when every channel is constant.
    ridge = covariance_regularisation * (mean_variance if mean_variance > 0 else 1.0)
    covariance[np.diag_indices_from(covariance)] += ridge
    whitening = np.linalg.inv(np.linalg.cholesky(covariance))
    whitened_cloud = (departure[cloudy] - clear_mean) @ whitening.T

    n_components = min(n_components, n_channels)
    _, directions = np.linalg.eigh(whitened_cloud.T @ whitened_cloud)
    directions = directions[:, ::-1][:, :n_components]
    coordinates = whitened_cloud @ directions
    low, high = np.quantile(coordinates, _HISTOGRAM_QUANTILES, axis=0)
    bin_edges = [np.linspace(min(lo, -_CLEAR_SPAN), max(hi, _CLEAR_SPAN), bins + 1)
                 for lo, hi in zip(low, high)]
    shape = (bins,) * n_components
    flat_index = np.ravel_multi_index(_bin_index(bin_edges, coordinates), shape)
    counts = np.bincount(flat_index, minlength=np.prod(shape)).reshape(shape)
    bin_volume = np.prod([edges[1] - edges[0] for edges in bin_edges])
    density = (counts + smoothing) / ((counts.sum() + smoothing * counts.size) * bin_volume)
    return {
        "cloud_prior": prior,
        "clear_mean": clear_mean,
        "clear_covariance": covariance,
        "projection": whitening.T @ directions,
        "bin_edges": bin_edges,
        "log_cloud_density": np.log(density),
    }


def _bin_index(bin_edges, coordinates):
    """Histogram bin of each point per coordinate; beyond the edges, the edge bins."""
    index = []
    for edges, column in zip(bin_edges, coordinates.T):
        bins = len(edges) - 1
        position = (column - edges[0]) * (bins / (edges[-1] - edges[0]))
        index.append(np.clip(position, 0, bins - 1).astype(np.intp))
    return tuple(index)


def cloud_probability(rows, clear_sky, screening):
    """P(cloud) of every pixel under a screening learnt by :func:`fit_screening`.

    Parameters
    ----------
    rows : ndarray of shape (n_pixels, n_channels)
        Observed pixels.
    clear_sky : ndarray of shape (n_pixels, n_channels) or None
        Their clear-sky simulation, if the screening was learnt with one.
    screening : dict
        What :func:`fit_screening` returns.

    Returns
    -------
    cloud : ndarray of shape (n_pixels,)
        Probability of cloud, float64.
    """
    cloud = np.empty(len(rows))
    prior = np.log(screening["cloud_prior"]) - np.log1p(-screening["cloud_prior"])
    projection, bin_edges = screening["projection"], screening["bin_edges"]
    normalisation = 0.5 * projection.shape[1] * np.log(2 * np.pi)
    # In blocks: whole-array temporaries of millions of pixels cost more in
    # page faults than the arithmetic. One BLAS thread: the products are
    # (65536, 9) x (9, k), which threads only slow down (10x with torch's
    # OpenMP threads beside OpenBLAS's on 2 cores).
    with threadpool_limits(limits=1, user_api="blas"):
        for start in range(0, len(rows), _BLOCK_PIXELS):
            block = slice(start, start + _BLOCK_PIXELS)
            departure = departures(rows[block], None if clear_sky is None else clear_sky[block])
            departure -= screening["clear_mean"]
            coordinates = departure @ projection
            log_clear = -0.5 * np.einsum("ij,ij->i", coordinates, coordinates) - normalisation
            log_cloud = screening["log_cloud_density"][_bin_index(bin_edges, coordinates)]
            cloud[block] = expit(prior + log_cloud - log_clear)
    return cloud

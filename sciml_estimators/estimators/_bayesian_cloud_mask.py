"""Bayesian cloud screening (Merchant et al. 2005) as a scikit-learn classifier."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets

from .._engine._pixels import PixelClassifierMixin, fit_rows
from .._framework import Number, fit_context
from ..simulators._bayesian_screening import (
    cloud_probability,
    departures,
    fit_screening,
)

#: The fitted attributes, by their names in fit_screening's result.
_FITTED = ("cloud_prior", "clear_mean", "clear_covariance", "projection", "bin_edges",
           "log_cloud_density")


class BayesianCloudMask(PixelClassifierMixin, ClassifierMixin, BaseEstimator):
    """Probabilistic cloud screening: a clear-sky Gaussian against an empirical cloudy PDF.

    The method of Merchant et al. (2005) that labels the SLSTR data of the
    paper's cloud benchmark. For the observation ``y`` of a pixel (its
    channels) and the clear-sky observation ``F(x_b)`` that a forward model
    simulates from background fields (sea-surface temperature and water
    vapour from a forecast), Bayes' theorem gives

    .. math::

        P(\\mathrm{cloud} \\mid y) = \\left[1 + \\frac{P(\\mathrm{clear})\\,
        p(y \\mid \\mathrm{clear})}{P(\\mathrm{cloud})\\, p(y \\mid \\mathrm{cloud})}
        \\right]^{-1},

    with ``p(y | clear)`` a Gaussian in the departure ``d = y - F(x_b)``,
    whose mean and covariance (the ``H B H^T + R`` of the method: background
    and instrument errors mapped to the channels) are learnt from the clear
    training pixels, and ``p(y | cloud)`` an empirical histogram of the
    cloudy training departures.

    A histogram cannot fill nine dimensions, and the operational method bins
    two or three hand-picked features (e.g. the 11 um departure and the 11-12
    um difference). Here the features are found from the data: departures are
    whitened by the clear-sky covariance (clear sky becomes a unit Gaussian),
    and the histogram spans the ``n_components`` directions in which the
    cloudy pixels depart most from clear sky (the leading eigenvectors of
    their second moment). Both likelihoods are evaluated in that subspace;
    cloud-free directions carry no evidence either way.

    Without ``clear_sky`` (e.g. for real products, which carry no forward
    model), ``F(x_b) = 0``: the clear Gaussian is then around the clear
    training pixels' mean. Labels: ``classes_[0]`` is clear and
    ``classes_[1]`` cloud (0 and 1, or "clear" and "cloud", sort that way).

    Parameters
    ----------
    n_components : int, default=3
        Dimensions of the cloudy histogram (at most the channel count).
    bins : int, default=24
        Histogram bins per dimension.
    cloud_prior : float in (0, 1) or None, default=None
        Prior probability of cloud; ``None`` takes the fraction of cloudy
        training pixels.
    smoothing : float, default=0.5
        Pseudo-count added to every histogram bin, so that cloudy departures
        not seen in training keep a small non-zero density.
    covariance_regularisation : float, default=1e-6
        Added to the clear-sky covariance's diagonal, relative to its mean
        variance (absolute if that is 0), to keep it invertible.

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        The clear and the cloud label.
    n_features_in_ : int
        Number of channels.
    clear_mean_ : ndarray of shape (n_features_in_,)
        Mean clear-sky departure (the forward model's bias).
    clear_covariance_ : ndarray of shape (n_features_in_, n_features_in_)
        Clear-sky departure covariance, regularised.
    projection_ : ndarray of shape (n_features_in_, n_components_)
        Maps a departure minus ``clear_mean_`` to whitened histogram coordinates.
    bin_edges_ : list of ndarray
        Histogram bin edges per coordinate.
    log_cloud_density_ : ndarray of shape (bins,) * n_components_
        Log of the cloudy probability density in each bin.
    cloud_prior_ : float
        The prior probability of cloud used.
    n_components_ : int
        Histogram dimensions used.
    fitted_with_clear_sky_ : bool
        Whether ``fit`` had ``clear_sky``; ``predict``, ``predict_proba`` and
        ``score`` then need it too (and refuse it otherwise), since the
        Gaussian is of departures from it.

    See Also
    --------
    CloudMaskClassifier : The paper's MLP, trained on this method's labels.

    References
    ----------
    .. [1] C. J. Merchant, A. R. Harris, E. Maturi, S. MacCallum,
       "Probabilistic physically based cloud screening of satellite infrared
       imagery for operational sea surface temperature retrieval",
       Q. J. R. Meteorol. Soc. 131 (2005) 2735-2755.
    .. [2] S. Mackie, C. J. Merchant, O. Embury, P. Francis, "Generalized
       Bayesian cloud detection for satellite imagery. Part 2: Technique and
       validation for daytime imagery", Int. J. Remote Sens. 31 (2010) 2595.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.estimators import BayesianCloudMask
    >>> rng = np.random.RandomState(0)
    >>> clear_sky = rng.normal(290, 2, size=(2000, 3))
    >>> cloud = rng.rand(2000) < 0.3
    >>> observed = clear_sky + rng.normal(0, 0.2, size=(2000, 3))
    >>> observed[cloud] -= rng.uniform(1, 20, size=(cloud.sum(), 1))
    >>> mask = BayesianCloudMask().fit(observed, cloud, clear_sky=clear_sky)
    >>> mask.score(observed, cloud, clear_sky=clear_sky) > 0.95
    True
    """

    _parameter_constraints = {
        "n_components": [Number(Integral, 1, None, closed="left")],
        "bins": [Number(Integral, 1, None, closed="left")],
        "cloud_prior": [Number(Real, 0, 1, closed="neither"), None],
        "smoothing": [Number(Real, 0, None, closed="neither")],
        "covariance_regularisation": [Number(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        n_components=3,
        bins=24,
        cloud_prior=None,
        smoothing=0.5,
        covariance_regularisation=1e-6,
    ):
        self.n_components = n_components
        self.bins = bins
        self.cloud_prior = cloud_prior
        self.smoothing = smoothing
        self.covariance_regularisation = covariance_regularisation

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, clear_sky=None):
        """Learn the clear-sky Gaussian, the cloudy histogram and the prior.

        Parameters
        ----------
        X : array-like of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
            Observed pixel rows or scenes.
        y : array-like of shape (n_pixels,) or (n_scenes, height, width)
            Two labels, clear and cloud (e.g. a physical truth or a trusted mask).
        clear_sky : array-like of the shape of X, default=None
            The forward model's clear-sky observation of every pixel.

        Returns
        -------
        self : BayesianCloudMask
            The fitted screening.
        """
        rows, labels, arrays = fit_rows(self, X, y, clear_sky=clear_sky)
        check_classification_targets(labels)
        self.classes_ = np.unique(labels)
        if self.classes_.size != 2:
            raise ValueError(
                "Only binary classification is supported. BayesianCloudMask needs pixels of "
                "exactly 2 classes (clear, cloud); got "
                f"{self.classes_.size} class(es): {self.classes_.tolist()[:5]}."
            )
        screening = fit_screening(
            departures(rows, arrays.get("clear_sky")), labels == self.classes_[1],
            n_components=self.n_components, bins=self.bins, cloud_prior=self.cloud_prior,
            smoothing=self.smoothing, covariance_regularisation=self.covariance_regularisation,
        )
        for name in _FITTED:
            setattr(self, name + "_", screening[name])
        self.n_components_ = self.projection_.shape[1]
        self.fitted_with_clear_sky_ = clear_sky is not None
        return self

    def _rows_proba(self, rows, clear_sky=None):
        self._check_clear_sky(clear_sky)
        screening = {name: getattr(self, name + "_") for name in _FITTED}
        cloud = cloud_probability(rows, clear_sky, screening)
        return np.column_stack([1.0 - cloud, cloud])

    def _check_clear_sky(self, clear_sky):
        """Refuse ``clear_sky`` given or left out unlike in ``fit``: the departures would differ."""
        given = clear_sky is not None
        if given == self.fitted_with_clear_sky_:
            return
        if self.fitted_with_clear_sky_:
            raise ValueError(
                "BayesianCloudMask was fitted with clear_sky= (its clear-sky Gaussian is of the "
                "departures y - clear_sky), but clear_sky was not given here; without it every "
                "pixel looks far from clear sky. Pass the forward model's clear-sky "
                "observation of these pixels, or fit without clear_sky."
            )
        raise ValueError(
            "BayesianCloudMask was fitted without clear_sky (its clear-sky Gaussian is of the "
            "observations themselves), but clear_sky was given here. Leave clear_sky out, or "
            "fit with clear_sky."
        )

    def predict_proba(self, X, clear_sky=None):
        """P(clear) and P(cloud) of every pixel.

        Parameters
        ----------
        X : array-like of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
            Observed pixel rows or scenes.
        clear_sky : array-like of the shape of X, default=None
            The forward model's clear-sky observation; needed if and only if
            ``fit`` had it.

        Returns
        -------
        proba : ndarray of shape (n_pixels, 2) or (n_scenes, height, width, 2)
            Columns in the order of ``classes_``; NaN for scene pixels with a
            non-finite channel.
        """
        return super().predict_proba(X, clear_sky=clear_sky)

    def predict(self, X, clear_sky=None):
        """Cloud where P(cloud) > 1/2.

        Parameters
        ----------
        X : array-like of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
            Observed pixel rows or scenes.
        clear_sky : array-like of the shape of X, default=None
            The forward model's clear-sky observation; needed if and only if
            ``fit`` had it.

        Returns
        -------
        y_pred : ndarray of shape (n_pixels,) or masked array of shape (n_scenes, height, width)
            Labels from ``classes_``; for scenes masked where a channel is non-finite.
        """
        return super().predict(X, clear_sky=clear_sky)

    def score(self, X, y, sample_weight=None, clear_sky=None):
        """Fraction of pixels labelled as ``y``; for scenes, of those with finite channels.

        Parameters
        ----------
        X : array-like of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
            Observed pixel rows or scenes.
        y : array-like of shape (n_pixels,) or (n_scenes, height, width)
            True labels or masks.
        sample_weight : array-like of shape (n_pixels,), default=None
            Pixel-row input only.
        clear_sky : array-like of the shape of X, default=None
            The forward model's clear-sky observation; needed if and only if
            ``fit`` had it.

        Returns
        -------
        score : float
            Accuracy.
        """
        return super().score(X, y, sample_weight=sample_weight, clear_sky=clear_sky)

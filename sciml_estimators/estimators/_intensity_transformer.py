"""The scattering estimators' preprocessing as a stand-alone transformer."""

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .._framework import StrOptions, fit_context
from ..preprocessing._intensity import (
    INTENSITY_TRANSFORMS,
    fit_features,
    intensity_features,
)


class IntensityTransformer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Log-like transform and standardisation of scattering intensities.

    The preprocessing that :class:`SAXSClassifier` learns internally, for use
    in front of any other model (e.g. scikit-learn's ``MLPClassifier``). Each
    profile is divided by its mean ``|I|`` (with ``normalise_profiles``), each
    intensity goes through ``intensity_transform``, then each feature (q
    point) is standardised with the mean and standard deviation seen in ``fit``.

    Parameters
    ----------
    intensity_transform : {"asinh", "log", "none"}, default="asinh"
        ``"asinh"`` is ``arcsinh(I / s)`` with ``s`` the 1st percentile of the
        non-zero training magnitudes: equal to ``log(2 I / s)`` for ``I >> s``
        and defined for zero and negative intensities. ``"log"`` rejects
        non-positive intensities. ``"none"`` only standardises.
    normalise_profiles : bool, default=True
        Divide each profile (row) by its mean ``|I|`` first, so that the
        features do not depend on its overall level, as in
        :class:`SAXSClassifier`. False keeps the level.

    Attributes
    ----------
    intensity_scale_ : float
        The ``s`` of the ``"asinh"`` transform (1.0 for the others).
    mean_ : ndarray of shape (n_features_in_,)
        Mean of the transformed training intensities per feature.
    scale_ : ndarray of shape (n_features_in_,)
        Their standard deviation (1 where constant).
    n_features_in_ : int
        Number of features (q points).

    See Also
    --------
    SAXSClassifier : Uses the same preprocessing inside.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.estimators import IntensityTransformer
    >>> X = np.array([[1e3, 1.0, 1e-3], [1e4, 10.0, 2e-3]])
    >>> IntensityTransformer(normalise_profiles=False).fit_transform(X).round(3)
    array([[-1., -1., -1.],
           [ 1.,  1.,  1.]])
    """

    _parameter_constraints = {
        "intensity_transform": [StrOptions(set(INTENSITY_TRANSFORMS))],
        "normalise_profiles": ["boolean"],
    }

    def __init__(self, intensity_transform="asinh", normalise_profiles=True):
        self.intensity_transform = intensity_transform
        self.normalise_profiles = normalise_profiles

    def __setstate__(self, state):
        # Transformers pickled before profiles were normalised keep their features.
        state.setdefault("normalise_profiles", False)
        super().__setstate__(state)

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn the transform's scale and the per-feature standardisation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Intensities, one profile per row.
        y : None
            Ignored.

        Returns
        -------
        self : IntensityTransformer
            The fitted transformer.
        """
        X = validate_data(self, X, dtype=[np.float64, np.float32], ensure_all_finite=False)
        _, self.intensity_scale_, self.mean_, self.scale_ = fit_features(
            X, self.intensity_transform, X.dtype, self.normalise_profiles
        )
        return self

    def transform(self, X):
        """Transform and standardise intensities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Intensities on the features seen in ``fit``.

        Returns
        -------
        X_new : ndarray of shape (n_samples, n_features)
            Standardised features, in the input's float dtype.
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, dtype=[np.float64, np.float32], ensure_all_finite=False, reset=False
        )
        return intensity_features(
            X, self.intensity_transform, self.intensity_scale_, self.mean_, self.scale_, X.dtype,
            self.normalise_profiles,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags

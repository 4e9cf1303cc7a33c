"""The input kinds of the network estimators: profiles, images, pixels.

Each mixin defines the input hooks of :class:`~._base.NetworkEstimator`:
how ``X`` is validated, which preprocessing ``fit`` learns, and the features
the network sees.
"""

import warnings

import numpy as np
from sklearn.utils.validation import check_is_fitted, validate_data

from .._engine._pixels import PixelClassifierMixin, fit_rows
from .._engine._streaming import blockwise_on_disk
from ..exceptions import OutOfDomainWarning
from ..preprocessing._blocks import is_on_disk
from ..preprocessing._domain import MIN_ROWS, domain_scores, fit_domain
from ..preprocessing._images import (
    as_fitted_layout,
    as_images,
    fit_image_features,
    image_features,
    image_shape,
)
from ..preprocessing._intensity import fit_features, intensity_features, standardise
from ..preprocessing._pixels import channel_standardisation
from ..preprocessing._profile_grid import check_q_grid, profiles_on_fitted_grid


class ProfileInputMixin:
    """1-D profiles I(q), one per row, through ``n_q -> hidden_units ReLU -> outputs``.

    Features: each profile divided by its mean ``|I|`` (with
    ``normalise_profiles``), the ``intensity_transform`` (``arcsinh(I / s)``,
    ``log`` or none), then standardisation per q point. With ``q`` given to
    the constructor, profiles on another grid are resampled onto it
    (:meth:`_on_fitted_grid`). ``fit`` also learns the training domain of the
    features (``domain_``), which :meth:`out_of_domain_score` measures
    profiles against.
    """

    def __setstate__(self, state):
        # Models pickled before profiles were normalised keep the features they learnt
        # (the absolute level), and know no training domain.
        state.setdefault("normalise_profiles", False)
        if "feature_mean_" in state:
            state.setdefault("domain_", None)
        super().__setstate__(state)

    def _validate(self, X):
        return validate_data(self, X, reset=False, ensure_all_finite=False)

    def _validate_fit(self, X, y, **target_checks):
        return validate_data(self, X, y, ensure_all_finite=False, **target_checks)

    def _fitted_input(self, X):
        self.q_ = None if self.q is None else check_q_grid(self.q, "q", n_points=X.shape[1])

    def _fit_features(self, X):
        features, self.intensity_scale_, self.feature_mean_, self.feature_scale_ = (
            fit_features(X, self.intensity_transform, normalise=self.normalise_profiles)
        )
        self.domain_ = fit_domain(features)
        return features

    def _features(self, X):
        return intensity_features(X, self.intensity_transform, self.intensity_scale_,
                                  self.feature_mean_, self.feature_scale_,
                                  normalise=self.normalise_profiles)

    def _module_parameters(self, shape):
        return {"n_in": shape[0], "n_hidden": self.hidden_units}

    def _on_fitted_grid(self, X, q):
        """Validated profiles on the training grid: as they are, or resampled from ``q``."""
        return self._validate(X) if q is None else profiles_on_fitted_grid(self, X, q)

    def _domain_checked(self, features):
        """Out-of-domain scores of prepared ``features``, warning if any exceeds 1.

        Zeros when ``fit`` saw too few profiles to learn a domain.
        """
        if self.domain_ is None:
            return np.zeros(len(features))
        scores = domain_scores(self.domain_, features)
        outside = np.flatnonzero(scores > 1)
        if outside.size:
            rows = ", ".join(map(str, outside[:5])) + (", ..." if outside.size > 5 else "")
            warnings.warn(
                f"{outside.size} of {scores.size} profiles (rows {rows}) lie outside the "
                f"domain {type(self).__name__} was trained on (out_of_domain_score up to "
                f"{scores.max():.3g}; 1 is the threshold): sizes, shapes, backgrounds or "
                "instruments unlike the training profiles', whose answers are "
                "extrapolations. out_of_domain_score(X) gives every profile's score.",
                OutOfDomainWarning,
                stacklevel=3,
            )
        return scores

    @blockwise_on_disk
    def out_of_domain_score(self, X, q=None):
        """How far each profile lies from the training profiles; above 1 is outside.

        The larger of Hotelling's T^2 and the residual Q of the profile's
        features on the principal components of the training features, each
        over three times its 99.5th percentile on training profiles that the
        components were not fitted to (see
        ``sciml_estimators.preprocessing._domain``, which gives the measured
        false-alarm rates). ``predict`` warns with
        an :class:`~sciml_estimators.exceptions.OutOfDomainWarning` for
        profiles above 1.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_q)
            Intensities on the q grid seen in ``fit``, or on the grid ``q``.
        q : array-like of shape (n_q,) or (n_samples, n_q), or None, default=None
            The q grid of the columns of ``X`` when it differs from the
            training grid (see ``predict``).

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Non-negative scores; 1 is the threshold.

        Raises
        ------
        ValueError
            If ``fit`` saw fewer than 400 profiles, too few to tell where the
            training domain ends (``domain_`` is None).
        """
        check_is_fitted(self)
        if self.domain_ is None:
            raise ValueError(
                f"This {type(self).__name__} was fitted on fewer than {MIN_ROWS} profiles, too "
                "few to tell where its training domain ends (half of them set the threshold, "
                "at their 99.5th percentile); fit on more profiles to get out-of-domain scores."
            )
        return domain_scores(self.domain_, self._features(self._on_fitted_grid(X, q)))


class ImageInputMixin:
    """Images, (n, height, width) or (n, channels, height, width), into a CNN.

    The network is called as ``_module(image_shape=..., n_out=...)``.

    Features: ``arcsinh(I / s)`` standardised per channel. Rows of shape
    (n_samples, n_features) are taken as images one pixel high.
    """

    _allow_nd = True

    def _validate(self, X):
        X = as_fitted_layout(X, self.image_shape_, self._fitted_layout)
        return validate_data(self, X, reset=False, allow_nd=True, ensure_all_finite=False,
                             dtype=[np.float32, np.float64])

    def _validate_fit(self, X, y, **target_checks):
        return validate_data(self, X, y, allow_nd=True, ensure_all_finite=False,
                             dtype=[np.float32, np.float64], **target_checks)

    def _fitted_input(self, X):
        self.image_shape_ = image_shape(X.shape)
        self._fitted_layout = X.shape[1:]

    def _fit_features(self, X):
        images = X if is_on_disk(X) else as_images(X)
        features, self.intensity_scale_, self.channel_mean_, self.channel_scale_ = (
            fit_image_features(images)
        )
        return features

    def _features(self, X):
        return image_features(as_images(X), self.intensity_scale_, self.channel_mean_,
                              self.channel_scale_)

    def _module_parameters(self, shape):
        return {"image_shape": self.image_shape_}


class PixelInputMixin(PixelClassifierMixin):
    """Pixel rows or whole scenes, each pixel's channels through ``n_channels -> hidden -> out``.

    Features: the channels standardised. ``fit`` loads an on-disk set (it
    trains on pixels drawn across scenes); the prediction methods of
    :class:`~.._engine._pixels.PixelClassifierMixin` answer in the input's shape.
    """

    _streams = False
    _samples = "pixels"

    def _validate_fit(self, X, y, **target_checks):
        return fit_rows(self, X, y)

    def _fit_features(self, rows):
        self.channel_mean_, self.channel_scale_ = channel_standardisation(rows)
        return self._features(rows)

    def _features(self, rows):
        return standardise(rows.astype(np.float32), self.channel_mean_, self.channel_scale_)

    def _module_parameters(self, shape):
        return {"n_in": shape[0], "n_hidden": self.hidden_units}

    def _rows_proba(self, rows):
        return self._class_probabilities(self._features(rows))

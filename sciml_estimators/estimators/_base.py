"""The one fit of the network regressors: inputs, preprocessing, standardised targets, training.

:class:`NetworkRegressor` validates the input (in memory or on disk), learns
its preprocessing, encodes and standardises the targets, holds samples out if
asked, and trains the network through a skorch net with the engine's
settings (streaming from disk and data-parallel training come with them); its
outputs are computed by the engine's float64 inference copy. A regressor is a
subclass that names its input kind (:class:`ImageRegressor` for images, or
profile rows as ``SAXSRegressor``), its network and loss, and the hooks below.
:class:`MeanVarianceMixin` adds a calibrated per-sample uncertainty.
"""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .._engine._mean_variance import MeanVarianceLoss, calibration_factors, split_output
from .._engine._network_output import network_output
from .._engine._streaming import blockwise_on_disk, check_on_disk
from .._engine._torch_support import DEVICES, RegressionNet, resolve_device, torch_seeded
from .._engine._training_settings import training_settings
from ..preprocessing._blocks import as_feature_rows, is_on_disk
from ..preprocessing._images import (
    as_fitted_layout,
    as_images,
    fit_image_features,
    image_features,
    image_shape,
)


class NetworkRegressor(RegressorMixin, BaseEstimator):
    """Base of the network regressors: one ``fit`` for every input kind.

    Subclasses set ``_module`` (and ``_criterion``) and define the input
    hooks :meth:`_validate`, :meth:`_fit_features`, :meth:`_features` and
    :meth:`_module_parameters`; the target hooks have defaults.
    """

    _parameter_constraints = {
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "predict_batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [StrOptions(set(DEVICES))],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    #: The network class.
    _module = None
    #: The training loss (a torch module class).
    _criterion = torch.nn.MSELoss
    #: Whether ``y`` may have several columns.
    _multi_output = True
    #: Whether inputs may have more than two dimensions (images).
    _allow_nd = False

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = self._multi_output
        return tags

    # Input hooks.
    def _validate(self, X, y=None):
        """``X`` (and ``y``) validated in memory: ``validate_data``'s result."""
        raise NotImplementedError

    def _fit_features(self, X):
        """Learn the preprocessing of ``X`` (setting its attributes); return the features."""
        raise NotImplementedError

    def _features(self, X):
        """Prepared float32 features of validated ``X``, with the fitted preprocessing."""
        raise NotImplementedError

    def _module_parameters(self, shape, n_out):
        """The network's constructor arguments for inputs of ``shape`` and ``n_out`` outputs."""
        raise NotImplementedError

    # Target hooks.
    def _encode_targets(self, y):
        """The network's targets, (n_samples, n_encoded), from ``y`` as 2-D float64."""
        return y

    def _n_outputs(self, n_encoded):
        """Width of the network's last layer."""
        return n_encoded

    def _held_out_count(self, n_samples):
        """How many samples to keep out of training (shuffled with the seed)."""
        return 0

    def _after_training(self, outputs, targets):
        """Use the held-out samples: the network's outputs (None if none) and their targets."""

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the preprocessing and train the network.

        Parameters
        ----------
        X : array-like or on-disk array
            The inputs (see the class description for their shape). An
            on-disk array (``load_dataset``, h5py, Zarr, Dask) is read in
            blocks and batches, never whole, and gives the model that the
            same array in memory gives.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.

        Returns
        -------
        self : object
            The fitted regressor.
        """
        rng = check_random_state(self.random_state)
        if is_on_disk(X):
            y = check_on_disk(self, X, y, allow_nd=self._allow_nd,
                              multi_output=self._multi_output, y_numeric=True)
        else:
            X, y = self._validate(X, y)
        self._fitted_input(X)
        self._single_target = y.ndim == 1
        targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        self.n_targets_ = targets.shape[1]
        encoded = self._encode_targets(targets)
        self.device_ = resolve_device(self.device)
        features = self._fit_features(X)
        self.target_mean_ = encoded.mean(axis=0)
        self.target_scale_ = encoded.std(axis=0)
        self.target_scale_[self.target_scale_ == 0] = 1.0
        standardised = ((encoded - self.target_mean_) / self.target_scale_).astype(np.float32)

        order = rng.permutation(len(X))
        n_held_out = min(self._held_out_count(len(X)), len(X) - 1)
        # Training rows in file order: an on-disk set is then read block by block.
        held_out, train = order[:n_held_out], np.sort(order[n_held_out:])
        module_parameters = self._module_parameters(X.shape[1:],
                                                    self._n_outputs(encoded.shape[1]))
        self.net_ = RegressionNet(
            self._module,
            **{f"module__{name}": value for name, value in module_parameters.items()},
            criterion=self._criterion,
            **training_settings(self, f"training {type(self).__name__}"),
        )
        with torch_seeded(rng):
            self.net_.fit(as_feature_rows(features).take(train),
                          torch.from_numpy(standardised[train]))
        outputs = as_feature_rows(features).map(self._forward, held_out, self.predict_batch_size)
        self._after_training(outputs, standardised[held_out])
        return self

    def _fitted_input(self, X):
        """Record what ``fit`` saw of the input's shape (nothing by default)."""

    def _forward(self, features):
        """The network's output (float64) for prepared features."""
        return network_output(self.net_, features, self.predict_batch_size)

    @blockwise_on_disk
    def _network_output(self, X):
        """Validate ``X`` against ``fit`` and return the network's output (float64)."""
        check_is_fitted(self)
        return self._forward(self._features(self._validate(X)))

    def _unstandardise(self, values):
        return self.target_mean_ + values * self.target_scale_


class ImageRegressor(NetworkRegressor):
    """Base of the CNN regressors: images in, ``_module(image_shape=..., n_out=...)``.

    The features are ``arcsinh(I / s)`` standardised per channel. Images are
    (n, height, width) or (n, channels, height, width); rows of shape
    (n_samples, n_features) are taken as images one pixel high.
    """

    _allow_nd = True

    def _validate(self, X, y=None):
        if y is None:
            X = as_fitted_layout(X, self.image_shape_, self._fitted_layout)
            return validate_data(self, X, reset=False, allow_nd=True, ensure_all_finite=False,
                                 dtype=[np.float32, np.float64])
        return validate_data(self, X, y, allow_nd=True, multi_output=self._multi_output,
                             y_numeric=True, ensure_all_finite=False,
                             dtype=[np.float32, np.float64])

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

    def _module_parameters(self, shape, n_out):
        return {"image_shape": self.image_shape_, "n_out": n_out}


class MeanVarianceMixin:
    """A mean and a log-variance per target, the variances calibrated on held-out samples.

    The network's last layer has two outputs per target, trained by
    :class:`~sciml_estimators._engine._mean_variance.MeanVarianceLoss`; the
    ``validation_fraction`` of the samples held out of training set one
    factor per target (``uncertainty_calibration_``) that makes their
    z-scores' mean square 1.
    """

    _criterion = MeanVarianceLoss

    def _n_outputs(self, n_encoded):
        return 2 * n_encoded  # a mean and a log-variance per target

    def _held_out_count(self, n_samples):
        return int(round(self.validation_fraction * n_samples))

    def _after_training(self, outputs, targets):
        self.uncertainty_calibration_ = np.ones(self.n_targets_)
        if outputs is not None:
            mean, std = split_output(outputs, self.n_targets_)
            self.uncertainty_calibration_ = calibration_factors(targets, mean, std)

    def _mean_and_std(self, outputs):
        """Means and calibrated standard deviations of the encoded targets, in target units."""
        mean, std = split_output(outputs, self.n_targets_)
        return (self._unstandardise(mean),
                std * self.target_scale_ * self.uncertainty_calibration_)

"""What the CNN regressors share: image inputs, standardised targets, training."""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..preprocessing._images import (
    as_fitted_layout,
    as_images,
    fit_image_features,
    image_features,
    image_shape,
)
from .._engine._network_output import network_output
from .._engine._streaming import blockwise_on_disk, check_on_disk
from ..preprocessing._blocks import as_feature_rows, is_on_disk
from .._engine._torch_support import (
    DEVICES,
    RegressionNet,
    resolve_device,
    torch_seeded,
)
from .._engine._training_settings import training_settings


class ImageRegressor(RegressorMixin, BaseEstimator):
    """Base of the CNN regressors.

    ``fit`` learns the image features (``arcsinh(I / s)`` standardised per
    channel), encodes and standardises the targets, and trains the network
    ``_module(image_shape=..., n_out=...)`` with Adam through a skorch net.
    Subclasses choose the network, the loss, the target encoding and what
    happens on the samples they hold out (the hooks below), and write
    ``predict`` from :meth:`_network_output`.
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

    #: The network class, called as ``_module(image_shape=..., n_out=...)``.
    _module = None
    #: The training loss (a torch module class).
    _criterion = torch.nn.MSELoss

    #: Whether ``y`` may have several columns.
    _multi_output = True

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = self._multi_output
        return tags

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
        X : array-like of shape (n_samples, height, width) or (n_samples, channels, height, width)
            Images (rows of shape (n_samples, n_features) are taken as images
            one pixel high).
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.

        Returns
        -------
        self : object
            The fitted regressor.
        """
        rng = check_random_state(self.random_state)
        if is_on_disk(X):
            y = check_on_disk(self, X, y, allow_nd=True, multi_output=self._multi_output,
                              y_numeric=True)
            images = X
        else:
            X, y = validate_data(self, X, y, allow_nd=True, multi_output=self._multi_output,
                                 y_numeric=True, ensure_all_finite=False,
                                 dtype=[np.float32, np.float64])
            images = as_images(X)
        self.image_shape_ = image_shape(X.shape)
        self._fitted_layout = X.shape[1:]
        self._single_target = y.ndim == 1
        targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        self.n_targets_ = targets.shape[1]
        self.device_ = resolve_device(self.device)
        features, self.intensity_scale_, self.channel_mean_, self.channel_scale_ = (
            fit_image_features(images)
        )
        encoded = self._encode_targets(targets)
        self.target_mean_ = encoded.mean(axis=0)
        self.target_scale_ = encoded.std(axis=0)
        self.target_scale_[self.target_scale_ == 0] = 1.0
        standardised = ((encoded - self.target_mean_) / self.target_scale_).astype(np.float32)

        order = rng.permutation(len(X))
        n_held_out = min(self._held_out_count(len(X)), len(X) - 1)
        # Training rows in file order: an on-disk set is then read block by block.
        held_out, train = order[:n_held_out], np.sort(order[n_held_out:])
        self.net_ = RegressionNet(
            self._module,
            module__image_shape=self.image_shape_,
            module__n_out=self._n_outputs(encoded.shape[1]),
            criterion=self._criterion,
            **training_settings(self, f"training {type(self).__name__}"),
        )
        with torch_seeded(rng):
            self.net_.fit(as_feature_rows(features).take(train),
                          torch.from_numpy(standardised[train]))
        outputs = as_feature_rows(features).map(self._forward, held_out, self.predict_batch_size)
        self._after_training(outputs, standardised[held_out])
        return self

    def _forward(self, features):
        """The network's output (float64) for prepared features."""
        return network_output(self.net_, features, self.predict_batch_size)

    @blockwise_on_disk
    def _network_output(self, X):
        """Validate ``X`` against ``fit`` and return the network's output (float64)."""
        check_is_fitted(self)
        X = as_fitted_layout(X, self.image_shape_, self._fitted_layout)
        X = validate_data(self, X, reset=False, allow_nd=True, ensure_all_finite=False,
                          dtype=[np.float32, np.float64])
        features = image_features(as_images(X), self.intensity_scale_, self.channel_mean_,
                                  self.channel_scale_)
        return self._forward(features)

    def _unstandardise(self, values):
        return self.target_mean_ + values * self.target_scale_

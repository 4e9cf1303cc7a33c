"""What the CNN regressors share: image inputs, standardised targets, uncertainty."""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, RegressorMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ._images import as_fitted_layout, as_images, fit_image_features, image_features
from ._mean_variance import MeanVarianceLoss, calibration_factors, split_output
from ._torch_support import (
    DEVICES,
    BatchIterator,
    EpochProgress,
    RegressionNet,
    resolve_device,
    torch_seeded,
)


class ImageRegressor(RegressorMixin, BaseEstimator):
    """Base of the CNN regressors; subclasses say which network (``_module``).

    ``fit`` learns the image features (``arcsinh(I / s)`` standardised per
    channel), standardises the targets, holds out ``validation_fraction`` of
    the samples, trains the network's means and log-variances (see
    ``_mean_variance``) and recalibrates the variances on the held-out part.
    """

    _parameter_constraints = {
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "predict_batch_size": [Interval(Integral, 1, None, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="left")],
        "device": [StrOptions(set(DEVICES))],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    #: The network class, called as ``_module(image_shape=..., n_out=...)``.
    _module = None

    def __init__(self, *, lr=1e-3, max_epochs=20, batch_size=32, predict_batch_size=128,
                 validation_fraction=0.1, device="cpu", random_state=None, verbose=0):
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.validation_fraction = validation_fraction
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the preprocessing, train the network and calibrate its uncertainty.

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
        X, y = validate_data(self, X, y, allow_nd=True, multi_output=True, y_numeric=True,
                             ensure_all_finite=False, dtype=[np.float32, np.float64])
        images = as_images(X)
        self.image_shape_ = images.shape[1:]
        self._fitted_layout = X.shape[1:]
        targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        self.n_targets_ = targets.shape[1]
        self._single_target = y.ndim == 1
        self.device_ = resolve_device(self.device)
        features, self.intensity_scale_, self.channel_mean_, self.channel_scale_ = (
            fit_image_features(images)
        )
        self.target_mean_ = targets.mean(axis=0)
        self.target_scale_ = targets.std(axis=0)
        self.target_scale_[self.target_scale_ == 0] = 1.0
        standardised = ((targets - self.target_mean_) / self.target_scale_).astype(np.float32)

        order = rng.permutation(len(X))
        n_held_out = min(int(round(self.validation_fraction * len(X))), len(X) - 1)
        held_out, train = order[:n_held_out], order[n_held_out:]
        self.net_ = RegressionNet(
            self._module,
            module__image_shape=self.image_shape_,
            module__n_out=2 * self.n_targets_,
            criterion=MeanVarianceLoss,
            optimizer=torch.optim.Adam,
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            iterator_train=BatchIterator,
            iterator_train__shuffle=True,
            iterator_valid=BatchIterator,
            iterator_valid__batch_size=self.predict_batch_size,
            train_split=None,
            callbacks__valid_loss=None,
            callbacks__print_log=None,
            callbacks=([EpochProgress(f"training {type(self).__name__}")]
                       if self.verbose else None),
            verbose=0,
            device=self.device_,
        )
        with torch_seeded(rng):
            self.net_.fit(torch.from_numpy(features[train]), torch.from_numpy(standardised[train]))
        self.uncertainty_calibration_ = np.ones(self.n_targets_)
        if n_held_out:
            mean, std = self._standardised_prediction(features[held_out])
            self.uncertainty_calibration_ = calibration_factors(standardised[held_out], mean, std)
        return self

    def _standardised_prediction(self, features):
        output = self.net_.forward(torch.from_numpy(features)).numpy()
        return split_output(output, self.n_targets_)

    def predict(self, X, return_std=False):
        """Predict the targets, optionally with a calibrated standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width) or (n_samples, channels, height, width)
            Images of the shape seen in ``fit``.
        return_std : bool, default=False
            Also return the per-sample standard deviation of each prediction.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
            Predicted targets, in the shape of ``y`` seen in ``fit``.
        y_std : ndarray of the same shape
            Only if ``return_std``: the predicted standard deviation, scaled
            so that held-out z-scores have unit mean square.
        """
        check_is_fitted(self)
        X = as_fitted_layout(X, self.image_shape_, self._fitted_layout)
        X = validate_data(self, X, reset=False, allow_nd=True, ensure_all_finite=False,
                          dtype=[np.float32, np.float64])
        images = as_images(X)
        features = image_features(images, self.intensity_scale_, self.channel_mean_,
                                  self.channel_scale_)
        mean, std = self._standardised_prediction(features)
        y_pred = self.target_mean_ + mean * self.target_scale_
        y_std = std * self.target_scale_ * self.uncertainty_calibration_
        if self._single_target:
            y_pred, y_std = y_pred[:, 0], y_std[:, 0]
        return (y_pred, y_std) if return_std else y_pred

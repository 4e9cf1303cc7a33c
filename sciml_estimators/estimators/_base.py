"""The one pipeline of the torch estimators: inputs, preprocessing, the net, its outputs.

:class:`NetworkEstimator` validates the input (in memory or on disk), learns
its preprocessing and builds the network's input; its outputs come from the
engine's float64 inference copy. :class:`NetworkRegressor` encodes and
standardises targets, holds samples out if asked and trains through a skorch
net with the engine's settings (streaming from disk and data-parallel
training come with them); :class:`NetworkClassifier` does the same for class
labels. An estimator is a subclass that names its input kind (a mixin of
``_inputs``), its network, and the hooks it changes;
:class:`MeanVarianceMixin` adds a calibrated per-sample uncertainty.
"""

from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .._engine._classifier_training import class_index, train_classifier
from .._engine._mean_variance import MeanVarianceLoss, calibration_factors, split_output
from .._engine._network_output import class_probabilities, network_output
from .._engine._streaming import blockwise_on_disk, check_on_disk
from .._engine._torch_support import (
    DEVICES,
    RegressionNet,
    resolve_device,
    torch_seeded,
)
from .._engine._training_settings import training_settings
from .._framework import Number, StrOptions, fit_context
from ..preprocessing._blocks import as_feature_rows, is_on_disk


class NetworkEstimator(BaseEstimator):
    """What every torch estimator shares: inputs, preprocessing, the net, its outputs.

    Subclasses set ``_module`` and define the input hooks :meth:`_validate_fit`,
    :meth:`_validate`, :meth:`_fit_features`, :meth:`_features` and
    :meth:`_module_parameters`
    (:class:`~._inputs.ProfileInputMixin`, :class:`~._inputs.ImageInputMixin`
    and :class:`~._inputs.PixelInputMixin` do so for the three input kinds).
    """

    _parameter_constraints = {
        "lr": [Number(Real, 0, None, closed="neither")],
        "max_epochs": [Number(Integral, 1, None, closed="left")],
        "batch_size": [Number(Integral, 1, None, closed="left")],
        "predict_batch_size": [Number(Integral, 1, None, closed="left")],
        "device": [StrOptions(set(DEVICES))],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    #: The network class.
    _module = None
    #: Whether inputs may have more than two dimensions (images).
    _allow_nd = False
    #: Whether ``fit`` reads an on-disk ``X`` in blocks and batches (else it loads it).
    _streams = True

    def _validate_fit(self, X, y, **target_checks):
        """``X`` and ``y`` validated in memory for ``fit``: ``validate_data``'s result."""
        raise NotImplementedError

    def _validate(self, X):
        """``X`` validated against what ``fit`` saw."""
        raise NotImplementedError

    def _fitted_input(self, X):
        """Record what ``fit`` saw of the input's shape (nothing by default)."""

    def _fit_features(self, X):
        """Learn the preprocessing of ``X`` (setting its attributes); return the features."""
        raise NotImplementedError

    def _features(self, X):
        """Prepared float32 features of validated ``X``, with the fitted preprocessing."""
        raise NotImplementedError

    def _module_parameters(self, shape):
        """The network's constructor arguments, but ``n_out``, for inputs of ``shape``."""
        raise NotImplementedError

    def _fit_input(self, X, y, **target_checks):
        """Validate ``X`` and ``y`` (``X`` stays on disk if it is and the estimator streams)."""
        if self._streams and is_on_disk(X):
            y = check_on_disk(self, X, y, allow_nd=self._allow_nd, **target_checks)
        else:
            X, y = self._validate_fit(X, y, **target_checks)
        self._fitted_input(X)
        self.device_ = resolve_device(self.device)
        return X, y

    def _forward(self, features):
        """The network's output (float64) for prepared features."""
        return network_output(self.net_, features, self.predict_batch_size)

    @blockwise_on_disk
    def _network_output(self, X):
        """Validate ``X`` against ``fit`` and return the network's output (float64)."""
        check_is_fitted(self)
        return self._forward(self._features(self._validate(X)))


class NetworkRegressor(RegressorMixin, NetworkEstimator):
    """Base of the network regressors: standardised targets, held-out samples, one ``fit``.

    The target hooks below have defaults; :class:`MeanVarianceMixin` sets them
    for a calibrated uncertainty.
    """

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

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the preprocessing and train the network.

        Parameters
        ----------
        X : array-like or on-disk array
            The inputs, shaped as the class description says. An on-disk
            array (``load_dataset``, h5py, Zarr, Dask) is read in blocks and
            batches, never whole, and gives the model that the same array in
            memory gives.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Targets.

        Returns
        -------
        self : object
            The fitted regressor.
        """
        rng = check_random_state(self.random_state)
        X, y = self._fit_input(X, y, multi_output=self._multi_output, y_numeric=True)
        self._single_target = y.ndim == 1
        targets = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        self.n_targets_ = targets.shape[1]
        encoded = self._encode_targets(targets)
        features = self._fit_features(X)
        self.target_mean_ = encoded.mean(axis=0)
        self.target_scale_ = encoded.std(axis=0)
        self.target_scale_[self.target_scale_ == 0] = 1.0
        standardised = ((encoded - self.target_mean_) / self.target_scale_).astype(np.float32)

        order = rng.permutation(len(X))
        n_held_out = min(self._held_out_count(len(X)), len(X) - 1)
        # Training rows in file order: an on-disk set is then read block by block.
        held_out, train = order[:n_held_out], np.sort(order[n_held_out:])
        module_parameters = {**self._module_parameters(X.shape[1:]),
                             "n_out": self._n_outputs(encoded.shape[1])}
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

    def _unstandardise(self, values):
        return self.target_mean_ + values * self.target_scale_


class NetworkClassifier(ClassifierMixin, NetworkEstimator):
    """Base of the network classifiers: one logit and a sigmoid for 2 classes, else softmax."""

    #: What the samples are, for the error on a single class.
    _samples = "samples"

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the preprocessing and train the network.

        Parameters
        ----------
        X : array-like or on-disk array
            The inputs, shaped as the class description says. An on-disk
            array (``load_dataset``, h5py, Zarr, Dask) is read in blocks and
            batches, never whole, and gives the model that the same array in
            memory gives.
        y : array-like
            Class labels (any hashable labels), one per sample.

        Returns
        -------
        self : object
            The fitted classifier.
        """
        rng = check_random_state(self.random_state)
        X, y = self._fit_input(X, y)
        self.classes_, y_index = class_index(self, y, self._samples)
        features = self._fit_features(X)
        self.net_ = train_classifier(
            self, self._module, features, y_index, self.classes_.size, rng,
            f"training {type(self).__name__}", **self._module_parameters(X.shape[1:]),
        )
        return self

    def _class_probabilities(self, features):
        """Class probabilities (float64) of prepared features."""
        return class_probabilities(self._forward(features))

    @blockwise_on_disk
    def predict_proba(self, X):
        """Class probabilities, in the order of ``classes_``.

        Parameters
        ----------
        X : array-like
            Inputs shaped as in ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class.
        """
        check_is_fitted(self)
        return self._class_probabilities(self._features(self._validate(X)))

    def predict(self, X):
        """Most probable class of each sample.

        Parameters
        ----------
        X : array-like
            Inputs shaped as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        proba = self.predict_proba(X)  # checks that the classifier is fitted
        return self.classes_[np.argmax(proba, axis=1)]


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

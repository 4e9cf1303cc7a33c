"""A small CNN that classifies particle shape from 2-D SAXS patterns."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from ..models import SAXS2DCNN
from .._engine._classifier_training import class_index, train_classifier
from .._engine._network_output import class_probabilities, network_output
from ..preprocessing._images import (
    as_fitted_layout,
    as_images,
    fit_image_features,
    image_features,
    image_shape,
)
from .._engine._streaming import blockwise_on_disk, check_on_disk
from ..preprocessing._blocks import is_on_disk
from .._engine._torch_support import DEVICES, resolve_device


class SAXS2DClassifier(ClassifierMixin, BaseEstimator):
    """Classify particle shape from 2-D SAXS detector images with a small CNN.

    Takes images I(qx, qy) such as
    :func:`~sciml_estimators.datasets.make_saxs_2d`'s, of shape
    (n, height, width) or (n, channels, height, width); rows of shape
    (n, n_features) are taken as images one pixel high. ``fit`` learns the
    preprocessing, ``arcsinh(I / s)`` with ``s`` 1% of the bright level (the
    99th percentile of the training intensities), then one global
    standardisation per channel (not per pixel: with random orientations
    every pixel sees the same mix of patterns, and a global mean keeps the
    network's view of the image unchanged), and trains
    :class:`~sciml_estimators.models.SAXS2DCNN` (conv 16, 32, 64, each 3x3
    with ReLU and 2x2 max-pool, global average pool, dense 64 ReLU, logits)
    with Adam and a cross-entropy loss through a skorch net: one logit and a
    sigmoid for two classes, a softmax over the classes otherwise.

    Parameters
    ----------
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=20
        Passes over the training data.
    batch_size : int, default=32
        Training mini-batch size.
    predict_batch_size : int, default=256
        Batch size of ``predict`` and ``predict_proba``.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where to train and predict. ``"auto"`` picks CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation and the shuffling. The same seed and
        data give the same fitted model on the CPU.
    verbose : int, default=0
        If positive, show a progress bar over the training epochs.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels seen in ``fit``.
    n_features_in_ : int
        Size of the second axis of ``X`` (scikit-learn's convention).
    image_shape_ : tuple of int
        (channels, height, width) of the training images.
    intensity_scale_ : float
        The ``s`` of the ``arcsinh`` transform.
    channel_mean_, channel_scale_ : ndarray of shape (channels,)
        Standardisation of the transformed intensities.
    net_ : skorch.NeuralNetBinaryClassifier or skorch.NeuralNetClassifier
        The trained net (see ``_torch_support.DirectStepMixin``);
        ``net_.history`` holds the training losses.
    device_ : str
        The torch device used.

    See Also
    --------
    SAXSClassifier : The same task from 1-D profiles.
    sciml_estimators.datasets.make_saxs_2d : Oriented 2-D SAXS images.

    References
    ----------
    .. [1] T. Hey, K. Butler, S. Jackson, J. Thiyagalingam, "Machine learning
       and big scientific data", Phil. Trans. R. Soc. A 378 (2020) 20190054.

    Examples
    --------
    >>> from sciml_estimators import SAXS2DClassifier
    >>> from sciml_estimators.datasets import make_saxs_2d
    >>> X, y = make_saxs_2d(120, shape=(32, 32), random_state=0, return_X_y=True)
    >>> clf = SAXS2DClassifier(max_epochs=2, random_state=0).fit(X[:100], y[:100])
    >>> clf.predict_proba(X[100:]).shape
    (20, 4)
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

    def __init__(self, *, lr=1e-3, max_epochs=20, batch_size=32, predict_batch_size=256,
                 device="cpu", random_state=None, verbose=0):
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the preprocessing and train the network.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width) or (n_samples, channels, height, width)
            Images (rows of shape (n_samples, n_features) are taken as images
            one pixel high).
        y : array-like of shape (n_samples,)
            Class labels (any hashable labels, e.g. shape names).

        Returns
        -------
        self : SAXS2DClassifier
            The fitted classifier.
        """
        rng = check_random_state(self.random_state)
        if is_on_disk(X):
            y = check_on_disk(self, X, y, allow_nd=True)
            images = X
        else:
            X, y = validate_data(self, X, y, allow_nd=True, ensure_all_finite=False,
                                 dtype=[np.float32, np.float64])
            images = as_images(X)
        self.classes_, y_index = class_index(self, y)
        self.image_shape_ = image_shape(X.shape)
        self._fitted_layout = X.shape[1:]
        self.device_ = resolve_device(self.device)
        features, self.intensity_scale_, self.channel_mean_, self.channel_scale_ = (
            fit_image_features(images)
        )

        self.net_ = train_classifier(
            self, SAXS2DCNN, features, y_index, self.classes_.size, rng,
            "training SAXS2DClassifier", image_shape=self.image_shape_,
        )
        return self

    @blockwise_on_disk
    def predict_proba(self, X):
        """Class probabilities, in the order of ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width) or (n_samples, channels, height, width)
            Images of the shape seen in ``fit``, with or without the channel
            axis.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probability of each class.
        """
        check_is_fitted(self)
        X = as_fitted_layout(X, self.image_shape_, self._fitted_layout)
        X = validate_data(self, X, reset=False, allow_nd=True, ensure_all_finite=False,
                          dtype=[np.float32, np.float64])
        features = image_features(as_images(X), self.intensity_scale_, self.channel_mean_,
                                  self.channel_scale_)
        return class_probabilities(network_output(self.net_, features, self.predict_batch_size))

    def predict(self, X):
        """Most probable class of each image.

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width) or (n_samples, channels, height, width)
            Images of the shape seen in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted class labels.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

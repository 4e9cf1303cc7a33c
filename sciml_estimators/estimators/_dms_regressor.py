"""The DMS reference regressor: the paper's CNN for the azimuthal angle, on the circle."""

from numbers import Real

import numpy as np

from .._framework import Number
from ..metrics import angular_distance
from ..models import DMSCNN
from ._base import NetworkRegressor
from ._inputs import ImageInputMixin


class DMSAngleRegressor(ImageInputMixin, NetworkRegressor):
    """Regress a crystal's azimuthal angle psi from its DMS pattern with the paper's CNN.

    psi is defined modulo the crystal's symmetry ``period`` about the surface
    normal (90 degrees for Si [001], see
    :func:`~sciml_estimators.simulators.dms_symmetry_period`), so 0 and 89.9
    degrees are neighbours. The network therefore predicts the point
    ``(cos 2 pi psi / period, sin 2 pi psi / period)`` on the circle (the
    paper's single linear output replaced by two), trained with the squared
    error, and ``predict`` returns ``atan2`` of it, in [0, period). ``score``
    is R^2 with distances taken on the circle.

    ``fit`` learns the preprocessing (``arcsinh(I / s)`` with ``s`` 1% of the
    bright level, standardisation per channel) and trains the paper's network
    (conv 32 3x3, 2x2 max-pool, dropout 0.2, conv 64 3x3, 2x2 max-pool, dense
    32, dense 16, ReLU, linear output) with Adam through a skorch net.

    Parameters
    ----------
    period : float, default=90.0
        The angle in degrees after which patterns repeat, positive.
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=20
        Passes over the training data.
    batch_size : int, default=32
        Training mini-batch size.
    predict_batch_size : int, default=128
        Batch size of ``predict``.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where to train and predict. ``"auto"`` picks CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation, dropout and shuffling. The same seed
        and data give the same fitted model on the CPU.
    verbose : int, default=0
        If positive, show a progress bar over the training epochs.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` (scikit-learn's convention).
    image_shape_ : tuple of int
        (channels, height, width) of the training images.
    n_targets_ : int
        1.
    intensity_scale_ : float
        The ``s`` of the ``arcsinh`` transform.
    channel_mean_, channel_scale_ : ndarray of shape (channels,)
        Standardisation of the transformed intensities.
    target_mean_, target_scale_ : ndarray of shape (2,)
        Standardisation of (cos, sin) of the training angles.
    net_ : skorch.NeuralNetRegressor
        The trained net; ``net_.history`` holds the training losses.
    device_ : str
        The torch device used.

    See Also
    --------
    sciml_estimators.datasets.make_dms : The paper's DMS patterns.
    sciml_estimators.metrics.angular_error : The error measured on the circle.

    References
    ----------
    .. [1] T. Hey, K. Butler, S. Jackson, J. Thiyagalingam, "Machine learning
       and big scientific data", Phil. Trans. R. Soc. A 378 (2020) 20190054.

    Examples
    --------
    >>> from sciml_estimators import DMSAngleRegressor
    >>> from sciml_estimators.datasets import make_dms
    >>> X, psi = make_dms(60, random_state=0, return_X_y=True)
    >>> reg = DMSAngleRegressor(max_epochs=2, random_state=0).fit(X[:50], psi[:50])
    >>> angles = reg.predict(X[50:])
    >>> bool(((angles >= 0) & (angles < 90)).all())
    True
    """

    _parameter_constraints = {
        **NetworkRegressor._parameter_constraints,
        "period": [Number(Real, 0, None, closed="neither")],
    }
    _module = DMSCNN
    _multi_output = False

    def __init__(self, *, period=90.0, lr=1e-3, max_epochs=20, batch_size=32,
                 predict_batch_size=128, device="cpu", random_state=None, verbose=0):
        self.period = period
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def _encode_targets(self, y):
        phase = 2.0 * np.pi * y[:, 0] / self.period
        return np.column_stack([np.cos(phase), np.sin(phase)])

    def predict(self, X):
        """Predict psi in degrees, in [0, period).

        Parameters
        ----------
        X : array-like of shape (n_samples, height, width) or (n_samples, channels, height, width)
            Patterns of the shape seen in ``fit``.

        Returns
        -------
        psi : ndarray of shape (n_samples,)
            Predicted angles in degrees.
        """
        cos, sin = self._unstandardise(self._network_output(X)).T
        return np.mod(np.arctan2(sin, cos) * self.period / (2.0 * np.pi), self.period)

    def score(self, X, y, sample_weight=None):
        """R^2 on the circle: 1 - sum d(y, y_pred)^2 / sum d(y, circular mean of y)^2.

        ``d`` is the shortest angular distance modulo ``period``; without
        wrap-around this is the usual R^2.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Patterns.
        y : array-like of shape (n_samples,)
            True angles in degrees.
        sample_weight : array-like of shape (n_samples,), default=None
            Weights of the samples.

        Returns
        -------
        score : float
            1 for perfect predictions, 0 for predicting the circular mean.
        """
        y = np.asarray(y, dtype=np.float64).reshape(-1)
        phase = 2.0 * np.pi * y / self.period
        mean = np.mod(np.arctan2(np.sin(phase).mean(), np.cos(phase).mean())
                      * self.period / (2.0 * np.pi), self.period)
        error = np.average(angular_distance(y, self.predict(X), self.period) ** 2,
                           weights=sample_weight)
        spread = np.average(angular_distance(y, mean, self.period) ** 2, weights=sample_weight)
        return 1.0 - error / spread if spread > 0 else float(error == 0)

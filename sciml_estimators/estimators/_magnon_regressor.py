"""The magnon reference regressor: the paper's CNN for (J, J') as a scikit-learn estimator."""

from numbers import Real

from .._framework import Number
from ..models import MagnonCNN
from ._base import MeanVarianceMixin, NetworkRegressor
from ._inputs import ImageInputMixin


class MagnonCouplingRegressor(MeanVarianceMixin, ImageInputMixin, NetworkRegressor):
    """Regress the exchange couplings (J, J') from magnon images with the paper's CNN.

    Takes images such as :func:`~sciml_estimators.datasets.make_magnons`'s
    128 x 128 momentum-energy slices, of shape (n, height, width) or
    (n, channels, height, width). ``fit`` learns the preprocessing
    (``arcsinh(I / s)`` with ``s`` 1% of the bright level, then
    standardisation per channel) and standardises each target, then trains
    the paper's network (conv 32, 64, 32, 16, each 3x3 with 2x2 max-pool and
    ReLU, flatten, dense linear) with Adam through a skorch net.

    Beyond the paper, ``predict(X, return_std=True)`` gives each prediction a
    standard deviation: the dense layer has a log-variance beside each mean,
    trained by Gaussian likelihood without pulling the means (which see only
    the squared error, as in the paper), then scaled on the
    ``validation_fraction`` of the training set held out of training so that
    held-out errors have unit mean square z-score. One network instead of a
    deep ensemble: on 2 CPU cores one training at the paper's scale takes
    about half an hour, and an ensemble would multiply that.

    Parameters
    ----------
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=20
        Passes over the training part.
    batch_size : int, default=32
        Training mini-batch size.
    predict_batch_size : int, default=128
        Batch size of ``predict`` (and of the calibration pass).
    validation_fraction : float, default=0.1
        Fraction of the samples held out of training to calibrate the
        uncertainty, in [0, 1); 0 leaves the learnt variances unscaled.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where to train and predict. ``"auto"`` picks CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds the held-out split, the weight initialisation and the
        shuffling. The same seed and data give the same fitted model on the
        CPU.
    verbose : int, default=0
        If positive, show a progress bar over the training epochs.

    Attributes
    ----------
    n_features_in_ : int
        Size of the second axis of ``X`` (scikit-learn's convention).
    image_shape_ : tuple of int
        (channels, height, width) of the training images.
    n_targets_ : int
        Number of targets (2 for (J, J')).
    intensity_scale_ : float
        The ``s`` of the ``arcsinh`` transform.
    channel_mean_, channel_scale_ : ndarray of shape (channels,)
        Standardisation of the transformed intensities.
    target_mean_, target_scale_ : ndarray of shape (n_targets_,)
        Standardisation of the targets.
    uncertainty_calibration_ : ndarray of shape (n_targets_,)
        Factor applied to the learnt standard deviations (1 without a
        held-out part).
    net_ : skorch.NeuralNetRegressor
        The trained net; ``net_.history`` holds the training losses.
    device_ : str
        The torch device used.

    See Also
    --------
    sciml_estimators.datasets.make_magnons : The paper's magnon images.

    References
    ----------
    .. [1] T. Hey, K. Butler, S. Jackson, J. Thiyagalingam, "Machine learning
       and big scientific data", Phil. Trans. R. Soc. A 378 (2020) 20190054.

    Examples
    --------
    >>> from sciml_estimators import MagnonCouplingRegressor
    >>> from sciml_estimators.datasets import make_magnons
    >>> X, y = make_magnons(60, random_state=0, return_X_y=True)
    >>> reg = MagnonCouplingRegressor(max_epochs=2, random_state=0).fit(X[:50], y[:50])
    >>> y_pred, y_std = reg.predict(X[50:], return_std=True)
    >>> y_pred.shape, y_std.shape
    ((10, 2), (10, 2))
    """

    _parameter_constraints = {
        **NetworkRegressor._parameter_constraints,
        "validation_fraction": [Number(Real, 0, 1, closed="left")],
    }
    _module = MagnonCNN

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
        y_pred, y_std = self._mean_and_std(self._network_output(X))
        if self._single_target:
            y_pred, y_std = y_pred[:, 0], y_std[:, 0]
        return (y_pred, y_std) if return_std else y_pred

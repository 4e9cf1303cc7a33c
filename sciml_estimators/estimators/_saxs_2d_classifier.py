"""A small CNN that classifies particle shape from 2-D SAXS patterns."""

from ..models import SAXS2DCNN
from ._base import NetworkClassifier
from ._inputs import ImageInputMixin


class SAXS2DClassifier(ImageInputMixin, NetworkClassifier):
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
        The trained net (see ``_engine._torch_support.DirectStepMixin``);
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

    _module = SAXS2DCNN

    def __init__(self, *, lr=1e-3, max_epochs=20, batch_size=32, predict_batch_size=256,
                 device="cpu", random_state=None, verbose=0):
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

"""The Sentinel-SLSTR reference classifier: the paper's per-pixel MLP as an estimator."""

from numbers import Integral

from .._framework import Number
from ..models import MLP
from ._base import NetworkClassifier
from ._inputs import PixelInputMixin


class CloudMaskClassifier(PixelInputMixin, NetworkClassifier):
    """Label every pixel cloud or clear from its channels with the paper's MLP.

    The baseline of the Sentinel-SLSTR benchmark: each pixel's channels
    (S1-S9 for SLSTR: six reflectances and three brightness temperatures),
    standardised per channel, go through ``n_channels -> hidden_units ReLU
    -> 1 sigmoid`` (softmax over the classes when there are more than two),
    trained with Adam on the binary cross-entropy through a skorch net. The
    pixel is the sample; neighbours play no part (see
    :class:`CloudMaskSegmenter` for a network that sees them).

    Two input layouts, for ``fit`` and for every prediction method:

    - pixel rows, shape (n_pixels, n_channels), with labels (n_pixels,), as
      any scikit-learn classifier;
    - scenes, shape (n_scenes, n_channels, height, width), as
      :func:`~sciml_estimators.datasets.make_slstr_scenes` and the SLSTR
      loaders return them, with masks (n_scenes, height, width). Answers come
      back per scene: probabilities (n_scenes, height, width, n_classes) and
      masked label arrays (n_scenes, height, width). Pixels with a non-finite
      channel (NaN brightness temperatures at a real swath's edges) are left
      out of ``fit`` and masked in the answers.

    Training batches are slices of one pixel tensor (no per-pixel Python
    objects): the fit costs about what a hand-written PyTorch loop costs (the
    ratio is measured in asv and in ``docs/performance.md``).

    Parameters
    ----------
    hidden_units : int, default=50
        Width of the hidden layer (50 in the paper).
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=5
        Passes over the training pixels (the paper's 800 scenes of 250x250
        are 50 million pixels an epoch).
    batch_size : int, default=1024
        Pixels per training step.
    predict_batch_size : int, default=65536
        Pixels per forward pass of the prediction methods.
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
        Labels seen in ``fit`` (0 clear and 1 cloud for the SLSTR masks).
    n_features_in_ : int
        Number of channels.
    channel_mean_ : ndarray of shape (n_features_in_,)
        Mean of each channel over the training pixels.
    channel_scale_ : ndarray of shape (n_features_in_,)
        Their standard deviation (1 where constant).
    net_ : skorch.NeuralNetBinaryClassifier or skorch.NeuralNetClassifier
        The trained net; ``net_.history`` holds the training losses.
    device_ : str
        The torch device used.

    See Also
    --------
    sciml_estimators.datasets.make_slstr_scenes : The synthetic scenes.
    BayesianCloudMask : The physics baseline that labels them.

    References
    ----------
    .. [1] T. Hey, K. Butler, S. Jackson, J. Thiyagalingam, "Machine learning
       and big scientific data", Phil. Trans. R. Soc. A 378 (2020) 20190054,
       Example 2: Sentinel cloud masking.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators import CloudMaskClassifier
    >>> rng = np.random.RandomState(0)
    >>> scenes = rng.normal(size=(4, 3, 16, 16)).astype(np.float32)
    >>> masks = (scenes[:, 0] + scenes[:, 1] > 0).astype(np.uint8)
    >>> clf = CloudMaskClassifier(max_epochs=20, batch_size=64, random_state=0)
    >>> clf = clf.fit(scenes, masks)
    >>> clf.predict(scenes).shape
    (4, 16, 16)
    >>> clf.score(scenes, masks) > 0.95
    True
    """

    _parameter_constraints = {
        **NetworkClassifier._parameter_constraints,
        "hidden_units": [Number(Integral, 1, None, closed="left")],
    }
    _module = MLP

    def __init__(
        self,
        *,
        hidden_units=50,
        lr=1e-3,
        max_epochs=5,
        batch_size=1024,
        predict_batch_size=65536,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.hidden_units = hidden_units
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

"""The cloud-mask U-Net: every pixel of a scene labelled from its neighbourhood."""

from ._segmenter import NetworkSegmenter


class CloudMaskSegmenter(NetworkSegmenter):
    """Label every pixel of SLSTR scenes (cloud / clear) with a small U-Net.

    Takes scenes of shape (n_scenes, n_channels, height, width), e.g. the
    nine SLSTR channels S1-S9, with one mask of shape (height, width) per
    scene. Unlike a per-pixel classifier, the network sees each pixel's
    neighbourhood (about 90 pixels across at ``depth=3``), so texture and
    cloud edges count. ``fit`` learns a standardisation per channel over the
    finite pixels and trains a :class:`~sciml_estimators.models.UNet`
    (Ronneberger et al. [1]_, the model family of STFC's later cloud-masking
    benchmark) with Adam through a skorch net: a sigmoid output and binary
    cross-entropy for two classes, softmax and cross-entropy for more. Each
    epoch draws ``patches_per_scene`` random ``patch_size`` crops from every
    training scene; scenes no larger than a patch are used whole, once per
    epoch. Inference runs on whole scenes, mirrored at the edges up to a
    multiple of ``2**depth`` pixels (edge pixels repeated where a scene is
    too small to mirror) and cropped back; whole scenes smaller than a patch
    are padded the same way in training.

    A pixel with a non-finite channel (SLSTR's swath edges) is set to 0 after
    standardisation, left out of the loss, and has NaN probabilities and a
    masked label in predictions. Pixel rows of shape (n_pixels, n_channels)
    with labels (n_pixels,) are accepted too, as scikit-learn's estimator
    checks feed them: each row is then a 1 x 1 scene, so the network sees no
    neighbours and is a per-pixel classifier, slower than an MLP. Rows must
    be finite.

    Parameters
    ----------
    architecture : {"unet"}, default="unet"
        The network (see ``ARCHITECTURES`` in ``estimators._segmenter``):
        the U-Net of :class:`~sciml_estimators.models.UNet`.
    width : int, default=16
        Filters of the U-Net's first level, doubled at each level down.
    depth : int, default=3
        Number of the U-Net's 2x2 poolings; at most ``log2(patch_size)``.
    patch_size : int, default=64
        Height and width of the training crops (STFC's benchmark used 256 on
        GPUs; with 64, training takes 10-20 ms per patch of 9 channels on one
        CPU thread).
    patches_per_scene : int or None, default=None
        Crops drawn from each training scene per epoch. None draws as many
        as cover the scene's area once (``ceil(height * width /
        patch_size**2)``), so that an epoch sees about as many pixels as the
        scenes hold.
    lr : float, default=1e-3
        Adam learning rate.
    max_epochs : int, default=10
        Number of epochs.
    batch_size : int, default=16
        Patches (or whole small scenes) per training step.
    predict_batch_size : int, default=8
        Whole scenes per forward pass in ``predict_proba`` and ``predict``;
        scenes smaller than a patch (pixel rows among them) go as many at a
        time as hold the pixels of ``predict_batch_size`` patches.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where to train and predict. ``"auto"`` picks CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation and the crops. The same seed and data
        give the same fitted model on the CPU.
    verbose : int, default=0
        If positive, show a progress bar over the training epochs.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit`` (e.g. ``[False, True]`` for boolean masks).
    n_features_in_ : int
        Number of channels.
    channel_mean_ : ndarray of shape (n_features_in_,)
        Mean of each channel over the finite training pixels.
    channel_scale_ : ndarray of shape (n_features_in_,)
        Their standard deviation (1 where constant).
    net_ : skorch.NeuralNet
        The trained net (with a leaner training step, see
        ``_engine._torch_support.DirectStepMixin``); ``net_.history`` holds the
        training losses and ``net_.module_`` the U-Net.
    device_ : str
        The torch device used.

    See Also
    --------
    sciml_estimators.models.UNet : The network.

    References
    ----------
    .. [1] O. Ronneberger, P. Fischer, T. Brox, "U-Net: Convolutional
       networks for biomedical image segmentation", MICCAI 2015, LNCS 9351,
       234-241, arXiv:1505.04597.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.estimators import CloudMaskSegmenter
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(4, 3, 16, 16)).astype(np.float32)
    >>> y = X[:, 0] > 0
    >>> seg = CloudMaskSegmenter(width=4, depth=2, max_epochs=2, random_state=0).fit(X, y)
    >>> seg.predict(X).shape, seg.predict_proba(X).shape
    ((4, 16, 16), (4, 16, 16, 2))
    """

    def __init__(
        self,
        *,
        architecture="unet",
        width=16,
        depth=3,
        patch_size=64,
        patches_per_scene=None,
        lr=1e-3,
        max_epochs=10,
        batch_size=16,
        predict_batch_size=8,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.architecture = architecture
        self.width = width
        self.depth = depth
        self.patch_size = patch_size
        self.patches_per_scene = patches_per_scene
        self.lr = lr
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.predict_batch_size = predict_batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

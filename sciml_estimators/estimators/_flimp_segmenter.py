"""The FLImP region segmenter: which pixels of a micrograph suit single-molecule imaging."""

from numbers import Integral

import numpy as np

from .._framework import Number, StrOptions
from ._segmenter import NetworkSegmenter


class FLImPRegionSegmenter(NetworkSegmenter):
    """Segment the regions of fluorescence micrographs fit for FLImP, or their cell populations.

    FLImP (fluorescence localisation imaging with photobleaching, Needham
    et al. [1]_) needs regions of a cell with separable single labelled
    receptors, away from non-specific labelling and inhomogeneous
    background; OCTOPUS automated their choice with a U-Net (Hey et al.
    2020, section 2.4). This estimator trains that network on micrographs
    and per-pixel labels: boolean "suitable" masks for the binary task, or
    population maps (0 background, 1, 2, ... one per cell population) for
    the multi-label task; ``predict_proba`` gives each pixel's class
    probabilities. It is :class:`~sciml_estimators.estimators.CloudMaskSegmenter`'s
    network and training (random crops drawn anew every epoch, a loss over
    the labelled pixels, whole images at inference, mirrored at the edges
    up to a multiple of ``2**depth``) on one channel: the micrograph, or
    the mean of a frame series.

    Inputs are single-frame micrographs of shape (n_images, height, width)
    or frame series of shape (n_images, n_frames, height, width), reduced
    to one frame by ``frames``; labels have shape (n_images, height,
    width). The standardisation is learned over the finite pixels; a
    non-finite pixel is left out of the loss and gets NaN probabilities and
    a masked label. Pixel rows of shape (n_pixels, n_features) with one
    label per row, as scikit-learn's estimator checks feed them, are taken
    as 1 x 1 images with ``n_features`` channels.

    Parameters
    ----------
    frames : "mean" or int, default="mean"
        How a frame series becomes one image: the mean over its frames
        (the most photons), or the frame of that index (0: before any
        photobleaching).
    architecture : {"unet"}, default="unet"
        The network: the U-Net of :class:`~sciml_estimators.models.UNet`.
    width : int, default=8
        Filters of the U-Net's first level, doubled at each level down (8
        for one channel: half the cloud U-Net's, and 2.4 times faster).
    depth : int, default=4
        Number of the U-Net's 2x2 poolings; at most ``log2(patch_size)``.
        At 4 a pixel's label sees about 180 pixels across (about 30 um at
        0.16 um per pixel): a whole cell, whose size and shape tell its
        population.
    patch_size : int, default=128
        Height and width of the training crops.
    patches_per_scene : int or None, default=None
        Crops drawn from each training image per epoch; None covers the
        image's area once (``ceil(height * width / patch_size**2)``).
    lr : float, default=3e-3
        Adam learning rate.
    max_epochs : int, default=20
        Number of epochs.
    batch_size : int, default=8
        Crops per training step.
    predict_batch_size : int, default=4
        Whole images per forward pass in ``predict_proba`` and ``predict``.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where to train and predict. ``"auto"`` picks CUDA when available.
    random_state : int, RandomState instance or None, default=None
        Seeds the weight initialisation and the crops. The same seed and
        data give the same fitted model on the CPU.
    verbose : int, default=0
        If positive, show a progress bar over the training epochs.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit`` (``[False, True]`` for suitability masks, the
        population indices for population maps).
    n_features_in_ : int
        Number of channels: 1 for micrographs.
    channel_mean_ : ndarray of shape (n_features_in_,)
        Mean of the finite training pixels.
    channel_scale_ : ndarray of shape (n_features_in_,)
        Their standard deviation (1 where constant).
    net_ : skorch.NeuralNet
        The trained net; ``net_.history`` holds the training losses.
    device_ : str
        The torch device used.

    See Also
    --------
    sciml_estimators.datasets.make_flimp_images : Micrographs with both targets.
    CloudMaskSegmenter : The same network on SLSTR scenes.

    References
    ----------
    .. [1] S. R. Needham et al., "Measuring EGFR separations on cells with
       ~10 nm resolution via fluorophore localization imaging with
       photobleaching", Nat. Commun. 7, 13307 (2016).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.estimators import FLImPRegionSegmenter
    >>> rng = np.random.default_rng(0)
    >>> images = rng.poisson(10.0, size=(4, 32, 32)).astype(np.float32)
    >>> images[:, 8:24, 8:24] += 20.0
    >>> masks = np.zeros((4, 32, 32), dtype=bool)
    >>> masks[:, 8:24, 8:24] = True
    >>> seg = FLImPRegionSegmenter(width=4, depth=2, patch_size=16, max_epochs=2,
    ...                            random_state=0).fit(images, masks)
    >>> seg.predict(images).shape, seg.predict_proba(images).shape
    ((4, 32, 32), (4, 32, 32, 2))
    """

    _parameter_constraints = {
        **NetworkSegmenter._parameter_constraints,
        "frames": [StrOptions({"mean"}), Number(Integral, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        frames="mean",
        architecture="unet",
        width=8,
        depth=4,
        patch_size=128,
        patches_per_scene=None,
        lr=3e-3,
        max_epochs=20,
        batch_size=8,
        predict_batch_size=4,
        device="cpu",
        random_state=None,
        verbose=0,
    ):
        self.frames = frames
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

    def fit(self, X, y):
        """Learn the standardisation and train the network.

        Parameters
        ----------
        X : array-like of shape (n_images, height, width), (n_images, n_frames, height, width) or (n_pixels, n_features)
            Micrographs, frame series, or finite pixel rows.
        y : array-like of shape (n_images, height, width) or (n_pixels,)
            One label image per micrograph (bool suitability masks or
            population maps), or one label per row.

        Returns
        -------
        self : object
            The fitted segmenter.
        """
        self._validate_params()  # frames, before it reads X
        return super().fit(self._scenes(X), y)

    def _proba(self, X, **arrays):
        return super()._proba(self._scenes(X), **arrays)

    def score(self, X, y, sample_weight=None):
        """Accuracy over the pixels (the finite ones of micrographs).

        Parameters
        ----------
        X : array-like of shape (n_images, height, width), (n_images, n_frames, height, width) or (n_pixels, n_features)
            Micrographs, frame series, or pixel rows.
        y : array-like of shape (n_images, height, width) or (n_pixels,)
            True labels.
        sample_weight : array-like of shape (n_pixels,), default=None
            Pixel-row input only.

        Returns
        -------
        score : float
            Fraction of pixels labelled correctly.
        """
        if self._scenes(X) is X:  # pixel rows
            return super().score(X, y, sample_weight=sample_weight)
        if sample_weight is not None:
            raise ValueError("sample_weight is supported for pixel rows only, not for images.")
        predicted = self.predict(X)
        valid = ~np.ma.getmaskarray(predicted)
        return float(np.mean(predicted.data[valid] == np.asarray(y)[valid]))

    def _scenes(self, X):
        """Micrographs as one-channel scenes (n, 1, height, width); pixel rows as they are."""
        ndim = np.ndim(X) if hasattr(X, "ndim") or isinstance(X, (list, tuple)) else 0
        if ndim not in (3, 4):  # rows, or what the base's validation refuses
            return X
        X = np.asarray(X)
        if ndim == 3:
            return X[:, np.newaxis]
        if self.frames == "mean":
            return X.mean(axis=1, keepdims=True, dtype=np.float64 if X.dtype == np.float64
                          else np.float32)
        if self.frames >= X.shape[1]:
            raise ValueError(
                f"frames={self.frames!r} picks no frame of series of {X.shape[1]} frames "
                f"(X of shape {X.shape}): use an index below {X.shape[1]} or 'mean'."
            )
        return X[:, self.frames : self.frames + 1]

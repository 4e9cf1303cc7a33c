"""The cloud-mask U-Net: every pixel of a scene labelled from its neighbourhood."""

import math
from numbers import Integral, Real

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.base import BaseEstimator, ClassifierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch import NeuralNet
from skorch.dataset import Dataset

from ..models import UNet
from .._engine._classifier_training import class_index
from .._engine._distributed import process_share
from .._engine._network_output import class_probabilities, inference_module
from .._engine._pixels import PixelClassifierMixin
from ..preprocessing._pixels import channel_standardisation, is_scenes, scene_rows, scene_targets
from .._engine._torch_support import (
    DEVICES,
    DirectStepMixin,
    resolve_device,
    torch_seeded,
)
from .._engine._training_settings import training_settings

#: Label of the pixels the loss ignores (non-finite channels, padding).
UNLABELLED = -1


class CloudMaskSegmenter(PixelClassifierMixin, ClassifierMixin, BaseEstimator):
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
    width : int, default=16
        Filters of the U-Net's first level, doubled at each level down.
    depth : int, default=3
        Number of the U-Net's 2x2 poolings.
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
        ``_torch_support.DirectStepMixin``); ``net_.history`` holds the
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

    _parameter_constraints = {
        "width": [Interval(Integral, 1, None, closed="left")],
        "depth": [Interval(Integral, 0, None, closed="left")],
        "patch_size": [Interval(Integral, 1, None, closed="left")],
        "patches_per_scene": [Interval(Integral, 1, None, closed="left"), None],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "predict_batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [StrOptions(set(DEVICES))],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the standardisation and train the U-Net.

        Parameters
        ----------
        X : array-like of shape (n_scenes, n_channels, height, width) or (n_pixels, n_channels)
            Scenes, channels first (non-finite values allowed), or finite
            pixel rows.
        y : array-like of shape (n_scenes, height, width) or (n_pixels,)
            One mask per scene (labels at non-finite pixels are ignored), or
            one label per row.

        Returns
        -------
        self : CloudMaskSegmenter
            The fitted segmenter.
        """
        rng = check_random_state(self.random_state)
        if is_scenes(X):
            scenes = np.asarray(X)
            _, valid = scene_rows(scenes)
            labels = scene_targets(y, scenes)[valid]
            if not valid.any():
                raise ValueError("X has no pixel whose channels are all finite; nothing to fit.")
            self.n_features_in_ = scenes.shape[1]
            if hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
        else:
            rows, labels = validate_data(self, X, y)
            scenes, valid = rows[:, :, np.newaxis, np.newaxis], np.ones(len(rows), dtype=bool)
        self.classes_, label_index = class_index(self, labels, "pixels")
        self.channel_mean_, self.channel_scale_ = channel_standardisation(scenes, valid)
        features = self._features(scenes, valid)
        targets = np.full(valid.size, UNLABELLED, dtype=np.int16 if len(self.classes_) < 2**15
                          else np.int64)
        targets[valid] = label_index
        targets = targets.reshape(scenes.shape[0], *scenes.shape[2:])

        self.device_ = resolve_device(self.device)
        binary = self.classes_.size == 2
        settings = training_settings(self, "training CloudMaskSegmenter")
        del settings["iterator_train__shuffle"]  # crops and order are always random
        settings.update(
            module__n_in=self.n_features_in_,
            module__n_out=1 if binary else self.classes_.size,
            module__width=self.width,
            module__depth=self.depth,
            criterion=MaskedPixelLoss,
            iterator_train=PatchIterator,
            iterator_train__patch_size=self.patch_size,
            iterator_train__patches_per_scene=self.patches_per_scene,
            iterator_train__multiple=2**self.depth,
        )
        self.net_ = SegmentationNet(UNet, **settings)
        with torch_seeded(rng):
            self.net_.fit(Dataset(torch.from_numpy(features), torch.from_numpy(targets)))
        return self

    def _features(self, scenes, valid):
        """Float32 standardised channels, 0 at the pixels that are not ``valid``."""
        features = np.empty(scenes.shape, dtype=np.float32)
        invalid = ~valid.reshape(scenes.shape[0], *scenes.shape[2:])
        with np.errstate(over="ignore", invalid="ignore"):
            for channel, (mean, scale) in enumerate(zip(self.channel_mean_,
                                                        self.channel_scale_)):
                np.divide(scenes[:, channel] - mean, scale, out=features[:, channel],
                          casting="same_kind")
                features[:, channel][invalid] = 0.0
        return features

    def _proba(self, X, **arrays):
        """Probabilities of the valid pixels as rows, and where they sit in the scenes.

        Returns ``(proba, None)`` for pixel rows and ``(proba, (valid, (n_scenes,
        height, width)))`` for scenes, as :class:`PixelClassifierMixin` expects.
        """
        if arrays:
            raise TypeError(
                f"CloudMaskSegmenter takes no keyword arrays; got {sorted(arrays)}."
            )
        check_is_fitted(self)
        if is_scenes(X):
            scenes = np.asarray(X)
            if scenes.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {scenes.shape[1]} channels (shape {scenes.shape}), but "
                    f"CloudMaskSegmenter was fitted on {self.n_features_in_} channels."
                )
            _, valid = scene_rows(scenes)
            scene_info = (valid, (scenes.shape[0], *scenes.shape[2:]))
        else:
            rows = validate_data(self, X, reset=False)
            scenes, valid = rows[:, :, np.newaxis, np.newaxis], np.ones(len(rows), dtype=bool)
            scene_info = None
        proba = self._scene_proba(self._features(scenes, valid))
        proba = proba.reshape(-1, proba.shape[-1])
        return (proba if scene_info is None else proba[valid]), scene_info

    def _scene_proba(self, features):
        """Class probabilities (n_scenes, height, width, n_classes) of whole scenes."""
        n_scenes, _, height, width = features.shape
        multiple = 2**self.depth
        padded_pixels = (-(-height // multiple) * multiple) * (-(-width // multiple) * multiple)
        per_batch = max(self.predict_batch_size,
                        self.predict_batch_size * self.patch_size**2 // padded_pixels)
        module = inference_module(self.net_)
        proba = np.empty((n_scenes, height, width, self.classes_.size))
        for start in range(0, n_scenes, per_batch):
            batch, (top, left) = pad_to_multiple(
                torch.from_numpy(features[start : start + per_batch]), multiple
            )
            with torch.no_grad():
                logits = module(batch.to(self.net_.device))
            logits = logits[..., top : top + height, left : left + width].cpu().numpy()
            proba[start : start + per_batch] = class_probabilities(logits, axis=1)
        return proba


class SegmentationNet(DirectStepMixin, NeuralNet):
    """skorch's plain net, whose targets are label images, with :class:`DirectStepMixin`."""


class MaskedPixelLoss(torch.nn.Module):
    """Cross-entropy averaged over the labelled pixels.

    Logits of shape (n, 1, H, W) take binary cross-entropy with a sigmoid,
    (n, n_classes, H, W) cross-entropy with a softmax; targets are class
    indices of shape (n, H, W), ``UNLABELLED`` (-1) where the loss ignores
    the pixel. 0 for a batch without labelled pixels.
    """

    def forward(self, logits, target):
        labelled = target != UNLABELLED
        index = target.clamp(min=0).long()
        if logits.shape[1] == 1:
            loss = F.binary_cross_entropy_with_logits(
                logits[:, 0], index.to(logits.dtype), reduction="none"
            )
        else:
            loss = F.cross_entropy(logits, index, reduction="none")
        return (loss * labelled).sum() / labelled.sum().clamp(min=1)


class PatchIterator:
    """Training batches of random crops of the scenes, drawn anew on every pass.

    Each pass draws ``patches_per_scene`` crops of ``patch_size`` from every
    scene (at uniformly random positions, from torch's global generator,
    seeded by :func:`torch_seeded` in ``fit``), or takes scenes no larger
    than a patch whole, once; visits them in a random order; and pads each
    batch as inference pads scenes (:func:`pad_to_multiple`, padding
    unlabelled). Crops are gathered by tensor indexing, one gather per batch.
    Used as skorch's ``iterator_train``.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset
        ``X`` the scenes, a tensor (n_scenes, n_channels, height, width);
        ``y`` their labels, a tensor (n_scenes, height, width).
    batch_size : int
        Patches per batch; the last batch may be smaller.
    patch_size : int
        Height and width of the crops (at most the scenes').
    patches_per_scene : int or None
        Crops per scene and pass; None covers the scene's area once on
        average.
    multiple : int
        Batches are padded to a multiple of this many pixels (``2**depth``).

    Notes
    -----
    Under an initialised ``torch.distributed`` process group every process
    draws the same patches and takes patches ``rank::world_size`` of each
    batch; a last batch too small for every process to get its minimum
    joins the one before. ``batch_size`` must give every process at least
    that minimum (two patches where BatchNorm sees one bottleneck pixel).
    """

    #: Each process of a ``torch.distributed`` group trains on its share of a batch.
    shares_batches = True

    def __init__(self, dataset, batch_size, patch_size, patches_per_scene, multiple):
        self.X, self.y = dataset.X, dataset.y
        n_scenes, _, height, width = self.X.shape
        self.patch_shape = (min(patch_size, height), min(patch_size, width))
        if self.patch_shape == (height, width):
            count = 1
        elif patches_per_scene is None:
            count = math.ceil(height * width / math.prod(self.patch_shape))
        else:
            count = patches_per_scene
        self.n_patches = n_scenes * count
        self.multiple = multiple
        # BatchNorm needs two values per channel: with a 1-pixel bottleneck, two patches.
        bottleneck = [-(-size // multiple) for size in self.patch_shape]
        self.batch_size = max(batch_size, 2) if bottleneck == [1, 1] else batch_size
        self.min_batch = 2 if bottleneck == [1, 1] else 1
        self.rank, self.world_size = process_share()
        if self.batch_size < self.world_size * self.min_batch:
            raise ValueError(
                f"batch_size={batch_size} cannot be shared among {self.world_size} processes "
                f"with at least {self.min_batch} patch(es) each; use batch_size >= "
                f"{self.world_size * self.min_batch}."
            )

    def __len__(self):
        return len(self._starts())

    def _starts(self):
        """First patch of every batch; a too small last batch joins the one before."""
        starts = list(range(0, self.n_patches, self.batch_size))
        if len(starts) > 1 and self.n_patches - starts[-1] < self.min_batch * self.world_size:
            starts.pop()
        return starts

    def __iter__(self):
        n_scenes, _, height, width = self.X.shape
        patch_height, patch_width = self.patch_shape
        scenes = torch.arange(n_scenes).repeat(self.n_patches // n_scenes)
        scenes = scenes[torch.randperm(self.n_patches)]
        tops = torch.randint(0, height - patch_height + 1, (self.n_patches,))
        lefts = torch.randint(0, width - patch_width + 1, (self.n_patches,))
        starts = self._starts()
        ends = starts[1:] + [self.n_patches]
        for start, end in zip(starts, ends):
            share = slice(start + self.rank, end, self.world_size)
            index = scenes[share]
            if self.patch_shape == (height, width):
                X, y = self.X[index], self.y[index]
            else:
                rows = (tops[share, None] + torch.arange(patch_height))[:, :, None]
                cols = (lefts[share, None] + torch.arange(patch_width))[:, None, :]
                y = self.y[index[:, None, None], rows, cols]
                X = self.X[index[:, None, None], :, rows, cols].permute(0, 3, 1, 2)
            X, (top, left) = pad_to_multiple(X, self.multiple)
            if X.shape[-2:] != y.shape[-2:]:
                padded = torch.full((len(y), *X.shape[-2:]), UNLABELLED, dtype=y.dtype)
                padded[:, top : top + y.shape[1], left : left + y.shape[2]] = y
                y = padded
            yield X, y


def pad_to_multiple(X, multiple):
    """Pad images (n, C, H, W) on all sides to a multiple of ``multiple`` pixels.

    The padding mirrors the image (``"reflect"``), or repeats its edge
    (``"replicate"``) where the image is too small to mirror.

    Returns
    -------
    padded : torch.Tensor
        The padded images.
    offset : tuple of int
        (top, left): where the original images start in ``padded``.
    """
    height, width = X.shape[-2:]
    pad_height, pad_width = -height % multiple, -width % multiple
    if not (pad_height or pad_width):
        return X, (0, 0)
    top, left = pad_height // 2, pad_width // 2
    mode = "reflect" if pad_height < height and pad_width < width else "replicate"
    padding = (left, pad_width - left, top, pad_height - top)
    return F.pad(X, padding, mode=mode), (top, left)

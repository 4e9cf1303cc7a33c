"""The one base of the segmentation estimators: every pixel of a scene labelled.

:class:`NetworkSegmenter` takes scenes (n_scenes, n_channels, height, width)
with one label image each, learns a standardisation per channel over the
finite pixels, and trains the network that ``architecture`` names on random
crops (``_engine._segmentation``); inference runs on whole scenes, padded to
a multiple of the network's pooling and cropped back. Pixel rows are taken
as 1 x 1 scenes. A new segmentation network is an entry of
:data:`ARCHITECTURES` (a module taking ``n_in``, ``n_out`` and the keyword
arguments of the estimator's ``_module_parameters``).
"""

from numbers import Integral

import numpy as np
import torch
from sklearn.base import ClassifierMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.dataset import Dataset

from .._engine._classifier_training import class_index
from .._engine._network_output import class_probabilities, inference_module
from .._engine._pixels import PixelClassifierMixin
from .._engine._segmentation import (
    UNLABELLED,
    MaskedPixelLoss,
    PatchIterator,
    SegmentationNet,
    pad_to_multiple,
)
from .._engine._torch_support import resolve_device, torch_seeded
from .._engine._training_settings import training_settings
from .._framework import Number, StrOptions, fit_context
from ..models import UNet
from ..preprocessing._pixels import (
    channel_standardisation,
    is_scenes,
    scene_rows,
    scene_targets,
)
from ._base import NetworkEstimator

#: The segmentation networks, by the name ``architecture`` takes.
ARCHITECTURES = {"unet": UNet}


class NetworkSegmenter(PixelClassifierMixin, ClassifierMixin, NetworkEstimator):
    """Base of the segmentation estimators (see the module description).

    Subclasses take the parameters ``architecture``, ``width``, ``depth``,
    ``patch_size`` and ``patches_per_scene`` besides the network
    estimators' (``lr``, ``max_epochs``, ...): ``depth`` sets the padding
    multiple ``2**depth``.
    """

    _parameter_constraints = {
        **NetworkEstimator._parameter_constraints,
        "architecture": [StrOptions(set(ARCHITECTURES))],
        "width": [Number(Integral, 1, None, closed="left")],
        "depth": [Number(Integral, 0, None, closed="left")],
        "patch_size": [Number(Integral, 1, None, closed="left")],
        "patches_per_scene": [Number(Integral, 1, None, closed="left"), None],
    }

    @fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn the standardisation and train the network.

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
        self : object
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
        features = self._scene_features(scenes, valid)
        targets = np.full(valid.size, UNLABELLED, dtype=np.int16 if len(self.classes_) < 2**15
                          else np.int64)
        targets[valid] = label_index
        targets = targets.reshape(scenes.shape[0], *scenes.shape[2:])

        self.device_ = resolve_device(self.device)
        binary = self.classes_.size == 2
        settings = training_settings(self, f"training {type(self).__name__}")
        del settings["iterator_train__shuffle"]  # crops and order are always random
        settings.update(
            module__n_in=self.n_features_in_,
            module__n_out=1 if binary else self.classes_.size,
            **{f"module__{name}": value
               for name, value in self._module_parameters(scenes.shape[1:]).items()},
            criterion=MaskedPixelLoss,
            iterator_train=PatchIterator,
            iterator_train__patch_size=self.patch_size,
            iterator_train__patches_per_scene=self.patches_per_scene,
            iterator_train__multiple=self._multiple,
        )
        self.net_ = SegmentationNet(ARCHITECTURES[self.architecture], **settings)
        with torch_seeded(rng):
            self.net_.fit(Dataset(torch.from_numpy(features), torch.from_numpy(targets)))
        return self

    def _scene_features(self, scenes, valid):
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
                f"{type(self).__name__} takes no keyword arrays; got {sorted(arrays)}."
            )
        check_is_fitted(self)
        if is_scenes(X):
            scenes = np.asarray(X)
            if scenes.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {scenes.shape[1]} channels (shape {scenes.shape}), but "
                    f"{type(self).__name__} was fitted on {self.n_features_in_} channels."
                )
            _, valid = scene_rows(scenes)
            scene_info = (valid, (scenes.shape[0], *scenes.shape[2:]))
        else:
            rows = validate_data(self, X, reset=False)
            scenes, valid = rows[:, :, np.newaxis, np.newaxis], np.ones(len(rows), dtype=bool)
            scene_info = None
        proba = self._scene_proba(self._scene_features(scenes, valid))
        proba = proba.reshape(-1, proba.shape[-1])
        return (proba if scene_info is None else proba[valid]), scene_info

    def _scene_proba(self, features):
        """Class probabilities (n_scenes, height, width, n_classes) of whole scenes."""
        n_scenes, _, height, width = features.shape
        multiple = self._multiple
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

    def _module_parameters(self, shape):
        """The network's keyword arguments besides ``n_in`` and ``n_out``."""
        if 2**self.depth > self.patch_size:
            # Each level doubles the filters: a deeper U-Net also grows 4x per level
            # (depth 9 at width 16 would hold about 2e9 parameters).
            raise ValueError(
                f"depth={self.depth} halves the patch_size={self.patch_size} crops "
                f"{self.depth} times, to less than a pixel: depth must be at most "
                f"log2(patch_size) = {int(self.patch_size).bit_length() - 1}. Lower depth "
                "or raise patch_size."
            )
        return {"width": self.width, "depth": self.depth}

    @property
    def _multiple(self):
        """Scenes are padded to a multiple of this (the network's total pooling)."""
        return 2**self.depth

"""Cloud-mask inputs: pixel rows or whole scenes, and answers in the input's shape.

The cloud-mask estimators take either pixel rows, shape (n_pixels,
n_channels), as any scikit-learn classifier does, or scenes, shape
(n_scenes, n_channels, height, width), as the datasets and loaders return
them. A scene pixel with a non-finite channel (real SLSTR products have NaN
brightness temperatures at the swath edges) has no answer: ``fit`` leaves it
out, and predictions mark it (NaN probabilities, masked labels).
"""

import numpy as np
from sklearn.metrics import accuracy_score
from sklearn.utils.validation import check_is_fitted, validate_data

from ..preprocessing._pixels import SCENE_NDIM, is_scenes, scene_rows, scene_targets
from ._streaming import blockwise_on_disk


def fit_rows(estimator, X, y, **arrays):
    """Validated training rows and labels, from pixel rows or scenes.

    Scene pixels with a non-finite channel are left out. Sets the
    estimator's ``n_features_in_`` (the channel count). Keyword arrays shaped
    like ``X`` (``None`` for absent ones) are cut into the same rows.

    Returns
    -------
    rows : ndarray of shape (n_rows, n_channels)
    labels : ndarray of shape (n_rows,)
    row_arrays : dict of ndarray
        Only with keyword arrays: the present ones as rows.
    """
    row_arrays = _as_rows(arrays, X)
    from_scenes = is_scenes(X)
    if from_scenes:
        scenes = np.asarray(X)
        rows, valid = scene_rows(scenes)
        labels = scene_targets(y, scenes)
        if not valid.any():
            raise ValueError("X has no pixel whose channels are all finite; nothing to fit.")
        X, y = rows, labels
        if not valid.all():
            X, y = rows[valid], labels[valid]
            row_arrays = {key: value[valid] for key, value in row_arrays.items()}
    # Scene rows left are finite (scene_rows checked): no second pass.
    rows, labels = validate_data(estimator, X, y, ensure_all_finite=not from_scenes)
    return (rows, labels, row_arrays) if arrays else (rows, labels)


class PixelClassifierMixin:
    """``predict_proba``, ``predict`` and ``score`` for pixel rows or scenes.

    The class defines ``_rows_proba(rows, **row_arrays)``: class probabilities
    of validated pixel rows, columns in the order of ``classes_``. Keyword
    arrays shaped like ``X`` (e.g. a clear-sky simulation) are cut into rows
    the same way.
    """

    def _proba(self, X, **arrays):
        check_is_fitted(self)
        if not is_scenes(X):
            rows = validate_data(self, X, reset=False)
            return self._rows_proba(rows, **_as_rows(arrays, X)), None
        scenes = np.asarray(X)
        rows, valid = scene_rows(scenes)
        if not valid.all():
            rows = rows[valid]
        # The rows left are finite (scene_rows checked): no second pass.
        rows = validate_data(self, rows, reset=False, ensure_all_finite=False)
        row_arrays = _as_rows(arrays, scenes)
        if not valid.all():
            row_arrays = {key: value[valid] for key, value in row_arrays.items()}
        proba = self._rows_proba(rows, **row_arrays)
        shape = (scenes.shape[0], *scenes.shape[2:])
        return proba, (valid, shape)

    @blockwise_on_disk
    def predict_proba(self, X, **arrays):
        """Class probabilities of every pixel.

        Parameters
        ----------
        X : array-like of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
            Pixel rows or scenes, channels as in ``fit``.

        Returns
        -------
        proba : ndarray of shape (n_pixels, n_classes) or (n_scenes, height, width, n_classes)
            Probability of each class, in the order of ``classes_``; NaN for
            scene pixels with a non-finite channel.
        """
        proba, scene = self._proba(X, **arrays)
        if scene is None:
            return proba
        valid, shape = scene
        if not valid.all():
            full = np.full((valid.size, proba.shape[1]), np.nan)
            full[valid] = proba
            proba = full
        return proba.reshape(*shape, proba.shape[1])

    @blockwise_on_disk
    def predict(self, X, **arrays):
        """The most probable class of every pixel.

        Parameters
        ----------
        X : array-like of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
            Pixel rows or scenes, channels as in ``fit``.

        Returns
        -------
        y_pred : ndarray of shape (n_pixels,) or masked array of shape (n_scenes, height, width)
            Labels from ``classes_``. For scenes, a :class:`numpy.ma.MaskedArray`
            masked where a pixel has a non-finite channel (nothing masked
            otherwise), which matplotlib draws as blank.
        """
        proba, scene = self._proba(X, **arrays)
        labels = self.classes_[np.argmax(proba, axis=1)]
        if scene is None:
            return labels
        valid, shape = scene
        full = np.empty(valid.size, dtype=self.classes_.dtype)
        full[valid] = labels
        full[~valid] = self.classes_[0]
        return np.ma.MaskedArray(full.reshape(shape), mask=~valid.reshape(shape))

    def score(self, X, y, sample_weight=None, **arrays):
        """Accuracy over pixels; for scenes, over the pixels whose channels are finite.

        Parameters
        ----------
        X : array-like of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
            Pixel rows or scenes.
        y : array-like of shape (n_pixels,) or (n_scenes, height, width)
            True labels or masks.
        sample_weight : array-like of shape (n_pixels,), default=None
            Pixel-row input only.

        Returns
        -------
        score : float
            Fraction of pixels labelled correctly.
        """
        if not is_scenes(X):
            return accuracy_score(y, self.predict(X, **arrays), sample_weight=sample_weight)
        if sample_weight is not None:
            raise ValueError("sample_weight is supported for pixel rows only, not for scenes.")
        predicted = self.predict(X, **arrays)
        labels = scene_targets(y, X)
        valid = ~np.ma.getmaskarray(predicted).reshape(-1)
        return accuracy_score(labels[valid], predicted.data.reshape(-1)[valid])


def _as_rows(arrays, X):
    """Keyword arrays shaped like ``X``, as pixel rows (scenes) or as they are (rows)."""
    rows = {}
    for key, value in arrays.items():
        if value is None:
            continue
        value = np.asarray(value)
        if value.shape != np.shape(X):
            raise ValueError(f"{key} must have the shape of X, {np.shape(X)}; got {value.shape}.")
        rows[key] = scene_rows(value, key)[0] if value.ndim == SCENE_NDIM else value
    return rows

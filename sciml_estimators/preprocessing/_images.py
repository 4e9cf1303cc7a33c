"""Image inputs of the CNN estimators: shapes, finiteness and the intensity features."""

from functools import partial

import numpy as np

from ._blocks import (
    FeatureRows,
    feature_moments,
    is_on_disk,
    row_blocks,
    strided_values,
)
from ._intensity import out_of_range_message, standardise, transform_intensities

#: Values sampled (evenly strided, so deterministic) to estimate the scale.
_SCALE_SAMPLE = 1_000_000


def image_shape(shape):
    """(channels, height, width) of the images in an array of ``shape``.

    2-D input is rows of features, taken as images one pixel high (so that
    tabular data, e.g. scikit-learn's estimator checks, still runs); 3-D input
    is single-channel images; 4-D input is multi-channel images.

    Raises
    ------
    ValueError
        If ``shape`` has fewer than 2 or more than 4 dimensions.
    """
    if len(shape) == 2:
        return (1, 1, shape[1])
    if len(shape) == 3:
        return (1, *shape[1:])
    if len(shape) == 4:
        return tuple(shape[1:])
    raise ValueError(
        "X must hold images of shape (n_images, height, width) or (n_images, channels, "
        f"height, width) (or rows of shape (n_samples, n_features)); got {len(shape)} "
        f"dimensions with shape {tuple(shape)}."
    )


def as_images(X):
    """View ``X`` as (n_images, channels, height, width); see :func:`image_shape`."""
    return X.reshape(len(X), *image_shape(X.shape))


def as_fitted_layout(X, expected, layout):
    """``X`` reshaped to the array layout seen in ``fit``, if it holds the same images.

    Images of (channels, height, width) = ``expected`` may come as (n, H, W)
    or (n, 1, H, W) whatever ``fit`` saw; rows (2-D) are left to
    scikit-learn's feature-count check when ``fit`` saw rows too.

    Raises
    ------
    ValueError
        If ``X`` holds images of another shape or channel count, or rows when
        ``fit`` saw images more than one pixel high.
    """
    if not hasattr(X, "shape"):
        X = np.asarray(X)
    shape = X.shape
    fitted_on_rows = tuple(expected[:2]) == (1, 1)
    if len(shape) < 2 or (len(shape) == 2 and fitted_on_rows):
        return X
    found = image_shape(shape)
    if found != tuple(expected):
        raise ValueError(
            f"X holds images of (channels, height, width) = {found}, but the estimator was "
            f"fitted on {tuple(expected)}; simulate or bin the images the same way as the "
            "training set."
        )
    return X.reshape(shape[0], *layout)


def image_intensity_scale(images):
    """The intensity that the ``asinh`` transform maps to about 1: 1% of the bright level.

    The bright level is the 99th percentile of the finite magnitudes seen in
    ``fit`` (at most 1,000,000 evenly strided values), so ``arcsinh(I / s)`` is
    logarithmic over the two decades below the brightest pixels and linear
    in the faint tails, whose structure carries no information the peaks do
    not. 1.0 when all values are zero.
    """
    # From the float32 values the features are computed from, so float32 and
    # float64 copies of the same images get the same scale; values float32 cannot
    # hold (beyond its normal range) are taken as they are.
    values = np.abs(strided_values(images, _SCALE_SAMPLE)).astype(np.float64)
    values = values[np.isfinite(values)]
    info = np.finfo(np.float32)
    in_range = (values >= info.tiny) & (values <= info.max)
    values[in_range] = values[in_range].astype(np.float32)
    bright = float(np.percentile(values, 99)) if values.size else 0.0
    return 0.01 * bright if bright > 0 else 1.0


def fit_image_features(images):
    """Learn the transform's scale and per-channel standardisation; return the features too.

    ``images`` may be an on-disk array of images in any layout
    :func:`image_shape` accepts: it is read block by block, and its features
    come back as a :class:`~._blocks.FeatureRows` that computes them batch
    by batch, with the statistics of the same array in memory, bit for bit.

    Returns
    -------
    features : ndarray of float32 of shape (n_images, channels, height, width), or FeatureRows
        ``arcsinh(I / scale)``, standardised per channel.
    scale : float
        See :func:`image_intensity_scale`.
    mean, std : ndarray of shape (channels,)
        The per-channel standardisation (std 1 where constant).

    Raises
    ------
    ValueError
        As :func:`image_features`.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        scale = image_intensity_scale(images)
        if is_on_disk(images):
            blocks = (_checked_features(as_images(block), scale, start)
                      for start, block in row_blocks(images))
            mean, std = feature_moments(_channel_columns(block) for block in blocks)
            prepare = partial(_image_features_of_rows, scale=scale, mean=mean, std=std)
            return FeatureRows(images, prepare), scale, mean, std
        features = transform_intensities(images, "asinh", scale)
        mean, std = feature_moments(_channel_columns(block) for _, block in row_blocks(features))
    _standardise_channels(features, mean, std)
    _check_finite(images, features)
    return features, scale, mean, std


def _channel_columns(features):
    """(n_images * height * width, channels) values of (n_images, channels, height, width)."""
    return features.transpose(0, 2, 3, 1).reshape(-1, features.shape[1])


def _checked_features(images, scale, first_image):
    with np.errstate(invalid="ignore", over="ignore"):
        features = transform_intensities(images, "asinh", scale)
    _check_finite(images, features, first_image)
    return features


def _image_features_of_rows(rows, scale, mean, std):
    """:func:`image_features` of raw rows of an on-disk array, in any accepted layout."""
    return image_features(as_images(rows), scale, mean, std)


def image_features(images, scale, mean, std):
    """Float32 ``arcsinh(I / scale)``, standardised per channel with ``mean`` and ``std``.

    Raises
    ------
    ValueError
        If an image holds NaN or infinity (naming the first such image).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        features = transform_intensities(images, "asinh", scale)
        _standardise_channels(features, mean, std)
    _check_finite(images, features)
    return features


def _standardise_channels(features, mean, std):
    """Standardise (n_images, channels, height, width) ``features`` in place, per channel.

    By broadcasting over the array itself, never a reshaped view of it: a
    reshape copies a non-contiguous array, and the copy would be standardised
    instead.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        standardise(features, mean[:, None, None], std[:, None, None])


def _check_finite(images, features, first_image=0):
    if np.isfinite(features.sum(dtype=np.float64)):
        return
    bad = np.flatnonzero(~np.isfinite(images.reshape(len(images), -1)).all(axis=1))
    if not bad.size:
        raise ValueError(out_of_range_message(images, features.dtype))
    raise ValueError(
        f"X contains NaN or infinity: image {first_image + bad[0]} is the first bad one. "
        "Intensities must be finite; drop or repair those images (mask unmeasured pixels "
        "with 0)."
    )

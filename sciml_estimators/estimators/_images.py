"""Image inputs of the CNN estimators: shapes, finiteness and the intensity features."""

import numpy as np

from ._intensity import standardise, transform_intensities

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
    scikit-learn's feature-count check.

    Raises
    ------
    ValueError
        If ``X`` holds images of another shape or channel count.
    """
    if not hasattr(X, "shape"):
        X = np.asarray(X)
    shape = X.shape
    if len(shape) < 3:
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

    The bright level is the 99th percentile of the magnitudes seen in ``fit``
    (at most 1,000,000 evenly strided values), so ``arcsinh(I / s)`` is
    logarithmic over the two decades below the brightest pixels and linear
    in the faint tails, whose structure carries no information the peaks do
    not. 1.0 when all values are zero.
    """
    values = np.abs(images.ravel()[:: max(1, images.size // _SCALE_SAMPLE)])
    bright = float(np.percentile(values, 99))
    return 0.01 * bright if bright > 0 else 1.0


def fit_image_features(images):
    """Learn the transform's scale and per-channel standardisation; return the features too.

    Returns
    -------
    features : ndarray of float32, the shape of ``images``
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
        features = transform_intensities(images, "asinh", scale)
        per_channel = features.transpose(1, 0, 2, 3).reshape(images.shape[1], -1)
        mean = per_channel.mean(axis=1, dtype=np.float64)
        std = per_channel.std(axis=1, dtype=np.float64)
    std[~(std > 0)] = 1.0
    _standardise_channels(features, mean, std)
    _check_finite(images, features)
    return features, scale, mean, std


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
    with np.errstate(invalid="ignore", over="ignore"):
        standardise(features.reshape(len(features), len(mean), -1).transpose(0, 2, 1),
                    mean, std)


def _check_finite(images, features):
    if np.isfinite(features.sum()):
        return
    bad = np.flatnonzero(~np.isfinite(images.reshape(len(images), -1)).all(axis=1))
    where = (f"image {bad[0]} is the first bad one" if bad.size
             else "an intensity is too large for float32")
    raise ValueError(
        f"X contains NaN or infinity: {where}. Intensities must be finite; drop or "
        "repair those images (mask unmeasured pixels with 0)."
    )

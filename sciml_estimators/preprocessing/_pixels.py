"""Cloud-mask inputs: pixel rows or whole scenes (NumPy only).

Cloud masking takes either pixel rows, shape (n_pixels, n_channels), as any
scikit-learn classifier does, or scenes, shape (n_scenes, n_channels, height,
width), as the datasets and loaders return them. A scene pixel with a
non-finite channel (real SLSTR products have NaN brightness temperatures at
the swath edges) has no answer (see :func:`scene_rows`).
"""

import numpy as np

SCENE_NDIM = 4


def is_scenes(X):
    """Whether ``X`` holds scenes (4-D) rather than pixel rows.

    Raises
    ------
    ValueError
        For 3-D input, which is neither.
    """
    ndim = np.ndim(X) if hasattr(X, "ndim") or isinstance(X, (list, tuple)) else 0
    if ndim == 3:
        raise ValueError(
            "X must be pixel rows of shape (n_pixels, n_channels) or scenes of shape "
            f"(n_scenes, n_channels, height, width); got 3 dimensions with shape "
            f"{np.shape(X)}. Add the channel axis: X[:, np.newaxis] for one channel."
        )
    return ndim == SCENE_NDIM


def scene_rows(scenes, name="X"):
    """Pixel rows of ``scenes`` and which of them are finite.

    Parameters
    ----------
    scenes : array-like of shape (n_scenes, n_channels, height, width)
        Scenes, channels first.
    name : str, default="X"
        How error messages call the array.

    Returns
    -------
    rows : ndarray of shape (n_scenes * height * width, n_channels)
        One row per pixel, scene by scene and row by row.
    valid : ndarray of shape (n_scenes * height * width,)
        True where every channel of the pixel is finite.
    """
    scenes = np.asarray(scenes)
    if not np.issubdtype(scenes.dtype, np.number):
        raise ValueError(f"{name} must hold numbers; got dtype {scenes.dtype}.")
    if min(scenes.shape) == 0:
        raise ValueError(
            f"{name} holds no pixels: shape {scenes.shape} (n_scenes, n_channels, height, width)."
        )
    rows = np.moveaxis(scenes, 1, -1).reshape(-1, scenes.shape[1])
    # A finite row sum means finite channels: one pass instead of n_channels.
    # Where the sum is not finite (a NaN, or an overflow), look channel by channel.
    with np.errstate(over="ignore", invalid="ignore"):
        valid = np.isfinite(rows.sum(axis=1))
    if not valid.all():
        valid = np.isfinite(rows).all(axis=1)
    return rows, valid


def scene_targets(y, scenes):
    """The masks ``y`` of ``scenes`` as one label per pixel row.

    Raises
    ------
    ValueError
        If ``y`` is not one (height, width) mask per scene.
    """
    y = np.asarray(y)
    expected = (scenes.shape[0], *scenes.shape[2:])
    if y.shape != expected:
        raise ValueError(
            f"y must hold one mask per scene, shape (n_scenes, height, width) = {expected} "
            f"for X of shape {scenes.shape}; got shape {y.shape}."
        )
    return y.reshape(-1)


def channel_standardisation(X, valid=None):
    """Mean and standard deviation of each channel, accumulated in float64.

    Parameters
    ----------
    X : ndarray of shape (n_pixels, n_channels) or (n_scenes, n_channels, height, width)
        Pixel rows or scenes.
    valid : ndarray of shape (n_pixels,) or (n_scenes * height * width,), default=None
        The pixels to use (see :func:`scene_rows`); None for all.

    Returns
    -------
    mean, scale : ndarray of shape (n_channels,)
        Channels that are constant (or not finite) get scale 1.
    """
    n_channels = X.shape[1]
    mean, scale = np.empty(n_channels), np.empty(n_channels)
    every_pixel = valid is None or valid.all()
    with np.errstate(over="ignore", invalid="ignore"):
        for channel in range(n_channels):
            values = X[:, channel].reshape(-1)
            if not every_pixel:
                values = values[valid]
            mean[channel] = values.mean(dtype=np.float64)
            scale[channel] = values.std(dtype=np.float64)
    scale[~(np.isfinite(scale) & (scale > 0))] = 1.0
    return mean, scale

"""Input checks and the intensity features shared by the scattering estimators.

Features are computed in float32, in place, because the networks run in
float32 and the transform of a large batch otherwise costs as much as the
network's forward pass.
"""

from functools import partial

import numpy as np

from ._blocks import (
    FeatureRows,
    feature_moments,
    is_on_disk,
    row_blocks,
    strided_values,
)
from ._profile_scale import divide_by_profile_level

INTENSITY_TRANSFORMS = ("asinh", "log", "none")

#: Values sampled (evenly strided, so deterministic) to estimate the scale.
_SCALE_SAMPLE = 100_000


def check_finite(X, features, first_row=0):
    """Raise a ValueError naming the first row of ``X`` with NaN or infinity.

    Checks the ``features`` computed from ``X`` first: their (float64) sum is
    finite only if every one is, which costs one pass over float32 data
    instead of two over the float64 input. ``first_row`` is the number of
    ``X``'s first row in the error (``X`` may be a block of a larger set).
    """
    if np.isfinite(features.sum(dtype=np.float64)):
        return
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"Input X contains NaN or infinity: row {first_row + row} is the first bad row "
            f"(column {col} holds {X[row, col]}). Intensities must be finite; drop "
            "or repair those profiles."
        )
    raise ValueError(out_of_range_message(X, features.dtype))


def out_of_range_message(X, dtype):
    """Why finite ``X`` gave non-finite ``dtype`` features: its magnitudes, and the fix."""
    magnitudes = np.abs(X[X != 0])
    span = (f"from {magnitudes.min():.3g} to {magnitudes.max():.3g}" if magnitudes.size
            else "all zero")
    info = np.finfo(dtype)
    return (
        f"Input X holds finite intensities (non-zero magnitudes {span}) whose features "
        f"leave the range of {info.dtype} ({info.tiny:.3g} to {info.max:.3g}); rescale "
        "them (e.g. to 1/cm), or use intensity_transform='asinh', which is scale-free."
    )


def intensity_scale(X, transform, normalise=False):
    """The intensity that the ``"asinh"`` transform maps to about 1.

    The 1st percentile of the finite non-zero magnitudes seen in ``fit`` (estimated
    from at most 100,000 evenly strided values), so that ``arcsinh(I / s)``
    equals ``log(2 I / s)`` to within 1% for all but the faintest
    intensities, and stays defined for zero or negative (background-
    subtracted) values. 1.0 for the other transforms. With ``normalise``, the
    magnitudes are those of the profiles divided by their level
    (:func:`~._profile_scale.divide_by_profile_level`).
    """
    if transform != "asinh":
        return 1.0
    values = strided_values(X, _SCALE_SAMPLE, divide_by_profile_level if normalise else None)
    magnitudes = np.abs(values[(values != 0) & np.isfinite(values)])
    return float(np.percentile(magnitudes, 1)) if magnitudes.size else 1.0


def transform_intensities(X, transform, scale, dtype=np.float32, first_row=0, normalise=False):
    """Copy of ``X`` in ``dtype`` mapped through ``"asinh"``, ``"log"`` or ``"none"``.

    With ``normalise``, each profile is first divided by its level
    (:func:`~._profile_scale.divide_by_profile_level`, in float64).

    ``"asinh"`` multiplies by ``1 / scale`` in ``dtype`` (fast, in place),
    unless ``1 / scale`` is outside ``dtype``'s normal range (intensities
    around 1e-300 or 1e300): then in float64 before the conversion, so that
    ``arcsinh(I / s)`` is the same at any overall scale of ``X``.
    ``"log"`` takes the logarithm in float64, so that intensities too small
    or too large for ``dtype`` still have one.

    Raises
    ------
    ValueError
        With ``"log"``, if any intensity is zero or negative (naming its row,
        counted from ``first_row``); with ``"none"``, if non-zero intensities
        would become zero in ``dtype``.
    """
    if normalise:
        X = divide_by_profile_level(X)
    if transform == "log":
        bad = X <= 0
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(
                "intensity_transform='log' needs positive intensities, but row "
                f"{first_row + row}, column {col} holds {X[row, col]}. Use "
                "intensity_transform='asinh' (log-like and defined for any real "
                "value) for noisy or background-subtracted profiles."
            )
        return np.log(X).astype(dtype, order="C")
    if transform == "none":
        Z = X.astype(dtype, order="C")
        if np.count_nonzero(Z) != np.count_nonzero(X):
            raise ValueError(out_of_range_message(X, dtype))
        return Z
    inverse = 1.0 / scale
    info = np.finfo(dtype)
    if info.tiny <= inverse <= info.max:
        # C order whatever X's layout, so that the in-place steps after this one (and
        # the views they take) see the same memory layout for C- and Fortran-ordered X.
        Z = X.astype(dtype, order="C")
        Z *= Z.dtype.type(inverse)
    else:
        Z = (X * inverse).astype(dtype, order="C")
    np.arcsinh(Z, out=Z)
    return Z


def fit_features(X, transform, dtype=np.float32, normalise=False):
    """Learn the transform's scale and the standardisation; return the features too.

    An on-disk ``X`` is read block by block and its features come back as a
    :class:`~._blocks.FeatureRows` that computes them batch by batch; the
    statistics are those of the same array in memory, bit for bit. With
    ``normalise``, each profile is divided by its level first (see
    :func:`transform_intensities`).

    Raises the errors of :func:`intensity_features`.

    Returns
    -------
    features : ndarray of the given dtype, or FeatureRows
        Transformed, standardised ``X``.
    scale : float
        The transform's scale (see :func:`intensity_scale`).
    mean, std : ndarray of shape (n_features,)
        The per-feature standardisation.
    """
    options = {"transform": transform, "dtype": dtype, "normalise": normalise}
    # Non-finite input is reported by check_finite, not by numpy's warnings.
    with np.errstate(invalid="ignore", over="ignore"):
        scale = intensity_scale(X, transform, normalise)
        if is_on_disk(X):
            mean, std = feature_moments(_checked_features(X, scale=scale, **options))
            prepare = partial(intensity_features, scale=scale, mean=mean, std=std, **options)
            return FeatureRows(X, prepare), scale, mean, std
        features = transform_intensities(X, scale=scale, **options)
        mean, std = feature_moments(block for _, block in row_blocks(features))
        standardise(features, mean, std)
    check_finite(X, features)
    return features, scale, mean, std


def _checked_features(X, transform, scale, dtype, normalise):
    """The transformed blocks of an on-disk ``X``, each checked for non-finite values."""
    for start, block in row_blocks(X):
        features = transform_intensities(block, transform, scale, dtype, start, normalise)
        check_finite(block, features, first_row=start)
        yield features


def intensity_features(X, transform, scale, mean, std, dtype=np.float32, normalise=False):
    """Transformed, standardised ``X`` with parameters learnt by :func:`fit_features`.

    Raises
    ------
    ValueError
        If ``X`` holds NaN or infinity (naming the first bad row),
        or non-positive intensities with ``"log"``.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        features = standardise(
            transform_intensities(X, transform, scale, dtype, normalise=normalise), mean, std
        )
    check_finite(X, features)
    return features


def standardise(Z, mean, scale):
    """Standardise ``Z`` in place with copies of ``mean`` and ``scale`` in its dtype."""
    Z -= mean.astype(Z.dtype)
    Z *= (1.0 / scale).astype(Z.dtype)
    return Z

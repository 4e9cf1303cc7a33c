"""Input checks and the intensity features shared by the scattering estimators.

Features are computed in float32, in place, because the networks run in
float32 and the transform of a large batch otherwise costs as much as the
network's forward pass.
"""

import numpy as np

INTENSITY_TRANSFORMS = ("asinh", "log", "none")

#: Values sampled (evenly strided, so deterministic) to estimate the scale.
_SCALE_SAMPLE = 100_000


def check_finite(X, features):
    """Raise a ValueError naming the first row of ``X`` with NaN or infinity.

    Checks the (standardised, so moderate) ``features`` computed from ``X``
    first: their sum is finite only if every one is, which costs one pass
    over float32 data instead of two over the float64 input.
    """
    if np.isfinite(features.sum()):
        return
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"Input X contains NaN or infinity: row {row} is the first bad row "
            f"(column {col} holds {X[row, col]}). Intensities must be finite; drop "
            "or repair those profiles."
        )
    raise ValueError(
        f"Input X holds intensities up to {np.abs(X).max():.3g}, too large for float32 "
        "features; rescale them (e.g. to 1/cm)."
    )


def intensity_scale(X, transform):
    """The intensity that the ``"asinh"`` transform maps to about 1.

    The 1st percentile of the non-zero magnitudes seen in ``fit`` (estimated
    from at most 100,000 evenly strided values), so that ``arcsinh(I / s)``
    equals ``log(2 I / s)`` to within 1% for all but the faintest
    intensities, and stays defined for zero or negative (background-
    subtracted) values. 1.0 for the other transforms.
    """
    if transform != "asinh":
        return 1.0
    values = X.ravel()[:: max(1, X.size // _SCALE_SAMPLE)]
    magnitudes = np.abs(values[values != 0])
    return float(np.percentile(magnitudes, 1)) if magnitudes.size else 1.0


def transform_intensities(X, transform, scale, dtype=np.float32):
    """Copy of ``X`` in ``dtype`` mapped through ``"asinh"``, ``"log"`` or ``"none"``.

    Raises
    ------
    ValueError
        With ``"log"``, if any intensity is zero or negative.
    """
    Z = X.astype(dtype)
    if transform == "asinh":
        Z *= Z.dtype.type(1.0 / scale)
        np.arcsinh(Z, out=Z)
    elif transform == "log":
        bad = Z <= 0
        if bad.any():
            row, col = np.argwhere(bad)[0]
            raise ValueError(
                "intensity_transform='log' needs positive intensities, but row "
                f"{row}, column {col} holds {X[row, col]}. Use "
                "intensity_transform='asinh' (log-like and defined for any real "
                "value) for noisy or background-subtracted profiles."
            )
        np.log(Z, out=Z)
    return Z


def fit_features(X, transform, dtype=np.float32):
    """Learn the transform's scale and the standardisation; return the features too.

    Raises the errors of :func:`intensity_features`.

    Returns
    -------
    features : ndarray of the given dtype
        Transformed, standardised ``X``.
    scale : float
        The transform's scale (see :func:`intensity_scale`).
    mean, std : ndarray of shape (n_features,)
        The per-feature standardisation.
    """
    # Non-finite input is reported by check_finite, not by numpy's warnings.
    with np.errstate(invalid="ignore", over="ignore"):
        scale = intensity_scale(X, transform)
        features = transform_intensities(X, transform, scale, dtype)
        mean, std = standardisation(features)
        standardise(features, mean, std)
    check_finite(X, features)
    return features, scale, mean, std


def intensity_features(X, transform, scale, mean, std, dtype=np.float32):
    """Transformed, standardised ``X`` with parameters learnt by :func:`fit_features`.

    Raises
    ------
    ValueError
        If ``X`` holds NaN or infinity (naming the first bad row), or
        non-positive intensities with ``"log"``.
    """
    with np.errstate(invalid="ignore", over="ignore"):
        features = standardise(transform_intensities(X, transform, scale, dtype), mean, std)
    check_finite(X, features)
    return features


def standardisation(Z):
    """Per-feature mean and scale of ``Z``, as float64 arrays.

    Constant features get scale 1.
    """
    mean = Z.mean(axis=0).astype(np.float64)
    scale = Z.std(axis=0).astype(np.float64)
    scale[scale == 0] = 1.0
    return mean, scale


def standardise(Z, mean, scale):
    """Standardise ``Z`` in place with copies of ``mean`` and ``scale`` in its dtype."""
    Z -= mean.astype(Z.dtype)
    Z *= (1.0 / scale).astype(Z.dtype)
    return Z

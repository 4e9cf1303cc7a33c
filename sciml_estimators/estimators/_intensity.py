"""Input checks and the intensity features shared by the scattering estimators.

Features are computed in float32, in place, because the networks run in
float32 and the transform of a large batch otherwise costs as much as the
network's forward pass.
"""

import numpy as np

INTENSITY_TRANSFORMS = ("asinh", "log", "none")

#: Values sampled (evenly strided, so deterministic) to estimate the scale.
_SCALE_SAMPLE = 100_000


def check_finite_rows(X):
    """Raise a ValueError naming the first row of ``X`` with NaN or infinity."""
    if np.isfinite(X.sum()):  # fast path: a sum is finite only if every term is
        return
    bad = ~np.isfinite(X)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        raise ValueError(
            f"Input X contains NaN or infinity: row {row} is the first bad row "
            f"(column {col} holds {X[row, col]}). Intensities must be finite; drop "
            "or repair those profiles."
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

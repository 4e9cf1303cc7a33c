"""Check and broadcast the per-profile parameters of a simulator call.

Every simulator takes a 1-D ``q`` and parameters that are each a scalar or a
1-D array with one value per profile. :func:`profile_parameters` validates them
once, for all models, and returns contiguous float64 columns of a common
length ``n`` that the batched kernels loop over.
"""

import numpy as np


def _first_bad(values, bad):
    """Describe the first flagged entry of ``values`` for an error message."""
    if values.ndim == 0:
        return f"{values.item()!r}"
    index = int(np.flatnonzero(bad)[0])
    return f"{values[index].item()!r} at index {index}"


def check_q(q):
    """Return ``q`` as a float64 1-D array of finite, positive values.

    Parameters
    ----------
    q : array-like of shape (n_q,)
        Scattering vector magnitudes in 1/Angstrom.

    Returns
    -------
    ndarray of shape (n_q,)
        Contiguous float64 copy or view of the input.
    """
    q = np.asarray(q, dtype=np.float64)
    if q.ndim != 1:
        raise ValueError(
            "q must be a 1-D array of scattering vectors in 1/Angstrom; "
            f"got an array of shape {q.shape}."
        )
    bad = ~(np.isfinite(q) & (q > 0))
    if bad.any():
        raise ValueError(
            "q must be finite and positive (1/Angstrom); "
            f"got {_first_bad(q, bad)}."
        )
    return np.ascontiguousarray(q)


def profile_parameters(q, parameters, positive=()):
    """Validate ``q`` and broadcast the parameters to one value per profile.

    Parameters
    ----------
    q : array-like of shape (n_q,)
        Scattering vector magnitudes in 1/Angstrom, finite and positive.
    parameters : dict of str to float or array-like of shape (n,)
        Parameter values in the order the kernel takes them. Arrays of length
        1 broadcast; all other arrays must share one length ``n``.
    positive : collection of str, default=()
        Names of the parameters (lengths) that must be strictly positive.

    Returns
    -------
    q : ndarray of shape (n_q,)
        Validated scattering vectors.
    columns : list of ndarray of shape (n,)
        One contiguous float64 array per parameter, in the order given.
    batched : bool
        False when every parameter was a scalar, in which case the caller
        returns a single profile of shape (n_q,).
    """
    q = check_q(q)
    arrays = {}
    for name, value in parameters.items():
        values = np.asarray(value, dtype=np.float64)
        if values.ndim > 1:
            raise ValueError(
                f"{name} must be a scalar or a 1-D array with one value per "
                f"profile; got an array of shape {values.shape}."
            )
        bad = ~np.isfinite(values)
        if bad.any():
            raise ValueError(f"{name} must be finite; got {_first_bad(values, bad)}.")
        bad = values <= 0
        if name in positive and bad.any():
            raise ValueError(
                f"{name} must be positive (Angstrom); got {_first_bad(values, bad)}."
            )
        arrays[name] = values

    lengths = {
        name: values.size
        for name, values in arrays.items()
        if values.ndim == 1 and values.size != 1
    }
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has length {n}" for name, n in lengths.items())
        raise ValueError(
            "parameter arrays must have length 1 or one common length n "
            f"(one value per profile); got {described}."
        )
    batched = any(values.ndim == 1 for values in arrays.values())
    n = next(iter(lengths.values()), 1)
    columns = [
        np.ascontiguousarray(np.broadcast_to(values, (n,))) for values in arrays.values()
    ]
    return q, columns, batched

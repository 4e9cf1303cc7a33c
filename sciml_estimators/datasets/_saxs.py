"""The SAXS-1D dataset of the paper: sphere vs parallelepiped profiles."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state
from sklearn.utils._param_validation import Interval, StrOptions, validate_params

from ..simulators import parallelepiped_iq, sphere_iq
from ..simulators import _parallelepiped, _sphere
from .._progress import chunked_progress

#: The default q grid: 300 log-spaced points from 1e-3 to 0.5 1/A.
#: q_min = 1e-3 keeps the largest particles (500 A) in their Guinier region
#: (q R = 0.5); q_max = 0.5 reaches past the first minimum of the smallest
#: ones (q R = 4.49 at R = 10 A). A pinhole SAXS camera covers about this range.
DEFAULT_Q = np.geomspace(1e-3, 0.5, 300)

#: Size ranges in Angstrom, sampled log-uniformly.
RADIUS_RANGE = (10.0, 500.0)
LENGTH_C_RANGE = (10.0, 500.0)
#: Parameters shared by every profile: one contrast for both shapes, so only
#: shape and size tell the classes apart.
FIXED = {"sld": 4.0, "sld_solvent": 1.0, "scale": 1.0, "background": 0.001}
FIXED_LENGTHS = {"length_a": 35.0, "length_b": 75.0}

TARGET_NAMES = np.array(["sphere", "parallelepiped"])

_CHUNK = 1000

_DESCR_HEAD = """\
.. _saxs_1d_dataset:

SAXS-1D: sphere vs parallelepiped
---------------------------------

Binary classification of small-angle X-ray scattering profiles I(q), the
SAXS-1D benchmark of Hey et al. (2020). Mono-disperse particles, half spheres
and half parallelepipeds, in random order.

- sphere: radius log-uniform in [{r0:g}, {r1:g}] A.
- parallelepiped: length_a = {a:g} A and length_b = {b:g} A fixed,
  length_c log-uniform in [{c0:g}, {c1:g}] A, orientation-averaged.
- both: sld = {sld:g}, sld_solvent = {sld_solvent:g} (1e-6/A^2),
  scale = {scale:g}, background = {background:g} 1/cm.
- q: {n_q} points from {q0:.4g} to {q1:.4g} 1/A.
- noise: {noise}.

The simulators' documentation follows.
"""


def _check_q(q):
    if q is None:
        return DEFAULT_Q.copy()
    q = np.asarray(q, dtype=float)
    if q.ndim != 1 or q.size < 2:
        raise ValueError(f"q must be a 1-D array of at least 2 points; got shape {q.shape}.")
    if not np.all(np.isfinite(q)) or np.any(q <= 0):
        raise ValueError("q must be finite and positive (1/Angstrom).")
    if np.any(np.diff(q) <= 0):
        raise ValueError("q must be strictly increasing.")
    return q


def _poisson_counts(intensity, q, flux, rng):
    """Counting statistics of a pinhole SAXS measurement.

    The expected counts in a q bin are ``flux * (q / q_max) * I(q)``: the
    azimuthal integration collects more pixels at larger q, so that the
    variance follows sigma^2 ~ I(q) / q as in real data (Sedlak et al. 2017).
    """
    exposure = flux * q / q[-1]
    counts = rng.poisson(intensity * exposure)
    return counts / exposure, np.sqrt(np.maximum(counts, 1)) / exposure


@validate_params(
    {
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        "q": ["array-like", None],
        "noise": [StrOptions({"poisson"}), None],
        "flux": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
        "progress": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def make_saxs_1d(
    n_samples=20000,
    *,
    q=None,
    noise=None,
    flux=1000.0,
    random_state=None,
    return_X_y=False,
    progress=False,
):
    """Simulate the paper's SAXS-1D set: sphere and parallelepiped profiles.

    Half of the profiles are spheres, half parallelepipeds (the first class
    gets the extra one when ``n_samples`` is odd), shuffled. Sizes are drawn
    log-uniformly; see ``DESCR`` for the ranges.

    Parameters
    ----------
    n_samples : int, default=20000
        Number of profiles (the paper uses 20,000).
    q : array-like of shape (n_q,), default=None
        Strictly increasing scattering vectors in 1/Angstrom. ``None`` gives
        300 log-spaced points from 1e-3 to 0.5 1/A.
    noise : {"poisson"} or None, default=None
        ``None`` returns ideal profiles. ``"poisson"`` returns the paper's
        noise-added category: Poisson counts of the profile (background
        included) at the incident ``flux``, divided back into 1/cm.
    flux : float, default=1000.0
        Expected counts per q bin for an intensity of 1 1/cm at the largest
        q; smaller q bins collect proportionally fewer pixels (counts scale
        with q). Only used with ``noise="poisson"``.
    random_state : int, RandomState instance or None, default=None
        Seeds the sizes, the class order and the noise.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    progress : bool, default=False
        Show a progress bar while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, n_q)
            Intensities I(q) in 1/cm.
        target : ndarray of shape (n_samples,)
            Class labels, 0 for sphere and 1 for parallelepiped.
        target_names : ndarray of shape (2,)
            ``["sphere", "parallelepiped"]``.
        feature_names : list of str
            ``"I(q=...)"`` for each q.
        q : ndarray of shape (n_q,)
            The scattering vectors in 1/Angstrom.
        parameters : dict of ndarray of shape (n_samples,)
            The physical parameters of every profile; ``radius`` is NaN for
            parallelepipeds and the lengths are NaN for spheres.
        uncertainty : ndarray of shape (n_samples, n_q)
            Only with ``noise="poisson"``: the counting error of ``data``.
        DESCR : str
            Description of the set and of the simulators.

    (data, target) : tuple if ``return_X_y`` is True

    Examples
    --------
    >>> from sciml_estimators.datasets import make_saxs_1d
    >>> saxs = make_saxs_1d(10, random_state=0)
    >>> saxs.data.shape, saxs.target.tolist()
    ((10, 300), [1, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    """
    rng = check_random_state(random_state)
    q = _check_q(q)
    n_spheres = (n_samples + 1) // 2
    n_boxes = n_samples - n_spheres
    radius = np.exp(rng.uniform(*np.log(RADIUS_RANGE), size=n_spheres))
    length_c = np.exp(rng.uniform(*np.log(LENGTH_C_RANGE), size=n_boxes))

    blocks = [
        (sphere_iq, "radius", radius, FIXED),
        (parallelepiped_iq, "length_c", length_c, {**FIXED_LENGTHS, **FIXED}),
    ]
    data = np.empty((n_samples, q.size))
    row = 0
    with chunked_progress(n_samples, "simulating SAXS profiles", progress) as bar:
        for simulate, name, sizes, fixed in blocks:
            for start in range(0, sizes.size, _CHUNK):
                chunk = sizes[start : start + _CHUNK]
                data[row : row + chunk.size] = simulate(q, **{name: chunk}, **fixed)
                row += chunk.size
                bar.update(chunk.size)

    target = np.repeat([0, 1], [n_spheres, n_boxes])
    nan_boxes, nan_spheres = np.full(n_boxes, np.nan), np.full(n_spheres, np.nan)
    parameters = {
        "radius": np.concatenate([radius, nan_boxes]),
        **{
            name: np.concatenate([nan_spheres, np.full(n_boxes, value)])
            for name, value in FIXED_LENGTHS.items()
        },
        "length_c": np.concatenate([nan_spheres, length_c]),
        **{name: np.full(n_samples, value) for name, value in FIXED.items()},
    }

    order = rng.permutation(n_samples)
    data, target = data[order], target[order]
    parameters = {name: values[order] for name, values in parameters.items()}
    extra = {}
    if noise == "poisson":
        data, extra["uncertainty"] = _poisson_counts(data, q, flux, rng)

    if return_X_y:
        return data, target
    descr = _DESCR_HEAD.format(
        r0=RADIUS_RANGE[0], r1=RADIUS_RANGE[1], c0=LENGTH_C_RANGE[0], c1=LENGTH_C_RANGE[1],
        a=FIXED_LENGTHS["length_a"], b=FIXED_LENGTHS["length_b"], n_q=q.size, q0=q[0],
        q1=q[-1], noise="ideal" if noise is None else f"Poisson counts at flux {flux:g}",
        **FIXED,
    )
    return Bunch(
        data=data,
        target=target,
        target_names=TARGET_NAMES.copy(),
        feature_names=[f"I(q={value:.4g})" for value in q],
        q=q,
        parameters=parameters,
        DESCR=descr + "\n" + _sphere.__doc__ + "\n" + _parallelepiped.__doc__,
        **extra,
    )

r"""Small-angle scattering of uniform spheres (sasmodels ``sphere``).

Definition
----------

The 1-D scattering intensity of a dilute, monodisperse suspension of uniform
spheres of radius :math:`r` is (Guinier and Fournet, 1955)

.. math::

    I(q) = \frac{\text{scale}}{V} \left[ 3 V \Delta\rho
           \frac{\sin(qr) - qr\cos(qr)}{(qr)^3} \right]^2 10^{-4}
           + \text{background}

with :math:`V = \frac{4}{3}\pi r^3` and contrast
:math:`\Delta\rho = \text{sld} - \text{sld\_solvent}`. With :math:`q` in
1/Angstrom, lengths in Angstrom and SLDs in :math:`10^{-6}/\text{Angstrom}^2`,
the factor :math:`10^{-4}` gives :math:`I(q)` in 1/cm, and *scale* is the
volume fraction. The bracket is :math:`3 j_1(qr)/(qr)`, evaluated with a Taylor
series for :math:`qr < 0.1` where the direct formula cancels
(:func:`~sciml_estimators.simulators._special.sph_j1c`). Where
:math:`qr \ge 2^{52}` a double no longer resolves the oscillation, and the
bracket takes its root mean square, so that :math:`I(q)` follows Porod's law
:math:`6\pi\,\Delta\rho^2\,10^{-4}\,\text{scale}/(r q^4) + \text{background}`.

Names, units, defaults and results are those of sasmodels 1.1's ``sphere``
model without polydispersity.

Validation
----------

Tested against sasmodels 1.1.0 (compiled C engine, double precision) on
``q = geomspace(1e-3, 1, 200)`` /Angstrom for radii across the range in
``PARAMETERS``: the largest relative difference is 5e-14, where the one-ulp
differences between the C library's sine and
:func:`~sciml_estimators.simulators._special.sincos` meet the cancellation of
the direct formula near the zeros of :math:`j_1`. Also tested against
:func:`scipy.special.spherical_jn`, and the series against ``mpmath``.

References
----------

.. [1] A. Guinier and G. Fournet, *Small-Angle Scattering of X-Rays*,
   John Wiley and Sons, New York (1955).
.. [2] sasmodels 1.1.0, ``sasmodels/models/sphere.py`` and ``sphere.c``,
   https://github.com/SasView/sasmodels
"""

import math

import numpy as np
from numba import njit, prange

from ._parameters import profile_parameters
from ._special import sph_j1c

__all__ = ["sphere_iq"]

#: (name, units, default, (low, high), description); (low, high) is the range
#: over which agreement with sasmodels is tested (any finite value for the
#: contrast and scale factors, which enter the formula as exact prefactors).
PARAMETERS = [
    ("radius", "Ang", 50.0, (1.0, 1000.0), "Sphere radius"),
    ("sld", "1e-6/Ang^2", 1.0, (-math.inf, math.inf), "Sphere scattering length density"),
    ("sld_solvent", "1e-6/Ang^2", 6.0, (-math.inf, math.inf),
     "Solvent scattering length density"),
    ("scale", "", 1.0, (0.0, math.inf), "Volume fraction"),
    ("background", "1/cm", 0.001, (-math.inf, math.inf), "Flat background"),
]

_FOUR_PI_3 = 4.0 * math.pi / 3.0


def form_volume(radius):
    r"""Return the sphere volume in Angstrom^3, as sasmodels' ``form_volume``.

    Polydisperse I(q) is normalised by its weighted mean
    (:func:`~sciml_estimators.simulators.polydisperse_iq`).

    Parameters
    ----------
    radius : float or ndarray
        Sphere radius in Angstrom.

    Returns
    -------
    float or ndarray
        :math:`\frac{4}{3}\pi r^3`.
    """
    return _FOUR_PI_3 * (radius * radius * radius)


@njit(cache=True, error_model="numpy")
def sphere_intensity(q, radius, sld, sld_solvent, scale, background):
    """Return I(q) in 1/cm for one q and one sphere (scalar core)."""
    volume = _FOUR_PI_3 * (radius * radius * radius)
    form = (sld - sld_solvent) * volume * sph_j1c(q * radius)
    f2 = 1.0e-4 * form * form
    return scale / volume * f2 + background


@njit(cache=True, parallel=True, error_model="numpy")
def _sphere_profiles(q, radius, sld, sld_solvent, scale, background):
    out = np.empty((radius.size, q.size))
    for i in prange(radius.size):
        for k in range(q.size):
            out[i, k] = sphere_intensity(
                q[k], radius[i], sld[i], sld_solvent[i], scale[i], background[i]
            )
    return out


def sphere_iq(q, *, radius=50.0, sld=1.0, sld_solvent=6.0, scale=1.0, background=0.001):
    """Scattering intensity I(q) of uniform spheres, as sasmodels' ``sphere``.

    Each parameter is a scalar or a 1-D array with one value per profile;
    arrays of length 1 broadcast. The profiles are computed in parallel.

    Parameters
    ----------
    q : array-like of shape (n_q,)
        Scattering vector magnitudes in 1/Angstrom, finite and positive.
    radius : float or array-like of shape (n,), default=50.0
        Sphere radius in Angstrom, positive.
    sld : float or array-like of shape (n,), default=1.0
        Scattering length density of the sphere in 1e-6/Angstrom^2.
    sld_solvent : float or array-like of shape (n,), default=6.0
        Scattering length density of the solvent in 1e-6/Angstrom^2.
    scale : float or array-like of shape (n,), default=1.0
        Volume fraction of spheres.
    background : float or array-like of shape (n,), default=0.001
        Flat background in 1/cm.

    Returns
    -------
    ndarray of shape (n, n_q) or (n_q,)
        I(q) in 1/cm; one row per profile, or a single profile when every
        parameter is a scalar.

    Raises
    ------
    ValueError
        If ``q`` is not 1-D, finite and positive, if a parameter is not finite
        or the radius not positive, or if parameter arrays differ in length.

    See Also
    --------
    parallelepiped_iq : Orientation-averaged rectangular parallelepipeds.

    References
    ----------
    .. [1] A. Guinier and G. Fournet, *Small-Angle Scattering of X-Rays*,
       John Wiley and Sons, New York (1955).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import sphere_iq
    >>> q = np.array([0.01, 0.1, 0.2])
    >>> iq = sphere_iq(q, radius=120, sld=6, sld_solvent=1, background=0)
    >>> print(np.array2string(iq, precision=6, floatmode="fixed"))
    [1.348363e+04 6.201141e+00 1.047339e-01]
    >>> sphere_iq(q, radius=[20, 50, 100]).shape
    (3, 3)
    """
    q, columns, batched = profile_parameters(
        q,
        {
            "radius": radius,
            "sld": sld,
            "sld_solvent": sld_solvent,
            "scale": scale,
            "background": background,
        },
        positive=("radius",),
    )
    out = _sphere_profiles(q, *columns)
    return out if batched else out[0]


_SASMODELS = "sasmodels 1.1.0 sphere, compiled C engine (dll), double precision"
_Q = [0.001, 0.01, 0.1, 0.2, 0.5]
#: (params, q, expected I(q) in 1/cm, source); sasmodels' own test has
#: I(0.2) = 0.726362 for the defaults.
REFERENCE = [
    ({}, _Q,
     [1308.3435807586075, 1244.9334137266571, 4.261940009082654,
      0.7263616549267654, 0.030948356476686367], _SASMODELS),
    ({"radius": 120.0, "sld": 6.0, "sld_solvent": 1.0, "background": 0.0}, _Q,
     [18043.522711856225, 13483.626543944309, 6.20114061710223,
      0.10473391399615585, 0.011277556611904114], _SASMODELS),
    ({"radius": 1000.0, "scale": 0.01, "background": 0.0}, _Q,
     [85485.16126383867, 58.02893239414125, 0.00709075479978169,
      0.0001423291642253891, 1.1755135806586175e-05], _SASMODELS),
]

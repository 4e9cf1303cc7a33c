r"""Small-angle scattering of randomly oriented ellipsoids (sasmodels ``ellipsoid``).

Definition
----------

An ellipsoid of revolution with polar radius :math:`R_p` (along its symmetry
axis) and equatorial radius :math:`R_e`, with volume
:math:`V = \frac{4}{3}\pi R_p R_e^2`, scatters, averaged over all orientations
(Guinier and Fournet, 1955; Feigin and Svergun, 1987),

.. math::

    I(q) = \frac{\text{scale}}{V} (\Delta\rho \, V)^2 10^{-4}
           \int_0^1 \left[ \frac{3 j_1(q r(u))}{q r(u)} \right]^2 du
           + \text{background}, \qquad
    r(u) = R_e \sqrt{1 + u^2 \left(R_p^2/R_e^2 - 1\right)},

with contrast :math:`\Delta\rho = \text{sld} - \text{sld\_solvent}` and
:math:`u` the cosine of the angle between the symmetry axis and
:math:`\vec q`. With :math:`q` in 1/Angstrom, lengths in Angstrom and SLDs in
:math:`10^{-6}/\text{Angstrom}^2`, :math:`I(q)` is in 1/cm. :math:`3 j_1(x)/x`
is :func:`~sciml_estimators.simulators._special.sph_j1c`, with its Taylor
branch.

The integral uses sasmodels 1.1's adaptive Gauss-Legendre rule
(:mod:`~sciml_estimators.simulators._gauss_legendre`) on :math:`u \in [0, 1]`:
20, 76, 500 or 5000 points as :math:`q \max(R_p, R_e)` passes 10, 100 and
750. The nodes' :math:`u^2` are computed once per rule; the 5000-point rule
is built on first use and cached. For each profile the q that share a rule
are summed together, node by node, with the loop over q innermost: it
vectorises, and each q still adds the nodes in sasmodels' order.

Names, units, defaults and results are those of sasmodels 1.1's 1-D
``ellipsoid`` model without polydispersity, normalised by the form volume
:math:`\frac{4}{3}\pi R_p R_e^2`.

Validation
----------

Tested against sasmodels 1.1.0 (compiled C engine, double precision) on
``q = geomspace(1e-3, 1, 200)`` /Angstrom with both radii at the corners and
inside the range in ``PARAMETERS``, taking every rule size: the largest
relative difference is 1.5e-11, from sasmodels' printed Gauss-Legendre weights
(see :mod:`~sciml_estimators.simulators._gauss_legendre`), except where the
5000-point rule meets a thin oblate ellipsoid (``radius_polar`` 1,
``radius_equatorial`` 760-1000, ``q`` near 1): 3e-8. The integrand then
peaks at :math:`u = 1`, where sasmodels' printed outermost 5000-point weights
are off by up to 9e-7 (ours agree with ``mpmath`` to 6e-11). Also tested against
:func:`scipy.integrate.quad` of the orientation average with
:func:`scipy.special.spherical_jn`, to 1e-10 where the adaptive rule has
converged, and against the sphere for :math:`R_p = R_e`.

References
----------

.. [1] A. Guinier and G. Fournet, *Small-Angle Scattering of X-Rays*,
   John Wiley and Sons, New York (1955).
.. [2] L. A. Feigin and D. I. Svergun, *Structure Analysis by Small-Angle
   X-Ray and Neutron Scattering*, Plenum Press, New York (1987).
.. [3] sasmodels 1.1.0, ``sasmodels/models/ellipsoid.py``, ``ellipsoid.c``,
   ``lib/sas_3j1x_x.c`` and ``lib/adaptive.c``, https://github.com/SasView/sasmodels
"""

import functools
import math

import numpy as np
from numba import njit, prange

from ._gauss_legendre import (
    RULE_SIZES,
    gauss_legendre_rules,
    group_by_rule,
    rule_index,
    rules_needed,
)
from ._parameters import profile_parameters
from ._special import sph_j1c

__all__ = ["ellipsoid_iq"]

#: (name, units, default, (low, high), description); (low, high) is the range
#: over which agreement with sasmodels is tested (any finite value for the
#: contrast and scale factors, which enter the formula as exact prefactors).
PARAMETERS = [
    ("radius_polar", "Ang", 20.0, (1.0, 1000.0), "Polar radius"),
    ("radius_equatorial", "Ang", 400.0, (1.0, 1000.0), "Equatorial radius"),
    ("sld", "1e-6/Ang^2", 4.0, (-math.inf, math.inf), "Ellipsoid scattering length density"),
    ("sld_solvent", "1e-6/Ang^2", 1.0, (-math.inf, math.inf),
     "Solvent scattering length density"),
    ("scale", "", 1.0, (0.0, math.inf), "Volume fraction"),
    ("background", "1/cm", 0.001, (-math.inf, math.inf), "Flat background"),
]

_FOUR_PI_3 = 4.0 * math.pi / 3.0


def form_volume(radius_polar, radius_equatorial):
    r"""Return the ellipsoid volume in Angstrom^3, as sasmodels' ``form_volume``.

    Polydisperse I(q) is normalised by its weighted mean
    (:func:`~sciml_estimators.simulators.polydisperse_iq`).

    Parameters
    ----------
    radius_polar : float or ndarray
        Polar radius in Angstrom.
    radius_equatorial : float or ndarray
        Equatorial radius in Angstrom.

    Returns
    -------
    float or ndarray
        :math:`\frac{4}{3}\pi R_p R_e^2`.
    """
    return _FOUR_PI_3 * radius_polar * radius_equatorial * radius_equatorial


@functools.cache
def node_tables(n_rules):
    """Weights, u^2 and offsets of the first ``n_rules`` rules, u = (z + 1)/2."""
    z, w, offsets = gauss_legendre_rules(RULE_SIZES[:n_rules])
    u = z * 0.5 + 0.5
    return w, u * u, offsets


@njit(cache=True, error_model="numpy")
def qr_max(q, radius_polar, radius_equatorial):
    """Return the ``q*r`` that picks the rule: q max(R_p, R_e)."""
    return q * max(radius_polar, radius_equatorial)


@njit(cache=True, error_model="numpy")
def orientation_sums(q, radius_polar, radius_equatorial, rule, tables, total):
    """Set ``total[k]`` to the quadrature sum of rule ``rule`` at ``q[k]``.

    The loop over ``q`` is innermost, so that it vectorises (``sph_j1c`` is
    branch-free) and each node's effective radius is computed once; each
    ``total[k]`` still adds the nodes in sasmodels' order.
    """
    weights, u2, offsets = tables
    ratio = radius_polar / radius_equatorial
    v_square_minus_one = ratio * ratio - 1.0
    total[:] = 0.0
    for i in range(offsets[rule], offsets[rule + 1]):
        r = radius_equatorial * math.sqrt(1.0 + u2[i] * v_square_minus_one)
        for k in range(q.size):
            f = sph_j1c(q[k] * r)
            total[k] += weights[i] * f * f


@njit(cache=True, error_model="numpy")
def ellipsoid_intensity(
    total, radius_polar, radius_equatorial, sld, sld_solvent, scale, background
):
    """Return I(q) in 1/cm of one ellipsoid from its quadrature sum ``total`` (scalar core)."""
    volume = _FOUR_PI_3 * radius_polar * radius_equatorial * radius_equatorial
    s = (sld - sld_solvent) * volume
    f2 = 1.0e-4 * s * s * (total * 0.5)
    return scale / volume * f2 + background


@njit(cache=True, parallel=True, error_model="numpy")
def _ellipsoid_profiles(
    q, radius_polar, radius_equatorial, sld, sld_solvent, scale, background, tables
):
    n_rules = tables[2].size - 1
    out = np.empty((radius_polar.size, q.size))
    for p in prange(radius_polar.size):
        rules = np.empty(q.size, dtype=np.int64)
        group = np.empty(q.size, dtype=np.int64)
        q_group = np.empty(q.size)
        total = np.empty(q.size)
        for k in range(q.size):
            rules[k] = rule_index(qr_max(q[k], radius_polar[p], radius_equatorial[p]), 1)
        # One pass per rule over the q that use it.
        for rule in range(n_rules):
            m = group_by_rule(rules, rule, q, group, q_group)
            if m == 0:
                continue
            orientation_sums(
                q_group[:m], radius_polar[p], radius_equatorial[p], rule, tables, total[:m]
            )
            for j in range(m):
                out[p, group[j]] = ellipsoid_intensity(
                    total[j], radius_polar[p], radius_equatorial[p], sld[p], sld_solvent[p],
                    scale[p], background[p],
                )
    return out


def ellipsoid_iq(
    q,
    *,
    radius_polar=20.0,
    radius_equatorial=400.0,
    sld=4.0,
    sld_solvent=1.0,
    scale=1.0,
    background=0.001,
):
    """Orientation-averaged I(q) of ellipsoids of revolution, as sasmodels' ``ellipsoid``.

    Each parameter is a scalar or a 1-D array with one value per profile;
    arrays of length 1 broadcast. The profiles are computed in parallel.

    Parameters
    ----------
    q : array-like of shape (n_q,)
        Scattering vector magnitudes in 1/Angstrom, finite and positive.
    radius_polar : float or array-like of shape (n,), default=20.0
        Radius along the symmetry axis in Angstrom, positive.
    radius_equatorial : float or array-like of shape (n,), default=400.0
        Radius perpendicular to the symmetry axis in Angstrom, positive.
    sld : float or array-like of shape (n,), default=4.0
        Scattering length density of the ellipsoid in 1e-6/Angstrom^2.
    sld_solvent : float or array-like of shape (n,), default=1.0
        Scattering length density of the solvent in 1e-6/Angstrom^2.
    scale : float or array-like of shape (n,), default=1.0
        Volume fraction of ellipsoids.
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
        or a radius not positive, or if parameter arrays differ in length.

    See Also
    --------
    sphere_iq : Uniform spheres, the case radius_polar == radius_equatorial.

    References
    ----------
    .. [1] L. A. Feigin and D. I. Svergun, *Structure Analysis by Small-Angle
       X-Ray and Neutron Scattering*, Plenum Press, New York (1987).

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import ellipsoid_iq
    >>> iq = ellipsoid_iq(np.array([0.01, 0.2]))
    >>> print(np.array2string(iq, precision=6, floatmode="fixed"))
    [1.920917e+03 2.122439e-01]
    >>> ellipsoid_iq(np.array([0.01, 0.2]), radius_polar=[10, 20, 30]).shape
    (3, 2)
    """
    q, columns, batched = profile_parameters(
        q,
        {
            "radius_polar": radius_polar,
            "radius_equatorial": radius_equatorial,
            "sld": sld,
            "sld_solvent": sld_solvent,
            "scale": scale,
            "background": background,
        },
        positive=("radius_polar", "radius_equatorial"),
    )
    # Multiplication rounds monotonically, so this is the largest qr_max the
    # kernel meets; the 5000-point rule is built only if that needs it.
    n_rules = rules_needed(qr_max(q.max(), columns[0].max(), columns[1].max()))
    out = _ellipsoid_profiles(q, *columns, node_tables(n_rules))
    return out if batched else out[0]


_SASMODELS = "sasmodels 1.1.0 ellipsoid, compiled C engine (dll), double precision"
_Q = [0.001, 0.01, 0.1, 0.2, 0.5]
#: (params, q, expected I(q) in 1/cm, source); sasmodels' own test has
#: I(0.05) = 54.8525847025 for the defaults.
REFERENCE = [
    ({}, _Q,
     [11808.84389686313, 1920.9173699243331, 6.768407975555421,
      0.21224386191331526, 0.007245495508650984], _SASMODELS),
    ({"radius_polar": 200.0, "radius_equatorial": 50.0, "background": 0.0}, _Q,
     [1879.3120193405027, 1418.2545617096534, 2.8512541319552103,
      0.143414007258511, 0.005217398443625206], _SASMODELS),
    ({"radius_polar": 1.0, "radius_equatorial": 1000.0, "sld": 2.0, "sld_solvent": 0.0,
      "scale": 0.1, "background": 0.0}, _Q,
     [146.68027411370457, 3.8936102510471615, 0.037634373581415956,
      0.0093426700726754, 0.0014262948648564742], _SASMODELS),
]

r"""Which (h, k, E) a MARI-like direct-geometry spectrometer measures.

Geometry
--------

Neutrons of incident energy :math:`E_i` (wavevector :math:`k_i`, along the
lab :math:`x` axis) scatter from a crystal whose :math:`(h, k, 0)` plane is
the horizontal scattering plane into detectors at scattering angles
:math:`2\theta_{min} \le 2\theta \le 2\theta_{max}` on one side of the beam
(MARI at ISIS: 3-135 degrees). With :math:`E = \hbar^2 k^2 / 2m_n = 2.0721\,
k^2` (meV, 1/Angstrom), a neutron that leaves energy :math:`E` in the sample
has :math:`k_f = \sqrt{k_i^2 - E/2.0721}` and transfers

.. math::

    \mathbf{Q} = \mathbf{k}_i - \mathbf{k}_f
               = (k_i - k_f\cos 2\theta,\; -k_f \sin 2\theta), \qquad
    Q^2 = k_i^2 + k_f^2 - 2 k_i k_f \cos 2\theta .

A point :math:`(h, k)` of a square lattice of spacing :math:`a` has
:math:`Q = 2\pi\sqrt{h^2 + k^2}/a` and direction :math:`\alpha =
\operatorname{atan2}(k, h)` from :math:`a^*`. At energy :math:`E` it is
reached by the one scattering angle with that :math:`Q`, if that angle lies
in the detector coverage, and only when the crystal is turned so that
:math:`a^*` makes the angle :math:`\psi = \beta - \alpha` with
:math:`\mathbf{k}_i`, where :math:`\beta` is the lab direction of
:math:`\mathbf{Q}` above. A measurement that rotates the sample through
:math:`\psi_{min} \le \psi \le \psi_{max}` (the usual multi-angle scan)
therefore covers :math:`(h, k, E)` if and only if

.. math::

    E < E_i, \qquad
    \cos 2\theta_{max} \le \frac{k_i^2 + k_f^2 - Q^2}{2 k_i k_f}
        \le \cos 2\theta_{min}, \qquad
    \psi_{min} \le \beta - \alpha \le \psi_{max} \pmod{360^\circ} .

The low-angle limit is what a spin-wave map loses: at energy transfer
:math:`E` no :math:`Q` below about :math:`k_i - k_f` is reached, so the top
of the band is hidden near the zone centre.

Simplifications: the detectors are taken as continuous in :math:`2\theta`
(MARI's gaps between banks and its out-of-plane coverage are left out), and
a two-dimensional magnet is assumed, so the momentum along :math:`c` plays no
role.

References
----------

.. [1] ISIS Neutron and Muon Source, "MARI", instrument description
   (https://www.isis.stfc.ac.uk/Pages/mari.aspx): incident energies 7-1000
   meV, detectors from 3 to 135 degrees.
.. [2] G. L. Squires, *Introduction to the Theory of Thermal Neutron
   Scattering*, 3rd ed. (Cambridge University Press, 2012), ch. 1.
"""

import math

import numpy as np
from numba import njit

from ._magnon_intensity import LATTICE, NEUTRON, flat_points
from ._square_lattice_magnons import _check_scalar

__all__ = ["mari_coverage"]

#: MARI's detector coverage in scattering angle 2theta, degrees.
MARI_TWO_THETA = (3.0, 135.0)
#: The default sample-rotation scan (angle from k_i to a*, degrees): one
#: 90-degree scan that reaches the whole first quadrant 0 <= h, k < 1 at low
#: energy transfer.
ROTATION_SCAN = (-125.0, -35.0)


@njit(cache=True, error_model="numpy")
def is_covered(h, k, energy, ki, cos_max, cos_min, psi_min, psi_span, lattice):
    """Return whether the scan reaches (h, k, E) (scalar core; angles in radians).

    ``cos_max``, ``cos_min`` are cos(2theta_max), cos(2theta_min);
    ``psi_span`` is psi_max - psi_min.
    """
    kf2 = ki * ki - energy / NEUTRON
    if kf2 <= 0.0:
        return False
    kf = math.sqrt(kf2)
    q2 = (2.0 * math.pi / lattice) ** 2 * (h * h + k * k)
    cos_2theta = (ki * ki + kf2 - q2) / (2.0 * ki * kf)
    if cos_2theta < cos_max or cos_2theta > cos_min:
        return False
    sin_2theta = math.sqrt(max(1.0 - cos_2theta * cos_2theta, 0.0))
    beta = math.atan2(-kf * sin_2theta, ki - kf * cos_2theta)
    psi = beta - math.atan2(k, h) - psi_min
    return psi - 2.0 * math.pi * math.floor(psi / (2.0 * math.pi)) <= psi_span


@njit(cache=True, error_model="numpy")
def _coverage(h, k, energy, ki, cos_max, cos_min, psi_min, psi_span, lattice):
    out = np.empty(h.size, dtype=np.bool_)
    for i in range(h.size):
        out[i] = is_covered(h[i], k[i], energy[i], ki, cos_max, cos_min, psi_min, psi_span,
                            lattice)
    return out


def _check_range(name, value, low, high, units):
    try:
        first, last = (_check_scalar(name, part) for part in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (min, max) in {units}; got {value!r}.") from None
    if not low <= first < last <= high:
        raise ValueError(
            f"{name} must satisfy {low} <= min < max <= {high} ({units}); got {value!r}."
        )
    return first, last


def mari_coverage(h, k, energy, *, incident_energy=25.0, two_theta_range=MARI_TWO_THETA,
                  rotation_range=ROTATION_SCAN, lattice=LATTICE):
    """Whether a MARI-like spectrometer with a rotation scan measures (h, k, E).

    The detector-coverage mask of a direct-geometry time-of-flight
    spectrometer: the (h, k, 0) plane of a square lattice is the scattering
    plane, detectors cover ``two_theta_range`` on one side of the beam, and the
    sample is turned through ``rotation_range``. Equations in the module
    docstring. ``h``, ``k`` and ``energy`` broadcast against each other.

    Parameters
    ----------
    h : float or array-like
        Wavevector component along a* in reciprocal-lattice units, finite.
    k : float or array-like
        Wavevector component along b*, as ``h``.
    energy : float or array-like
        Energy transfer in meV (positive: neutron energy loss), finite.
    incident_energy : float, default=25.0
        Incident neutron energy E_i in meV, positive (MARI: 7-1000 meV).
    two_theta_range : (float, float), default=(3.0, 135.0)
        Detector coverage in scattering angle, degrees, within [0, 180]
        (MARI's).
    rotation_range : (float, float), default=(-125.0, -35.0)
        Sample-rotation scan: the angle from k_i to a*, counter-clockwise
        seen from above, in degrees, spanning at most 360.
    lattice : float, default=4.215
        Square-lattice spacing in Angstrom, positive (Rb2MnF4's Mn-Mn).

    Returns
    -------
    ndarray of bool
        True where some detector measures (h, k, E) during the scan, of the
        broadcast shape of ``h``, ``k`` and ``energy``.

    Raises
    ------
    ValueError
        If an input is not finite, if ``incident_energy`` or ``lattice`` is
        not positive, if a range is not an increasing pair within its limits,
        or if the inputs do not broadcast.

    Examples
    --------
    >>> from sciml_estimators.simulators import mari_coverage
    >>> mari_coverage([0.2, 0.5], 0.0, 1.0).tolist()
    [True, True]
    >>> mari_coverage([0.2, 0.5], 0.0, 6.0).tolist()  # low Q is lost at high E
    [False, True]
    """
    incident = _check_scalar("incident_energy", incident_energy)
    lattice = _check_scalar("lattice", lattice)
    for name, value in (("incident_energy", incident), ("lattice", lattice)):
        if value <= 0:
            raise ValueError(f"{name} must be positive; got {value!r}.")
    tth_min, tth_max = _check_range("two_theta_range", two_theta_range, 0.0, 180.0, "degrees")
    psi_min, psi_max = _check_range("rotation_range", rotation_range, -math.inf, math.inf,
                                    "degrees")
    if psi_max - psi_min > 360.0:
        raise ValueError(f"rotation_range spans at most 360 degrees; got {rotation_range!r}.")
    shape, flat = flat_points(h, k, energy)
    out = _coverage(*flat, math.sqrt(incident / NEUTRON), math.cos(math.radians(tth_max)),
                    math.cos(math.radians(tth_min)), math.radians(psi_min),
                    math.radians(psi_max - psi_min), lattice)
    return out.reshape(shape)

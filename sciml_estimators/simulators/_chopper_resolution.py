r"""Energy resolution of a Fermi-chopper direct-geometry spectrometer (MARI).

Model
-----

The energy-transfer width of a direct-geometry time-of-flight spectrometer
comes from the spread of the times at which a neutron leaves the moderator,
passes the Fermi chopper, and is absorbed in a detector tube, propagated to
the energy transfer :math:`E` of a neutron that arrives with final velocity
:math:`v_f` (Windsor [1]_, ch. 4; Perring's PyChop [2]_, whose equations and
MARI constants are those below). With distances moderator-chopper
:math:`x_0`, aperture-chopper :math:`x_a`, chopper-sample :math:`x_1`,
sample-detector :math:`x_2`, the chopper's angular frequency :math:`\omega`,
the moderator face at :math:`\theta` to the beam, :math:`v = 437.393\sqrt{E}`
m/s and :math:`r = (v_i / v_f)^3`, the full widths at half maximum in time
add in quadrature at the sample:

.. math::

    \Delta t^2 = \Delta t_m^2 \Big(\frac{x_1 + r x_2}{x_0}\Big)^2
        + \Delta t_c^2 \Big(1 + \frac{x_1 + r x_2}{x_0}\Big)^2
        + \Delta t_a^2 + \Delta t_s^2 + \Delta t_d^2 ,
    \qquad
    \Delta E = \frac{2 \cdot 437.393\, E_f^{3/2}\, \Delta t}{x_2},

with :math:`E_f = E_i - E`:

- **moderator** :math:`\Delta t_m`: MARI's measured pulse widths (a table in
  wavelength, interpolated linearly), and beyond its shortest wavelength the
  chi-squared moderator model :math:`(\delta_0 + \delta_G \sqrt{E_i}) /
  (1.96 \cdot 437.392 \sqrt{E_i})`;
- **Fermi chopper** :math:`\Delta t_c^2 = 8 \ln 2\, [p / (2 R \omega)]^2
  g(\gamma) / 6`, slit width :math:`p`, radius :math:`R`, slit curvature
  :math:`\rho`, :math:`\gamma = (2R^2/p)\,|1/\rho - 2\omega/v_i|`, with
  Perring's transmission-shape factor :math:`g` (no transmission for
  :math:`\gamma \ge 4`);
- **aperture** of width :math:`w_a` at the moderator face, seen through the
  rotating slit: :math:`\Delta t_a^2 = 8\ln 2\, (f_1 + r x_2 g_1 / x_0)^2 w_a^2/12`;
- **sample** (an annulus of width :math:`w_s`):
  :math:`\Delta t_s^2 = 8\ln 2\, (f_2 + r x_2 g_2 / x_0)^2\, w_s^2/8`, with
  :math:`f_{1,2}, g_{1,2}` the chopper's focusing terms of [2]_;
- **detector** depth of a 10-atm 3He tube of diameter :math:`d`:
  :math:`\Delta t_d^2 = 8\ln 2\, V(\alpha)\, r_e^2 / v_f^2`, :math:`r_e =
  0.937\, d/2`, :math:`V` the variance of the absorption depth in units of
  the radius (Perring's Chebyshev expansions in the radius in mean free
  paths :math:`\alpha`).

Constants (``MARI``, ``MARI_PACKAGES``) are those of MARI at ISIS as
distributed with PyChop and resins [3]_. This module reimplements the
equations; the tests compare the widths with resins' MARI model
(``PyChop_fit``) at several incident and transferred energies.

References
----------

.. [1] C. G. Windsor, *Pulsed Neutron Scattering* (Taylor & Francis, 1981),
   ch. 4, time-of-flight resolution of chopper spectrometers.
.. [2] R. I. Bewley, R. A. Ewings, M. D. Le, T. G. Perring and D. J.
   Voneshen, PyChop (2018),
   https://mantidproject.github.io/docs-versioned/v6.10.0/interfaces/direct/PyChop.html
.. [3] resins, the PACE neutron resolution-function library,
   ``instrument_data/mari.yaml`` (https://github.com/pace-neutrons/resins).
"""

import math

import numpy as np

__all__ = ["chopper_energy_resolution"]

#: m/s per sqrt(meV) (v = E2V sqrt(E)), and the Angstrom^2 meV of lambda^2 = E2L / E.
E2V = 437.393362604208619
E2L = 81.8042103582802156
_FWHM2_PER_VARIANCE = 8.0 * math.log(2.0)
#: MARI at ISIS: distances in m, moderator angle in degrees, aperture and sample
#: widths and detector depth in m, the moderator's measured FWHM pulse widths
#: (microseconds) at wavelengths (Angstrom) and its chi-squared parameters
#: (delta_0 in microseconds, delta_G in microseconds per sqrt(meV)).
MARI = {
    "x0": 10.05, "xa": 7.19, "x1": 1.689, "x2": 4.022, "theta": 13.0,
    "aperture_width": 0.06667, "sample_width": 1.9e-2, "detector_depth": 0.025,
    "moderator_wavelength": (1.1167, 1.5224, 1.8009, 2.3250, 2.8480, 3.4331, 4.0240, 5.6898),
    "moderator_width": (12.4, 18.8, 27.2, 39.2, 44.8, 48.8, 53.2, 62.0),
    "moderator_chi2": (38.6, 0.5226),
}
#: MARI's Fermi chopper packages: (slit width p, radius R, curvature rho) in m.
MARI_PACKAGES = {
    "A": (0.760e-3, 49.0e-3, 1.300), "B": (1.140e-3, 49.0e-3, 0.82),
    "C": (1.520e-3, 49.0e-3, 0.58), "G": (0.380e-3, 10.0e-3, 0.8),
    "R": (1.143e-3, 49.0e-3, 1.300), "S": (2.280e-3, 49.0e-3, 1.300),
}
#: Perring's Chebyshev coefficients of the 3He tube's depth variance, for
#: alpha in [0, 10] and of 1 - 18/alpha for alpha >= 10 (first halved, numpy's form).
_HE_LOW = (
    0.613452291529095, -0.3621914072547197, 6.0117947617747081e-02, 1.8037337764424607e-02,
    -1.4439005957980123e-02, 3.8147446724517908e-03, 1.3679160269450818e-05,
    -3.7851338401354573e-04, 1.3568342238781006e-04, -1.3336183765173537e-05,
    -7.5468390663036011e-06, 3.7919580869305580e-06, -6.4560788919254541e-07,
    -1.0509789897250599e-07, 9.0282233408123247e-08, -2.1598200223849062e-08,
    -2.6200750125049410e-10, 1.8693270043002030e-09, -6.0097600840247623e-10,
    4.7263196689684150e-11, 3.3052446335446462e-11, -1.4738090470256537e-11,
    2.1945176231774610e-12, 4.7409048908875206e-13, -3.3502478569147342e-13,
)
_HE_HIGH = (
    0.9313232069059375, 7.5988886169808666e-02, -8.3110620384910993e-03,
    1.1236935254690805e-03, -1.0549380723194779e-04, -3.8256672783453238e-05,
    2.2883355513325654e-05, -2.4595515448511130e-06, -2.2063956882489855e-06,
    7.2331970290773207e-07, 2.2080170614557915e-07, -1.2957057474505262e-07,
    -2.9737380539129887e-08, 2.2171316129693253e-08, 5.9127004825576534e-09,
    -3.7179338302495424e-09, -1.4794271269158443e-09, 5.5412448241032308e-10,
    3.8726354734119894e-10, -4.6562413924533530e-11, -9.2734525614091013e-11,
    -1.1246343578630302e-11, 1.6909724176450425e-11, 5.6146245985821963e-12,
    -2.7408274955176282e-12,
)


def _he_depth_variance(alpha):
    """Variance of a 3He tube's absorption depth over its radius squared, at alpha m.f.p."""
    low = 0.25 * np.polynomial.chebyshev.chebval(alpha / 5.0 - 1.0, _HE_LOW)
    g0, g1 = (32.0 - 3.0 * math.pi**2) / 48.0, 14.0 / 3.0 - math.pi**2 / 8.0
    safe = np.maximum(alpha, 9.0)
    high = g0 + g1 * np.polynomial.chebyshev.chebval(1.0 - 18.0 / safe, _HE_HIGH) / safe**2
    mixed = (10.0 - alpha) * low + (alpha - 9.0) * high
    return np.where(alpha <= 9.0, low, np.where(alpha >= 10.0, high, mixed))


def _moderator_width(incident_energy):
    """The moderator's FWHM pulse width in s at E_i (table, else the chi-squared model)."""
    wavelength = math.sqrt(E2L / incident_energy)
    table = MARI["moderator_wavelength"]
    if wavelength >= table[0]:
        return np.interp(min(wavelength, table[-1]), table, MARI["moderator_width"]) * 1e-6
    delta_0, delta_g = (value * 1e-3 for value in MARI["moderator_chi2"])
    root = math.sqrt(incident_energy)
    return (delta_0 + delta_g * root) / 1.96 / (437.392 * root) * math.sqrt(_FWHM2_PER_VARIANCE)


def _chopper_width_squared(incident_energy, omega, package):
    """The Fermi chopper's squared FWHM in s^2; ValueError if it transmits nothing."""
    slit, radius, rho = MARI_PACKAGES[package]
    gamma = 2.0 * radius**2 / slit * abs(1.0 / rho - 2.0 * omega / (437.392
                                                                     * math.sqrt(incident_energy)))
    if gamma >= 4.0:
        raise ValueError(
            f"chopper package {package!r} at {omega / (2 * math.pi):g} Hz transmits no neutrons "
            f"of incident_energy {incident_energy:g} meV (gamma = {gamma:.3g} >= 4): choose "
            "another frequency or package."
        )
    if gamma <= 1.0:
        shape = (1.0 - gamma**4 / 10.0) / (1.0 - gamma**2 / 6.0)
    else:
        root = math.sqrt(gamma)
        shape = 0.6 * gamma * (root - 2.0) ** 2 * (root + 8.0) / (root + 4.0)
    return (slit / (2.0 * radius * omega)) ** 2 / 6.0 * shape * _FWHM2_PER_VARIANCE


def chopper_energy_resolution(energy_transfer, *, incident_energy, chopper_frequency,
                              package="G"):
    """Energy-transfer resolution (FWHM, meV) of MARI at one incident energy and chopper setting.

    Moderator, Fermi chopper, aperture, sample and detector time widths
    propagated to the energy transfer (Windsor 1981; PyChop), equations and
    constants in the module docstring.

    Parameters
    ----------
    energy_transfer : float or array-like
        Energy transfer E in meV (positive: neutron energy loss), finite and
        below ``incident_energy``.
    incident_energy : float
        Incident energy E_i in meV, in (0, 2000] (MARI's range in resins).
    chopper_frequency : float
        Fermi chopper frequency in Hz, in (0, 600] (MARI's: 50 to 600).
    package : {"A", "B", "C", "G", "R", "S"}, default="G"
        MARI's Fermi chopper package; "G" is the gadolinium chopper for
        incident energies up to 181 meV.

    Returns
    -------
    ndarray or float
        Full width at half maximum in meV, of the shape of ``energy_transfer``.

    Raises
    ------
    ValueError
        If an energy or the frequency is out of range or not finite, if the
        package is unknown, or if the chopper transmits nothing at that
        incident energy and frequency.

    Examples
    --------
    >>> from sciml_estimators.simulators import chopper_energy_resolution
    >>> widths = chopper_energy_resolution([0.0, 8.0], incident_energy=25.0,
    ...                                    chopper_frequency=400.0)
    >>> print(widths.round(3))
    [0.548 0.435]
    """
    if package not in MARI_PACKAGES:
        raise ValueError(f"package must be one of {sorted(MARI_PACKAGES)}; got {package!r}.")
    incident = float(incident_energy)
    frequency = float(chopper_frequency)
    if not 0.0 < incident <= 2000.0:
        raise ValueError(f"incident_energy must be in (0, 2000] meV; got {incident_energy!r}.")
    if not 0.0 < frequency <= 600.0:
        raise ValueError(f"chopper_frequency must be in (0, 600] Hz; got {chopper_frequency!r}.")
    energy = np.asarray(energy_transfer, dtype=float)
    if not np.all(np.isfinite(energy)) or np.any(energy >= incident):
        raise ValueError(
            f"energy_transfer must be finite and below incident_energy = {incident:g} meV."
        )
    x0, xa, x1, x2 = MARI["x0"], MARI["xa"], MARI["x1"], MARI["x2"]
    omega = 2.0 * math.pi * frequency
    chopper2 = _chopper_width_squared(incident, omega, package)
    v_i, v_f = E2V * math.sqrt(incident), E2V * np.sqrt(incident - energy)
    ratio = (v_i / v_f) ** 3
    focus = omega * (xa + x1)
    tilt = omega * math.tan(math.radians(MARI["theta"])) / v_i
    g1 = (1.0 - tilt * (xa + x1)) / focus
    f1 = (1.0 + x1 / x0 * (1.0 - tilt * (xa + x1))) / focus
    g2 = (1.0 - tilt * (x0 - xa)) / focus
    f2 = (1.0 + x1 / x0 * (1.0 - tilt * (x0 - xa))) / focus
    moderator_factor = (x1 + ratio * x2) / x0
    radius = 0.5 * MARI["detector_depth"] * (1.0 - 0.063)
    alpha = 2.0 * radius * 50.04685368 * 10.0 / np.sqrt(0.48259640220781652 * (incident - energy))
    time2 = (
        _moderator_width(incident) ** 2 * moderator_factor**2
        + chopper2 * (1.0 + moderator_factor) ** 2
        + _FWHM2_PER_VARIANCE * (f1 + ratio * x2 / x0 * g1) ** 2 * MARI["aperture_width"] ** 2 / 12
        + _FWHM2_PER_VARIANCE * (f2 + ratio * x2 / x0 * g2) ** 2 * MARI["sample_width"] ** 2 / 8
        + _FWHM2_PER_VARIANCE * _he_depth_variance(alpha) * radius**2 / v_f**2
    )
    out = 2.0 * E2V * np.sqrt((incident - energy) ** 3 * time2) / x2
    return out[()] if out.ndim == 0 else out

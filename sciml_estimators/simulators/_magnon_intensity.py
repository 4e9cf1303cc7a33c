r"""One-magnon neutron-scattering intensity of Rb2MnF4.

Definition
----------

The spin waves of :mod:`._square_lattice_magnons` (the factors :math:`A \mp B`
and :math:`\hbar\omega = \sqrt{A^2 - B^2}`, in meV, at :math:`(h, k)` in
reciprocal-lattice units) carry, with the moments along :math:`c` and
:math:`\mathbf{Q}` in the :math:`(h, k, 0)` plane, the transverse one-magnon
spectral weight per spin

.. math::

    S_\perp(h, k) = \frac{S}{2} \frac{A - B}{\hbar\omega}
                  = \frac{S}{2} \sqrt{\frac{A - B}{A + B}} .

With the Mn2+ :math:`\langle j_0 \rangle` form factor, :math:`s = Q/4\pi`,
:math:`Q = 2\pi\sqrt{h^2 + k^2}/a` (:math:`a = 4.215` Angstrom, :math:`l = 0`),

.. math::

    F(Q) = 0.4220\, e^{-17.684 s^2} + 0.5948\, e^{-6.005 s^2}
           + 0.0043\, e^{0.609 s^2} - 0.0219 ,

the Bose factor :math:`n(\omega) = 1/(e^{\hbar\omega/k_B T} - 1)`
(:math:`k_B = 0.0861733` meV/K; :math:`n = 0` at :math:`T = 0`) and a Gaussian
energy resolution :math:`G_\sigma` of full width :math:`\Gamma`,
:math:`\sigma = \Gamma / (2\sqrt{2\ln 2})`, the intensity at energy transfer
:math:`E` (:math:`E > 0`: a magnon is created) is

.. math::

    I(h, k, E) = \frac{k_f}{k_i} |F(Q)|^2 S_\perp(h, k)
        \left\{ [n(\omega) + 1]\, G_\sigma(E - \hbar\omega)
                + n(\omega)\, G_\sigma(E + \hbar\omega) \right\},
    \qquad
    G_\sigma(x) = \frac{e^{-x^2 / 2\sigma^2}}{\sigma\sqrt{2\pi}} .

With an incident energy :math:`E_i`, :math:`k = \sqrt{E/2.0721}` (1/Angstrom,
:math:`E` in meV) gives :math:`k_f/k_i = \sqrt{1 - E/E_i}` for
:math:`E < E_i`, and the intensity is 0 for :math:`E \ge E_i`, which the
neutron cannot reach; without :math:`E_i` the factor is 1. The result, in
1/meV per spin, is proportional to the magnetic partial differential cross
section :math:`d^2\sigma/d\Omega\,dE` per Mn atom, up to the constant
:math:`(\gamma r_0)^2` and the polarisation convention, which are left out.

Zero modes. :math:`S_\perp` diverges where :math:`A + B \to 0` and the Bose
factor where :math:`\hbar\omega \to 0`. Modes with :math:`\hbar\omega \le
4SJ\sqrt{\epsilon}` (:math:`\epsilon` the double-precision epsilon; about
1e-7 meV for Rb2MnF4), which cannot be told from zero in double precision,
are left out: they add nothing to the intensity. They occur only at
:math:`d_z = 0` at :math:`(0, 0)` and :math:`(\tfrac12, \tfrac12)` (modulo
reciprocal-lattice vectors) or at the stability limit
:math:`J'/J = (1 + d_z)/2` at :math:`(\tfrac12, 0)`.

Validation
----------

Tested against the formulas above: the form factor against its closed form,
detailed balance :math:`I(-\hbar\omega)/I(\hbar\omega) = e^{-\hbar\omega/k_BT}`
to 1e-10, the energy integral at :math:`T = 0` against :math:`|F|^2 S_\perp`
from :math:`A, B` in the :math:`\gamma_1, \gamma_2` form to 1e-6, and the peak
position against :func:`magnon_dispersion`.

References
----------

.. [1] G. L. Squires, *Introduction to the Theory of Thermal Neutron
   Scattering*, 3rd ed. (Cambridge University Press, 2012), ch. 8.
.. [2] P. J. Brown, "Magnetic form factors", *International Tables for
   Crystallography* Vol. C, section 4.4.5 (Mn2+ :math:`\langle j_0\rangle`).
"""

import math

import numpy as np
from numba import njit

from ._square_lattice_magnons import (
    _check_parameters,
    _check_scalar,
    _check_wavevector,
    lswt_factors,
    magnon_energy,
)

__all__ = ["magnon_intensity"]

LATTICE = 4.215  # Mn-Mn distance in Angstrom
K_B = 0.0861733  # Boltzmann constant in meV/K
NEUTRON = 2.0721  # E = NEUTRON * k^2, E in meV, k in 1/Angstrom
_FWHM_PER_SIGMA = 2.0 * math.sqrt(2.0 * math.log(2.0))
#: Mn2+ <j0>: (A, a, B, b, C, c, D) of A e^{-a s^2} + B e^{-b s^2} + C e^{-c s^2} + D.
MN2_J0 = (0.4220, 17.684, 0.5948, 6.005, 0.0043, -0.609, -0.0219)


@njit(cache=True, error_model="numpy")
def mn2_form_factor(q):
    """Return the Mn2+ <j0> magnetic form factor at Q in 1/Angstrom (scalar core)."""
    a, a_exp, b, b_exp, c, c_exp, d = MN2_J0
    s2 = (q / (4.0 * math.pi)) ** 2
    return a * math.exp(-a_exp * s2) + b * math.exp(-b_exp * s2) + c * math.exp(-c_exp * s2) + d


@njit(cache=True, error_model="numpy")
def magnon_intensity_point(h, k, energy, J, J2, S, dz, kt, sigma, incident_energy):
    """Return the one-magnon intensity in 1/meV per spin at one (h, k, E) (scalar core).

    ``kt`` is k_B T in meV and ``incident_energy`` is 0 for no k_f/k_i factor.
    """
    ratio = 1.0
    if incident_energy > 0.0:
        if energy >= incident_energy:
            return 0.0
        ratio = math.sqrt(1.0 - energy / incident_energy)
    omega = magnon_energy(h, k, J, J2, S, dz)
    if omega <= 4.0 * S * J * math.sqrt(2.220446049250313e-16):
        return 0.0  # a zero mode: left out (module docstring)
    a_minus_b = lswt_factors(h, k, J, J2, dz)[0]
    s_perp = 2.0 * S * S * a_minus_b / omega  # (S/2)(A - B)/w with A - B = 4S a_minus_b
    form = mn2_form_factor(2.0 * math.pi * math.sqrt(h * h + k * k) / LATTICE)
    bose = 0.0 if kt == 0.0 else 1.0 / math.expm1(omega / kt)
    norm = 1.0 / (sigma * math.sqrt(2.0 * math.pi))
    create = math.exp(-0.5 * ((energy - omega) / sigma) ** 2)
    annihilate = math.exp(-0.5 * ((energy + omega) / sigma) ** 2)
    return ratio * form * form * s_perp * norm * ((bose + 1.0) * create + bose * annihilate)


@njit(cache=True, error_model="numpy")
def _magnon_intensities(h, k, energy, J, J2, S, dz, kt, sigma, incident_energy):
    out = np.empty(h.size)
    for i in range(h.size):
        out[i] = magnon_intensity_point(h[i], k[i], energy[i], J, J2, S, dz, kt, sigma,
                                        incident_energy)
    return out


def flat_points(h, k, energy):
    """Check (h, k, E) points, broadcast them; return their shape and flat float64 copies.

    Raises
    ------
    ValueError
        If a value is not finite or the three do not broadcast.
    """
    arrays = (_check_wavevector("h", h), _check_wavevector("k", k),
              _check_wavevector("energy", energy, units="meV"))
    try:
        arrays = np.broadcast_arrays(*arrays)
    except ValueError:
        shapes = ", ".join(str(array.shape) for array in arrays)
        raise ValueError(
            f"h, k and energy must broadcast against each other; got shapes {shapes}."
        ) from None
    return arrays[0].shape, [np.ascontiguousarray(array).reshape(-1) for array in arrays]


def magnon_intensity(h, k, energy, *, J, J2, S=2.5, dz=0.0048, temperature=4.0,
                     resolution_fwhm=0.3, incident_energy=None):
    """One-magnon neutron-scattering intensity of Rb2MnF4 in 1/meV per spin.

    Linear spin-wave theory of :func:`magnon_dispersion`, with the
    transverse spectral weight, the Mn2+ form factor, the Bose factor, a
    Gaussian energy resolution and optionally k_f/k_i (equations in the
    module docstring). The result is proportional to the magnetic cross
    section d2sigma/dOmega dE per Mn atom. ``h``, ``k`` and ``energy``
    broadcast against each other as numpy arrays do.

    Parameters
    ----------
    h : float or array-like
        Wavevector component along a* in reciprocal-lattice units of the
        chemical (Mn-Mn, a = 4.215 Angstrom) cell, finite; l = 0.
    k : float or array-like
        Wavevector component along b*, as ``h``.
    energy : float or array-like
        Energy transfer in meV, finite; positive when a magnon is created
        (neutron energy loss).
    J : float
        Nearest-neighbour exchange in meV, positive (antiferromagnetic).
    J2 : float
        Next-nearest-neighbour exchange J' in meV, at most
        ``J * (1 + dz) / 2``.
    S : float, default=2.5
        Spin length, positive.
    dz : float, default=0.0048
        Ising anisotropy of the nearest-neighbour bond, non-negative.
    temperature : float, default=4.0
        Temperature in K, non-negative; at 0 only magnon creation remains.
    resolution_fwhm : float, default=0.3
        Full width at half maximum of the Gaussian energy resolution in meV,
        positive.
    incident_energy : float or None, default=None
        Incident neutron energy E_i in meV, positive. If given, the intensity
        is multiplied by k_f/k_i = sqrt(1 - E/E_i) and is 0 for
        ``energy >= incident_energy``; if None, the factor is 1.

    Returns
    -------
    ndarray
        Intensity in 1/meV per spin, of the broadcast shape of ``h``, ``k``
        and ``energy``; a 0-d numpy float when all three are scalars. Modes
        with zero energy (only at ``dz = 0`` or at the stability limit)
        contribute 0.

    Raises
    ------
    ValueError
        If an input is not finite, if a parameter is out of range (as in
        :func:`magnon_dispersion`, or ``temperature < 0``,
        ``resolution_fwhm <= 0``, ``incident_energy <= 0``), or if the
        inputs do not broadcast.

    References
    ----------
    .. [1] G. L. Squires, *Introduction to the Theory of Thermal Neutron
       Scattering*, 3rd ed. (Cambridge University Press, 2012), ch. 8.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import magnon_intensity
    >>> energy = np.linspace(-8.0, 8.0, 1601)
    >>> intensity = magnon_intensity(0.25, 0.25, energy, J=0.6544, J2=0.012)
    >>> print(f"{energy[np.argmax(intensity)]:.2f} meV")
    6.46 meV
    >>> magnon_intensity([[0.1], [0.4]], [0.0, 0.2, 0.3], 5.0, J=0.6544, J2=0.012,
    ...                  incident_energy=15.0).shape
    (2, 3)
    """
    J, J2, S, dz = _check_parameters(J, J2, S, dz)
    temperature = _check_scalar("temperature", temperature)
    if temperature < 0:
        raise ValueError(f"temperature must be non-negative (K); got {temperature!r}.")
    resolution_fwhm = _check_scalar("resolution_fwhm", resolution_fwhm)
    if resolution_fwhm <= 0:
        raise ValueError(f"resolution_fwhm must be positive (meV); got {resolution_fwhm!r}.")
    if incident_energy is None:
        incident = 0.0
    else:
        incident = _check_scalar("incident_energy", incident_energy)
        if incident <= 0:
            raise ValueError(f"incident_energy must be positive (meV); got {incident!r}.")
    shape, flat = flat_points(h, k, energy)
    out = _magnon_intensities(*flat, J, J2, S, dz, K_B * temperature,
                              resolution_fwhm / _FWHM_PER_SIGMA, incident)
    out = out.reshape(shape)
    return out[()] if out.ndim == 0 else out

r"""Magnon slices as a MARI-like spectrometer measures them, per-image instrument and sample.

Definition
----------

The ideal slice of :func:`magnon_slices` (one-magnon intensity averaged over
each energy bin) with, for each image :math:`i`, its own conditions, all
given as arrays (this module draws nothing):

- **energy resolution** :math:`\sigma(E)` of MARI at the image's incident
  energy :math:`E_i` (:func:`chopper_energy_resolution`, Gaussian, FWHM
  varying with energy transfer), taken at the mode's energy: a mode at
  :math:`\pm\hbar\omega` is broadened by :math:`\sigma(\pm\hbar\omega)`.
- **incident energy** :math:`E_i`: the kinematic factor :math:`k_f/k_i`, the
  coverage of :func:`mari_coverage` (the low-angle limit moves with
  :math:`E_i`) and the scattering angle of each bin.
- **sample mosaic**: crystallites turned by :math:`\delta` about the vertical
  axis, Gaussian of standard deviation :math:`\sigma_\delta`, see the wavevector
  rotated by :math:`\delta`; to first order the mode at a column moves by
  :math:`\delta\, \partial\omega/\partial\delta`, so it is broadened in energy
  by :math:`\sigma_\delta |\partial\omega/\partial\delta|`, added in quadrature
  to the resolution (a broadening along :math:`\mathbf{Q}_\perp` of
  :math:`Q \sigma_\delta`, seen through the dispersion's slope; the change of
  weight with :math:`\delta` and second-order terms at extrema are left out).
  :math:`\partial\omega/\partial\delta` is a central difference over
  :math:`\pm 10^{-4}` rad.
- **damping**: a Lorentzian of half width :math:`\Gamma`, folded with the
  Gaussian into a pseudo-Voigt (Thompson, Cox and Hastings [1]_: the
  Voigt's width to 0.02 %, its shape to about 1 %), whose bin integral has
  the closed form of erf and arctan.
- **temperature** :math:`T`: the Bose factor of the magnons and the phonons.
- **elastic incoherent line**: area :math:`A_{el}` per meV, a Gaussian at
  :math:`E = 0` with the resolution's width :math:`\sigma(0)`, the same at
  every :math:`Q` (incoherent scattering is isotropic; its Debye-Waller
  factor, within 1 % at these Q, is left out).
- **phonon and multiple-scattering background**: :math:`c_{ph} Q^2 E [n(E) +
  1] + c_{ms}`: incoherent one-phonon scattering from a Debye density of
  states :math:`g(E) \propto E^2` grows as :math:`Q^2 g(E)[n(E) + 1]/E`
  (Squires [2]_, ch. 3); multiple scattering is flat in Q and E to first order.
- **detector efficiency and dead banks**: the detectors from
  :math:`2\theta_{min}` to :math:`2\theta_{max}` are split into equal banks;
  a bin, at the scattering angle of its :math:`(Q, E)` for :math:`E_i`,
  takes its bank's relative efficiency; a dead bank has efficiency 0, and
  its bins are not measured.
- **absolute scale** :math:`s`.

A measured bin is then

.. math::

    I_{ep} = s\, \eta_{b(e, p)}\, \frac{k_f}{k_i}\Big|_{\bar E_e}
        \Big[ I^{mag}_{ep} + A_{el} G_{e} + c_{ph} Q_p^2 \bar E_e
        (n(\bar E_e) + 1) + c_{ms} \Big],

and 0 where the scan does not reach or the bank is dead.

References
----------

.. [1] P. Thompson, D. E. Cox and J. B. Hastings, "Rietveld refinement of
   Debye-Scherrer synchrotron X-ray data from Al2O3", *J. Appl. Cryst.* 20
   (1987) 79.
.. [2] G. L. Squires, *Introduction to the Theory of Thermal Neutron
   Scattering*, 3rd ed. (Cambridge University Press, 2012), ch. 3 and 8.
"""

import math

import numpy as np
from numba import njit, prange

from ._chopper_resolution import chopper_energy_resolution
from ._magnon_intensity import _FWHM_PER_SIGMA, K_B, LATTICE, NEUTRON, mn2_form_factor
from ._magnon_slices import _ZERO_MODE, _check_couplings, check_grid
from ._mari_coverage import MARI_TWO_THETA, ROTATION_SCAN, mari_coverage
from ._pseudo_voigt import line_shape_cdf, pseudo_voigt
from ._square_lattice_magnons import lswt_factors

__all__ = ["measured_magnon_slices"]

#: Rotation step (rad) of the central difference that gives d(omega)/d(delta).
_TURN = 1e-4
#: Spacing (meV) of the table of resolution widths the kernel interpolates.
_TABLE_STEP = 0.05
@njit(cache=True, error_model="numpy")
def _mode(h, k, J, J2, S, dz):
    a_minus_b, a_plus_b = lswt_factors(h, k, J, J2, dz)
    return 4.0 * S * math.sqrt(max(a_minus_b * a_plus_b, 0.0)), a_minus_b


@njit(cache=True, error_model="numpy")
def _width(table, start, energy):
    """Linear interpolation of the resolution sigma table (clamped at its ends)."""
    x = min(max((energy - start) / _TABLE_STEP, 0.0), table.size - 1.000001)
    j = int(x)
    return table[j] + (x - j) * (table[j + 1] - table[j])


@njit(cache=True, error_model="numpy")
def _fill_measured(J, J2, h, k, edges, S, dz, kt, hwhm, mosaic, elastic, phonon, multiple,
                   efficiency, scale, table, start, kf_ki, elastic_bins, bank, out, measured):
    n_energy = edges.size - 1
    flat = np.empty(n_energy)  # per row: k_f/k_i (elastic line + multiple scattering)
    ramp = np.empty(n_energy)  # per row: k_f/k_i c_ph E (n(E) + 1), to multiply by Q^2
    per_width = np.empty(n_energy)  # per row: k_f/k_i / bin width
    for e in range(n_energy):
        centre = 0.5 * (edges[e] + edges[e + 1])  # E (n + 1) -> kT as E -> 0
        rise = centre if kt == 0.0 else (kt if centre == 0.0 else centre / -math.expm1(
            -centre / kt))
        flat[e] = kf_ki[e] * (elastic * elastic_bins[e] + multiple)
        ramp[e] = kf_ki[e] * phonon * rise
        per_width[e] = kf_ki[e] / (edges[e + 1] - edges[e])
    c, s = math.cos(_TURN), math.sin(_TURN)
    for p in range(h.size):
        omega, a_minus_b = _mode(h[p], k[p], J, J2, S, dz)
        weight = bose = 0.0
        if omega > 4.0 * S * J * _ZERO_MODE:  # else a zero mode: no intensity
            form = mn2_form_factor(2.0 * math.pi * math.sqrt(h[p] ** 2 + k[p] ** 2) / LATTICE)
            bose = 0.0 if kt == 0.0 else 1.0 / math.expm1(omega / kt)
            weight = 0.5 * form * form * (2.0 * S * S * a_minus_b / omega)
        slope = (_mode(h[p] * c - k[p] * s, h[p] * s + k[p] * c, J, J2, S, dz)[0]
                 - _mode(h[p] * c + k[p] * s, -h[p] * s + k[p] * c, J, J2, S, dz)[0]) / (2 * _TURN)
        spread = (mosaic * slope) ** 2
        create = pseudo_voigt(math.sqrt(_width(table, start, omega) ** 2 + spread), hwhm)
        destroy = pseudo_voigt(math.sqrt(_width(table, start, -omega) ** 2 + spread), hwhm)
        q2 = (2.0 * math.pi / LATTICE) ** 2 * (h[p] ** 2 + k[p] ** 2)
        ready = False  # whether ``low`` holds the line shape at edges[e]
        for e in range(n_energy):  # unmeasured bins skip the line shape altogether
            b = bank[e, p]
            if b >= 0 and efficiency[b] > 0.0:
                if not ready:
                    low = line_shape_cdf(edges[e], omega, bose, create, destroy)
                high = line_shape_cdf(edges[e + 1], omega, bose, create, destroy)
                out[e, p] = scale * efficiency[b] * (weight * (high - low) * per_width[e]
                                                     + flat[e] + q2 * ramp[e])
                measured[e, p] = True
                low, ready = high, True
            else:
                out[e, p] = 0.0
                measured[e, p] = False
                ready = False


@njit(parallel=True, cache=True, error_model="numpy")
def _fill_all(J, J2, h, k, edges, S, dz, kt, hwhm, mosaic, elastic, phonon, multiple, efficiency,
              scale, which, tables, start, kf_ki, elastic_bins, banks, out, measured):
    for i in prange(J.size):
        u = which[i]
        _fill_measured(J[i], J2[i], h, k, edges, S, dz, kt[i], hwhm[i], mosaic[i], elastic[i],
                       phonon[i], multiple[i], efficiency[i], scale[i], tables[u], start,
                       kf_ki[u], elastic_bins[u], banks[u], out[i], measured[i])


def _per_image(name, value, n, low=0.0):
    values = np.asarray(value, dtype=float)
    if values.ndim > 1 or values.size not in (1, n):
        raise ValueError(f"{name} must be one value or one per image ({n}); got shape "
                         f"{values.shape}.")
    values = np.ascontiguousarray(np.broadcast_to(values, (n,)))
    if not np.all(np.isfinite(values)) or np.any(values < low):
        raise ValueError(f"{name} must be finite and at least {low:g}, one value per image.")
    return values


def _instrument(incident, grid, h, k, edges, two_theta_range, rotation_range, n_banks,
                settings):
    """Per incident energy: sigma table, k_f/k_i, elastic line per bin and bank of each bin."""
    centres = 0.5 * (edges[1:] + edges[:-1])
    table = chopper_energy_resolution(grid, incident_energy=incident, **settings) / _FWHM_PER_SIGMA
    sigma0 = _width(table, grid[0], 0.0)  # the elastic line: a Gaussian of sigma(0) at E = 0
    cdf = np.array([math.erf(edge / (math.sqrt(2.0) * sigma0)) for edge in edges])
    elastic = 0.5 * np.diff(cdf) / np.diff(edges)
    kf_ki = np.sqrt(np.clip(1.0 - centres / incident, 0.0, None))
    covered = mari_coverage(h, k, centres[:, None], incident_energy=incident,
                            two_theta_range=two_theta_range, rotation_range=rotation_range)
    ki2 = incident / NEUTRON
    kf2 = np.clip(ki2 - centres / NEUTRON, 0.0, None)[:, None]
    q2 = (2.0 * math.pi / LATTICE) ** 2 * (h**2 + k**2)
    with np.errstate(divide="ignore", invalid="ignore"):
        cos = np.clip((ki2 + kf2 - q2) / (2.0 * np.sqrt(ki2 * kf2)), -1.0, 1.0)
    low, high = two_theta_range
    bank = np.floor((np.degrees(np.arccos(cos)) - low) / (high - low) * n_banks)
    bank = np.where(covered, np.clip(bank, 0, n_banks - 1), -1).astype(np.int16)
    return table, kf_ki, elastic, bank


def measured_magnon_slices(J, J2, *, h, k, energy_edges, incident_energy, temperature, damping,
                           mosaic, elastic, phonon, multiple_scattering, efficiency, scale=1.0,
                           S=2.5, dz=0.0048, chopper_frequency=400.0, chopper_package="G",
                           two_theta_range=MARI_TWO_THETA, rotation_range=ROTATION_SCAN):
    """Momentum-energy images of Rb2MnF4 as MARI measures them, one per (J, J2) and conditions.

    :func:`magnon_slices` with, per image, the incident energy's resolution,
    coverage and k_f/k_i, mosaic, damping, temperature, an elastic line, a
    phonon and multiple-scattering background, bank efficiencies and an
    absolute scale (equations in the module docstring). Deterministic: the
    conditions are given, one value (or row) per image.

    Parameters
    ----------
    J, J2 : array-like of shape (n_images,)
        Exchange couplings in meV, as in :func:`magnon_slices`.
    h, k : array-like of shape (n_path,)
        The columns' wavevectors, reciprocal-lattice units.
    energy_edges : array-like of shape (n_energy + 1,)
        Increasing energy-bin edges in meV.
    incident_energy : float or array-like of shape (n_images,)
        E_i in meV, above the last edge; a few distinct values (each one's
        resolution and coverage are computed once).
    temperature : float or array-like of shape (n_images,)
        K, non-negative.
    damping : float or array-like of shape (n_images,)
        Lorentzian half width of the magnons in meV, non-negative.
    mosaic : float or array-like of shape (n_images,)
        Sample mosaic, full width at half maximum in degrees, non-negative.
    elastic : float or array-like of shape (n_images,)
        Area of the elastic incoherent line, per meV (the images' units
        times meV), non-negative.
    phonon : float or array-like of shape (n_images,)
        The coefficient c_ph of the phonon background c_ph Q^2 E (n(E) + 1), per
        Angstrom^-2 meV^-1 in the images' units, non-negative.
    multiple_scattering : float or array-like of shape (n_images,)
        Flat background c_ms in the images' units, non-negative.
    efficiency : array-like of shape (n_images, n_banks)
        Relative efficiency of each detector bank (equal ranges of
        ``two_theta_range``), non-negative; 0 is a dead bank.
    scale : float or array-like of shape (n_images,), default=1.0
        Absolute scale, non-negative.
    S, dz : float, default=2.5, 0.0048
        Spin length and Ising anisotropy, as in :func:`magnon_slices`.
    chopper_frequency : float, default=400.0
        Fermi chopper frequency in Hz (:func:`chopper_energy_resolution`).
    chopper_package : str, default="G"
        MARI's chopper package.
    two_theta_range, rotation_range : (float, float)
        Detector coverage and rotation scan in degrees, as in
        :func:`mari_coverage`.

    Returns
    -------
    images : ndarray of float32, shape (n_images, n_energy, n_path)
        Intensity in 1/meV per spin times ``scale``.
    measured : ndarray of bool, shape (n_images, n_energy, n_path)
        True where the scan reaches the bin and its bank is alive.

    Raises
    ------
    ValueError
        If a coupling or setting is out of range (as in
        :func:`magnon_slices`), if a per-image value is negative, not finite
        or of the wrong length, or if an incident energy is not above the
        last edge or the chopper transmits nothing there.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import measured_magnon_slices
    >>> edges = np.linspace(0.0, 9.0, 129)
    >>> images, measured = measured_magnon_slices(
    ...     [0.6544], [0.012], h=[0.5, 0.75], k=[0.0, 0.25], energy_edges=edges,
    ...     incident_energy=25.0, temperature=4.0, damping=0.0, mosaic=0.0, elastic=0.0,
    ...     phonon=0.0, multiple_scattering=0.0, efficiency=np.ones((1, 30)))
    >>> images.shape, measured.shape
    ((1, 128, 2), (1, 128, 2))
    >>> centres = (edges[1:] + edges[:-1]) / 2
    >>> print(np.round(centres[images[0].argmax(axis=0)], 2))
    [6.36 6.43]
    """
    J, J2, S, dz = _check_couplings(J, J2, S, dz)
    n = J.size
    h, k, edges = check_grid(h, k, energy_edges)
    incident = _per_image("incident_energy", incident_energy, n)
    if np.any(incident <= edges[-1]):
        raise ValueError(f"incident_energy must exceed the last energy edge, {edges[-1]:g} meV.")
    values = {name: _per_image(name, value, n) for name, value in (
        ("temperature", temperature), ("damping", damping), ("mosaic", mosaic),
        ("elastic", elastic), ("phonon", phonon), ("multiple_scattering", multiple_scattering),
        ("scale", scale))}
    efficiency = np.ascontiguousarray(efficiency, dtype=float)
    if (efficiency.ndim != 2 or efficiency.shape[0] != n or efficiency.shape[1] < 1
            or not np.all(np.isfinite(efficiency)) or np.any(efficiency < 0)):
        raise ValueError(
            f"efficiency must be a finite, non-negative (n_images, n_banks) = ({n}, n_banks) "
            f"array; got shape {efficiency.shape}."
        )
    energies, which = np.unique(incident, return_inverse=True)
    top = np.max(np.abs(edges)) + 3.0  # modes within 3 meV of the window; beyond: clamped
    grid = np.arange(-top, min(top, 0.99 * energies[0]) + _TABLE_STEP / 2, _TABLE_STEP)
    settings = {"chopper_frequency": chopper_frequency, "package": chopper_package}
    parts = [_instrument(energy, grid, h, k, edges, two_theta_range, rotation_range,
                         efficiency.shape[1], settings) for energy in energies]
    tables, kf_ki, elastic_bins, banks = (np.ascontiguousarray(np.stack(part))
                                          for part in zip(*parts))
    out = np.empty((n, edges.size - 1, h.size), dtype=np.float32)
    measured = np.empty(out.shape, dtype=bool)
    _fill_all(J, J2, h, k, edges, S, dz, K_B * values["temperature"], values["damping"],
              np.radians(values["mosaic"]) / _FWHM_PER_SIGMA, values["elastic"], values["phonon"],
              values["multiple_scattering"], efficiency, values["scale"], which.astype(np.int64),
              tables, grid[0], kf_ki, elastic_bins, banks, out, measured)
    return out, measured

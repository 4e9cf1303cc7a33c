r"""Momentum-energy slices of the Rb2MnF4 magnon spectrum, batched over couplings.

Definition
----------

For each pair of couplings :math:`(J, J')` the kernel fills an image with one
column per wavevector :math:`(h_p, k_p)` and one row per energy bin
:math:`[E_e, E_{e+1})`: the one-magnon intensity of
:func:`~sciml_estimators.simulators.magnon_intensity` averaged over the bin,

.. math::

    I_{ep} = \frac{k_f}{k_i}\Big|_{\bar E_e} |F(Q_p)|^2 S_\perp(p)\,
        \frac{[n(\omega_p) + 1]\,\big(\Phi_{e+1}^- - \Phi_e^-\big)
              + n(\omega_p)\,\big(\Phi_{e+1}^+ - \Phi_e^+\big)}{E_{e+1} - E_e},
    \qquad \Phi_e^\mp = \Phi\!\left(\frac{E_e \mp \hbar\omega_p}{\sigma}\right),

with :math:`\Phi` the standard normal distribution function, so the energy
resolution integrates exactly over the bin (no aliasing when the bins are
about as wide as the resolution), and :math:`k_f/k_i = \sqrt{1 - \bar
E_e/E_i}` at the bin centre :math:`\bar E_e`, 0 from :math:`E_i` up. Bins
outside a coverage mask (see :func:`mari_coverage`) are 0.

Work: one dispersion evaluation per column and two distribution functions
per bin edge, parallel across coupling pairs (``prange``), one image per
thread at a time. The error function is only called within 6 of its
argument's zero (about 6 resolution widths of the peak); beyond, it is
exactly +-1 in double precision, so skipping the call changes no bit.
"""

import math

import numpy as np
from numba import njit, prange

from ._magnon_intensity import _FWHM_PER_SIGMA, K_B, LATTICE, mn2_form_factor
from ._square_lattice_magnons import _check_scalar, _check_wavevector, lswt_factors

__all__ = ["magnon_slices"]

_ZERO_MODE = math.sqrt(2.220446049250313e-16)  # see magnon_intensity's zero modes
#: erf(x) rounds to exactly +-1 in double precision for |x| >= 5.9216.
_ERF_SATURATES = 6.0


@njit(cache=True, error_model="numpy")
def saturating_erf(x):
    """math.erf, without calling it where the result is exactly +-1."""
    if x >= _ERF_SATURATES:
        return 1.0
    if x <= -_ERF_SATURATES:
        return -1.0
    return math.erf(x)


@njit(cache=True, error_model="numpy")
def _fill_slice(J, J2, h, k, edges, S, dz, kt, sigma, kf_ki, mask, out):
    """Fill ``out`` (n_energy, n_path) with the bin-averaged intensity (scalar couplings)."""
    n_energy = edges.size - 1
    inv_root2_sigma = 1.0 / (math.sqrt(2.0) * sigma)
    for p in range(h.size):
        a_minus_b, a_plus_b = lswt_factors(h[p], k[p], J, J2, dz)
        omega = 4.0 * S * math.sqrt(max(a_minus_b * a_plus_b, 0.0))
        if omega <= 4.0 * S * J * _ZERO_MODE:
            for e in range(n_energy):
                out[e, p] = 0.0  # a zero mode carries no intensity
            continue
        form = mn2_form_factor(2.0 * math.pi * math.sqrt(h[p] * h[p] + k[p] * k[p]) / LATTICE)
        bose = 0.0 if kt == 0.0 else 1.0 / math.expm1(omega / kt)
        weight = 0.5 * form * form * (2.0 * S * S * a_minus_b / omega)
        create_low = saturating_erf((edges[0] - omega) * inv_root2_sigma)
        destroy_low = saturating_erf((edges[0] + omega) * inv_root2_sigma)
        for e in range(n_energy):
            create_high = saturating_erf((edges[e + 1] - omega) * inv_root2_sigma)
            destroy_high = saturating_erf((edges[e + 1] + omega) * inv_root2_sigma)
            if mask[e, p]:
                total = ((bose + 1.0) * (create_high - create_low)
                         + bose * (destroy_high - destroy_low))
                out[e, p] = kf_ki[e] * weight * total / (edges[e + 1] - edges[e])
            else:
                out[e, p] = 0.0
            create_low = create_high
            destroy_low = destroy_high


@njit(parallel=True, cache=True, error_model="numpy")
def _fill_slices(J, J2, h, k, edges, S, dz, kt, sigma, kf_ki, mask, out):
    for i in prange(J.size):
        _fill_slice(J[i], J2[i], h, k, edges, S, dz, kt, sigma, kf_ki, mask, out[i])


def _check_couplings(J, J2, S, dz):
    """Validated float64 copies of J, J2 (1-D, equal length) and scalar S, dz."""
    S = _check_scalar("S", S)
    dz = _check_scalar("dz", dz)
    if S <= 0:
        raise ValueError(f"S must be positive (spin length); got {S!r}.")
    if dz < 0:
        raise ValueError(f"dz must be non-negative (Ising anisotropy); got {dz!r}.")
    J = np.atleast_1d(_check_wavevector("J", J, units="meV"))
    J2 = np.atleast_1d(_check_wavevector("J2", J2, units="meV"))
    if J.ndim != 1 or J.shape != J2.shape:
        raise ValueError(
            f"J and J2 must be 1-D arrays of equal length (one pair per image); got shapes "
            f"{J.shape} and {J2.shape}."
        )
    bad = np.flatnonzero(J <= 0)
    if bad.size:
        raise ValueError(
            f"J must be positive (antiferromagnetic exchange, meV); sample {bad[0]} has "
            f"J = {J[bad[0]]:g}."
        )
    bad = np.flatnonzero(J2 / J > (1.0 + dz) / 2.0)
    if bad.size:
        i = bad[0]
        raise ValueError(
            f"the Neel state is unstable for sample {i}: J2/J = {J2[i] / J[i]:g} > (1 + dz)/2 "
            f"= {(1.0 + dz) / 2.0:g} (A^2 < B^2: the mode at (1/2, 0) goes soft)."
        )
    return J, J2, S, dz


def check_grid(h, k, energy_edges):
    """Validated contiguous float64 copies of the columns' (h, k) and the energy-bin edges."""
    h = np.ascontiguousarray(_check_wavevector("h", h))
    k = np.ascontiguousarray(_check_wavevector("k", k))
    edges = np.ascontiguousarray(_check_wavevector("energy_edges", energy_edges, units="meV"))
    if h.ndim != 1 or h.shape != k.shape:
        raise ValueError(f"h and k must be 1-D of equal length; got {h.shape} and {k.shape}.")
    if edges.ndim != 1 or edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError("energy_edges must be a 1-D increasing array of at least 2 edges.")
    return h, k, edges


def magnon_slices(J, J2, *, h, k, energy_edges, S=2.5, dz=0.0048, temperature=4.0,
                  resolution_fwhm=0.4, incident_energy=25.0, coverage=None):
    """Momentum-energy images of the Rb2MnF4 magnon spectrum, one per (J, J2).

    Each image has one row per energy bin and one column per wavevector: the
    intensity of :func:`magnon_intensity` averaged over the bin (equations
    in the module docstring), 0 outside ``coverage``.

    Parameters
    ----------
    J : float or array-like of shape (n_images,)
        Nearest-neighbour exchange of each image in meV, positive.
    J2 : float or array-like of shape (n_images,)
        Next-nearest-neighbour exchange J' in meV, ``J2 / J <= (1 + dz)/2``.
    h : array-like of shape (n_path,)
        The columns' wavevector components along a*, reciprocal-lattice units.
    k : array-like of shape (n_path,)
        Their components along b*.
    energy_edges : array-like of shape (n_energy + 1,)
        Increasing energy-bin edges in meV.
    S : float, default=2.5
        Spin length, positive.
    dz : float, default=0.0048
        Ising anisotropy, non-negative.
    temperature : float, default=4.0
        Temperature in K, non-negative.
    resolution_fwhm : float, default=0.4
        Full width at half maximum of the Gaussian energy resolution, meV.
    incident_energy : float, default=25.0
        Incident energy E_i in meV, for k_f/k_i; bins from E_i up are 0.
    coverage : array-like of bool, shape (n_energy, n_path), default=None
        Bins that are measured (e.g. from :func:`mari_coverage` at the bin
        centres); None measures all.

    Returns
    -------
    ndarray of float32, shape (n_images, n_energy, n_path)
        Intensity in 1/meV per spin.

    Raises
    ------
    ValueError
        If a coupling is not finite, not positive (``J``) or unstable, if
        ``J`` and ``J2`` differ in length, if the edges do not increase, if
        ``h``, ``k`` or ``coverage`` have the wrong shapes, or if a setting is
        out of range.

    Examples
    --------
    >>> import numpy as np
    >>> from sciml_estimators.simulators import magnon_slices
    >>> edges = np.linspace(0.0, 9.0, 129)
    >>> images = magnon_slices([0.6544, 0.7], [0.012, 0.0], h=[0.5, 0.75], k=[0.0, 0.25],
    ...                        energy_edges=edges)
    >>> images.shape
    (2, 128, 2)
    >>> centres = (edges[1:] + edges[:-1]) / 2
    >>> print(np.round(centres[images[0].argmax(axis=0)], 2))  # peaks near 6.34, 6.46 meV
    [6.36 6.43]
    """
    J, J2, S, dz = _check_couplings(J, J2, S, dz)
    temperature = _check_scalar("temperature", temperature)
    fwhm = _check_scalar("resolution_fwhm", resolution_fwhm)
    incident = _check_scalar("incident_energy", incident_energy)
    if temperature < 0:
        raise ValueError(f"temperature must be non-negative (K); got {temperature!r}.")
    for name, value in (("resolution_fwhm", fwhm), ("incident_energy", incident)):
        if value <= 0:
            raise ValueError(f"{name} must be positive (meV); got {value!r}.")
    h, k, edges = check_grid(h, k, energy_edges)
    shape = (edges.size - 1, h.size)
    if coverage is None:
        coverage = np.ones(shape, dtype=bool)
    coverage = np.ascontiguousarray(coverage, dtype=bool)
    if coverage.shape != shape:
        raise ValueError(
            f"coverage must have shape (n_energy, n_path) = {shape}; got {coverage.shape}."
        )
    centres = 0.5 * (edges[1:] + edges[:-1])
    kf_ki = np.sqrt(np.clip(1.0 - centres / incident, 0.0, None))
    out = np.empty((J.size, *shape), dtype=np.float32)
    _fill_slices(J, J2, h, k, edges, S, dz, K_B * temperature, fwhm / _FWHM_PER_SIGMA, kf_ki,
                 coverage, out)
    return out

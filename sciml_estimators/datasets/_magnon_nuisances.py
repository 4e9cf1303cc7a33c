"""What a MARI measurement adds to a magnon slice: instrument, sample and counting.

``make_magnons(nuisances="measured")`` draws, per image, from a random stream
of its own each (``_nuisance_streams.nuisance_streams``, after the couplings), and
:func:`~sciml_estimators.simulators.measured_magnon_slices` applies them
inside the kernel (equations there):

- **incident energy** E_i in {15, 25, 35} meV (uniform choice): MARI runs at
  7-1000 meV (ISIS MARI instrument page); these three reach the band top
  (8 meV) with the Gd chopper. E_i sets the low-angle kinematic limit of the
  coverage (fewer low-Q bins at high energy transfer for 15 meV), k_f/k_i and
  the resolution.
- **energy resolution**: MARI's Gd Fermi chopper ("G") at 400 Hz, FWHM from
  moderator, chopper, aperture, sample and detector (Windsor 1981, PyChop):
  0.33 / 0.55 / 0.74 meV at the elastic line for E_i = 15 / 25 / 35 meV,
  narrowing with energy transfer. Not drawn: it follows E_i.
- **temperature** T uniform in [1.5, 20] K: the Bose factor of magnons and
  phonons. Rb2MnF4 orders at T_N = 38.4 K; below T_N / 2 the spin-wave
  energies change by under a few per cent (de Wijn, Walker and Walstedt,
  Phys. Rev. B 8 (1973) 285), which linear spin-wave theory here leaves out.
- **damping** HWHM log-uniform in [0.005, 0.1] meV: a Lorentzian linewidth,
  from below MARI's resolution (Cowley et al., J. Phys. C 10 (1977) 2553:
  resolution-limited magnons at 4.2 K) to a quarter of it (magnon-magnon
  scattering and disorder near T_N / 2).
- **mosaic** FWHM uniform in [0.2, 2] degrees: single crystals to co-aligned
  arrays of several crystals (typical of inelastic neutron samples; Shirane,
  Shapiro and Tranquada, *Neutron Scattering with a Triple-Axis
  Spectrometer*, CUP 2002, sec. 4.5).
- **elastic incoherent line** area log-uniform in [0.3, 10] (intensity x meV):
  incoherent and sample-environment scattering at E = 0, from a fraction to
  ten times the magnon's spectral weight (about 1 here), with the
  resolution's width.
- **phonon background** c_ph log-uniform in [0.002, 0.02] per Angstrom^2 meV:
  c_ph Q^2 E (n(E) + 1), incoherent one-phonon scattering of a Debye solid
  (Squires 2012, ch. 3), up to 0.03-0.3 at the largest Q (1.2 1/Angstrom)
  and E.
- **multiple scattering** log-uniform in [0.005, 0.05]: flat, a few per cent
  of the magnon peaks (Sears, Adv. Phys. 24 (1975) 1).
- **detector efficiency**: 33 banks of 4 degrees over 3-135 degrees, each
  with relative efficiency 1 + N(0, 0.05), clipped at 0 (what a vanadium
  normalisation leaves, a few per cent; Windsor 1981, ch. 6).
- **dead banks**: 0 to 3 (uniform) banks, chosen uniformly, with efficiency
  0: their (Q, E) bins are not measured (``mask`` False, data 0).
- **absolute scale** log-uniform in [0.5, 2]: sample mass and normalisation
  unknown to a factor of 2.
- **counts**: Poisson counts at ``flux`` times a count factor log-uniform in
  [0.3, 3] (about 10-300 counts in the zone-boundary peaks, as in
  hour-long MARI runs on a gram-sized crystal), divided back by that flux.

So a measured bin is ``Poisson(flux_i * I) / flux_i`` with ``I`` the kernel's
image, and 0 where the scan does not reach or its bank is dead.
"""

import numpy as np

from .._progress import chunked_progress
from ..simulators import measured_magnon_slices

__all__ = ["NUISANCE_NAMES", "NUISANCE_RANGES", "describe_nuisances", "draw_nuisances",
           "measured_images"]

#: The random streams, in their fixed order (append new ones at the end).
NUISANCE_NAMES = ("incident_energy", "temperature", "damping", "mosaic", "elastic", "phonon",
                  "multiple_scattering", "efficiency", "dead_banks", "scale", "counts")
#: incident_energy: choices (meV); temperature, mosaic: uniform (K, degrees);
#: efficiency: the banks' standard deviation; dead_banks: an integer range;
#: the rest log-uniform (damping in meV, the others in the images' units).
NUISANCE_RANGES = {
    "incident_energy": (15.0, 25.0, 35.0),
    "temperature": (1.5, 20.0),
    "damping": (0.005, 0.1),
    "mosaic": (0.2, 2.0),
    "elastic": (0.3, 10.0),
    "phonon": (0.002, 0.02),
    "multiple_scattering": (0.005, 0.05),
    "efficiency": 0.05,
    "dead_banks": (0, 3),
    "scale": (0.5, 2.0),
    "counts": (0.3, 3.0),
}
#: Detector banks over MARI's 3-135 degrees, and the chopper setting.
N_BANKS = 33
CHOPPER = {"chopper_frequency": 400.0, "chopper_package": "G"}
_LOG_UNIFORM = ("damping", "elastic", "phonon", "multiple_scattering", "scale", "counts")
_BATCH = 512


def draw_nuisances(n_samples, streams, ranges=NUISANCE_RANGES):
    """Draw each nuisance per image from its own stream.

    Parameters
    ----------
    n_samples : int
        Number of images.
    streams : dict of str to numpy.random.Generator
        From ``nuisance_streams(rng, NUISANCE_NAMES)``.
    ranges : dict, default=NUISANCE_RANGES
        The ranges, keyed as ``NUISANCE_RANGES``.

    Returns
    -------
    drawn : dict of ndarray
        One value per image (``efficiency``: one row of ``N_BANKS``, with the
        dead banks at 0; ``counts``: the count factor).
    """
    drawn = {"incident_energy": streams["incident_energy"].choice(
        np.asarray(ranges["incident_energy"], dtype=float), n_samples)}
    for name in ("temperature", "mosaic"):
        drawn[name] = streams[name].uniform(*ranges[name], n_samples)
    for name in _LOG_UNIFORM:
        low, high = np.log(ranges[name])
        drawn[name] = np.exp(streams[name].uniform(low, high, n_samples))
    efficiency = 1.0 + ranges["efficiency"] * streams["efficiency"].standard_normal(
        (n_samples, N_BANKS))
    low, high = ranges["dead_banks"]
    drawn["dead_banks"] = streams["dead_banks"].integers(low, high + 1, n_samples)
    for i, n_dead in enumerate(drawn["dead_banks"]):
        efficiency[i, streams["dead_banks"].choice(N_BANKS, n_dead, replace=False)] = 0.0
    drawn["efficiency"] = np.clip(efficiency, 0.0, None)
    return {name: drawn[name] for name in NUISANCE_NAMES}


def measured_images(target, drawn, counting, *, h, k, energy_edges, flux, progress=False):
    """Simulate the images of ``target`` under the drawn nuisances, then count them.

    Parameters
    ----------
    target : ndarray of shape (n_samples, 2)
        (J, J') in meV.
    drawn : dict of ndarray
        From :func:`draw_nuisances`.
    counting : numpy.random.Generator
        The ``counts`` stream, for the Poisson draws.
    h, k, energy_edges : ndarray
        The columns' wavevectors and the energy-bin edges.
    flux : float
        Expected counts per bin for an intensity of 1, before the count factor.
    progress : bool, default=False
        Show a progress bar.

    Returns
    -------
    data : ndarray of float32, shape (n_samples, n_energy, n_path)
        Counts divided by each image's flux.
    measured : ndarray of bool, same shape
        The bins the scan reaches in live banks.
    """
    n_samples = len(target)
    data = np.empty((n_samples, energy_edges.size - 1, h.size), dtype=np.float32)
    measured = np.empty(data.shape, dtype=bool)
    image_flux = flux * drawn["counts"]
    conditions = {name: drawn[name] for name in NUISANCE_NAMES if name not in (
        "dead_banks", "counts", "multiple_scattering")}
    with chunked_progress(n_samples, "simulating measured magnon spectra", progress) as bar:
        for start in range(0, n_samples, _BATCH):
            part = slice(start, min(start + _BATCH, n_samples))
            images, measured[part] = measured_magnon_slices(
                target[part, 0], target[part, 1], h=h, k=k, energy_edges=energy_edges,
                multiple_scattering=drawn["multiple_scattering"][part],
                **{name: values[part] for name, values in conditions.items()}, **CHOPPER)
            scale = image_flux[part, None, None]
            counts = counting.poisson(scale * images.astype(np.float64))
            data[part] = np.where(measured[part], counts / scale, 0.0)
            bar.update(part.stop - start)
    return data, measured


def describe_nuisances(ranges=NUISANCE_RANGES):
    """The DESCR line of ``nuisances="measured"`` with these ranges."""
    energies = "/".join(f"{value:g}" for value in ranges["incident_energy"])
    return (
        f"measured-like (MARI, Gd chopper 400 Hz), per image: E_i in {{{energies}}} meV, "
        f"T in [{ranges['temperature'][0]:g}, {ranges['temperature'][1]:g}] K, damping HWHM "
        f"[{ranges['damping'][0]:g}, {ranges['damping'][1]:g}] meV, mosaic "
        f"[{ranges['mosaic'][0]:g}, {ranges['mosaic'][1]:g}] deg, elastic line "
        f"[{ranges['elastic'][0]:g}, {ranges['elastic'][1]:g}], phonons c_ph "
        f"[{ranges['phonon'][0]:g}, {ranges['phonon'][1]:g}], multiple scattering "
        f"[{ranges['multiple_scattering'][0]:g}, {ranges['multiple_scattering'][1]:g}], "
        f"{N_BANKS} banks with {ranges['efficiency']:g} efficiency spread and "
        f"{ranges['dead_banks'][0]}-{ranges['dead_banks'][1]} dead, scale "
        f"[{ranges['scale'][0]:g}, {ranges['scale'][1]:g}], Poisson counts at flux x "
        f"[{ranges['counts'][0]:g}, {ranges['counts'][1]:g}]"
    )

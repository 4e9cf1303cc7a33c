"""What a real SAXS measurement adds to a particle's profile: its level, background, counts.

``make_saxs_1d(nuisances="measured")`` draws, per profile, the factors that a
measurement sets and the particle does not (log-uniformly, from the dataset's
``random_state``, after every other draw but the counting noise):

- **volume fraction** ``phi`` in [1e-3, 0.1]: sasmodels' ``scale``; dilute
  solutions for structure-free SAXS are measured at 0.1 to 10 % by volume
  (Jacques and Trewhella, Protein Sci. 19 (2010) 642; Pauw, J. Phys.:
  Condens. Matter 25 (2013) 383201, sec. 4). The default set has
  ``scale`` = 1.
- **contrast** ``drho`` in [0.5, 10] x 1e-6 /A^2: the scattering-length-density
  difference, from polymers and proteins in water (0.5 to 3) to silica
  (9.5 for SAXS; sasview's 100 nm SiO2 example in D2O has 2.2). The profile
  scales with ``(drho / 3)^2``, 3 being the default set's ``sld - sld_solvent``
  (for the core-shell sphere both of its contrasts scale together).
- **background** ``b`` in [1e-4, 0.1] /cm, flat: incoherent scattering and
  what solvent subtraction leaves; water itself scatters 0.0163 /cm at 20 C
  (Orthaber, Bergmann and Glatter, J. Appl. Cryst. 33 (2000) 218), which
  bounds the residual of a subtraction from above by a few times that. It
  replaces the default set's 0.001.
- **flux factor** in [1e-3, 1e3]: the counting level of ``noise="poisson"``
  (make_saxs_1d's ``flux``, counts per q bin at 1 /cm and the largest q)
  around the given flux or instrument's. The counts follow the profile's
  absolute intensity, so a weaker-scattering sample is noisier, as on a real
  instrument. A measured instrument's flux (``instrument_from_profile``)
  holds for its file's absolute level, which the drawn levels (4.6 decades,
  2.8e-5 to 1.1 times the paper's) may miss; three decades either way let
  training profiles of every level reach the file's counting statistics,
  and one in between is the spread of exposures on one instrument. Chosen by
  a one-off comparison (one seed; training sets as
  ``benchmarks/saxs_real_rg.py`` builds them, with ``NUISANCE_RANGES``
  patched): on SasView's 100nmPinholeSphere, sphere_80, x_coreshell_3,
  PolySpheres and n_coreshell, a decade either way left SAXSRegressor 6 to
  45 % from the Guinier Rg, three decades 0.1 to 4.7 % on the first four
  (n_coreshell, a contrast the simulation lacks, 62 %).

So a profile is ``phi (drho / 3)^2 (I - 0.001) + b``, with ``I`` the
default set's profile (``scale`` 1, background 0.001), and then counted at
``flux * flux_factor``.
"""

import numpy as np

__all__ = ["NUISANCE_RANGES", "apply_nuisances", "describe_nuisances", "draw_nuisances"]

#: name -> (low, high), each drawn log-uniformly per profile.
NUISANCE_RANGES = {
    "volume_fraction": (1e-3, 0.1),
    "contrast": (0.5, 10.0),
    "background": (1e-4, 0.1),
    "flux_factor": (1e-3, 1e3),
}
#: The contrast (sld - sld_solvent, 1e-6 /A^2) and background (1/cm) of the default set.
DEFAULT_CONTRAST, DEFAULT_BACKGROUND = 3.0, 0.001


def draw_nuisances(n_samples, rng):
    """Draw each nuisance of ``NUISANCE_RANGES`` log-uniformly, in that order.

    Returns
    -------
    nuisances : dict of ndarray of shape (n_samples,)
    """
    return {
        name: np.exp(rng.uniform(np.log(low), np.log(high), n_samples))
        for name, (low, high) in NUISANCE_RANGES.items()
    }


def apply_nuisances(data, nuisances):
    """Profiles of the default set (rows of ``data``) at the drawn level and background."""
    level = nuisances["volume_fraction"] * (nuisances["contrast"] / DEFAULT_CONTRAST) ** 2
    return level[:, None] * (data - DEFAULT_BACKGROUND) + nuisances["background"][:, None]


def describe_nuisances():
    """The DESCR text of ``nuisances="measured"``."""
    ranges = ", ".join(f"{name} log-uniform in [{low:g}, {high:g}]"
                       for name, (low, high) in NUISANCE_RANGES.items())
    return (f"measured-like, per profile: {ranges}; I = volume_fraction "
            "(contrast / 3)^2 (I_default - 0.001) + background, counted at flux * flux_factor")

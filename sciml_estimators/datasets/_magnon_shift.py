"""Magnons across measurement conditions: train on one regime, evaluate on another."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state

from .._framework import Number
from ..storage._stored_generator import stored_generator
from ._domain_sizes import domain_sizes
from ._magnon_nuisances import (
    NUISANCE_NAMES,
    NUISANCE_RANGES,
    describe_nuisances,
    draw_nuisances,
    measured_images,
)
from ._magnons import ENERGY_EDGES, J2_RANGE, J_RANGE, draw_couplings, magnon_bunch, magnon_path
from ._nuisance_streams import nuisance_streams

#: The conditions the models train on: E_i = 25 meV only, a cold sample (1.5-6 K)
#: and a weak background (the lower third, in log, of the measured set's ranges).
SOURCE = {**NUISANCE_RANGES, "incident_energy": (25.0,), "temperature": (1.5, 6.0),
          "phonon": (0.002, 0.0043), "multiple_scattering": (0.005, 0.0108)}
#: Conditions training never saw: E_i = 15 or 35 meV (other coverage, k_f/k_i and
#: resolution), a warm sample (12-20 K: thermal magnon population, energy-gain
#: tails) and a strong background (the upper third of the ranges).
SHIFTED = {**NUISANCE_RANGES, "incident_energy": (15.0, 35.0), "temperature": (12.0, 20.0),
           "phonon": (0.0093, 0.02), "multiple_scattering": (0.0232, 0.05)}
#: Expected counts per bin for an intensity of 1, before each image's count factor.
FLUX = 20.0


@stored_generator(
    {
        "n_samples": [Number(Integral, 4, None, closed="left")],
        "shifted_fraction": [Number(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
        "progress": ["boolean"],
    }
)
def make_magnons_domain_shift(n_samples=29957, *, shifted_fraction=0.2, random_state=None,
                              progress=False):
    """Measured-like magnon images under two regimes of incident energy, temperature, background.

    A model trained on one set of measurement conditions meets another. The
    ``SOURCE`` images are measured at E_i = 25 meV, 1.5-6 K, with a weak
    phonon and multiple-scattering background; the ``SHIFTED`` ones at
    E_i = 15 or 35 meV (another coverage, k_f/k_i and energy resolution),
    12-20 K (a thermal magnon population and energy-gain tails) and a
    strong background. Everything else (damping, mosaic, elastic line,
    banks, scale, counts) is drawn as in ``make_magnons(nuisances="measured")``.
    Unmeasured bins are 0: the shifted images have zeros where the source
    ones have data. The benchmark trains on source images and scores on
    shifted ones.

    Parameters
    ----------
    n_samples : int, default=29957
        Images in all; each regime's share must hold at least 2.
    shifted_fraction : float in (0, 1), default=0.2
        Fraction of the images measured under the shifted conditions.
    random_state : int, RandomState instance or None, default=None
        Seeds the couplings, the conditions and the counts of both regimes.
    progress : bool, default=False
        Show progress bars while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the attributes of
        ``make_magnons(nuisances="measured")`` (``data``, ``target``,
        ``mask`` per image, ``nuisance_parameters``, the axes), the source
        images first, and

        domain : ndarray of shape (n_samples,)
            0 for the source conditions, 1 for the shifted ones.
        conditions : dict
            ``{"source": SOURCE, "shifted": SHIFTED}``.

    Raises
    ------
    ValueError
        If a regime would hold fewer than 2 images.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_magnons_domain_shift
    >>> magnons = make_magnons_domain_shift(10, random_state=0)
    >>> magnons.data.shape, int(magnons.domain.sum())
    ((10, 128, 128), 2)
    """
    n_source, n_shifted = domain_sizes(n_samples, shifted_fraction, least=2, unit="images")
    rng = check_random_state(random_state)
    h, k, _, _ = magnon_path(128)
    parts = []
    for n, ranges in ((n_source, SOURCE), (n_shifted, SHIFTED)):
        target = draw_couplings(n, J_RANGE, J2_RANGE, rng)
        streams = nuisance_streams(rng, NUISANCE_NAMES)
        drawn = draw_nuisances(n, streams, ranges)
        data, measured = measured_images(target, drawn, streams["counts"], h=h, k=k,
                                         energy_edges=ENERGY_EDGES, flux=FLUX, progress=progress)
        drawn["flux"] = FLUX * drawn.pop("counts")
        parts.append((data, target, measured, drawn))
    (source, shifted) = parts
    return magnon_bunch(
        np.concatenate([source[0], shifted[0]]), np.concatenate([source[1], shifted[1]]),
        np.concatenate([source[2], shifted[2]]), J_RANGE, J2_RANGE,
        f"source {describe_nuisances(SOURCE)}; shifted {describe_nuisances(SHIFTED)}",
        "Poisson counts (see the instrument)",
        nuisance_parameters={name: np.concatenate([source[3][name], shifted[3][name]])
                             for name in source[3]},
        domain=np.repeat([0, 1], [n_source, n_shifted]),
        conditions={"source": SOURCE, "shifted": SHIFTED},
    )

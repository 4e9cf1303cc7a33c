"""DMS across experiments: train on one sample, detector geometry and energy, test on another."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number
from ..simulators import dms_symmetry_period
from ..storage._stored_generator import stored_generator
from ._domain_sizes import domain_sizes
from ._dms import simulate_dms
from ._dms_nuisances import NUISANCE_RANGES

#: The experiment the models train on: make_dms's measured-like patterns at 8 keV
#: with the detector at 80 mm, of wafers cut within 0.1-0.5 degrees of [001].
SOURCE = {"energy_kev": 8.0, "distance_mm": 80.0, "miscut_deg": (0.1, 0.5)}
#: Another experiment: 8.1 keV (the cones' cos(alpha) 1.2 % smaller), the detector
#: 4 mm nearer (5 % wider angles per pixel) and vicinal samples, 1-2 degrees miscut.
SHIFTED = {"energy_kev": 8.1, "distance_mm": 76.0, "miscut_deg": (1.0, 2.0)}
#: Both count Poisson photons at this flux (counts per unit intensity).
FLUX = 100.0


@stored_generator(
    {
        "n_samples": [Number(Integral, 4, None, closed="left")],
        "shifted_fraction": [Number(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
        "progress": ["boolean"],
    }
)
def make_dms_domain_shift(n_samples=20000, *, shifted_fraction=0.2, random_state=None,
                          progress=False):
    """Measured-like Si [001] DMS patterns from two experiments, with the azimuth psi.

    A model trained on one experiment meets patterns of another: another
    beam energy, detector distance and sample miscut. Both are
    ``make_dms(nuisances="measured", noise="poisson", flux=100)`` patterns
    (every other nuisance drawn over the same ranges), the ``SOURCE``
    experiment at 8.0 keV with the detector at 80 mm and miscuts of 0.1 to
    0.5 degrees, the ``SHIFTED`` one at 8.1 keV, 76 mm and 1 to 2 degrees.
    The benchmark trains on source patterns and scores on shifted ones.

    Parameters
    ----------
    n_samples : int, default=20000
        Patterns in all; each experiment's share must hold at least 2.
    shifted_fraction : float in (0, 1), default=0.2
        Fraction of the patterns from the shifted experiment.
    random_state : int, RandomState instance or None, default=None
        Seeds both experiments' patterns (psi, disorder, nuisances, counts).
    progress : bool, default=False
        Show progress bars while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, 128, 128), float32
            The patterns, source first, then shifted.
        target : ndarray of shape (n_samples,)
            psi in degrees, in [0, 90).
        target_names : ndarray of shape (1,)
            ``["psi"]``.
        period : float
            90 degrees.
        domain : ndarray of shape (n_samples,)
            0 for the source experiment, 1 for the shifted one.
        nuisance_parameters : dict of ndarray of shape (n_samples,)
            The drawn nuisances of every pattern (as ``make_dms``'s).
        conditions : dict
            ``{"source": SOURCE, "shifted": SHIFTED}``.
        DESCR : str
            This description.

    Raises
    ------
    ValueError
        If an experiment would get fewer than 2 patterns.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_dms_domain_shift
    >>> dms = make_dms_domain_shift(10, random_state=0)
    >>> dms.data.shape, int(dms.domain.sum()), dms.period
    ((10, 128, 128), 2, 90.0)
    """
    rng = check_random_state(random_state)
    n_source, n_shifted = domain_sizes(n_samples, shifted_fraction, least=2, unit="patterns")
    parts = []
    for n, conditions in ((n_source, SOURCE), (n_shifted, SHIFTED)):
        parts.append(simulate_dms(
            rng, n, crystal="Si", energy_kev=conditions["energy_kev"], surface=(0, 0, 1),
            detector={"distance_mm": conditions["distance_mm"]}, shape=(128, 128),
            misorientation_deg=0.2, energy_jitter=1e-3, noise="poisson", flux=FLUX,
            ranges=dict(NUISANCE_RANGES, miscut_deg=conditions["miscut_deg"]),
            progress=progress))
    (source, source_psi, *_, source_drawn, _), (shifted, shifted_psi, *_, shifted_drawn, _) = parts
    return Bunch(
        data=np.concatenate([source, shifted]),
        target=np.concatenate([source_psi, shifted_psi]),
        target_names=np.array(["psi"]),
        period=dms_symmetry_period("Si", (0, 0, 1)),
        domain=np.repeat([0, 1], [len(source), len(shifted)]),
        nuisance_parameters={name: np.concatenate([values, shifted_drawn[name]])
                             for name, values in source_drawn.items()},
        conditions={"source": SOURCE, "shifted": SHIFTED},
        DESCR=make_dms_domain_shift.__doc__,
    )

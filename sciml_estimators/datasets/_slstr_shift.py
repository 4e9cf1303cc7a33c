"""SLSTR cloud masking across surfaces and seasons: train on some, evaluate on others."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number
from ..simulators._slstr import CHANNEL_NAMES, WAVELENGTHS_UM
from ..simulators._slstr_surfaces import SURFACES
from ..storage._stored_generator import stored_generator
from ._domain_sizes import domain_sizes
from ._slstr import TARGET_NAMES, screened_scenes

#: The conditions the models train on: daytime sea and vegetated land (temperate
#: summer), no desert, no snow or sea ice, no dust.
SOURCE = {"desert_share": 0.0, "snow_share": 0.0, "dust_share": 0.0}
#: Conditions training never saw: desert land, snow and sea ice in half the
#: scenes (winter at high latitudes) and Saharan dust in half.
SHIFTED = {"desert_share": 1.0, "snow_share": 0.5, "dust_share": 0.5}


@stored_generator(
    {
        "n_samples": [Number(Integral, 2, None, closed="left")],
        "size": [Number(Integral, 1, None, closed="left")],
        "shifted_fraction": [Number(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
        "progress": ["boolean"],
    }
)
def make_slstr_domain_shift(
    n_samples=1000,
    *,
    size=250,
    shifted_fraction=0.2,
    random_state=None,
    progress=False,
):
    """Measured-like SLSTR scenes under two sets of surfaces and seasons.

    A cloud mask trained on one region and season meets another: the
    ``SOURCE`` scenes are daytime sea and vegetated coasts and land (no
    desert, snow, sea ice or dust); the ``SHIFTED`` ones have desert land,
    snow on land and sea ice in half of them and a mineral dust layer in half
    (bright dry surfaces, the snow / cloud confusion of the visible channels,
    dust's negative split window). Everything else is
    ``make_slstr_scenes(nuisances="measured")``'s: clouds, thin cirrus,
    glint, fine aerosol, solar zenith, Gaussian sensor noise. Each set's
    labels (``target``) come from a Bayesian screening fitted on 32
    calibration scenes of its own conditions, as an operational screening
    with that region's background fields would give them; ``truth`` is the
    optical depth's. The benchmark trains on source scenes and scores on
    shifted ones.

    Parameters
    ----------
    n_samples : int, default=1000
        Scenes in all; each set holds at least one.
    size : int, default=250
        Pixels per side of each scene.
    shifted_fraction : float in (0, 1), default=0.2
        Fraction of the scenes under the shifted conditions.
    random_state : int, RandomState instance or None, default=None
        Seeds both sets' scenes, screenings and noise.
    progress : bool, default=False
        Show progress bars while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, 9, size, size), float32
            S1-S6 reflectances and S7-S9 brightness temperatures in K; the
            source scenes first, then the shifted ones.
        target : ndarray of shape (n_samples, size, size), uint8
            Each set's Bayesian cloud mask, 1 cloud and 0 clear.
        truth : ndarray of shape (n_samples, size, size), uint8
            1 where the total optical depth exceeds 0.1.
        domain : ndarray of shape (n_samples,)
            0 for the source conditions, 1 for the shifted ones.
        surface : ndarray of shape (n_samples, size, size), uint8
            Each pixel's surface class, an index into ``surface_names``.
        surface_names, channel_names, target_names : list of str
            As in :func:`make_slstr_scenes`.
        wavelengths : ndarray of shape (9,)
            Channel centres in um.
        conditions : dict
            ``{"source": SOURCE, "shifted": SHIFTED}``: the shares of desert,
            snow and sea ice, and dust scenes.
        DESCR : str
            This description.

    Raises
    ------
    ValueError
        If either set would be empty, or an argument is out of range.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_slstr_domain_shift
    >>> scenes = make_slstr_domain_shift(5, size=16, random_state=0)
    >>> scenes.data.shape, int(scenes.domain.sum())
    ((5, 9, 16, 16), 1)
    """
    rng = check_random_state(random_state)
    n_source, n_shifted = domain_sizes(n_samples, shifted_fraction, least=1, unit="scenes")
    parts = []
    for n, conditions in ((n_source, SOURCE), (n_shifted, SHIFTED)):
        part = screened_scenes(n, size, (0.0, 1.0), True, "gaussian", rng, conditions, progress)
        del part["clear_sky"], part["optical_depth"]  # not returned: free them now
        parts.append(part)
    return Bunch(
        **{key: np.concatenate([part[key] for part in parts])
           for key in ("data", "target", "truth", "surface")},
        domain=np.repeat([0, 1], [n_source, n_shifted]),
        surface_names=list(SURFACES),
        channel_names=list(CHANNEL_NAMES),
        target_names=list(TARGET_NAMES),
        wavelengths=WAVELENGTHS_UM.copy(),
        conditions={"source": SOURCE, "shifted": SHIFTED},
        DESCR=make_slstr_domain_shift.__doc__,
    )

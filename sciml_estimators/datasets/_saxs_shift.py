"""SAXS-1D across instruments: train on one beamline's profiles, evaluate on another's."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number
from ..preprocessing import resample_profile
from ..storage._stored_generator import stored_generator
from ._domain_sizes import domain_sizes
from ._saxs import DEFAULT_Q, make_saxs_1d

#: The instrument the models train on: the SAXS-1D set's grid, no smearing,
#: counts at flux 1000.
SOURCE = {"q": DEFAULT_Q, "resolution": None, "flux": 1000.0}
#: Another beamline: a wider, linearly spaced q range (a 2-D detector's
#: azimuthal average), 10 % pinhole smearing and a tenth of the counts.
SHIFTED = {"q": np.linspace(5e-4, 0.6, 400), "resolution": 0.1, "flux": 100.0}


@stored_generator(
    {
        "n_samples": [Number(Integral, 4, None, closed="left")],
        "shapes": [list, tuple],
        "shifted_fraction": [Number(Real, 0, 1, closed="neither")],
        "random_state": ["random_state"],
        "progress": ["boolean"],
    }
)
def make_saxs_domain_shift(
    n_samples=20000,
    *,
    shapes=("sphere", "parallelepiped"),
    shifted_fraction=0.2,
    random_state=None,
    progress=False,
):
    """Noise-added SAXS-1D profiles from two instruments, on the first one's q grid.

    A model trained on one beamline meets data from another: other q range
    and spacing, resolution and flux. The ``SOURCE`` instrument is the
    SAXS-1D set's (300 log-spaced q from 0.001 to 0.5 1/A, no smearing,
    Poisson counts at flux 1000); the ``SHIFTED`` one measures 400 linearly
    spaced q from 0.0005 to 0.6 1/A with 10 % (dq/q) pinhole smearing at
    flux 100. Its profiles are resampled onto the source grid (log I against
    log q, :func:`~sciml_estimators.preprocessing.resample_profile`), as a
    beamline's reduction or ``SAXSClassifier(q=...)`` would. The benchmark
    trains on source profiles and scores on shifted ones.

    Parameters
    ----------
    n_samples : int, default=20000
        Profiles in all; each instrument's share must hold at least 2
        profiles and one per shape (at least 8 with the defaults).
    shapes : sequence of str, default=("sphere", "parallelepiped")
        The classes, as in :func:`make_saxs_1d`.
    shifted_fraction : float in (0, 1), default=0.2
        Fraction of the profiles measured on the shifted instrument.
    random_state : int, RandomState instance or None, default=None
        Seeds both instruments' profiles (sizes, order and noise).
    progress : bool, default=False
        Show progress bars while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, 300)
            Intensities in 1/cm on the source grid ``q``; the source
            profiles first, then the shifted ones.
        target : ndarray of shape (n_samples,)
            Class index.
        target_names : ndarray of str
            The shapes.
        domain : ndarray of shape (n_samples,)
            0 for the source instrument, 1 for the shifted one.
        q : ndarray of shape (300,)
            The source grid in 1/A.
        instruments : dict
            ``{"source": SOURCE, "shifted": SHIFTED}``.
        DESCR : str
            This description.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_saxs_domain_shift
    >>> saxs = make_saxs_domain_shift(100, random_state=0)
    >>> saxs.data.shape, int(saxs.domain.sum())
    ((100, 300), 20)
    """
    rng = check_random_state(random_state)
    # make_saxs_1d's minimum, and one profile per shape.
    n_source, n_shifted = domain_sizes(n_samples, shifted_fraction, least=max(2, len(shapes)),
                                       unit="profiles", reason=" (2, and one per shape)")
    parts = []
    for n, instrument in ((n_source, SOURCE), (n_shifted, SHIFTED)):
        parts.append(make_saxs_1d(
            n, shapes=tuple(shapes), q=instrument["q"], resolution=instrument["resolution"],
            noise="poisson", flux=instrument["flux"], random_state=rng, progress=progress,
        ))
    source, shifted = parts
    shifted_data = resample_profile(SHIFTED["q"], shifted.data, SOURCE["q"])
    return Bunch(
        data=np.concatenate([source.data, shifted_data]),
        target=np.concatenate([source.target, shifted.target]),
        target_names=source.target_names,
        domain=np.repeat([0, 1], [len(source.data), len(shifted_data)]),
        q=SOURCE["q"].copy(),
        instruments={"source": SOURCE, "shifted": SHIFTED},
        DESCR=make_saxs_domain_shift.__doc__,
    )

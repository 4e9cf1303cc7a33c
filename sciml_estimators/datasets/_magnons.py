r"""The magnon dataset: Rb2MnF4 spin-wave images for regressing J and J'.

Representation
--------------

Each image is a momentum-energy slice, 128 x 128 as in the paper: rows are
energy-transfer bins from 0 to 9 meV (0.0703 meV wide, row 0 lowest),
columns are wavevectors along the path

.. math::

    \Gamma(0, 0) \to X(\tfrac12, 0) \to (\tfrac34, \tfrac14)
    \to M(\tfrac12, \tfrac12) \to \Gamma(0, 0)

in the :math:`(h, k, 0)` plane, :math:`0 \le h, k < 1` (columns at the
centres of 128 equal steps of path length). Why this and not the paper's
energy-integrated :math:`(h, k)` map:

- **J sets the energy scale.** The one-magnon weight :math:`S_\perp` depends
  on :math:`J` and :math:`J'` only through their ratio, so an
  energy-integrated map is the same for :math:`(J, J')` and
  :math:`(2J, 2J')` up to the Bose and :math:`k_f/k_i` factors: it cannot
  give :math:`J`. A slice with an energy axis shows the bandwidth
  :math:`4SJ(1 + d_z) \approx 6.5` meV directly.
- **J' is the slope of the zone boundary.** Along :math:`X \to
  (\tfrac34, \tfrac14)`, the antiferromagnetic zone boundary, the energy runs
  from :math:`4S[J(1 + d_z) - 2J']` to :math:`4S[J(1 + d_z) - J']`: with
  :math:`J'` the boundary tilts by :math:`4SJ' \approx 0.12` meV, and with
  :math:`J' = 0` it is flat. That segment is the only place :math:`J'`
  shows, and the path follows it at :math:`|Q|` where the coverage mask keeps
  it (the equivalent boundary near :math:`(\tfrac14, \tfrac14)` loses its top
  to the low-angle detector limit).
- **The rest of the path** holds the gap and the strongest intensity at
  :math:`M` and the vanishing intensity near :math:`\Gamma`, as a measured
  slice would.

``examples/plot_magnon_images.py`` draws slices at the corners of the
parameter range and the difference that :math:`J'` makes, next to the
energy-integrated map that does not change with :math:`J`'s scale.

The instrument is MARI-like (see :func:`~sciml_estimators.simulators.mari_coverage`):
incident energy 25 meV, detectors 3-135 degrees, a 90-degree rotation scan,
Gaussian energy resolution of 0.4 meV full width (1.6% of E_i), 4 K. Bins
the scan does not reach are 0 and ``mask`` is False there.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number, StrOptions
from .._progress import chunked_progress
from ..simulators import (
    _chopper_resolution,
    _magnon_intensity,
    _magnon_slices,
    _measured_magnon_slices,
    _square_lattice_magnons,
    magnon_slices,
    mari_coverage,
)
from ..storage._stored_generator import stored_generator
from . import _magnon_nuisances
from ._magnon_nuisances import (
    NUISANCE_NAMES,
    NUISANCE_RANGES,
    describe_nuisances,
    draw_nuisances,
    measured_images,
)
from ._nuisance_streams import nuisance_streams
from ._poisson_noise import BACKGROUND, FLUX

#: Corners of the momentum path in (h, k), reciprocal-lattice units.
PATH_CORNERS = {"Gamma": (0.0, 0.0), "X": (0.5, 0.0), "(3/4,1/4)": (0.75, 0.25),
                "M": (0.5, 0.5), "Gamma'": (0.0, 0.0)}
#: Energy-transfer bins in meV: 128 from 0 to 9 meV (the band top at J = 0.8
#: is 8.04 meV).
ENERGY_EDGES = np.linspace(0.0, 9.0, 129)
#: The sampled ranges in meV (uniform); literature J = 0.648-0.673,
#: J' = 0.006-0.012 (Cowley et al. 1977, Huberman et al. 2005).
J_RANGE = (0.5, 0.8)
J2_RANGE = (0.0, 0.03)
#: Settings shared by every image.
INSTRUMENT = {"S": 2.5, "dz": 0.0048, "temperature": 4.0, "resolution_fwhm": 0.4,
              "incident_energy": 25.0}
TARGET_NAMES = np.array(["J", "J2"])
_BATCH = 512

_DESCR_HEAD = """\
.. _magnons_dataset:

Magnons: Rb2MnF4 spin-wave images
---------------------------------

Regression of the exchange couplings (J, J') of the two-dimensional
antiferromagnet Rb2MnF4 from simulated inelastic neutron scattering, the
magnon benchmark of Hey et al. (2020).

- J uniform in [{j0:g}, {j1:g}] meV, J' uniform in [{k0:g}, {k1:g}] meV;
  S = {S:g}, dz = {dz:g}.
- images: {n_e} energy bins from {e0:g} to {e1:g} meV (rows) x {n_p} wavevectors
  along Gamma-X-(3/4,1/4)-M-Gamma (columns), in 1/meV per spin.
- instrument: {instrument}.
- noise: {noise}.

The representation, the simulator and the coverage follow.
"""


def magnon_path(n_points=128):
    """The image columns: wavevectors along Gamma-X-(3/4,1/4)-M-Gamma.

    Parameters
    ----------
    n_points : int, default=128
        Number of columns, at the centres of equal steps of path length.

    Returns
    -------
    h, k : ndarray of shape (n_points,)
        The wavevectors in reciprocal-lattice units.
    distance : ndarray of shape (n_points,)
        Path length from Gamma in reciprocal-lattice units.
    ticks : dict of str to float
        Path length of each corner, for axis labels.

    Examples
    --------
    >>> from sciml_estimators.datasets import magnon_path
    >>> h, k, distance, ticks = magnon_path(4)
    >>> [round(value, 3) for value in ticks.values()]
    [0.0, 0.5, 0.854, 1.207, 1.914]
    """
    corners = np.array(list(PATH_CORNERS.values()))
    lengths = np.linalg.norm(np.diff(corners, axis=0), axis=1)
    starts = np.concatenate([[0.0], np.cumsum(lengths)])
    distance = (np.arange(n_points) + 0.5) / n_points * starts[-1]
    segment = np.minimum(np.searchsorted(starts, distance, side="right") - 1, lengths.size - 1)
    fraction = (distance - starts[segment]) / lengths[segment]
    hk = corners[segment] + fraction[:, None] * (corners[segment + 1] - corners[segment])
    return hk[:, 0], hk[:, 1], distance, dict(zip(PATH_CORNERS, starts.tolist()))


def _check_range(name, value, positive):
    try:
        low, high = (float(part) for part in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high) in meV; got {value!r}.") from None
    if not (np.isfinite(low) and np.isfinite(high) and low <= high
            and (low > 0 if positive else low >= 0)):
        bound = "0 < low" if positive else "0 <= low"
        raise ValueError(f"{name} must satisfy {bound} <= high, finite (meV); got {value!r}.")
    return low, high


@stored_generator(
    {
        "n_samples": [Number(Integral, 1, None, closed="left")],
        "J_range": ["array-like"],
        "J2_range": ["array-like"],
        "noise": [StrOptions({"poisson"}), None],
        "flux": [FLUX],
        "background": [BACKGROUND],
        "mask": ["boolean"],
        "nuisances": [StrOptions({"measured"}), None],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
        "progress": ["boolean"],
    }
)
def make_magnons(
    n_samples=29957,
    *,
    J_range=J_RANGE,
    J2_range=J2_RANGE,
    noise=None,
    flux=20.0,
    background=0.05,
    mask=True,
    nuisances=None,
    random_state=None,
    return_X_y=False,
    progress=False,
):
    """Simulate the paper's magnon set: Rb2MnF4 spectra labelled with (J, J').

    Each sample is a 128 x 128 momentum-energy slice of the one-magnon
    spectrum (energy rows, wavevector columns along
    Gamma-X-(3/4,1/4)-M-Gamma; the choice is justified in the module
    docstring and ``DESCR``) for couplings drawn uniformly from the ranges.

    Parameters
    ----------
    n_samples : int, default=29957
        Number of images (the paper's 29,957: 27,000 train, 2,957 validation).
    J_range : (float, float), default=(0.5, 0.8)
        Range of the nearest-neighbour exchange J in meV, ``0 < low <= high``.
    J2_range : (float, float), default=(0.0, 0.03)
        Range of the next-nearest-neighbour exchange J' in meV,
        ``0 <= low <= high``, and ``high / J_range[0]`` within the Neel
        state's stability limit ``(1 + dz) / 2``.
    noise : {"poisson"} or None, default=None
        ``None`` returns ideal images. ``"poisson"`` draws counts with mean
        ``flux * (I + background)`` in every measured bin and divides them
        back by ``flux``.
    flux : float, default=20.0
        Expected counts per bin for an intensity of 1 per meV per spin; the
        zone-boundary peaks then hold about 30-60 counts. In [1e-12, 1e12]; only
        used with ``noise="poisson"`` or ``nuisances="measured"`` (times each
        image's count factor).
    background : float, default=0.05
        Flat background in 1/meV per spin added before counting, in [0, 1e6].
        Only used with ``noise="poisson"``.
    mask : bool, default=True
        Zero the bins the MARI-like scan does not reach (``mask`` in the
        result); False keeps every bin.
    nuisances : {"measured"} or None, default=None
        ``None``: the ideal images above. ``"measured"``: each image as
        MARI would measure it, with its own incident energy (15, 25 or 35
        meV: coverage, k_f/k_i and an energy resolution that varies with
        energy transfer), temperature, damping, mosaic, elastic line,
        phonon and multiple-scattering background, detector-bank
        efficiencies and dead banks and absolute scale, drawn per image
        (ranges and sources in ``sciml_estimators.datasets._magnon_nuisances``),
        and always Poisson counts at ``flux`` times a drawn count factor
        (``noise`` and ``background`` are then not used). The couplings are
        those of the same call without nuisances.
    random_state : int, RandomState instance or None, default=None
        Seeds the couplings, the nuisances and the noise.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    progress : bool, default=False
        Show a progress bar while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of float32, shape (n_samples, 128, 128)
            Intensity in 1/meV per spin, rows = energy, columns = path.
            float32 keeps the paper's 29,957 images to 2 GB.
        target : ndarray of shape (n_samples, 2)
            (J, J') in meV.
        target_names : ndarray of shape (2,)
            ``["J", "J2"]``.
        energy, energy_edges : ndarray of shape (128,), (129,)
            Bin centres and edges in meV.
        h, k, path_distance : ndarray of shape (128,)
            The columns' wavevectors (r.l.u.) and path length from Gamma.
        path_ticks : dict of str to float
            Path length of each corner of the path.
        mask : ndarray of bool, shape (128, 128)
            True where the scan measures (all True with ``mask=False``);
            with ``nuisances="measured"`` one per image, shape
            (n_samples, 128, 128), False also in dead banks.
        nuisance_parameters : dict of ndarray
            Only with ``nuisances="measured"``: each image's drawn values
            (``efficiency`` of shape (n_samples, 33), ``flux`` its count
            level, the others of shape (n_samples,)).
        instrument : dict
            S, dz, temperature, resolution and incident energy (not with
            ``nuisances="measured"``, whose are per image).
        DESCR : str
            Description of the set, the representation and the simulator.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        If a range is not an ordered pair of non-negative (J: positive)
        energies, if ``J2_range`` reaches the instability of the Neel state,
        or if ``nuisances="measured"`` comes with ``mask=False``.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_magnons
    >>> magnons = make_magnons(4, random_state=0)
    >>> magnons.data.shape, magnons.target.shape, magnons.target_names.tolist()
    ((4, 128, 128), (4, 2), ['J', 'J2'])
    """
    J_range = _check_range("J_range", J_range, positive=True)
    J2_range = _check_range("J2_range", J2_range, positive=False)
    limit = (1.0 + INSTRUMENT["dz"]) / 2.0
    if J2_range[1] / J_range[0] > limit:
        raise ValueError(
            f"J2_range up to {J2_range[1]:g} meV with J from {J_range[0]:g} meV reaches "
            f"J2/J = {J2_range[1] / J_range[0]:.4g} > (1 + dz)/2 = {limit:.4g}, where the "
            "Neel state is unstable; lower J2_range or raise J_range."
        )
    if nuisances is not None and not mask:
        raise ValueError("nuisances='measured' measures only what the scan reaches: it needs "
                         "mask=True.")
    rng = check_random_state(random_state)
    target = draw_couplings(n_samples, J_range, J2_range, rng)
    h, k, _, _ = magnon_path(128)
    energy = 0.5 * (ENERGY_EDGES[1:] + ENERGY_EDGES[:-1])
    if nuisances == "measured":
        streams = nuisance_streams(rng, NUISANCE_NAMES)
        drawn = draw_nuisances(n_samples, streams)
        data, coverage = measured_images(target, drawn, streams["counts"], h=h, k=k,
                                         energy_edges=ENERGY_EDGES, flux=flux, progress=progress)
        if return_X_y:
            return data, target
        drawn["flux"] = flux * drawn.pop("counts")
        return magnon_bunch(data, target, coverage, J_range, J2_range, describe_nuisances(),
                            "Poisson counts (see the instrument)", nuisance_parameters=drawn)
    coverage = (mari_coverage(h, k, energy[:, None],
                              incident_energy=INSTRUMENT["incident_energy"])
                if mask else np.ones((energy.size, h.size), dtype=bool))
    settings = dict(h=h, k=k, energy_edges=ENERGY_EDGES, coverage=coverage, **INSTRUMENT)
    data = np.empty((n_samples, energy.size, h.size), dtype=np.float32)
    with chunked_progress(n_samples, "simulating magnon spectra", progress) as bar:
        for start in range(0, n_samples, _BATCH):
            stop = min(start + _BATCH, n_samples)
            data[start:stop] = magnon_slices(target[start:stop, 0], target[start:stop, 1],
                                             **settings)
            bar.update(stop - start)
    if noise == "poisson":
        for start in range(0, n_samples, _BATCH):
            batch = data[start : start + _BATCH]
            counts = rng.poisson(flux * (batch.astype(np.float64) + background))
            batch[...] = np.where(coverage, counts / flux, 0.0)
    if return_X_y:
        return data, target
    instrument = ("E_i = {incident_energy:g} meV, resolution {resolution_fwhm:g} meV FWHM, "
                  "T = {temperature:g} K, coverage mask ").format(**INSTRUMENT)
    return magnon_bunch(data, target, coverage, J_range, J2_range,
                        instrument + ("applied" if mask else "off"),
                        "ideal" if noise is None
                        else f"Poisson counts at flux {flux:g}, background {background:g}",
                        instrument=dict(INSTRUMENT))


def draw_couplings(n_samples, J_range, J2_range, rng):
    """(J, J') of ``n_samples`` images, uniform in the ranges: an (n_samples, 2) array."""
    return np.column_stack([rng.uniform(*J_range, n_samples), rng.uniform(*J2_range, n_samples)])


def magnon_bunch(data, target, mask, J_range, J2_range, setting, noise, **extra):
    """The Bunch of a magnon set: images, targets, axes, mask, ``extra`` and DESCR."""
    h, k, distance, ticks = magnon_path(128)
    descr = _DESCR_HEAD.format(
        j0=J_range[0], j1=J_range[1], k0=J2_range[0], k1=J2_range[1], n_e=ENERGY_EDGES.size - 1,
        e0=ENERGY_EDGES[0], e1=ENERGY_EDGES[-1], n_p=h.size, instrument=setting, noise=noise,
        S=INSTRUMENT["S"], dz=INSTRUMENT["dz"],
    )
    docs = (__doc__, _magnon_slices.__doc__, _square_lattice_magnons.__doc__,
            _magnon_intensity.__doc__)
    if "nuisance_parameters" in extra:
        docs = (*docs, _magnon_nuisances.__doc__, _measured_magnon_slices.__doc__,
                _chopper_resolution.__doc__)
    return Bunch(
        data=data,
        target=target,
        target_names=TARGET_NAMES.copy(),
        energy=0.5 * (ENERGY_EDGES[1:] + ENERGY_EDGES[:-1]),
        energy_edges=ENERGY_EDGES.copy(),
        h=h,
        k=k,
        path_distance=distance,
        path_ticks=ticks,
        mask=mask,
        **extra,
        DESCR=descr + "\n" + "\n".join(docs),
    )

"""The DMS dataset of the paper: diffuse multiple scattering patterns against psi."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number, StrOptions
from .._progress import chunked_progress
from ..simulators import _dms, dms_symmetry_period
from ..simulators._crystals import CRYSTALS
from ..simulators._dms import DMSSetup, rotation_z, tilt_rotation
from ..simulators._dms_detector import COUNTER_MAX, module_gaps
from ..simulators._dms_measured import miscut_rotation, simulate_measured
from ..storage._stored_generator import stored_generator
from ._dms_nuisances import (NAMES, describe_nuisances, draw_nuisances, gain_map,
                             pixel_conditions)
from ._nuisance_streams import nuisance_streams
from ._poisson_noise import FLUX

#: Patterns simulated per kernel call: the only memory besides the output.
_BATCH = 1000

_DESCR_HEAD = """\
.. _dms_dataset:

DMS: azimuth psi from diffuse multiple scattering patterns
----------------------------------------------------------

Regression of the sample azimuth psi (degrees) from simulated diffuse
multiple scattering images, the DMS benchmark of Hey et al. (2020).

- crystal: {crystal}, surface [{surface}], psi uniform in [0, {period:g}) degrees
  (the pattern's period: errors are measured on the circle, see
  ``sciml_estimators.metrics.angular_error``).
- energy: {energy:g} keV, relative jitter {jitter:g} (r.m.s., per pattern).
- mis-orientation: tilt about x and y, each normal with r.m.s. {tilt:g} degrees.
- detector: {rows} x {cols} pixels of {pixel:g} mm at {distance:g} mm, centre
  offset {center} mm; float32 images in units of the strongest line's peak.
- noise: {noise}.
- nuisances: {nuisances}.

The simulator's documentation follows.
"""


@stored_generator(
    {
        "n_samples": [Number(Integral, 1, None, closed="left")],
        "crystal": [StrOptions(set(CRYSTALS))],
        "energy_kev": [Number(Real, 0, None, closed="neither")],
        "surface": ["array-like"],
        "detector": [dict, None],
        "shape": [tuple],
        "misorientation_deg": [Number(Real, 0, None, closed="left")],
        "energy_jitter": [Number(Real, 0, 0.1, closed="left")],
        "noise": [StrOptions({"poisson"}), None],
        "flux": [FLUX],
        "nuisances": [StrOptions({"measured"}), None],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
        "progress": ["boolean"],
    }
)
def make_dms(
    n_samples=250000,
    *,
    crystal="Si",
    energy_kev=8.0,
    surface=(0, 0, 1),
    detector=None,
    shape=(128, 128),
    misorientation_deg=0.2,
    energy_jitter=1e-3,
    noise=None,
    flux=100.0,
    nuisances=None,
    random_state=None,
    return_X_y=False,
    progress=False,
):
    """Simulate the paper's DMS set: patterns and the azimuth psi that made them.

    psi is drawn uniformly over one period of the pattern
    (:func:`~sciml_estimators.simulators.dms_symmetry_period`). A small random
    tilt and energy jitter per pattern keep the task from being a lookup. The
    patterns are simulated in batches of 1,000 straight into the output array.

    Parameters
    ----------
    n_samples : int, default=250000
        Number of patterns (the paper uses 250,000+). At 128 x 128 float32 the
        data take 64 KiB per pattern: 16 GB for the default.
    crystal : str, default="Si"
        A crystal of the simulator's registry: ``"Si"``, ``"Ge"``, ``"Cu"``,
        ``"SrTiO3"``, ``"TiO2"`` or ``"Mg"``.
    energy_kev : float, default=8.0
        Beam energy in keV.
    surface : array-like of shape (3,), default=(0, 0, 1)
        Direct-lattice direction [uvw] of the surface normal, the psi axis.
    detector : dict, default=None
        ``distance_mm``, ``pixel_mm`` and ``center_mm`` as in
        :func:`~sciml_estimators.simulators.dms_pattern`; None for 80 mm,
        0.75 mm and (0, 0).
    shape : tuple of int, default=(128, 128)
        Detector pixels (rows, columns).
    misorientation_deg : float, default=0.2
        Tilt (r.m.s.) of the psi axis about x and about y, in degrees, drawn per
        pattern (no rotation about the psi axis, which would blur the target).
    energy_jitter : float, default=1e-3
        Relative deviation (r.m.s.) of each pattern's energy from ``energy_kev``,
        clipped at 6 r.m.s.
    noise : {"poisson"} or None, default=None
        ``None`` returns ideal patterns; ``"poisson"`` returns Poisson counts
        at ``flux`` counts per unit intensity, divided back by ``flux``.
        Measured-like patterns (``nuisances="measured"``) are always counts,
        as a detector's are, and do not use it.
    flux : float, default=100.0
        Expected counts of a pixel of intensity 1, in [1e-12, 1e12]. Used
        with ``noise="poisson"`` and ``nuisances="measured"``, where each
        pattern's exposure multiplies it and it sets the counters'
        saturation, 2^20 - 1 counts, at ``(2**20 - 1) / flux``.
    nuisances : {"measured"} or None, default=None
        ``None`` keeps the ideal patterns (bit for bit those of earlier
        versions); ``"measured"`` adds, inside the simulator's kernel, a
        miscut, mosaic spread, bandwidth, detector distance, tilt and
        beam-centre errors, a thermal-diffuse, Compton and fluorescence
        background, exposure variation, flat-field gains, dead and hot
        pixels, Pilatus module gaps and a beam-stop shadow, drawn per pattern
        over the ranges of ``datasets/_dms_nuisances.py`` (its documentation
        gives their sources).
    random_state : int, RandomState instance or None, default=None
        Seeds psi, the tilts, the energies and the noise.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    progress : bool, default=False
        Show a progress bar while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_samples, H, W), float32
            The patterns, in units of the strongest line's peak.
        target : ndarray of shape (n_samples,)
            psi in degrees, in [0, period).
        target_names : ndarray of shape (1,)
            ``["psi"]``.
        period : float
            Period of psi in degrees (90 for Si [001]).
        parameters : dict of ndarray of shape (n_samples,)
            ``psi``, ``tilt_x_deg``, ``tilt_y_deg`` and ``energy_kev`` of
            every pattern.
        nuisance_parameters : dict of ndarray of shape (n_samples,)
            Only with ``nuisances="measured"``: the drawn values of every
            pattern (miscut, mosaic, bandwidth, geometry errors, background
            amplitudes, exposure, flat-field spread, dead and hot fractions
            and numbers ``n_dead_pixels``, ``n_hot_pixels``).
        detector : dict
            The detector used, defaults filled in.
        DESCR : str
            Description of the set and of the simulator.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        If ``crystal`` is unknown, the detector sees no reflection at
        ``energy_kev``, or ``shape``, ``surface`` or ``detector`` are invalid.

    Examples
    --------
    >>> from sciml_estimators.datasets import make_dms
    >>> dms = make_dms(4, shape=(32, 32), random_state=0)
    >>> dms.data.shape, dms.data.dtype, dms.period
    ((4, 32, 32), dtype('float32'), 90.0)
    >>> dms.target.round(1).tolist()
    [49.4, 64.4, 54.2, 49.0]
    """
    rng = check_random_state(random_state)
    period = dms_symmetry_period(crystal, surface)
    data, psi, tilt, energy, drawn, detector = simulate_dms(
        rng, n_samples, crystal=crystal, energy_kev=energy_kev, surface=surface,
        detector=detector, shape=shape, misorientation_deg=misorientation_deg,
        energy_jitter=energy_jitter, noise=noise, flux=flux,
        ranges=NUISANCE_DEFAULT if nuisances == "measured" else None, progress=progress)
    rows, cols = data.shape[1:]

    if return_X_y:
        return data, psi
    descr = _DESCR_HEAD.format(
        crystal=f"{crystal} ({CRYSTALS[crystal][2]})",
        surface=" ".join(f"{v:g}" for v in np.asarray(surface, dtype=float)),
        period=period, energy=energy_kev, jitter=energy_jitter, tilt=misorientation_deg,
        rows=rows, cols=cols, pixel=detector["pixel_mm"], distance=detector["distance_mm"],
        center=detector["center_mm"],
        noise="ideal" if noise is None else f"Poisson counts at flux {flux:g}",
        nuisances="none (ideal)" if drawn is None else describe_nuisances(),
    )
    extra = {} if drawn is None else {"nuisance_parameters": drawn}
    return Bunch(
        data=data,
        target=psi,
        target_names=np.array(["psi"]),
        period=period,
        parameters={"psi": psi, "tilt_x_deg": tilt[:, 0], "tilt_y_deg": tilt[:, 1],
                    "energy_kev": energy},
        detector=detector,
        DESCR=descr + "\n" + _dms.__doc__,
        **extra,
    )


#: ``ranges`` of :func:`simulate_dms` for ``nuisances="measured"``: the module's.
NUISANCE_DEFAULT = "default"


def simulate_dms(rng, n_samples, *, crystal, energy_kev, surface, detector, shape,
                 misorientation_deg, energy_jitter, noise, flux, ranges, progress):
    """Draw and simulate ``make_dms``'s patterns; ``ranges`` None for ideal ones.

    ``ranges`` is ``NUISANCE_DEFAULT`` or a dict like ``NUISANCE_RANGES`` of
    :mod:`._dms_nuisances` (``make_dms_domain_shift`` passes its conditions').
    Returns (data, psi, tilt, energy, drawn nuisances or None, detector).
    """
    top = energy_kev * (1 + 6 * energy_jitter)
    setup = DMSSetup(crystal, energy_kev=energy_kev, surface=surface, detector=detector,
                     shape=shape, max_energy_kev=top)
    psi = rng.uniform(0.0, dms_symmetry_period(crystal, surface), n_samples)
    tilt = rng.normal(0.0, misorientation_deg, (n_samples, 2))
    energy = energy_kev * np.clip(1 + rng.normal(0.0, energy_jitter, n_samples),
                                  1 - 6 * energy_jitter, 1 + 6 * energy_jitter)
    drawn = streams = None
    if ranges is not None:
        streams = nuisance_streams(rng, NAMES)
        rows, cols = setup.shape
        drawn = draw_nuisances(n_samples, streams, rows * cols,
                               None if ranges == NUISANCE_DEFAULT else ranges)
        maps = {"gaps": module_gaps(setup.shape, setup.detector["pixel_mm"]).ravel(),
                "gain_map": gain_map(streams, rows * cols)}
        saturation = COUNTER_MAX / flux

    rows, cols = setup.shape
    data = np.empty((n_samples, rows, cols), dtype=np.float32)
    flat = data.reshape(n_samples, rows * cols)
    with chunked_progress(n_samples, "simulating DMS patterns", progress) as bar:
        for start in range(0, n_samples, _BATCH):
            stop = min(start + _BATCH, n_samples)
            rotations = tilt_rotation(tilt[start:stop]) @ rotation_z(psi[start:stop])
            if drawn is None:
                setup.simulate(rotations, energy[start:stop], flat[start:stop])
                if noise == "poisson":
                    flat[start:stop] = rng.poisson(flat[start:stop] * flux) / flux
            else:
                batch = slice(start, stop)
                rotations = rotations @ miscut_rotation(drawn["miscut_deg"][batch],
                                                        drawn["miscut_azimuth_deg"][batch])
                conditions = pixel_conditions(drawn, batch, streams, setup.detector, maps,
                                              rows * cols)
                expected = simulate_measured(setup, crystal, rotations, energy[batch],
                                             conditions, np.empty((stop - start, rows * cols)),
                                             saturation=saturation)
                # Measured-like patterns are counts, whatever ``noise`` says.
                counted = streams["counts"].poisson(expected * flux) / flux
                # A counter at full scale reads full scale; the others stop there.
                flat[start:stop] = np.where(expected >= saturation, saturation,
                                            np.minimum(counted, saturation))
            bar.update(stop - start)
    return data, psi, tilt, energy, drawn, setup.detector

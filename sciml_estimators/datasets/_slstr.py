r"""Synthetic Sentinel-3 SLSTR scenes for per-pixel cloud masking.

Scenes
------

Each scene is ``size`` x ``size`` pixels of ocean, drawn with one random state:

- surface and water vapour: :math:`T_s = U(290, 300)` K plus a smooth random
  field of r.m.s. 0.5 K; :math:`W = U(20, 50)` kg m\ :sup:`-2` times
  :math:`1 + 0.1 f`, with :math:`f` a smooth field of unit r.m.s.
- cloud: a scene's cloud fraction :math:`c` (``cloud_fraction``) is split
  between a high ice layer, :math:`c_h = s c`, and a low water layer,
  :math:`c_l = (c - c_h) / (1 - c_h)`, so that two independent layers cover
  :math:`c` of the scene on average. The share :math:`s` is 0 (low cloud
  only) for a quarter of the scenes, 1 (high only) for another quarter, and
  :math:`U(0, 1)` for the rest. Each layer's optical depth comes from a
  standardised power-law random field :math:`g`, :math:`P(k) \propto k^{-8/3}`,
  thresholded at the quantile :math:`g_c` that leaves the layer's fraction
  above it: :math:`\tau = \tau_0 (g - g_c)` where :math:`g > g_c`, else 0, so
  cloud thins out to nothing at its edges. The scale :math:`\tau_0` is
  log-uniform in 2-30 (low) and 0.5-5 (high); the low top is
  :math:`\bar T_s - U(4, 15)` K, the high top :math:`U(215, 250)` K, one per
  layer and scene.
- truth: a pixel is cloud where the total optical depth exceeds 0.1
  (``TRUTH_OPTICAL_DEPTH``); thinner edges count as clear.
- target: the labels, as the paper's are: a Bayesian cloud mask, from
  :class:`~sciml_estimators.estimators.BayesianCloudMask` (a clear-sky
  Gaussian about the ``clear_sky`` simulation against an empirical cloudy
  histogram, Merchant et al. 2005) fitted to the true masks of 32 other
  scenes of every cloud fraction (``CALIBRATION_SCENES``), simulated the same
  way from the same random state. It disagrees with ``truth`` where a
  screening would: thin cloud edges, and departures that noise and the
  background fields' errors blur.
- background fields, what a numerical weather prediction would give a
  Bayesian screening: :math:`T_s` plus a smooth error of r.m.s. 0.3 K and
  :math:`W` times :math:`1 + 0.05 f'`; ``clear_sky`` is the clear-sky
  simulation of those.
- sensor noise (``noise="gaussian"``): NEdT 0.08 K at 3.74 um and 0.05 K at
  10.85 and 12 um; reflectance noise of r.m.s.
  :math:`\sqrt{0.002^2 + (0.01 R)^2}`. Night-time reflectances are not
  measured and stay 0.

Smooth fields have the power spectrum :math:`P(k) \propto k^{-3}` up to 16
cycles per scene (``SMOOTH_MODES``; little variance lies beyond). All
fields are periodic (FFT synthesis, complex white noise filtered by
:math:`\sqrt{P}`: its real and imaginary parts give two independent fields)
and standardised scene by scene before scaling.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from .._framework import Number, StrOptions
from .._progress import chunked_progress
from ..preprocessing._pixels import scene_rows, scene_targets
from ..simulators import _slstr
from ..simulators._bayesian_screening import (
    cloud_probability,
    departures,
    fit_screening,
)
from ..simulators._slstr import (
    CHANNEL_NAMES,
    N_REFLECTANCE,
    WAVELENGTHS_UM,
    clear_sky_kernel,
    sensor_noise_kernel,
    slstr_kernel,
)
from ..simulators._slstr_surfaces import SURFACES, slstr_surface_kernel
from ..storage._stored_generator import stored_generator
from . import _slstr_nuisances as measured
from ._nuisance_streams import nuisance_streams
from ._slstr_fields import cloud_fields, smooth_fields, threshold, unit_rms

#: Scenes simulated per batch: the only memory besides the outputs.
_BATCH = 32
#: Scenes of every cloud fraction on whose true masks the Bayesian screening
#: that labels the data (``target``) is fitted; simulated apart from the data.
CALIBRATION_SCENES = 32
#: Names of the mask values 0 and 1, in the simulated and the loaded scenes.
TARGET_NAMES = ["clear", "cloud"]
#: A pixel is cloud in ``truth`` where the total optical depth exceeds this.
TRUTH_OPTICAL_DEPTH = 0.1
_RANGES = {name: bounds for name, _, _, bounds, _ in _slstr.PARAMETERS}
SST_FIELD_RMS = 0.5  # K
TCWV_FIELD_RMS = 0.1  # relative
LOW_TOP_BELOW_SST = (4.0, 15.0)  # K
LOW_TAU_SCALE = (2.0, 30.0)
HIGH_TAU_SCALE = (0.5, 5.0)
BACKGROUND_SST_RMS = 0.3  # K
BACKGROUND_TCWV_RMS = 0.05  # relative
#: NEdT in K of S7-S9; reflectance noise: absolute and relative r.m.s.
NEDT = np.array([0.08, 0.05, 0.05])
REFLECTANCE_NOISE = (0.002, 0.01)

_DESCR_HEAD = """\
.. _slstr_dataset:

SLSTR: per-pixel cloud masking of synthetic Sentinel-3 scenes
-------------------------------------------------------------

Per-pixel cloud / clear classification from the nine SLSTR nadir channels,
after the cloud-masking benchmark of Hey et al. (2020).

- {n} ocean scenes of {size} x {size} pixels, {time}.
- cloud fraction per scene: {fraction}.
- noise: {noise}.
- ``truth`` is total optical depth > {truth:g}; ``clear_sky`` the clear-sky
  simulation of background fields with errors, for Bayesian screening.
"""


def _fraction_range(cloud_fraction):
    if isinstance(cloud_fraction, tuple):
        if (len(cloud_fraction) != 2
                or not all(isinstance(v, Real) and not isinstance(v, bool)
                           for v in cloud_fraction)
                or not 0.0 <= cloud_fraction[0] <= cloud_fraction[1] <= 1.0):
            raise ValueError(f"cloud_fraction must be a number in [0, 1] or a range "
                             f"(low, high) with 0 <= low <= high <= 1; got {cloud_fraction!r}.")
        return float(cloud_fraction[0]), float(cloud_fraction[1])
    return float(cloud_fraction), float(cloud_fraction)


def _simulate(n_scenes, size, fraction_range, daytime, noise, rng, screening=None,
              progress=False, conditions=None):
    """Scenes, truth, optical depth and clear sky; with a fitted ``screening``, its labels.

    With ``conditions`` (a dict like ``_slstr_nuisances.CONDITIONS``) the
    scenes are measured-like: nuisances drawn from their own streams after
    every ideal draw, and simulated by the surface kernel.
    """
    low, high = fraction_range
    n = n_scenes
    sst0 = rng.uniform(*_RANGES["sst"], n)
    tcwv0 = rng.uniform(*_RANGES["tcwv"], n)
    fraction = rng.uniform(low, high, n)
    kind = rng.uniform(size=n)
    high_share = np.where(kind < 0.25, 0.0, np.where(kind < 0.5, 1.0, rng.uniform(size=n)))
    low_below = rng.uniform(*LOW_TOP_BELOW_SST, n)
    high_top = rng.uniform(*_RANGES["high_top"], n)
    low_scale = np.exp(rng.uniform(*np.log(LOW_TAU_SCALE), n))
    high_scale = np.exp(rng.uniform(*np.log(HIGH_TAU_SCALE), n))
    # One stream each for smooth fields, cloud fields and noise, drawn scene by
    # scene: the batch size does not change the data.
    smooth_rng, cloud_rng, noise_rng = (np.random.Generator(np.random.SFC64(seed))
                                        for seed in rng.randint(2**31 - 1, size=3))
    high_fraction = high_share * fraction
    low_fraction = np.where(high_fraction < 1, (fraction - high_fraction)
                            / np.maximum(1 - high_fraction, 1e-12), 0.0)
    low_top = sst0 - low_below
    daytime = bool(daytime)
    nuisances = streams = None
    if conditions is not None:
        streams = nuisance_streams(rng, measured.NUISANCE_NAMES)
        nuisances = measured.draw_nuisances(n, streams, daytime, conditions)
        surface_classes = np.empty((n, size, size), dtype=np.uint8)

    data = np.empty((n, 9, size, size), dtype=np.float32)
    clear_sky = np.empty((n, 9, size, size), dtype=np.float32)
    optical_depth = np.empty((n, size, size), dtype=np.float32)
    truth = np.empty((n, size, size), dtype=np.uint8)
    target = np.empty((n, size, size), dtype=np.uint8) if screening is not None else None
    noise_channels = 9 if daytime else 9 - N_REFLECTANCE
    with chunked_progress(n, "simulating SLSTR scenes", progress) as bar:
        for start in range(0, n, _BATCH):
            stop = min(start + _BATCH, n)
            part = slice(start, stop)
            count = stop - start
            smooth = smooth_fields(smooth_rng, count, size)
            cloud = cloud_fields(cloud_rng, count, size)
            field = smooth[:, 0].real
            sst = field * (SST_FIELD_RMS * unit_rms(field))
            sst += sst0[part, None, None].astype(np.float32)
            field = smooth[:, 0].imag
            tcwv = field * (TCWV_FIELD_RMS * unit_rms(field))
            tcwv += 1.0
            np.maximum(tcwv, 0.0, out=tcwv)
            tcwv *= tcwv0[part, None, None].astype(np.float32)
            low_tau = threshold(cloud.real, low_fraction[part], low_scale[part])
            high_tau = threshold(cloud.imag, high_fraction[part], high_scale[part])
            del cloud
            if nuisances is None:
                slstr_kernel(sst, tcwv, low_tau, low_top[part], high_tau, high_top[part],
                             daytime, data[part])
            else:
                sst, surface = measured.simulate(nuisances, streams, part, sst, sst0[part],
                                                 tcwv, low_tau, low_top, high_tau, high_top,
                                                 data)
                surface_classes[part] = surface
            low_tau += high_tau
            optical_depth[part] = low_tau
            np.greater(low_tau, TRUTH_OPTICAL_DEPTH, out=truth[part])
            del low_tau, high_tau
            field = smooth[:, 1].real
            sst += field * (BACKGROUND_SST_RMS * unit_rms(field))
            field = smooth[:, 1].imag
            error = field * (BACKGROUND_TCWV_RMS * unit_rms(field))
            error += 1.0
            np.maximum(error, 0.0, out=error)
            tcwv *= error
            if nuisances is None:
                clear_sky_kernel(sst, tcwv, daytime, clear_sky[part])
            else:
                clear = np.zeros_like(sst)
                slstr_surface_kernel(sst, tcwv, clear, low_top[part], clear, high_top[part],
                                     surface, *measured.scene_arrays(nuisances, part, False),
                                     clear_sky[part])
            if noise == "gaussian":
                z = noise_rng.standard_normal((count, noise_channels, size, size),
                                              dtype=np.float32)
                sensor_noise_kernel(data[part], z, NEDT, *REFLECTANCE_NOISE)
            if screening is not None:
                target[part] = _screening_labels(screening, data[part], clear_sky[part])
            bar.update(count)
    extra = {} if nuisances is None else {"nuisance_parameters": nuisances,
                                          "surface": surface_classes}
    return Bunch(
        **extra,
        data=data, truth=truth, target=target, optical_depth=optical_depth, clear_sky=clear_sky,
        parameters={"sst": sst0, "tcwv": tcwv0, "cloud_fraction": fraction,
                    "high_share": high_share, "low_top": low_top, "high_top": high_top,
                    "low_tau_scale": low_scale, "high_tau_scale": high_scale},
    )


def screened_scenes(n_scenes, size, fraction_range, daytime, noise, rng, conditions=None,
                    progress=False):
    """Scenes labelled by a Bayesian screening fitted on calibration scenes of their kind.

    The screening is fitted first, on scenes of every cloud fraction (so that
    the labelling does not depend on the fraction asked for) under the same
    ``conditions``, simulated from a random state seeded by ``rng``.
    """
    calibration_rng = np.random.RandomState(rng.randint(2**31 - 1))
    calibration = _simulate(CALIBRATION_SCENES, size, (0.0, 1.0), daytime, noise,
                            calibration_rng, conditions=conditions)
    screening = _bayesian_screening(calibration)
    return _simulate(n_scenes, size, fraction_range, daytime, noise, rng, screening, progress,
                     conditions)


def _bayesian_screening(calibration):
    """The Bayesian screening learnt from the true masks of calibration scenes (cloud = 1)."""
    rows, valid = scene_rows(calibration.data)
    clear_sky = scene_rows(calibration.clear_sky, "clear_sky")[0][valid]
    cloudy = scene_targets(calibration.truth, calibration.data)[valid] == 1
    return fit_screening(departures(rows[valid], clear_sky), cloudy)


def _screening_labels(screening, scenes, clear_sky):
    """The screening's mask of each scene: cloud (1) where P(cloud) > 1/2; 0 where unmeasured."""
    rows, valid = scene_rows(scenes)
    cloud = cloud_probability(rows[valid], scene_rows(clear_sky, "clear_sky")[0][valid],
                              screening)
    labels = np.zeros(len(rows), dtype=np.uint8)
    labels[valid] = cloud > 0.5
    return labels.reshape(scenes.shape[0], *scenes.shape[2:])


@stored_generator(
    {
        "n_scenes": [Number(Integral, 1, None, closed="left")],
        "size": [Number(Integral, 1, None, closed="left")],
        "cloud_fraction": [Number(Real, 0, 1, closed="both"), tuple],
        "daytime": ["boolean"],
        "noise": [StrOptions({"gaussian"}), None],
        "nuisances": [StrOptions({"measured"}), None],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
        "progress": ["boolean"],
    }
)
def make_slstr_scenes(
    n_scenes=1000,
    *,
    size=250,
    cloud_fraction=(0.0, 1.0),
    daytime=True,
    noise="gaussian",
    nuisances=None,
    random_state=None,
    return_X_y=False,
    progress=False,
):
    """Simulate SLSTR nadir scenes over ocean with their true cloud mask.

    Sea surface temperature, water vapour and two cloud layers are drawn as
    random fields per scene (the module documentation gives the recipe) and
    passed through :func:`~sciml_estimators.simulators.slstr_channels`; a
    Bayesian cloud screening labels every pixel (``target``, the paper's
    ground truth) and the optical depth gives the physical ``truth``.
    Scenes are simulated in batches of 32 straight into the outputs.

    Parameters
    ----------
    n_scenes : int, default=1000
        Number of scenes (the paper uses 1,000). The outputs take about
        ``80 * size**2`` bytes per scene: 4.9 GB for the default.
    size : int, default=250
        Pixels per side of each scene (the paper's sub-sampled 250).
    cloud_fraction : float or tuple of (float, float), default=(0.0, 1.0)
        Fraction of each scene's pixels under cloud: one number in [0, 1],
        or a range (low, high) from which each scene's fraction is drawn
        uniformly. The true mask covers slightly less (thin edges are clear).
    daytime : bool, default=True
        Whether the sun is up; at night S1-S6 are 0.
    noise : {"gaussian"} or None, default="gaussian"
        ``"gaussian"`` adds sensor noise; None returns the simulator's output.
    nuisances : {"measured"} or None, default=None
        None: ocean scenes as above (ideal). ``"measured"``: what real scenes
        add, drawn per scene from streams of their own (land and coastlines,
        snow and sea ice, sun glint, aerosol and dust, thin broken cirrus,
        solar zenith; ``_slstr_nuisances`` documents each), the same sea,
        water vapour and clouds underneath.
    random_state : int, RandomState instance or None, default=None
        Seeds every draw: fields, layers, tops and noise.
    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.
    progress : bool, default=False
        Show a progress bar while simulating.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with attributes

        data : ndarray of shape (n_scenes, 9, size, size), float32
            S1-S6 reflectances and S7-S9 brightness temperatures in K.
        target : ndarray of shape (n_scenes, size, size), uint8
            The Bayesian cloud mask, 1 cloud and 0 clear: the labels of the
            benchmark, as the paper's are (see the module documentation).
        truth : ndarray of shape (n_scenes, size, size), uint8
            1 where the total optical depth exceeds 0.1, else 0.
        optical_depth : ndarray of shape (n_scenes, size, size), float32
            Total visible optical depth of both layers.
        clear_sky : ndarray of shape (n_scenes, 9, size, size), float32
            Noise-free clear-sky channels of the background fields.
        channel_names : list of str
            ``["S1", ..., "S9"]``.
        wavelengths : ndarray of shape (9,)
            Channel centres in um.
        target_names : list of str
            ``["clear", "cloud"]``.
        parameters : dict of ndarray of shape (n_scenes,)
            Per-scene draws: ``sst``, ``tcwv`` (scene means before the
            fields), ``cloud_fraction``, ``high_share``, ``low_top``,
            ``high_top``, ``low_tau_scale`` and ``high_tau_scale``.
        nuisance_parameters : dict of ndarray of shape (n_scenes,)
            Only with ``nuisances="measured"``: each scene's drawn nuisances.
        surface : ndarray of shape (n_scenes, size, size), uint8
            Only with ``nuisances="measured"``: the surface class of each
            pixel, an index into ``surface_names``.
        surface_names : list of str
            Only with ``nuisances="measured"``: ``["ocean", "vegetation",
            "desert", "snow_ice"]``.
        DESCR : str
            Description of the set and of the simulator.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    ValueError
        If ``cloud_fraction`` is not in [0, 1] or not a valid range, or another
        argument is out of range (``InvalidParameterError``, a ValueError).

    References
    ----------
    .. [1] T. Hey, K. Butler, S. Jackson and J. Thiyagalingam, "Machine
       learning and big scientific data", *Phil. Trans. R. Soc. A* 378,
       20190054 (2020).

    Examples
    --------
    >>> from sciml_estimators.datasets import make_slstr_scenes
    >>> scenes = make_slstr_scenes(4, size=32, cloud_fraction=0.5, random_state=0)
    >>> scenes.data.shape, scenes.data.dtype, scenes.truth.dtype
    ((4, 9, 32, 32), dtype('float32'), dtype('uint8'))
    >>> bool(0.3 < scenes.truth.mean() < 0.6)
    True
    """
    rng = check_random_state(random_state)
    low, high = _fraction_range(cloud_fraction)
    conditions = None if nuisances is None else measured.CONDITIONS
    scenes = screened_scenes(n_scenes, size, (low, high), daytime, noise, rng, conditions,
                             progress)
    if return_X_y:
        return scenes.data, scenes.target
    if low == high:
        fraction_text = f"{low:g}"
    else:
        fraction_text = f"uniform in [{low:g}, {high:g}]"
    descr = _DESCR_HEAD.format(
        n=n_scenes, size=size, time="daytime" if daytime else "night-time",
        fraction=fraction_text, truth=TRUTH_OPTICAL_DEPTH,
        noise="ideal" if noise is None else "Gaussian sensor noise (NEdT, reflectance)",
    )
    if nuisances is not None:
        descr += "- nuisances: " + measured.describe_nuisances() + ".\n"
        descr += measured.__doc__
        scenes.surface_names = list(SURFACES)
    return Bunch(
        **{key: scenes[key] for key in ("nuisance_parameters", "surface", "surface_names")
           if key in scenes},
        data=scenes.data,
        target=scenes.target,
        truth=scenes.truth,
        optical_depth=scenes.optical_depth,
        clear_sky=scenes.clear_sky,
        channel_names=list(CHANNEL_NAMES),
        wavelengths=WAVELENGTHS_UM.copy(),
        target_names=list(TARGET_NAMES),
        parameters=scenes.parameters,
        DESCR=descr + __doc__ + "\nThe simulator's documentation follows.\n\n" + _slstr.__doc__,
    )

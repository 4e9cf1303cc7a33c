"""What a real DMS measurement adds to the ideal patterns: sample, beam, geometry, detector.

``make_dms(nuisances="measured")`` draws, per pattern and each from its own
stream (``_nuisance_streams.nuisance_streams``, after the ideal draws
of psi, tilt and energy), the values below; the simulator
(:mod:`sciml_estimators.simulators._dms_measured`) applies them inside its
kernel. Uniform draws unless marked log-uniform.

- **miscut_deg** in [0.1, 2] degrees, at an azimuth uniform in [0, 360) in
  the crystal frame: the angle between the lattice planes and the polished
  surface that the sample is mounted on; commercial wafers are cut to within
  0.1 to 0.5 degrees and vicinal ones to a few degrees (the issue's
  realistic range; e.g. Si wafer specifications of +-0.5 degrees).
- **mosaic_deg** in [0.01, 0.5] degrees, log-uniform: r.m.s. mosaic spread,
  from float-zone Si (below 0.01) to mosaic metal and oxide crystals (tenths
  of a degree; Als-Nielsen and McMorrow, *Elements of Modern X-ray Physics*,
  2nd ed., Wiley 2011, sec. 6.4).
- **bandwidth** in [1e-4, 1e-2], log-uniform: r.m.s. dE/E, from a Si(111)
  double-crystal monochromator (1.4e-4) to a multilayer or pink beam
  (1e-2; Als-Nielsen and McMorrow, ch. 2).
- **distance_error_mm** in [-1, 1] mm, **center_error_mm** (x, y) each in
  [-1, 1] mm and **detector_tilt_deg** (x, y) each in [-1, 1] degree: the
  uncertainty of a detector's calibration from a standard before
  refinement, a millimetre and a degree (assumed; refined calibrations of
  pyFAI reach 0.1 mm and 0.05 degree, Ashiotis et al., *J. Appl. Cryst.* 48,
  510 (2015)). At 80 mm and 0.75 mm pixels, 1 mm moves the pattern by 1.3
  pixels.
- **thermal_diffuse** and **compton** in [0.02, 0.3], **fluorescence** in
  [0.5, 3]: the amplitudes of the smooth background per unit solid angle, in
  units of the strongest line's peak (assumed: DMS lines are a contrast of
  tens of percent on the diffuse scattering that feeds them, Nisbet et al.,
  *Acta Cryst.* A71, 20 (2015), fig. 2; fluorescence, when the energy is above
  a K edge of the crystal, outshines it). Their shapes are the simulator's.
- **exposure** in [0.5, 2], log-uniform: the exposure and flux of each frame
  relative to the nominal one (counting time and ring current; assumed).
- **flat_field** r.m.s. in [0.01, 0.03]: the residual of a flat-field
  correction of a few percent (Kraft et al., *J. Synchrotron Rad.* 16, 368
  (2009)). The detector's pattern of gains is one standard normal map per
  dataset (and experiment: a detector's own), drawn from this stream after
  the spreads;
  a pixel's gain is ``1 + flat_field * map``.
- **dead_pixels** fraction in [0, 1e-3] and **hot_pixels** fraction in
  [0, 2e-4] of the pixels (assumed, the order of the bad-pixel masks of
  Pilatus detectors): a binomial number of each per pattern, at pixels drawn
  uniformly; dead pixels read 0, hot ones a full counter.
- **counts**: the stream of the Poisson counts (measured-like patterns are always counted), at
  ``flux`` counts per unit intensity times the exposure; counters saturate
  at 2^20 - 1.

Module gaps and the beam stop's shadow are fixed by the hardware (simulator
constants), not drawn.
"""

import numpy as np

from ..simulators._dms_measured import DEAD, HOT, LIVE

__all__ = ["NAMES", "NUISANCE_RANGES", "describe_nuisances", "draw_nuisances", "gain_map",
           "pixel_conditions"]

#: The streams, in a fixed order (append new ones at the end).
NAMES = ("miscut", "mosaic", "bandwidth", "distance", "center", "detector_tilt",
         "thermal_diffuse", "compton", "fluorescence", "exposure", "flat_field",
         "dead_pixels", "hot_pixels", "counts")
#: name -> (low, high) of the per-pattern values.
NUISANCE_RANGES = {
    "miscut_deg": (0.1, 2.0),
    "mosaic_deg": (0.01, 0.5),
    "bandwidth": (1e-4, 1e-2),
    "distance_error_mm": (-1.0, 1.0),
    "center_error_mm": (-1.0, 1.0),
    "detector_tilt_deg": (-1.0, 1.0),
    "thermal_diffuse": (0.02, 0.3),
    "compton": (0.02, 0.3),
    "fluorescence": (0.5, 3.0),
    "exposure": (0.5, 2.0),
    "flat_field": (0.01, 0.03),
    "dead_pixels": (0.0, 1e-3),
    "hot_pixels": (0.0, 2e-4),
}
LOG_UNIFORM = {"mosaic_deg", "bandwidth", "exposure"}


def _draw(stream, name, ranges, size):
    low, high = ranges[name]
    if name in LOG_UNIFORM:
        return np.exp(stream.uniform(np.log(low), np.log(high), size))
    return stream.uniform(low, high, size)


def draw_nuisances(n_samples, streams, n_pixels, ranges=None):
    """Per-pattern nuisance values, each from its stream of ``streams``.

    With the fractions of dead and hot pixels come their numbers of the
    ``n_pixels`` (binomial), ``n_dead_pixels`` and ``n_hot_pixels``.

    Returns
    -------
    nuisances : dict of ndarray of shape (n_samples,)
    """
    ranges = NUISANCE_RANGES if ranges is None else ranges
    drawn = {"miscut_deg": _draw(streams["miscut"], "miscut_deg", ranges, n_samples),
             "miscut_azimuth_deg": streams["miscut"].uniform(0.0, 360.0, n_samples)}
    for stream, name in [("mosaic", "mosaic_deg"), ("bandwidth", "bandwidth"),
                         ("distance", "distance_error_mm")]:
        drawn[name] = _draw(streams[stream], name, ranges, n_samples)
    for stream, name in [("center", "center_error_mm"), ("detector_tilt", "detector_tilt_deg")]:
        values = _draw(streams[stream], name, ranges, (n_samples, 2))
        drawn[f"{name}_x"], drawn[f"{name}_y"] = values[:, 0], values[:, 1]
    for name in ("thermal_diffuse", "compton", "fluorescence", "exposure", "flat_field",
                 "dead_pixels", "hot_pixels"):
        drawn[name] = _draw(streams[name], name, ranges, n_samples)
    for name in ("dead_pixels", "hot_pixels"):
        drawn[f"n_{name}"] = streams[name].binomial(n_pixels, drawn[name])
    return drawn


def gain_map(streams, n_pixels):
    """The detector's flat-field pattern: a standard normal value per pixel."""
    return streams["flat_field"].standard_normal(n_pixels)


def _bad_pixels(stream, counts, n_pixels):
    """(pattern, pixel) indices of ``counts`` pixels per pattern, drawn uniformly."""
    return np.repeat(np.arange(counts.size), counts), stream.integers(0, n_pixels, counts.sum())


def pixel_conditions(drawn, rows, streams, detector, maps, n_pixels):
    """The kernel's per-pattern conditions for the patterns ``rows`` (a slice) of ``drawn``.

    ``maps`` holds the detector's ``gaps`` and ``gain_map`` (n_pixels,). The
    dead and hot pixels are drawn here, batch after batch from their
    streams, so that the values do not depend on the batch size.
    """
    n = rows.stop - rows.start
    take = {name: values[rows] for name, values in drawn.items()}
    state = np.full((n, n_pixels), LIVE, dtype=np.int8)
    state[_bad_pixels(streams["dead_pixels"], take["n_dead_pixels"], n_pixels)] = DEAD
    state[_bad_pixels(streams["hot_pixels"], take["n_hot_pixels"], n_pixels)] = HOT
    centre = np.asarray(detector["center_mm"], dtype=float)
    return {
        "bandwidth": take["bandwidth"],
        "mosaic_deg": take["mosaic_deg"],
        "distance_mm": detector["distance_mm"] + take["distance_error_mm"],
        "center_mm": centre + np.column_stack([take["center_error_mm_x"],
                                               take["center_error_mm_y"]]),
        "detector_tilt_deg": np.column_stack([take["detector_tilt_deg_x"],
                                              take["detector_tilt_deg_y"]]),
        "background": np.column_stack([take["thermal_diffuse"], take["compton"],
                                       take["fluorescence"]]),
        "exposure": take["exposure"],
        "flat_field": take["flat_field"],
        "state": state,
        **maps,
    }


def describe_nuisances(ranges=None):
    """The DESCR text of ``nuisances="measured"``."""
    ranges = NUISANCE_RANGES if ranges is None else ranges
    listed = ", ".join(f"{name} {'log-' if name in LOG_UNIFORM else ''}uniform in "
                       f"[{low:g}, {high:g}]" for name, (low, high) in ranges.items())
    return (f"measured-like, per pattern: {listed}; Pilatus module gaps, beam-stop shadow, "
            "counters saturating at 2^20 - 1")

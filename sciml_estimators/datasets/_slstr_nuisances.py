"""What real SLSTR scenes hold besides ocean and cloud: land, snow and ice, glint, aerosol.

``make_slstr_scenes(nuisances="measured")`` draws, per scene, from one
stream per nuisance (``NUISANCE_NAMES``; the streams are seeded after every
draw of the ideal scene, so its sea, water vapour and clouds stay as they
were), and the kernel
:func:`~sciml_estimators.simulators._slstr_surfaces.slstr_surface_kernel`
applies them pixel by pixel (its documentation gives the physics and the
surface spectra):

- **geometry**: solar zenith uniform in 15-75 degrees by day (SLSTR's
  daytime swaths from the tropics to high latitudes; 100-150 at night, where
  S1-S6 are 0), solar azimuth uniform in 0-360 degrees from the across-track
  axis; the view zenith runs across the scene to 55 degrees either side
  (Donlon et al., Remote Sens. Environ. 120 (2012) 37).
- **wind**: wind speed uniform in 1-12 m/s, the width of the sun glint
  (Cox and Munk, J. Opt. Soc. Am. 44 (1954) 838: slope variance
  0.003 + 0.00512 U).
- **surface**: land and coastlines. 40 % of the scenes are open ocean,
  20 % all land, the rest coastal, their land fraction uniform in 0.1-0.9:
  land lies above a level of a linear ramp in a random direction plus a
  smooth k^-3 field of half its r.m.s., so that a coastline crosses the
  scene. The land of a scene is vegetation or desert (``DESERT_SHARE`` of
  the scenes; 0.5), its skin temperature the sea's plus a land-sea contrast
  uniform in -2 to 8 K (vegetation) or 5 to 25 K (desert) by day and -8 to
  0 K at night (MODIS land surface temperatures against the SST: Wan,
  Remote Sens. Environ. 112 (2008) 59).
- **snow_ice**: in ``SNOW_SHARE`` of the scenes (0.25) snow on land and sea
  ice at sea cover a fraction uniform in 0.2-1 (above a level of a smooth
  field) at a temperature uniform in 245-271 K (below sea water's freezing
  point, 271.35 K) plus the sea field's anomaly.
- **aerosol**: fine-mode (Angstrom exponent 1.5) optical depth at 0.55 um
  log-uniform in 0.02-0.5, maritime background to continental haze (AERONET:
  Dubovik et al., J. Atmos. Sci. 59 (2002) 590).
- **dust**: in ``DUST_SHARE`` of the scenes (0.25) a mineral dust layer,
  optical depth log-uniform in 0.1-1.5 (Saharan outbreaks over the Atlantic;
  Merchant et al., Remote Sens. Environ. 104 (2006) 15), absorbing in the
  thermal channels.
- **cirrus**: thin broken cirrus in the high (ice) layer, covering a fraction
  uniform in 0-0.5 with optical depth scale log-uniform in 0.02-0.3, a
  k^-8/3 field thresholded as the clouds are; where it lifts the optical
  depth above 0.1 it is cloud in ``truth``, thinner it is a clear pixel's
  nuisance.

``CONDITIONS`` (the shares of desert, snow and ice, and dust scenes) set
which surfaces and seasons a set holds; ``make_slstr_domain_shift`` trains
on some and tests on others.
"""

import numpy as np

from ..simulators._slstr_surfaces import (
    DESERT,
    OCEAN,
    SNOW_ICE,
    VEGETATION,
    slstr_surface_kernel,
)
from ._slstr_fields import above_level, cloud_fields, smooth_fields, threshold, unit_rms

__all__ = ["CONDITIONS", "NUISANCE_NAMES", "NUISANCE_RANGES", "describe_nuisances",
           "draw_nuisances", "scene_arrays", "simulate", "surface_fields"]

#: The streams, in a fixed order (append new ones at the end).
NUISANCE_NAMES = ("geometry", "wind", "surface", "snow_ice", "aerosol", "dust", "cirrus")
#: name -> (low, high) of each per-scene draw; "log" ones log-uniformly.
NUISANCE_RANGES = {
    "solar_zenith": (15.0, 75.0),
    "night_solar_zenith": (100.0, 150.0),
    "solar_azimuth": (0.0, 360.0),
    "wind_speed": (1.0, 12.0),
    "coast_land_fraction": (0.1, 0.9),
    "vegetation_contrast": (-2.0, 8.0),
    "desert_contrast": (5.0, 25.0),
    "night_contrast": (-8.0, 0.0),
    "snow_ice_fraction": (0.2, 1.0),
    "snow_ice_temperature": (245.0, 271.0),
    "fine_aerosol": (0.02, 0.5),
    "dust": (0.1, 1.5),
    "cirrus_fraction": (0.0, 0.5),
    "cirrus_tau_scale": (0.02, 0.3),
}
_LOG = ("fine_aerosol", "dust", "cirrus_tau_scale")
#: Shares of the scenes: open ocean, all land (the rest coastal).
OCEAN_SHARE, LAND_SHARE = 0.4, 0.2
#: The conditions of ``nuisances="measured"``: shares of desert land, snow and ice, and dust.
CONDITIONS = {"desert_share": 0.5, "snow_share": 0.25, "dust_share": 0.25}
COAST_ROUGHNESS = 0.5  # r.m.s. of the smooth field against the ramp's


def _uniform(stream, name, n):
    low, high = NUISANCE_RANGES[name]
    if name in _LOG:
        return np.exp(stream.uniform(np.log(low), np.log(high), n))
    return stream.uniform(low, high, n)


def draw_nuisances(n, streams, daytime, conditions=CONDITIONS):
    """Per-scene nuisance values, each from its stream (see the module documentation).

    Every stream draws the same numbers whatever ``conditions`` say; the
    shares only decide which draws apply.

    Returns
    -------
    nuisances : dict of ndarray of shape (n,)
    """
    geometry, surface, snow, dust = (streams[k] for k in ("geometry", "surface", "snow_ice",
                                                          "dust"))
    zenith = _uniform(geometry, "solar_zenith" if daytime else "night_solar_zenith", n)
    kind, coast, desert = surface.uniform(size=n), _uniform(surface, "coast_land_fraction", n), \
        surface.uniform(size=n)
    contrast = {name: _uniform(surface, name, n)
                for name in ("vegetation_contrast", "desert_contrast", "night_contrast")}
    is_desert = desert < conditions["desert_share"]
    land_contrast = (np.where(is_desert, contrast["desert_contrast"],
                              contrast["vegetation_contrast"]) if daytime
                     else contrast["night_contrast"])
    has_snow = snow.uniform(size=n) < conditions["snow_share"]
    snow_fraction = _uniform(snow, "snow_ice_fraction", n)
    has_dust = dust.uniform(size=n) < conditions["dust_share"]
    return {
        "solar_zenith": zenith,
        "solar_azimuth": _uniform(geometry, "solar_azimuth", n),
        "wind_speed": _uniform(streams["wind"], "wind_speed", n),
        "land_fraction": np.where(kind < OCEAN_SHARE, 0.0,
                                  np.where(kind < OCEAN_SHARE + LAND_SHARE, 1.0, coast)),
        "coast_direction": surface.uniform(0.0, 2 * np.pi, n),
        "land_kind": np.where(is_desert, DESERT, VEGETATION),
        "land_contrast": land_contrast,
        "snow_ice_fraction": np.where(has_snow, snow_fraction, 0.0),
        "snow_ice_temperature": _uniform(snow, "snow_ice_temperature", n),
        "fine_aerosol": _uniform(streams["aerosol"], "fine_aerosol", n),
        "dust": np.where(has_dust, _uniform(dust, "dust", n), 0.0),
        "cirrus_fraction": _uniform(streams["cirrus"], "cirrus_fraction", n),
        "cirrus_tau_scale": _uniform(streams["cirrus"], "cirrus_tau_scale", n),
    }


def surface_fields(nuisances, part, sst, sst_mean, coast_field, snow_field):
    """Surface classes (uint8) and skin temperature (float32) of scenes ``part``.

    ``sst`` (c, H, W) is the sea's temperature field and ``sst_mean`` (c,) its
    scene means; ``coast_field`` and ``snow_field`` are zero-mean smooth
    fields of unit r.m.s. from the surface and snow_ice streams.
    """
    count, size = sst.shape[0], sst.shape[-1]
    grid = (np.arange(size) - (size - 1) / 2) / size
    direction = nuisances["coast_direction"][part]
    ramp = (np.cos(direction)[:, None, None] * grid[None, None, :]
            + np.sin(direction)[:, None, None] * grid[None, :, None])
    ramp *= np.sqrt(12.0)  # unit r.m.s. over the scene
    land = above_level(ramp + COAST_ROUGHNESS * coast_field, nuisances["land_fraction"][part])
    snow = above_level(snow_field, nuisances["snow_ice_fraction"][part])
    surface = np.full((count, size, size), OCEAN, dtype=np.uint8)
    surface[land] = np.broadcast_to(nuisances["land_kind"][part, None, None], land.shape)[land]
    surface[snow] = SNOW_ICE
    temperature = sst.copy()
    temperature += np.where(land, nuisances["land_contrast"][part, None, None], 0.0)
    anomaly = sst - sst_mean[:, None, None]
    ice = nuisances["snow_ice_temperature"][part, None, None] + anomaly
    np.copyto(temperature, ice.astype(np.float32), where=snow)
    return surface, temperature


def scene_arrays(nuisances, part, aerosol=True):
    """The kernel's per-scene arguments: geometry, wind and (unless not ``aerosol``) aerosols."""
    fine, dust = nuisances["fine_aerosol"][part], nuisances["dust"][part]
    if not aerosol:
        fine, dust = np.zeros_like(fine), np.zeros_like(dust)
    return (nuisances["solar_zenith"][part], nuisances["solar_azimuth"][part],
            nuisances["wind_speed"][part], fine, dust)


def simulate(nuisances, streams, part, sst, sst_mean, tcwv, low_tau, low_top, high_tau, high_top,
             data):
    """Simulate scenes ``part`` with their nuisances into ``data``; cirrus joins ``high_tau``.

    Returns the skin temperature (which the background fields then follow)
    and the surface classes.
    """
    count, size = sst.shape[0], sst.shape[-1]
    coast = smooth_fields(streams["surface"], count, size, pairs=1)[:, 0].real
    snow = smooth_fields(streams["snow_ice"], count, size, pairs=1)[:, 0].real
    surface, temperature = surface_fields(
        nuisances, part, sst, sst_mean, coast * unit_rms(coast), snow * unit_rms(snow))
    cirrus = cloud_fields(streams["cirrus"], count, size).real
    high_tau += threshold(cirrus, nuisances["cirrus_fraction"][part],
                           nuisances["cirrus_tau_scale"][part])
    slstr_surface_kernel(temperature, tcwv, low_tau, low_top[part], high_tau, high_top[part],
                         surface, *scene_arrays(nuisances, part), data[part])
    return temperature, surface


def describe_nuisances(conditions=CONDITIONS):
    """The DESCR line of ``nuisances="measured"`` under ``conditions``."""
    return ("measured-like: land (vegetation, desert) and coastlines, snow and sea ice, sun "
            "glint, aerosol and dust, thin broken cirrus, solar zenith per scene; shares "
            + ", ".join(f"{name} {value:g}" for name, value in conditions.items()))

r"""SLSTR nadir channels over land, snow and sea ice, with sun glint and aerosol.

The measured-like counterpart of the ocean kernel in ``_slstr`` (whose
equations it keeps for everything not listed here): each pixel has a surface
class, and each scene a sun-view geometry, a wind speed and two aerosols.
With every pixel ocean and both aerosol optical depths 0 it gives the ocean
kernel's brightness temperatures exactly, and its reflectances plus the
glint (at night, all channels exactly).

Surfaces (``SURFACES``, per pixel, ``surface`` class index):

- ``REFLECTANCE`` in S1-S6 (S4 is hidden by water vapour and stays 0) and
  ``EMISSIVITY`` at 3.74, 10.85 and 12 um. Ocean keeps the ideal model's
  values (black in the thermal). Green vegetation is dark in the visible with
  the red edge at 0.865 um (0.40) and moderate in the SWIR; quartz-rich
  desert sand is bright and rises to 1.61 um, and its emissivity is low at
  3.74 um (0.82) and lower at 10.85 than at 12 um (0.94, 0.965), which
  lowers its brightness temperatures by channel and reverses its split
  window; snow and snow-covered sea ice are white in the visible (0.95) and
  dark at 1.61 and 2.25 um (0.08, 0.04): ice absorbs there, the classic
  snow / cloud confusion of the visible channels, which S5 and S6 resolve.
  Values are representative spectra of the ECOSTRESS (ex-ASTER) spectral
  library [1] (grass, quartz sand, medium-granular snow) and the MODIS
  emissivity library [2]; snow emissivities after Hori et al. [3].
- Thermal emission of a surface of emissivity :math:`\varepsilon` under the
  clear atmosphere of transmittance :math:`t` at air temperature
  :math:`T_a`: :math:`L_0 = \varepsilon B(T_s) + (1 - \varepsilon)(1 - t)
  B(T_a)` (the surface reflects the isothermal atmosphere's downwelling
  radiance). With :math:`t = 1` (no water vapour) the brightness temperature
  is exactly :math:`T_B(\varepsilon B(T_s))`.

Sun glint (ocean pixels only). The sun direction
:math:`\hat s = (\sin\theta_s \cos\phi_s, \sin\theta_s \sin\phi_s,
\cos\theta_s)` (solar zenith :math:`\theta_s`, solar azimuth
:math:`\phi_s` from the across-track axis x) and the view direction
:math:`\hat v = (\sin\theta_v, 0, \cos\theta_v)`, with the signed view
zenith :math:`\theta_v` running linearly across the scene's columns from
:math:`-\theta_{max}` to :math:`+\theta_{max}` (``MAX_VIEW_ZENITH``: the
sub-sampled scene spans the 1,400 km nadir swath, view zenith up to about
55 degrees [4]). Waves reflect the sun specularly off facets whose normal
:math:`\hat n = (\hat s + \hat v) / |\hat s + \hat v|` is tilted by
:math:`\beta` (:math:`\cos\beta = n_z`); Cox and Munk's isotropic slope
distribution [5] with :math:`\sigma^2 = 0.003 + 0.00512\,U` (wind speed
:math:`U` in m/s) gives the glint reflectance

.. math::

    R_g = \frac{\pi \rho(\omega)}{4 \mu_s \mu_v \cos^4\beta}
          \frac{e^{-\tan^2\beta / \sigma^2}}{\pi \sigma^2},

:math:`\rho` the unpolarised Fresnel reflectance of water (refractive index
1.34) at the incidence angle :math:`\cos\omega = \hat s \cdot \hat n`. It
peaks where the view is the sun's mirror image (:math:`\beta = 0`), is added
to the ocean reflectance in S1-S3, S5 and S6 and does not depend on
wavelength here.

Aerosol (per scene, between the surface and the low cloud): a fine mode
(Angstrom exponent 1.5, single-scattering albedo 0.95) and mineral dust
(0.3, 0.92), optical depths :math:`\tau_f`, :math:`\tau_d` at 0.55 um scaled
as :math:`(\lambda / 0.55)^{-\alpha}`. Reflectance: the exact single
scattering of a homogeneous layer [6] with a Henyey-Greenstein phase
function of asymmetry 0.65 (AERONET's climatology, [7]) at the scattering
angle :math:`\cos\Theta = -\hat s \cdot \hat v`,

.. math::

    R_a = \frac{\sum \omega_0 \tau\, P(\Theta)}{\tau_{tot}}
          \frac{1 - e^{-\tau_{tot} m}}{4 (\mu_s + \mu_v)}, \qquad
    m = \frac{1}{\mu_s} + \frac{1}{\mu_v},

over a surface seen through :math:`T = e^{-m \sum \tau (1 - \omega_0 (1 + g)
/ 2)}` (the forward-scattered half of :math:`1 + g` stays in the beam);
:math:`R = R_a + T R_s`. Dust absorbs in the thermal too, like a cloud layer
of emissivity :math:`1 - e^{-k \tau_d}` at ``DUST_BELOW_AIR`` K under the
air temperature, with ``K_DUST`` larger at 10.85 than at 12 um (quartz and
clay bands): it lowers :math:`\mathrm{BT}_{11}` more than
:math:`\mathrm{BT}_{12}`, the negative split window of Saharan dust [8].

Night: a solar zenith of 90 degrees or more leaves S1-S6 at 0.

References
----------
.. [1] S. K. Meerdink, S. J. Hook, D. A. Roberts and E. A. Abbott, "The
   ECOSTRESS spectral library version 1.0", *Remote Sens. Environ.* 230,
   111196 (2019).
.. [2] Z. Wan, "MODIS UCSB emissivity library" (ICESS, UC Santa Barbara), and
   Z. Wan and J. Dozier, *IEEE Trans. Geosci. Remote Sens.* 34, 892 (1996).
.. [3] M. Hori et al., "In-situ measured spectral directional emissivity of
   snow and ice in the 8-14 um atmospheric window", *Remote Sens. Environ.*
   100, 486-502 (2006).
.. [4] C. Donlon et al., "The Global Monitoring for Environment and Security
   (GMES) Sentinel-3 mission", *Remote Sens. Environ.* 120, 37-57 (2012).
.. [5] C. Cox and W. Munk, "Measurement of the roughness of the sea surface
   from photographs of the sun's glitter", *J. Opt. Soc. Am.* 44, 838-850
   (1954).
.. [6] J. E. Hansen and L. D. Travis, "Light scattering in planetary
   atmospheres", *Space Sci. Rev.* 16, 527-610 (1974).
.. [7] O. Dubovik et al., "Variability of absorption and optical properties
   of key aerosol types observed in worldwide locations", *J. Atmos. Sci.*
   59, 590-608 (2002).
.. [8] C. J. Merchant, O. Embury, P. Le Borgne and B. Bellec, "Saharan dust
   in nighttime thermal imagery: detection and reduction of related biases in
   retrieved sea surface temperature", *Remote Sens. Environ.* 104, 15-30
   (2006).
"""

import math

import numpy as np
from numba import njit, prange

from ._slstr import (
    AIR_OFFSET_K,
    K_CLOUD,
    K_VAPOUR,
    N_REFLECTANCE,
    SURFACE_REFLECTANCE,
    WAVELENGTHS_UM,
    _brightness_temperature,
    _planck,
    _top_radiances,
    _under_clouds,
)

#: Surface classes, by their index in ``surface``.
SURFACES = ("ocean", "vegetation", "desert", "snow_ice")
OCEAN, VEGETATION, DESERT, SNOW_ICE = range(4)
#: Surface reflectance in S1-S6, one row per class (ECOSTRESS library, see [1]).
REFLECTANCE = np.array([SURFACE_REFLECTANCE,
                        [0.08, 0.05, 0.40, 0.0, 0.25, 0.12],
                        [0.25, 0.32, 0.38, 0.0, 0.50, 0.48],
                        [0.95, 0.94, 0.88, 0.0, 0.08, 0.04]])
#: Emissivity at 3.74, 10.85 and 12 um, one row per class (MODIS library [2], [3]).
EMISSIVITY = np.array([[1.0, 1.0, 1.0],
                       [0.97, 0.98, 0.985],
                       [0.82, 0.94, 0.965],
                       [0.98, 0.99, 0.98]])
#: Largest view zenith of the nadir view, degrees, at the scene's side edges [4].
MAX_VIEW_ZENITH = 55.0
WATER_INDEX = 1.34
#: Cox-Munk isotropic slope variance: sigma^2 = a + b * wind speed (m/s).
SLOPE_VARIANCE = (0.003, 0.00512)
#: Aerosol modes: rows fine, dust; columns Angstrom exponent, single-scattering albedo.
AEROSOL_MODES = np.array([[1.5, 0.95],
                          [0.3, 0.92]])
AEROSOL_ASYMMETRY = 0.65
#: Dust absorption per unit 0.55 um optical depth at 3.74, 10.85, 12 um.
K_DUST = np.array([0.10, 0.40, 0.28])
DUST_BELOW_AIR = 10.0  # K: the dust layer's temperature under T_a

#: Optical depth of each mode relative to 0.55 um, per reflectance channel.
_AEROSOL_SPECTRUM = (WAVELENGTHS_UM[None, :N_REFLECTANCE] / 0.55) ** -AEROSOL_MODES[:, :1]


@njit(cache=True)
def _fresnel(cos_incidence):
    """Unpolarised Fresnel reflectance of water at incidence cosine ``cos_incidence``."""
    n = WATER_INDEX
    cos_t = math.sqrt(1.0 - (1.0 - cos_incidence * cos_incidence) / (n * n))
    rs = (cos_incidence - n * cos_t) / (cos_incidence + n * cos_t)
    rp = (n * cos_incidence - cos_t) / (n * cos_incidence + cos_t)
    return 0.5 * (rs * rs + rp * rp)


@njit(cache=True)
def _glint(sx, sy, sz, vx, vz, wind_speed):
    """Cox-Munk glint reflectance for sun (sx, sy, sz) and view (vx, 0, vz) unit vectors."""
    nx, ny, nz = sx + vx, sy, sz + vz
    norm = math.sqrt(nx * nx + ny * ny + nz * nz)
    cos_beta = nz / norm
    cos_incidence = (sx * nx + sy * ny + sz * nz) / norm
    sigma2 = SLOPE_VARIANCE[0] + SLOPE_VARIANCE[1] * wind_speed
    tan2 = (1.0 - cos_beta * cos_beta) / (cos_beta * cos_beta)
    slopes = math.exp(-tan2 / sigma2) / (math.pi * sigma2)
    return (math.pi * _fresnel(cos_incidence) * slopes
            / (4.0 * sz * vz * cos_beta ** 4))


@njit(cache=True)
def _aerosol(c, fine, dust, mu_s, mu_v, phase):
    """(path reflectance, surface transmittance) of the two aerosol modes in channel ``c``."""
    scattered = 0.0
    total = 0.0
    lost = 0.0
    for mode, tau550 in ((0, fine), (1, dust)):
        tau = tau550 * _AEROSOL_SPECTRUM[mode, c]
        albedo = AEROSOL_MODES[mode, 1]
        scattered += albedo * tau
        total += tau
        lost += tau * (1.0 - albedo * 0.5 * (1.0 + AEROSOL_ASYMMETRY))
    if total == 0.0:
        return 0.0, 1.0
    m = 1.0 / mu_s + 1.0 / mu_v
    path = scattered * phase / total * (1.0 - math.exp(-total * m)) / (4.0 * (mu_s + mu_v))
    return path, math.exp(-lost * m)


@njit(cache=True)
def _phase(cos_scattering):
    """Henyey-Greenstein phase function (4 pi normalised) of ``AEROSOL_ASYMMETRY``."""
    g = AEROSOL_ASYMMETRY
    return (1.0 - g * g) / (1.0 + g * g - 2.0 * g * cos_scattering) ** 1.5


@njit(cache=True)
def _thermal(out, i, y, x, temperature, tcwv, low_tau, b_low, high_tau, b_high, kind, dust):
    """Brightness temperatures S7-S9 of one pixel: surface emissivity and dust added."""
    t_air = temperature - AIR_OFFSET_K
    for c in range(3):
        t = math.exp(-K_VAPOUR[c] * tcwv)
        b_air = _planck(t_air, c)
        emissivity = EMISSIVITY[kind, c]
        radiance = _planck(temperature, c)
        if emissivity < 1.0:
            radiance = emissivity * radiance + (1.0 - emissivity) * (1.0 - t) * b_air
        if dust > 0.0:
            layer = 1.0 - math.exp(-K_DUST[c] * dust)
            radiance += layer * (_planck(t_air - DUST_BELOW_AIR, c) - radiance)
        if low_tau > 0.0:
            radiance += (1.0 - math.exp(-K_CLOUD[0, c] * low_tau)) * (b_low[c] - radiance)
        radiance = t * radiance + (1.0 - t) * b_air
        if high_tau > 0.0:
            radiance += (1.0 - math.exp(-K_CLOUD[1, c] * high_tau)) * (b_high[c] - radiance)
        out[i, N_REFLECTANCE + c, y, x] = _brightness_temperature(radiance, c)


@njit(cache=True)
def _column_terms(cols, solar_zenith, solar_azimuth, wind_speed, fine, dust):
    """Glint, aerosol path reflectance and transmittance (S1-S6) of each column of a scene.

    Shape (cols, 13): the sun-view geometry changes across the swath only, so
    these are per column. Zero (and transmittance 1) at night.
    """
    terms = np.zeros((cols, 1 + 2 * N_REFLECTANCE))
    terms[:, 1 + N_REFLECTANCE:] = 1.0
    zenith = math.radians(solar_zenith)
    azimuth = math.radians(solar_azimuth)
    mu_s = math.cos(zenith)
    if mu_s <= 0.0:
        return terms
    sx, sy = math.sin(zenith) * math.cos(azimuth), math.sin(zenith) * math.sin(azimuth)
    for x in range(cols):
        view = math.radians(MAX_VIEW_ZENITH) * (2.0 * x / max(cols - 1, 1) - 1.0)
        vx, mu_v = math.sin(view), math.cos(view)
        terms[x, 0] = _glint(sx, sy, mu_s, vx, mu_v, wind_speed)
        if fine > 0.0 or dust > 0.0:
            phase = _phase(-(sx * vx + mu_s * mu_v))
            for c in range(N_REFLECTANCE):
                if c != 3:  # S4 sees only the high cloud
                    terms[x, 1 + c], terms[x, 1 + N_REFLECTANCE + c] = _aerosol(
                        c, fine, dust, mu_s, mu_v, phase)
    return terms


@njit(cache=True, parallel=True)
def slstr_surface_kernel(temperature, tcwv, low_tau, low_top, high_tau, high_top, surface,
                         solar_zenith, solar_azimuth, wind_speed, fine_aerosol, dust, out):
    """Fill ``out`` (n, 9, H, W) float32, in parallel over the rows of all scenes.

    Fields (n, H, W): surface temperature (K), water vapour, the two optical
    depths, ``surface`` (uint8 class index into ``SURFACES``). Per scene (n,):
    cloud tops (K), solar zenith and azimuth (degrees), wind speed (m/s),
    fine-mode and dust optical depths at 0.55 um.
    """
    n, rows, cols = temperature.shape
    columns = np.empty((n, cols, 1 + 2 * N_REFLECTANCE))
    for i in prange(n):
        columns[i] = _column_terms(cols, solar_zenith[i], solar_azimuth[i], wind_speed[i],
                                   fine_aerosol[i], dust[i])
    for row in prange(n * rows):
        i, y = row // rows, row % rows
        b_low, b_high = _top_radiances(low_top[i], high_top[i])
        day = math.cos(math.radians(solar_zenith[i])) > 0.0
        for x in range(cols):
            kind = surface[i, y, x]
            low, high = float(low_tau[i, y, x]), float(high_tau[i, y, x])
            _thermal(out, i, y, x, float(temperature[i, y, x]), float(tcwv[i, y, x]), low,
                     b_low, high, b_high, kind, dust[i])
            glint = columns[i, x, 0] if kind == OCEAN else 0.0
            for c in range(N_REFLECTANCE):
                reflectance = 0.0
                if day:
                    reflectance = (columns[i, x, 1 + c] + columns[i, x, 1 + N_REFLECTANCE + c]
                                   * (REFLECTANCE[kind, c] + glint))
                    reflectance = _under_clouds(reflectance, low, high, c)
                out[i, c, y, x] = reflectance

import math

import numpy as np
import pytest

from sciml_estimators.simulators import brightness_temperature, planck_radiance, slstr_channels
from sciml_estimators.simulators._slstr_surfaces import (
    DESERT,
    EMISSIVITY,
    MAX_VIEW_ZENITH,
    OCEAN,
    REFLECTANCE,
    SNOW_ICE,
    VEGETATION,
    slstr_surface_kernel,
)

S1, S2, S3, S4, S5, S6, S7, S8, S9 = range(9)
THERMAL_UM = (3.74, 10.85, 12.0)


def scene(shape=(1, 3), temperature=295.0, tcwv=35.0, low_tau=0.0, high_tau=0.0, surface=OCEAN,
          solar_zenith=30.0, solar_azimuth=0.0, wind_speed=5.0, fine=0.0, dust=0.0):
    """The nine channels (9, H, W), float64, of one scene of uniform fields."""
    fields = [np.full((1,) + shape, value, dtype=float)
              for value in (temperature, tcwv, low_tau, high_tau)]
    out = np.empty((1, 9) + shape, dtype=np.float32)
    slstr_surface_kernel(fields[0], fields[1], fields[2], np.array([285.0]), fields[3],
                         np.array([230.0]), np.full((1,) + shape, surface, dtype=np.uint8),
                         *(np.array([v], dtype=float)
                           for v in (solar_zenith, solar_azimuth, wind_speed, fine, dust)),
                         out)
    return out[0].astype(float)


def fresnel_water(angle_deg, n=1.34):
    """Unpolarised Fresnel reflectance of water from Snell's law (independent of the kernel)."""
    i = math.radians(angle_deg)
    t = math.asin(math.sin(i) / n)
    rs = math.sin(i - t) / math.sin(i + t)
    rp = math.tan(i - t) / math.tan(i + t)
    return (rs**2 + rp**2) / 2


@pytest.mark.parametrize("azimuth, sign", [(0.0, -1), (180.0, 1)])
def test_glint_sits_at_the_specular_direction(azimuth, sign):
    # 111 columns: view zenith -55 to 55 degrees in steps of 1; column 25 or 85 is 30 degrees.
    wind, zenith = 5.0, 30.0
    out = scene((1, 111), solar_zenith=zenith, solar_azimuth=azimuth, wind_speed=wind)
    view = np.linspace(-MAX_VIEW_ZENITH, MAX_VIEW_ZENITH, 111)
    glint = out[S2, 0] - REFLECTANCE[OCEAN, S2]
    # In the principal plane the facet that mirrors the sun into the view is tilted by
    # beta = (theta_v - mirror) / 2 and the light meets it at (theta_v + mirror) / 2 ...
    mirror = sign * zenith
    beta = np.radians(view - mirror) / 2
    incidence = np.abs(view + mirror) / 2
    rho = np.array([fresnel_water(a) if a > 0 else ((1.34 - 1) / 2.34) ** 2 for a in incidence])
    # ... and the glint divided by its geometric factors is Cox and Munk's slope density,
    # largest for the untilted facet: where the view is the sun's mirror image.
    geometry = math.pi * rho / (4 * math.cos(math.radians(zenith)) * np.cos(np.radians(view))
                                * np.cos(beta) ** 4)
    density = glint / geometry
    sigma2 = 0.003 + 0.00512 * wind
    np.testing.assert_allclose(density, np.exp(-np.tan(beta) ** 2 / sigma2) / (np.pi * sigma2),
                               rtol=2e-5, atol=1e-6)
    assert view[np.argmax(density)] == mirror
    # The reflectance itself peaks within a few degrees past the mirror (1 / mu_v), at
    # rho(30 deg) / (4 cos^2(30) sigma^2) on the mirror; 40 degrees off it, under a
    # tenth of the sea's own reflectance.
    assert 0 <= sign * (view[np.argmax(glint)] - mirror) <= 3
    expected = fresnel_water(zenith) / (4 * math.cos(math.radians(zenith)) ** 2 * sigma2)
    assert glint[view == mirror][0] == pytest.approx(expected, rel=1e-5)
    assert glint[np.abs(view - mirror) > 40].max() < 0.1 * REFLECTANCE[OCEAN, S2]
    assert not out[S4].any()


def test_glint_widens_with_wind_and_is_ocean_only():
    calm = scene((1, 111), wind_speed=1.0)[S2, 0]
    windy = scene((1, 111), wind_speed=12.0)[S2, 0]
    assert calm.max() > 2 * windy.max()
    assert (windy > 0.05).sum() > (calm > 0.05).sum()
    land = scene((1, 111), surface=VEGETATION)[S2, 0]
    np.testing.assert_allclose(land, REFLECTANCE[VEGETATION, S2], rtol=1e-6)


def test_ocean_without_aerosol_is_the_ideal_kernel_plus_glint():
    rng = np.random.RandomState(0)
    shape = (2, 4, 5)
    sst, tcwv = rng.uniform(290, 300, shape), rng.uniform(20, 50, shape)
    low, high = rng.uniform(0, 20, shape) * (rng.uniform(size=shape) < 0.5), \
        rng.uniform(0, 3, shape) * (rng.uniform(size=shape) < 0.5)
    ideal = slstr_channels(sst, tcwv, low, [283.0, 286.0], high, [225.0, 240.0])
    night = slstr_channels(sst, tcwv, low, [283.0, 286.0], high, [225.0, 240.0], daytime=False)
    for zenith, expected in ((40.0, ideal), (120.0, night)):
        out = np.empty_like(ideal)
        slstr_surface_kernel(sst, tcwv, low, np.array([283.0, 286.0]), high,
                             np.array([225.0, 240.0]), np.zeros(shape, np.uint8),
                             np.full(2, zenith), np.full(2, 200.0), np.full(2, 5.0),
                             np.zeros(2), np.zeros(2), out)
        np.testing.assert_array_equal(out[:, S7:], expected[:, S7:])
        glint = out[:, :S7].astype(float) - expected[:, :S7]
        assert glint.min() >= -1e-6 and (zenith < 90) == (glint.max() > 1e-4)


def test_snow_is_white_in_the_visible_and_dark_at_1_6_um_unlike_cloud():
    snow = scene(surface=SNOW_ICE, temperature=260.0)[:, 0, 0]
    cloud = scene(low_tau=30.0)[:, 0, 0]  # an opaque water cloud over the sea
    assert snow[S1] > 0.9 and snow[S5] < 0.1 and snow[S6] < 0.05
    assert cloud[S1] > 0.6 and cloud[S5] > 3 * snow[S5]


@pytest.mark.parametrize("surface", [DESERT, VEGETATION, SNOW_ICE])
def test_emissivity_lowers_the_brightness_temperature_as_planck_says(surface):
    # No water vapour: no atmosphere to emit or reflect, so L = eps * B(T_s) exactly.
    out = scene(surface=surface, temperature=310.0, tcwv=0.0, solar_zenith=120.0)
    for c, wavelength in enumerate(THERMAL_UM):
        expected = brightness_temperature(
            EMISSIVITY[surface, c] * planck_radiance(310.0, wavelength), wavelength)
        assert out[S7 + c, 0, 0] == pytest.approx(float(expected), abs=2e-3)
    if surface == DESERT:
        # Quartz sand: 3.74 um lowest, and BT11 below BT12, the split window reversed.
        drop = 310.0 - out[S7:, 0, 0]
        assert drop[0] > drop[1] > drop[2] > 1.0


def test_night_has_no_reflectance_whatever_the_surface_or_aerosol():
    for surface in (OCEAN, VEGETATION, DESERT, SNOW_ICE):
        out = scene(surface=surface, solar_zenith=110.0, fine=0.3, dust=1.0, high_tau=2.0)
        assert not out[:S7].any() and np.all(out[S7:] > 200)


def test_aerosol_brightens_the_visible_and_dust_reverses_the_split_window():
    clear = scene(solar_zenith=40.0, solar_azimuth=90.0)[:, 0, 0]
    fine = scene(solar_zenith=40.0, solar_azimuth=90.0, fine=0.4)[:, 0, 0]
    dust = scene(solar_zenith=40.0, solar_azimuth=90.0, dust=1.0)[:, 0, 0]
    # Fine mode (Angstrom 1.5) brightens 0.555 um far more than 2.25 um; no thermal effect.
    assert fine[S1] - clear[S1] > max(0.01, 2 * (fine[S6] - clear[S6]))
    np.testing.assert_array_equal(fine[S7:], clear[S7:])
    # Dust: a flatter spectrum, and BT11 falls more than BT12.
    assert dust[S6] - clear[S6] > 0.01
    assert (clear[S8] - dust[S8]) > (clear[S9] - dust[S9]) + 0.3
    assert dust[S8] - dust[S9] < clear[S8] - clear[S9] - 0.3
    # Over bright snow, aerosol darkens (transmission beats path reflectance).
    snow = scene(surface=SNOW_ICE, solar_zenith=40.0, solar_azimuth=90.0)[S1, 0, 0]
    dusty_snow = scene(surface=SNOW_ICE, solar_zenith=40.0, solar_azimuth=90.0,
                       dust=1.0)[S1, 0, 0]
    assert dusty_snow < snow

import math

import numpy as np
import pytest
from scipy import constants

from sciml_estimators.simulators import (
    brightness_temperature,
    planck_radiance,
    slstr_channels,
    slstr_clear_sky,
)
from sciml_estimators.simulators._slstr import (
    CHANNEL_NAMES,
    N_REFLECTANCE,
    REFERENCE,
    WAVELENGTHS_UM,
)

S4, S5, S7, S8, S9 = 3, 4, 6, 7, 8


def codata_planck(temperature, wavelength_um):
    """Planck's law in SI units from scipy's CODATA constants, per um."""
    h, c, k = constants.h, constants.c, constants.k
    lam = wavelength_um * 1e-6
    return 2 * h * c**2 / lam**5 / np.expm1(h * c / (lam * k * temperature)) * 1e-6


def one_pixel(sst=295.0, tcwv=35.0, low_tau=0.0, low_top=285.0, high_tau=0.0, high_top=230.0,
              daytime=True):
    """The nine channels of one pixel, float64."""
    out = slstr_channels(np.full((1, 1), sst), np.full((1, 1), tcwv), np.full((1, 1), low_tau),
                         low_top, np.full((1, 1), high_tau), high_top, daytime=daytime)
    return out[:, 0, 0].astype(float)


@pytest.mark.parametrize("temperature, wavelength, expected, source", REFERENCE)
def test_planck_reference(temperature, wavelength, expected, source):
    assert planck_radiance(temperature, wavelength) == pytest.approx(expected, rel=2e-5)
    assert planck_radiance(temperature, wavelength) == pytest.approx(
        codata_planck(temperature, wavelength), rel=1e-7)


def test_planck_laws_and_round_trip():
    temperature = np.linspace(180.0, 330.0, 31)[:, None]
    wavelength = WAVELENGTHS_UM[None, :]
    back = brightness_temperature(planck_radiance(temperature, wavelength), wavelength)
    np.testing.assert_allclose(back, np.broadcast_to(temperature, back.shape), rtol=0,
                               atol=1e-9)
    # Wien's displacement law and the Stefan-Boltzmann law at 300 K.
    lam = np.geomspace(0.5, 2000.0, 400001)
    radiance = planck_radiance(300.0, lam)
    assert lam[np.argmax(radiance)] == pytest.approx(2897.771955 / 300.0, rel=1e-4)
    exitance = np.pi * np.sum(0.5 * (radiance[1:] + radiance[:-1]) * np.diff(lam))
    assert exitance == pytest.approx(constants.Stefan_Boltzmann * 300.0**4, rel=1e-4)


def test_clear_sky_split_window():
    tcwv = np.linspace(20.0, 50.0, 7)
    sst = np.full_like(tcwv, 295.0)
    out = slstr_clear_sky(sst[None], tcwv[None])[:, 0].astype(float)  # (9, 7)
    assert np.all(out[S8] < sst) and np.all(out[S9] < out[S8])
    difference = out[S8] - out[S9]
    assert np.all((difference > 0.3) & (difference < 4.0))
    assert np.all(np.diff(difference) > 0)
    np.testing.assert_allclose(out[:N_REFLECTANCE, 0], [0.06, 0.04, 0.015, 0.0, 0.01, 0.005],
                               rtol=1e-6)
    # Clear sky is the cloudy simulator with no cloud.
    zero = np.zeros((1, 7))
    np.testing.assert_array_equal(slstr_channels(sst[None], tcwv[None], zero, 280.0, zero,
                                                 220.0)[:, 0], out.astype(np.float32))


def test_opaque_high_cloud():
    out = one_pixel(high_tau=1000.0, high_top=225.0)
    np.testing.assert_allclose(out[S7:], 225.0, atol=1e-3)
    t = 0.15 * 1000.0
    cloud = t / (2 + t)
    below = 0.06
    expected = cloud + (1 - cloud) ** 2 * below / (1 - cloud * below)
    assert out[0] == pytest.approx(expected, rel=1e-6) and out[0] > 0.98
    assert out[S4] == pytest.approx(cloud, rel=1e-6)  # 1.375 um: the cloud alone
    assert out[S5] < 0.7 * out[0]  # ice absorbs at 1.61 um


def test_opaque_low_cloud_sits_under_the_water_vapour():
    out = one_pixel(sst=295.0, tcwv=40.0, low_tau=1000.0, low_top=288.0)
    for channel, k in zip((S7, S8, S9), (0.004, 0.010, 0.016)):
        lam = WAVELENGTHS_UM[channel]
        t = math.exp(-k * 40.0)
        radiance = t * codata_planck(288.0, lam) + (1 - t) * codata_planck(287.0, lam)
        assert out[channel] == pytest.approx(brightness_temperature(radiance, lam), abs=2e-3)
    assert out[S4] == 0.0 and out[0] > 0.98
    assert out[S5] < out[0] and out[S5] > one_pixel(high_tau=1000.0)[S5]  # water vs ice


def test_thin_cirrus_has_a_large_split_window_difference():
    clear = one_pixel()
    for tau in (0.3, 1.0, 2.0):
        cirrus = one_pixel(high_tau=tau)
        assert cirrus[S8] - cirrus[S9] > clear[S8] - clear[S9] + 1.0
        assert cirrus[S8] < clear[S8]


def test_s4_sees_only_high_cloud():
    assert one_pixel(low_tau=20.0)[S4] == 0.0
    assert one_pixel()[S4] == 0.0
    assert one_pixel(high_tau=1.0)[S4] > 0.05
    assert one_pixel(low_tau=20.0, high_tau=1.0)[S4] == one_pixel(high_tau=1.0)[S4]


def test_night_has_no_reflectance():
    day = one_pixel(low_tau=5.0, high_tau=1.0)
    night = one_pixel(low_tau=5.0, high_tau=1.0, daytime=False)
    assert np.all(night[:N_REFLECTANCE] == 0.0) and np.all(day[:N_REFLECTANCE] > 0.0)
    np.testing.assert_array_equal(night[N_REFLECTANCE:], day[N_REFLECTANCE:])


# Independent per-pixel version, written from the module's equations.
K_VAPOUR = {3.74: 0.004, 10.85: 0.010, 12.0: 0.016}
K_WATER = {3.74: 0.30, 10.85: 0.48, 12.0: 0.53}
K_ICE = {3.74: 0.40, 10.85: 0.45, 12.0: 0.60}
SURFACE = [0.06, 0.04, 0.015, 0.0, 0.01, 0.005]
ALBEDO_WATER = [1, 1, 1, 1, 0.85, 0.70]
ALBEDO_ICE = [1, 1, 1, 1, 0.60, 0.45]


def reference_pixel(sst, tcwv, low_tau, low_top, high_tau, high_top, daytime):
    out = []
    for c in range(6):
        def layer(tau, albedo):
            t = 0.15 * tau
            return albedo * t / (2 + t)

        def add(top, below):
            return top + (1 - top) ** 2 * below / (1 - top * below)

        high = layer(high_tau, ALBEDO_ICE[c])
        if c == 3:
            value = high
        else:
            value = add(high, add(layer(low_tau, ALBEDO_WATER[c]), SURFACE[c]))
        out.append(value if daytime else 0.0)
    for lam in (3.74, 10.85, 12.0):
        low_e = 1 - math.exp(-K_WATER[lam] * low_tau)
        high_e = 1 - math.exp(-K_ICE[lam] * high_tau)
        t = math.exp(-K_VAPOUR[lam] * tcwv)
        radiance = (1 - low_e) * codata_planck(sst, lam) + low_e * codata_planck(low_top, lam)
        radiance = t * radiance + (1 - t) * codata_planck(sst - 8.0, lam)
        radiance = (1 - high_e) * radiance + high_e * codata_planck(high_top, lam)
        h, c, k = constants.h, constants.c, constants.k
        c1, c2 = 2 * h * c**2 * 1e24, h * c / k * 1e6  # W m^-2 sr^-1 um^4, um K
        out.append(c2 / (lam * math.log1p(c1 / (lam**5 * radiance))))
    return out


@pytest.mark.parametrize("daytime", [True, False])
def test_kernel_matches_a_per_pixel_reference(daytime):
    rng = np.random.RandomState(0)
    shape = (3, 5, 4)
    sst = rng.uniform(288, 302, shape)
    tcwv = rng.uniform(10, 60, shape)
    low_tau = rng.uniform(0, 40, shape) * (rng.uniform(size=shape) < 0.6)
    high_tau = rng.uniform(0, 6, shape) * (rng.uniform(size=shape) < 0.6)
    low_top = sst.mean(axis=(1, 2)) - rng.uniform(4, 15, 3)
    high_top = rng.uniform(215, 250, 3)
    out = slstr_channels(sst, tcwv, low_tau, low_top, high_tau, high_top, daytime=daytime)
    assert out.shape == (3, 9, 5, 4) and out.dtype == np.float32
    expected = np.empty(out.shape)
    for i, y, x in np.ndindex(shape):
        expected[i, :, y, x] = reference_pixel(sst[i, y, x], tcwv[i, y, x], low_tau[i, y, x],
                                               low_top[i], high_tau[i, y, x], high_top[i],
                                               daytime)
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-7)
    # One scene as 2-D fields gives the same channels.
    np.testing.assert_array_equal(
        slstr_channels(sst[1], tcwv[1], low_tau[1], low_top[1], high_tau[1], high_top[1],
                       daytime=daytime), out[1])


def test_channel_table():
    assert CHANNEL_NAMES == tuple(f"S{k}" for k in range(1, 10))
    assert WAVELENGTHS_UM.shape == (9,) and np.all(np.diff(WAVELENGTHS_UM) > 0)


@pytest.mark.parametrize(
    "change, message",
    [({"tcwv": np.full((2, 3, 4), 30.0)}, "tcwv must have shape"),
     ({"low_tau": np.full((2, 3, 3), -1.0)}, "low_tau must be >= 0"),
     ({"high_tau": np.full((2, 3, 3), np.nan)}, "high_tau must be finite"),
     ({"low_top": [280.0, 281.0, 282.0]}, "low_top must be a scalar or a 1-D array of length 2"),
     ({"high_top": -5.0}, "high_top must be positive"),
     ({"sst": np.full(3, 295.0)}, r"sst must have shape \(n, H, W\)")],
)
def test_bad_input_raises(change, message):
    kwargs = dict(sst=np.full((2, 3, 3), 295.0), tcwv=np.full((2, 3, 3), 30.0),
                  low_tau=np.zeros((2, 3, 3)), low_top=285.0, high_tau=np.zeros((2, 3, 3)),
                  high_top=230.0)
    kwargs.update(change)
    with pytest.raises(ValueError, match=message):
        slstr_channels(**kwargs)

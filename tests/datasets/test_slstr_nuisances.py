import hashlib

import numpy as np
import pytest

from sciml_estimators.datasets import make_slstr_domain_shift, make_slstr_scenes
from sciml_estimators.datasets import _slstr as slstr_module
from sciml_estimators.datasets import _slstr_nuisances as nuisances_module
from sciml_estimators.datasets._slstr_shift import SHIFTED, SOURCE
from sciml_estimators.simulators._slstr_surfaces import DESERT, OCEAN, SNOW_ICE, VEGETATION

SMALL = {"size": 32, "random_state": 0}
S1, S5, S8 = 0, 4, 7


@pytest.fixture(scope="module")
def measured():
    return make_slstr_scenes(12, nuisances="measured", noise=None, **SMALL)


@pytest.mark.parametrize("kwargs, digest", [
    ({}, "bd81aad240751cd8"),
    ({"noise": None}, "b9af37a6a3a76bd9"),
])
def test_ideal_setting_keeps_todays_scenes_bit_for_bit(kwargs, digest):
    """Digests of make_slstr_scenes before the nuisances (test_slstr.py holds the same)."""
    scenes = make_slstr_scenes(4, size=48, random_state=3, nuisances=None, **kwargs)
    data = np.ascontiguousarray(scenes.target).tobytes()
    data += np.ascontiguousarray(scenes.data).tobytes()
    assert hashlib.sha256(data).hexdigest()[:16] == digest
    assert "nuisance_parameters" not in scenes and "surface" not in scenes


def test_measured_scenes_keep_the_ideal_draws(measured):
    ideal = make_slstr_scenes(12, noise=None, **SMALL)
    for name, values in ideal.parameters.items():
        np.testing.assert_array_equal(measured.parameters[name], values)
    # The clouds underneath are the same; thin cirrus only adds optical depth.
    assert np.all(measured.optical_depth >= ideal.optical_depth)
    assert measured.surface_names == ["ocean", "vegetation", "desert", "snow_ice"]
    assert "snow and sea ice" in measured.DESCR


def test_drawn_values_lie_in_their_documented_ranges(measured):
    drawn = measured.nuisance_parameters
    ranges = nuisances_module.NUISANCE_RANGES
    for name in ("solar_zenith", "solar_azimuth", "wind_speed", "snow_ice_temperature",
                 "fine_aerosol", "cirrus_fraction", "cirrus_tau_scale"):
        assert len(drawn[name]) == 12
        assert np.all((ranges[name][0] <= drawn[name]) & (drawn[name] <= ranges[name][1])), name
    dust = drawn["dust"][drawn["dust"] > 0]
    assert np.all((ranges["dust"][0] <= dust) & (dust <= ranges["dust"][1]))
    assert set(np.unique(drawn["land_kind"])) <= {VEGETATION, DESERT}


def test_each_nuisance_has_its_own_stream(monkeypatch, measured):
    # A nuisance appended at the end, or other shares of desert, snow and dust, leave the
    # values every stream draws as they were.
    monkeypatch.setattr(nuisances_module, "NUISANCE_NAMES",
                        nuisances_module.NUISANCE_NAMES + ("new",))
    monkeypatch.setattr(nuisances_module, "CONDITIONS",
                        {"desert_share": 1.0, "snow_share": 0.0, "dust_share": 1.0})
    other = make_slstr_scenes(12, nuisances="measured", noise=None, **SMALL)
    for name in ("solar_zenith", "solar_azimuth", "wind_speed", "fine_aerosol",
                 "cirrus_fraction", "land_fraction", "snow_ice_temperature"):
        np.testing.assert_array_equal(other.nuisance_parameters[name],
                                      measured.nuisance_parameters[name])
    assert np.all(other.nuisance_parameters["land_kind"] == DESERT)
    assert not other.nuisance_parameters["snow_ice_fraction"].any()
    assert np.all(other.nuisance_parameters["dust"] > 0)


def test_a_coastline_splits_land_and_sea(measured):
    drawn = measured.nuisance_parameters
    size = measured.surface.shape[-1]
    grid = np.arange(size) - (size - 1) / 2
    coastal = np.flatnonzero((drawn["land_fraction"] > 0) & (drawn["land_fraction"] < 1)
                             & (drawn["snow_ice_fraction"] == 0))
    assert coastal.size >= 3
    for i in coastal:
        land = measured.surface[i] != OCEAN
        assert land.mean() == pytest.approx(drawn["land_fraction"][i], abs=1.5 / size**2)
        # Land lies on one side: along the coast's direction, its pixels sit well past the sea's.
        along = (np.cos(drawn["coast_direction"][i]) * grid[None, :]
                 + np.sin(drawn["coast_direction"][i]) * grid[:, None])
        assert along[land].mean() - along[~land].mean() > size / 4
    sea_only = drawn["land_fraction"] == 0
    land_only = drawn["land_fraction"] == 1
    assert np.all(np.isin(measured.surface[sea_only], [OCEAN, SNOW_ICE]))
    assert not np.any(measured.surface[land_only] == OCEAN)


def test_land_is_warmer_by_day_and_snow_is_dark_at_1_6_um(measured):
    drawn = measured.nuisance_parameters
    clear = measured.optical_depth == 0
    for i in np.flatnonzero((drawn["land_fraction"] > 0) & (drawn["land_fraction"] < 1)):
        land = clear[i] & np.isin(measured.surface[i], [VEGETATION, DESERT])
        sea = clear[i] & (measured.surface[i] == OCEAN)
        if land.sum() > 20 and sea.sum() > 20:
            # The water vapour (transmittance 0.6-0.8 at 10.85 um) and land's emissivity
            # pass most of the skin-temperature contrast on to BT11.
            contrast = measured.data[i, S8][land].mean() - measured.data[i, S8][sea].mean()
            assert 0.6 < contrast / drawn["land_contrast"][i] < 1.0
    snow = clear & (measured.surface == SNOW_ICE)
    assert snow.sum() > 100
    assert measured.data[:, S1][snow].mean() > 0.6 > 0.15 > measured.data[:, S5][snow].mean()


def test_night_scenes_have_no_reflectance():
    night = make_slstr_scenes(3, daytime=False, nuisances="measured", **SMALL)
    assert not night.data[:, :6].any() and night.data[:, 6:].std() > 1
    assert np.all(night.nuisance_parameters["solar_zenith"] >= 100)


def test_batches_do_not_change_the_measured_data(monkeypatch, measured):
    monkeypatch.setattr(slstr_module, "_BATCH", 5)
    batched = make_slstr_scenes(12, nuisances="measured", noise=None, **SMALL)
    np.testing.assert_array_equal(batched.data, measured.data)
    np.testing.assert_array_equal(batched.surface, measured.surface)


def test_shift_trains_on_sea_and_vegetation_and_tests_on_desert_snow_and_dust():
    scenes = make_slstr_domain_shift(10, size=24, random_state=0)
    assert scenes.data.shape == (10, 9, 24, 24) and scenes.domain.tolist() == [0] * 8 + [1] * 2
    source, shifted = scenes.surface[:8], scenes.surface[8:]
    assert set(np.unique(source)) <= {OCEAN, VEGETATION}
    assert not np.isin(shifted, [VEGETATION]).any()
    assert scenes.conditions == {"source": SOURCE, "shifted": SHIFTED}
    assert 0.9 < np.mean(scenes.target == scenes.truth) < 1.0
    again = make_slstr_domain_shift(10, size=24, random_state=0)
    np.testing.assert_array_equal(again.data, scenes.data)


@pytest.mark.parametrize("call, message", [
    (lambda: make_slstr_scenes(2, size=8, nuisances="real"), "'nuisances' parameter"),
    (lambda: make_slstr_domain_shift(1, size=8), "'n_samples' parameter"),
])
def test_bad_input_raises(call, message):
    with pytest.raises(ValueError, match=message):
        call()

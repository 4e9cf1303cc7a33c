"""make_dms(nuisances="measured"): what a Pilatus at a four-circle diffractometer adds."""

import hashlib

import numpy as np
import pytest
from sklearn.utils import check_random_state

from sciml_estimators.datasets import make_dms
from sciml_estimators.datasets import _dms as dms_module
from sciml_estimators.datasets._dms_nuisances import NUISANCE_RANGES
from sciml_estimators.simulators._dms_detector import COUNTER_MAX, module_gaps

SMALL = (32, 32)
DETECTOR = {"pixel_mm": 3.0}  # 96 mm across as the default detector, in 32 x 32 pixels


@pytest.mark.parametrize("noise, digest", [
    (None, "2e9669ced26c94f52c6574e2ae0455415d324aacdba6d5bb93ef85198eae0d27"),
    ("poisson", "0b3cc4211d299429ce4cd2f13e6cfa96220622d865f17ebdcd9531df2ddeda7b"),
])
def test_ideal_patterns_are_those_before_the_nuisances(noise, digest):
    """The digests of make_dms at ea513bb, before the measured-like kernel."""
    dms = make_dms(12, noise=noise, random_state=0)
    assert hashlib.sha256(dms.data.tobytes() + dms.target.tobytes()).hexdigest() == digest


def measured(n, **kwargs):
    return make_dms(n, shape=SMALL, detector=DETECTOR, nuisances="measured", **kwargs)


def test_the_crystal_and_beam_draws_are_those_of_the_ideal_call():
    ideal = make_dms(20, shape=SMALL, detector=DETECTOR, random_state=4)
    real = measured(20, random_state=4)
    np.testing.assert_array_equal(real.target, ideal.target)
    for name, values in ideal.parameters.items():
        np.testing.assert_array_equal(real.parameters[name], values)
    assert "measured-like" in real.DESCR and "nuisance_parameters" not in ideal


def test_nuisances_are_drawn_over_their_ranges():
    drawn = measured(300, random_state=1).nuisance_parameters
    for name, (low, high) in NUISANCE_RANGES.items():
        keys = [key for key in drawn if key == name or key.startswith(name + "_")]
        assert keys, name
        for key in keys:
            if key == "miscut_azimuth_deg":
                continue
            assert low <= drawn[key].min() and drawn[key].max() <= high, key


def test_each_nuisance_has_its_own_stream():
    def draw(ranges):
        rng = check_random_state(7)
        return dms_module.simulate_dms(
            rng, 5, crystal="Si", energy_kev=8.0, surface=(0, 0, 1), detector=DETECTOR,
            shape=SMALL, misorientation_deg=0.2, energy_jitter=1e-3, noise=None, flux=100.0,
            ranges=ranges, progress=False)[4]

    plain = draw(NUISANCE_RANGES)
    wider = draw(dict(NUISANCE_RANGES, mosaic_deg=(0.001, 1.0)))
    assert not np.array_equal(plain["mosaic_deg"], wider["mosaic_deg"])
    for name, values in plain.items():
        if name != "mosaic_deg":
            np.testing.assert_array_equal(wider[name], values)


def test_gaps_are_empty_and_counters_saturate():
    real = measured(40, noise="poisson", flux=100.0, random_state=2)
    gaps = module_gaps(SMALL, DETECTOR["pixel_mm"])
    assert gaps.any() and np.all(real.data[:, gaps] == 0)
    full = np.float32(COUNTER_MAX / 100.0)
    assert real.data.max() <= full
    # Hot pixels read a full counter, each pattern its drawn number of them (less
    # those in a gap or the beam stop's shadow, or drawn twice).
    drawn = real.nuisance_parameters
    seen = (real.data == full).sum(axis=(1, 2))
    assert np.all(seen <= drawn["n_hot_pixels"])
    assert 0 < seen.sum() and seen.sum() >= 0.8 * drawn["n_hot_pixels"].sum()
    # About the drawn fraction of the pixels.
    np.testing.assert_allclose(drawn["n_hot_pixels"].sum(),
                               drawn["hot_pixels"].sum() * SMALL[0] * SMALL[1], rtol=0.5)


def test_measured_patterns_are_always_counts():
    # As a detector's: noise="poisson" changes nothing, and the values are counts / flux.
    counted = measured(3, noise="poisson", flux=10.0, random_state=3)
    default = measured(3, flux=10.0, random_state=3)
    np.testing.assert_array_equal(default.data, counted.data)
    counts = default.data.astype(np.float64) * 10.0
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-3)
    assert np.unique(np.round(counts)).size > 10


def test_batches_do_not_change_measured_data(monkeypatch):
    whole = measured(7, noise="poisson", random_state=0)
    monkeypatch.setattr(dms_module, "_BATCH", 3)
    batched = measured(7, noise="poisson", random_state=0)
    np.testing.assert_array_equal(batched.data, whole.data)


def test_unknown_nuisances_are_refused():
    with pytest.raises(ValueError, match="nuisances"):
        make_dms(2, shape=SMALL, nuisances="beamline")

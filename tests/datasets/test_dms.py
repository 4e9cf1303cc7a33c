import numpy as np
import pytest

from sciml_estimators.datasets import make_dms
from sciml_estimators.datasets import _dms as dms_module
from sciml_estimators.simulators import dms_pattern

SMALL = (24, 24)


def test_same_seed_same_data():
    first = make_dms(6, shape=SMALL, random_state=0)
    second = make_dms(6, shape=SMALL, random_state=0)
    np.testing.assert_array_equal(first.data, second.data)
    np.testing.assert_array_equal(first.target, second.target)
    assert not np.array_equal(first.target, make_dms(6, shape=SMALL, random_state=1).target)


def test_bunch_layout_and_physics():
    dms = make_dms(30, shape=SMALL, random_state=3)
    assert dms.data.shape == (30, 24, 24) and dms.data.dtype == np.float32
    assert dms.period == 90.0 and list(dms.target_names) == ["psi"]
    assert np.all((dms.target >= 0) & (dms.target < 90))
    assert "DMS" in dms.DESCR and ".. math::" in dms.DESCR
    params = dms.parameters
    np.testing.assert_array_equal(params["psi"], dms.target)
    assert 0.05 < np.std(params["tilt_x_deg"]) < 0.5
    assert np.all(np.abs(params["energy_kev"] / 8.0 - 1) <= 6e-3)
    # Each image is the simulator's pattern for the recorded parameters.
    for i in (0, 29):
        expected = dms_pattern(params["psi"][i], energy_kev=params["energy_kev"][i],
                               tilt_deg=(params["tilt_x_deg"][i], params["tilt_y_deg"][i]),
                               shape=SMALL)
        np.testing.assert_allclose(dms.data[i], expected, rtol=1e-6, atol=1e-6)


def test_psi_covers_the_crystal_period():
    dms = make_dms(40, crystal="Mg", shape=SMALL, misorientation_deg=0.0,
                   energy_jitter=0.0, random_state=0)
    assert dms.period == 60.0 and dms.target.max() < 60 and dms.target.max() > 40


def test_batches_do_not_change_the_data(monkeypatch):
    whole = make_dms(7, shape=SMALL, noise="poisson", random_state=0)
    monkeypatch.setattr(dms_module, "_BATCH", 3)
    batched = make_dms(7, shape=SMALL, noise="poisson", random_state=0)
    np.testing.assert_array_equal(batched.data, whole.data)


def test_return_X_y_matches_bunch():
    X, y = make_dms(5, shape=SMALL, random_state=0, return_X_y=True)
    bunch = make_dms(5, shape=SMALL, random_state=0)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


def test_poisson_noise_is_counting_statistics():
    ideal = make_dms(20, shape=SMALL, random_state=0)
    noisy = make_dms(20, shape=SMALL, noise="poisson", flux=30.0, random_state=0)
    np.testing.assert_array_equal(noisy.target, ideal.target)
    counts = noisy.data.astype(float) * 30.0
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-3)  # whole counts
    expected = ideal.data.astype(float) * 30.0
    assert abs(counts.sum() - expected.sum()) < 5 * np.sqrt(expected.sum())
    lit = expected > 5
    z = (counts[lit] - expected[lit]) / np.sqrt(expected[lit])
    assert z.std() == pytest.approx(1.0, rel=0.1)


@pytest.mark.parametrize(
    "kwargs, message",
    [({"crystal": "Xx"}, "crystal"),
     ({"shape": (24,)}, "shape must be 2 positive integers"),
     ({"energy_kev": 1.0}, "has no reflection"),
     ({"detector": {"distance_mm": -1.0}}, "distance_mm must be a finite positive"),
     ({"surface": (0, 0, np.nan)}, "surface must be")],
)
def test_bad_input_raises(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_dms(2, **{"shape": SMALL, **kwargs})


def test_unknown_crystal_lists_the_known_ones():
    with pytest.raises(ValueError, match="'Ge'.*'Si'|'Si'.*'Ge'"):
        make_dms(2, crystal="silicon")

import numpy as np
import pytest

from sciml_estimators.datasets import magnon_path, make_magnons
from sciml_estimators.simulators import magnon_slices, mari_coverage


def test_path_corners_and_spacing():
    h, k, distance, ticks = magnon_path(128)
    assert list(ticks) == ["Gamma", "X", "(3/4,1/4)", "M", "Gamma'"]
    np.testing.assert_allclose(list(ticks.values()),
                               [0, 0.5, 0.5 + np.sqrt(0.125), 0.5 + 2 * np.sqrt(0.125),
                                0.5 + 2 * np.sqrt(0.125) + np.sqrt(0.5)], rtol=1e-12)
    steps = np.hypot(np.diff(h), np.diff(k))
    # Equal steps of path length, except where the path turns at a corner.
    assert np.sum(~np.isclose(steps, distance[1] - distance[0])) <= 3
    assert np.all((h >= 0) & (h < 1) & (k >= 0) & (k < 1))


def test_images_targets_and_axes():
    magnons = make_magnons(20, random_state=0)
    assert magnons.data.shape == (20, 128, 128) and magnons.data.dtype == np.float32
    assert magnons.target.shape == (20, 2)
    J, J2 = magnons.target.T
    assert np.all((J >= 0.5) & (J <= 0.8)) and np.all((J2 >= 0) & (J2 <= 0.03))
    energy = (magnons.energy_edges[1:] + magnons.energy_edges[:-1]) / 2
    np.testing.assert_allclose(magnons.energy, energy)
    expected = magnon_slices(J, J2, h=magnons.h, k=magnons.k, energy_edges=magnons.energy_edges,
                             coverage=magnons.mask)
    np.testing.assert_array_equal(magnons.data, expected)
    coverage = mari_coverage(magnons.h, magnons.k, energy[:, None], incident_energy=25.0)
    np.testing.assert_array_equal(magnons.mask, coverage)
    assert 0.5 < magnons.mask.mean() < 0.9
    assert "J uniform in [0.5, 0.8] meV" in magnons.DESCR


def test_same_seed_same_data_and_return_X_y():
    X, y = make_magnons(5, random_state=3, return_X_y=True)
    again = make_magnons(5, random_state=3)
    np.testing.assert_array_equal(X, again.data)
    np.testing.assert_array_equal(y, again.target)
    assert not np.array_equal(y, make_magnons(5, random_state=4).target)


def test_unmasked_images_keep_every_bin():
    masked = make_magnons(3, random_state=0)
    full = make_magnons(3, random_state=0, mask=False)
    assert full.mask.all()
    np.testing.assert_array_equal(full.data[:, masked.mask], masked.data[:, masked.mask])
    assert np.all(masked.data[:, ~masked.mask] == 0)
    assert np.any(full.data[:, ~masked.mask] > 0)


def test_poisson_counts():
    ideal = make_magnons(200, random_state=0)
    noisy = make_magnons(200, random_state=0, noise="poisson", flux=20.0, background=0.05)
    np.testing.assert_array_equal(noisy.target, ideal.target)
    counts = noisy.data * 20.0
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-3)
    assert np.all(noisy.data[:, ~noisy.mask] == 0)
    # Poisson: mean and variance of the counts both equal flux * (I + background).
    expected = 20.0 * (ideal.data[:, noisy.mask].astype(float) + 0.05)
    residual = counts[:, noisy.mask] - expected
    assert abs(residual.mean()) < 0.01 * expected.mean()
    assert np.mean(residual**2) / expected.mean() == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("kwargs, match", [
    ({"J_range": (0.0, 0.8)}, "J_range must satisfy 0 < low"),
    ({"J_range": (0.8, 0.5)}, "J_range must satisfy"),
    ({"J2_range": (-0.01, 0.03)}, "J2_range must satisfy 0 <= low"),
    ({"J2_range": (0.0, 0.4)}, "the Neel state is unstable"),
    ({"J_range": "wide"}, "J_range.*must be an array-like"),
    ({"noise": "gaussian"}, "noise"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_magnons(2, **kwargs)

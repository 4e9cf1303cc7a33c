"""The classical FLImP rule: LoG spot density against the true density; tuned thresholds."""

import numpy as np
import pytest

from sciml_estimators.bench._flimp_baseline import SpotDensitySegmenter, feature_maps

PIXEL = 0.16  # um


def _spots(density, rng, photons=400.0, background=20.0, sigma=1.0):
    """A micrograph of Gaussian spots at ``density`` per um^2 (per pixel), and their counts."""
    counts = rng.poisson(density * PIXEL**2)
    ys, xs = np.nonzero(counts)
    ys = ys + rng.random(ys.size)
    xs = xs + rng.random(xs.size)
    rows, cols = np.arange(density.shape[0]) + 0.5, np.arange(density.shape[1]) + 0.5
    image = np.full(density.shape, background)
    for y, x in zip(ys, xs):
        image += photons / (2 * np.pi * sigma**2) * np.exp(
            -((rows[:, None] - y) ** 2 + (cols[None, :] - x) ** 2) / (2 * sigma**2))
    return rng.poisson(image).astype(np.float64), counts


@pytest.mark.parametrize("density, found", [(0.3, 0.9), (0.8, 0.8)])
def test_detected_density_follows_the_true_one(density, found):
    rng = np.random.default_rng(0)
    true = np.zeros((128, 192))
    true[:, 64:] = density  # glass on the left, spots on the right
    image, counts = _spots(true, rng)
    maps = feature_maps(image, pixel_size=PIXEL, spot_sigma=1.0, spot_threshold=6.0,
                        density_radius=1.0)
    # Away from the glass's edge: 128 x 112 px at 0.16 um hold 367 um^2.
    realised = counts[:, 80:].sum() / (counts[:, 80:].size * PIXEL**2)
    # Spots closer than about 2 px merge: a fraction 1 - exp(-density pi (0.32 um)^2),
    # 10 % at 0.3 and 23 % at 0.8 per um^2; measured 4-10 % and 15-21 % lost (seeds 0-3).
    assert np.mean(maps[1][:, 80:]) == pytest.approx(found * realised, rel=0.05)
    assert np.mean(maps[1][:, :40]) < 0.01 * density


def test_tuned_rule_finds_the_sparse_half():
    rng = np.random.default_rng(1)
    density = np.zeros((128, 128))
    density[:, :64], density[:, 64:] = 3.0, 0.5
    X = np.stack([_spots(density, rng)[0] for _ in range(3)])
    y = np.zeros(X.shape, dtype=bool)
    y[:, :, 64:] = True
    rule = SpotDensitySegmenter(criteria=("density",)).fit(X[:2], y[:2])
    low, high = rule.bounds_["density"]
    assert 0.5 < high < 3.0
    predicted = rule.predict(X[2:])
    # Wrong pixels only near the boundary, within the counting window (about 3 sigma).
    assert np.mean(predicted[:, :, 8:56] == y[2:, :, 8:56]) > 0.99
    assert np.mean(predicted[:, :, 72:120] == y[2:, :, 72:120]) > 0.99
    assert rule.predict_proba(X[2:]).shape == (1, 128, 128, 2)


def test_population_maps_and_unknown_criteria_are_refused():
    X = np.zeros((1, 16, 16))
    with pytest.raises(ValueError, match="tells two classes apart; y holds 3"):
        SpotDensitySegmenter().fit(X, np.arange(256).reshape(1, 16, 16) % 3)
    with pytest.raises(ValueError, match="criteria must be some of"):
        SpotDensitySegmenter(criteria=("brightness",)).fit(X, np.zeros((1, 16, 16), bool))

import numpy as np
import pytest
from scipy.stats import norm

from sciml_estimators.estimators import BayesianCloudMask


def _one_channel(n, rng, cloud_fraction=0.3):
    """Clear departures N(0, 1); cloudy departures uniform on [-12, -2]."""
    cloud = rng.rand(n) < cloud_fraction
    x = np.where(cloud, rng.uniform(-12, -2, n), rng.normal(0, 1, n))
    return x[:, None], cloud.astype(int)


def test_posterior_matches_bayes_theorem_with_the_true_densities():
    rng = np.random.RandomState(0)
    X, y = _one_channel(200_000, rng)
    mask = BayesianCloudMask(bins=40).fit(X, y)
    x = np.array([-1.5, -2.5, -3.0, -4.0, 0.0, 1.0])
    clear = 0.7 * norm.pdf(x)
    cloudy = 0.3 * np.where((x >= -12) & (x <= -2), 1 / 10, 0.0)
    expected = cloudy / (clear + cloudy)
    assert mask.cloud_prior_ == pytest.approx(0.3, abs=0.005)
    np.testing.assert_allclose(mask.predict_proba(x[:, None])[:, 1], expected, atol=0.03)


def test_clear_sky_departures_remove_the_background():
    # Clear pixels scatter by 0.2 K about a background that varies by 5 K:
    # only the departures from it separate a 1-3 K cloud signal.
    rng = np.random.RandomState(1)
    n = 20_000
    clear_sky = rng.normal(290, 5, size=(n, 2))
    cloud = rng.rand(n) < 0.4
    X = clear_sky + rng.normal(0, 0.2, size=(n, 2))
    X[cloud] -= rng.uniform(1, 3, size=(cloud.sum(), 1)) * [1.0, 1.3]
    train, test = slice(0, n // 2), slice(n // 2, None)
    with_model = BayesianCloudMask().fit(X[train], cloud[train], clear_sky=clear_sky[train])
    without = BayesianCloudMask().fit(X[train], cloud[train])
    assert with_model.score(X[test], cloud[test], clear_sky=clear_sky[test]) > 0.99
    assert without.score(X[test], cloud[test]) < 0.8


def test_shifting_observation_and_clear_sky_together_changes_nothing():
    rng = np.random.RandomState(2)
    clear_sky = rng.normal(0, 1, size=(3000, 3))
    cloud = rng.rand(3000) < 0.5
    X = clear_sky + rng.normal(0, 0.1, size=(3000, 3)) - 2.0 * cloud[:, None]
    mask = BayesianCloudMask().fit(X, cloud, clear_sky=clear_sky)
    shift = rng.normal(0, 10, size=(3000, 3))
    np.testing.assert_allclose(
        mask.predict_proba(X + shift, clear_sky=clear_sky + shift),
        mask.predict_proba(X, clear_sky=clear_sky),
        atol=1e-9,
    )


def test_scenes_give_the_pixel_rows_answers_and_mask_non_finite_pixels():
    rng = np.random.RandomState(3)
    scenes = rng.normal(size=(3, 2, 8, 9))
    masks = (scenes[:, 0] < -0.5).astype(np.uint8)
    clear_sky = np.zeros_like(scenes)
    rows = np.moveaxis(scenes, 1, -1).reshape(-1, 2)
    from_scenes = BayesianCloudMask().fit(scenes, masks, clear_sky=clear_sky)
    from_rows = BayesianCloudMask().fit(rows, masks.ravel())
    np.testing.assert_allclose(from_scenes.log_cloud_density_, from_rows.log_cloud_density_)
    proba = from_scenes.predict_proba(scenes, clear_sky=clear_sky)
    assert proba.shape == (3, 8, 9, 2)
    np.testing.assert_allclose(proba.reshape(-1, 2), from_rows.predict_proba(rows))

    scenes[1, 1, 2, 3] = np.nan
    proba = from_scenes.predict_proba(scenes, clear_sky=clear_sky)
    assert np.isnan(proba[1, 2, 3]).all() and np.isfinite(np.delete(proba.reshape(-1, 2), 72 + 21,
                                                                    axis=0)).all()
    labels = from_scenes.predict(scenes, clear_sky=clear_sky)
    assert labels.mask.sum() == 1 and labels.mask[1, 2, 3]
    # Fitting skips the pixel instead of failing.
    BayesianCloudMask().fit(scenes, masks, clear_sky=clear_sky)


def test_bad_input_says_what_is_expected():
    rng = np.random.RandomState(4)
    X, y = rng.normal(size=(50, 2)), np.repeat([0, 1], 25)
    with pytest.raises(ValueError, match="exactly 2 classes"):
        BayesianCloudMask().fit(X, np.arange(50) % 3)
    with pytest.raises(ValueError, match="clear_sky must have the shape of X"):
        BayesianCloudMask().fit(X, y, clear_sky=np.zeros((50, 3)))
    with pytest.raises(ValueError, match="pixel rows .* or scenes"):
        BayesianCloudMask().fit(X.reshape(5, 2, 10), y)
    with pytest.raises(ValueError, match=r"one mask per scene.*\(2, 4, 4\)"):
        BayesianCloudMask().fit(rng.normal(size=(2, 3, 4, 4)), np.zeros((2, 4, 5)))
    fitted = BayesianCloudMask().fit(X, y)
    with pytest.raises(ValueError, match="2 features"):
        fitted.predict(rng.normal(size=(2, 3, 4, 4)))


def test_refuses_clear_sky_given_or_left_out_unlike_in_fit():
    # Fitted on departures from clear_sky, then used without it, every pixel was
    # called cloud (accuracy 0.997 -> 0.577) with no warning.
    rng = np.random.RandomState(5)
    clear_sky = rng.normal(290, 5, size=(4000, 2))
    cloud = rng.rand(4000) < 0.4
    X = clear_sky + rng.normal(0, 0.2, size=(4000, 2)) - 2.0 * cloud[:, None]
    with_model = BayesianCloudMask().fit(X, cloud, clear_sky=clear_sky)
    assert with_model.fitted_with_clear_sky_
    assert with_model.score(X, cloud, clear_sky=clear_sky) > 0.99
    for method in ("predict", "predict_proba"):
        with pytest.raises(ValueError, match="fitted with clear_sky=.*not given here"):
            getattr(with_model, method)(X)
    with pytest.raises(ValueError, match="fitted with clear_sky=.*not given here"):
        with_model.score(X, cloud)
    without = BayesianCloudMask().fit(X, cloud)
    assert not without.fitted_with_clear_sky_
    with pytest.raises(ValueError, match="fitted without clear_sky.*given here"):
        without.predict(X, clear_sky=clear_sky)

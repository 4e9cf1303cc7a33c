import pickle

import numpy as np
import pytest
from sklearn.base import clone

from sciml_estimators import CloudMaskClassifier


def _scenes(rng, n=4, size=12):
    scenes = rng.normal(size=(n, 3, size, size)).astype(np.float32)
    scenes[:, 2] = 280 + 5 * scenes[:, 2]  # a brightness-temperature-like channel
    masks = (scenes[:, 0] - 0.5 * scenes[:, 1] > 0.2).astype(np.uint8)
    return scenes, masks


def _fast(**params):
    return CloudMaskClassifier(**{"max_epochs": 15, "batch_size": 32, "random_state": 0, **params})


def test_scenes_and_their_pixel_rows_train_the_same_model():
    scenes, masks = _scenes(np.random.RandomState(0))
    rows = np.moveaxis(scenes, 1, -1).reshape(-1, 3)
    from_scenes = _fast().fit(scenes, masks)
    from_rows = _fast().fit(rows, masks.ravel())
    proba = from_scenes.predict_proba(scenes)
    assert proba.shape == (4, 12, 12, 2)
    np.testing.assert_array_equal(proba.reshape(-1, 2), from_rows.predict_proba(rows))
    assert from_scenes.score(scenes, masks) > 0.95
    np.testing.assert_allclose(from_scenes.channel_mean_[2], rows[:, 2].mean(dtype=np.float64))


def test_standardisation_makes_kelvin_channels_train_like_unit_ones():
    # The same pixels with the informative channel offset to 280 K: the
    # per-channel standardisation learnt in fit makes the fits identical.
    scenes, masks = _scenes(np.random.RandomState(1))
    shifted = scenes.copy()
    shifted[:, 0] = 280 + 10 * shifted[:, 0]
    a, b = _fast().fit(scenes, masks), _fast().fit(shifted, masks)
    np.testing.assert_allclose(a.predict_proba(scenes), b.predict_proba(shifted), atol=1e-4)


def test_same_seed_same_model_and_clone_pickle_round_trip():
    scenes, masks = _scenes(np.random.RandomState(2))
    first = _fast().fit(scenes, masks)
    again = clone(first).fit(scenes, masks)
    np.testing.assert_array_equal(first.predict_proba(scenes), again.predict_proba(scenes))
    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(first.predict(scenes), restored.predict(scenes))


def test_non_finite_pixels_are_left_out_of_fit_and_masked_in_answers():
    scenes, masks = _scenes(np.random.RandomState(3))
    clean = _fast().fit(scenes, masks)
    # A swath edge: the last two columns of scene 0 have no brightness temperature.
    scenes[0, 2, :, -2:] = np.nan
    fitted = _fast().fit(scenes, masks)
    labels = fitted.predict(scenes)
    assert isinstance(labels, np.ma.MaskedArray)
    assert labels.mask.sum() == 24 and labels.mask[0, :, -2:].all()
    assert np.isnan(fitted.predict_proba(scenes)[0, :, -2:]).all()
    assert fitted.score(scenes, masks) > 0.95
    # Fit saw 24 pixels fewer, so it is a different (but as good) model.
    assert not np.array_equal(clean.predict_proba(scenes[1:]), fitted.predict_proba(scenes[1:]))


def test_bad_input_names_the_problem():
    scenes, masks = _scenes(np.random.RandomState(4))
    with pytest.raises(ValueError, match=r"one mask per scene.*\(4, 12, 12\).*\(4, 12\)"):
        _fast().fit(scenes, masks[:, 0])
    with pytest.raises(ValueError, match="X must be pixel rows"):
        _fast().fit(scenes[:, 0], masks)
    with pytest.raises(ValueError, match="at least 2 classes"):
        _fast().fit(scenes, np.zeros_like(masks))
    fitted = _fast(max_epochs=1).fit(scenes, masks)
    expected = "X has 2 features, but CloudMaskClassifier is expecting 3"
    with pytest.raises(ValueError, match=expected):
        fitted.predict(scenes[:, :2])
    all_nan = np.full_like(scenes, np.nan)
    with pytest.raises(ValueError, match="no pixel whose channels are all finite"):
        _fast().fit(all_nan, masks)
    with pytest.raises(ValueError, match="sample_weight is supported for pixel rows only"):
        fitted.score(scenes, masks, sample_weight=np.ones(masks.size))

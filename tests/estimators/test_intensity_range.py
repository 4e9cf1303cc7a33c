"""Intensities at any overall scale give the same features, or a clear error.

``X * 1e-300`` once overflowed ``1 / scale`` in float32 and was called "too
large for float32"; images at 1e-300 became all zeros (and features of
zero) without an error.
"""

import numpy as np
import pytest

from sciml_estimators.estimators import DMSAngleRegressor, IntensityTransformer, SAXSClassifier

SCALES = [1e-300, 1e-30, 1e30, 1e300]


def _profiles():
    rng = np.random.RandomState(0)
    return rng.gamma(2.0, 50.0, size=(60, 40)) * np.geomspace(1, 1e-4, 40)


@pytest.mark.parametrize("scale", SCALES)
def test_asinh_features_do_not_depend_on_the_overall_scale(scale):
    X = _profiles()
    expected = IntensityTransformer().fit_transform(X)
    np.testing.assert_allclose(IntensityTransformer().fit_transform(X * scale), expected,
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("scale", [1e-300, 1e300])
def test_classifier_and_cnn_answer_the_same_at_any_scale(scale):
    X = _profiles()
    y = np.arange(60) % 3
    settings = {"max_epochs": 2, "batch_size": 16, "random_state": 0}
    reference = SAXSClassifier(**settings).fit(X, y).predict_proba(X)
    scaled = SAXSClassifier(**settings).fit(X * scale, y).predict_proba(X * scale)
    np.testing.assert_allclose(scaled, reference, atol=1e-4)
    images = X.reshape(60, 5, 8)
    angles = np.linspace(0, 350, 60)
    reference = DMSAngleRegressor(**settings).fit(images, angles).predict(images)
    scaled = DMSAngleRegressor(**settings).fit(images * scale, angles).predict(images * scale)
    np.testing.assert_allclose(scaled, reference, atol=1e-2)


@pytest.mark.parametrize("transform", ["none", "log"])
def test_other_transforms_take_tiny_values_or_say_why_not(transform):
    X = _profiles() * 1e-300
    if transform == "log":
        expected = IntensityTransformer(intensity_transform="log").fit_transform(X / 1e-300)
        np.testing.assert_allclose(
            IntensityTransformer(intensity_transform="log").fit_transform(X), expected,
            rtol=1e-4, atol=1e-4)
        return
    # Each profile is divided by its mean |I| first, so tiny values are no problem ...
    y = np.arange(60) % 3
    settings = {"intensity_transform": "none", "max_epochs": 1, "random_state": 0}
    np.testing.assert_allclose(
        SAXSClassifier(**settings).fit(X, y).predict_proba(X),
        SAXSClassifier(**settings).fit(X / 1e-300, y).predict_proba(X / 1e-300), atol=1e-6)
    # ... unless the absolute level is kept, when float32 cannot hold them.
    with pytest.raises(ValueError, match="leave the range of float32.*rescale"):
        SAXSClassifier(**settings, normalise_profiles=False).fit(X, y)

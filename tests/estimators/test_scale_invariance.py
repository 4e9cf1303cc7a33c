"""The SAXS estimators' answers do not depend on a profile's overall level.

A measurement does not fix volume fraction, contrast, thickness or the
absolute calibration, which multiply the whole profile; with
``normalise_profiles=True`` (the default) multiplying a profile by any factor
from 1e-3 to 1e3 must change no regressor mean or standard deviation by more
than 1 % (relative) and no class probability by more than 0.01 (issue 17).
"""

import warnings

import numpy as np
import pytest

from sciml_estimators import SAXSClassifier, SAXSRegressor
from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.estimators import IntensityTransformer
from sciml_estimators.exceptions import OutOfDomainWarning

FACTORS = [1e-3, 0.037, 25.0, 1e3]
FAST = {"max_epochs": 3, "random_state": 0}


@pytest.fixture(scope="module")
def noisy():
    return make_saxs_1d(600, shapes=["sphere", "cylinder"], noise="poisson",
                        nuisances="measured", target="radius", random_state=0)


@pytest.mark.parametrize("transform", ["asinh", "none"])
def test_regressor_means_and_stds_do_not_depend_on_the_level(noisy, transform):
    reg = SAXSRegressor(intensity_transform=transform, **FAST).fit(noisy.data[:500],
                                                                   noisy.target[:500])
    X = noisy.data[500:]
    with warnings.catch_warnings():
        # 500 measured-like training profiles leave some test profiles out of the domain
        # (with "none", 4 of 100 on one CPU): their answers must not depend on the level
        # either, and neither must their scores, checked below.
        warnings.simplefilter("ignore", OutOfDomainWarning)
        mean, std = reg.predict(X, return_std=True)
        for factor in FACTORS:
            scaled_mean, scaled_std = reg.predict(X * factor, return_std=True)
            # Measured: equal to float32 rounding (largest relative change 0).
            np.testing.assert_allclose(scaled_mean, mean, rtol=1e-2)
            np.testing.assert_allclose(scaled_std, std, rtol=1e-2)
            np.testing.assert_allclose(reg.out_of_domain_score(X * factor),
                                       reg.out_of_domain_score(X), rtol=1e-4)


def test_training_at_another_level_gives_the_same_model(noisy):
    X, y = noisy.data[:500], noisy.target[:500]
    reference = SAXSRegressor(**FAST).fit(X, y).predict(noisy.data[500:])
    # Each training profile at its own level: the normalised features are the same.
    levels = np.exp(np.random.RandomState(1).uniform(np.log(1e-3), np.log(1e3), (500, 1)))
    rescaled = SAXSRegressor(**FAST).fit(X * levels, y).predict(noisy.data[500:])
    np.testing.assert_allclose(rescaled, reference, rtol=1e-2)


@pytest.mark.parametrize("transform", ["asinh", "log"])
def test_classifier_probabilities_do_not_depend_on_the_level(transform):
    X, y = make_saxs_1d(500, random_state=1, return_X_y=True)
    clf = SAXSClassifier(intensity_transform=transform, **FAST).fit(X[:400], y[:400])
    proba = clf.predict_proba(X[400:])
    for factor in FACTORS:
        np.testing.assert_allclose(clf.predict_proba(X[400:] * factor), proba, atol=0.01)


def test_without_normalisation_the_level_is_a_feature_and_another_level_out_of_domain():
    # The paper's set-up: the absolute level is kept, so a changed level changes the
    # answers, and the model says that it never saw profiles at that level.
    X, y = make_saxs_1d(500, random_state=1, return_X_y=True)
    clf = SAXSClassifier(normalise_profiles=False, **FAST).fit(X[:400], y[:400])
    proba = clf.predict_proba(X[400:])
    with pytest.warns(OutOfDomainWarning, match="of 100 profiles"):
        assert np.abs(clf.predict_proba(X[400:] * 1e-3) - proba).max() > 0.1


def test_transformer_features_are_the_same_at_any_level():
    X = make_saxs_1d(50, noise="poisson", random_state=2).data
    transformer = IntensityTransformer().fit(X)
    for factor in FACTORS:
        np.testing.assert_allclose(transformer.transform(X * factor), transformer.transform(X),
                                   atol=1e-6)


def test_an_all_zero_profile_has_no_level_and_stays_zero():
    X = make_saxs_1d(20, random_state=3).data
    X[4] = 0.0
    transformer = IntensityTransformer().fit(X)
    np.testing.assert_allclose(transformer.transform(X)[4],
                               -transformer.mean_ / transformer.scale_, rtol=1e-6)


@pytest.mark.parametrize("kind", [SAXSClassifier, IntensityTransformer])
def test_models_pickled_before_normalisation_existed_answer_as_before(kind):
    import pickle

    X, y = make_saxs_1d(500, random_state=4, return_X_y=True)
    settings = {} if kind is IntensityTransformer else FAST
    old = kind(normalise_profiles=False, **settings).fit(X, y)
    answer = old.transform if kind is IntensityTransformer else old.predict_proba
    expected = answer(X[:20])
    # What a model of the previous version holds: neither the parameter nor a domain.
    del old.normalise_profiles
    old.__dict__.pop("domain_", None)
    loaded = pickle.loads(pickle.dumps(old))
    again = loaded.transform if kind is IntensityTransformer else loaded.predict_proba
    np.testing.assert_array_equal(again(X[:20]), expected)
    assert loaded.normalise_profiles is False

"""The SAXS estimators say when a profile lies outside what they were trained on.

A model trained on spheres of radius up to 300 A meets SasView's simulated
100 nm SiO2 spheres (radius 500 A, scale 0.01, sld 4.2 in 6.4, no
background: ``sasdata/example_data/1d_data/100nmSpheresNodQ.txt``), long
rods, thin discs and strong backgrounds. The scores and false-alarm rates
quoted were measured on an AMD EPYC (2 cores) with the fixtures below.
"""

import copy
import warnings

import numpy as np
import pytest

from sciml_estimators import SAXSClassifier, SAXSRegressor
from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.exceptions import OutOfDomainWarning
from sciml_estimators.simulators import cylinder_iq, sphere_iq

FAST = {"max_epochs": 2, "random_state": 0}
LARGEST = 300.0


def _spheres_up_to_largest(n_samples, seed, **options):
    data = make_saxs_1d(n_samples, shapes=["sphere"], target="radius", noise="poisson",
                        random_state=seed, **options)
    keep = data.parameters["radius"] <= LARGEST
    return data.data[keep], data.target[keep], data.q


def _sasview_spheres(q, radius):
    """SasView's 100 nm SiO2 example's model, at other radii too (its values, no noise)."""
    return sphere_iq(q, radius=np.asarray(radius, dtype=float), scale=0.01, sld=4.2,
                     sld_solvent=6.4, background=0.0)


# Measured-like sets hold faint profiles drowned in counts (levels over 4.6 decades, flux
# over 6): their domain is wide, and at 20,000 profiles it holds even the 500 A sphere
# (score 0.46 at flux 1e7, docs/performance.md). They are checked for false alarms only.
SETS = {"paper-level": {}, "measured-like": {"nuisances": "measured", "flux": 1e7}}


@pytest.fixture(scope="module", params=list(SETS))
def trained(request):
    X, y, q = _spheres_up_to_largest(2400, 0, **SETS[request.param])
    reg = SAXSRegressor(**FAST).fit(X, y)
    X_test, _, _ = _spheres_up_to_largest(2000, 1, **SETS[request.param])
    return reg, q, X_test


@pytest.fixture(scope="module")
def paper_level():
    X, y, q = _spheres_up_to_largest(2400, 0)
    return SAXSRegressor(**FAST).fit(X, y), q


def test_in_domain_profiles_raise_few_false_alarms(trained):
    reg, _, X_test = trained
    scores = reg.out_of_domain_score(X_test)
    # Measured 0 of 1,714 at the paper's level (largest score 0.52) and 5 of 1,714
    # measured-like (0.3 %; largest 1.77); the issue asks for at most 5 %.
    assert np.mean(scores > 1) <= 0.05
    assert np.median(scores) < 0.2


def test_sasviews_500_A_spheres_are_flagged_and_150_A_ones_are_not(paper_level):
    reg, q = paper_level
    inside = _sasview_spheres(q, [150.0])
    reg.predict(inside)  # no warning: the suite makes the library's warnings errors
    with pytest.warns(OutOfDomainWarning, match="1 of 1 profiles"):
        reg.predict(_sasview_spheres(q, [500.0]))
    # Measured 291 against 0.02 for 150 A.
    scores = reg.out_of_domain_score(_sasview_spheres(q, [500.0, 150.0]))
    assert scores[0] > 10 and scores[1] < 0.2


def test_the_standard_deviation_widens_outside_the_domain(paper_level):
    reg, q = paper_level
    profiles = _sasview_spheres(q, [500.0, 150.0])
    scores = reg.out_of_domain_score(profiles)
    unwidened = copy.deepcopy(reg)
    unwidened.domain_ = None  # as if fitted on too few profiles to know a domain
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", OutOfDomainWarning)
        mean, std = reg.predict(profiles, return_std=True)
    raw_mean, raw_std = unwidened.predict(profiles, return_std=True)
    np.testing.assert_array_equal(mean, raw_mean)
    np.testing.assert_allclose(std, raw_std * np.sqrt(np.maximum(scores, 1.0)), rtol=1e-12)
    assert std[0] > 3 * raw_std[0] and std[1] == raw_std[1]


def test_shapes_and_backgrounds_outside_the_training_set_are_flagged(paper_level):
    # At the paper's level the training set has one background and spheres only.
    reg, q = paper_level
    rod = cylinder_iq(q, radius=np.array([20.0]), length=np.array([1000.0]))
    disc = cylinder_iq(q, radius=np.array([250.0]), length=np.array([20.0]))
    backgrounds = sphere_iq(q, radius=np.full(3, 150.0), background=np.array([10.0, 100.0, 1e3]))
    # Measured 5.2 (rod), 4.7 (disc), 3.8, 8.5 and 14 (backgrounds).
    assert np.all(reg.out_of_domain_score(np.vstack([rod, disc, backgrounds])) > 2)


def test_the_classifier_warns_and_the_score_needs_enough_training_profiles():
    X, y = make_saxs_1d(600, random_state=0, return_X_y=True)
    clf = SAXSClassifier(**FAST).fit(X, y)
    q = make_saxs_1d(2, random_state=0).q
    # A 1,000 A sphere, twice the largest of the paper's set: measured score 153.
    with pytest.warns(OutOfDomainWarning, match="outside the domain SAXSClassifier"):
        clf.predict(sphere_iq(q, radius=np.array([1000.0])))
    small = SAXSClassifier(**FAST).fit(X[:300], y[:300])
    assert small.domain_ is None
    with pytest.raises(ValueError, match="fewer than 400 profiles"):
        small.out_of_domain_score(X[:5])

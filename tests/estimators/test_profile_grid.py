import numpy as np
import pytest

from sciml_estimators import SAXSClassifier
from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.estimators import resample_profile
from sciml_estimators.simulators import parallelepiped_iq, sphere_iq

#: The training grid of make_saxs_1d (and of the saxs_small fixture).
Q = make_saxs_1d(2, random_state=0).q
#: A denser grid, shifted so that no point coincides with Q, reaching just past Q's ends.
FINE_Q = np.geomspace(0.995e-3, 0.503, 50_000)


def test_resampled_sphere_matches_the_direct_simulation():
    radius = np.array([10.0, 50.0, 200.0, 500.0])
    direct = sphere_iq(Q, radius=radius)
    relative = np.abs(resample_profile(FINE_Q, sphere_iq(FINE_Q, radius=radius), Q) / direct - 1)
    # Worst points sit in the sharp form-factor minima of the large spheres.
    assert relative.max() < 2e-3
    assert np.median(relative) < 1e-5
    # A small sphere has no minimum in range: 1e-3 everywhere from a grid 10x denser.
    coarser = np.geomspace(0.995e-3, 0.503, 3000)
    small = resample_profile(coarser, sphere_iq(coarser, radius=10.0), Q)
    np.testing.assert_allclose(small, sphere_iq(Q, radius=10.0), rtol=1e-3)


def test_power_laws_are_exact_and_ends_extrapolate_within_tolerance():
    # 0.5 % short of each end of Q: inside the 1 % tolerance.
    q_from = np.geomspace(1.005e-3, 0.4975, 40)
    resampled = resample_profile(q_from, 3.0 * q_from**-4, Q)
    assert resampled.shape == Q.shape
    np.testing.assert_allclose(resampled, 3.0 * Q**-4, rtol=1e-9)


def test_non_positive_intervals_interpolate_linearly_in_intensity():
    q_from = np.array([0.01, 0.02, 0.04])
    intensity = np.array([[1.0, 0.0, -2.0], [1.0, 2.0, 4.0], [1.0, 4.0, 4.0]])
    q_to = np.sqrt(q_from[:-1] * q_from[1:])  # midpoints in log q
    resampled = resample_profile(q_from, intensity, q_to)
    expected = [[0.5, -1.0], [np.sqrt(2.0), np.sqrt(8.0)], [2.0, 4.0]]
    np.testing.assert_allclose(resampled, expected, rtol=1e-12)
    np.testing.assert_allclose(resample_profile(q_from, intensity, q_from), intensity)


@pytest.mark.parametrize(
    "q_from, message",
    [
        (np.geomspace(1.03e-3, 0.5, 100), r"\[0\.00103, 0\.5\] 1/A does not cover the "
                                          r"training q range \[0\.001, 0\.5\] 1/A"),
        (np.geomspace(1e-3, 0.49, 100), r"\[0\.001, 0\.49\] 1/A does not cover the "
                                        r"training q range \[0\.001, 0\.5\] 1/A"),
    ],
)
def test_grids_not_covering_the_target_range_are_refused(q_from, message):
    with pytest.raises(ValueError, match=message):
        resample_profile(q_from, np.ones(q_from.size), Q)


def test_bad_grids_are_refused():
    with pytest.raises(ValueError, match="q_from must be strictly increasing"):
        resample_profile(Q[::-1], np.ones(Q.size), Q)
    with pytest.raises(ValueError, match="q_to must be finite and positive"):
        resample_profile(Q, np.ones(Q.size), -Q)
    with pytest.raises(ValueError, match="q_from has 300 points but the intensities have 299"):
        resample_profile(Q, np.ones((2, 299)), Q)


def _two_shapes(q):
    spheres = sphere_iq(q, radius=np.array([40.0, 90.0, 160.0]), sld=4.0, sld_solvent=1.0)
    bricks = parallelepiped_iq(q, length_a=35.0, length_b=75.0,
                               length_c=np.array([50.0, 150.0, 400.0]), sld=4.0,
                               sld_solvent=1.0)
    return np.vstack([spheres, bricks])


def test_classifier_predicts_resampled_profiles_as_direct_ones(saxs_small):
    X_train, y_train, _, _ = saxs_small
    clf = SAXSClassifier(q=Q, max_epochs=5, random_state=0).fit(X_train, y_train)
    np.testing.assert_array_equal(clf.q_, Q)
    fine_q = FINE_Q[::2]
    direct = clf.predict_proba(_two_shapes(Q))
    resampled = clf.predict_proba(_two_shapes(fine_q), q=fine_q)
    np.testing.assert_allclose(resampled, direct, atol=1e-3)
    np.testing.assert_array_equal(clf.predict(_two_shapes(fine_q), q=fine_q),
                                  clf.predict(_two_shapes(Q)))
    # The grid itself is accepted, and changes nothing but float32 rounding of the
    # features (the log-log round trip moves some by one unit in the last place).
    np.testing.assert_allclose(clf.predict_proba(_two_shapes(Q), q=Q), direct, rtol=1e-5)
    with pytest.raises(ValueError, match="does not cover the training q range"):
        clf.predict(_two_shapes(Q[5:]), q=Q[5:])


def test_classifier_grid_errors(saxs_small):
    X_train, y_train, X_test, _ = saxs_small
    without = SAXSClassifier(max_epochs=1, random_state=0).fit(X_train, y_train)
    assert without.q_ is None
    with pytest.raises(ValueError, match=r"fitted without a q grid; set SAXSClassifier\(q="):
        without.predict(X_test, q=Q)
    with pytest.raises(ValueError, match="q has 299 points but the intensities have 300"):
        SAXSClassifier(q=Q[1:], max_epochs=1).fit(X_train, y_train)

import numpy as np
import pytest

from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.datasets._saxs import DEFAULT_Q, FIXED, FIXED_LENGTHS
from sciml_estimators.simulators import parallelepiped_iq, sphere_iq


def test_same_seed_same_data():
    first = make_saxs_1d(50, random_state=0)
    second = make_saxs_1d(50, random_state=0)
    np.testing.assert_array_equal(first.data, second.data)
    np.testing.assert_array_equal(first.target, second.target)
    assert not np.array_equal(first.data, make_saxs_1d(50, random_state=1).data)


@pytest.mark.parametrize("n_samples", [2, 51, 200])
def test_classes_are_balanced_and_shuffled(n_samples):
    target = make_saxs_1d(n_samples, random_state=0).target
    counts = np.bincount(target, minlength=2)
    assert counts[0] == (n_samples + 1) // 2 and counts[1] == n_samples // 2
    if n_samples > 50:
        assert np.any(np.diff(target) < 0)  # not sorted by class


def test_bunch_layout_and_physics():
    saxs = make_saxs_1d(40, random_state=3)
    assert saxs.data.shape == (40, 300)
    np.testing.assert_array_equal(saxs.q, DEFAULT_Q)
    assert saxs.q[0] == pytest.approx(1e-3) and saxs.q[-1] == pytest.approx(0.5)
    assert list(saxs.target_names) == ["sphere", "parallelepiped"]
    assert len(saxs.feature_names) == 300 and saxs.feature_names[0] == "I(q=0.001)"
    assert "SAXS-1D" in saxs.DESCR and ".. math::" in saxs.DESCR
    params = saxs.parameters
    spheres = saxs.target == 0
    assert np.all(np.isnan(params["radius"][~spheres]))
    assert np.all(np.isnan(params["length_c"][spheres]))
    assert np.all((params["radius"][spheres] >= 10) & (params["radius"][spheres] <= 500))
    assert np.all((params["length_c"][~spheres] >= 10) & (params["length_c"][~spheres] <= 500))
    # Each row is the simulator's profile for the recorded parameters.
    i, j = np.flatnonzero(spheres)[0], np.flatnonzero(~spheres)[0]
    np.testing.assert_allclose(
        saxs.data[i], sphere_iq(saxs.q, radius=params["radius"][i], **FIXED), rtol=1e-12
    )
    np.testing.assert_allclose(
        saxs.data[j],
        parallelepiped_iq(saxs.q, length_c=params["length_c"][j], **FIXED_LENGTHS, **FIXED),
        rtol=1e-12,
    )


def test_return_X_y_matches_bunch():
    X, y = make_saxs_1d(20, random_state=0, return_X_y=True)
    bunch = make_saxs_1d(20, random_state=0)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


def test_custom_q_grid():
    q = np.linspace(0.01, 0.2, 64)
    saxs = make_saxs_1d(6, q=q, random_state=0)
    assert saxs.data.shape == (6, 64)
    np.testing.assert_array_equal(saxs.q, q)


def test_poisson_noise_is_counting_statistics():
    ideal = make_saxs_1d(400, random_state=0)
    noisy = make_saxs_1d(400, noise="poisson", flux=50.0, random_state=0)
    np.testing.assert_array_equal(noisy.parameters["radius"], ideal.parameters["radius"])
    exposure = 50.0 * ideal.q / ideal.q[-1]
    counts = noisy.data * exposure
    np.testing.assert_allclose(counts, np.round(counts), atol=1e-6)  # whole counts
    # Poisson: the mean count matches the expectation and variance equals mean.
    expected = ideal.data * exposure
    assert abs(counts.sum() - expected.sum()) < 5 * np.sqrt(expected.sum())
    assert abs(counts[:, -1].sum() - expected[:, -1].sum()) < 5 * np.sqrt(expected[:, -1].sum())
    z = (counts - expected) / np.sqrt(expected)
    assert z.std() == pytest.approx(1.0, rel=0.05)
    np.testing.assert_allclose(
        noisy.uncertainty, np.sqrt(np.maximum(counts, 1)) / exposure, rtol=1e-9
    )
    assert "uncertainty" not in ideal


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"q": [0.1, 0.05, 0.2]}, "strictly increasing"),
        ({"q": [0.0, 0.1]}, "finite and positive"),
        ({"q": [[0.1, 0.2]]}, "1-D array"),
        ({"noise": "gaussian"}, "noise"),
        ({"flux": -1.0}, "flux"),
        ({"n_samples": 1}, "n_samples"),
    ],
)
def test_bad_arguments_say_what_is_expected(kwargs, message):
    kwargs = {"n_samples": 4, **kwargs}
    with pytest.raises(ValueError, match=message):
        make_saxs_1d(**kwargs)


def test_unknown_keyword_is_a_type_error():
    with pytest.raises(TypeError, match="shape"):
        make_saxs_1d(4, shape="cylinder")

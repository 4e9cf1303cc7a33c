import contextlib
import pickle

import numpy as np
import pytest
import torch
from scipy.stats import norm
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sciml_estimators import SAXSRegressor
from sciml_estimators.simulators import sphere_iq

Q = np.geomspace(1e-3, 0.5, 300)
FAST = {"max_epochs": 5, "random_state": 0}


def _spheres(n_samples, rng, q=Q, flux=None):
    """Sphere profiles with log-uniform radii in [10, 500] A, with Poisson noise if ``flux``."""
    radius = np.exp(rng.uniform(np.log(10.0), np.log(500.0), n_samples))
    X = sphere_iq(q, radius=radius)
    if flux is not None:
        exposure = flux * q / q[-1]  # as make_saxs_1d's pinhole counting statistics
        X = rng.poisson(X * exposure) / exposure
    return X, radius


@contextlib.contextmanager
def one_torch_thread():
    """Train on one torch thread, as the numbers below were measured.

    On a loaded 2-core machine a second torch thread made fits 20x slower.
    numba's parallel simulators (OpenMP layer) reset torch's thread count,
    so this is set again around every fit rather than once per module.
    """
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@pytest.fixture(autouse=True)
def _one_torch_thread():
    with one_torch_thread():
        yield


@pytest.fixture(scope="module")
def spheres():
    rng = np.random.RandomState(0)
    X_train, r_train = _spheres(3000, rng, flux=1e5)
    X_test, r_test = _spheres(3000, rng, flux=1e5)
    return X_train, r_train, X_test, r_test


@pytest.fixture(scope="module")
def fitted(spheres):
    X_train, r_train, _, _ = spheres
    with one_torch_thread():
        return SAXSRegressor(max_epochs=40, random_state=0).fit(X_train, r_train)


def test_radius_error_and_interval_coverage_on_held_out_spheres(spheres, fitted):
    _, _, X_test, r_test = spheres
    r_pred, r_std = fitted.predict(X_test, return_std=True)
    assert r_pred.shape == r_std.shape == r_test.shape
    assert np.all(r_std > 0)
    # Measured 1.05 % (model seeds 0-5: 0.75-1.09 %, cosine schedule, profiles normalised;
    # at a constant lr, seeds 0-9 gave 1.1-12.9 %, seed 0 ending on a loss spike).
    assert np.median(np.abs(r_pred / r_test - 1)) < 0.05
    # Log-space intervals, exact under the model: y_pred * exp(+-z y_std / y_pred).
    z = np.abs(np.log(r_test / r_pred)) / (r_std / r_pred)
    # Nominal 0.68 and 0.95. Measured on an Intel CPU 0.706 and 0.947 (model seeds
    # 0-3: 0.67-0.71 and 0.945-0.96); on an AMD EPYC 0.79 and 0.941, and over data
    # seeds 0-2 x model seeds 0-2 0.614-0.79 and 0.921-0.981 (delta method
    # 0.614-0.792 and 0.921-0.974): the trajectory depends on the CPU's rounding.
    assert 0.55 <= np.mean(z <= norm.ppf(0.84)) <= 0.85
    assert 0.88 <= np.mean(z <= norm.ppf(0.975)) <= 0.99
    # The delta-method intervals y_pred +- z y_std agree at these few-% widths.
    z_delta = np.abs(r_test - r_pred) / r_std
    assert 0.55 <= np.mean(z_delta <= 1.0) <= 0.85
    assert 0.88 <= np.mean(z_delta <= 1.96) <= 0.99


def test_calibration_rescales_to_unit_mean_square_z_on_the_held_out_part(spheres):
    X_train, r_train, _, _ = spheres
    reg = SAXSRegressor(validation_fraction=0.2, **FAST).fit(X_train[:500], r_train[:500])
    order = np.random.RandomState(0).permutation(500)  # the split fit draws first
    held_out = order[:100]
    r_pred, r_std = reg.predict(X_train[held_out], return_std=True)
    z = np.log(r_train[held_out] / r_pred) / (r_std / r_pred)
    np.testing.assert_allclose(np.mean(z**2), 1.0, rtol=1e-4)
    unscaled = SAXSRegressor(validation_fraction=0.0, **FAST).fit(X_train[:500], r_train[:500])
    np.testing.assert_array_equal(unscaled.uncertainty_calibration_, [1.0])


def test_several_targets_and_signed_targets(spheres):
    X_train, r_train, X_test, _ = spheres
    y = np.column_stack([r_train, 2.0 * r_train])[:600]
    reg = SAXSRegressor(**FAST).fit(X_train[:600], y)
    assert reg.n_targets_ == 2 and reg.net_.module_.n_out == 4
    y_pred, y_std = reg.predict(X_test[:10], return_std=True)
    assert y_pred.shape == y_std.shape == (10, 2)
    # Without the logarithm any real targets are accepted, e.g. centred log radii.
    signed = np.log(r_train[:600]) - np.log(100.0)
    assert (signed < 0).any()
    reg = SAXSRegressor(log_target=False, max_epochs=20, random_state=0).fit(X_train[:600], signed)
    assert reg.score(X_train[:600], signed) > 0.9


def test_same_seed_same_model_clone_and_pickle(spheres):
    X_train, r_train, X_test, _ = spheres
    first = SAXSRegressor(**FAST).fit(X_train[:500], r_train[:500])
    second = SAXSRegressor(**FAST).fit(X_train[:500], r_train[:500])
    for a, b in zip(first.net_.module_.parameters(), second.net_.module_.parameters()):
        assert torch.equal(a, b)
    expected = first.predict(X_test, return_std=True)
    np.testing.assert_array_equal(second.predict(X_test, return_std=True), expected)
    other = SAXSRegressor(max_epochs=5, random_state=1).fit(X_train[:500], r_train[:500])
    assert not np.array_equal(other.predict(X_test), expected[0])

    restored = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(restored.predict(X_test, return_std=True), expected)
    assert not hasattr(clone(first), "net_")
    np.testing.assert_array_equal(clone(first).fit(X_train[:500], r_train[:500]).predict(X_test),
                                  expected[0])


def test_profiles_on_another_grid_are_resampled(spheres):
    X_train, r_train, _, _ = spheres
    reg = SAXSRegressor(q=Q, **FAST).fit(X_train[:500], r_train[:500])
    radius = np.array([15.0, 60.0, 300.0])
    fine_q = np.geomspace(0.995e-3, 0.503, 20_000)
    direct = reg.predict(sphere_iq(Q, radius=radius), return_std=True)
    resampled = reg.predict(sphere_iq(fine_q, radius=radius), return_std=True, q=fine_q)
    np.testing.assert_allclose(resampled, direct, rtol=2e-3)
    with pytest.raises(ValueError, match=r"\[0\.002027, 0\.5\] 1/A does not cover"):
        reg.predict(sphere_iq(Q[Q >= 2e-3], radius=radius), q=Q[Q >= 2e-3])


@pytest.mark.parametrize(
    "bad, message",
    [
        (np.nan, "Input y contains NaN"),
        (np.inf, "Input y contains infinity"),
        (0.0, r"log_target=True needs positive targets \(sizes\), but y holds 0.0 at row 3"),
        (-5.0, r"needs positive targets \(sizes\), but y holds -5.0 at row 3; pass "
               "log_target=False"),
    ],
)
def test_bad_targets_are_refused(spheres, bad, message):
    X_train, r_train, _, _ = spheres
    y = r_train[:50].copy()
    y[3] = bad
    with pytest.raises(ValueError, match=message):
        SAXSRegressor(max_epochs=1).fit(X_train[:50], y)


def test_other_input_errors(spheres):
    X_train, r_train, X_test, _ = spheres
    with pytest.raises(NotFittedError):
        SAXSRegressor().predict(X_test)
    reg = SAXSRegressor(max_epochs=1).fit(X_train[:50], r_train[:50])
    with pytest.raises(ValueError, match="X has 299 features, but SAXSRegressor is expecting 300"):
        reg.predict(X_test[:, 1:])
    with pytest.raises(ValueError, match="fitted without a q grid"):
        reg.predict(X_test, q=Q)
    X = X_train[:50].copy()
    X[7, 2] = np.nan
    with pytest.raises(ValueError, match="row 7 is the first bad row"):
        SAXSRegressor(max_epochs=1).fit(X, r_train[:50])
    with pytest.raises(ValueError, match="validation_fraction"):
        SAXSRegressor(validation_fraction=1.0).fit(X_train[:50], r_train[:50])

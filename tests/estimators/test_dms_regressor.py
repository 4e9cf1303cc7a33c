import numpy as np
import pytest

from sciml_estimators import DMSAngleRegressor
from sciml_estimators.datasets import make_dms
from sciml_estimators.metrics import angular_error


@pytest.fixture(scope="module")
def dms():
    return make_dms(500, random_state=0)


@pytest.fixture(scope="module")
def fitted(dms):
    return DMSAngleRegressor(max_epochs=4, random_state=0).fit(dms.data[:400], dms.target[:400])


def test_learns_the_angle_on_the_circle(dms, fitted):
    psi = fitted.predict(dms.data[400:])
    assert np.all((psi >= 0) & (psi < 90))
    error = angular_error(dms.target[400:], psi, period=90.0)
    assert error < 0.5 * 22.5, error  # guessing gives period / 4 = 22.5 degrees
    assert fitted.score(dms.data[400:], dms.target[400:]) > 0.5


def test_targets_are_periodic(dms, fitted):
    # The same patterns labelled psi + k * period train the same model.
    shifted = DMSAngleRegressor(max_epochs=1, random_state=0)
    same = DMSAngleRegressor(max_epochs=1, random_state=0)
    X, psi = dms.data[:60], dms.target[:60]
    shifted.fit(X, psi + 90.0 * (np.arange(60) % 3 - 1))
    same.fit(X, psi)
    np.testing.assert_allclose(shifted.predict(X), same.predict(X), atol=1e-3)


def test_circular_score(fitted, dms):
    X, psi = dms.data[400:420], dms.target[400:420]
    predicted = fitted.predict(X)
    # Labels moved by a whole period score the same.
    assert fitted.score(X, psi + 90.0) == pytest.approx(fitted.score(X, psi))
    # A prediction 0.5 degree across the wrap from the truth is 0.5 degree off.
    assert fitted.score(X, np.mod(predicted + 0.5, 90.0)) > 0.99


def test_bad_input(dms, fitted):
    with pytest.raises(ValueError, match=r"images of \(channels, height, width\)"):
        fitted.predict(dms.data[:2, :100])
    bad = dms.data[:3].copy()
    bad[1, 0, 0] = np.inf
    with pytest.raises(ValueError, match="image 1 is the first bad one"):
        fitted.predict(bad)

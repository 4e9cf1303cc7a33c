import numpy as np
import pytest

from sciml_estimators.metrics import angular_distance, angular_error


@pytest.mark.parametrize(
    "a, b, period, expected",
    [(1.0, 89.0, 90.0, 2.0), (0.0, 45.0, 90.0, 45.0), (10.0, 370.0, 360.0, 0.0),
     (-5.0, 5.0, 360.0, 10.0), (179.0, -179.0, 360.0, 2.0), (0.0, 180.0, 360.0, 180.0),
     (30.0, 30.0 + 7 * 60.0 + 1.0, 60.0, 1.0)],
)
def test_angular_distance_is_shortest_on_circle(a, b, period, expected):
    assert angular_distance(a, b, period) == pytest.approx(expected, abs=1e-12)
    assert angular_distance(b, a, period) == pytest.approx(expected, abs=1e-12)


def test_angular_distance_range_and_broadcast():
    rng = np.random.RandomState(0)
    a, b = rng.uniform(-500, 500, 1000), rng.uniform(-500, 500, 1000)
    distance = angular_distance(a, b, 90.0)
    assert np.all((distance >= 0) & (distance <= 45.0))
    np.testing.assert_allclose(distance, angular_distance(a + 90.0 * 3, b, 90.0), atol=1e-9)
    assert angular_distance(np.zeros((2, 3)), 1.0).shape == (2, 3)


def test_angular_error_is_mean_distance():
    assert angular_error([1.0, 45.0], [89.0, 40.0], period=90.0) == 3.5
    assert angular_error([0.0], [359.0]) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "call, message",
    [(lambda: angular_distance(0.0, 1.0, 0.0), "period must be a finite positive"),
     (lambda: angular_distance(np.nan, 1.0), "finite"),
     (lambda: angular_error([0.0, 1.0], [0.0]), "one shape"),
     (lambda: angular_error([], []), "non-empty")],
)
def test_bad_input_raises(call, message):
    with pytest.raises(ValueError, match=message):
        call()

"""Property-based tests of the metrics: any input gives the documented number or a clear error.

Over dtype, layout, shape and NaN/inf placement: finite inputs give the same
scores as their C-ordered float64 copies, angles are scored the same a
period apart, and non-finite, negative-spread, empty or mismatched inputs
give a ValueError that names the argument.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sciml_estimators.metrics import angular_distance, angular_error, regression_scores

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, derandomize=True)
DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int16]


@st.composite
def targets(draw, n_min=2):
    """(y_true, y_pred, y_std) of one shape, 1-D or 2-D, in drawn dtypes and layouts."""
    n = draw(st.integers(n_min, 8))
    shape = draw(st.sampled_from([(n,), (n, 1), (n, 2), (n, 3)]))
    size = int(np.prod(shape))
    found = []
    for low in (-180, -180, 1):
        values = np.asarray(draw(st.lists(st.integers(low, 180), min_size=size, max_size=size)),
                            dtype=np.float64).reshape(shape)
        array = values.astype(draw(st.sampled_from(DTYPES)))
        if draw(st.booleans()) and array.ndim == 2:
            array = np.asfortranarray(array)
        found.append(array)
    return found


def _same(a, b):
    assert a.keys() == b.keys()
    np.testing.assert_allclose(list(a.values()), list(b.values()), rtol=1e-12)


@PROPERTY_SETTINGS
@given(targets(), st.sampled_from([None, 90.0, 360.0]))
def test_regression_scores_depend_on_the_values_only(arrays, period):
    y_true, y_pred, y_std = arrays
    scores = regression_scores(y_true, y_pred, y_std, period=period)
    as_float = [np.ascontiguousarray(a, dtype=np.float64) for a in arrays]
    _same(scores, regression_scores(*as_float, period=period))
    assert all(np.isfinite(value) or name == "r2" for name, value in scores.items())
    if period is not None:
        shifted = regression_scores(as_float[0], as_float[1] + 3 * period, as_float[2],
                                    period=period)
        assert scores["r2"] == pytest.approx(shifted["r2"], abs=1e-9) or np.isnan(scores["r2"])


@PROPERTY_SETTINGS
@given(targets(), st.sampled_from(["y_true", "y_pred", "y_std"]),
       st.sampled_from([np.nan, np.inf, -np.inf, -1.0]), st.data())
def test_regression_scores_refuse_bad_values_naming_the_argument(arrays, name, bad, data):
    arrays = dict(zip(["y_true", "y_pred", "y_std"], (a.astype(np.float64) for a in arrays)))
    if bad == -1.0 and name != "y_std":
        return  # negative targets are fine
    position = data.draw(st.integers(0, arrays[name].size - 1))
    arrays[name].put(position, bad)
    with pytest.raises(ValueError, match=name):
        regression_scores(arrays["y_true"], arrays["y_pred"], arrays["y_std"])


@PROPERTY_SETTINGS
@given(st.integers(0, 3), st.integers(0, 3))
def test_regression_scores_refuse_empty_or_mismatched(n_true, n_pred):
    if n_true == n_pred and n_true > 0:
        return
    with pytest.raises(ValueError, match="y_true|y_pred"):
        regression_scores(np.zeros(n_true), np.zeros(n_pred))


@PROPERTY_SETTINGS
@given(st.lists(st.integers(-10_000, 10_000), min_size=1, max_size=6),
       st.integers(-5, 5), st.sampled_from([90.0, 360.0, 2 * np.pi]))
def test_angles_a_whole_period_apart_are_scored_alike(angles, turns, period):
    a = np.asarray(angles, dtype=np.float64) / 7.0
    b = a[::-1] + 1.0
    expected = angular_error(a, b, period=period)
    assert 0 <= expected <= period / 2
    assert angular_error(a + turns * period, b, period=period) == pytest.approx(expected,
                                                                                 abs=1e-9)
    distance = angular_distance(a.astype(np.float32), b, period)
    assert np.all((distance >= 0) & (distance <= period / 2))


@pytest.mark.parametrize("period", [0.0, -1.0, np.nan, np.inf, "90", [90.0]])
def test_a_bad_period_is_named(period):
    with pytest.raises((TypeError, ValueError), match="period"):
        angular_error([1.0], [2.0], period=period)
    with pytest.raises((TypeError, ValueError), match="period"):
        regression_scores([1.0], [2.0], period=period)

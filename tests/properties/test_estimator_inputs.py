"""Property-based tests: every array an estimator is given gives the documented result or an error.

Over dtype, memory layout, shape, placement of NaN and infinity, and overall
scale (hypothesis, derandomised so that every run draws the same examples):

- finite values give the answer of the same values as C-ordered float64,
  whatever their dtype or layout (never a different answer for the same values);
- the answer is well formed (probabilities in [0, 1] summing to 1, finite
  regressions, labels from ``classes_``), or a ValueError names ``X``;
- non-finite values give a ValueError saying so, except in whole scenes,
  where the cloud estimators mask those pixels;
- an array of another shape gives a ValueError, never an answer.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sciml_estimators.estimators import (
    BayesianCloudMask,
    CloudMaskClassifier,
    CloudMaskSegmenter,
    DMSAngleRegressor,
    MagnonCouplingRegressor,
    SAXS2DClassifier,
    SAXSClassifier,
    SAXSRegressor,
)

#: Few examples per estimator: each is one prediction on a tiny array.
PROPERTY_SETTINGS = settings(max_examples=30, deadline=None, derandomize=True,
                             suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                    HealthCheck.too_slow])
FAST = {"max_epochs": 1, "batch_size": 16, "random_state": 0}
#: dtypes that hold the drawn values exactly (integers stay below 2**11).
DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.uint8]


def _fitted():
    rng = np.random.RandomState(0)
    rows = rng.gamma(2.0, 50.0, size=(40, 12))
    images = rng.gamma(2.0, 50.0, size=(40, 6, 8))
    pixels = rng.normal(size=(200, 4))
    scenes = rng.normal(size=(4, 4, 8, 8))
    return {
        "SAXSClassifier": (SAXSClassifier(**FAST).fit(rows, np.arange(40) % 3), (12,)),
        "SAXSRegressor": (SAXSRegressor(**FAST).fit(rows, rng.uniform(10, 100, 40)), (12,)),
        "SAXS2DClassifier": (SAXS2DClassifier(**FAST).fit(images, np.arange(40) % 2), (6, 8)),
        "DMSAngleRegressor": (DMSAngleRegressor(**FAST).fit(images, rng.uniform(0, 360, 40)),
                              (6, 8)),
        "MagnonCouplingRegressor": (
            MagnonCouplingRegressor(**FAST).fit(images[:, None], rng.uniform(0, 1, (40, 2))),
            (1, 6, 8)),
        "CloudMaskClassifier": (CloudMaskClassifier(**FAST).fit(pixels, pixels[:, 0] > 0), (4,)),
        "BayesianCloudMask": (BayesianCloudMask().fit(pixels, pixels[:, 0] > 0), (4,)),
        "CloudMaskSegmenter": (
            CloudMaskSegmenter(max_epochs=1, width=2, depth=1, patch_size=8,
                               random_state=0).fit(scenes, scenes[:, 0] > 0),
            (4, 8, 8)),
    }


@pytest.fixture(scope="module")
def fitted():
    return _fitted()


NAMES = ["SAXSClassifier", "SAXSRegressor", "SAXS2DClassifier", "DMSAngleRegressor",
         "MagnonCouplingRegressor", "CloudMaskClassifier", "BayesianCloudMask",
         "CloudMaskSegmenter"]


@st.composite
def arrays(draw, row_shape):
    """Values (n, *row_shape) that ``dtype`` holds exactly, in a drawn dtype and layout."""
    n = draw(st.integers(1, 5))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    size = n * int(np.prod(row_shape))
    if dtype.kind == "f":
        exponent = draw(st.sampled_from([-30, -3, 0, 3, 30])) if dtype.itemsize > 2 else 0
        mantissas = draw(st.lists(st.integers(-2000, 2000), min_size=size, max_size=size))
        values = np.asarray(mantissas, dtype=np.float64) / 1000 * 10.0**exponent
    else:
        low = 0 if dtype.kind == "u" else -2000
        values = np.asarray(draw(st.lists(st.integers(low, 2000 if dtype.itemsize > 1 else 255),
                                          min_size=size, max_size=size)), dtype=np.float64)
    X = values.reshape(n, *row_shape).astype(dtype)
    layout = draw(st.sampled_from(["C", "F", "strided"]))
    if layout == "F":
        X = np.asfortranarray(X)
    elif layout == "strided":
        X = np.flip(np.ascontiguousarray(np.flip(X, axis=-1)), axis=-1)
    return X


def _answer(estimator, X):
    if hasattr(estimator, "predict_proba"):
        return np.ma.filled(np.asarray(estimator.predict_proba(X), dtype=np.float64), np.nan)
    return np.asarray(estimator.predict(X), dtype=np.float64)


def _check_well_formed(estimator, answer):
    finite = answer[np.isfinite(answer)]
    if hasattr(estimator, "predict_proba"):
        assert np.all((finite >= 0) & (finite <= 1))
        sums = answer.sum(axis=-1)
        np.testing.assert_allclose(sums[np.isfinite(sums)], 1.0, rtol=1e-5)
    else:
        assert np.isfinite(answer).all()


@pytest.mark.parametrize("name", NAMES)
def test_same_values_same_answer_in_any_dtype_and_layout(fitted, name):
    estimator, row_shape = fitted[name]

    @PROPERTY_SETTINGS
    @given(arrays(row_shape))
    def check(X):
        reference = np.ascontiguousarray(X, dtype=np.float64)
        try:
            expected = _answer(estimator, reference)
        except ValueError as error:
            # Finite values only fail when their features leave float32's range.
            assert "X" in str(error) and "float32" in str(error)
            with pytest.raises(ValueError, match="float32"):
                _answer(estimator, X)
            return
        _check_well_formed(estimator, expected)
        np.testing.assert_allclose(_answer(estimator, X), expected, rtol=1e-6, atol=1e-9)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_non_finite_values_are_refused_or_masked(fitted, name):
    estimator, row_shape = fitted[name]

    @PROPERTY_SETTINGS
    @given(arrays(row_shape).filter(lambda X: X.dtype.kind == "f"), st.data())
    def check(X, data):
        X = X.copy(order="K")  # in its drawn layout; put writes through any strides
        positions = data.draw(st.lists(st.integers(0, X.size - 1), min_size=1, max_size=3))
        X.put(positions, data.draw(st.sampled_from([np.nan, np.inf, -np.inf])))
        assert not np.isfinite(X).all()
        if name == "CloudMaskSegmenter" or (X.ndim == 4 and name.startswith(("Cloud", "Bayes"))):
            answer = _answer(estimator, X)
            bad = ~np.isfinite(X).all(axis=1)
            assert np.isnan(answer[bad]).all() and np.isfinite(answer[~bad]).all()
            return
        with pytest.raises(ValueError, match="NaN|infinity"):
            _answer(estimator, X)

    check()


@pytest.mark.parametrize("name", NAMES)
def test_another_shape_is_refused(fitted, name):
    estimator, row_shape = fitted[name]

    @PROPERTY_SETTINGS
    @given(st.integers(0, len(row_shape) - 1), st.integers(1, 3), st.booleans())
    def check(axis, change, drop_axis):
        shape = list(row_shape)
        if drop_axis and len(shape) > 1:
            del shape[axis]
        else:
            shape[axis] += change
        X = np.arange(2 * int(np.prod(shape)), dtype=np.float64).reshape(2, *shape)
        if drop_axis and row_shape[axis] == 1:
            # (n, 1, H, W) and (n, H, W) are the same images: the same answer.
            same = X.reshape(2, *row_shape)
            np.testing.assert_array_equal(_answer(estimator, X), _answer(estimator, same))
            return
        if name == "CloudMaskSegmenter" and len(shape) == 3 and axis > 0:
            # Fully convolutional: scenes of any height and width, answered in their shape.
            assert _answer(estimator, X).shape == (2, *shape[1:], 2)
            return
        with pytest.raises(ValueError, match="X|features|channels|shape"):
            _answer(estimator, X)

    check()

"""Any memory layout of the same values gives the same fitted model and predictions.

Fortran-ordered images once skipped standardisation (it worked in place on a
reshape, which is a copy for them): DMS predictions moved by tens of degrees
and a fit on them gave another model.
"""

import numpy as np
import pytest

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

FAST = {"max_epochs": 2, "batch_size": 16, "random_state": 0}


def _images(rng, n=48, channels=None):
    shape = (n, 10, 14) if channels is None else (n, channels, 10, 14)
    return rng.gamma(2.0, 50.0, size=shape) * np.linspace(1, 3, 14)


def _cases():
    rng = np.random.RandomState(0)
    images = _images(rng)
    rows = rng.gamma(2.0, 50.0, size=(48, 30))
    pixels = rng.normal(size=(400, 9))
    scenes = rng.normal(size=(6, 9, 16, 16))
    cases = [
        (SAXSClassifier(**FAST), rows, np.arange(48) % 3),
        (SAXSRegressor(**FAST), rows, rng.uniform(10, 100, 48)),
        (SAXS2DClassifier(**FAST), images, np.arange(48) % 2),
        (DMSAngleRegressor(**FAST), images, rng.uniform(0, 360, 48)),
        (MagnonCouplingRegressor(**FAST), _images(rng, channels=2), rng.uniform(0.1, 1, (48, 2))),
        (CloudMaskClassifier(**FAST), pixels, (pixels[:, 0] > 0).astype(int)),
        (BayesianCloudMask(), pixels, (pixels[:, 0] > 0).astype(int)),
        (CloudMaskSegmenter(max_epochs=2, width=4, depth=1, patch_size=8, random_state=0),
         scenes, (scenes[:, 0] > 0).astype(np.uint8)),
    ]
    return [pytest.param(*case, id=type(case[0]).__name__) for case in cases]


def _layouts(X):
    """The values of ``X`` in C order, Fortran order and as a negatively strided view."""
    reversed_view = np.flip(np.ascontiguousarray(np.flip(X, axis=-1)), axis=-1)
    assert not reversed_view.flags.c_contiguous and not np.isfortran(reversed_view)
    return {"fortran": np.asfortranarray(X), "strided": reversed_view}


def _outputs(estimator, X):
    if hasattr(estimator, "predict_proba"):
        return np.asarray(estimator.predict_proba(X), dtype=np.float64)
    return np.asarray(estimator.predict(X), dtype=np.float64)


@pytest.mark.parametrize("estimator, X, y", _cases())
def test_memory_layout_changes_nothing(estimator, X, y):
    reference = estimator.fit(X, y)
    expected = _outputs(reference, X)
    for name, other in _layouts(X).items():
        np.testing.assert_allclose(_outputs(reference, other), expected, rtol=1e-6, atol=1e-7,
                                   err_msg=f"predicting from {name} input")
        refitted = type(estimator)(**estimator.get_params()).fit(other, y)
        np.testing.assert_allclose(_outputs(refitted, X), expected, rtol=1e-6, atol=1e-7,
                                   err_msg=f"fitting on {name} input")

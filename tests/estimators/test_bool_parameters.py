"""A bool is not a count or an amount: ``max_epochs=True`` once trained for 1 epoch.

Python takes ``True`` for the int 1, and scikit-learn's interval constraints
took it too; every numeric parameter of the estimators and of the store
writer is now checked with ``_framework.Number``, which refuses bools.
"""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sciml_estimators.datasets import make_dms, write_dataset
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
from sciml_estimators._framework import Number

ESTIMATORS = [BayesianCloudMask, CloudMaskClassifier, CloudMaskSegmenter, DMSAngleRegressor,
              MagnonCouplingRegressor, SAXS2DClassifier, SAXSClassifier, SAXSRegressor]


def _numeric_parameters(estimator_class):
    return [name for name, constraints in estimator_class._parameter_constraints.items()
            if any(isinstance(constraint, Number) for constraint in constraints)]


@pytest.mark.parametrize("estimator_class", ESTIMATORS, ids=lambda c: c.__name__)
def test_numeric_parameters_refuse_bools(estimator_class):
    names = _numeric_parameters(estimator_class)
    assert names, "no numeric parameter found: the constraints changed"
    X, y = np.ones((4, 3)), np.array([0, 1, 0, 1])
    for name in names:
        with pytest.raises(InvalidParameterError, match=rf"'{name}' parameter.*not a bool"):
            estimator_class(**{name: True}).fit(X, y)


def test_write_dataset_refuses_a_bool_chunk_size(tmp_path):
    with pytest.raises(InvalidParameterError, match="'chunk_size' parameter.*not a bool"):
        write_dataset(make_dms, tmp_path / "d.zarr", 4, chunk_size=True, shape=(8, 8))
    assert list(tmp_path.iterdir()) == []

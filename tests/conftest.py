"""Shared data fixtures."""

import pytest

from sciml_estimators.datasets import make_saxs_1d


@pytest.fixture(scope="session")
def saxs_small():
    """A small ideal SAXS-1D set, split 300 / 100."""
    X, y = make_saxs_1d(400, random_state=0, return_X_y=True)
    return X[:300], y[:300], X[300:], y[300:]

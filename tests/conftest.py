"""Shared fixtures: small data, and the repository's scripts as modules."""

import importlib.util
from pathlib import Path

import pytest

from sciml_estimators.datasets import make_saxs_1d


@pytest.fixture(scope="session")
def saxs_small():
    """A small ideal SAXS-1D set, split 300 / 100."""
    X, y = make_saxs_1d(400, random_state=0, return_X_y=True)
    return X[:300], y[:300], X[300:], y[300:]


REPOSITORY = Path(__file__).parents[1]


def load_script(relative_path):
    """Import a script of the repository (``benchmarks/x.py``, ``docs/x.py``) as a module."""
    path = REPOSITORY / relative_path
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script():
    """:func:`load_script`, for tests of the scripts under ``benchmarks/`` and ``docs/``."""
    return load_script

"""The private names of scikit-learn and skorch the library relies on, checked loudly.

``sciml_estimators._framework`` is the one module that imports them. When a
release of either removes or changes one, a test here fails and names it;
the fix belongs in ``_framework``, nowhere else.
"""

import ast
from numbers import Integral, Real
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import InvalidParameterError
from skorch import NeuralNetRegressor

import sciml_estimators
from sciml_estimators import _framework
from sciml_estimators._framework import (
    Interval,
    Number,
    StrOptions,
    check_y,
    fit_context,
    optimizers,
    set_training,
    validate_params,
    zero_grad,
)

PACKAGE = Path(sciml_estimators.__file__).parent


def test_only_the_framework_module_imports_private_names():
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "_framework.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module.split(".")[0] not in ("sklearn", "skorch"):
                    continue
                private = [part for part in node.module.split(".") if part.startswith("_")]
                private += [a.name for a in node.names if a.name.startswith("_")]
                if private:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {private}")
            elif isinstance(node, ast.Attribute) and node.attr in (
                    "_set_training", "_zero_grad_optimizer", "_optimizers"):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.attr}")
    assert not found, "private framework names outside _framework.py:\n" + "\n".join(found)


def test_parameter_validation_refuses_with_sklearn_messages():
    @validate_params({"n": [Interval(Integral, 1, None, closed="left")],
                      "kind": [StrOptions({"a", "b"})]}, prefer_skip_nested_validation=True)
    def make(n, kind="a"):
        return n, kind

    assert make(2, kind="b") == (2, "b")
    with pytest.raises(InvalidParameterError,
                       match=r"'n' parameter of .*make must be an int in the range \[1, inf\)"):
        make(0)
    with pytest.raises(InvalidParameterError, match="'kind' parameter"):
        make(1, kind="c")


def test_number_is_an_interval_that_refuses_bools():
    @validate_params({"n": [Number(Integral, 1, None, closed="left")],
                      "x": [Number(Real, 0, 1, closed="both")]},
                     prefer_skip_nested_validation=True)
    def make(n, x=0.5):
        return n, x

    assert make(np.int64(3), x=1) == (3, 1)
    for n in [True, np.True_, 0, 2.0]:
        with pytest.raises(InvalidParameterError,
                           match=r"'n' parameter .* int in the range \[1, inf\) \(not a bool\)"):
            make(n)
    for x in [True, False, 1.5]:
        with pytest.raises(InvalidParameterError,
                           match=r"'x' parameter .* float in the range \[0\.0, 1\.0\] \(not"):
            make(1, x=x)


def test_fit_context_validates_the_constraints():
    class Estimator(BaseEstimator):
        _parameter_constraints = {"alpha": [Interval(Real, 0, None, closed="left")]}

        def __init__(self, alpha=1.0):
            self.alpha = alpha

        @fit_context(prefer_skip_nested_validation=True)
        def fit(self, X, y=None):
            self.fitted_ = True
            return self

    assert Estimator().fit([[0]]).fitted_
    with pytest.raises(InvalidParameterError, match="'alpha' parameter of Estimator"):
        Estimator(alpha=-1.0).fit([[0]])


def test_check_y_validates_a_target_alone():
    np.testing.assert_array_equal(check_y(np.array([[1.0], [2.0]]), multi_output=True,
                                          y_numeric=True), [[1.0], [2.0]])
    with pytest.raises(ValueError, match="NaN"):
        check_y(np.array([1.0, np.nan]), y_numeric=True)


def test_skorch_training_internals():
    net = NeuralNetRegressor(torch.nn.Linear, module__in_features=2, module__out_features=1,
                             optimizer=torch.optim.SGD, lr=0.1, max_epochs=1,
                             train_split=None, verbose=0)
    net.initialize()
    (found,) = optimizers(net)
    assert found is net.optimizer_
    set_training(net, False)
    assert not net.module_.training
    set_training(net, True)
    assert net.module_.training
    net.module_(torch.ones(3, 2)).sum().backward()
    assert net.module_.weight.grad.abs().sum() > 0
    zero_grad(net)
    assert net.module_.weight.grad is None or net.module_.weight.grad.abs().sum() == 0


def test_every_name_is_tested():
    assert set(_framework.__all__) == {"Interval", "Number", "StrOptions", "check_y", "fit_context",
                                       "optimizers", "set_training", "validate_params",
                                       "zero_grad"}

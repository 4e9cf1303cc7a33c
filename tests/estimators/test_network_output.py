"""A row's prediction does not depend on the other rows of its batch (every estimator).

float32 matrix products round a row's dot products differently for different
batch sizes (measured here: 1.7e-6 relative between a profile predicted alone
and in a batch, with only the output layer in float64); the shared inference
copy computes the dense layers in float64, so the answers agree to scikit-
learn's rtol of 1e-7 whatever the batch, its order or the thread count.
"""

import numpy as np
import pytest
import torch
from scipy.special import expit, softmax

from sciml_estimators import (
    CloudMaskClassifier,
    CloudMaskSegmenter,
    DMSAngleRegressor,
    MagnonCouplingRegressor,
    SAXS2DClassifier,
    SAXSClassifier,
    SAXSRegressor,
)
from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators._engine._network_output import class_probabilities, inference_module
from sciml_estimators.models import DMSCNN


def profiles(n, target="shape"):
    data = make_saxs_1d(n, shapes=("sphere", "parallelepiped"), target=target, random_state=0)
    return data.data, data.target


def images(n, shape=(1, 12, 12)):
    rng = np.random.RandomState(0)
    X = rng.gamma(2.0, 10.0, size=(n, *shape))
    return X, np.stack([X[:, 0, :3].mean(axis=(1, 2)), X[:, 0, -3:].mean(axis=(1, 2))], axis=1)


def pixels(n):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 9))
    return X, (X[:, 0] + X[:, 3] > 0).astype(int)


FAST = dict(max_epochs=2, random_state=0)
CASES = [
    (SAXSClassifier(**FAST), profiles, "predict_proba"),
    (SAXSRegressor(**FAST), lambda n: profiles(n, "radius"), "predict"),
    # Targets far from zero: float32 rounding showed most here.
    (SAXSRegressor(log_target=False, **FAST), lambda n: (profiles(n, "radius")[0],
                                                       1000 + profiles(n, "radius")[1]),
     "predict"),
    (MagnonCouplingRegressor(**FAST), images, "predict"),
    (DMSAngleRegressor(**FAST), lambda n: (images(n)[0], np.linspace(0, 80, n)), "predict"),
    (SAXS2DClassifier(**FAST), lambda n: (images(n)[0], np.arange(n) % 3), "predict_proba"),
    (CloudMaskClassifier(**FAST), pixels, "predict_proba"),
    (CloudMaskSegmenter(width=4, depth=1, **FAST), pixels, "predict_proba"),
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("estimator, data, method", CASES,
                         ids=[f"{type(c[0]).__name__}-{c[2]}" for c in CASES])
def test_a_rows_answer_is_its_own(estimator, data, method, threads):
    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        X, y = data(120)
        predict = getattr(estimator.fit(X, y), method)
        whole = predict(X)
        order = np.random.RandomState(1).permutation(len(X))
        np.testing.assert_allclose(predict(X[order]), whole[order], rtol=1e-7, atol=0)
        alone = np.concatenate([predict(X[i : i + 1]) for i in range(20)])
        np.testing.assert_allclose(alone, whole[:20], rtol=1e-7, atol=0)
        in_sevens = np.concatenate([predict(X[i : i + 7]) for i in range(0, len(X), 7)])
        np.testing.assert_allclose(in_sevens, whole, rtol=1e-7, atol=0)
    finally:
        torch.set_num_threads(previous)


def test_inference_copy_computes_dense_layers_in_float64_and_leaves_the_net_alone():
    class Net:
        module_ = DMSCNN((1, 8, 8)).train()

    copy = inference_module(Net)
    assert not copy.training and Net.module_.training
    assert {p.dtype for p in copy.features.parameters()} == {torch.float32}
    assert {p.dtype for p in copy.head.parameters()} == {torch.float64}
    assert {p.dtype for p in Net.module_.parameters()} == {torch.float32}
    with torch.no_grad():
        out = copy(torch.randn(3, 1, 8, 8))
    assert out.dtype == torch.float64 and out.shape == (3, 2)


def test_class_probabilities_from_one_logit_or_several():
    logits = np.array([-40.0, 0.0, 3.0])
    expected = np.stack([1 - expit(logits), expit(logits)], axis=1)
    np.testing.assert_array_equal(class_probabilities(logits), expected)
    np.testing.assert_array_equal(class_probabilities(logits[:, None]), expected)
    many = np.random.RandomState(0).normal(size=(4, 3, 2, 5))  # (n, classes, height, width)
    proba = class_probabilities(many, axis=1)
    assert proba.shape == (4, 2, 5, 3)
    np.testing.assert_allclose(proba, np.moveaxis(softmax(many, axis=1), 1, -1), rtol=1e-15)
    np.testing.assert_allclose(proba.sum(axis=-1), 1, rtol=1e-15)

"""The plain PyTorch reference loop the estimators are measured against."""

import numpy as np

from sciml_estimators.bench._plain_torch import PlainMLPClassifier


def test_plain_reference_relearns_its_standardisation_on_refit():
    rng = np.random.default_rng(0)
    X1, X2 = rng.uniform(0.1, 1, (64, 5)), rng.uniform(10, 100, (64, 5))
    y = np.arange(64) % 2
    plain = PlainMLPClassifier(max_epochs=1).fit(X1, y)
    first = plain.mean_.copy()
    plain.fit(X2, y)
    assert not np.allclose(plain.mean_, first)
    np.testing.assert_allclose(plain.mean_, np.arcsinh(X2 / 1e-3).mean(axis=0), rtol=1e-5)

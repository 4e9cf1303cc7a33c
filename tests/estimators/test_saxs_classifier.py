import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sciml_estimators import SAXSClassifier
from sciml_estimators.datasets import make_saxs_1d

FAST = {"max_epochs": 5, "random_state": 0}


def test_learns_shapes_and_string_labels(saxs_small):
    X_train, y_train, X_test, y_test = saxs_small
    names = np.array(["sphere", "parallelepiped"])
    clf = SAXSClassifier(**FAST).fit(X_train, names[y_train])
    assert set(clf.classes_) == {"sphere", "parallelepiped"}
    assert clf.predict(X_test).dtype == names.dtype
    assert clf.score(X_test, names[y_test]) >= 0.95
    proba = clf.predict_proba(X_test)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_same_seed_same_model_on_cpu(saxs_small):
    X_train, y_train, X_test, _ = saxs_small
    first = SAXSClassifier(**FAST).fit(X_train, y_train)
    second = SAXSClassifier(**FAST).fit(X_train, y_train)
    for a, b in zip(first.net_.module_.parameters(), second.net_.module_.parameters()):
        assert torch.equal(a, b)
    np.testing.assert_array_equal(first.predict_proba(X_test), second.predict_proba(X_test))
    other = SAXSClassifier(max_epochs=5, random_state=1).fit(X_train, y_train)
    assert not np.array_equal(first.predict_proba(X_test), other.predict_proba(X_test))


def test_fit_leaves_global_torch_rng_alone(saxs_small):
    X_train, y_train, _, _ = saxs_small
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    SAXSClassifier(max_epochs=1, random_state=0).fit(X_train, y_train)
    assert torch.equal(torch.rand(3), expected)


def test_multiclass_uses_softmax_over_classes(saxs_small):
    X_train, y_train, X_test, _ = saxs_small
    y3 = np.where(X_train[:, 0] > np.median(X_train[:, 0]), 2, y_train)
    clf = SAXSClassifier(**FAST).fit(X_train, y3)
    assert clf.net_.module_.n_out == 3
    proba = clf.predict_proba(X_test)
    assert proba.shape == (len(X_test), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)


def test_predict_batches_are_independent_of_training_batch_size(saxs_small):
    X_train, y_train, X_test, _ = saxs_small
    clf = SAXSClassifier(batch_size=8, max_epochs=1, random_state=0).fit(X_train, y_train)
    whole = clf.predict_proba(X_test)
    small = clone(clf).set_params(predict_batch_size=7).fit(X_train, y_train).predict_proba(X_test)
    np.testing.assert_allclose(whole, small, rtol=1e-5)


def test_clone_pickle_and_grid_search(saxs_small):
    X_train, y_train, X_test, y_test = saxs_small
    clf = SAXSClassifier(**FAST).fit(X_train, y_train)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X_test), clf.predict_proba(X_test))
    assert not hasattr(clone(clf), "net_")

    search = GridSearchCV(
        SAXSClassifier(max_epochs=3, random_state=0),
        {"hidden_units": [10, 100]},
        cv=2,
        n_jobs=2,
    ).fit(X_train, y_train)
    assert search.best_params_["hidden_units"] in (10, 100)
    assert search.score(X_test, y_test) >= 0.9


def test_works_inside_a_pipeline(saxs_small):
    X_train, y_train, X_test, y_test = saxs_small
    pipe = make_pipeline(FunctionTransformer(lambda X: X * 2.0), SAXSClassifier(**FAST))
    assert pipe.fit(X_train, y_train).score(X_test, y_test) >= 0.95


def test_noisy_profiles_train_with_the_default_transform():
    X, y = make_saxs_1d(400, noise="poisson", flux=10.0, random_state=0, return_X_y=True)
    assert (X == 0).any()  # zero counts at this low flux
    clf = SAXSClassifier(**FAST).fit(X[:300], y[:300])
    assert clf.score(X[300:], y[300:]) >= 0.9


def test_asinh_matches_log_for_strong_intensities(saxs_small):
    X_train, y_train, X_test, y_test = saxs_small
    asinh = SAXSClassifier(intensity_transform="asinh", **FAST).fit(X_train, y_train)
    log = SAXSClassifier(intensity_transform="log", **FAST).fit(X_train, y_train)
    assert asinh.intensity_scale_ > 0
    assert log.intensity_scale_ == 1.0
    assert abs(asinh.score(X_test, y_test) - log.score(X_test, y_test)) <= 0.03


@pytest.mark.parametrize(
    "bad, message",
    [(np.nan, r"row 7 is the first bad row"), (np.inf, r"NaN or infinity: row 7")],
)
def test_non_finite_rows_are_named(saxs_small, bad, message):
    X_train, y_train, _, _ = saxs_small
    X = X_train.copy()
    X[7, 3] = bad
    X[9, 0] = bad
    with pytest.raises(ValueError, match=message):
        SAXSClassifier(**FAST).fit(X, y_train)


def test_log_transform_rejects_non_positive_intensities(saxs_small):
    X_train, y_train, _, _ = saxs_small
    X = X_train.copy()
    X[4, 10] = -1e-3
    with pytest.raises(ValueError, match=r"needs positive intensities, but row 4, column 10"):
        SAXSClassifier(intensity_transform="log", **FAST).fit(X, y_train)


def test_wrong_number_of_q_points_at_predict(saxs_small):
    X_train, y_train, X_test, _ = saxs_small
    clf = SAXSClassifier(max_epochs=1).fit(X_train, y_train)
    expected = r"X has 299 features, but SAXSClassifier is expecting 300"
    with pytest.raises(ValueError, match=expected):
        clf.predict(X_test[:, 1:])


def test_predict_before_fit_raises_not_fitted(saxs_small):
    with pytest.raises(NotFittedError):
        SAXSClassifier().predict(saxs_small[2])


def test_one_class_is_refused(saxs_small):
    X_train, _, _, _ = saxs_small
    with pytest.raises(ValueError, match="at least 2 classes"):
        SAXSClassifier(max_epochs=1).fit(X_train, np.zeros(len(X_train)))


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error raised without CUDA")
def test_cuda_without_cuda_says_so(saxs_small):
    X_train, y_train, _, _ = saxs_small
    with pytest.raises(ValueError, match=r"device='cuda' was requested but torch sees no CUDA"):
        SAXSClassifier(device="cuda").fit(X_train, y_train)


def test_unknown_parameter_values_are_refused(saxs_small):
    X_train, y_train, _, _ = saxs_small
    with pytest.raises(ValueError, match="intensity_transform"):
        SAXSClassifier(intensity_transform="sqrt").fit(X_train, y_train)
    with pytest.raises(ValueError, match="device"):
        SAXSClassifier(device="tpu").fit(X_train, y_train)


needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")


@needs_cuda
def test_cuda_training_matches_cpu_quality(saxs_small):
    X_train, y_train, X_test, y_test = saxs_small
    gpu = SAXSClassifier(device="cuda", **FAST).fit(X_train, y_train)
    cpu = SAXSClassifier(device="cpu", **FAST).fit(X_train, y_train)
    assert gpu.device_ == "cuda" and next(gpu.net_.module_.parameters()).is_cuda
    assert gpu.score(X_test, y_test) >= cpu.score(X_test, y_test) - 0.02
    # Same seed, same device: the same model.
    again = SAXSClassifier(device="cuda", **FAST).fit(X_train, y_train)
    np.testing.assert_allclose(gpu.predict_proba(X_test), again.predict_proba(X_test), atol=1e-5)


@needs_cuda
def test_auto_picks_cuda_and_a_cuda_model_pickles(saxs_small):
    X_train, y_train, X_test, _ = saxs_small
    clf = SAXSClassifier(device="auto", max_epochs=1, random_state=0).fit(X_train, y_train)
    assert clf.device_ == "cuda"
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(restored.predict_proba(X_test), clf.predict_proba(X_test))


def test_intensities_beyond_float32_are_refused(saxs_small):
    X_train, y_train, _, _ = saxs_small
    clf = SAXSClassifier(max_epochs=1, intensity_transform="none").fit(X_train, y_train)
    X = X_train[:5].copy()
    X[2, 4] = 1e300
    with pytest.raises(ValueError, match="leave the range of float32"):
        clf.predict(X)

"""Benchmarks scored beyond one split: scenes per pixel with a truth; across instruments."""

import dataclasses

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression

from sciml_estimators.bench import get_benchmark, run_benchmark
from sciml_estimators.bench._plain_torch import PlainPixelMLPClassifier
from sciml_estimators.bench._runner import Split, evaluate, simulate_split


def test_cloud_follows_the_paper():
    cloud = get_benchmark("cloud")
    assert (cloud.n_samples, cloud.test_size, cloud.reference) == (1000, 0.2, "mlp")
    assert set(cloud.estimators) == {"mlp", "unet"}


@pytest.fixture(scope="module")
def split():
    # The paper's ideal scenes (the registered default is measured-like).
    return simulate_split(get_benchmark("cloud"), 10, random_state=0, nuisances=None)


def test_split_keeps_scenes_whole_with_their_truth(split):
    X_train, X_test, y_train, y_test = split
    assert X_train.shape == (8, 9, 250, 250) and y_test.shape == (2, 250, 250)
    assert split.truth_test.shape == y_test.shape and split.in_domain_test is None


def test_per_pixel_scores_against_labels_and_truth(split):
    y_test, truth_test = split[3], split.truth_test

    class Fixed:
        """Predicts the test labels themselves, with certainty."""

        classes_ = np.array([0, 1])

        def fit(self, X, y):
            return self

        def predict_proba(self, X):
            labels = y_test if len(X) == len(y_test) else np.zeros(X.shape[:1] + X.shape[2:])
            return np.stack([1.0 - labels, labels], axis=-1)

    metrics = evaluate(Fixed, split)["metrics"]
    assert metrics["accuracy"] == 1.0 and metrics["f1"] == 1.0
    # Label images are scored by overlap too: Dice is the foreground's F1.
    assert metrics["dice"] == 1.0 and metrics["iou"] == 1.0
    expected = np.mean(y_test == truth_test)
    assert metrics["truth_accuracy"] == pytest.approx(expected)
    assert metrics["labels_truth_accuracy"] == pytest.approx(expected)
    assert 0.9 < expected < 1.0


def test_quick_run_of_the_reference_and_its_plain_loop(split):
    result = run_benchmark("cloud", n_samples=10, max_epochs=1, nuisances=None)
    assert (result["n_train"], result["n_test"]) == (8, 2)
    metrics = result["metrics"]
    assert metrics["accuracy"] > 0.9 and metrics["truth_accuracy"] > 0.9
    assert metrics["dice"] == pytest.approx(metrics["f1"], rel=1e-12)
    assert metrics["iou"] == pytest.approx(metrics["dice"] / (2 - metrics["dice"]), rel=1e-12)
    # The plain loop learns the same task from the same pixels.
    plain = PlainPixelMLPClassifier(hidden_units=50, max_epochs=3, batch_size=1024)
    plain.fit(split[0], split[2])
    proba = plain.predict_proba(split[1])
    assert np.mean(np.argmax(proba, axis=1) == split[3].ravel()) > 0.95


def test_option_values_are_checked_before_any_work():
    with pytest.raises(ValueError, match="'cloud' has no noise 'poisson'; its noise values"):
        run_benchmark("cloud", n_samples=10**9, noise="poisson")


def test_domain_shift_trains_on_one_instrument_and_tests_on_the_other():
    split = simulate_split(get_benchmark("saxs-shift"), 200, random_state=0)
    X_train, X_test, y_train, y_test = split
    X_in, y_in = split.in_domain_test
    assert (len(X_train), len(X_in), len(X_test)) == (128, 32, 40)
    result = run_benchmark("saxs-shift", n_samples=400, max_epochs=5)
    metrics = result["metrics"]
    assert metrics["accuracy_drop"] == pytest.approx(
        metrics["in_domain_accuracy"] - metrics["accuracy"])
    assert metrics["in_domain_accuracy"] > 0.8


def test_regression_across_domains_scores_both_and_the_drop():
    # A line learnt on x in [0, 1] and scored on x in [2, 3], where y bends away from it.
    rng = np.random.RandomState(0)
    x_source, x_shifted = rng.uniform(0, 1, 300), rng.uniform(2, 3, 100)
    bend = lambda x: x + 0.5 * np.maximum(x - 1.5, 0) ** 2  # noqa: E731
    split = Split([x_source[:200, None], x_shifted[:, None], bend(x_source[:200]),
                   bend(x_shifted)])
    split.in_domain_test = (x_source[200:, None], bend(x_source[200:]))
    metrics = evaluate(LinearRegression, split, task="regression", target_names=["y"])["metrics"]
    assert metrics["in_domain_mae_y"] < 1e-12
    # The shifted error is the bend's mean, 0.5 E[(x - 1.5)^2] over x in [2, 3] = 0.54.
    assert metrics["mae_y"] == pytest.approx(0.54, rel=0.1)
    assert metrics["mae_y_ratio"] == metrics["mae_y"] / metrics["in_domain_mae_y"]
    assert metrics["r2_drop"] == pytest.approx(metrics["in_domain_r2"] - metrics["r2"])


def test_scenes_across_domains_score_the_truth_of_each_domain(split):
    # One test scene stands for the shifted domain, the other for the held-out source.
    X_train, X_test, y_train, y_test = split
    truth = split.truth_test
    shifted = Split([X_train, X_test[:1], y_train, y_test[:1]])
    shifted.truth_test = truth[:1]
    shifted.in_domain_test = (X_test[1:], y_test[1:], truth[1:])

    class Oracle:
        """Predicts the truth of the in-domain scene and the labels of the shifted one."""

        classes_ = np.array([0, 1])

        def fit(self, X, y):
            return self

        def predict_proba(self, X):
            labels = (truth[1:] if np.shares_memory(X, X_test[1:]) else
                      y_test[:1] if np.shares_memory(X, X_test[:1]) else np.zeros(X.shape[:1]
                                                                                  + X.shape[2:]))
            return np.stack([1.0 - labels, labels], axis=-1)

    metrics = evaluate(Oracle, shifted)["metrics"]
    labels_right = [np.mean(y_test[i] == truth[i]) for i in (0, 1)]
    assert metrics["accuracy"] == 1.0 and metrics["in_domain_truth_accuracy"] == 1.0
    assert metrics["truth_accuracy"] == pytest.approx(labels_right[0])
    assert metrics["in_domain_accuracy"] == pytest.approx(labels_right[1])
    assert metrics["truth_accuracy_drop"] == pytest.approx(1.0 - labels_right[0])
    assert metrics["accuracy_drop"] == pytest.approx(labels_right[1] - 1.0)


def test_default_options_are_checked_and_overridden():
    saxs = get_benchmark("saxs-1d")
    quiet = dataclasses.replace(saxs, default_options={"noise": None})
    assert quiet.dataset_options({}) == {"noise": None}
    assert quiet.dataset_options({"noise": "poisson"}) == {"noise": "poisson"}
    with pytest.raises(ValueError, match="'saxs-1d' has no noise 'gaussian'"):
        dataclasses.replace(saxs, default_options={"noise": "gaussian"})

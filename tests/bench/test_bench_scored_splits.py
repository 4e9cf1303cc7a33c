"""Benchmarks scored beyond one split: scenes per pixel with a truth; across instruments."""

import numpy as np
import pytest

from sciml_estimators.bench import get_benchmark, run_benchmark
from sciml_estimators.bench._plain_torch import PlainPixelMLPClassifier
from sciml_estimators.bench._runner import evaluate, simulate_split


def test_cloud_follows_the_paper():
    cloud = get_benchmark("cloud")
    assert (cloud.n_samples, cloud.test_size, cloud.reference) == (1000, 0.2, "mlp")
    assert set(cloud.estimators) == {"mlp", "unet"}


@pytest.fixture(scope="module")
def split():
    return simulate_split(get_benchmark("cloud"), 10, random_state=0)


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
    expected = np.mean(y_test == truth_test)
    assert metrics["truth_accuracy"] == pytest.approx(expected)
    assert metrics["labels_truth_accuracy"] == pytest.approx(expected)
    assert 0.9 < expected < 1.0


def test_quick_run_of_the_reference_and_its_plain_loop(split):
    result = run_benchmark("cloud", n_samples=10, max_epochs=1)
    assert (result["n_train"], result["n_test"]) == (8, 2)
    metrics = result["metrics"]
    assert metrics["accuracy"] > 0.9 and metrics["truth_accuracy"] > 0.9
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

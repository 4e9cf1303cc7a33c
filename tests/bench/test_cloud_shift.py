"""The cloud benchmarks on measured-like scenes, and cloud-shift across surfaces and seasons."""

import dataclasses
import functools

import numpy as np
import pytest

from sciml_estimators.bench import get_benchmark
from sciml_estimators.bench._runner import evaluate, simulate_split
from sciml_estimators.datasets import make_slstr_domain_shift


def test_cloud_runs_on_measured_like_scenes_ideal_one_option_away():
    cloud = get_benchmark("cloud")
    assert cloud.dataset_options({}) == {"nuisances": "measured"}
    assert cloud.dataset_options({"nuisances": None}) == {"nuisances": None}
    with pytest.raises(ValueError, match="'cloud' has no nuisances 'real'"):
        cloud.dataset_options({"nuisances": "real"})


def test_cloud_shift_is_registered_with_its_baselines():
    shift = get_benchmark("cloud-shift")
    assert shift.shifts_domain and shift.reference == "mlp"
    assert set(shift.estimators) == {"mlp", "unet", "bayesian"}
    with pytest.raises(ValueError, match="'bayesian' runs on the CPU only"):
        shift.estimators["bayesian"](device="cuda", random_state=0, max_epochs=None,
                                     verbose=False)


@pytest.fixture(scope="module")
def split():
    # Small scenes: the registered generator with size=16.
    shift = dataclasses.replace(get_benchmark("cloud-shift"),
                                make_dataset=functools.partial(make_slstr_domain_shift, size=16))
    return simulate_split(shift, 20, random_state=0)


def test_split_trains_on_source_scenes_and_tests_on_shifted_ones(split):
    X_train, X_test, y_train, y_test = split
    X_in, y_in = split.in_domain_test[:2]
    # 16 source scenes: 12 train, 4 in-domain test; the 4 shifted scenes are the test set.
    assert (len(X_train), len(X_in), len(X_test)) == (12, 4, 4)
    scenes = make_slstr_domain_shift(20, size=16, random_state=0)
    np.testing.assert_array_equal(X_test, scenes.data[16:])
    assert split.truth_test.shape == y_test.shape


def test_bayesian_baseline_scores_both_domains(split):
    build = functools.partial(get_benchmark("cloud-shift").estimators["bayesian"], device="cpu",
                              random_state=0, max_epochs=None, verbose=False)
    metrics = evaluate(build, split, shifts_domain=True)["metrics"]
    assert metrics["in_domain_accuracy"] > 0.85
    assert metrics["accuracy_drop"] == pytest.approx(
        metrics["in_domain_accuracy"] - metrics["accuracy"])
    assert "in_domain_truth_accuracy" in metrics and "truth_accuracy_drop" in metrics

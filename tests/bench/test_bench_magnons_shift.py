"""The magnon benchmarks' measured-like default and magnons-shift."""

import numpy as np

from sciml_estimators.bench import get_benchmark, run_benchmark


def test_magnons_defaults_to_measured_like_images_with_ideal_one_option_away():
    magnons = get_benchmark("magnons")
    assert magnons.dataset_options({}) == {"nuisances": "measured"}
    assert magnons.dataset_options({"nuisances": None, "noise": "poisson"}) == {
        "nuisances": None, "noise": "poisson"}


def test_magnons_shift_scores_both_regimes():
    shift = get_benchmark("magnons-shift")
    assert shift.shifts_domain and shift.task == "regression"
    assert set(shift.estimators) == {"cnn", "ridge"}
    result = run_benchmark("magnons-shift", estimator="ridge", n_samples=80)
    # 64 source images: 51 train, 13 in-domain test; 16 shifted images test.
    assert (result["n_train"], result["n_test"]) == (51, 16)
    metrics = result["metrics"]
    for key in ("mae_J", "mae_J2", "r2"):
        assert np.isfinite(metrics[key]) and np.isfinite(metrics[f"in_domain_{key}"])
    assert metrics["r2_drop"] == metrics["in_domain_r2"] - metrics["r2"]

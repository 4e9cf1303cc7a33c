"""The DMS benchmarks: measured-like by default, a ridge baseline, and dms-shift."""

import numpy as np
import pytest

from sciml_estimators.bench import get_benchmark, run_benchmark
from sciml_estimators.bench._dms import _angle, _circle
from sciml_estimators.datasets import make_dms_domain_shift
from sciml_estimators.datasets._dms_shift import SHIFTED, SOURCE


def test_dms_is_measured_like_by_default_and_ideal_one_option_away():
    dms = get_benchmark("dms")
    assert dms.default_options == {"nuisances": "measured"}
    assert dms.dataset_options({"nuisances": None}) == {"nuisances": None}
    assert set(dms.estimators) == {"cnn", "ridge"}
    shift = get_benchmark("dms-shift")
    assert shift.shifts_domain and shift.target_period == dms.target_period == 90.0


def test_the_ridge_target_goes_round_the_period():
    psi = np.array([0.0, 10.0, 44.9, 45.1, 89.99])
    np.testing.assert_allclose(_angle(_circle(psi)), psi, atol=1e-9)
    # 0 and 90 degrees are the same pattern, hence the same point on the circle.
    np.testing.assert_allclose(_circle([0.0]), _circle([90.0]), atol=1e-12)


def test_ridge_reads_psi_from_ideal_and_measured_patterns():
    ideal = run_benchmark("dms", estimator="ridge", n_samples=300, nuisances=None)
    real = run_benchmark("dms", estimator="ridge", n_samples=300)
    assert real["options"]["nuisances"] == "measured"
    # Far below the 22.5 degrees of a guess; the nuisances cost accuracy
    # (measured on seed 0: 0.17 and 1.13 degrees).
    assert ideal["metrics"]["mae_psi"] < 0.4 < real["metrics"]["mae_psi"] < 5.0


def test_the_shift_dataset_states_its_conditions():
    dms = make_dms_domain_shift(10, random_state=0)
    assert dms.domain.tolist() == [0] * 8 + [1] * 2
    miscut = dms.nuisance_parameters["miscut_deg"]
    low, high = SOURCE["miscut_deg"]
    assert np.all((miscut[:8] >= low) & (miscut[:8] <= high))
    low, high = SHIFTED["miscut_deg"]
    assert np.all((miscut[8:] >= low) & (miscut[8:] <= high))
    assert np.all((dms.target >= 0) & (dms.target < 90))
    with pytest.raises(ValueError, match="at least 2"):
        make_dms_domain_shift(5, shifted_fraction=0.1)


def test_dms_shift_scores_in_domain_and_shifted():
    result = run_benchmark("dms-shift", estimator="ridge", n_samples=200)
    metrics = result["metrics"]
    assert result["n_test"] == 40
    # Measured on seed 0: 1.86 shifted against 0.84 degrees in-domain.
    assert metrics["mae_psi"] > 1.3 * metrics["in_domain_mae_psi"]
    assert metrics["mae_psi_ratio"] == pytest.approx(
        metrics["mae_psi"] / metrics["in_domain_mae_psi"])

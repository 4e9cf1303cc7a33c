import numpy as np
import pytest
from sklearn.metrics import r2_score

from sciml_estimators.metrics import regression_scores


def test_one_target_has_unsuffixed_keys():
    # errors 0, 0, 0, 2: MAE 2/4, RMSE sqrt(4/4); R² = 1 - 4 / 5 (variance sum of 1..4 is 5).
    scores = regression_scores([1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 6.0])
    assert scores == pytest.approx({"mae": 0.5, "rmse": 1.0, "r2": 0.2})
    assert list(scores) == ["mae", "rmse", "r2"]


def test_two_targets_per_target_errors_and_uniform_r2():
    y_true = np.array([[0.6, 0.01], [0.7, 0.02], [0.8, 0.00]])
    y_pred = np.array([[0.6, 0.013], [0.73, 0.02], [0.74, 0.004]])
    scores = regression_scores(y_true, y_pred, target_names=["J", "J2"])
    # J: errors 0, 0.03, 0.06; J2: errors 0.003, 0, 0.004.
    assert scores["mae_J"] == pytest.approx(0.03)
    assert scores["mae_J2"] == pytest.approx(0.007 / 3)
    assert scores["rmse_J"] == pytest.approx(np.sqrt(0.0045 / 3))
    assert scores["rmse_J2"] == pytest.approx(np.sqrt(0.000025 / 3))
    # R² per target: 1 - 0.0045 / 0.02 and 1 - 0.000025 / 0.0002; then their mean.
    assert scores["r2"] == pytest.approx((0.775 + 0.875) / 2)
    assert scores["r2"] == pytest.approx(r2_score(y_true, y_pred))
    assert list(scores) == ["mae_J", "mae_J2", "rmse_J", "rmse_J2", "r2"]


def test_default_names_of_columns():
    scores = regression_scores([[1.0, 2.0], [2.0, 4.0]], [[1.0, 2.0], [2.0, 4.0]])
    assert scores == {"mae_y0": 0.0, "mae_y1": 0.0, "rmse_y0": 0.0, "rmse_y1": 0.0, "r2": 1.0}


def test_coverage_of_the_68_and_95_percent_intervals():
    y_true = np.zeros((6, 2))
    # Errors in units of the std: column a, std 1; column b, twice the errors (negative), std 2.
    errors = np.array([0.0, 0.999, 1.001, 1.5, 1.959, 1.961])
    y_pred = np.column_stack([errors, -2 * errors])
    y_std = np.column_stack([np.ones(6), 2 * np.ones(6)])
    scores = regression_scores(y_true, y_pred, y_std, target_names=["a", "b"])
    # Half-widths: z = 1.0000 std for 68.27 %, 1.9600 std for 95 %.
    for name in "ab":
        assert scores[f"coverage_68_{name}"] == pytest.approx(2 / 6)
        assert scores[f"coverage_95_{name}"] == pytest.approx(5 / 6)
    assert list(scores)[-4:] == ["coverage_68_a", "coverage_68_b", "coverage_95_a", "coverage_95_b"]


def test_one_target_coverage_keys():
    scores = regression_scores([0.0, 0.0], [0.5, 3.0], y_std=[1.0, 1.0])
    assert (scores["coverage_68"], scores["coverage_95"]) == (0.5, 0.5)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y_pred": [[1.0], [2.0]]}, r"y_pred has shape \(2, 1\), y_true \(2,\)"),
        ({"y_std": [1.0]}, r"y_std has shape \(1,\), y_true \(2,\)"),
        ({"target_names": ["a", "b"]}, "name each of the 1 targets once"),
    ],
)
def test_bad_inputs(kwargs, message):
    arguments = {"y_true": [1.0, 2.0], "y_pred": [1.0, 2.0], **kwargs}
    with pytest.raises(ValueError, match=message):
        regression_scores(**arguments)


def test_angular_targets_are_scored_on_the_circle():
    y_true = np.array([1.0, 89.0, 45.0, 30.0])
    y_pred = np.array([89.5, 0.5, 44.0, 30.0])  # 1.5, 1.5, 1 and 0 degrees off on the circle
    scores = regression_scores(y_true, y_pred, target_names=["psi"], period=90.0)
    assert scores["mae_psi"] == pytest.approx(1.0)
    assert scores["rmse_psi"] == pytest.approx(np.sqrt((1.5**2 * 2 + 1) / 4))
    # Circular mean of 1, 89, 45, 30 (period 90); R^2 against the distances to it.
    phase = 2 * np.pi * y_true / 90
    mean = np.arctan2(np.sin(phase).mean(), np.cos(phase).mean()) * 90 / (2 * np.pi)
    spread = (np.abs((y_true - mean + 45) % 90 - 45) ** 2).sum()
    assert scores["r2"] == pytest.approx(1 - (1.5**2 * 2 + 1) / spread)
    # Without wrap-around the circular scores are the usual ones.
    plain = regression_scores([10.0, 20.0, 30.0], [11.0, 19.0, 30.5])
    circular = regression_scores([10.0, 20.0, 30.0], [11.0, 19.0, 30.5], period=360.0)
    assert circular == pytest.approx(plain)

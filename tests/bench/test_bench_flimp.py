"""The FLImP benchmarks: their specification, and runs scored by Dice and IoU."""

import pytest

from sciml_estimators.bench import get_benchmark, run_benchmark


def test_the_two_tasks_share_the_data_and_differ_in_target():
    flimp, populations = get_benchmark("flimp"), get_benchmark("flimp-populations")
    assert flimp.dataset_options({}) == {"target": "suitable"}
    assert populations.dataset_options({}) == {"target": "population"}
    assert list(flimp.estimators) == ["unet", "spot-density", "cell-mask"]
    assert list(populations.estimators) == ["unet"]
    with pytest.raises(ValueError, match="estimator 'spot-density' runs on the CPU only"):
        flimp.estimators["spot-density"](device="cuda", random_state=0, max_epochs=None,
                                         verbose=0)


def test_a_run_is_scored_by_overlap_with_the_suitable_pixels():
    result = run_benchmark("flimp", estimator="spot-density", n_samples=5)
    metrics = result["metrics"]
    assert (result["n_train"], result["n_test"]) == (4, 1)
    assert metrics["dice"] == pytest.approx(metrics["f1"], rel=1e-12)
    assert metrics["iou"] == pytest.approx(metrics["dice"] / (2 - metrics["dice"]), rel=1e-12)


def test_the_population_task_is_scored_per_population():
    result = run_benchmark("flimp-populations", n_samples=5, max_epochs=1)
    metrics = result["metrics"]
    names = ("background", "carcinoma", "fibroblast", "lymphocyte")
    assert {f"{kind}_{name}" for kind in ("dice", "iou") for name in names} <= set(metrics)
    dice = [metrics[f"dice_{name}"] for name in names]
    assert metrics["mean_dice"] == pytest.approx(sum(dice) / 4, rel=1e-12)

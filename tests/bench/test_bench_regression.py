"""Regression benchmarks (magnons): runner, command line, reports and comparisons."""

import copy
import json

import numpy as np
import pytest
from sklearn.base import is_regressor

from sciml_estimators.bench import Benchmark, get_benchmark, list_benchmarks, run_benchmark
from sciml_estimators.bench._cli import main
from sciml_estimators.bench._report import compare_results, load_results, write_report
from sciml_estimators.simulators import dms_symmetry_period

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PER_TARGET = ("mae", "rmse", "coverage_68", "coverage_95")
MAGNON_METRICS = {f"{kind}_{name}" for kind in PER_TARGET for name in ("J", "J2")} | {"r2"}


@pytest.fixture(scope="module")
def magnons():
    return run_benchmark("magnons", n_samples=60, max_epochs=1)


@pytest.fixture(scope="module")
def saxs():
    return run_benchmark("saxs-1d", n_samples=200, max_epochs=2)


def _write(folder, **results):
    paths = []
    for name, result in results.items():
        path = folder / name / "results.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(result))
        paths.append(path)
    return paths


def _table(markdown):
    rows = [line.strip("|").split(" | ") for line in markdown.splitlines() if line[:2] == "| "]
    header = [cell.strip() for cell in rows[0]]
    return [dict(zip(header, (cell.strip() for cell in line))) for line in rows[1:]]


@pytest.mark.parametrize("name", list_benchmarks())
def test_declared_task_matches_the_reference_estimator(name):
    benchmark = get_benchmark(name)
    estimator = benchmark.estimators[benchmark.reference](
        device="cpu", random_state=0, max_epochs=1, verbose=0
    )
    assert is_regressor(estimator) == (benchmark.task == "regression")


def test_unknown_task_is_refused():
    with pytest.raises(ValueError, match="task must be one of classification, regression"):
        Benchmark("x", "x", make_dataset=None, n_samples=1, quick_n_samples=1, estimators={},
                  task="ranking")  # fmt: skip


def test_magnons_follows_the_paper():
    magnons = get_benchmark("magnons")
    assert (magnons.task, magnons.reference, magnons.plain_reference) == ("regression", "cnn", None)
    assert round(magnons.n_samples * magnons.test_size) == 2957
    assert "0.0055" in magnons.paper and "0.0036" in magnons.paper


def test_run_benchmark_scores_a_regression(magnons):
    assert (magnons["task"], magnons["estimator"]) == ("regression", "cnn")
    assert magnons["estimator_class"] == "MagnonCouplingRegressor"
    # Random split with the paper's test fraction: ceil(60 * 2957 / 29957) = 6 held out.
    assert (magnons["n_train"], magnons["n_test"]) == (54, 6)
    assert magnons["max_epochs"] == 1 and len(magnons["training_curve"]) == 1
    metrics = magnons["metrics"]
    assert set(metrics) == MAGNON_METRICS
    assert all(np.isfinite(value) for value in metrics.values())
    assert 0 < metrics["mae_J"] <= metrics["rmse_J"] and 0 < metrics["mae_J2"] <= metrics["rmse_J2"]
    assert all(0 <= metrics[f"coverage_{p}_{t}"] <= 1 for p in (68, 95) for t in ("J", "J2"))
    for key in ("train_time_per_sample", "inference_time_per_sample"):
        assert magnons[key]["median"] > 0


def test_ridge_baseline_has_no_intervals(tmp_path, capsys):
    result = run_benchmark("magnons", estimator="ridge", n_samples=60)
    assert result["estimator_class"] == "Pipeline" and result["max_epochs"] is None
    assert set(result["metrics"]) == {"mae_J", "mae_J2", "rmse_J", "rmse_J2", "r2"}
    assert result["metrics"]["r2"] > 0.5
    args = ["run", "magnons", "--estimator", "ridge", "--device", "cuda", "--out", str(tmp_path)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "CPU only" in err or "torch sees no CUDA" in err


def test_cli_quick_run_prints_the_regression_table(tmp_path, capsys):
    out = tmp_path / "magnons"
    args = ["run", "magnons", "--quick", "--n-samples", "60", "--quiet", "--out", str(out)]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == [f"results written to {out / 'results.json'}", ""]
    printed = dict(line.split(None, 1) for line in lines[:-2])
    assert printed["task"] == "regression"
    assert printed["epochs"] == str(get_benchmark("magnons").quick_max_epochs)
    for key in ("mae_J", "mae_J2", "r2", "coverage_68_J", "coverage_95_J2"):
        assert key in printed
    assert "accuracy" not in printed
    result = json.loads((out / "results.json").read_text())
    assert (result["n_samples"], result["task"]) == (60, "regression")
    assert printed["mae_J"] == f"{result['metrics']['mae_J']:.4g}"


def test_report_of_mixed_results(tmp_path, saxs, magnons):
    pytest.importorskip("matplotlib")
    # A regression loss can fall below zero: the training plot then has a linear axis.
    negative = dict(copy.deepcopy(magnons), training_curve=[0.4, -0.3, -1.2])
    paths = _write(tmp_path / "runs", a_saxs=saxs, b_magnons=magnons, c_magnons=negative)
    out = tmp_path / "report.md"
    written = write_report(paths, out)
    names = ["report_accuracy.png", "report_mae.png", "report_time.png", "report_training.png"]
    assert [path.name for path in written] == ["report.md", *names]
    for path in written[1:]:
        assert path.read_bytes().startswith(PNG_MAGIC)
    classified, regressed, _ = _table(out.read_text(encoding="utf-8"))
    assert classified["accuracy"] == f"{saxs['metrics']['accuracy']:.4f}"
    assert classified["MAE"] == classified["R²"] == classified["95 % coverage"] == "—"
    metrics = magnons["metrics"]
    assert regressed["MAE"] == f"J {metrics['mae_J']:.4g}, J2 {metrics['mae_J2']:.4g}"
    assert regressed["R²"] == f"{metrics['r2']:.4f}"
    assert regressed["68 % coverage"] == (
        f"J {metrics['coverage_68_J']:.4f}, J2 {metrics['coverage_68_J2']:.4f}"
    )
    assert regressed["accuracy"] == regressed["log loss"] == regressed["F1"] == "—"
    assert main(["report", str(tmp_path / "runs"), "--out", str(out), "--force"]) == 0


def test_report_of_regression_results_only(tmp_path, magnons):
    pytest.importorskip("matplotlib")
    ridge = dict(copy.deepcopy(magnons), estimator="ridge", training_curve=[],
                 metrics={k: v for k, v in magnons["metrics"].items() if "coverage" not in k})
    written = write_report(_write(tmp_path, cnn=magnons, ridge=ridge), tmp_path / "r.md")
    assert [path.name for path in written] == ["r.md", "r_mae.png", "r_time.png", "r_training.png"]
    header = _table((tmp_path / "r.md").read_text(encoding="utf-8"))[0]
    assert "accuracy" not in header and "MAE" in header
    assert _table((tmp_path / "r.md").read_text(encoding="utf-8"))[1]["95 % coverage"] == "—"


def test_old_results_without_task_are_classification(tmp_path, saxs):
    old = {key: value for key, value in saxs.items() if key != "task"}
    assert load_results(_write(tmp_path, old=old))[0]["metrics"] == saxs["metrics"]


@pytest.mark.parametrize(
    "change, message",
    [({"task": "ranking"}, "has task 'ranking'; known tasks: classification, regression"),
     ({"metrics": {"mae_J": 0.1}}, "missing keys metrics.r2")],
)  # fmt: skip
def test_bad_regression_results_are_refused(tmp_path, magnons, change, message):
    with pytest.raises(ValueError, match=message):
        load_results(_write(tmp_path, bad=dict(magnons, **change)))


def test_compare_regressions_judges_errors_and_coverage(tmp_path, magnons):
    metrics = magnons["metrics"]
    better = dict(mae_J=metrics["mae_J"] / 2, r2=metrics["r2"] + 0.1,
                  coverage_68_J=0.6827, coverage_95_J=0.95)  # fmt: skip
    # No coverage is farther from the nominal 68.27 % or 95 % than 0 (the run's are above 0).
    worse = dict(mae_J2=metrics["mae_J2"] * 2, coverage_68_J2=0.0, coverage_95_J2=0.0)
    a, b = _write(tmp_path, a=magnons, b=dict(magnons, metrics={**metrics, **better, **worse}))
    lines = compare_results(a, b).splitlines()
    assert not any(line.startswith("warning") for line in lines)
    rows = {line.split()[0]: " ".join(line.split()) for line in lines[3:]}
    assert rows["mae_J"].endswith("0.5 B better") and rows["mae_J2"].endswith("2 B worse")
    assert rows["R²"].endswith("B better")
    assert rows["coverage_68_J2"].endswith("B worse") and rows["coverage_95_J2"].endswith("B worse")
    for key in ("coverage_68_J", "coverage_95_J"):
        expected = "" if metrics[key] == better[key] else "B better"
        assert rows[key].endswith(expected)
    assert rows["mae_J"].split()[1:3] == [f"{metrics['mae_J']:.4g}", f"{better['mae_J']:.4g}"]


def test_compare_regression_with_classification_warns(tmp_path, saxs, magnons):
    a, b = _write(tmp_path, a=saxs, b=magnons)
    lines = compare_results(a, b).splitlines()
    assert "task (A: classification, B: regression)" in lines[2]
    quantities = [line.split()[0] for line in lines[4:]]
    assert quantities == ["quantity", "train", "inference"]  # no metric in common


def test_dms_is_scored_on_the_circle():
    dms = get_benchmark("dms")
    assert (dms.task, dms.target_period, dms.test_size) == ("regression", 90.0, 0.25)
    # Stated in the registry so that listing it imports no simulator: the simulator agrees.
    assert dms.target_period == dms_symmetry_period("Si", (0, 0, 1))
    result = run_benchmark("dms", n_samples=60, max_epochs=1)
    assert set(result["metrics"]) == {"mae_psi", "rmse_psi", "r2"}
    assert 0 <= result["metrics"]["mae_psi"] <= 45.0

import json

import pytest
import torch

from sciml_estimators.bench import get_benchmark, list_benchmarks
from sciml_estimators.bench._cli import main

SMALL = ["--n-samples", "200", "--max-epochs", "3", "--quiet"]


def test_run_writes_results_and_prints_table(tmp_path, capsys):
    out = tmp_path / "saxs"
    assert main(["run", "saxs-1d", *SMALL, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "accuracy" in printed and "inference time / sample" in printed
    result = json.loads((out / "results.json").read_text())
    assert result["benchmark"] == "saxs-1d" and result["device"] == "cpu"
    assert (result["n_samples"], result["n_train"], result["n_test"]) == (200, 160, 40)
    assert result["max_epochs"] == 3 and len(result["training_curve"]) == 3
    assert set(result["metrics"]) == {"accuracy", "log_loss", "f1"}
    assert 0.5 <= result["metrics"]["accuracy"] <= 1.0
    assert result["train_time_per_sample"]["median"] > 0
    assert result["inference_time_per_sample"]["median"] > 0
    system = result["system"]
    assert system["cpu"] and system["libraries"]["torch"] == torch.__version__
    assert set(system["libraries"]) >= {"numpy", "torch", "skorch", "scikit-learn", "numba"}


def test_existing_results_are_not_overwritten(tmp_path, capsys):
    out = tmp_path / "saxs"
    out.mkdir()
    (out / "results.json").write_text("{}")
    assert main(["run", "saxs-1d", *SMALL, "--out", str(out)]) == 2
    assert "already holds results; choose another --out or pass --force" in capsys.readouterr().err
    assert (out / "results.json").read_text() == "{}"
    assert main(["run", "saxs-1d", *SMALL, "--out", str(out), "--force"]) == 0
    assert json.loads((out / "results.json").read_text())["benchmark"] == "saxs-1d"


def test_noise_option_reaches_the_dataset(tmp_path):
    out = tmp_path / "noisy"
    assert main(["run", "saxs-1d", *SMALL, "--noise", "poisson", "--out", str(out)]) == 0
    assert json.loads((out / "results.json").read_text())["options"] == {"noise": "poisson"}


def test_unknown_benchmark_lists_the_valid_ones(tmp_path, capsys):
    assert main(["run", "saxs-2d", "--out", str(tmp_path)]) == 2
    assert "unknown benchmark 'saxs-2d'; registered benchmarks: saxs-1d" in capsys.readouterr().err


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error raised without CUDA")
def test_cuda_without_cuda_fails_before_simulating(tmp_path, capsys):
    assert main(["run", "saxs-1d", *SMALL, "--device", "cuda", "--out", str(tmp_path)]) == 2
    assert "torch sees no CUDA device" in capsys.readouterr().err
    assert not (tmp_path / "results.json").exists()


def test_list_names_the_benchmarks(capsys):
    assert main(["list"]) == 0
    assert capsys.readouterr().out.startswith("saxs-1d")


@pytest.mark.parametrize("estimator", ["sklearn-mlp", "gradient-boosting"])
def test_alternative_estimators_run_on_the_same_split(tmp_path, estimator):
    out = tmp_path / estimator
    assert main(["run", "saxs-1d", *SMALL, "--estimator", estimator, "--out", str(out)]) == 0
    result = json.loads((out / "results.json").read_text())
    assert result["estimator"] == estimator and result["estimator_class"] == "Pipeline"
    assert (result["n_train"], result["n_test"]) == (160, 40)
    assert result["metrics"]["accuracy"] >= 0.8
    if estimator == "sklearn-mlp":
        assert result["max_epochs"] == 3 and len(result["training_curve"]) == 3


def test_unknown_estimator_lists_the_valid_ones(tmp_path, capsys):
    assert main(["run", "saxs-1d", "--estimator", "svm", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown estimator 'svm'" in err and "mlp, sklearn-mlp, gradient-boosting" in err


def test_cpu_only_estimator_refuses_cuda(tmp_path, capsys):
    args = ["run", "saxs-1d", *SMALL, "--estimator", "gradient-boosting", "--device", "cuda"]
    assert main([*args, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "CPU only" in err or "torch sees no CUDA" in err


def test_run_all_quick_then_report(tmp_path, capsys):
    out = tmp_path / "quick"
    assert main(["run", "all", "--quick", "--quiet", "--out", str(out)]) == 0
    for name in list_benchmarks():
        benchmark = get_benchmark(name)
        result = json.loads((out / name / "results.json").read_text())
        assert result["n_samples"] == benchmark.quick_n_samples
        assert result["task"] == benchmark.task
        if benchmark.task == "classification":
            # Across instruments the test accuracy drops by design; in domain it must not.
            metrics = result["metrics"]
            assert metrics.get("in_domain_accuracy", metrics["accuracy"]) >= 0.9
        else:  # a smoke run: a few epochs, no score to expect
            assert result["max_epochs"] == benchmark.quick_max_epochs
            assert "r2" in result["metrics"]
    report = tmp_path / "report.md"
    assert main(["report", str(out), "--out", str(report)]) == 0
    text = report.read_text()
    assert "| saxs-1d | mlp | cpu |" in text and "| magnons | cnn | cpu |" in text
    plots = ("report_accuracy.png", "report_mae.png", "report_time.png", "report_training.png")
    for plot in plots:
        assert (tmp_path / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({plot})" in text

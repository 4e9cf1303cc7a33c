import contextlib
import io
import json
import tempfile
from pathlib import Path

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sciml_estimators.bench import _runner, get_benchmark, list_benchmarks
from sciml_estimators.bench._cli import build_parser, main

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
    assert "already exists; choose another --out or pass --force" in capsys.readouterr().err
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


#: Quick runs that are smoke runs: a U-Net of one epoch on five FLImP micrographs learns
#: little (the glass alone is 75 % of the pixels); no score to expect.
SMOKE = {"flimp", "flimp-populations"}


def test_run_all_quick_then_report(tmp_path, capsys):
    out = tmp_path / "quick"
    assert main(["run", "all", "--quick", "--quiet", "--out", str(out)]) == 0
    for name in list_benchmarks():
        benchmark = get_benchmark(name)
        result = json.loads((out / name / "results.json").read_text())
        assert result["n_samples"] == benchmark.quick_n_samples
        assert result["task"] == benchmark.task
        if name in SMOKE:
            assert result["max_epochs"] == benchmark.quick_max_epochs
            assert 0.0 <= result["metrics"]["accuracy"] <= 1.0
        elif benchmark.task == "classification":
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


@pytest.fixture
def no_work(monkeypatch):
    """Fail a test whose command would start simulating or training."""
    def run_benchmark(*args, **kwargs):
        raise AssertionError("the run started before its arguments were checked")

    monkeypatch.setattr(_runner, "run_benchmark", run_benchmark)


@pytest.mark.parametrize("option, value, expected", [
    ("--n-samples", "0", "a whole number >= 1"),  # ran the paper's 20,000 samples
    ("--max-epochs", "0", "a whole number >= 1"),  # ran the benchmark's 20 epochs
    ("--repeats", "0", "a whole number >= 1"),  # crashed after the whole run
    ("--threads", "0", "a whole number >= 1"),  # was ignored
    ("--threads", "-1", "a whole number >= 1"),  # a raw traceback
    ("--n-samples", "1e3", "a whole number >= 1"),
    ("--random-state", "-1", "a whole number from 0 to 4294967295"),
    ("--random-state", str(2**32), "a whole number from 0 to 4294967295"),
])
def test_numbers_out_of_range_are_usage_errors(tmp_path, capsys, no_work, option, value,
                                               expected):
    assert main(["run", "saxs-1d", option, value, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"argument {option}: expected {expected}; got {value!r}" in err


def test_an_estimator_some_benchmarks_lack_is_refused_before_any_run(tmp_path, capsys, no_work):
    assert main(["run", "all", "--estimator", "sklearn-mlp", "--out", str(tmp_path)]) == 2
    assert "unknown estimator 'sklearn-mlp' for benchmark" in capsys.readouterr().err


def test_out_that_is_a_file_is_refused_before_any_work(tmp_path, capsys, no_work):
    # The run went to the end, then lost its results in a traceback.
    file = tmp_path / "notes.txt"
    file.write_text("mine")
    assert main(["run", "saxs-1d", *SMALL, "--out", str(file)]) == 2
    assert f"--out {file / 'results.json'}: {file} is a file, not a folder" in (
        capsys.readouterr().err)
    assert main(["run", "all", *SMALL, "--out", str(file / "sub")]) == 2
    assert f"{file} is a file, not a folder" in capsys.readouterr().err
    assert file.read_text() == "mine"


def _writes_despite_chmod(folder):
    try:
        tempfile.TemporaryFile(dir=folder).close()
    except OSError:
        return False
    return True


def test_read_only_out_folder_is_refused_before_any_work(tmp_path, capsys, no_work):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if _writes_despite_chmod(folder):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 0o555 does not stop "
                        "writes; test_unwritable_filesystem_is_refused_before_any_work checks")
        assert main(["run", "saxs-1d", *SMALL, "--out", str(folder / "saxs")]) == 2
        assert f"cannot write in {folder}: Permission denied" in capsys.readouterr().err
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not Path("/sys").is_dir() or _writes_despite_chmod("/sys"),
                    reason="needs /sys, Linux's sysfs, where no one may create a file")
def test_unwritable_filesystem_is_refused_before_any_work(capsys, no_work):
    # Works as root too: sysfs refuses new files to everyone.
    assert main(["run", "saxs-1d", *SMALL, "--out", "/sys/sciml-results"]) == 2
    assert "--out /sys/sciml-results/results.json: cannot write in /sys" in (
        capsys.readouterr().err)


def test_report_out_that_cannot_be_written_is_refused(tmp_path, capsys):
    results = tmp_path / "results.json"
    results.write_text("{}")
    folder = tmp_path / "report.md"
    folder.mkdir()
    assert main(["report", str(results), "--out", str(folder)]) == 2
    assert f"--out {folder} is a folder; expected a file" in capsys.readouterr().err
    assert main(["report", str(results), "--out", str(results / "r.md")]) == 2
    assert f"{results} is a file, not a folder" in capsys.readouterr().err


NUMERIC_OPTIONS = {
    "--n-samples": (1, None), "--max-epochs": (1, None), "--repeats": (1, None),
    "--threads": (1, None), "--random-state": (0, 2**32 - 1),
}


@settings(derandomize=True, max_examples=200, deadline=None)
@given(option=st.sampled_from(sorted(NUMERIC_OPTIONS)),
       text=st.one_of(st.integers(-3, 2**33).map(str), st.text(max_size=6),
                      st.floats().map(repr), st.sampled_from(["", " 7", "0x10", "1_000", "٣"])))
def test_numeric_options_parse_to_their_number_or_name_themselves(option, text):
    low, high = NUMERIC_OPTIONS[option]
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        try:
            args = build_parser().parse_args(["run", "saxs-1d", f"{option}={text}"])
        except SystemExit as exit:
            assert exit.code == 2
            assert f"argument {option}: " in stderr.getvalue()
            return
    value = getattr(args, option[2:].replace("-", "_"))
    assert value == int(text) and low <= value and (high is None or value <= high)


def test_nuisances_ideal_is_none_and_a_benchmark_without_them_is_refused(tmp_path, capsys,
                                                                          monkeypatch):
    calls = []

    def run_benchmark(name, **kwargs):
        calls.append((name, kwargs))
        raise SystemExit(0)  # what was asked is all this test needs

    monkeypatch.setattr(_runner, "run_benchmark", run_benchmark)
    for value, expected in [("ideal", None), ("measured", "measured")]:
        with pytest.raises(SystemExit):
            main(["run", "magnons", "--nuisances", value, "--out", str(tmp_path / value)])
        assert calls[-1][1]["nuisances"] == expected
    assert main(["run", "saxs-1d", "--nuisances", "ideal", "--out", str(tmp_path)]) == 2
    assert "'saxs-1d' has no option 'nuisances'" in capsys.readouterr().err

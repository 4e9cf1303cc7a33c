import copy
import json
import sys

import pytest

from sciml_estimators.bench import run_benchmark
from sciml_estimators.bench._cli import main
from sciml_estimators.bench._report import compare_results, load_results, write_report
from sciml_estimators.exceptions import SciMLEstimatorsWarning

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
UNITS = {"s": 1.0, "ms": 1e-3, "µs": 1e-6, "ns": 1e-9}
# What the modified copy in the `results` fixture holds.
B_METRICS = {"accuracy": 0.875, "log_loss": 0.25, "f1": 0.8}
B_TRAIN = {"median": 2e-3, "min": 1e-3, "max": 4e-3, "values": [1e-3, 2e-3, 4e-3]}
B_INFERENCE = {"median": 2.5e-5, "min": 2.5e-5, "max": 2.5e-5, "values": [2.5e-5]}


@pytest.fixture(scope="module")
def result():
    return run_benchmark("saxs-1d", n_samples=200, max_epochs=2)


@pytest.fixture
def results(tmp_path, result):
    """The real result in ``runs/cpu``; a GPU, noisy copy with set numbers in ``runs/gpu``."""
    other = copy.deepcopy(result)
    other.update(device="cuda", options={"noise": "poisson"}, metrics=B_METRICS)
    other.update(train_time_per_sample=B_TRAIN, inference_time_per_sample=B_INFERENCE)
    other.update(training_curve=[0.7, 0.3, 0.2])
    other["system"]["gpu"] = "Test GPU 9000"
    paths = []
    for name, content in (("cpu", result), ("gpu", other)):
        path = tmp_path / "runs" / name / "results.json"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(content))
        paths.append(path)
    return paths


def _table(markdown):
    """The report's table as one dict per row, keyed by the header."""
    rows = [line.strip("|").split(" | ") for line in markdown.splitlines() if line[:2] == "| "]
    header = [cell.strip() for cell in rows[0]]
    return [dict(zip(header, (cell.strip() for cell in line))) for line in rows[1:]]


def _seconds(text):
    value, unit = text.split()
    return float(value) * UNITS[unit]


def test_load_results_searches_folders_once_per_file(tmp_path, results):
    found = load_results([tmp_path / "runs", results[1]])
    assert [r["path"] for r in found] == [str(path) for path in results]
    assert [r["device"] for r in found] == ["cpu", "cuda"]


def test_report_has_one_row_per_result(tmp_path, results, result):
    pytest.importorskip("matplotlib")
    out = tmp_path / "out" / "bench.md"
    assert write_report([tmp_path / "runs"], out)[0] == out
    cpu, gpu = _table(out.read_text(encoding="utf-8"))
    metrics, system = result["metrics"], result["system"]
    assert [cpu[key] for key in ("#", "benchmark", "estimator", "device", "options")] == [
        "1", "saxs-1d", "mlp", "cpu", "none",
    ]  # fmt: skip
    assert (cpu["train / test"], cpu["epochs"]) == ("160 / 40", "2")
    assert (cpu["accuracy"], cpu["log loss"], cpu["F1"]) == tuple(
        f"{metrics[key]:.4f}" for key in ("accuracy", "log_loss", "f1")
    )
    for column in ("train", "inference"):
        # One repeat: the median alone, to three significant digits.
        median = result[f"{column}_time_per_sample"]["median"]
        assert _seconds(cpu[f"{column} time / sample"]) == pytest.approx(median, rel=5e-3)
    assert (cpu["CPU"], cpu["torch threads"]) == (system["cpu"], str(system["torch_threads"]))
    assert cpu["commit"] == (system["git_commit"][:7] if system["git_commit"] else "—")
    assert cpu["file"] == "[../runs/cpu/results.json](../runs/cpu/results.json)"
    assert [gpu[key] for key in ("#", "device", "options")] == [
        "2", "cuda (Test GPU 9000)", "noise=poisson",
    ]  # fmt: skip
    assert (gpu["accuracy"], gpu["log loss"], gpu["F1"]) == ("0.8750", "0.2500", "0.8000")
    assert gpu["train time / sample"] == "2.00 ms (1.00–4.00)"
    assert gpu["inference time / sample"] == "25.0 µs"


def test_report_plots_are_pngs_linked_from_the_report(tmp_path, results):
    pytest.importorskip("matplotlib")
    out = tmp_path / "bench.md"
    written = write_report(results, out)
    names = ["bench_accuracy.png", "bench_time.png", "bench_training.png"]
    assert [path.name for path in written] == ["bench.md", *names]
    markdown = out.read_text(encoding="utf-8")
    for path in written[1:]:
        content = path.read_bytes()
        assert content.startswith(PNG_MAGIC) and len(content) > 10_000
        assert f"]({path.name})" in markdown


def test_report_without_training_curves_says_so(tmp_path, result):
    pytest.importorskip("matplotlib")
    (tmp_path / "results.json").write_text(json.dumps(dict(result, training_curve=[])))
    written = write_report(tmp_path / "results.json", tmp_path / "report.md")
    assert [path.name for path in written] == [
        "report.md", "report_accuracy.png", "report_time.png",
    ]  # fmt: skip
    assert "No result recorded a training curve." in (tmp_path / "report.md").read_text()


def test_report_without_matplotlib_still_has_the_table(tmp_path, results, monkeypatch):
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "report.md"
    with pytest.warns(SciMLEstimatorsWarning, match=r"pip install sciml-estimators\[plot\]"):
        assert write_report(results, out) == [out]
    markdown = out.read_text(encoding="utf-8")
    assert len(_table(markdown)) == 2 and "`pip install sciml-estimators[plot]`" in markdown


def test_report_is_not_overwritten_without_force(tmp_path, results):
    pytest.importorskip("matplotlib")
    out = tmp_path / "report.md"
    out.write_text("mine")
    with pytest.raises(ValueError, match="report.md already exists.*--force"):
        write_report(results, out)
    assert out.read_text() == "mine"
    assert write_report(results, out, force=True)[0] == out
    assert out.read_text(encoding="utf-8").startswith("# Benchmark report")


def test_cli_report_prints_the_paths_written(tmp_path, results, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    assert main(["report", "runs"]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == ["report.md", "report_accuracy.png", "report_time.png", "report_training.png"]
    assert all((tmp_path / name).is_file() for name in printed)


def test_cli_compare_prints_ratios_b_over_a(results, result, capsys):
    assert main(["compare", str(results[0]), str(results[1])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"A: {results[0]} (saxs-1d, mlp, cpu,")
    assert lines[1].startswith(f"B: {results[1]} (saxs-1d, mlp, cuda (Test GPU 9000),")
    assert lines[2] == (
        "warning: A and B differ in device (A: cpu, B: cuda (Test GPU 9000)); "
        "options (A: none, B: noise=poisson); they are unlike runs"
    )
    rows = {line[:24].strip(): " ".join(line[24:].split()) for line in lines[4:]}
    a = result["metrics"]
    for key, name, higher_is_better in (
        ("accuracy", "accuracy", True), ("log_loss", "log loss", False), ("f1", "F1", True),
    ):  # fmt: skip
        ratio = B_METRICS[key] / a[key]
        verdict = "better" if (ratio > 1) == higher_is_better else "worse"
        assert rows[name].endswith(f"{B_METRICS[key]:.4f} {ratio:.4g} B {verdict}")
    for key, name, b in (
        ("train_time_per_sample", "train time / sample", B_TRAIN),
        ("inference_time_per_sample", "inference time / sample", B_INFERENCE),
    ):
        timing = result[key]
        ratio = b["median"] / timing["median"]
        verdict = "faster" if ratio < 1 else "slower"
        overlap = timing["min"] <= b["max"] and b["min"] <= timing["max"] and b["min"] != b["max"]
        assert rows[name].endswith(
            f" {ratio:.4g} B {verdict}" + " (min–max ranges overlap)" * overlap
        )


def test_compare_a_result_with_itself(results):
    text = compare_results(results[0], results[0].parent)
    assert "warning" not in text
    assert [line.split()[-1] for line in text.splitlines()[4:]] == ["1"] * 5


@pytest.mark.parametrize(
    "case, message",
    [
        ("empty folder", "is a folder with no results.json anywhere under it"),
        ("nonexistent", "does not exist"),
        ("malformed", "is not valid JSON: Expecting ',' delimiter at line 2 column 2"),
        ("missing keys", "is not a benchmark result: missing keys n_test, metrics.f1"),
        ("not an object", "holds a JSON list, not a results object"),
    ],
)
def test_bad_input_exits_2_naming_the_file(tmp_path, result, capsys, case, message):
    target = tmp_path / "bad"
    incomplete = copy.deepcopy(result)
    del incomplete["n_test"], incomplete["metrics"]["f1"]
    contents = {
        "malformed": '{"benchmark": "saxs-1d"\n "device": "cpu"}',
        "missing keys": json.dumps(incomplete),
        "not an object": "[1, 2]",
    }
    if case == "empty folder":
        (target / "sub").mkdir(parents=True)
    elif case in contents:
        target.write_text(contents[case])
    report = ["report", str(target), "--out", str(tmp_path / "r.md")]
    for argv in (report, ["compare", str(target), str(target)]):
        assert main(argv) == 2
        error = capsys.readouterr().err
        assert error.startswith(f"error: {target} ") and message in error
    assert not (tmp_path / "r.md").exists()


def test_cli_report_refuses_to_overwrite_without_force(tmp_path, results, capsys):
    out = tmp_path / "report.md"
    out.write_text("mine")
    assert main(["report", str(results[0]), "--out", str(out)]) == 2
    assert capsys.readouterr().err == (
        f"error: {out} already exists; choose another --out or pass --force to overwrite it\n"
    )
    assert out.read_text() == "mine"

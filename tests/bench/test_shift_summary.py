"""benchmarks/shift_summary.py: means, spreads and 'told apart' over seeds."""

import json
import pytest


@pytest.fixture(scope="module")
def shift_summary(script):
    return script("benchmarks/shift_summary.py")


def write(folder, estimator, seed, in_domain, shifted):
    metrics = {"mae_J": shifted, "in_domain_mae_J": in_domain, "mae_J_ratio": shifted / in_domain}
    result = {"benchmark": "magnons-shift", "estimator": estimator, "task": "regression",
              "n_samples": 100, "n_train": 64, "n_test": 20, "metrics": metrics}
    path = folder / estimator / f"seed{seed}" / "results.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(result))


def test_means_spreads_and_estimators_told_apart(shift_summary, tmp_path, capsys):
    for seed, (a, b) in enumerate([(1.0, 2.0), (1.2, 2.2), (1.4, 2.4)]):
        write(tmp_path, "cnn", seed, a, b)
        write(tmp_path, "ridge", seed, a + 0.1, b + 1.0)  # same in domain, worse shifted
    assert shift_summary.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| cnn | 3 | 1.2 +- 0.2 | 2.2 +- 0.2 |" in out
    assert "| ridge | 3 | 1.3 +- 0.2 | 3.2 +- 0.2 |" in out
    assert "cnn and ridge told apart (" in out and "on: mae_J.\n" in out


def test_no_results_is_a_usage_error(shift_summary, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        shift_summary.main([str(tmp_path)])
    assert exit_info.value.code == 2


def test_scores_one_estimator_lacks_stay_empty_and_one_seed_has_no_spread(shift_summary,
                                                                          tmp_path, capsys):
    write(tmp_path, "ridge", 0, 1.0, 2.0)
    write(tmp_path, "cnn", 0, 1.0, 2.0)
    cnn = tmp_path / "cnn" / "seed0" / "results.json"
    result = json.loads(cnn.read_text())
    result["metrics"].update(coverage_68_J=0.5, in_domain_coverage_68_J=0.7)
    cnn.write_text(json.dumps(result))
    assert shift_summary.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| cnn | 1 | 1 +- nan | 2 +- nan | 0.7 +- nan | 0.5 +- nan |" in out
    assert "| ridge | 1 | 1 +- nan | 2 +- nan |  |  |" in out
    assert "cnn and ridge: a spread needs 2 seeds or more of each." in out

"""Mean and spread over seeds of the shifted benchmarks' in-domain and shifted scores.

Reads the ``results.json`` of ``sciml-estimators run <name>-shift`` runs (any
number of estimators and seeds, found under the folders given), groups them by
benchmark and estimator, and prints one Markdown table per benchmark: each
score in-domain and shifted as mean +- standard deviation over the seeds, and
whether the reference and each other estimator are told apart (their means
differ by more than the sum of their standard deviations).

    for seed in 0 1 2; do
      sciml-estimators run magnons-shift --estimator ridge --n-samples 4000 \\
          --random-state $seed --out runs/magnons-shift/ridge/seed$seed
    done  # ... and the other estimators
    python benchmarks/shift_summary.py runs
"""

import argparse
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from sciml_estimators.bench import get_benchmark

#: The scores shown, by task: (metric key without prefix, label).
REGRESSION = ("mae", "r2", "coverage_68", "coverage_95")
CLASSIFICATION = ("accuracy", "truth_accuracy", "f1")


def load(folders):
    """``{(benchmark, estimator): [result, ...]}`` of every results.json under ``folders``."""
    groups = defaultdict(list)
    for folder in folders:
        for path in sorted(Path(folder).rglob("results.json")):
            result = json.loads(path.read_text())
            groups[result["benchmark"], result["estimator"]].append(result)
    return groups


def score_keys(result):
    """The shifted score keys to tabulate, in a stable order."""
    stems = REGRESSION if result["task"] == "regression" else CLASSIFICATION
    metrics = result["metrics"]
    return [key for stem in stems for key in sorted(metrics)
            if (key == stem or key.startswith(stem + "_")) and f"in_domain_{key}" in metrics]


def spread(results, key):
    """Mean and standard deviation (ddof 1) of a score over seeds; None where it is missing."""
    if any(key not in result["metrics"] for result in results):
        return None
    values = np.array([result["metrics"][key] for result in results])
    return values.mean(), values.std(ddof=1) if len(values) > 1 else float("nan")


def cell(statistics):
    return "" if statistics is None else "{:.4g} +- {:.2g}".format(*statistics)


def table(benchmark, groups):
    """A Markdown table of one benchmark's estimators, reference first."""
    estimators = [name for name in get_benchmark(benchmark).estimators if (benchmark, name) in groups]
    first = groups[benchmark, estimators[0]][0]
    keys = list(dict.fromkeys(key for name in estimators
                              for key in score_keys(groups[benchmark, name][0])))
    lines = [f"### {benchmark} ({first['n_samples']} samples: {first['n_train']} train, "
             f"{first['n_test']} shifted test)", "",
             "| estimator | seeds | " + " | ".join(f"{key} in-domain | {key} shifted" for key in keys)
             + " |", "|---|---:|" + "---:|" * (2 * len(keys))]
    for name in estimators:
        results = groups[benchmark, name]
        cells = [cell(spread(results, prefixed))
                 for key in keys for prefixed in (f"in_domain_{key}", key)]
        lines.append(f"| {name} | {len(results)} | " + " | ".join(cells) + " |")
    reference = estimators[0]
    lines.append("")
    for name in estimators[1:]:
        if min(len(groups[benchmark, e]) for e in (reference, name)) < 2:
            lines.append(f"{reference} and {name}: a spread needs 2 seeds or more of each.")
            continue
        apart = []
        for key in keys:
            for prefixed in (f"in_domain_{key}", key):
                both = [spread(groups[benchmark, e], prefixed) for e in (reference, name)]
                if None not in both and abs(both[0][0] - both[1][0]) > both[0][1] + both[1][1]:
                    apart.append(prefixed)
        lines.append(f"{reference} and {name} told apart (means differ by more than the sum "
                     f"of the seeds' standard deviations) on: {', '.join(apart) or 'nothing'}.")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", help="folders holding results.json files")
    args = parser.parse_args(argv)
    groups = load(args.folders)
    if not groups:
        parser.error(f"no results.json under {', '.join(args.folders)}")
    for benchmark in sorted({name for name, _ in groups}):
        print(table(benchmark, groups) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What float64 dense layers cost at predict time: against float32, and against a release.

Every estimator predicts through ``_engine._network_output``: an inference
copy of its module whose ``nn.Linear`` layers compute in float64, so that a
row's answer does not depend on the other rows of its batch. This script fits
each torch estimator briefly (the cost does not depend on how well it learnt),
then times its whole ``predict`` (validation and preprocessing included, as a
user sees it) with that copy and with the float32 module as trained,
interleaved, in one run, and prints how far the two answers are apart.

``--before TREE`` also times the same calls with the package of another
checkout (e.g. ``git worktree add /tmp/before 0d8a9f2``, the code before the
float64 copy, which predicted through skorch in float32) against this
checkout's, each in fresh subprocesses, alternating for ``--rounds`` rounds,
each figure the best round's median.

One torch thread by default (``--threads``), set before anything runs.

    python benchmarks/predict_precision_cost.py --before /tmp/before   # docs/performance.md
    python benchmarks/predict_precision_cost.py --quick                # a smaller check
"""

import argparse
import copy
import json
import os
import platform
import subprocess
import sys
import time
from unittest import mock

import numpy as np
import torch

from sciml_estimators.datasets import (
    make_dms,
    make_magnons,
    make_saxs_1d,
    make_saxs_2d,
    make_slstr_scenes,
)
from sciml_estimators.estimators import (
    CloudMaskClassifier,
    CloudMaskSegmenter,
    DMSAngleRegressor,
    MagnonCouplingRegressor,
    SAXS2DClassifier,
    SAXSClassifier,
    SAXSRegressor,
)


def float32_module(net):
    """The reference: the trained module as it is, float32 throughout."""
    return copy.deepcopy(net.module_).eval()


def cases(scale):
    """(name, estimator, X_fit, y_fit, X_predict, method) for each torch estimator."""
    saxs = make_saxs_1d(int(20000 * scale), random_state=0)
    radius = make_saxs_1d(int(20000 * scale), shapes=("sphere",), target="radius",
                          random_state=0)
    magnons = make_magnons(int(400 * scale), random_state=0)
    dms = make_dms(int(1000 * scale), random_state=0)
    saxs_2d = make_saxs_2d(int(1000 * scale), shape=(64, 64), random_state=0)
    scenes = make_slstr_scenes(max(2, int(20 * scale)), random_state=0)
    fast = dict(max_epochs=1, random_state=0)
    return [
        ("SAXSClassifier", SAXSClassifier(**fast), saxs.data[:500], saxs.target[:500],
         saxs.data, "predict_proba"),
        ("SAXSRegressor", SAXSRegressor(**fast), radius.data[:500], radius.target[:500],
         radius.data, "predict"),
        ("MagnonCouplingRegressor", MagnonCouplingRegressor(**fast), magnons.data[:50],
         magnons.target[:50], magnons.data, "predict"),
        ("DMSAngleRegressor", DMSAngleRegressor(**fast), dms.data[:50], dms.target[:50],
         dms.data, "predict"),
        ("SAXS2DClassifier", SAXS2DClassifier(**fast), saxs_2d.data[:50],
         saxs_2d.target[:50], saxs_2d.data, "predict_proba"),
        ("CloudMaskClassifier", CloudMaskClassifier(**fast), scenes.data[:2],
         scenes.target[:2], scenes.data, "predict_proba"),
        ("CloudMaskSegmenter", CloudMaskSegmenter(**fast), scenes.data[:2],
         scenes.target[:2], scenes.data, "predict_proba"),
    ]


def seconds(function, X):
    start = time.perf_counter()
    result = function(X)
    return time.perf_counter() - start, result


def timed_cases(args):
    """{name: (rows, median seconds)} of each estimator's predict with this package."""
    torch.set_num_threads(args.threads)
    timings = {}
    for name, estimator, X_fit, y_fit, X, method in cases(0.1 if args.quick else 1.0):
        predict = getattr(estimator.fit(X_fit, y_fit), method)
        runs = []
        for _ in range(args.repeats):
            runs.append(seconds(predict, X)[0])
        timings[name] = (len(X), float(np.median(runs)))
    return timings


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--before", help="another checkout whose package to time too")
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternating rounds of --before and this checkout")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.json:  # the --before subprocess
        print(json.dumps(timed_cases(args)))
        return
    from sciml_estimators._engine import _network_output

    torch.set_num_threads(args.threads)
    print(f"{platform.processor() or platform.machine()}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} torch thread(s), median of {args.repeats}")
    rows = {}
    for name, estimator, X_fit, y_fit, X, method in cases(0.1 if args.quick else 1.0):
        estimator.fit(X_fit, y_fit)
        predict = getattr(estimator, method)
        times = {"float32": [], "float64": []}
        for _ in range(args.repeats):
            with mock.patch.object(_network_output, "inference_module", float32_module):
                t32, reference = seconds(predict, X)
            t64, result = seconds(predict, X)
            times["float32"].append(t32)
            times["float64"].append(t64)
        diff = np.max(np.abs(np.asarray(result) - np.asarray(reference)))
        rows[name] = (len(X), np.median(times["float32"]), np.median(times["float64"]), diff)
    before, after = {}, {}
    if args.before:
        # Both packages in fresh subprocesses, alternating, each figure the best round.
        command = [sys.executable, __file__, "--json", "--threads", str(args.threads),
                   "--repeats", str(args.repeats)] + (["--quick"] if args.quick else [])
        here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        for _ in range(args.rounds):
            for tree, best in ((args.before, before), (here, after)):
                env = dict(os.environ, PYTHONPATH=os.path.abspath(tree))
                output = subprocess.run(command, env=env, check=True, capture_output=True,
                                        text=True).stdout.splitlines()[-1]
                for name, (_, t) in json.loads(output).items():
                    best[name] = min(best.get(name, np.inf), t)
    print(f"{'estimator':<24} {'rows':>6} {'float32 s':>10} {'float64 s':>10} {'ratio':>6} "
          f"{'max |diff|':>11} | {'before s':>9} {'after s':>9} {'ratio':>6}")
    for name, (n, t32, t64, diff) in rows.items():
        t_before, t_after = before.get(name, np.nan), after.get(name, np.nan)
        print(f"{name:<24} {n:>6} {t32:>10.4f} {t64:>10.4f} {t64 / t32:>6.3f} {diff:>11.2e} | "
              f"{t_before:>9.4f} {t_after:>9.4f} {t_after / t_before:>6.3f}")

if __name__ == "__main__":
    main()

"""The saxs-rg benchmark's two estimators side by side: relative error, coverage, time.

    python benchmarks/saxs_rg_accuracy.py [--n-samples 20000] [--epochs 20]
        [--set hidden_units=300 --set lr=3e-4 ...]

Simulates the registered ``saxs-rg`` set once (five shapes, Schulz pd 0.1, pinhole
dq/q 0.05, Poisson noise; target the z-average Rg; random_state=0, 80/20 split), then fits
and scores the reference SAXSRegressor ("mlp") and GuinierRegressor ("guinier") as the
benchmark defines them, on one torch thread. Prints, per estimator, the mean and
median relative error, MAE in Angstrom, the 68 % / 95 % coverage as the runner measures it
(``|y_pred - y_true| <= z * y_std``, on the profiles with a prediction), the profiles without a
Guinier range, and the fit and predict (with return_std) times per sample.
"""

import argparse
import ast
import os
import time
import warnings

import numpy as np
import torch

from sciml_estimators.bench import get_benchmark
from sciml_estimators.bench._runner import simulate_split
from sciml_estimators.bench._system import simulator_machine
from sciml_estimators.exceptions import NoGuinierRangeWarning
from sciml_estimators.metrics import regression_scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=None,
                        help="SAXSRegressor epochs (default: the benchmark's, 20)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="another SAXSRegressor parameter (a Python literal), repeatable")
    args = parser.parse_args(argv)
    changed = {name: ast.literal_eval(value)
               for name, value in (item.split("=", 1) for item in args.set)}
    torch.set_num_threads(1)
    load = os.getloadavg()[0]
    benchmark = get_benchmark("saxs-rg")
    start = time.perf_counter()
    split = simulate_split(benchmark, args.n_samples, random_state=0)
    print(f"simulated {args.n_samples} profiles in {time.perf_counter() - start:.1f} s "
          f"on {simulator_machine(load)}")
    torch.set_num_threads(1)  # the numba kernels can reset torch's thread count
    X_train, X_test, y_train, y_test = split[:4]
    for name, factory in benchmark.estimators.items():
        model = factory(device="cpu", random_state=0, max_epochs=args.epochs, verbose=0)
        if name == benchmark.reference:
            model.set_params(**changed)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NoGuinierRangeWarning)
            start = time.perf_counter()
            model.fit(X_train, y_train)
            fitted = time.perf_counter()
            y_pred, y_std = model.predict(X_test, return_std=True)
            predicted = time.perf_counter()
        found = np.isfinite(y_pred)
        relative = np.abs(y_pred[found] / y_test[found] - 1)
        metrics = regression_scores(y_test[found], y_pred[found], y_std[found])
        print(f"{name:8s} mean rel. error {np.mean(relative):.4f}  median {np.median(relative):.4f}"
              f"  MAE {metrics['mae']:.3f} A  RMSE {metrics['rmse']:.3f} A"
              f"  coverage 68 % {metrics['coverage_68']:.3f}  95 % {metrics['coverage_95']:.3f}"
              f"  no range {np.count_nonzero(~found)} ({len(caught)} warnings)"
              f"  fit {(fitted - start) / len(X_train):.2e} s"
              f"  predict {(predicted - fitted) / len(X_test):.2e} s per sample")

if __name__ == "__main__":
    main()

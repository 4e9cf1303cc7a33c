"""Accuracy and interval coverage of SAXSRegressor for the radius of gyration.

    python benchmarks/saxs_regression_accuracy.py [--n-samples 20000] [--epochs 40]
        [--shape sphere] [--noise] [--flux 1000]

make_saxs_1d(n_samples, shapes=[shape], target="radius", noise="poisson" with --noise,
random_state=0), 80/20 split, SAXSRegressor(max_epochs=..., random_state=0) on one torch
thread. Prints the median and mean relative error of the radius of gyration on the test
part, and how often the truth falls in the predicted 68 % and 95 % intervals. The regressor
models log(Rg) as Gaussian, so the interval of probability p is
``y_pred * exp(+-z * y_std / y_pred)`` (z = 1 and 1.96), taken in log space as its
docstring advises.
"""

import argparse
import os
import time

import numpy as np
import torch
from sklearn.model_selection import train_test_split

from sciml_estimators import SAXSRegressor
from sciml_estimators.bench._system import simulator_machine
from sciml_estimators.datasets import make_saxs_1d

#: Normal quantiles of the central intervals reported.
INTERVALS = {"68 %": 1.0, "95 %": 1.959964}


def interval_coverage(y_true, y_pred, y_std):
    """Fraction of ``y_true`` inside ``y_pred * exp(+-z * y_std / y_pred)`` for each z."""
    z_scores = np.abs(np.log(y_true / y_pred)) / (y_std / y_pred)
    return {name: float(np.mean(z_scores <= z)) for name, z in INTERVALS.items()}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--shape", default="sphere",
                        help="one of make_saxs_1d's built-in shapes (default sphere)")
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--noise", action="store_true", help="Poisson counting noise")
    parser.add_argument("--flux", type=float, default=1000.0,
                        help="counts per q bin for 1 1/cm at q_max, with --noise (default 1000)")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    torch.set_num_threads(1)

    start = time.perf_counter()
    saxs = make_saxs_1d(args.n_samples, shapes=[args.shape], target="radius",
                        noise="poisson" if args.noise else None, flux=args.flux,
                        random_state=0)
    simulated = time.perf_counter() - start
    torch.set_num_threads(1)  # the numba kernels can reset torch's thread count
    X_train, X_test, y_train, y_test = train_test_split(
        saxs.data, saxs.target, test_size=0.2, random_state=0
    )
    model = SAXSRegressor(max_epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                          random_state=0)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    trained = time.perf_counter() - start
    y_pred, y_std = model.predict(X_test, return_std=True)

    relative = np.abs(y_pred / y_test - 1)
    coverage = interval_coverage(y_test, y_pred, y_std)
    noise = f"Poisson noise at flux {args.flux:g}" if args.noise else "no noise"
    print(f"{args.n_samples} {args.shape} profiles ({len(y_test)} test), {noise}, "
          f"Rg {y_test.min():.1f}-{y_test.max():.1f} A; {args.epochs} epochs (lr {args.lr:g}, "
          f"batch {args.batch_size}): simulated in {simulated:.1f} s, fit in {trained:.1f} s")
    print(f"final training loss: {model.net_.history[-1, 'train_loss']:.4f}; "
          f"uncertainty calibration factor {model.uncertainty_calibration_[0]:.3f}")
    print("| metric | test value |\n|---|---:|")
    print(f"| median relative error of Rg | {np.median(relative):.4f} |")
    print(f"| mean relative error of Rg | {np.mean(relative):.4f} |")
    print(f"| median predicted relative std | {np.median(y_std / y_pred):.4f} |")
    for name, value in coverage.items():
        print(f"| {name} interval coverage (log space) | {value:.4f} |")
    print(f"| fit time (s) | {trained:.1f} |")
    print("\nMachine: " + simulator_machine(
        load, f"; torch {torch.__version__} with {torch.get_num_threads()} thread(s)"))


if __name__ == "__main__":
    main()

"""MagnonCouplingRegressor's accuracy and uncertainty calibration on make_magnons.

The paper's protocol: 29,957 images, 27,000 to train (of which the estimator
holds out its ``validation_fraction`` to calibrate the uncertainty) and
2,957 to validate; MAE of J and J' in meV (paper: 0.0055 and 0.0036), with
the coverage of the 68% and 95% intervals of ``predict(..., return_std=True)``.
It then predicts a "measured" spectrum: one image simulated at the
literature couplings (J = 0.6544, J' = 0.012 meV) with 8 counts per unit
intensity and a background of 0.15, instrument effects the training set did
not have, next to the paper's prediction for its MARI data (J = 0.6763,
J' = 0.0104 meV).

    python benchmarks/magnon_accuracy.py                  # the paper's scale, ideal
    python benchmarks/magnon_accuracy.py --noise poisson  # noise-added
    python benchmarks/magnon_accuracy.py --n-samples 3000 --epochs 5   # a quick look

Prints one JSON line with the figures and writes it to ``--out`` if given.
"""

import argparse
import json
import signal
import time

import numpy as np
import torch
from scipy.stats import norm

from sciml_estimators import MagnonCouplingRegressor
from sciml_estimators.datasets import make_magnons

PAPER_TRAIN = 27000
LITERATURE = (0.6544, 0.012)
PAPER_MEASURED = (0.6763, 0.0104)
#: The "measurement": fewer counts and more background than the training set.
MEASUREMENT = {"noise": "poisson", "flux": 8.0, "background": 0.15}


def measured_spectrum(random_state=1):
    """One image at the literature couplings with the instrument effects of MEASUREMENT."""
    J, J2 = LITERATURE
    return make_magnons(1, J_range=(J, J), J2_range=(J2, J2), random_state=random_state,
                        **MEASUREMENT)


def interval_coverage(y, y_pred, y_std, probability):
    """Fraction of ``y`` inside the central ``probability`` interval, per target."""
    half_width = norm.ppf(0.5 + probability / 2) * y_std
    return np.mean(np.abs(y - y_pred) <= half_width, axis=0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=29957)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--noise", choices=["poisson"], default=None)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    # Ctrl-C (or kill -INT, even for a background run) ends training early and
    # still scores the model: skorch stops fitting on KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)

    start = time.perf_counter()
    magnons = make_magnons(args.n_samples, noise=args.noise, random_state=0, progress=True)
    simulate_s = time.perf_counter() - start
    n_train = round(args.n_samples * PAPER_TRAIN / 29957)
    X_train, X_test = magnons.data[:n_train], magnons.data[n_train:]
    y_train, y_test = magnons.target[:n_train], magnons.target[n_train:]

    regressor = MagnonCouplingRegressor(max_epochs=args.epochs, device=args.device,
                                        random_state=0, verbose=1)
    start = time.perf_counter()
    regressor.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    y_pred, y_std = regressor.predict(X_test, return_std=True)
    predict_s = time.perf_counter() - start

    measured_pred, measured_std = regressor.predict(measured_spectrum().data, return_std=True)
    result = {
        "n_train": n_train, "n_test": len(X_test), "epochs": len(regressor.net_.history),
        "noise": args.noise,
        "device": regressor.device_,
        "mae_meV": dict(zip(magnons.target_names, np.mean(np.abs(y_pred - y_test), axis=0))),
        "r2": regressor.score(X_test, y_test),
        "coverage_68": dict(zip(magnons.target_names,
                                interval_coverage(y_test, y_pred, y_std, 0.6827))),
        "coverage_95": dict(zip(magnons.target_names,
                                interval_coverage(y_test, y_pred, y_std, 0.95))),
        "calibration": regressor.uncertainty_calibration_.tolist(),
        "measured": {"truth": LITERATURE, "measurement": MEASUREMENT,
                     "prediction": measured_pred[0].tolist(), "std": measured_std[0].tolist(),
                     "paper_prediction": PAPER_MEASURED},
        "train_loss": [row["train_loss"] for row in regressor.net_.history],
        "simulate_s": simulate_s, "fit_s": fit_s, "predict_s": predict_s,
    }
    line = json.dumps(result, default=float)
    print(line)
    if args.out:
        with open(args.out, "w") as file:
            file.write(line + "\n")


if __name__ == "__main__":
    main()

"""Spread of the magnon regressor's uncertainty coverage over seeds and torch thread counts.

The margin of ``tests/estimators/test_magnon_regressor.py::
test_measured_spectra_near_the_literature_couplings`` comes from this script: the
test's recipe (300 Poisson-noise training images, 4 epochs) repeated for each seed
and thread count, scored on 100 "measured" spectra near the literature couplings
(J = 0.6544, J' = 0.012 meV) at 2.5x fewer counts and 3x the background of the
training set.

    python benchmarks/magnon_coverage_spread.py --seeds 0 1 2 3 4 --threads 1 2
"""

import argparse

import numpy as np
import torch

from sciml_estimators import MagnonCouplingRegressor
from sciml_estimators.datasets import make_magnons

#: The test's measured-like spectra: couplings around the literature values,
#: fewer counts and more background than in training.
MEASURED = dict(J_range=(0.6, 0.7), J2_range=(0.005, 0.02), noise="poisson", flux=8.0,
                background=0.15)


def coverage_run(seed, n_measured=100):
    """Coverage within 1, 2 and 3 standard deviations, and the median std, per target."""
    train = make_magnons(300, noise="poisson", random_state=seed)
    reg = MagnonCouplingRegressor(max_epochs=4, lr=3e-3, random_state=seed)
    reg.fit(train.data, train.target)
    measured = make_magnons(n_measured, random_state=1, **MEASURED)
    pred, std = reg.predict(measured.data, return_std=True)
    z = np.abs(pred - measured.target) / std
    return {
        "cover1": (z < 1).mean(axis=0),
        "cover2": (z < 2).mean(axis=0),
        "cover3": (z < 3).mean(axis=0),
        "median_std": np.median(std, axis=0),
        "mae": np.abs(pred - measured.target).mean(axis=0),
        "loss": reg.net_.history[-1, "train_loss"],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args(argv)
    print(f"{'seed':>4} {'thr':>3} {'loss':>7} | {'cover 1/2/3 sigma J':>20} | "
          f"{'cover 1/2/3 sigma Jp':>20} | {'median std J, Jp':>18} | {'MAE J, Jp':>16}")
    rows = []
    for threads in args.threads:
        torch.set_num_threads(threads)
        for seed in args.seeds:
            r = coverage_run(seed)
            rows.append(r)
            print(f"{seed:4d} {threads:3d} {r['loss']:7.4f} | "
                  f"{r['cover1'][0]:.2f} {r['cover2'][0]:.2f} {r['cover3'][0]:.2f}       | "
                  f"{r['cover1'][1]:.2f} {r['cover2'][1]:.2f} {r['cover3'][1]:.2f}       | "
                  f"{r['median_std'][0]:.4f} {r['median_std'][1]:.4f}    | "
                  f"{r['mae'][0]:.4f} {r['mae'][1]:.4f}", flush=True)
    for key in ("cover2", "cover3", "median_std"):
        values = np.array([r[key] for r in rows])
        print(f"{key}: min {values.min(axis=0)}, max {values.max(axis=0)}")


if __name__ == "__main__":
    main()

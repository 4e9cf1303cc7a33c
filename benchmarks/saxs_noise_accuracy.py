"""Test accuracy of the default SAXSClassifier on noise-added SAXS-1D against flux.

    python benchmarks/saxs_noise_accuracy.py [--n-samples 20000] [--flux 1000 10 1 0.1]

Each flux: make_saxs_1d(noise="poisson", flux=..., random_state=0), stratified
80/20 split, SAXSClassifier(random_state=0) with its defaults.
"""

import argparse

from sklearn.model_selection import train_test_split

from sciml_estimators import SAXSClassifier
from sciml_estimators.datasets import make_saxs_1d


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--flux", type=float, nargs="+", default=[1000.0, 10.0, 1.0, 0.1])
    args = parser.parse_args(argv)
    print("| flux (counts per 1/cm at q_max) | test accuracy |\n|---:|---:|")
    for flux in args.flux:
        X, y = make_saxs_1d(args.n_samples, noise="poisson", flux=flux, random_state=0,
                            return_X_y=True)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.2, stratify=y, random_state=0
        )
        accuracy = SAXSClassifier(random_state=0).fit(X_train, y_train).score(X_test, y_test)
        print(f"| {flux:g} | {accuracy:.4f} |", flush=True)


if __name__ == "__main__":
    main()

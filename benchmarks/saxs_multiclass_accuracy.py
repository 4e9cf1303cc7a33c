"""Test accuracy of SAXSClassifier on the five-shape, noise-added SAXS-1D set.

    python benchmarks/saxs_multiclass_accuracy.py [--n-samples 20000] [--epochs 30]
        [--flux 1000]

make_saxs_1d(shapes=SHAPES, noise="poisson", flux=..., random_state=0), stratified
80/20 split, SAXSClassifier(max_epochs=..., random_state=0) on one torch thread.
Prints the overall and per-class test accuracy and the confusion matrix
(rows: true shape, columns: predicted shape), with the simulation and training times.
"""

import argparse
import time

import numpy as np
import torch
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split

from sciml_estimators import SAXSClassifier
from sciml_estimators.datasets import make_saxs_1d

SHAPES = ("sphere", "cylinder", "ellipsoid", "parallelepiped", "core_shell_sphere")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--flux", type=float, default=1000.0,
                        help="counts per q bin for 1 1/cm at q_max (default 1000)")
    args = parser.parse_args(argv)
    torch.set_num_threads(1)

    start = time.perf_counter()
    saxs = make_saxs_1d(args.n_samples, shapes=SHAPES, noise="poisson", flux=args.flux,
                        random_state=0)
    simulated = time.perf_counter() - start
    X_train, X_test, y_train, y_test = train_test_split(
        saxs.data, saxs.target, test_size=0.2, stratify=saxs.target, random_state=0
    )
    start = time.perf_counter()
    model = SAXSClassifier(max_epochs=args.epochs, random_state=0).fit(X_train, y_train)
    trained = time.perf_counter() - start
    y_pred = model.predict(X_test)

    print(f"{args.n_samples} profiles, flux {args.flux:g}, {args.epochs} epochs: "
          f"simulated in {simulated:.1f} s, trained in {trained:.1f} s")
    print_class_scores(y_test, y_pred, list(saxs.target_names), "profiles")


def print_class_scores(y_test, y_pred, names, samples):
    """Accuracy, accuracy per class (a Markdown table) and the confusion matrix."""
    matrix = confusion_matrix(y_test, y_pred, labels=np.arange(len(names)))
    print(f"test accuracy: {accuracy_score(y_test, y_pred):.4f} (chance {1 / len(names):.2f})\n")
    print(f"| shape | test {samples} | accuracy |\n|---|---:|---:|")
    for k, name in enumerate(names):
        print(f"| {name} | {matrix[k].sum()} | {matrix[k, k] / matrix[k].sum():.4f} |")
    print("\nconfusion matrix (rows: true, columns: predicted)")
    width = max(map(len, names))
    print(" " * width + " " + " ".join(f"{name[:10]:>10}" for name in names))
    for name, row in zip(names, matrix):
        print(f"{name:>{width}} " + " ".join(f"{count:>10d}" for count in row))

if __name__ == "__main__":
    main()

"""Test accuracy of SAXS2DClassifier on the four-shape SAXS-2D detector images.

    python benchmarks/saxs_2d_accuracy.py [--n-samples 4000] [--size 64] [--epochs 10]
        [--noise] [--flux 1000]

make_saxs_2d(n_samples, shape=(size, size), noise="poisson" with --noise, random_state=0),
stratified 80/20 split, SAXS2DClassifier(max_epochs=..., lr=3e-3, random_state=0) on one
torch thread. Prints the overall and per-class test accuracy and the confusion matrix
(rows: true shape, columns: predicted shape), with the simulation and training times.
"""

import argparse
import time

import torch
from sklearn.model_selection import train_test_split

from sciml_estimators import SAXS2DClassifier
from sciml_estimators.datasets import make_saxs_2d

if __package__:  # imported as benchmarks.saxs_2d_accuracy
    from .saxs_multiclass_accuracy import print_class_scores
else:  # run as a script from any folder
    from saxs_multiclass_accuracy import print_class_scores


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=4000)
    parser.add_argument("--size", type=int, default=64, help="detector pixels per side")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--noise", action="store_true", help="Poisson counting noise")
    parser.add_argument("--flux", type=float, default=1000.0,
                        help="counts per pixel for 1 1/cm, with --noise (default 1000)")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    args = parser.parse_args(argv)
    torch.set_num_threads(1)

    start = time.perf_counter()
    saxs = make_saxs_2d(args.n_samples, shape=(args.size, args.size),
                        noise="poisson" if args.noise else None, flux=args.flux,
                        random_state=0)
    simulated = time.perf_counter() - start
    X_train, X_test, y_train, y_test = train_test_split(
        saxs.data, saxs.target, test_size=0.2, stratify=saxs.target, random_state=0
    )
    model = SAXS2DClassifier(max_epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                             device=args.device, random_state=0)
    start = time.perf_counter()
    model.fit(X_train, y_train)
    trained = time.perf_counter() - start
    y_pred = model.predict(X_test)

    noise = f"Poisson noise at flux {args.flux:g}" if args.noise else "no noise"
    print(f"{args.n_samples} images of {args.size} x {args.size}, {noise}, {args.epochs} "
          f"epochs (lr {args.lr:g}, batch {args.batch_size}, {model.device_}): simulated in "
          f"{simulated:.1f} s, fit in {trained:.1f} s")
    print(f"final training loss: {model.net_.history[-1, 'train_loss']:.4f}")
    print_class_scores(y_test, y_pred, list(saxs.target_names), "images")


if __name__ == "__main__":
    main()

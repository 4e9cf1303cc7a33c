"""False alarms and detections of the SAXS estimators' out-of-domain score.

For each training set, the fraction of new in-domain profiles scored above 1
(false alarms, at most 5 % asked by issue 17) and the scores of profiles
outside it: SasView's 100 nm SiO2 spheres (radius 500 A, scale 0.01, sld 4.2
in 6.4, no background), a long rod, a thin disc and strong backgrounds.

    python benchmarks/saxs_out_of_domain.py [--n-samples 20000] [--epochs 20]

Prints a Markdown table (docs/performance.md keeps the last one).
"""

import argparse
import time
import warnings

import numpy as np
import torch

from sciml_estimators import SAXSClassifier, SAXSRegressor
from sciml_estimators.bench._system import system_info
from sciml_estimators.datasets import make_saxs_1d
from sciml_estimators.exceptions import OutOfDomainWarning
from sciml_estimators.simulators import cylinder_iq, sphere_iq


def outsiders(q):
    """Profiles none of the training sets below hold, by name."""
    sasview = sphere_iq(q, radius=np.array([500.0, 150.0]), scale=0.01, sld=4.2,
                        sld_solvent=6.4, background=0.0)
    return {
        "SasView 500 A sphere": sasview[:1],
        "SasView-like 150 A sphere": sasview[1:],
        "rod 20 x 1000 A": cylinder_iq(q, radius=np.array([20.0]), length=np.array([1000.0])),
        "disc 250 x 20 A": cylinder_iq(q, radius=np.array([250.0]), length=np.array([20.0])),
        "150 A sphere, background 10 /cm": sphere_iq(q, radius=np.array([150.0]),
                                                     background=10.0),
        "1000 A sphere": sphere_iq(q, radius=np.array([1000.0])),
    }


def training_sets(n_samples):
    """(name, estimator, X_train, y_train, X_test, q) of each case."""
    def spheres(seed, **options):
        data = make_saxs_1d(n_samples, shapes=["sphere"], target="radius", noise="poisson",
                            random_state=seed, **options)
        keep = data.parameters["radius"] <= 300
        return data.data[keep], data.target[keep], data.q

    for options in ({}, {"nuisances": "measured", "flux": 1e5},
                    {"nuisances": "measured", "flux": 1e7}):
        X, y, q = spheres(0, **options)
        X_test, _, _ = spheres(1, **options)
        described = ", ".join(f"{key}={value:g}" if isinstance(value, float) else
                              f"{key}={value}" for key, value in options.items())
        yield (f"SAXSRegressor, noisy spheres R <= 300 A{', ' + described if options else ''}",
               SAXSRegressor, X, y, X_test, q)
    paper = make_saxs_1d(n_samples, random_state=0)
    split = int(0.8 * n_samples)
    yield ("SAXSClassifier, saxs-1d (ideal spheres and parallelepipeds)", SAXSClassifier,
           paper.data[:split], paper.target[:split], paper.data[split:], paper.q)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=20000)
    parser.add_argument("--epochs", type=int, default=20)
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    warnings.simplefilter("ignore", OutOfDomainWarning)
    print(f"CPU: {system_info()['cpu']}; torch on 1 thread; {args.n_samples} profiles per set, "
          f"{args.epochs} epochs\n")
    rows = []
    for name, kind, X, y, X_test, q in training_sets(args.n_samples):
        start = time.perf_counter()
        model = kind(max_epochs=args.epochs, random_state=0).fit(X, y)
        scores = model.out_of_domain_score(X_test)
        outside = {label: float(model.out_of_domain_score(profile)[0])
                   for label, profile in outsiders(q).items()}
        rows.append((name, len(X), len(X_test), np.mean(scores > 1), scores.max(), outside,
                     time.perf_counter() - start))
    labels = list(rows[0][5])
    print("| training set | n train | n test | false alarms | largest in-domain score | "
          + " | ".join(labels) + " |")
    print("|---|---|---|---|---|" + "---|" * len(labels))
    for name, n_train, n_test, alarms, largest, outside, _ in rows:
        print(f"| {name} | {n_train} | {n_test} | {alarms:.2%} | {largest:.2f} | "
              + " | ".join(f"{outside[label]:.3g}" for label in labels) + " |")
    print("\n(scores above 1 are out of domain; fit and scoring took "
          + ", ".join(f"{row[6]:.0f} s" for row in rows) + ")")


if __name__ == "__main__":
    main()
